"""The part of the graph a network view draws: the neighbourhood of a focus node, or the nodes
a query result names. Node keys and edges only; `dashboard.network_html` draws them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from graph.model import Label, node_key
from graph.walk import life_event_slice

Row = dict[str, Any]

LABEL_ORDER: tuple[str, ...] = ("LifeEvent", "Agency", "Insight", "Principle", "JourneyStep",
                                "Domain", "Source")

@dataclass(frozen=True)
class ViewEdge:
    start: str
    end: str
    type: str
    props: dict[str, Any] = field(default_factory=dict)

@dataclass(frozen=True)
class GraphView:
    """Node keys to draw (closest first) and the edges among them, plus what the cap cut."""

    nodes: list[str]
    edges: list[ViewEdge]
    focus: str | None
    total: int  # nodes before the cap
    cut: dict[str, int] = field(default_factory=dict)  # label → nodes cut by the cap
    cut_from_depth: int | None = None  # the smallest distance at which nodes were cut
    edges_cut: int = 0  # ROW edges left out (a result view draws at most `edge_cap`)

    @property
    def cut_total(self) -> int:
        return self.total - len(self.nodes)

def life_event_scope(g: nx.MultiDiGraph, life_event: str) -> set[str]:
    """The part of the graph that belongs to a life event (by id): see `graph.walk`."""
    return life_event_slice(g, node_key(Label.LIFE_EVENT, life_event))


def node_sort_key(g: nx.MultiDiGraph, n: str) -> tuple[int, str]:
    label = g.nodes[n]["label"]
    rank = LABEL_ORDER.index(label) if label in LABEL_ORDER else len(LABEL_ORDER)
    return rank, str(g.nodes[n]["id"])

def neighbourhood(g: nx.MultiDiGraph, focus: str, depth: int, labels: Iterable[str],
                  life_event: str | None = None, cap: int = 300) -> GraphView:
    """The nodes within `depth` steps of `focus` (edges in either direction), walking only
    through nodes with the chosen labels and, with `life_event`, only through that life event's
    part of the graph. The focus is always shown. At most `cap` nodes, closest first (then by
    label and id), so the cut always drops the farthest."""
    if focus not in g:
        return GraphView([], [], None, 0)
    wanted = set(labels)
    allowed = {n for n, a in g.nodes(data=True) if a["label"] in wanted}
    if life_event:
        allowed &= life_event_scope(g, life_event)
    allowed.add(focus)
    sub = g.subgraph(allowed)
    dist: dict[str, int] = nx.single_source_shortest_path_length(
        sub.to_undirected(as_view=True), focus, cutoff=max(0, depth))
    ordered = sorted(dist, key=lambda n: (dist[n], *node_sort_key(g, n)))
    kept, dropped = ordered[:cap], ordered[cap:]
    cut: dict[str, int] = defaultdict(int)
    for n in dropped:
        cut[g.nodes[n]["label"]] += 1
    keep = set(kept)
    edges = [ViewEdge(u, v, k, {p: d[p] for p in ("year", "role", "status", "order") if p in d})
             for u, v, k, d in sub.edges(keys=True, data=True) if u in keep and v in keep]
    return GraphView(kept, edges, focus, len(ordered), dict(cut),
                     min((dist[n] for n in dropped), default=None))

ROW_EDGE = "ROW"

def result_view(g: nx.MultiDiGraph, rows: Sequence[Row], node_columns: Mapping[str, Label | str],
                cap: int = 300, edge_cap: int = 2000) -> GraphView:
    """The graph of a query result: the nodes its node columns name, the graph's edges among
    them, and a dashed ROW edge between nodes of the same row that no edge joins directly
    (at most `edge_cap` of those, from the first rows: the queries put the most telling first)."""
    seen: dict[str, None] = {}  # the node keys in order of first appearance
    pairs: dict[tuple[str, str], None] = {}
    for r in rows:
        in_row = []
        for col, label in node_columns.items():
            value = r.get(col)
            if value is None:
                continue
            k = node_key(str(label), str(value))
            if k in g:
                in_row.append(k)
                seen.setdefault(k)
        pairs.update(dict.fromkeys((in_row[i], in_row[j]) for i in range(len(in_row))
                                   for j in range(i + 1, len(in_row))))
    keys = list(seen)
    kept = keys[:cap]
    cut: dict[str, int] = defaultdict(int)
    for n in keys[cap:]:
        cut[g.nodes[n]["label"]] += 1
    keep = set(kept)
    sub = g.subgraph(keep)
    edges = [ViewEdge(u, v, k, {p: d[p] for p in ("year", "role", "status", "order") if p in d})
             for u, v, k, d in sub.edges(keys=True, data=True)]
    linked = {frozenset((e.start, e.end)) for e in edges}
    row_edges = 0
    edges_cut = 0
    for a, b in pairs:
        if a in keep and b in keep and a != b and frozenset((a, b)) not in linked:
            linked.add(frozenset((a, b)))
            if row_edges < edge_cap:
                edges.append(ViewEdge(a, b, ROW_EDGE))
                row_edges += 1
            else:
                edges_cut += 1
    return GraphView(kept, edges, None, len(keys), dict(cut), None, edges_cut)
