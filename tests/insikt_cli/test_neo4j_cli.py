"""`insikt cypher` and `insikt neo4j` through click's runner (and one real process): output
formats, typed parameters, exit codes 3/4/5, and no tracebacks."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import insikt_cli.neo4j_cmds as neo4j_cmds
from graph.errors import QueryRefused
from graph.neo4j_store import Neo4jStore
from graph.settings import reset_settings
from insikt_cli.main import cli
from insikt_cli.neo4j_cmds import launcher_env, parse_params, parse_value
from loaders.dataset import read_dataset
from tests.conftest import ROOT, TINY

SENTINEL = "not-a-real-pw-4711"


def neo(runner: CliRunner, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    res = runner.invoke(cli, ["--backend", "neo4j", *args], env=env)
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    return res.exit_code, res.stdout, res.stderr


def test_parse_values_and_params() -> None:
    assert [parse_value(v) for v in ("1", "-2", "2.5", "1e3", "true", "False", "null", "hej",
                                     "1_000", "inf", "")] == [
        1, -2, 2.5, 1000.0, True, False, None, "hej", "1_000", "inf", ""]
    assert parse_params(("a=1", "name=Skatteverket=SKV")) == {"a": 1,
                                                               "name": "Skatteverket=SKV"}
    with pytest.raises(QueryRefused, match="key=value"):
        parse_params(("novalue",))


def test_launcher_port_follows_a_local_neo4j_uri(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("INSIKT_NEO4J_PORT", raising=False)
    monkeypatch.setenv("NEO4J_URI", "neo4j://localhost:7799")
    reset_settings()
    assert launcher_env()["INSIKT_NEO4J_PORT"] == "7799"
    monkeypatch.setenv("NEO4J_URI", "bolt://db.example.org:7799")
    reset_settings()
    assert "INSIKT_NEO4J_PORT" not in launcher_env()
    monkeypatch.setenv("INSIKT_NEO4J_PORT", "7000")
    reset_settings()
    assert launcher_env()["INSIKT_NEO4J_PORT"] == "7000"


def test_unreachable_neo4j_exits_3_without_traceback(runner: CliRunner) -> None:
    env = {"NEO4J_URI": "bolt://127.0.0.1:1", "NEO4J_PASSWORD": SENTINEL}
    for args in (("stats",), ("cypher", "MATCH (n) RETURN count(n)")):
        code, out, err = neo(runner, *args, env=env)
        assert code == 3, (args, out, err)
        assert "bolt://127.0.0.1:1" in err and "make neo4j-up" in err
        assert "Traceback" not in out + err and SENTINEL not in out + err


def test_unreachable_neo4j_in_a_real_process() -> None:
    env = {**os.environ, "NEO4J_URI": "neo4j://127.0.0.1:1", "NEO4J_PASSWORD": SENTINEL,
           "INSIKT_BACKEND": "neo4j"}
    proc = subprocess.run([sys.executable, "-m", "insikt_cli.main", "stats"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 3, proc.stderr
    assert "neo4j://127.0.0.1:1" in proc.stderr and "insikt neo4j start" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout and SENTINEL not in proc.stderr


def test_cypher_on_the_embedded_store_exits_4(runner: CliRunner, store_path: Path) -> None:
    res = runner.invoke(cli, ["--backend", "embedded", "--store", str(store_path), "cypher",
                              "MATCH (n) RETURN n"])
    assert res.exit_code == 4 and "--backend neo4j" in res.stderr


def test_neo4j_status_of_a_server_that_is_not_there(runner: CliRunner, tmp_path: Path) -> None:
    res = runner.invoke(cli, ["neo4j", "status"],
                        env={"INSIKT_NEO4J_HOME": str(tmp_path), "INSIKT_NEO4J_PORT": "1"})
    assert res.exit_code == 3 and "not running" in res.stdout


def test_neo4j_without_the_launcher_says_so(runner: CliRunner, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(neo4j_cmds, "SCRIPT", tmp_path / "missing.sh")
    res = runner.invoke(cli, ["neo4j", "start"])
    assert res.exit_code == 1 and "launcher" in res.stderr and "missing" in res.stderr


@pytest.mark.neo4j
def test_cypher_formats(neo4j_store: Neo4jStore, runner: CliRunner) -> None:
    neo4j_store.load(read_dataset(TINY))
    query = "MATCH (a:Agency) RETURN a.id AS id, a.name AS name ORDER BY id"
    code, out, _ = neo(runner, "cypher", query)
    assert code == 0 and out.splitlines()[0].split() == ["id", "name"]
    assert "skatteverket" in out and "(4 rows)" in out
    code, out, _ = neo(runner, "cypher", query, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and [r["id"] for r in rows] == ["banken", "forsakringskassan",
                                                     "pensionsmyndigheten", "skatteverket"]
    code, out, _ = neo(runner, "cypher", query, "--format", "json")
    assert code == 0 and json.loads(out)[2] == {"id": "pensionsmyndigheten",
                                                "name": "Pensionsmyndigheten"}


@pytest.mark.neo4j
def test_cypher_typed_parameters(neo4j_store: Neo4jStore, runner: CliRunner) -> None:
    code, out, _ = neo(runner, "cypher", "RETURN $a AS a, $b AS b, $c AS c, $d AS d",
                       "-p", "a=1", "-p", "b=2.5", "-p", "c=true", "-p", "d=hej",
                       "--format", "json")
    assert code == 0 and json.loads(out) == [{"a": 1, "b": 2.5, "c": True, "d": "hej"}]


@pytest.mark.neo4j
@pytest.mark.parametrize(("query", "reason"), [
    ("CREATE (n:X) RETURN n", "writes (CREATE)"),
    ("MATCH (n) DETACH DELETE n", "writes (DETACH DELETE)"),
    ("CALL { CREATE (n:X) RETURN n } RETURN n", "writes (CREATE)"),
    ("LOAD CSV FROM 'file:///x' AS r RETURN r", "LOAD CSV"),
    ("CALL dbms.components()", "not allowed"),
])
def test_cypher_refusals_exit_4_and_change_nothing(neo4j_store: Neo4jStore, runner: CliRunner,
                                                   query: str, reason: str) -> None:
    neo4j_store.load(read_dataset(TINY))
    before = neo4j_store.stats()
    code, out, err = neo(runner, "cypher", query)
    assert code == 4 and reason in err and "read-only" in err and out == ""
    assert neo4j_store.stats() == before


@pytest.mark.neo4j
def test_cypher_limit_and_timeout(neo4j_store: Neo4jStore, runner: CliRunner) -> None:
    code, out, err = neo(runner, "cypher", "UNWIND range(1, 50) AS x RETURN x", "--limit", "20",
                         "--format", "json")
    assert code == 0 and len(json.loads(out)) == 20
    assert "showing the first 20 rows; add LIMIT" in err
    code, _, err = neo(runner, "cypher", "UNWIND range(1, 100000000) AS x WITH x "
                       "WHERE x % 7 = 0 RETURN count(*)", "--timeout", "1")
    assert code == 5 and "timed out after 1 s" in err


@pytest.mark.neo4j
def test_cypher_syntax_error_shows_a_caret_in_the_analysts_text(neo4j_store: Neo4jStore,
                                                                 runner: CliRunner) -> None:
    code, out, err = neo(runner, "cypher", "// find them\nMATCH (n)\n  RETRUN n")
    assert code == 4 and out == ""
    assert "(line 3, column 3 (offset: 25))" in err and "EXPLAIN" not in err
    assert err.splitlines()[-2:] == ["    RETRUN n", "    ^"]
