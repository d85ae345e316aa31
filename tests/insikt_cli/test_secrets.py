"""Secrets never show: a distinctive password in NEO4J_URI and in NEO4J_PASSWORD is absent from
all CLI output, errors and logs of failing and succeeding runs; bad URIs are clear errors."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from graph.errors import SettingError
from graph.neo4j_store import Neo4jStore
from graph.uri import check_uri, mask_uri
from insikt_cli.main import cli
from tests.conftest import ROOT, TINY

SECRET = "Zebra-Secret-9181"
PROBE_USER = "insikt_secret_probe"
PROBE_PASSWORD = "Zebra-Secret-9181-ok"


def run(runner: CliRunner, env: dict[str, str], *args: str) -> tuple[int, str]:
    res = runner.invoke(cli, ["--backend", "neo4j", *args], env=env)
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    return res.exit_code, res.stdout + res.stderr


@pytest.fixture
def driver_logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """Everything the driver and our code log, at DEBUG."""
    caplog.set_level(logging.DEBUG)
    yield caplog


def test_mask_uri_hides_every_form_of_userinfo() -> None:
    assert mask_uri("bolt://u:pw@h:1") == "bolt://***@h:1"
    assert mask_uri("neo4j+s://u:p@ss/w:rd@db.example:7687") == "neo4j+s://***@db.example:7687"
    assert mask_uri("bolt:u:pw@h") == "bolt:***@h"
    assert mask_uri("bolt://127.0.0.1:7687") == "bolt://127.0.0.1:7687"
    assert "\n" not in mask_uri("bolt://h:1\nX")


@pytest.mark.parametrize(("uri", "why"), [
    ("bolt://127.0.0.1:notaport", "the port is not a number"),
    ("bolt://127.0.0.1:99999", "between 1 and 65535"),
    ("http://127.0.0.1:7474", "the scheme must be one of"),
    ("127.0.0.1:7687", "the scheme must be one of"),
    ("bolt://", "the host is missing"),
    ("bolt://:7687", "the host is missing"),
    ("bolt://[::1:7687", "IPv6"),
    (f"bolt://neo4j:{SECRET}@127.0.0.1:7687", "NEO4J_USER and NEO4J_PASSWORD"),
    ("bolt://h:7687/db", "path"),
    ("", "empty"),
])
def test_invalid_uris_are_setting_errors_without_the_secret(uri: str, why: str) -> None:
    with pytest.raises(SettingError, match=why) as info:
        check_uri(uri)
    assert SECRET not in str(info.value) and info.value.exit_code == 2
    assert check_uri("neo4j+s://db.example:7687?policy=eu") == "neo4j+s://db.example:7687?policy=eu"


@pytest.mark.parametrize("command", [("stats",), ("datasets",), ("cypher", "RETURN 1"),
                                     ("load", str(TINY))])
def test_failing_runs_never_show_the_password(runner: CliRunner, driver_logs: pytest.LogCaptureFixture,
                                              command: tuple[str, ...]) -> None:
    in_uri = {"NEO4J_URI": f"bolt://neo4j:{SECRET}@127.0.0.1:1", "NEO4J_PASSWORD": SECRET}
    code, out = run(runner, in_uri, *command)
    assert code == 2 and "bolt://***@127.0.0.1:1" in out and "NEO4J_PASSWORD" in out
    unreachable = {"NEO4J_URI": "bolt://127.0.0.1:1", "NEO4J_PASSWORD": SECRET}
    code2, out2 = run(runner, unreachable, *command)
    assert code2 == 3 and "not reachable" in out2
    bad_port = {"NEO4J_URI": "bolt://127.0.0.1:notaport", "NEO4J_PASSWORD": SECRET}
    code3, out3 = run(runner, bad_port, *command)
    assert code3 == 2 and "the port is not a number" in out3
    for text in (out, out2, out3, driver_logs.text):
        assert SECRET not in text
        assert "Traceback" not in text


def test_a_real_process_shows_no_secret_and_no_traceback() -> None:
    for uri, code in ((f"bolt://neo4j:{SECRET}@127.0.0.1:1", 2), ("bolt://127.0.0.1:notaport", 2),
                      ("bolt://127.0.0.1:1", 3)):
        env = {**os.environ, "NEO4J_URI": uri, "NEO4J_PASSWORD": SECRET,
               "PYTHONPATH": str(ROOT)}
        proc = subprocess.run([sys.executable, "-m", "insikt_cli.main", "--backend", "neo4j",
                               "stats"], env=env, capture_output=True, text=True, timeout=60,
                              check=False, cwd=ROOT)
        assert proc.returncode == code, proc.stderr
        assert SECRET not in proc.stdout + proc.stderr
        assert "Traceback" not in proc.stderr and proc.stderr.startswith("Error: ")


@pytest.fixture
def probe_user(neo4j_store: Neo4jStore) -> Iterator[dict[str, str]]:
    """A Neo4j user with a distinctive password, and the environment that uses it."""
    with neo4j_store.driver.session(database="system") as s:
        s.run(f"CREATE OR REPLACE USER {PROBE_USER} SET PLAINTEXT PASSWORD $pw "
              "CHANGE NOT REQUIRED", pw=PROBE_PASSWORD).consume()
    yield {"NEO4J_URI": neo4j_store.uri, "NEO4J_USER": PROBE_USER,
           "NEO4J_PASSWORD": PROBE_PASSWORD, "NEO4J_DATABASE": neo4j_store.database}
    with neo4j_store.driver.session(database="system") as s:
        s.run(f"DROP USER {PROBE_USER} IF EXISTS").consume()


@pytest.mark.neo4j
def test_succeeding_runs_never_show_the_password(runner: CliRunner, probe_user: dict[str, str],
                                                 driver_logs: pytest.LogCaptureFixture) -> None:
    outputs = []
    for command, code in ((("load", str(TINY)), 0), (("stats",), 0), (("datasets",), 0),
                          (("cypher", "MATCH (a:Agency) RETURN count(a) AS n"), 0),
                          (("cypher", "SHOW SETTINGS"), 4)):
        got, out = run(runner, probe_user, *command)
        assert got == code, out
        outputs.append(out)
    assert "bolt://127.0.0.1" in outputs[0] and "Loaded dataset 'tiny'" in outputs[0]
    for text in [*outputs, driver_logs.text]:
        assert PROBE_PASSWORD not in text
    # The grep is not blind: a password the user puts in a query parameter does come back.
    _, echo = run(runner, probe_user, "cypher", "RETURN $pw AS echo", "-p", f"pw={PROBE_PASSWORD}")
    assert PROBE_PASSWORD in echo
    wrong = {**probe_user, "NEO4J_PASSWORD": SECRET}
    code, out = run(runner, wrong, "stats")
    assert code == 3 and "refused the credentials" in out and SECRET not in out


