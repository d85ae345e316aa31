"""The Neo4j store against a real server: the same graph, stats and exports as the embedded
store, atomic loads, the schema, and clear errors when the server is not there."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from graph.embedded import EmbeddedStore
from graph.errors import BackendUnavailable, NotFound, QueryFailed, SettingError, StoreError
from graph.export import export_graph, graph_document
from graph.model import DatasetMeta, GraphData, Label, NodeRecord, Rel, RelRecord
from graph.neo4j_store import (
    DEFAULT_PASSWORD,
    META_LABEL,
    SEARCH_INDEX,
    TEXT_INDEX_EN,
    TEXT_INDEX_SV,
    Neo4jStore,
)
from graph.settings import reset_settings
from loaders.dataset import read_dataset
from loaders.load import load_dataset
from loaders.register import import_register
from tests.conftest import REGISTER, SEED, TINY

PASSWORD_SENTINEL = "not-a-real-pw-4711"


def doc(st: Neo4jStore | EmbeddedStore) -> dict[str, Any]:
    return graph_document(st.to_networkx())


def datasets_without_times(st: Neo4jStore | EmbeddedStore) -> list[dict[str, Any]]:
    return [{k: v for k, v in d.__dict__.items() if k != "loaded_at"} for d in st.datasets()]


def same_server(st: Neo4jStore, **changes: Any) -> Neo4jStore:
    """Another store on the test server, e.g. with another URI scheme or batch size."""
    args: dict[str, Any] = {"uri": st.uri, "user": st.user, "database": st.database,
                            "password": os.environ.get("NEO4J_PASSWORD") or DEFAULT_PASSWORD}
    args.update(changes)
    return Neo4jStore(**args)


@pytest.mark.neo4j
def test_loads_twice_and_equals_the_embedded_store(neo4j_store: Neo4jStore,
                                                   store: EmbeddedStore) -> None:
    for target in (neo4j_store, store):
        load_dataset(target, TINY)
        load_dataset(target, SEED)
        import_register(target, REGISTER)
    first = neo4j_store.stats()
    assert first == store.stats()
    assert first.labels["Agency"] > 365 and META_LABEL not in first.labels
    again, twin = load_dataset(neo4j_store, SEED), load_dataset(store, SEED)
    assert (again.removed_nodes, again.removed_relationships) == (twin.removed_nodes,
                                                                  twin.removed_relationships)
    assert neo4j_store.stats() == first
    for target in (neo4j_store, store):  # the last load wins on shared nodes: the same on both
        load_dataset(target, TINY)
    assert neo4j_store.stats() == first
    assert doc(neo4j_store) == doc(store)
    assert datasets_without_times(neo4j_store) == datasets_without_times(store)


@pytest.mark.neo4j
def test_reload_removes_what_the_dataset_no_longer_has(neo4j_store: Neo4jStore,
                                                       store: EmbeddedStore,
                                                       tiny_copy: Path) -> None:
    for target in (neo4j_store, store):
        load_dataset(target, tiny_copy)
    insights = tiny_copy / "insights.yaml"
    text = insights.read_text(encoding="utf-8")
    insights.write_text(text[: text.index("- id: gammal-insikt")], encoding="utf-8")
    results = [load_dataset(target, tiny_copy) for target in (neo4j_store, store)]
    assert results[0].removed_nodes == results[1].removed_nodes
    assert results[0].removed_relationships == results[1].removed_relationships
    assert "Insight:gammal-insikt" not in neo4j_store.to_networkx()
    assert neo4j_store.stats().relationships.get("SUPERSEDED_BY", 0) == 0
    assert doc(neo4j_store) == doc(store)


@pytest.mark.neo4j
def test_unload_keeps_nodes_another_dataset_defines(neo4j_store: Neo4jStore,
                                                    tiny_copy: Path) -> None:
    load_dataset(neo4j_store, TINY)
    (tiny_copy / "dataset.yaml").write_text("id: other\n", encoding="utf-8")
    load_dataset(neo4j_store, tiny_copy)
    g = neo4j_store.to_networkx()
    assert g.nodes["Agency:skatteverket"]["datasets"] == ["other", "tiny"]
    before = neo4j_store.stats()
    res = neo4j_store.unload("other")
    assert (res.removed_nodes, res.removed_relationships) == (0, 0)
    assert neo4j_store.stats() == before
    assert neo4j_store.to_networkx().nodes["Agency:skatteverket"]["datasets"] == ["tiny"]
    res = neo4j_store.unload("tiny")
    assert (res.removed_nodes, res.removed_relationships) == (19, 38)
    assert neo4j_store.stats().node_total == 0 and neo4j_store.datasets() == []
    with pytest.raises(NotFound, match="no dataset 'tiny'"):
        neo4j_store.unload("tiny")


@pytest.mark.neo4j
def test_register_import_gives_365_agencies(neo4j_store: Neo4jStore,
                                            store: EmbeddedStore) -> None:
    report = import_register(neo4j_store, REGISTER)
    assert neo4j_store.stats().labels == {"Agency": 365, "Source": 1}
    assert report.summary() == import_register(store, REGISTER).summary()
    assert [d.id for d in neo4j_store.datasets()] == ["esv-register"]
    assert neo4j_store.datasets()[0].labels == {"Agency": 365, "Source": 1}


@pytest.mark.neo4j
def test_export_from_neo4j_equals_embedded_export(neo4j_store: Neo4jStore, store: EmbeddedStore,
                                                  tmp_path: Path) -> None:
    data = read_dataset(TINY)
    neo4j_store.load(data)
    store.load(data)
    ours = export_graph(neo4j_store.to_networkx(), "json", tmp_path / "neo4j.json")
    theirs = export_graph(store.to_networkx(), "json", tmp_path / "embedded.json")
    assert ours.read_bytes() == theirs.read_bytes()
    step = json.loads(ours.read_text(encoding="utf-8"))["nodes"]
    assert {"label": "JourneyStep", "id": "bestall-intyg"} in [
        {"label": n["label"], "id": n["id"]} for n in step]
    gml = export_graph(neo4j_store.to_networkx(), "graphml", tmp_path / "g.graphml")
    assert "Dödsfallsintyg" in gml.read_text(encoding="utf-8")
    g = neo4j_store.to_networkx()
    attrs = g.nodes["JourneyStep:bestall-intyg"]
    assert attrs["order"] == 2 and attrs["customer_carries"] == ["Dödsfallsintyg"]
    assert isinstance(attrs["illustrative"], bool)


@pytest.mark.neo4j
def test_schema_constraints_and_fulltext_indexes(neo4j_store: Neo4jStore) -> None:
    neo4j_store.load(read_dataset(TINY))
    _, constraints, _ = neo4j_store.run_read("SHOW CONSTRAINTS YIELD name, type", {})
    names = {c["name"] for c in constraints if c["type"] == "UNIQUENESS"}
    for label in [*(lbl.value for lbl in Label), META_LABEL]:
        assert f"insikt_{label.lower()}_id" in names
    _, indexes, _ = neo4j_store.run_read(
        "SHOW FULLTEXT INDEXES YIELD name, state, options "
        "RETURN name, state, options.indexConfig.`fulltext.analyzer` AS analyzer", {})
    found = {i["name"]: (i["state"], i["analyzer"]) for i in indexes}
    assert found[TEXT_INDEX_SV] == ("ONLINE", "swedish")
    assert found[TEXT_INDEX_EN] == ("ONLINE", "english")
    assert found[SEARCH_INDEX] == ("ONLINE", "whitespace")
    _, hits, _ = neo4j_store.run_read(
        "CALL db.index.fulltext.queryNodes($index, $q) YIELD node RETURN node.id AS id",
        {"index": TEXT_INDEX_EN, "q": "tax"})
    assert {"id": "skatteverket"} in hits
    _, hits, _ = neo4j_store.run_read(
        "CALL db.index.fulltext.queryNodes($index, $q) YIELD node RETURN node.id AS id",
        {"index": TEXT_INDEX_SV, "q": "kurir"})
    assert {"id": "kurir"} in hits


@pytest.mark.neo4j
def test_a_failed_load_changes_nothing(neo4j_store: Neo4jStore) -> None:
    neo4j_store.load(read_dataset(TINY))
    before = doc(neo4j_store)
    broken = GraphData(DatasetMeta(id="tiny"),
                       nodes=[NodeRecord(Label.DOMAIN, "ny", {"name": "Ny"})],
                       relationships=[RelRecord(Rel.IN_DOMAIN, Label.LIFE_EVENT, "saknas",
                                                Label.DOMAIN, "ny")])
    with pytest.raises(StoreError, match="refer to nodes that do not exist"):
        neo4j_store.load(broken)
    assert doc(neo4j_store) == before
    assert [d.nodes for d in neo4j_store.datasets()] == [19]


@pytest.mark.neo4j
def test_small_batches_report_progress(neo4j_store: Neo4jStore, store: EmbeddedStore) -> None:
    small = same_server(neo4j_store, batch_size=3)
    calls: list[tuple[str, int, int]] = []
    try:
        small.load(read_dataset(TINY), lambda stage, done, total: calls.append((stage, done, total)))
    finally:
        small.close()
    store.load(read_dataset(TINY))
    assert doc(neo4j_store) == doc(store)
    assert calls[0] == ("write", 0, 57) and calls[-1] == ("write", 57, 57)
    assert len(calls) > 20
    assert [c[1] for c in calls] == sorted(c[1] for c in calls)


@pytest.mark.neo4j
def test_bolt_and_neo4j_uris_both_work(neo4j_store: Neo4jStore) -> None:
    neo4j_store.load(read_dataset(TINY))
    scheme, rest = neo4j_store.uri.split("://", 1)
    for other in ("bolt", "neo4j"):
        st = same_server(neo4j_store, uri=f"{other}://{rest}")
        try:
            assert st.stats() == neo4j_store.stats()
            assert st.describe().startswith(f"Neo4j {other}://")
        finally:
            st.close()
    assert scheme in ("bolt", "neo4j")


@pytest.mark.neo4j
def test_run_read_returns_plain_python(neo4j_store: Neo4jStore) -> None:
    neo4j_store.load(read_dataset(TINY))
    cols, rows, truncated = neo4j_store.run_read(
        "MATCH p = (s:JourneyStep {id: 'dodsfall-registreras'})-[r:NEXT]->(t) "
        "RETURN s, r, p, t.order AS n, 1.5 AS f, {a: [1, 2]} AS m, date('2024-01-02') AS d", {})
    assert cols == ["s", "r", "p", "n", "f", "m", "d"] and not truncated
    row = rows[0]
    assert row["s"]["label"] == "JourneyStep" and row["s"]["id"] == "dodsfall-registreras"
    assert row["s"]["datasets"] == ["tiny"]
    assert row["r"]["type"] == "NEXT" and row["r"]["end"]["id"] == "bestall-intyg"
    assert [n["id"] for n in row["p"]["nodes"]] == ["dodsfall-registreras", "bestall-intyg"]
    assert row["n"] == 2 and row["f"] == 1.5 and row["m"] == {"a": [1, 2]}
    assert row["d"] == "2024-01-02"
    json.dumps(rows)  # nothing driver-specific is left


@pytest.mark.neo4j
def test_run_read_stops_at_its_timeout(neo4j_store: Neo4jStore) -> None:
    neo4j_store.load(read_dataset(TINY))
    # 19^6 rows that must each be looked at (a bare count(*) would come from the counts)
    cartesian = ("MATCH (a), (b), (c), (d), (e), (f) "
                 "WHERE a.id + b.id + c.id <> d.id + e.id + f.id RETURN count(*)")
    with pytest.raises(QueryFailed, match=r"timed out after 0\.5 s"):
        neo4j_store.run_read(cartesian, {}, timeout=0.5)


@pytest.mark.parametrize("uri", ["bolt://127.0.0.1:1", "neo4j://127.0.0.1:1"])
def test_unreachable_server_names_uri_and_how_to_start(uri: str) -> None:
    st = Neo4jStore(uri=uri, password=PASSWORD_SENTINEL, connection_timeout=2.0)
    with pytest.raises(BackendUnavailable) as info:
        st.stats()
    text = str(info.value)
    assert uri in text and "make neo4j-up" in text and "insikt neo4j start" in text
    assert "NEO4J_URI" in text and PASSWORD_SENTINEL not in text


def test_from_env_connects_and_reports_a_bad_uri(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:1")
    monkeypatch.setenv("NEO4J_PASSWORD", PASSWORD_SENTINEL)
    reset_settings()
    with pytest.raises(BackendUnavailable, match=re.escape("bolt://127.0.0.1:1")):
        Neo4jStore.from_env()
    monkeypatch.setenv("NEO4J_URI", "http://127.0.0.1:7474")
    reset_settings()
    with pytest.raises(SettingError, match="not a valid Neo4j URI: the scheme must be"):
        Neo4jStore.from_env()
