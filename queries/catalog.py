"""The saved-query catalog: named, typed, bilingual queries with Cypher and a networkx twin.

A saved query keeps in one place its name, Swedish and English titles, description, typed
parameters, its Cypher (run on Neo4j) and its implementation over the embedded networkx graph.
Every caller (CLI, dashboard, report) runs queries through `run_query` (or `run_on_graph` for
a networkx graph in hand), never Cypher of its own. Both implementations must give the same
rows; tests/queries/test_parity.py proves it. The types live in `queries.types` and the
definitions in `queries.saved`; this module only looks them up and runs them.

The catalog is the built-in queries, then the query files shipped in `queries/library/` (their
twins are in `queries.twins`), then the analyst's own files in `INSIKT_QUERY_DIR`
(`queries.files`). A bad file is left out and reported by `catalog_problems()`; the rest load.
A query file's Cypher runs behind the ad-hoc guard (`queries.adhoc.run_cypher`: read-only,
time-limited, row-capped), since it is text from outside the code.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx

from graph.cypher import AGENCY_EXISTS, ALIAS_TARGETS, ids_with_label
from graph.errors import NotFound, Problem, QueryRefused, close_matches
from graph.model import Label, node_key
from graph.settings import get_settings
from graph.store import GraphStore
from graph.walk import alias_targets, nodes_of

from . import saved  # noqa: F401  (importing it registers the queries)
from .adhoc import run_cypher
from .files import read_folder
from .twins import TWINS
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

__all__ = ["CATALOG", "LIBRARY", "Catalog", "Param", "ParamType", "QueryResult", "Row",
           "SavedQuery", "all_queries", "catalog", "catalog_problems", "check_choices",
           "get_query", "normalise", "register", "resolve_agency_id", "resolve_aliases",
           "run_on_graph", "run_query", "sort_rows"]

LIBRARY = Path(str(resources.files("queries") / "library"))
"""The query files the project ships (package data)."""
LIBRARY_LABEL = "queries/library"
FILE_ROW_CAP = 10_000
"""At most this many rows from a query file's Cypher (the result says when rows were cut)."""


@dataclass(frozen=True)
class Catalog:
    """Every saved query by name, and what was wrong with the query files left out."""

    queries: dict[str, SavedQuery]
    problems: list[Problem]


_cache: dict[tuple[Any, ...], Catalog] = {}


def _listing(folder: Path | None) -> tuple[Any, ...]:
    """What the catalog depends on in a folder: its files' names, sizes and times."""
    if folder is None:
        return ()
    try:
        with os.scandir(folder) as it:
            return (str(folder), *sorted((e.name, e.stat().st_mtime_ns, e.stat().st_size)
                                         for e in it if e.is_file()))
    except OSError:
        return (str(folder), "unreadable")


def catalog() -> Catalog:
    """The whole catalog, read again only when a query file or `INSIKT_QUERY_DIR` changed."""
    user = get_settings().query_dir
    key = (tuple(CATALOG), _listing(LIBRARY), _listing(user))
    if key not in _cache:
        _cache.clear()
        _cache[key] = _build(user)
    return _cache[key]


def _build(user: Path | None) -> Catalog:
    queries = dict(CATALOG)
    taken = {name: f"the built-in query '{name}'" for name in queries}
    lib = read_folder(LIBRARY, "library", taken, label=LIBRARY_LABEL, twins=TWINS)
    problems = list(lib.problems)
    for q in lib.queries:
        queries[q.name] = q
        taken[q.name] = f"{LIBRARY_LABEL}/{Path(q.path).name}"
    if user is not None:
        mine = read_folder(user, "user", taken, label=str(user))
        problems += mine.problems
        queries.update((q.name, q) for q in mine.queries)
    return Catalog(queries, problems)


def catalog_problems() -> list[Problem]:
    """What is wrong with the query files left out of the catalog (each names its file)."""
    return list(catalog().problems)


def get_query(name: str) -> SavedQuery:
    cat = catalog()
    try:
        return cat.queries[name]
    except KeyError:
        pass
    own = [p for p in cat.problems if Path(p.file).name.rsplit(".", 1)[0] == name]
    if own:
        raise NotFound(f"the query file for '{name}' is invalid and was left out: "
                       + "; ".join(str(p) for p in own))
    close = close_matches(name, cat.queries)
    hint = f" (did you mean {' or '.join(close)}?)" if close else ""
    raise NotFound(f"no saved query '{name}'{hint}; see 'insikt queries' for the catalog")


def all_queries() -> list[SavedQuery]:
    return list(catalog().queries.values())


def _result(q: SavedQuery, bound: dict[str, Any], rows: list[Row], backend: str) -> QueryResult:
    rows = [{c: normalise(r.get(c)) for c in q.columns} for r in rows]
    return QueryResult(q.name, bound, q.columns, sort_rows(rows, q.order_by), backend)


def check_choices(store: GraphStore, q: SavedQuery, bound: Mapping[str, Any]) -> None:
    """Every given id of a parameter with `choices` names a node of that label in the store,
    else `NotFound` with the closest ids ("did you mean"): an unknown id would only give an
    empty result, which reads as "no such problem" rather than "no such thing"."""
    for p in q.params:
        value = bound.get(p.name)
        if p.choices is None or value is None:
            continue
        known = _ids(store, p.choices)
        if value in known:
            continue
        close = close_matches(str(value), known, n=5)
        if close:
            hint = f"did you mean {' or '.join(close)}?"
        else:
            some = sorted(known)[:8]
            more = f", … ({len(known)} in all)" if len(known) > len(some) else ""
            hint = (f"the ids include {', '.join(some)}{more}; " if some else "the graph has none; ")
            hint += f"`insikt query search -p q=… -p label={p.choices.value}` finds ids by name"
        raise NotFound(f"query '{q.name}': no {p.choices.value} with id '{value}' for parameter "
                       f"'{p.name}'; {hint}")


def _ids(store: GraphStore, label: Label) -> set[str]:
    if store.runs_cypher:
        _, rows, _ = store.run_read(ids_with_label(label), timeout=10.0)
        return {str(r["id"]) for r in rows}
    return {str(attrs["id"]) for _, attrs in nodes_of(store.to_networkx(), label)}


def _pick_target(value: str, targets: list[str]) -> str:
    if len(targets) > 1:
        raise QueryRefused(f"'{value}' is an agency id of several datasets, for different "
                           f"agencies ({', '.join(targets)}): use one of those ids")
    return targets[0] if targets else value


def resolve_agency_id(store: GraphStore, value: str) -> str:
    """The Agency node id that `value` names: itself when an Agency has that id, else the
    agency a dataset's own id `value` resolved to (its alias table, loaders.resolve), else
    `value` unchanged (an unknown id stays unknown, for `check_choices` to report)."""
    if store.runs_cypher:
        _, rows, _ = store.run_read(AGENCY_EXISTS, {"id": value}, timeout=10.0)
        if rows:
            return value
        _, rows, _ = store.run_read(ALIAS_TARGETS, {"id": value}, timeout=10.0)
        return _pick_target(value, [str(r["id"]) for r in rows])
    return _graph_agency_id(store.to_networkx(), value)


def _graph_agency_id(g: nx.MultiDiGraph, value: str) -> str:
    if node_key(Label.AGENCY, value) in g:
        return value
    return _pick_target(value, alias_targets(g, value))


def resolve_aliases(store: GraphStore | nx.MultiDiGraph, q: SavedQuery,
                    bound: Mapping[str, Any]) -> dict[str, Any]:
    """`bound` with every agency parameter mapped through the datasets' alias tables, so a
    query by a dataset's own id answers as by the node's id (on a store or a graph)."""
    out = dict(bound)
    for p in q.params:
        value = out.get(p.name)
        if p.choices != Label.AGENCY or not isinstance(value, str):
            continue
        out[p.name] = (_graph_agency_id(store, value) if isinstance(store, nx.MultiDiGraph)
                       else resolve_agency_id(store, value))
    return out


def run_query(store: GraphStore, name: str, params: Mapping[str, Any] | None = None,
              *, timeout: float = 30.0, check_ids: bool = False,
              row_cap: int = FILE_ROW_CAP) -> QueryResult:
    """Run a saved query on the store's backend: the store decides how (Cypher on Neo4j,
    the networkx twin when embedded). A query file's Cypher runs behind the ad-hoc guard.
    With `check_ids`, ids of parameters with choices must exist (see `check_choices`)."""
    q = get_query(name)
    bound = resolve_aliases(store, q, q.bind(params or {}))
    if check_ids:
        check_choices(store, q, bound)
    if q.from_file and store.runs_cypher:
        res = run_cypher(store, q.cypher, dict(bound), timeout=timeout, row_cap=row_cap)
        if q.columns:  # a twin declares them: the same rows and order as on the embedded store
            result = _result(q, bound, res.rows, store.backend)
        else:
            columns = tuple(res.columns)
            result = QueryResult(q.name, bound, columns,
                                 [{c: normalise(r.get(c)) for c in columns} for r in res.rows],
                                 store.backend)
        return QueryResult(result.query, result.params, result.columns, result.rows,
                           result.backend, truncated=res.truncated, message=res.message)
    extra = q.prepare(bound) if q.prepare else {}
    if q.uses_projection:
        store.ensure_projection()
    rows = store.answer(q, bound, cypher_params=extra, timeout=timeout)
    return _result(q, bound, rows, store.backend)


def run_on_graph(g: nx.MultiDiGraph, name: str,
                 params: Mapping[str, Any] | None = None) -> QueryResult:
    """Run a saved query's networkx twin on a graph already in hand (the report reads one
    snapshot of the graph, whatever the backend): the same binding, columns and order."""
    q = get_query(name)
    bound = resolve_aliases(g, q, q.bind(params or {}))
    return _result(q, bound, q.embedded(g, bound), "networkx")
