"""The embedded default → the local Neo4j in one step (loaders.local_neo4j and
`insikt neo4j start --load`): which loader each dataset needs, a missing path refused before
anything starts, the same datasets and counts in Neo4j as in the embedded store (twice: loads
are idempotent), the variables printed without the password, and one real start of the
launcher on a temporary home and port."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.embedded import EmbeddedStore
from graph.errors import NotFound
from graph.neo4j_store import Neo4jStore
from graph.settings import reset_settings
from insikt_cli.main import cli
from loaders.load import load_dataset
from loaders.local_neo4j import (
    LauncherRun,
    dataset_kind,
    datasets_to_copy,
    find_launcher,
    local_uri,
    start_and_load,
)
from loaders.notes import import_notes
from tests.conftest import DATA, TINY, wipe_neo4j

NOTES = DATA / "notes" / "ny-i-sverige-workshop.md"  # imports over tiny (no seed needed)
SENTINEL = "pw-that-must-not-show-4711"


def ok() -> LauncherRun:
    return LauncherRun("start", 0, "already running", "")


@pytest.fixture
def source(tmp_path: Path) -> EmbeddedStore:
    st = EmbeddedStore(tmp_path / ".insikt" / "graph.db")
    load_dataset(st, TINY)
    import_notes(st, NOTES)
    return st


def test_each_dataset_gets_its_own_loader(source: EmbeddedStore) -> None:
    kinds = {d.id: dataset_kind(d) for d in datasets_to_copy(source)}
    assert kinds["tiny"] == "folder"
    assert [k for i, k in kinds.items() if i != "tiny"] == ["notes"]


def test_the_cli_finds_the_same_launcher() -> None:
    import insikt_cli.neo4j_cmds as cmds

    assert cmds.find_launcher() == find_launcher() and find_launcher() == cmds.SCRIPT
    assert cmds.LAUNCHER_PACKAGE == "insikt_neo4j_launcher"


def test_local_uri_follows_the_launcher_port(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEO4J_URI", "neo4j://localhost:7799")
    monkeypatch.delenv("INSIKT_NEO4J_PORT", raising=False)
    reset_settings()
    assert local_uri() == "neo4j://localhost:7799"
    monkeypatch.setenv("INSIKT_NEO4J_PORT", "7801")
    reset_settings()
    assert local_uri() == "bolt://127.0.0.1:7801"  # the launcher's server, not NEO4J_URI's
    monkeypatch.setenv("NEO4J_URI", "bolt://db.example.org:7687")
    monkeypatch.delenv("INSIKT_NEO4J_PORT")
    reset_settings()
    assert local_uri() == "bolt://127.0.0.1:7687"


def test_a_missing_path_is_refused_before_anything_starts(tmp_path: Path) -> None:
    moved = tmp_path / "tiny"
    shutil.copytree(TINY, moved)
    st = EmbeddedStore(tmp_path / "graph.db")
    load_dataset(st, moved)
    shutil.rmtree(moved)
    started: list[bool] = []

    def start() -> LauncherRun:
        started.append(True)
        return ok()

    with pytest.raises(NotFound) as info:
        start_and_load(st, start=start)
    assert "tiny" in str(info.value) and str(moved) in str(info.value)
    assert started == []


def test_a_relative_path_is_found_beside_the_store(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / "project"
    shutil.copytree(TINY, project / "data" / "tiny")
    monkeypatch.chdir(project)
    st = EmbeddedStore(project / ".insikt" / "graph.db")
    load_dataset(st, "data/tiny")
    monkeypatch.chdir(tmp_path)  # e.g. the dashboard started from elsewhere
    (info,) = datasets_to_copy(st)
    assert info.path == str((project / "data" / "tiny").resolve())


@pytest.mark.neo4j
def test_start_and_load_copies_the_same_datasets(source: EmbeddedStore,
                                                 neo4j_store: Neo4jStore) -> None:
    for _ in range(2):  # the second run is a no-op: loads are idempotent
        started = start_and_load(source, start=ok)
        assert sorted(c.id for c in started.copied) == sorted(d.id for d in source.datasets())
        assert neo4j_store.stats() == source.stats()
        assert sorted((d.id, d.nodes, d.relationships) for d in neo4j_store.datasets()) == \
            sorted((d.id, d.nodes, d.relationships) for d in source.datasets())
    assert started.uri == local_uri() and SENTINEL not in repr(started)


@pytest.mark.neo4j
def test_cli_start_load_prints_the_variables_not_the_password(
        source: EmbeddedStore, neo4j_store: Neo4jStore, runner: CliRunner,
        monkeypatch: pytest.MonkeyPatch) -> None:
    import insikt_cli.neo4j_cmds as cmds

    monkeypatch.setattr(cmds, "run_launcher", lambda command: 0)  # the fixture's server runs
    password = os.environ.get("NEO4J_PASSWORD", "")
    res = runner.invoke(cli, ["--store", str(source.path), "neo4j", "start", "--load"])
    assert res.exit_code == 0, res.output
    assert f"export INSIKT_BACKEND=neo4j NEO4J_URI={local_uri()}" in res.stdout
    assert "Loaded 'tiny' (folder)" in res.stdout and "--show-password" in res.stdout
    assert not password or password not in res.output
    assert neo4j_store.stats() == source.stats()
    shown = runner.invoke(cli, ["--store", str(source.path), "neo4j", "start", "--load",
                                "--show-password"])
    assert shown.exit_code == 0 and "export NEO4J_PASSWORD=" in shown.stdout
    wipe_neo4j(neo4j_store)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.neo4j
@pytest.mark.slow
def test_the_launcher_really_starts_and_gets_the_data(source: EmbeddedStore, tmp_path: Path,
                                                      runner: CliRunner) -> None:
    """One real start (about 20-40 s) on a temporary home and port (INSIKT_START_TEST_PORT
    or a free one), with a fresh password, then a clean stop."""
    script = find_launcher()
    if script is None or shutil.which("java") is None or shutil.which("mvn") is None:
        pytest.skip("the Neo4j launcher needs Java and Maven")
    port = int(os.environ.get("INSIKT_START_TEST_PORT") or _free_port())
    password = "start-test-" + os.urandom(6).hex()
    env = {"INSIKT_NEO4J_HOME": str(tmp_path / "home"), "INSIKT_NEO4J_PORT": str(port),
           "NEO4J_URI": f"bolt://127.0.0.1:{port}", "NEO4J_PASSWORD": password}
    try:
        res = runner.invoke(cli, ["--store", str(source.path), "neo4j", "start", "--load"],
                            env=env)
        assert res.exit_code == 0, res.output
        assert f"NEO4J_URI=bolt://127.0.0.1:{port}" in res.stdout and password not in res.output
        started = Neo4jStore(uri=f"bolt://127.0.0.1:{port}", password=password)
        try:
            assert started.stats() == source.stats()
        finally:
            started.close()
    finally:
        subprocess.run(["bash", str(script), "stop"], env={**os.environ, **env},
                       capture_output=True, text=True, timeout=120, check=False)
