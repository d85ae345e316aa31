"""Test helpers for the store tests: exact dumps of a graph, the old JSON store format, and
small distinct datasets made from tests/data/tiny (for the concurrency and kill tests)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx

from graph.export import graph_document
from graph.store import GraphStore
from loaders.synthetic import org_nr_rival, renamed_variant, scaled_copies
from tests.conftest import TINY

__all__ = ["exact_dump", "legacy_document", "org_nr_rival", "scaled_tiny", "state",
           "tiny_variant"]


def exact_dump(g: nx.MultiDiGraph) -> tuple[list[Any], list[Any]]:
    """Nodes and edges in iteration order with their attributes in dict order: what a query
    or an export sees, byte for byte."""
    nodes = [(n, list(a.items())) for n, a in g.nodes(data=True)]
    edges = [(u, v, k, list(a.items())) for u, v, k, a in g.edges(keys=True, data=True)]
    return nodes, edges


def legacy_document(g: nx.MultiDiGraph, datasets: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The old JSON store file for `g` (what graph/embedded.py's `_write` wrote before SQLite)."""
    return {
        "format": "insiktsgrafen-store",
        "version": 1,
        "datasets": datasets,
        "nodes": [{"key": n, "attrs": a} for n, a in sorted(g.nodes(data=True))],
        "edges": [{"start": u, "end": v, "type": k, "attrs": a}
                  for u, v, k, a in sorted(g.edges(keys=True, data=True),
                                           key=lambda t: (t[0], t[1], t[2]))],
    }


def state(store: GraphStore) -> tuple[dict[str, Any], list[tuple[str, str, int, int]]]:
    """What a store holds, without load times: the graph document and the datasets."""
    return (graph_document(store.to_networkx()),
            [(d.id, d.version, d.nodes, d.relationships) for d in store.datasets()])


def tiny_variant(dest: Path, n: int, *, rename_agencies: bool = False,
                 version: str = "1") -> Path:
    """`loaders.synthetic.renamed_variant` of tests/data/tiny: dataset `tiny-<n>`, every
    entity id suffixed `-v<n>` except (by default) the shared agencies."""
    return renamed_variant(TINY, dest, n, rename_agencies=rename_agencies, version=version)


def scaled_tiny(dest: Path, copies: int, first: int = 0, dataset_id: str = "big") -> Path:
    """`loaders.synthetic.scaled_copies` of tests/data/tiny (a load large enough to kill)."""
    return scaled_copies(TINY, dest, copies, first, dataset_id)
