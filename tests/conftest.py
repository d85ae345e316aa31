"""Shared fixtures: the tiny fixture dataset, a fresh embedded store, the CLI runner."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.embedded import EmbeddedStore

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
TINY = DATA / "tiny"
BROKEN = DATA / "broken"
SEED = ROOT / "seed_data"
REGISTER = ROOT.parent / "shared" / "data" / "agency-register" / "esv.json"


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "store" / "graph.json"


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
    from tests.builders import build_large_dataset

    if not REGISTER.exists():
        pytest.skip("../shared register not present")
    return build_large_dataset(tmp_path_factory.mktemp("large"), REGISTER)
