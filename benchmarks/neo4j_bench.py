"""The Neo4j side of the benchmark: emptying the database, the two load references (a per-row
baseline and a raw `UNWIND … CREATE` ceiling), stopping a transaction that ran past its
budget, and what the server is (version, heap, limits, peak memory).

The references write the same records as `store.load` (one dataset's `GraphData`), with the
constraints and indexes the store creates, so that the ratios compare only the write path:
* per-row baseline: the store's own MERGE statement (`graph.cypher.merge_nodes/merge_rels`)
  with one row per transaction, on a slice, extrapolated to the whole dataset;
* raw ceiling: plain CREATE in batches of the store's batch size, committed every
  CEILING_TX records (no MERGE, no dataset tags, no checks), into an empty database: as fast
  as Cypher writes go within a bounded transaction.
This Cypher belongs to the benchmark, not the product, so it lives here, not in graph/cypher.
"""

from __future__ import annotations

import contextlib
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from graph import cypher
from graph.model import GraphData, NodeRecord, RelRecord
from graph.neo4j_store import Neo4jStore
from graph.settings import current_settings

WIPE_RELS = "MATCH ()-[r]->() CALL { WITH r DELETE r } IN TRANSACTIONS OF 20000 ROWS"
WIPE_NODES = "MATCH (n) CALL { WITH n DELETE n } IN TRANSACTIONS OF 20000 ROWS"
COUNT_NODES = "MATCH (n) RETURN count(n) AS c"
OTHER_TRANSACTIONS = ("SHOW TRANSACTIONS YIELD transactionId AS id, currentQuery AS q "
                      "WHERE NOT q STARTS WITH 'SHOW TRANSACTIONS' RETURN id")
TERMINATE = "TERMINATE TRANSACTIONS $ids"
SETTINGS = ("SHOW SETTINGS YIELD name, value WHERE name IN ['db.transaction.timeout', "
            "'db.memory.transaction.max', 'dbms.memory.transaction.total.max', "
            "'server.memory.pagecache.size'] RETURN name, value")
VERSION = "CALL dbms.components() YIELD versions, edition RETURN versions[0] AS v, edition AS e"
SLICE = 300
"""Records of each kind written one per transaction for the per-row baseline."""
CEILING_TX = 20_000
"""Records per transaction of the raw ceiling (well under the 256 MiB transaction memory
limit of the local launcher for plain CREATE)."""


def create_nodes(label: str) -> str:
    return (f"UNWIND $rows AS row CREATE (n:{cypher.quoted(label)}) "
            "SET n = row.props, n.id = row.id")


def create_rels(rel_type: str, start: str, end: str) -> str:
    return (f"UNWIND $rows AS row MATCH (a:{cypher.quoted(start)} {{id: row.start}}) "
            f"MATCH (b:{cypher.quoted(end)} {{id: row.end}}) "
            f"CREATE (a)-[r:{cypher.quoted(rel_type)}]->(b) SET r = row.props")


def _batches(items: list[Any], size: int) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def node_groups(data: GraphData) -> dict[str, list[NodeRecord]]:
    out: dict[str, list[NodeRecord]] = {}
    for n in data.nodes:
        out.setdefault(n.label.value, []).append(n)
    return out


def rel_groups(data: GraphData) -> dict[tuple[str, str, str], list[RelRecord]]:
    out: dict[tuple[str, str, str], list[RelRecord]] = {}
    for r in data.relationships:
        out.setdefault((r.type.value, r.start_label.value, r.end_label.value), []).append(r)
    return out


def _node_row(n: NodeRecord) -> dict[str, Any]:
    return {"id": n.id, "props": n.props}


def _rel_row(r: RelRecord) -> dict[str, Any]:
    return {"start": r.start_id, "end": r.end_id, "props": r.props}


def wipe(st: Neo4jStore) -> None:
    """Delete every node and relationship in batches (constraints and indexes stay)."""
    with st.driver.session(database=st.database) as s:
        s.run(WIPE_RELS).consume()
        s.run(WIPE_NODES).consume()


def node_count(st: Neo4jStore) -> int:
    with st.driver.session(database=st.database) as s:
        rec = s.run(COUNT_NODES).single()
    return int(rec["c"]) if rec else 0


def raw_ceiling(st: Neo4jStore, data: GraphData) -> None:
    """CREATE every record in batches of the store's batch size, committing every
    CEILING_TX records: one transaction for a small dataset (as few commits as the store),
    bounded memory for a large one. Run it on an empty database."""
    size = st.batch_size
    work: list[tuple[str, list[dict[str, Any]]]] = []
    for label, nodes in node_groups(data).items():
        work += [(create_nodes(label), [_node_row(n) for n in b]) for b in _batches(nodes, size)]
    for (rel_type, start, end), rels in rel_groups(data).items():
        work += [(create_rels(rel_type, start, end), [_rel_row(r) for r in b])
                 for b in _batches(rels, size)]
    per_tx = max(1, CEILING_TX // size)
    with st.driver.session(database=st.database) as s:
        for i in range(0, len(work), per_tx):
            s.execute_write(_create_all, work[i:i + per_tx])


def _create_all(tx: Any, work: list[tuple[str, list[dict[str, Any]]]]) -> None:
    for statement, rows in work:
        tx.run(statement, rows=rows).consume()


def chunked_load(st: Neo4jStore, data: GraphData) -> None:
    """The store's own statements (MERGE with dataset tags, then the dataset's metadata
    node), but each batch in a transaction of its own: a fallback that lets the benchmark
    measure queries at a scale where the store's one-transaction load is refused."""
    import json

    from graph.embedded import now_iso

    ds = data.dataset
    size = st.batch_size
    with st.driver.session(database=st.database) as s:
        for label, nodes in node_groups(data).items():
            for batch in _batches(nodes, size):
                s.execute_write(_run_rows, cypher.merge_nodes(label),
                                [_node_row(n) for n in batch], ds.id)
        for (rel_type, start, end), rels in rel_groups(data).items():
            for rb in _batches(rels, size):
                s.execute_write(_run_rows, cypher.merge_rels(rel_type, start, end),
                                [_rel_row(r) for r in rb], ds.id)
        meta = {"id": ds.id, "title": ds.title, "description": ds.description,
                "version": ds.version, "path": ds.path, "loaded_at": now_iso(),
                "nodes": len(data.nodes), "relationships": len(data.relationships),
                "labels": json.dumps(data.label_counts(), ensure_ascii=False)}
        s.execute_write(lambda tx: tx.run(cypher.MERGE_DATASET, id=ds.id, meta=meta).consume())


def _run_rows(tx: Any, statement: str, rows: list[dict[str, Any]], ds: str) -> None:
    tx.run(statement, rows=rows, ds=ds).consume()


def _spread(items: list[Any], k: int) -> list[Any]:
    """`k` items spread over the list (every n-th), so that every type is in the slice."""
    if len(items) <= k:
        return list(items)
    step = len(items) / k
    return [items[int(i * step)] for i in range(k)]


def per_row_baseline(st: Neo4jStore, data: GraphData, k: int = SLICE) -> tuple[float, str]:
    """Seconds that one MERGE per transaction would take for the whole dataset: `k` nodes
    and `k` relationships timed, the rest of the nodes created in bulk (untimed) in
    between so that the relationships find their ends. Run on an empty database."""
    nodes = _spread(data.nodes, k)
    rels = _spread(data.relationships, k)
    ds = data.dataset.id
    with st.driver.session(database=st.database) as s:
        t0 = time.perf_counter()
        for n in nodes:
            s.execute_write(_run_rows, cypher.merge_nodes(n.label.value), [_node_row(n)], ds)
        per_node = (time.perf_counter() - t0) / max(len(nodes), 1)
        picked = {id(n) for n in nodes}
        rest = GraphData(data.dataset, [n for n in data.nodes if id(n) not in picked], [])
        raw_ceiling(st, rest)
        t0 = time.perf_counter()
        for r in rels:
            s.execute_write(_run_rows, cypher.merge_rels(r.type.value, r.start_label.value,
                                                         r.end_label.value), [_rel_row(r)], ds)
        per_rel = (time.perf_counter() - t0) / max(len(rels), 1)
    total = per_node * len(data.nodes) + per_rel * len(data.relationships)
    return total, (f"{len(nodes)} nodes at {per_node * 1000:.2f} ms and {len(rels)} "
                   f"relationships at {per_rel * 1000:.2f} ms each, extrapolated to "
                   f"{len(data.nodes)} + {len(data.relationships)}")


def stop_other_transactions(st: Neo4jStore, wait: float = 120.0) -> None:
    """Terminate every transaction but this one (a load stopped at its budget) and wait
    until the server no longer lists them, so the next measure starts on a quiet server."""
    deadline = time.monotonic() + wait
    with st.driver.session(database=st.database) as s:
        while time.monotonic() < deadline:
            ids = [r["id"] for r in s.run(OTHER_TRANSACTIONS)]
            if not ids:
                return
            s.run(TERMINATE, ids=ids).consume()
            time.sleep(1.0)


def reconnect(st: Neo4jStore | None) -> Neo4jStore:
    """A fresh connection (after a stopped run the old driver may be mid-message)."""
    if st is not None:
        with contextlib.suppress(Exception):  # a broken connection is why we reconnect
            st.close()
    fresh = Neo4jStore.from_env()
    stop_other_transactions(fresh)
    return fresh


# -- the server --------------------------------------------------------------------------------

def server_pid() -> int | None:
    """The local launcher's server process (INSIKT_NEO4J_HOME/neo4j.pid), if it runs here."""
    home = current_settings().neo4j_home
    if home is None:
        return None
    try:
        pid = int((Path(home) / "neo4j.pid").read_text().strip())
        os.kill(pid, 0)
    except (OSError, ValueError):
        return None
    return pid


def _xmx(pid: int) -> str:
    try:
        args = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
    except OSError:
        return "unknown"
    heaps = [a[4:] for a in args if a.startswith("-Xmx")]
    return heaps[-1] if heaps else "JVM default"


def reset_peak_rss(pid: int | None) -> None:
    """Start the server's VmHWM (peak resident memory) afresh (Linux, own processes)."""
    if pid is None:
        return
    with contextlib.suppress(OSError):
        Path(f"/proc/{pid}/clear_refs").write_text("5")


def peak_rss_mb(pid: int | None) -> float | None:
    if pid is None:
        return None
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    m = re.search(r"^VmHWM:\s+(\d+) kB", status, re.M)
    return int(m.group(1)) / 1024 if m else None


def server_info(st: Neo4jStore) -> dict[str, Any]:
    """Version, heap (from the local server's command line), limits and page cache."""
    info: dict[str, Any] = {"uri": st.shown_uri, "batch": st.batch_size}
    with st.driver.session(database=st.database) as s:
        rec = s.run(VERSION).single()
        if rec:
            info["version"] = f"{rec['v']} {rec['e']}"
        info["settings"] = {r["name"]: r["value"] for r in s.run(SETTINGS)}
    pid = server_pid()
    info["pid"] = pid
    info["heap"] = _xmx(pid) if pid is not None else "unknown (not a local launcher server)"
    return info
