"""Click-to-explore: the network view a strategist builds by clicking (a focus, its depth,
expanded and hidden nodes), which nodes keep their label when the view is crowded, what a
clicked node shows beside the graph, and the graph inside an ad-hoc Cypher result.

No Streamlit: the dashboard lays these answers out (dashboard/views/network.py and the
console in dashboard/views/queries.py); `dashboard.network_html` draws the views.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from graph.model import Label, node_key
from graph.walk import all_in, all_out, display_name, localized

from .subgraph import GraphView, ViewEdge, life_event_scope, neighbourhood, node_sort_key

EDGE_PROPS = ("year", "role", "status", "order")
LABELS_ALL_UP_TO = 40
"""Up to this many nodes every node has its label; above, only the focus, the expanded and
selected nodes and the hubs (the rest show their name on hover)."""
HUBS = 12


def _edge(u: str, v: str, k: str, d: Mapping[str, Any]) -> ViewEdge:
    return ViewEdge(u, v, k, {p: d[p] for p in EDGE_PROPS if p in d})


def allowed_nodes(g: nx.MultiDiGraph, labels: Iterable[str],
                  life_event: str | None = None) -> set[str]:
    """The nodes a view may walk through: the chosen labels, within a life event's part."""
    wanted = set(labels)
    allowed = {n for n, a in g.nodes(data=True) if a["label"] in wanted}
    if life_event:
        allowed &= life_event_scope(g, life_event)
    return allowed


def neighbours(g: nx.MultiDiGraph, key: str) -> list[str]:
    """A node's neighbours in either direction, each once, by label and id."""
    seen = {v for v, _, _ in all_out(g, key)} | {u for u, _, _ in all_in(g, key)}
    seen.discard(key)
    return sorted(seen, key=lambda n: node_sort_key(g, n))


def explore_view(g: nx.MultiDiGraph, focus: str, depth: int, labels: Iterable[str],
                 life_event: str | None = None, expanded: Sequence[str] = (),
                 hidden: Sequence[str] = (), cap: int = 300) -> GraphView:
    """The focus's neighbourhood (`subgraph.neighbourhood`), plus the direct neighbours of
    every expanded node (within the same labels and life event), minus the hidden nodes (never
    the focus). Expansions come after the neighbourhood and share its cap, so that expanding
    never drops what was already drawn."""
    labels = list(labels)
    base = neighbourhood(g, focus, depth, labels, life_event, cap=cap)
    if base.focus is None:
        return base
    allowed = allowed_nodes(g, labels, life_event) | {focus}
    drop = set(hidden) - {focus}
    kept = [n for n in base.nodes if n not in drop]
    shown = set(kept)
    added = 0
    cut: Counter[str] = Counter(base.cut)
    for x in expanded:
        if x not in shown:
            continue  # an expanded node that is no longer in the view adds nothing
        for n in neighbours(g, x):
            if n in shown or n in drop or n not in allowed:
                continue
            if len(kept) >= cap:
                cut[g.nodes[n]["label"]] += 1
                added += 1
                continue
            kept.append(n)
            shown.add(n)
            added += 1
    sub = g.subgraph(shown)
    edges = [_edge(u, v, k, d) for u, v, k, d in sub.edges(keys=True, data=True)]
    total = base.total - len(drop & set(base.nodes)) + added
    return GraphView(kept, edges, focus, total, dict(cut), base.cut_from_depth)


def labelled(g: nx.MultiDiGraph, view: GraphView, keep: Iterable[str] = (),
             limit: int = LABELS_ALL_UP_TO, hubs: int = HUBS) -> set[str]:
    """The nodes that keep their label on the canvas. Every node while the view has at most
    `limit` nodes; beyond that the focus, `keep` (expanded, selected) and the `hubs` nodes with
    the most edges in the view, so that a depth-2 view stays readable."""
    if len(view.nodes) <= limit:
        return set(view.nodes)
    degree: Counter[str] = Counter()
    for e in view.edges:
        degree[e.start] += 1
        degree[e.end] += 1
    ranked = sorted(view.nodes, key=lambda n: (-degree[n], node_sort_key(g, n)))
    out = set(ranked[:hubs]) | {n for n in keep if n in set(view.nodes)}
    if view.focus:
        out.add(view.focus)
    return out


def initial_positions(view: GraphView, known: Mapping[str, tuple[float, float]]
                      ) -> dict[str, tuple[float, float]]:
    """Where each node starts: its known position, else beyond the known nodes it is joined
    to, on the side away from the rest of the view (an expansion opens outwards in a fan
    instead of landing on the crowd in the middle). Nodes with no positioned neighbour are
    left to the layout."""
    import math

    out = {n: known[n] for n in view.nodes if n in known}
    if not out:
        return out
    around: dict[str, list[str]] = {}
    for e in view.edges:
        around.setdefault(e.start, []).append(e.end)
        around.setdefault(e.end, []).append(e.start)
    mx = sum(p[0] for p in out.values()) / len(out)
    my = sum(p[1] for p in out.values()) / len(out)
    fans: dict[tuple[float, float], list[str]] = {}
    for n in view.nodes:
        if n in out:
            continue
        anchors = [out[m] for m in around.get(n, []) if m in known]
        if anchors:
            base = (sum(p[0] for p in anchors) / len(anchors),
                    sum(p[1] for p in anchors) / len(anchors))
            fans.setdefault(base, []).append(n)
    for (bx, by), members in fans.items():
        away = math.atan2(by - my, bx - mx) if math.dist((bx, by), (mx, my)) > 1 else 0.0
        spread = min(math.pi * 1.2, 0.35 * len(members))
        for i, n in enumerate(members):
            ring = i // 8
            angle = away + (spread * ((i + 0.5) / len(members) - 0.5) if len(members) > 1
                            else 0.0)
            radius = 160.0 + 70.0 * ring
            out[n] = (round(bx + radius * math.cos(angle), 1),
                      round(by + radius * math.sin(angle), 1))
    return out


# -- a clicked node's details --------------------------------------------------------------

_TEXT_FIELDS = {"Insight": "statement", "LifeEvent": "description", "Principle": "description",
                "JourneyStep": "description"}
_PLAIN_FIELDS = ("short_name", "org_nr", "kind", "status", "role", "date", "url", "feedback")


@dataclass(frozen=True)
class Link:
    """One relationship of a node: its type, the direction seen from the node, the other end."""

    rel: str
    outgoing: bool
    other: str  # node key
    label: str
    id: str
    name: str
    props: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class NodeDetails:
    key: str
    label: str
    id: str
    name: str
    text: str  # the statement or description in the language, "" if none
    fields: list[tuple[str, str]]  # (property, value) worth showing
    links: list[Link]
    datasets: list[str]

    def link_counts(self) -> dict[str, int]:
        """How many relationships of each type (and direction) the node has."""
        return dict(Counter(("→ " if lk.outgoing else "← ") + lk.rel for lk in self.links))


def node_details(g: nx.MultiDiGraph, key: str, lang: str) -> NodeDetails | None:
    """What the side panel shows for a clicked node (None when the key is not in the graph)."""
    if key not in g:
        return None
    a = g.nodes[key]
    label = str(a["label"])
    text_field = _TEXT_FIELDS.get(label)
    text = localized(a, text_field, lang) if text_field else ""
    fields = [(f, ", ".join(map(str, v)) if isinstance(v, list) else str(v))
              for f in _PLAIN_FIELDS if (v := a.get(f)) not in (None, "", [])]
    if a.get("customer_carries"):
        fields.append(("customer_carries", ", ".join(map(str, a["customer_carries"]))))
    links = [Link(k, True, v, g.nodes[v]["label"], str(g.nodes[v]["id"]),
                  display_name(g.nodes[v], lang), {p: d[p] for p in EDGE_PROPS if p in d})
             for v, k, d in all_out(g, key)]
    links += [Link(k, False, u, g.nodes[u]["label"], str(g.nodes[u]["id"]),
                   display_name(g.nodes[u], lang), {p: d[p] for p in EDGE_PROPS if p in d})
              for u, k, d in all_in(g, key)]
    links.sort(key=lambda lk: (lk.rel, not lk.outgoing, *node_sort_key(g, lk.other)))
    return NodeDetails(key, label, str(a["id"]), display_name(a, lang), text or "", fields,
                       links, sorted(map(str, a.get("datasets") or [])))


# -- the graph in an ad-hoc result ------------------------------------------------------------

def _as_node(value: Any) -> tuple[str, str] | None:
    """(label, id) of a node as `graph.neo4j_store.to_plain` gives it, else None."""
    if (isinstance(value, dict) and isinstance(value.get("label"), str)
            and isinstance(value.get("id"), str) and "type" not in value):
        return value["label"], value["id"]
    return None


def _as_rel(value: Any) -> tuple[tuple[str, str], str, tuple[str, str]] | None:
    if not (isinstance(value, dict) and isinstance(value.get("type"), str)):
        return None
    start, end = _as_node(value.get("start")), _as_node(value.get("end"))
    if start is None or end is None:
        return None
    return start, value["type"], end


def result_graph(g: nx.MultiDiGraph, rows: Sequence[Mapping[str, Any]], cap: int = 300
                 ) -> GraphView:
    """The nodes, relationships and paths an ad-hoc query returned, at any depth of its
    values (lists, maps, paths), drawn from the graph's own nodes: a node is known by its
    label and id. The relationships drawn are those the result returned (paths included);
    when it returned none, the graph's edges among the returned nodes."""
    seen: dict[str, None] = {}
    rels: dict[tuple[str, str, str], None] = {}

    def walk(value: Any) -> None:
        node = _as_node(value)
        if node is not None:
            k = node_key(*node)
            if k in g:
                seen.setdefault(k)
            return
        rel = _as_rel(value)
        if rel is not None:
            s, t, e = node_key(*rel[0]), rel[1], node_key(*rel[2])
            if s in g and e in g:
                seen.setdefault(s)
                seen.setdefault(e)
                rels.setdefault((s, e, t))
            return
        if isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    for r in rows:
        for v in r.values():
            walk(v)
    keys = list(seen)
    kept = keys[:cap]
    keep = set(kept)
    cut: Counter[str] = Counter(g.nodes[n]["label"] for n in keys[cap:])
    if rels:
        edges = []
        for s, e, t in rels:
            if s in keep and e in keep:
                data = g.get_edge_data(s, e, key=t) or {}
                edges.append(_edge(s, e, t, data))
    else:
        sub = g.subgraph(keep)
        edges = [_edge(u, v, k, d) for u, v, k, d in sub.edges(keys=True, data=True)]
    return GraphView(kept, edges, None, len(keys), dict(cut))


def has_graph(rows: Sequence[Mapping[str, Any]]) -> bool:
    """Whether any value of any row is (or holds) a node or a relationship."""
    def walk(value: Any) -> bool:
        if _as_node(value) is not None or _as_rel(value) is not None:
            return True
        if isinstance(value, dict):
            return any(walk(v) for v in value.values())
        if isinstance(value, list):
            return any(walk(v) for v in value)
        return False
    return any(walk(v) for r in rows for v in r.values())


def cell_text(value: Any, names: Mapping[str, Mapping[str, str]] | None = None) -> Any:
    """A console cell for the table: a node as "Label: name (id)", a relationship as
    "(a)-[TYPE]->(b)", a path by its nodes; other values as they are (lists and maps of
    these, shortened the same way)."""
    names = names or {}

    def node_text(label: str, nid: str) -> str:
        name = names.get(label, {}).get(nid)
        return f"{label}: {name} ({nid})" if name and name != nid else f"{label}: {nid}"

    node = _as_node(value)
    if node is not None:
        return node_text(*node)
    rel = _as_rel(value)
    if rel is not None:
        return f"({rel[0][1]})-[{rel[1]}]->({rel[2][1]})"
    if isinstance(value, dict) and isinstance(value.get("nodes"), list) and "relationships" in value:
        return " – ".join(str(cell_text(n, names)) for n in value["nodes"])
    if isinstance(value, list) and any(_as_node(v) or _as_rel(v) for v in value):
        return "; ".join(str(cell_text(v, names)) for v in value)
    return value


__all__ = ["Label", "Link", "NodeDetails", "allowed_nodes", "cell_text", "explore_view",
           "has_graph", "initial_positions", "labelled", "neighbours", "node_details",
           "result_graph"]
