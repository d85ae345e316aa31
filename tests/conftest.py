"""Shared fixtures: the tiny fixture dataset, a fresh embedded store, the CLI runner, and a
wiped Neo4j store for the tests marked `neo4j`."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import pytest
from click.testing import CliRunner

from graph.embedded import EmbeddedStore
from graph.settings import reset_settings

if TYPE_CHECKING:
    from graph.neo4j_store import Neo4jStore

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
TINY = DATA / "tiny"
BROKEN = DATA / "broken"
SEED = ROOT / "seed_data"
# ../shared beside the checkout (or beside the folder of worktrees that holds this one).
SHARED = next((p for p in (ROOT.parent / "shared", ROOT.parent.parent / "shared") if p.is_dir()),
              ROOT.parent / "shared")
REGISTER = Path(os.environ.get("INSIKT_REGISTER")
                or SHARED / "data" / "agency-register" / "esv.json")
"""ESV's register: INSIKT_REGISTER when set, else ../shared beside the checkout (or beside
the folder of worktrees). Tests may look there; library code never does."""
CPSV_AP = Path(os.environ.get("INSIKT_CPSV_AP_DIR")
               or SHARED / "reference" / "cpsv-ap-3.2.0")
"""The official CPSV-AP 3.2.0 files (SHACL shapes, vocabulary): INSIKT_CPSV_AP_DIR when set,
else ../shared as for the register."""


@pytest.fixture(autouse=True)
def _fresh_settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Settings are read once per process: forget them around every test, so a test that
    changes the environment (monkeypatch.setenv) sees its own values and leaks none. A test
    that changes the environment half-way calls `reset_settings()` itself. The analyst's own
    query folder is not the tests' business: a test that wants one sets INSIKT_QUERY_DIR."""
    monkeypatch.delenv("INSIKT_QUERY_DIR", raising=False)
    reset_settings()
    yield
    reset_settings()


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "store" / "graph.db"


@pytest.fixture
def store(store_path: Path) -> Iterator[EmbeddedStore]:
    st = EmbeddedStore(store_path)
    yield st
    st.close()


@pytest.fixture
def tiny_copy(tmp_path: Path) -> Path:
    """A copy of the tiny dataset that a test may edit."""
    dest = tmp_path / "tiny"
    shutil.copytree(TINY, dest)
    return dest


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="session")
def large_dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The synthetic larger dataset (all 365 register agencies, 500 specific insights)."""
    from loaders.synthetic import build_large_dataset

    if not REGISTER.exists():
        pytest.skip("../shared register not present")
    return build_large_dataset(tmp_path_factory.mktemp("large"), REGISTER)


def _neo4j_missing(reason: str) -> NoReturn:
    """Skip the Neo4j tests with a visible reason, or fail when CI requires Neo4j."""
    if os.environ.get("INSIKT_REQUIRE_NEO4J") == "1":
        pytest.fail(f"INSIKT_REQUIRE_NEO4J=1 but {reason}", pytrace=False)
    pytest.skip(os.environ.get("INSIKT_NEO4J_SKIP_REASON") or reason)


@pytest.fixture(scope="session")
def neo4j_connection() -> Iterator[Neo4jStore]:
    """One connection for the whole run (from NEO4J_URI etc.); see `neo4j_store`.

    The tests wipe the database, so they only run against a server named explicitly in
    NEO4J_URI (scripts/test.sh starts a throwaway one), never a default local one by chance.
    """
    from graph.errors import BackendUnavailable
    from graph.neo4j_store import Neo4jStore

    if not os.environ.get("NEO4J_URI"):
        _neo4j_missing("NEO4J_URI is not set (the Neo4j tests wipe the database, so they need a "
                       "throwaway server named explicitly; `make test` starts one)")
    try:
        st = Neo4jStore.from_env()
    except BackendUnavailable as exc:
        _neo4j_missing(str(exc))
    yield st
    st.close()


def wipe_neo4j(st: Neo4jStore) -> None:
    """Delete every node and relationship (constraints and indexes stay)."""
    with st.driver.session(database=st.database) as s:
        s.run("MATCH (n) DETACH DELETE n").consume()


@pytest.fixture
def neo4j_store(neo4j_connection: Neo4jStore) -> Neo4jStore:
    """The Neo4j store, emptied before the test."""
    wipe_neo4j(neo4j_connection)
    return neo4j_connection
