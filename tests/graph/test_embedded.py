import json
from pathlib import Path

import pytest

from graph.embedded import EmbeddedStore
from graph.errors import NotFound, StoreError
from graph.export import export_graph
from loaders.dataset import read_dataset
from loaders.load import load_dataset
from tests.conftest import TINY


def test_load_persists_and_reopens(store: EmbeddedStore, store_path: Path) -> None:
    res = load_dataset(store, TINY)
    assert res.dataset == "tiny" and res.nodes == 19
    again = EmbeddedStore(store_path)
    assert again.stats() == store.stats()
    assert again.stats().labels == {"Agency": 4, "Domain": 2, "Insight": 5, "JourneyStep": 3,
                                    "LifeEvent": 2, "Principle": 1, "Source": 2}
    step = again.graph.nodes["JourneyStep:bestall-intyg"]
    assert step["customer_carries"] == ["Dödsfallsintyg"] and step["order"] == 2
    assert again.graph.nodes["Agency:skatteverket"]["datasets"] == ["tiny"]


def test_store_file_is_json_not_pickle(store: EmbeddedStore, store_path: Path) -> None:
    load_dataset(store, TINY)
    doc = json.loads(store_path.read_text(encoding="utf-8"))
    assert doc["format"] == "insiktsgrafen-store" and doc["datasets"]["tiny"]["nodes"] == 19
    assert not list(store_path.parent.glob(".graph-*.tmp"))


def test_broken_store_file_gives_clear_error(store_path: Path) -> None:
    store_path.parent.mkdir(parents=True)
    store_path.write_text("{not json", encoding="utf-8")
    with pytest.raises(StoreError, match="cannot read the store"):
        EmbeddedStore(store_path)


def test_shared_node_survives_unload_of_one_dataset(store: EmbeddedStore,
                                                    tiny_copy: Path) -> None:
    load_dataset(store, TINY)
    (tiny_copy / "dataset.yaml").write_text("id: other\n", encoding="utf-8")
    load_dataset(store, tiny_copy)
    assert store.graph.nodes["Agency:skatteverket"]["datasets"] == ["other", "tiny"]
    before = store.stats()
    store.unload("other")
    assert store.stats() == before
    assert store.graph.nodes["Agency:skatteverket"]["datasets"] == ["tiny"]
    store.unload("tiny")
    assert store.stats().node_total == 0
    with pytest.raises(NotFound):
        store.unload("tiny")


def test_export_json_and_graphml(store: EmbeddedStore, tmp_path: Path) -> None:
    store.load(read_dataset(TINY))
    out = export_graph(store.to_networkx(), "json", tmp_path / "g.json")
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert len(doc["nodes"]) == 19
    assert {"type": "NEXT", "start": {"label": "JourneyStep", "id": "dodsfall-registreras"},
            "end": {"label": "JourneyStep", "id": "bestall-intyg"},
            "properties": {"datasets": ["tiny"]}} in doc["relationships"]
    gml = export_graph(store.to_networkx(), "graphml", tmp_path / "g.graphml")
    assert "Dödsfallsintyg" in gml.read_text(encoding="utf-8")
