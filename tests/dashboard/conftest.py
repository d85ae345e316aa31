"""Fixtures for the dashboard tests: embedded stores (seed data, the XSS fixture, empty) in tmp
dirs, handed to the app through INSIKT_BACKEND / INSIKT_STORE, and AppTest helpers."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from streamlit.testing.v1.element_tree import Block, Element

from graph.embedded import EmbeddedStore
from graph.settings import reset_settings
from loaders.load import load_dataset
from tests.conftest import ROOT, SEED

APP = ROOT / "dashboard" / "app.py"
XSS = Path(__file__).resolve().parent / "data" / "xss"


def value(node: Element | Block) -> Any:
    """The value of an element that AppTest found (a layout block has none)."""
    if not isinstance(node, Element):
        raise AssertionError(f"expected an element, got the block {node!r}")
    return node.value


def seed(name: str) -> list[dict[str, Any]]:
    doc = yaml.safe_load((SEED / f"{name}.yaml").read_text(encoding="utf-8"))
    return list(doc or [])


def expected_shared(a: str, b: str) -> set[str]:
    """What two agencies share, from insights.yaml: each reported insight counts as itself and
    as each of its general insights."""
    sets: dict[str, set[str]] = defaultdict(set)
    for ins in seed("insights"):
        for rep in ins.get("reported_by") or []:
            sets[rep["agency"]].add(ins["id"])
            sets[rep["agency"]].update(ins.get("instance_of") or [])
    return sets[a] & sets[b]


def _loaded(folder: Path, dataset: Path) -> Path:
    path = folder / "graph.json"
    st = EmbeddedStore(path)
    load_dataset(st, dataset)
    st.close()
    return path


@pytest.fixture(scope="session")
def seed_store_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An embedded store file with the seed data (read only: the pages never write)."""
    return _loaded(tmp_path_factory.mktemp("seed-store"), SEED)


@pytest.fixture(scope="session")
def xss_store_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _loaded(tmp_path_factory.mktemp("xss-store"), XSS)


@pytest.fixture(autouse=True)
def _quiet_streamlit() -> Iterator[None]:
    """AppTest logs 'missing ScriptRunContext' from its own thread on every run."""
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").setLevel(
        logging.ERROR)
    yield


def use_store(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    monkeypatch.setenv("INSIKT_BACKEND", "embedded")
    monkeypatch.setenv("INSIKT_STORE", str(path))
    reset_settings()


@pytest.fixture
def seed_env(monkeypatch: pytest.MonkeyPatch, seed_store_file: Path) -> Path:
    use_store(monkeypatch, seed_store_file)
    return seed_store_file


@pytest.fixture
def xss_env(monkeypatch: pytest.MonkeyPatch, xss_store_file: Path) -> Path:
    use_store(monkeypatch, xss_store_file)
    return xss_store_file


def network_frames(at: Any) -> list[dict[str, Any]]:
    """The data of every click-to-explore component the page mounted (dashboard.graph_component):
    its page HTML, signature and node keys (AppTest shows the component as an unknown element
    whose proto carries the data as JSON)."""
    import json

    return [json.loads(e.proto.json) for e in at.get("bidi_component")
            if e.proto.component_name == "insikt_network"]
