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

from .changes import DEFAULT_PRECEDENCE, ChangeSet, Merged, entries_of, merge_entries
from .errors import StoreError
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
    changes: ChangeSet | None = None
    """What the load changed, entry by entry (graph.changes); None for unloads."""


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
             check: LoadCheck | None = None, *, by: str | None = None) -> LoadResult:
        """Make `data` the dataset's content (idempotent), in one transaction that runs
        `check` first (see `LoadCheck`) and writes only what changed (graph.changes); every
        load adds a version to the history, naming `by` (default: the OS user)."""
        ...

    def unload(self, dataset_id: str, *, by: str | None = None) -> LoadResult:
        """Remove what the dataset defines; keep what other datasets define too."""
        ...

    def changes(self, data: GraphData) -> ChangeSet:
        """What loading `data` would add, remove and change, entry by entry; writes nothing."""
        ...

    def node_entries(self, label: str, node_id: str) -> list[tuple[str, str, dict[str, Any]]]:
        """Each dataset's own properties of a node: (dataset, precedence, props)."""
        ...

    def load_versions(self, dataset_id: str | None = None) -> list[dict[str, Any]]:
        """The history: one row per load or unload (hash, time, who, counts, diff summary)."""
        ...

    def last_diff(self, dataset_id: str) -> list[dict[str, Any]]:
        """The entry changes of the dataset's latest load (graph.changes.Change.as_dict)."""
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


OWN_ATTR = "_insikt_entries"
"""Graph attribute of a networkx graph built by `apply_graph_data`: every dataset's own
properties per node and relationship, and each dataset's precedence, so that the reference
algorithm can merge by precedence as the stores do (the stores keep these in their tables)."""


def _own(g: nx.MultiDiGraph) -> dict[str, Any]:
    book: dict[str, Any] = g.graph.setdefault(OWN_ATTR, {"nodes": {}, "rels": {},
                                                         "precedence": {}})
    return book


def _effective(own: dict[str, dict[str, Any]], precedence: dict[str, str]) -> Merged:
    return merge_entries((ds, precedence.get(ds, DEFAULT_PRECEDENCE), props)
                         for ds, props in own.items())


def remove_dataset(g: nx.MultiDiGraph, dataset_id: str) -> tuple[int, int]:
    """Take a dataset off every node and edge; drop what no dataset defines any more, and
    recompute the effective properties of what others still define."""
    book = _own(g)
    edges_before = g.number_of_edges()
    dead_edges = []
    for u, v, k, attrs in list(g.edges(keys=True, data=True)):
        if dataset_id in attrs["datasets"]:
            datasets = [d for d in attrs["datasets"] if d != dataset_id]
            own = book["rels"].get((k, u, v), {})
            own.pop(dataset_id, None)
            if not datasets:
                dead_edges.append((u, v, k))
                book["rels"].pop((k, u, v), None)
            else:
                _set_attrs(attrs, {"type": k, "datasets": datasets},
                           _effective(own, book["precedence"]).props)
    g.remove_edges_from(dead_edges)
    dead_nodes = []
    for n, attrs in list(g.nodes(data=True)):
        if dataset_id in attrs["datasets"]:
            datasets = [d for d in attrs["datasets"] if d != dataset_id]
            own = book["nodes"].get(n, {})
            own.pop(dataset_id, None)
            if not datasets:
                dead_nodes.append(n)
                book["nodes"].pop(n, None)
            else:
                _set_attrs(attrs, {"label": attrs["label"], "id": attrs["id"],
                                   "datasets": datasets},
                           _effective(own, book["precedence"]).props)
    for n in dead_nodes:
        for u, v, k in [*g.in_edges(n, keys=True), *g.out_edges(n, keys=True)]:
            book["rels"].pop((k, u, v), None)
    g.remove_nodes_from(dead_nodes)
    book["precedence"].pop(dataset_id, None)
    return len(dead_nodes), edges_before - g.number_of_edges()


def _set_attrs(attrs: dict[str, Any], head: dict[str, Any], props: dict[str, Any]) -> None:
    attrs.clear()
    attrs.update(head)
    attrs.update(props)


def apply_graph_data(g: nx.MultiDiGraph, data: GraphData) -> tuple[int, int]:
    """The reference load algorithm, the one both stores implement incrementally: the
    dataset's entries replace its previous ones, and every node or relationship it touches
    gets the merge of all its datasets' entries by precedence (graph.changes.merge_entries).
    Returns the (nodes, relationships) that disappeared."""
    ds_id = data.dataset.id
    book = _own(g)
    new = entries_of(data)
    old_nodes = [n for n, a in g.nodes(data=True) if ds_id in a["datasets"]]
    old_rels = [(u, v, k) for u, v, k, a in g.edges(keys=True, data=True)
                if ds_id in a["datasets"]]
    precedence_changed = book["precedence"].get(ds_id) not in (None, data.dataset.precedence)
    book["precedence"][ds_id] = data.dataset.precedence
    gone_nodes, gone_rels = [], []
    for n in old_nodes:
        if n not in new.nodes:
            gone_nodes.append(n)
    for u, v, k in old_rels:
        if (k, u, v) not in new.rels:
            gone_rels.append((u, v, k))
    removed = 0
    touched_nodes = set(new.nodes) | set(gone_nodes)
    if precedence_changed:
        touched_nodes |= set(old_nodes)
    for key in sorted(touched_nodes):
        own = book["nodes"].setdefault(key, {})
        if key in new.nodes:
            own[ds_id] = dict(new.nodes[key])
        else:
            own.pop(ds_id, None)
        if key not in g:
            label, node_id = key.split(":", 1)
            g.add_node(key, label=label, id=node_id, datasets=[])
        attrs = g.nodes[key]
        datasets = sorted(own)
        _set_attrs(attrs, {"label": attrs["label"], "id": attrs["id"], "datasets": datasets},
                   _effective(own, book["precedence"]).props)
    dead_nodes = [n for n in gone_nodes if not book["nodes"].get(n)]
    for u, v, k in gone_rels:
        own = book["rels"].get((k, u, v), {})
        own.pop(ds_id, None)
        if not own:
            g.remove_edge(u, v, key=k)
            book["rels"].pop((k, u, v), None)
            removed += 1
        else:
            _set_attrs(g.edges[u, v, k], {"type": k, "datasets": sorted(own)},
                       _effective(own, book["precedence"]).props)
    for n in dead_nodes:
        for u, v, k in [*g.in_edges(n, keys=True), *g.out_edges(n, keys=True)]:
            book["rels"].pop((k, u, v), None)
            removed += 1
        g.remove_node(n)
        book["nodes"].pop(n, None)
    for (k, u, v), props in new.rels.items():
        if u not in g or v not in g:
            raise StoreError(f"dataset '{ds_id}': a relationship refers to a node that does "
                             f"not exist ({k} from {u} to {v})")
        own = book["rels"].setdefault((k, u, v), {})
        own[ds_id] = dict(props)
        if not g.has_edge(u, v, key=k):
            g.add_edge(u, v, key=k)
        _set_attrs(g.edges[u, v, k], {"type": k, "datasets": sorted(own)},
                   _effective(own, book["precedence"]).props)
    if precedence_changed:
        for u, v, k in old_rels:
            if g.has_edge(u, v, key=k) and (k, u, v) not in new.rels:
                own = book["rels"].get((k, u, v), {})
                _set_attrs(g.edges[u, v, k], {"type": k, "datasets": sorted(own)},
                           _effective(own, book["precedence"]).props)
    return len(dead_nodes), removed
