"""`insikt dashboard`: loads the seed data into an empty store (unless --no-load), then execs
`streamlit run` bound to 127.0.0.1 with usage statistics off."""

from __future__ import annotations

import os
import re
import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.embedded import EmbeddedStore
from insikt_cli import dashboard_cmd
from insikt_cli.main import cli
from tests.dashboard.conftest import APP


class Exec:
    """Stands in for os.execve: records the command and environment instead of replacing the
    process."""

    def __init__(self) -> None:
        self.argv: list[str] = []
        self.env: dict[str, str] = {}

    def __call__(self, path: str, argv: list[str], env: dict[str, str]) -> None:
        self.argv = list(argv)
        self.env = dict(env)


@pytest.fixture
def fake_exec(monkeypatch: pytest.MonkeyPatch) -> Exec:
    rec = Exec()
    monkeypatch.setattr(os, "execve", rec)
    monkeypatch.delenv("INSIKT_STORE", raising=False)
    monkeypatch.delenv("INSIKT_BACKEND", raising=False)
    return rec


@pytest.fixture
def ports_free(monkeypatch: pytest.MonkeyPatch) -> None:
    """For the tests about other things: whatever port they name counts as free (8501 may be
    busy on a shared machine). The port check itself is tested below with real sockets."""
    monkeypatch.setattr(dashboard_cmd, "bind_port", lambda address, port: port)


@pytest.fixture
def busy_port() -> Iterator[int]:
    """A port some other server listens on."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        yield int(s.getsockname()[1])


def flag(argv: list[str], name: str) -> str:
    return argv[argv.index(name) + 1]


def test_loads_the_seed_into_an_empty_store_then_runs_streamlit(
        runner: CliRunner, fake_exec: Exec, tmp_path: Path, ports_free: None) -> None:
    store = tmp_path / "s" / "graph.json"
    res = runner.invoke(cli, ["--store", str(store), "dashboard"])
    assert res.exit_code == 0, res.output
    assert "loaded 'seed'" in res.output
    assert EmbeddedStore(store).stats().labels["Agency"] > 0
    argv = fake_exec.argv
    assert argv[:4] == [sys.executable, "-m", "streamlit", "run"]
    assert Path(argv[4]) == APP
    assert flag(argv, "--server.address") == "127.0.0.1"
    assert flag(argv, "--server.port") == "8501"
    assert flag(argv, "--server.headless") == "true"
    assert flag(argv, "--browser.gatherUsageStats") == "false"
    assert flag(argv, "--global.developmentMode") == "false"
    # the app opens the same store: the global options are handed over by environment
    assert fake_exec.env["INSIKT_STORE"] == str(store.resolve())


def test_no_load_and_options(runner: CliRunner, fake_exec: Exec, tmp_path: Path,
                             ports_free: None) -> None:
    store = tmp_path / "graph.json"
    res = runner.invoke(cli, ["--backend", "embedded", "--store", str(store), "dashboard",
                              "--no-load", "--port", "8611", "--address", "0.0.0.0"])
    assert res.exit_code == 0, res.output
    assert "was empty" not in res.output and not store.exists()
    assert flag(fake_exec.argv, "--server.port") == "8611"
    assert flag(fake_exec.argv, "--server.address") == "0.0.0.0"
    assert fake_exec.env["INSIKT_BACKEND"] == "embedded"


def test_a_loaded_store_is_left_alone(runner: CliRunner, fake_exec: Exec, seed_store_file: Path,
                                      tmp_path: Path, ports_free: None) -> None:
    store = tmp_path / "copy.json"
    store.write_bytes(seed_store_file.read_bytes())
    before = store.read_bytes()
    res = runner.invoke(cli, ["--store", str(store), "dashboard"])
    assert res.exit_code == 0, res.output
    assert "was empty" not in res.output and store.read_bytes() == before


def test_a_busy_port_stops_before_anything_is_loaded_or_announced(
        runner: CliRunner, fake_exec: Exec, tmp_path: Path, busy_port: int) -> None:
    store = tmp_path / "graph.json"
    res = runner.invoke(cli, ["--store", str(store), "dashboard", "--port", str(busy_port)])
    assert res.exit_code == 2
    assert "Dashboard on" not in res.output and "loaded" not in res.output
    assert f"Port {busy_port} on 127.0.0.1 is already in use" in res.stderr
    assert "--port 0" in res.stderr
    suggested = int(re.search(r"--port (\d+),", res.stderr).group(1))  # type: ignore[union-attr]
    assert suggested > busy_port and dashboard_cmd.bind_port("127.0.0.1", suggested) == suggested
    assert fake_exec.argv == [] and not store.exists()  # Streamlit never started, nothing loaded


def test_port_zero_takes_a_free_port(runner: CliRunner, fake_exec: Exec, tmp_path: Path) -> None:
    res = runner.invoke(cli, ["--store", str(tmp_path / "graph.json"), "dashboard", "--no-load",
                              "--port", "0"])
    assert res.exit_code == 0, res.output
    port = int(flag(fake_exec.argv, "--server.port"))
    assert port > 0 and f"Dashboard on http://127.0.0.1:{port}/" in res.output
    assert dashboard_cmd.bind_port("127.0.0.1", port) == port  # free for Streamlit to take


def test_an_address_that_cannot_be_bound_is_explained(runner: CliRunner, fake_exec: Exec,
                                                      tmp_path: Path) -> None:
    res = runner.invoke(cli, ["--store", str(tmp_path / "graph.json"), "dashboard", "--no-load",
                              "--address", "192.0.2.1", "--port", "8765"])  # TEST-NET-1
    assert res.exit_code == 2 and "Cannot listen on 192.0.2.1:8765" in res.stderr
    assert "--address" in res.stderr and fake_exec.argv == []
