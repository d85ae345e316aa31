"""The saved-query catalog: named, typed, bilingual queries with Cypher and a networkx twin.

A saved query keeps in one place its name, Swedish and English titles, description, typed
parameters, its Cypher (run on Neo4j) and its implementation over the embedded networkx graph.
Every caller (CLI, dashboard, report) runs queries through `run_query` (or `run_on_graph` for
a networkx graph in hand), never Cypher of its own. Both implementations must give the same
rows; tests/queries/test_parity.py proves it. The types live in `queries.types` and the
definitions in `queries.saved`; this module only looks them up and runs them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import networkx as nx

from graph.errors import NotFound
from graph.store import GraphStore

from . import saved  # noqa: F401  (importing it registers the queries)
from .types import (
    CATALOG,
    Param,
    ParamType,
    QueryResult,
    Row,
    SavedQuery,
    normalise,
    register,
    sort_rows,
)

__all__ = ["CATALOG", "Param", "ParamType", "QueryResult", "Row", "SavedQuery", "all_queries",
           "get_query", "normalise", "register", "run_on_graph", "run_query", "sort_rows"]


def get_query(name: str) -> SavedQuery:
    try:
        return CATALOG[name]
    except KeyError:
        raise NotFound(f"no saved query '{name}'; see 'insikt queries' for the catalog") from None


def all_queries() -> list[SavedQuery]:
    return list(CATALOG.values())


def _result(q: SavedQuery, bound: dict[str, Any], rows: list[Row], backend: str) -> QueryResult:
    rows = [{c: normalise(r.get(c)) for c in q.columns} for r in rows]
    return QueryResult(q.name, bound, q.columns, sort_rows(rows, q.order_by), backend)


def run_query(store: GraphStore, name: str, params: Mapping[str, Any] | None = None,
              *, timeout: float = 30.0) -> QueryResult:
    """Run a saved query on the store's backend: the store decides how (Cypher on Neo4j,
    the networkx twin when embedded)."""
    q = get_query(name)
    bound = q.bind(params or {})
    extra = q.prepare(bound) if q.prepare else {}
    rows = store.answer(q, bound, cypher_params=extra, timeout=timeout)
    return _result(q, bound, rows, store.backend)


def run_on_graph(g: nx.MultiDiGraph, name: str,
                 params: Mapping[str, Any] | None = None) -> QueryResult:
    """Run a saved query's networkx twin on a graph already in hand (the report reads one
    snapshot of the graph, whatever the backend): the same binding, columns and order."""
    q = get_query(name)
    bound = q.bind(params or {})
    return _result(q, bound, q.embedded(g, bound), "networkx")
