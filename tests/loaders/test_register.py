"""The ESV register import, on the real register file in ../shared."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph.embedded import EmbeddedStore
from graph.errors import ValidationFailed
from loaders.dataset import read_dataset
from loaders.register import import_register, register_graph
from tests.conftest import REGISTER, TINY

pytestmark = pytest.mark.skipif(not REGISTER.exists(), reason="../shared register not present")


def test_imports_all_365_with_quirks(store: EmbeddedStore) -> None:
    report = import_register(store, REGISTER)
    assert report.entries == 365
    assert store.stats().labels["Agency"] == 365
    assert report.active + report.ended == 365
    assert sorted(report.without_org_nr) == ["Allmänna advokatbyråerna",
                                             "Allmänna försäkringskassorna"]
    assert set(report.duplicate_org_nr) == {"202100-4169"}
    summary = report.summary()
    assert "365 register entries" in summary and "202100-4169" in summary
    digg = store.graph.nodes["Agency:myndigheten-for-digital-forvaltning"]
    assert digg["org_nr"] == "202100-6883" and digg["short_name"] == "Digg"
    old = store.graph.nodes["Agency:statskontoret"]
    assert "Ekonomistyrningsverket" in old["aliases"]
    ended = store.graph.nodes["Agency:statskontoret-gamla"]
    assert ended["ended"] is True and ended["end_year"] == 2025
    assert all("_x000D_" not in a for _, n in store.graph.nodes(data=True)
               for a in n.get("aliases", []))


def test_import_is_idempotent(store: EmbeddedStore) -> None:
    import_register(store, REGISTER)
    first = store.stats()
    import_register(store, REGISTER)
    assert store.stats() == first


def test_reconciles_by_org_nr_to_existing_id() -> None:
    doc = json.loads(REGISTER.read_text(encoding="utf-8"))
    existing = {"202100-5448": [("skv", ["my-data"])]}
    data, report = register_graph(doc, existing)
    assert ("Skatteverket", "skv") in report.reconciled
    ids = {n.id for n in data.nodes}
    assert "skv" in ids and "skatteverket" not in ids


def test_bad_register_file(tmp_path: Path, store: EmbeddedStore) -> None:
    bad = tmp_path / "esv.json"
    bad.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(ValidationFailed, match=r"esv\.json"):
        import_register(store, bad)
    assert store.stats().node_total == 0


def test_tiny_dataset_ids_match_register_slugs() -> None:
    data = read_dataset(TINY)
    doc = json.loads(REGISTER.read_text(encoding="utf-8"))
    by_nr = {v["org_nr"]: k for k, v in doc.items() if v.get("org_nr")}
    for n in data.nodes:
        if n.label == "Agency" and "org_nr" in n.props:
            assert n.props["org_nr"] in by_nr
