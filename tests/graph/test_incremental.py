"""The write path on both backends: reloads write only what changed (by entry hash), a failed
load leaves the old version and the next one repairs it, shared nodes merge by precedence
(not load order) with provenance, partial records and relationships onto other datasets'
nodes work, and every load is a version in the history with its diff."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graph.embedded import EmbeddedStore
from graph.errors import StoreError
from graph.export import graph_document
from graph.model import DatasetMeta, GraphData, Label, NodeRecord, Rel, RelRecord
from graph.store import GraphStore
from loaders.dataset import read_dataset
from loaders.history import show_node
from loaders.load import load_dataset
from loaders.register import import_register
from tests.conftest import REGISTER, SEED, TINY

BACKENDS = ["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)]


@pytest.fixture(params=BACKENDS)
def any_store(request: pytest.FixtureRequest, store: EmbeddedStore) -> Iterator[GraphStore]:
    """The embedded store, or the (wiped) Neo4j test server."""
    if request.param == "neo4j":
        yield request.getfixturevalue("neo4j_store")
    else:
        yield store


def edit(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def tables(path: Path) -> dict[str, list[Any]]:
    """Every row of the embedded store's graph tables (not the history)."""
    conn = sqlite3.connect(path)
    try:
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall()
                for t in ("nodes", "node_datasets", "rels", "rel_datasets")}
    finally:
        conn.close()


def writes(st: GraphStore) -> dict[str, int]:
    """Neo4j's counters of the last load's graph writes."""
    counters: dict[str, int] = getattr(st, "last_counters")  # noqa: B009 - Neo4j only
    return {k: v for k, v in counters.items() if v}


def fresh_document(tmp_path: Path, *folders: Path) -> dict[str, Any]:
    """The graph a fresh embedded store holds after loading `folders` once each."""
    st = EmbeddedStore(tmp_path / "fresh" / "graph.db")
    for f in folders:
        load_dataset(st, f)
    out = graph_document(st.to_networkx())
    st.close()
    return out


def test_unchanged_reload_writes_nothing(any_store: GraphStore, tiny_copy: Path) -> None:
    load_dataset(any_store, tiny_copy)
    before = graph_document(any_store.to_networkx())
    if isinstance(any_store, EmbeddedStore):
        rows, generation = tables(any_store.path), any_store.data_version()
    res = load_dataset(any_store, tiny_copy)
    assert res.changes is not None and res.changes.empty
    assert (res.removed_nodes, res.removed_relationships) == (0, 0)
    if isinstance(any_store, EmbeddedStore):
        assert tables(any_store.path) == rows
        assert any_store.data_version() == generation  # queries keep their cached graph
    else:
        assert writes(any_store) == {}
    assert graph_document(any_store.to_networkx()) == before
    versions = any_store.load_versions("tiny")
    assert [v["action"] for v in versions] == ["load", "load"]
    assert versions[1]["summary"] == dict.fromkeys(versions[1]["summary"], 0)


def test_a_changed_entry_rewrites_only_it(any_store: GraphStore, tiny_copy: Path,
                                          tmp_path: Path) -> None:
    load_dataset(any_store, TINY)
    edit(tiny_copy, "principles.yaml", "name_en: Once only", "name_en: Once-only principle")
    if isinstance(any_store, EmbeddedStore):
        rows = tables(any_store.path)
    res = load_dataset(any_store, tiny_copy)
    assert res.changes is not None
    assert [c.as_dict() for c in res.changes.changes()] == [
        {"kind": "node", "action": "changed", "key": "Principle:en-gang",
         "fields": ["name_en", "search_text"]}]
    if isinstance(any_store, EmbeddedStore):
        after = tables(any_store.path)
        assert after["rels"] == rows["rels"] and after["rel_datasets"] == rows["rel_datasets"]
        differ = [a[0] for a, b in zip(after["nodes"], rows["nodes"], strict=True) if a != b]
        assert differ == ["Principle:en-gang"]
    else:
        counted = writes(any_store)
        assert set(counted) == {"properties_set"}  # no node or relationship created/deleted
        assert counted["properties_set"] <= 20  # one node's properties, not the dataset's
    assert graph_document(any_store.to_networkx()) == fresh_document(tmp_path, tiny_copy)


def test_removed_entries_are_removed(any_store: GraphStore, tiny_copy: Path,
                                     tmp_path: Path) -> None:
    load_dataset(any_store, TINY)
    text = (tiny_copy / "insights.yaml").read_text(encoding="utf-8")
    (tiny_copy / "insights.yaml").write_text(text[:text.index("- id: gammal-insikt")],
                                             encoding="utf-8")
    res = load_dataset(any_store, tiny_copy)
    assert res.changes is not None
    assert res.changes.removed_nodes == ["Insight:gammal-insikt"]
    assert res.removed_nodes == 1 and res.removed_relationships == len(
        res.changes.removed_rels) > 0
    g = any_store.to_networkx()
    assert "Insight:gammal-insikt" not in g
    assert graph_document(g) == fresh_document(tmp_path, tiny_copy)


def test_a_failed_load_leaves_the_old_version_and_the_next_repairs_it(
        any_store: GraphStore, tiny_copy: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The failure comes after the node writes, in the middle of the relationship writes:
    readers see the old version, and the next load compares against it and writes all."""
    load_dataset(any_store, TINY)
    before = graph_document(any_store.to_networkx())
    edit(tiny_copy, "principles.yaml", "name_en: Once only", "name_en: Once-only principle")
    edit(tiny_copy, "insights.yaml", "{agency: skatteverket, source: guide, year: 2020}",
         "{agency: skatteverket, source: guide, year: 2019}")
    if isinstance(any_store, EmbeddedStore):
        import graph.embedded as embedded

        def broken(*args: Any, **kwargs: Any) -> int:
            raise StoreError("injected failure in a relationship batch")

        monkeypatch.setattr(embedded, "_merge_rel_rows", broken)
    else:
        from graph.neo4j_store import Neo4jStore

        original = Neo4jStore._run

        def failing(self: Any, tx: Any, query: str, **params: Any) -> Any:
            if "SET r = row.props" in query:
                raise StoreError("injected failure in a relationship batch")
            return original(self, tx, query, **params)

        monkeypatch.setattr(Neo4jStore, "_run", failing)
    with pytest.raises(StoreError, match="injected"):
        load_dataset(any_store, tiny_copy)
    monkeypatch.undo()
    assert graph_document(any_store.to_networkx()) == before
    assert len(any_store.load_versions("tiny")) == 1
    res = load_dataset(any_store, tiny_copy)
    assert res.changes is not None
    assert res.changes.changed_nodes == ["Principle:en-gang"] and len(res.changes.changed_rels) == 1
    assert graph_document(any_store.to_networkx()) == fresh_document(tmp_path, tiny_copy)


def curation(*nodes: NodeRecord, rels: tuple[RelRecord, ...] = ()) -> GraphData:
    """A curation dataset (decisions, partial records) as the curate workflow writes one."""
    return GraphData(DatasetMeta(id="curation", title="Beslut", precedence="curation"),
                     list(nodes), list(rels)).add_search_text()


def test_partial_records_and_relationships_onto_other_datasets_nodes(
        any_store: GraphStore) -> None:
    load_dataset(any_store, TINY)
    data = curation(NodeRecord(Label.INSIGHT, "gammal-insikt", {"status": "active"}),
                    rels=(RelRecord(Rel.INSTANCE_OF, Label.INSIGHT, "foretag-far-inte-veta",
                                    Label.INSIGHT, "kurir"),))
    data.nodes[0].props.pop("search_text")  # a partial record: only the field it decides
    any_store.load(data)
    g = any_store.to_networkx()
    node = g.nodes["Insight:gammal-insikt"]
    assert node["status"] == "active" and node["title"] == "En gammal insikt"
    assert node["datasets"] == ["curation", "tiny"]
    assert g.edges["Insight:foretag-far-inte-veta", "Insight:kurir", "INSTANCE_OF"][
        "datasets"] == ["curation"]
    view = show_node(any_store, "insight", "gammal-insikt")
    assert view.provenance["status"] == "curation" and view.provenance["title"] == "tiny"
    load_dataset(any_store, TINY)  # a reload of the other dataset keeps the decision
    assert any_store.to_networkx().nodes["Insight:gammal-insikt"]["status"] == "active"
    any_store.unload("curation")
    g = any_store.to_networkx()
    assert g.nodes["Insight:gammal-insikt"]["status"] == "superseded"
    assert not g.has_edge("Insight:foretag-far-inte-veta", "Insight:kurir")


def test_a_relationship_to_a_missing_node_writes_nothing(any_store: GraphStore) -> None:
    load_dataset(any_store, TINY)
    before = graph_document(any_store.to_networkx())
    bad = curation(rels=(RelRecord(Rel.INSTANCE_OF, Label.INSIGHT, "kurir", Label.INSIGHT,
                                   "no-such-insight"),))
    with pytest.raises(StoreError, match="do not exist"):
        any_store.load(bad)
    assert graph_document(any_store.to_networkx()) == before
    assert [d.id for d in any_store.datasets()] == ["tiny"]


@pytest.mark.skipif(not REGISTER.exists(), reason="the agency register is not present")
def test_precedence_not_load_order_decides_shared_fields(any_store: GraphStore,
                                                         tmp_path: Path) -> None:
    """Seed then register, register then seed, and seed–register–seed give the same graph;
    the seed's curated names win, the register only fills what is missing, and search finds
    the seed's aliases and the register's old names."""
    from queries.catalog import run_query

    documents = []
    for n, order in enumerate((("seed", "register", "seed"), ("register", "seed"))):
        if isinstance(any_store, EmbeddedStore):
            any_store = EmbeddedStore(tmp_path / f"order-{n}.db")
        else:
            from graph.neo4j_store import Neo4jStore
            from tests.conftest import wipe_neo4j

            assert isinstance(any_store, Neo4jStore)
            wipe_neo4j(any_store)
        for step in order:
            if step == "seed":
                load_dataset(any_store, SEED)
            else:
                import_register(any_store, REGISTER)
        g = any_store.to_networkx()
        documents.append(graph_document(g))
        stk = g.nodes["Agency:statskontoret"]
        assert stk["name"] == "Statskontoret (tidigare Ekonomistyrningsverket)", order
        assert stk["department"] == "Finansdepartementet"  # filled in by the register
        for q in ("Kronofogden", "KFM", "Swedish Enforcement"):
            rows = run_query(any_store, "search", {"q": q}).rows
            assert "kronofogdemyndigheten" in [r["id"] for r in rows], (order, q)
    assert documents[0] == documents[1]
    view = show_node(any_store, "agency", "statskontoret")
    assert view.provenance["name"] == "seed" and view.provenance["department"] == "esv-register"
    assert view.precedence == {"esv-register": "register", "seed": "curated"}


def test_history_diff_and_parity_of_versions(any_store: GraphStore, tiny_copy: Path) -> None:
    load_dataset(any_store, TINY, by="anna")
    edit(tiny_copy, "principles.yaml", "name_en: Once only", "name_en: Once-only principle")
    edit(tiny_copy, "insights.yaml", "{agency: skatteverket, source: guide, year: 2020}",
         "{agency: skatteverket, source: guide, year: 2019}")
    cs = any_store.changes(read_dataset(tiny_copy))
    assert [c.as_dict() for c in cs.changes()] == [
        {"kind": "node", "action": "changed", "key": "Principle:en-gang",
         "fields": ["name_en", "search_text"]},
        {"kind": "relationship", "action": "changed",
         "key": "REPORTS Agency:skatteverket -> Insight:intyg-till-banken", "fields": ["year"]}]
    assert len(any_store.load_versions("tiny")) == 1  # a diff writes nothing
    load_dataset(any_store, tiny_copy, by="bo")
    any_store.unload("tiny")
    versions = any_store.load_versions("tiny")
    assert [(v["action"], v["by"]) for v in versions][:2] == [("load", "anna"), ("load", "bo")]
    assert versions[0]["summary"]["added_nodes"] == 19
    assert versions[1]["summary"]["changed_nodes"] == 1
    assert versions[1]["summary"]["changed_relationships"] == 1
    assert versions[2]["action"] == "unload" and versions[2]["removed_nodes"] == 19
    assert any_store.last_diff("tiny")[0]["key"] == "Principle:en-gang"
    assert versions[0]["content_hash"] != versions[1]["content_hash"]


@pytest.mark.neo4j
def test_both_backends_agree_after_the_same_loads(store: EmbeddedStore, neo4j_store: Any,
                                                  tiny_copy: Path) -> None:
    """Loads, a curation on top, an edited reload and an unload: the same graph, the same
    entries per dataset (provenance) and the same history summaries on both backends."""
    edit(tiny_copy, "principles.yaml", "name_en: Once only", "name_en: Once-only principle")
    text = (tiny_copy / "insights.yaml").read_text(encoding="utf-8")
    (tiny_copy / "insights.yaml").write_text(text[:text.index("- id: gammal-insikt")],
                                             encoding="utf-8")
    other = tiny_copy.parent / "other"
    other.mkdir()
    for f in tiny_copy.iterdir():
        (other / f.name).write_bytes(f.read_bytes())
    (other / "dataset.yaml").write_text("id: annan\ntitle: Annan\n", encoding="utf-8")
    edit(other, "agencies.yaml", "name_en: Swedish Tax Agency", "name_en: The Tax Agency")
    for st in (store, neo4j_store):
        load_dataset(st, TINY)
        load_dataset(st, other)
        st.load(curation(NodeRecord(Label.AGENCY, "skatteverket", {"short_name": "SKV"})))
        load_dataset(st, tiny_copy)
        st.unload("annan")
    assert graph_document(store.to_networkx()) == graph_document(neo4j_store.to_networkx())
    for key in ("Agency:skatteverket", "Insight:intyg-till-banken", "Principle:en-gang"):
        label, node_id = key.split(":")
        assert store.node_entries(label, node_id) == neo4j_store.node_entries(label, node_id)
    views = [show_node(st, "agency", "skatteverket") for st in (store, neo4j_store)]
    assert views[0] == views[1] and views[0].provenance["short_name"] == "curation"
    summaries = [[(v["dataset"], v["action"], v["summary"]) for v in st.load_versions()]
                 for st in (store, neo4j_store)]
    assert summaries[0] == summaries[1]


def test_a_migrated_store_keeps_what_it_had_when_another_dataset_changes(
        tmp_path: Path, tiny_copy: Path) -> None:
    """The old JSON store kept no per-dataset properties: a migrated entry counts the node's
    properties as its own, so re-merging a shared node after another load loses nothing."""
    import json

    import networkx as nx

    from graph.store import apply_graph_data
    from tests.storekit import legacy_document

    g = nx.MultiDiGraph()
    apply_graph_data(g, read_dataset(TINY))
    g.graph.clear()
    path = tmp_path / "old" / "graph.json"
    path.parent.mkdir()
    path.write_text(json.dumps(legacy_document(g, {"tiny": {"title": "Liten"}})),
                    encoding="utf-8")
    st = EmbeddedStore(path.with_suffix(".db"))
    (tiny_copy / "dataset.yaml").write_text("id: annan\n", encoding="utf-8")
    edit(tiny_copy, "agencies.yaml", "name_en: Swedish Tax Agency", "name_en: Tax Agency")
    load_dataset(st, tiny_copy)
    node = st.to_networkx().nodes["Agency:skatteverket"]
    assert node["datasets"] == ["annan", "tiny"]
    # 'annan' sorts before 'tiny', so its English name wins; tiny's other fields are kept
    assert node["name_en"] == "Tax Agency" and node["name"] == "Skatteverket"
    assert node["org_nr"] == g.nodes["Agency:skatteverket"]["org_nr"]
    entries = {d: (prec, props) for d, prec, props in st.node_entries("Agency", "skatteverket")}
    assert entries["tiny"][0] == "curated" and entries["tiny"][1]["name"] == "Skatteverket"
    st.close()


@pytest.mark.neo4j
def test_neo4j_writes_a_large_delta_in_parts_and_repairs_a_failed_part(
        neo4j_store: Any, store: EmbeddedStore, tiny_copy: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A delta over `tx_entries` commits in parts (bounded server memory); a part that fails
    leaves the dataset's quick digest cleared, and the next load writes what is missing."""
    from graph.neo4j_store import Neo4jStore

    monkeypatch.setattr(neo4j_store, "tx_entries", 10)
    load_dataset(store, tiny_copy)
    original = Neo4jStore._apply
    calls = {"n": 0}

    def third_part_fails(self: Any, *args: Any, **kwargs: Any) -> tuple[int, int]:
        calls["n"] += 1
        if calls["n"] == 3:
            raise StoreError("injected failure in part 3")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Neo4jStore, "_apply", third_part_fails)
    with pytest.raises(StoreError, match="part 3"):
        load_dataset(neo4j_store, tiny_copy)
    monkeypatch.setattr(Neo4jStore, "_apply", original)
    assert neo4j_store.datasets() == []  # the version is recorded only at the end
    res = load_dataset(neo4j_store, tiny_copy)
    # the two node parts had committed: only the relationships are written now
    assert res.changes is not None and res.changes.added_nodes == []
    assert len(res.changes.added_rels) == 38
    assert graph_document(neo4j_store.to_networkx()) == graph_document(store.to_networkx())
    assert load_dataset(neo4j_store, tiny_copy).changes.empty  # type: ignore[union-attr]
