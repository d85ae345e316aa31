"""Loading: idempotency, replacement of an edited dataset, and no writes on bad data."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.embedded import EmbeddedStore
from graph.errors import ValidationFailed
from graph.export import graph_document
from loaders.load import load_dataset
from loaders.register import import_register
from tests.conftest import BROKEN, REGISTER, TINY


def test_loading_twice_is_idempotent(store: EmbeddedStore, store_path: Path) -> None:
    load_dataset(store, TINY)
    first_stats, first_doc = store.stats(), graph_document(store.graph)
    load_dataset(store, TINY)
    assert store.stats() == first_stats
    assert graph_document(EmbeddedStore(store_path).graph) == first_doc


def test_removed_entry_disappears_on_reload(store: EmbeddedStore, tiny_copy: Path) -> None:
    load_dataset(store, tiny_copy)
    assert "Insight:gammal-insikt" in store.graph
    text = (tiny_copy / "insights.yaml").read_text(encoding="utf-8")
    cut = text.index("- id: gammal-insikt")
    (tiny_copy / "insights.yaml").write_text(text[:cut], encoding="utf-8")
    load_dataset(store, tiny_copy)
    assert "Insight:gammal-insikt" not in store.graph
    assert store.stats().labels["Insight"] == 4
    assert store.stats().relationships.get("SUPERSEDED_BY", 0) == 0


def test_edited_property_and_relationship_are_replaced(store: EmbeddedStore,
                                                       tiny_copy: Path) -> None:
    load_dataset(store, tiny_copy)
    text = (tiny_copy / "principles.yaml").read_text(encoding="utf-8")
    text = text.replace("name_en: Once only", "name_en: Once-only principle")
    text = text.replace("    - {agency: pensionsmyndigheten, status: planned}\n", "")
    (tiny_copy / "principles.yaml").write_text(text, encoding="utf-8")
    load_dataset(store, tiny_copy)
    assert store.graph.nodes["Principle:en-gang"]["name_en"] == "Once-only principle"
    assert not store.graph.has_edge("Agency:pensionsmyndigheten", "Principle:en-gang")


def test_invalid_dataset_writes_nothing(store: EmbeddedStore, store_path: Path) -> None:
    load_dataset(store, TINY)
    before = store_path.read_bytes()
    with pytest.raises(ValidationFailed) as info:
        load_dataset(store, BROKEN)
    assert len(info.value.problems) == 4
    assert store_path.read_bytes() == before
    assert [d.id for d in EmbeddedStore(store_path).datasets()] == ["tiny"]


def test_org_nr_of_another_agency_id_is_refused_when_strict(store: EmbeddedStore,
                                                            tiny_copy: Path) -> None:
    import_register(store, REGISTER)
    text = (tiny_copy / "agencies.yaml").read_text(encoding="utf-8")
    (tiny_copy / "agencies.yaml").write_text(text.replace("- id: forsakringskassan", "- id: fk"),
                                             encoding="utf-8")
    for name in ("life_events.yaml", "insights.yaml", "journeys.yaml"):
        p = tiny_copy / name
        p.write_text(p.read_text(encoding="utf-8").replace("forsakringskassan", "fk"),
                     encoding="utf-8")
    with pytest.raises(ValidationFailed) as info:
        load_dataset(store, tiny_copy, strict=True)
    (problem,) = info.value.problems
    assert (problem.file, problem.entry, problem.field) == ("agencies.yaml", "'fk'", "org_nr")
    assert problem.hint == "use id: forsakringskassan, so that both are one agency"


def test_dataset_and_register_share_agency_nodes(store: EmbeddedStore) -> None:
    load_dataset(store, TINY)
    import_register(store, REGISTER)
    node = store.graph.nodes["Agency:skatteverket"]
    assert node["datasets"] == ["esv-register", "tiny"]
    assert node["department"] == "Finansdepartementet"
    store.unload("esv-register")
    assert store.graph.nodes["Agency:skatteverket"]["datasets"] == ["tiny"]
    assert store.stats().labels["Agency"] == 4
