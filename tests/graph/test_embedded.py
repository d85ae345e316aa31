"""The SQLite embedded store: same graph as the networkx algorithm, clear errors on foreign or
damaged files, migration of the old JSON store, locking, and no writes on read-only paths."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path

import networkx as nx
import pytest

from graph.embedded import SCHEMA_VERSION, WAITING, EmbeddedStore
from graph.errors import BadStoreFile, NotFound, StoreError, ValidationFailed
from graph.export import export_graph
from graph.store import apply_graph_data, remove_dataset
from loaders.dataset import read_dataset
from loaders.load import load_dataset
from tests.conftest import BROKEN, SEED, TINY
from tests.storekit import exact_dump, legacy_document, state, tiny_variant


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


def test_store_file_is_sqlite_with_tables(store: EmbeddedStore, store_path: Path) -> None:
    load_dataset(store, TINY)
    assert store_path.read_bytes()[:16] == b"SQLite format 3\x00"
    conn = sqlite3.connect(store_path)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")}
    assert {"nodes", "node_datasets", "rels", "rel_datasets", "datasets", "load_versions",
            "meta"} <= tables
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("SELECT count(*) FROM nodes").fetchone()[0] == 19
    conn.close()


def test_semantics_equal_the_networkx_algorithm(store: EmbeddedStore, tmp_path: Path) -> None:
    """Loads, reloads of an edited dataset and unloads give exactly the graph (order of nodes,
    edges and attributes included) that graph.store's algorithm gives read back from the old
    JSON store."""
    a, b = tiny_variant(tmp_path, 1), tiny_variant(tmp_path, 2)
    edited = tiny_variant(tmp_path / "edited", 1, version="2")
    agencies = edited / "agencies.yaml"
    agencies.write_text(agencies.read_text(encoding="utf-8").replace(
        "name_en: Swedish Tax Agency", "name_en: Tax Agency\n  kind: statlig"), encoding="utf-8")
    insights = edited / "insights.yaml"
    text = insights.read_text(encoding="utf-8")
    insights.write_text(text[:text.index("- id: gammal-insikt")], encoding="utf-8")
    steps: list[tuple[str, Path | str]] = [
        ("load", TINY), ("load", a), ("load", b), ("load", edited), ("unload", "tiny"),
        ("load", TINY), ("load", TINY), ("unload", "tiny-2"), ("load", SEED)]
    reference = nx.MultiDiGraph()
    for action, arg in steps:
        if action == "load":
            data = read_dataset(arg)
            store.load(data)
            apply_graph_data(reference, read_dataset(arg))
        else:
            store.unload(str(arg))
            remove_dataset(reference, str(arg))
        # the old store wrote the graph as JSON and read it back sorted: compare with that
        doc = json.loads(json.dumps(legacy_document(reference, {})))
        back = nx.MultiDiGraph()
        for n in doc["nodes"]:
            back.add_node(n["key"], **n["attrs"])
        for e in doc["edges"]:
            back.add_edge(e["start"], e["end"], key=e["type"], **e["attrs"])
        assert exact_dump(store.to_networkx()) == exact_dump(back), (action, arg)
        assert exact_dump(EmbeddedStore(store.path).to_networkx()) == exact_dump(back)


def test_graph_is_cached_until_any_process_writes(store: EmbeddedStore, store_path: Path) -> None:
    load_dataset(store, TINY)
    first = store.to_networkx()
    assert store.to_networkx() is first
    version = store.data_version()
    other = EmbeddedStore(store_path)  # another "process": its own connection
    other.unload("tiny")
    assert store.data_version() == version + 1
    assert store.to_networkx() is not first and store.to_networkx().number_of_nodes() == 0


def test_load_versions_record_hash_user_and_counts(store: EmbeddedStore, tiny_copy: Path) -> None:
    load_dataset(store, TINY)
    load_dataset(store, TINY)
    principles = tiny_copy / "principles.yaml"
    principles.write_text(principles.read_text(encoding="utf-8").replace(
        "name_en: Once only", "name_en: Once-only principle"), encoding="utf-8")
    load_dataset(store, tiny_copy)
    store.unload("tiny")
    rows = store.load_versions("tiny")
    assert [r["action"] for r in rows] == ["load", "load", "load", "unload"]
    assert rows[0]["content_hash"] == rows[1]["content_hash"] != rows[2]["content_hash"]
    assert rows[0]["nodes"] == 19 and rows[0]["labels"]["Agency"] == 4 and rows[0]["by"]
    # a reload writes only what changed: nothing, then the one principle's field
    assert rows[1]["removed_nodes"] == 0 and rows[3]["removed_nodes"] == 19
    assert rows[1]["summary"] == dict.fromkeys(rows[1]["summary"], 0)
    assert rows[2]["summary"]["changed_nodes"] == 1 and sum(rows[2]["summary"].values()) == 1
    assert store.last_diff("tiny") == [{"kind": "node", "action": "changed",
                                        "key": "Principle:en-gang",
                                        "fields": ["name_en", "search_text"]}]
    conn = sqlite3.connect(store.path)
    own = conn.execute("SELECT count(DISTINCT hash) FROM node_datasets").fetchone()[0]
    assert own == 0  # unloaded: no per-dataset records are left
    conn.close()


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


# -- read-only paths never touch the file -------------------------------------------------------

def test_reading_a_missing_store_creates_nothing(store_path: Path) -> None:
    st = EmbeddedStore(store_path)
    assert st.datasets() == [] and st.stats().node_total == 0
    assert st.to_networkx().number_of_nodes() == 0 and st.agencies_by_org_nr() == {}
    st.close()
    assert not store_path.exists() and not store_path.parent.exists()


def test_reads_and_refused_loads_leave_the_file_byte_identical(store_path: Path) -> None:
    writer = EmbeddedStore(store_path)
    load_dataset(writer, TINY)
    load_dataset(writer, SEED)
    before, mtime = store_path.read_bytes(), store_path.stat().st_mtime_ns
    reader = EmbeddedStore(store_path)
    reader.stats()
    reader.datasets()
    reader.to_networkx()
    with pytest.raises(ValidationFailed):
        load_dataset(reader, BROKEN)
    reader.close()
    writer.close()
    assert store_path.read_bytes() == before and store_path.stat().st_mtime_ns == mtime
    assert not Path(f"{store_path}-wal").exists()


def test_refused_org_nr_load_rolls_back(store: EmbeddedStore, store_path: Path,
                                        tmp_path: Path) -> None:
    """A check that refuses inside the write transaction leaves the database as it was."""
    load_dataset(store, TINY)
    before = state(store)
    version = store.data_version()

    def refuse(known: object) -> None:
        raise ValidationFailed([], "test")

    with pytest.raises(ValidationFailed):
        store.load(read_dataset(tiny_variant(tmp_path, 3)), check=refuse)
    assert state(EmbeddedStore(store_path)) == before and store.data_version() == version


def test_dangling_relationship_is_refused_and_nothing_written(store: EmbeddedStore) -> None:
    from graph.model import GraphData, Label, Rel, RelRecord

    load_dataset(store, TINY)
    before = state(store)
    data = read_dataset(TINY)
    bad = GraphData(data.dataset, data.nodes, [*data.relationships, RelRecord(
        Rel.REPORTS, Label.AGENCY, "nobody", Label.INSIGHT, "kurir")])
    with pytest.raises(StoreError, match="refer to nodes that do not exist"):
        store.load(bad)
    assert state(store) == before


# -- foreign, damaged and old files --------------------------------------------------------------

@pytest.mark.parametrize(("content", "message"), [
    (b"{not json", "cannot be read as the old JSON store"),
    (b'{"format": "something-else", "nodes": []}', "a JSON file of another kind"),
    (b'{"format": "insiktsgrafen-store", "version": 1, "nodes": [{"key": 1}], "edges": []}',
     "node 1 is malformed"),
    (b'{"format": "insiktsgrafen-store", "version": 1, "nodes": [], '
     b'"edges": [{"start": "a", "end": "b", "type": "T", "attrs": {"datasets": []}}]}',
     "relationship 1 is malformed"),
    (b'{"format": "insiktsgrafen-store", "version": 7, "nodes": [], "edges": []}',
     "unknown version 7"),
    (b"\x00\xff garbage \x89PNG" * 50, "neither an SQLite database nor the old JSON store"),
    (b"SQLite format 3\x00" + b"\x00" * 200, "damaged"),
])
def test_foreign_or_broken_file_gives_clear_error(store_path: Path, content: bytes,
                                                  message: str) -> None:
    store_path.parent.mkdir(parents=True)
    store_path.write_bytes(content)
    with pytest.raises(BadStoreFile, match=message) as info:
        EmbeddedStore(store_path)
    assert str(store_path) in str(info.value) and info.value.exit_code == 2
    assert store_path.read_bytes() == content


def test_truncated_store_is_reported(store_path: Path) -> None:
    st = EmbeddedStore(store_path)
    load_dataset(st, SEED)
    st.close()
    data = store_path.read_bytes()
    for keep in (len(data) // 2, len(data) - 4096, 100):
        store_path.write_bytes(data[:keep])
        with pytest.raises(BadStoreFile, match="damaged") as info:
            opened = EmbeddedStore(store_path)
            opened.to_networkx()
        assert str(store_path) in str(info.value)


def test_sqlite_file_of_another_program_is_refused(store_path: Path) -> None:
    store_path.parent.mkdir(parents=True)
    conn = sqlite3.connect(store_path)
    conn.execute("CREATE TABLE customers (id INTEGER)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="SQLite database of another program"):
        EmbeddedStore(store_path)


def test_other_schema_version_is_refused(store: EmbeddedStore, store_path: Path) -> None:
    load_dataset(store, TINY)
    store.close()
    conn = sqlite3.connect(store_path)
    conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),))
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match=f"schema version {SCHEMA_VERSION + 1}"):
        EmbeddedStore(store_path)


def test_a_folder_as_store_is_refused(store_path: Path) -> None:
    store_path.mkdir(parents=True)
    with pytest.raises(StoreError, match="not a regular file"):
        EmbeddedStore(store_path)


def _old_store(folder: Path) -> tuple[Path, nx.MultiDiGraph, dict[str, dict[str, object]]]:
    g = nx.MultiDiGraph()
    apply_graph_data(g, read_dataset(TINY))
    apply_graph_data(g, read_dataset(SEED))
    meta = {"tiny": {"id": "tiny", "title": "Liten testgraf", "description": "", "version": "1",
                     "path": str(TINY), "loaded_at": "2026-01-01T00:00:00+00:00", "nodes": 19,
                     "relationships": 30, "labels": {"Agency": 4}},
            "seed": {"id": "seed", "title": "Seed", "description": "", "version": "",
                     "path": str(SEED), "loaded_at": "2026-01-02T00:00:00+00:00", "nodes": 1,
                     "relationships": 2, "labels": {}}}
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "graph.json"
    path.write_text(json.dumps(legacy_document(g, meta), ensure_ascii=False), encoding="utf-8")
    return path, g, meta


def test_old_json_store_next_to_the_new_one_is_migrated_once(tmp_path: Path) -> None:
    legacy, _, _ = _old_store(tmp_path / ".insikt")
    messages: list[str] = []
    st = EmbeddedStore(tmp_path / ".insikt" / "graph.db", notify=messages.append)
    (msg,) = messages
    assert "migrated the old JSON store" in msg and "graph.json.bak" in msg
    assert not legacy.exists() and (tmp_path / ".insikt" / "graph.json.bak").exists()
    doc = json.loads((tmp_path / ".insikt" / "graph.json.bak").read_text(encoding="utf-8"))
    back = nx.MultiDiGraph()
    for n in doc["nodes"]:
        back.add_node(n["key"], **n["attrs"])
    for e in doc["edges"]:
        back.add_edge(e["start"], e["end"], key=e["type"], **e["attrs"])
    assert exact_dump(st.to_networkx()) == exact_dump(back)
    assert [(d.id, d.loaded_at, d.nodes) for d in st.datasets()] == [
        ("seed", "2026-01-02T00:00:00+00:00", 1), ("tiny", "2026-01-01T00:00:00+00:00", 19)]
    assert [r["action"] for r in st.load_versions()] == ["migrate", "migrate"]
    again: list[str] = []
    EmbeddedStore(tmp_path / ".insikt" / "graph.db", notify=again.append)
    assert again == []
    # after the migration the store works as usual
    st.unload("seed")
    assert st.datasets()[0].id == "tiny"


def test_old_json_store_at_the_configured_path_is_migrated_in_place(tmp_path: Path) -> None:
    legacy, g, _ = _old_store(tmp_path)
    st = EmbeddedStore(legacy)
    assert legacy.read_bytes()[:16] == b"SQLite format 3\x00"
    assert (tmp_path / "graph.json.bak").exists()
    assert st.stats().node_total == g.number_of_nodes()


def test_orphan_temp_files_of_the_old_store_are_removed(store_path: Path) -> None:
    store_path.parent.mkdir(parents=True)
    orphans = [store_path.parent / f".graph-{i}abc.tmp" for i in range(3)]
    for p in orphans:
        p.write_bytes(b"x" * 1000)
    keep = store_path.parent / "graph-notes.tmp"
    keep.write_text("mine", encoding="utf-8")
    messages: list[str] = []
    EmbeddedStore(store_path, notify=messages.append)
    assert not any(p.exists() for p in orphans) and keep.exists()
    assert messages and "3 orphan temp files" in messages[0]


# -- the write lock -----------------------------------------------------------------------------

def test_second_writer_waits_with_a_message_then_loads(store_path: Path) -> None:
    load_dataset(EmbeddedStore(store_path), TINY)
    holder = sqlite3.connect(store_path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    threading.Timer(0.5, lambda: holder.execute("COMMIT")).start()
    messages: list[str] = []
    st = EmbeddedStore(store_path, busy_timeout=10, notify=messages.append)
    started = time.perf_counter()
    load_dataset(st, SEED)
    assert messages == [WAITING] and time.perf_counter() - started >= 0.4
    assert {d.id for d in st.datasets()} == {"tiny", "seed"}
    holder.close()


def test_writer_gives_up_after_the_busy_timeout(store_path: Path) -> None:
    load_dataset(EmbeddedStore(store_path), TINY)
    before = state(EmbeddedStore(store_path))
    holder = sqlite3.connect(store_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        st = EmbeddedStore(store_path, busy_timeout=0.3)
        with pytest.raises(StoreError, match=r"another load has held it for more than 0\.3 s"):
            load_dataset(st, SEED)
        # readers are not blocked by the writer
        assert state(st) == before
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_busy_timeout_comes_from_settings(store_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from graph.settings import reset_settings

    monkeypatch.setenv("INSIKT_STORE_BUSY_TIMEOUT", "2.5")
    reset_settings()
    try:
        assert EmbeddedStore(store_path).busy_timeout == 2.5
    finally:
        monkeypatch.delenv("INSIKT_STORE_BUSY_TIMEOUT")
        reset_settings()


def test_counts_come_from_sql_without_building_the_graph(store: EmbeddedStore,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    load_dataset(store, TINY)
    load_dataset(store, SEED)
    expected_labels = dict(sorted(
        (lbl, n) for lbl, n in _count(store.to_networkx(), "label").items()))
    expected_rels = dict(sorted(_count_edges(store.to_networkx()).items()))

    def no_graph(*_: object) -> nx.MultiDiGraph:
        raise AssertionError("stats and datasets must not build the graph")

    monkeypatch.setattr("graph.embedded._build_graph", no_graph)
    fresh = EmbeddedStore(store.path)
    assert fresh.stats().labels == expected_labels
    assert fresh.stats().relationships == expected_rels
    assert [d.id for d in fresh.datasets()] == ["seed", "tiny"]


def _count(g: nx.MultiDiGraph, attr: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for _, a in g.nodes(data=True):
        out[a[attr]] = out.get(a[attr], 0) + 1
    return out


def _count_edges(g: nx.MultiDiGraph) -> dict[str, int]:
    out: dict[str, int] = {}
    for _, _, k in g.edges(keys=True):
        out[k] = out.get(k, 0) + 1
    return out


def test_a_damaged_row_is_a_clear_error_and_changes_nothing(store: EmbeddedStore,
                                                            store_path: Path,
                                                            tmp_path: Path) -> None:
    load_dataset(store, TINY)
    store.close()
    conn = sqlite3.connect(store_path)
    conn.execute("UPDATE nodes SET props = '{broken' WHERE key = 'Agency:skatteverket'")
    conn.commit()
    conn.close()
    before = store_path.read_bytes()
    st = EmbeddedStore(store_path)
    assert st.stats().labels["Agency"] == 4  # counts do not read the properties
    with pytest.raises(BadStoreFile, match=r"damaged|not JSON"):
        st.to_networkx()
    st.close()
    assert store_path.read_bytes() == before
    st = EmbeddedStore(store_path)
    # a load that touches the node rebuilds its effective properties from the datasets' own
    # entries (node_datasets), which are intact: it repairs it
    st.load(read_dataset(tiny_variant(tmp_path, 5)))
    assert st.to_networkx().nodes["Agency:skatteverket"]["name"] == "Skatteverket"
    st.close()
    conn = sqlite3.connect(store_path)
    conn.execute("UPDATE node_datasets SET props = '{broken' WHERE node = 'Agency:skatteverket' "
                 "AND dataset = 'tiny'")
    conn.commit()
    conn.close()
    before = store_path.read_bytes()
    st = EmbeddedStore(store_path)
    with pytest.raises(BadStoreFile, match="not JSON"):  # merges the damaged entry
        st.load(read_dataset(tiny_variant(tmp_path, 6)))
    st.close()
    assert store_path.read_bytes() == before
