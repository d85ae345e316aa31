"""`insikt dashboard`: loads the seed data into an empty store (unless --no-load), then execs
`streamlit run` bound to 127.0.0.1 with usage statistics off."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.embedded import EmbeddedStore
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


def flag(argv: list[str], name: str) -> str:
    return argv[argv.index(name) + 1]


def test_loads_the_seed_into_an_empty_store_then_runs_streamlit(
        runner: CliRunner, fake_exec: Exec, tmp_path: Path) -> None:
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


def test_no_load_and_options(runner: CliRunner, fake_exec: Exec, tmp_path: Path) -> None:
    store = tmp_path / "graph.json"
    res = runner.invoke(cli, ["--backend", "embedded", "--store", str(store), "dashboard",
                              "--no-load", "--port", "8611", "--address", "0.0.0.0"])
    assert res.exit_code == 0, res.output
    assert "was empty" not in res.output and not store.exists()
    assert flag(fake_exec.argv, "--server.port") == "8611"
    assert flag(fake_exec.argv, "--server.address") == "0.0.0.0"
    assert fake_exec.env["INSIKT_BACKEND"] == "embedded"


def test_a_loaded_store_is_left_alone(runner: CliRunner, fake_exec: Exec,
                                      seed_store_file: Path, tmp_path: Path) -> None:
    store = tmp_path / "copy.json"
    store.write_bytes(seed_store_file.read_bytes())
    before = store.read_bytes()
    res = runner.invoke(cli, ["--store", str(store), "dashboard"])
    assert res.exit_code == 0, res.output
    assert "was empty" not in res.output and store.read_bytes() == before
