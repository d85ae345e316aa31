"""What every graph store offers, and the networkx form of the graph they all share.

Both backends hold the same graph. The networkx form is a `MultiDiGraph` whose node keys are
`"Label:id"` with attributes `label`, `id`, `datasets` and the node's own properties, and whose
edges are keyed by relationship type with attributes `type`, `datasets` and properties.
Read it through `graph.walk` (neighbours by type, names, insights, slices), not edge by edge.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import networkx as nx

from .model import GraphData
from .plan import QueryPlan

Progress = Callable[[str, int, int], None]
"""Called as progress(stage, done, total) during long operations."""

OrgNrOwners = dict[str, list[tuple[str, list[str]]]]
"""org nr → [(agency id, datasets)] for every Agency that has one."""

LoadCheck = Callable[[OrgNrOwners], None]
"""Run by `GraphStore.load` inside its write transaction, after the store's write lock is taken,
with the org nrs as they are then; raises (e.g. ValidationFailed) to refuse the load. This is
how cross-dataset rules hold under concurrent loads. It may run more than once (retries)."""

REGISTER_DATASET = "esv-register"
CURATION_DATASET = "curation"
"""The dataset that holds the curators' decisions (`loaders.curation`): Decision nodes, the
SAME_PROBLEM links and status overrides they imply. It is rebuilt after every load."""
DATASETS_ATTR = "datasets"
"""Graph attribute of the networkx form: dataset id → {"title", "version"} of every loaded
dataset, so that provenance (the `evidence` and `provenance` queries) can name the load
version a node came from on any backend."""


def dataset_versions(metas: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """The DATASETS_ATTR value from dataset metadata records: per dataset id its title,
    description, version, path and counts (not `loaded_at`, which differs per load), the same
    on every backend. `labels` may come as a dict or as JSON text (Neo4j stores text)."""
    out: dict[str, dict[str, Any]] = {}
    for m in sorted(metas, key=lambda m: str(m["id"])):
        labels = m.get("labels") or {}
        if isinstance(labels, str):
            try:
                labels = json.loads(labels)
            except json.JSONDecodeError:
                labels = {}
        out[str(m["id"])] = {
            "title": str(m.get("title") or ""), "description": str(m.get("description") or ""),
            "version": str(m.get("version") or ""), "path": str(m.get("path") or ""),
            "nodes": int(m.get("nodes") or 0), "relationships": int(m.get("relationships") or 0),
            "labels": dict(labels)}
    return out


@dataclass(frozen=True)
class DatasetInfo:
    id: str
    title: str
    version: str
    loaded_at: str
    path: str
    nodes: int
    relationships: int
    description: str = ""
    labels: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Stats:
    labels: dict[str, int]
    relationships: dict[str, int]

    @property
    def node_total(self) -> int:
        return sum(self.labels.values())

    @property
    def relationship_total(self) -> int:
        return sum(self.relationships.values())


@dataclass(frozen=True)
class LoadResult:
    dataset: str
    nodes: int
    relationships: int
    removed_nodes: int
    removed_relationships: int
    seconds: float


Row = dict[str, Any]


class AnswerableQuery(Protocol):
    """What a store needs of a saved query to answer it (`queries.types.SavedQuery` has it):
    its Cypher, and its twin over the networkx form. Declared here so that `graph` imports
    nothing from `queries`."""

    @property
    def cypher(self) -> str: ...

    @property
    def embedded(self) -> Callable[[nx.MultiDiGraph, dict[str, Any]], list[Row]]: ...


class GraphStore(Protocol):
    """A place that holds the graph: the embedded SQLite file, or Neo4j.

    Callers ask what a store can do (`runs_cypher`, `local`), never which backend it is.
    """

    backend: str
    """The backend's name, for people and for results (`QueryResult.backend`)."""
    runs_cypher: bool
    """Whether `explain` and `run_read` work (the Cypher console needs them)."""
    local: bool
    """Whether the graph lives in a file on this machine (no server), so the dashboard may
    offer to fill an empty one with the demo data."""

    def describe(self) -> str:
        """Where the graph lives, for people (no secrets)."""
        ...

    def load(self, data: GraphData, progress: Progress | None = None,
             check: LoadCheck | None = None) -> LoadResult:
        """Replace the dataset's content with `data` (idempotent), in one transaction that
        runs `check` first (see `LoadCheck`)."""
        ...

    def unload(self, dataset_id: str) -> LoadResult:
        """Remove what the dataset defines; keep what other datasets define too."""
        ...

    def datasets(self) -> list[DatasetInfo]: ...

    def stats(self) -> Stats: ...

    def to_networkx(self) -> nx.MultiDiGraph:
        """The whole graph in the shared networkx form (see this module's docstring)."""
        ...

    def agencies_by_org_nr(self) -> OrgNrOwners:
        """org nr → [(agency id, datasets)] for every Agency that has one."""
        ...

    def read_part(self, labels: list[str] | None,
                  rel_types: list[str] | None) -> nx.MultiDiGraph:
        """The nodes of `labels` and the relationships of `rel_types` between them (None:
        all), in the networkx form; a store may hand out more (the embedded store, the whole
        graph it holds in memory anyway)."""
        ...

    def explain(self, cypher: str, params: dict[str, Any] | None = None, *,
                timeout: float = 10.0) -> QueryPlan:
        """The server's plan for `cypher` (graph.plan); stores without Cypher refuse."""
        ...

    def run_read(self, cypher: str, params: dict[str, Any] | None = None, *,
                 timeout: float = 10.0, row_cap: int | None = None,
                 max_bytes: int | None = None, max_values: int | None = None,
                 ) -> tuple[list[str], list[dict[str, Any]], bool]:
        """Run read-only Cypher: (columns, rows, truncated); stores without Cypher refuse."""
        ...

    def answer(self, query: AnswerableQuery, params: dict[str, Any], *,
               cypher_params: dict[str, Any] | None = None,
               timeout: float = 30.0) -> list[Row]:
        """The rows of a saved query, the store's own way: its Cypher (with `params` and
        `cypher_params`) where the store runs Cypher, else its networkx twin with `params`."""
        ...

    def refresh_projection(self) -> int:
        """Rebuild the agency–problem projection (graph.projection) after a write; returns its
        number of rows."""
        ...

    def ensure_projection(self) -> None:
        """Rebuild the projection if a write happened since it was made."""
        ...

    def close(self) -> None: ...


def stats_of(g: nx.MultiDiGraph) -> Stats:
    labels: dict[str, int] = {}
    for _, attrs in g.nodes(data=True):
        labels[attrs["label"]] = labels.get(attrs["label"], 0) + 1
    rels: dict[str, int] = {}
    for _, _, attrs in g.edges(data=True):
        rels[attrs["type"]] = rels.get(attrs["type"], 0) + 1
    return Stats(dict(sorted(labels.items())), dict(sorted(rels.items())))


def remove_dataset(g: nx.MultiDiGraph, dataset_id: str) -> tuple[int, int]:
    """Take a dataset off every node and edge; drop what no dataset defines any more."""
    edges_before = g.number_of_edges()
    dead_edges = []
    for u, v, k, attrs in g.edges(keys=True, data=True):
        if dataset_id in attrs["datasets"]:
            attrs["datasets"] = [d for d in attrs["datasets"] if d != dataset_id]
            if not attrs["datasets"]:
                dead_edges.append((u, v, k))
    g.remove_edges_from(dead_edges)
    dead_nodes = []
    for n, attrs in g.nodes(data=True):
        if dataset_id in attrs["datasets"]:
            attrs["datasets"] = [d for d in attrs["datasets"] if d != dataset_id]
            if not attrs["datasets"]:
                dead_nodes.append(n)
    g.remove_nodes_from(dead_nodes)
    return len(dead_nodes), edges_before - g.number_of_edges()


def apply_graph_data(g: nx.MultiDiGraph, data: GraphData) -> tuple[int, int]:
    """Unload the dataset, then merge its records: the same algorithm as the Neo4j store."""
    ds_id = data.dataset.id
    removed = remove_dataset(g, ds_id)
    for node in data.nodes:
        key = node.key
        if key in g:
            attrs = g.nodes[key]
            attrs.update(node.props)
            if ds_id not in attrs["datasets"]:
                attrs["datasets"] = sorted([*attrs["datasets"], ds_id])
        else:
            g.add_node(key, label=node.label.value, id=node.id, datasets=[ds_id], **node.props)
    for rel in data.relationships:
        u, v, k = rel.start_key, rel.end_key, rel.type.value
        if g.has_edge(u, v, key=k):
            attrs = g.edges[u, v, k]
            attrs.update(rel.props)
            if ds_id not in attrs["datasets"]:
                attrs["datasets"] = sorted([*attrs["datasets"], ds_id])
        else:
            g.add_edge(u, v, key=k, type=k, datasets=[ds_id], **rel.props)
    return removed
