"""Writing the graph out of any store, through its networkx form."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import networkx as nx

from .errors import InsiktError
from .formats import FORMAT_WRITERS

EXPORT_FORMATS = ("json", "graphml", "neo4j-admin", "cypher", "jsonld")


def graph_document(g: nx.MultiDiGraph) -> dict[str, Any]:
    """A stable JSON document of the whole graph: nodes and relationships, sorted."""
    nodes = []
    for _, a in sorted(g.nodes(data=True), key=lambda t: (t[1]["label"], t[1]["id"])):
        props = {k: v for k, v in a.items() if k not in ("label", "id")}
        nodes.append({"label": a["label"], "id": a["id"], "properties": dict(sorted(props.items()))})
    rels = []
    for u, v, _, a in g.edges(keys=True, data=True):
        su, sv = g.nodes[u], g.nodes[v]
        props = {k: val for k, val in a.items() if k != "type"}
        rels.append({"type": a["type"], "start": {"label": su["label"], "id": su["id"]},
                     "end": {"label": sv["label"], "id": sv["id"]},
                     "properties": dict(sorted(props.items()))})
    rels.sort(key=lambda r: (r["type"], r["start"]["label"], r["start"]["id"],
                             r["end"]["label"], r["end"]["id"]))
    return {"format": "insiktsgrafen-graph", "version": 1, "nodes": nodes,
            "relationships": rels}


def content_hash(g: nx.MultiDiGraph) -> str:
    """sha256 (hex) of the graph's content: its sorted nodes and relationships with every
    property (`graph_document`), as canonical JSON. The same graph gives the same value in
    every process and on every backend; any change to a node, edge or property changes it."""
    text = json.dumps(graph_document(g), ensure_ascii=False, sort_keys=True,
                      separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _graphml_safe(value: Any) -> Any:
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def graphml_graph(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The copy of `g` that GraphML (and Gephi) can take: scalar attributes only (lists and
    maps as JSON text), nodes and edges in a stable order, and each edge keyed by a unique id
    (`e0`, `e1` …, which becomes the GraphML edge id; the relationship type stays in `type`)."""
    h = nx.MultiDiGraph()
    for n, a in sorted(g.nodes(data=True), key=lambda t: t[0]):
        h.add_node(n, **{k: _graphml_safe(v) for k, v in a.items()})
    edges = sorted(g.edges(keys=True, data=True), key=lambda t: (t[0], t[1], t[2]))
    for i, (u, v, _, a) in enumerate(edges):
        h.add_edge(u, v, key=f"e{i}", **{kk: _graphml_safe(vv) for kk, vv in a.items()})
    return h


def export_graph(g: nx.MultiDiGraph, fmt: str, out: str | Path) -> Path:
    """Write `g` as `fmt` to `out`; lists become JSON text in GraphML, which has no lists.
    neo4j-admin writes a folder at `out`; the other formats are in graph/formats.py."""
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt in FORMAT_WRITERS:
        return FORMAT_WRITERS[fmt](g, path)
    if fmt == "json":
        path.write_text(json.dumps(graph_document(g), ensure_ascii=False, indent=1) + "\n",
                        encoding="utf-8")
    elif fmt == "graphml":
        nx.write_graphml(graphml_graph(g), path)
    else:
        raise InsiktError(f"unknown export format '{fmt}': use one of "
                          f"{', '.join(EXPORT_FORMATS)}")
    return path
