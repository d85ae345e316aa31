"""The embedded store: a networkx graph kept in one JSON file (no server, no pickle)."""

from __future__ import annotations

import json
import os
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import networkx as nx

from .errors import NotFound, QueryRefused, StoreError
from .model import GraphData
from .settings import get_settings
from .store import (
    DATASETS_ATTR,
    AnswerableQuery,
    DatasetInfo,
    LoadResult,
    Progress,
    Stats,
    apply_graph_data,
    dataset_versions,
    remove_dataset,
    stats_of,
)

STORE_FORMAT = "insiktsgrafen-store"
STORE_VERSION = 1
DEFAULT_STORE = Path(".insikt") / "graph.json"
NO_CYPHER = (
    "Cypher needs the Neo4j backend, and this is the embedded store: start the local server with "
    "`insikt neo4j start`, load your datasets into it with `insikt --backend neo4j load PATH`, "
    "then use `insikt --backend neo4j cypher ...`; the saved queries run on both backends")


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


class EmbeddedStore:
    """Holds the graph in memory and writes it atomically after every change."""

    backend = "embedded"
    runs_cypher = False
    local = True

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path or get_settings().store or DEFAULT_STORE)
        self.graph = nx.MultiDiGraph()
        self.meta: dict[str, dict[str, Any]] = {}
        if self.path.exists():
            self._read()

    def describe(self) -> str:
        return f"embedded store {self.path}"

    # -- persistence -------------------------------------------------------------------
    def _read(self) -> None:
        try:
            doc = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise StoreError(f"cannot read the store {self.path}: {exc}. Move it away and "
                             "load your datasets again.") from exc
        if doc.get("format") != STORE_FORMAT or doc.get("version") != STORE_VERSION:
            raise StoreError(f"{self.path} is not an Insiktsgrafen store of version "
                             f"{STORE_VERSION}")
        g = nx.MultiDiGraph()
        for n in doc["nodes"]:
            g.add_node(n["key"], **n["attrs"])
        for e in doc["edges"]:
            g.add_edge(e["start"], e["end"], key=e["type"], **e["attrs"])
        self.graph = g
        self.meta = doc.get("datasets", {})

    def _write(self) -> None:
        doc = {
            "format": STORE_FORMAT,
            "version": STORE_VERSION,
            "datasets": self.meta,
            "nodes": [{"key": n, "attrs": a} for n, a in sorted(self.graph.nodes(data=True))],
            "edges": [
                {"start": u, "end": v, "type": k, "attrs": a}
                for u, v, k, a in sorted(self.graph.edges(keys=True, data=True),
                                         key=lambda t: (t[0], t[1], t[2]))
            ],
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".graph-", suffix=".tmp", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(doc, fh, ensure_ascii=False, separators=(",", ":"))
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    # -- the store protocol --------------------------------------------------------------
    def load(self, data: GraphData, progress: Progress | None = None) -> LoadResult:
        started = time.perf_counter()
        total = len(data.nodes) + len(data.relationships)
        if progress:
            progress("write", 0, total)
        removed_nodes, removed_rels = apply_graph_data(self.graph, data)
        ds = data.dataset
        self.meta[ds.id] = {
            "id": ds.id, "title": ds.title, "description": ds.description,
            "version": ds.version, "path": ds.path, "loaded_at": now_iso(),
            "nodes": len(data.nodes), "relationships": len(data.relationships),
            "labels": data.label_counts(),
        }
        self._write()
        if progress:
            progress("write", total, total)
        return LoadResult(ds.id, len(data.nodes), len(data.relationships), removed_nodes,
                          removed_rels, time.perf_counter() - started)

    def unload(self, dataset_id: str) -> LoadResult:
        if dataset_id not in self.meta:
            raise NotFound(f"no dataset '{dataset_id}' is loaded (see 'insikt datasets')")
        started = time.perf_counter()
        removed_nodes, removed_rels = remove_dataset(self.graph, dataset_id)
        del self.meta[dataset_id]
        self._write()
        return LoadResult(dataset_id, 0, 0, removed_nodes, removed_rels,
                          time.perf_counter() - started)

    def datasets(self) -> list[DatasetInfo]:
        return [
            DatasetInfo(id=m["id"], title=m.get("title", ""), version=m.get("version", ""),
                        loaded_at=m.get("loaded_at", ""), path=m.get("path", ""),
                        nodes=m.get("nodes", 0), relationships=m.get("relationships", 0),
                        description=m.get("description", ""), labels=m.get("labels", {}))
            for _, m in sorted(self.meta.items())
        ]

    def stats(self) -> Stats:
        return stats_of(self.graph)

    def to_networkx(self) -> nx.MultiDiGraph:
        self.graph.graph[DATASETS_ATTR] = dataset_versions(self.meta.values())
        return self.graph

    def agencies_by_org_nr(self) -> dict[str, list[tuple[str, list[str]]]]:
        out: dict[str, list[tuple[str, list[str]]]] = {}
        for _, a in self.graph.nodes(data=True):
            if a["label"] == "Agency" and a.get("org_nr"):
                out.setdefault(a["org_nr"], []).append((a["id"], list(a["datasets"])))
        return out

    def explain(self, cypher: str, params: dict[str, Any] | None = None, *,
                timeout: float = 10.0) -> str:
        raise QueryRefused(NO_CYPHER)

    def run_read(self, cypher: str, params: dict[str, Any] | None = None, *,
                 timeout: float = 10.0,
                 row_cap: int | None = None) -> tuple[list[str], list[dict[str, Any]], bool]:
        raise QueryRefused(NO_CYPHER)

    def answer(self, query: AnswerableQuery, params: dict[str, Any], *,
               cypher_params: dict[str, Any] | None = None,
               timeout: float = 30.0) -> list[dict[str, Any]]:
        """Saved queries run their networkx twin here (this store has no Cypher)."""
        return query.embedded(self.to_networkx(), params)

    def close(self) -> None:
        return None
