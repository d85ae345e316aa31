"""networkx twins of the query files shipped in `queries/library/`, so that they answer on the
embedded store too (a user's own query files have none: they run on Neo4j only).

A twin is looked up by the file's query name and must give the same rows as the file's Cypher;
tests/queries/test_parity.py runs both on the same data. Keep each twin's reading of the graph
next to the Cypher it mirrors: the file says what the query means, the twin repeats it.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import networkx as nx

from graph.model import Label, node_key
from graph.walk import (
    in_rels,
    name_of,
    node_id,
    nodes_of,
    out_rels,
    rels_of_type,
    with_generals,
)

from .files import Twin
from .types import Row


def _insight_passes(g: nx.MultiDiGraph, ins_key: str, p: dict[str, Any]) -> bool:
    """The life-event and domain filters of shares-most-with, on one reported insight."""
    if p.get("life_event") is None and p.get("domain") is None:
        return True
    events = [v for v, _ in out_rels(g, ins_key, "ARISES_IN")]
    if p.get("life_event") is not None and node_key(Label.LIFE_EVENT, p["life_event"]) not in events:
        return False
    if p.get("domain") is not None:
        wanted = node_key(Label.DOMAIN, p["domain"])
        return any(d == wanted for le in events for d, _ in out_rels(g, le, "IN_DOMAIN"))
    return True


def _holders(g: nx.MultiDiGraph, x: str, p: dict[str, Any]) -> set[str]:
    """The agencies whose insight set holds `x`: they report x, or an instance of it, through
    an insight that passes the filters."""
    reported = [x, *(i for i, _ in in_rels(g, x, "INSTANCE_OF"))]
    return {a for i in reported if _insight_passes(g, i, p) for a, _ in in_rels(g, i, "REPORTS")}


def _insight_set(g: nx.MultiDiGraph, agency: str, p: dict[str, Any]) -> set[str]:
    """One agency's insight set: what it reports, specific insights also as their generals."""
    return {x for i, _ in out_rels(g, agency, "REPORTS") if _insight_passes(g, i, p)
            for x in with_generals(g, i)}


def _active(g: nx.MultiDiGraph, insight: str) -> bool:
    return bool(g.nodes[insight].get("status") != "superseded")


def _reporters_without_principles(g: nx.MultiDiGraph, p: dict[str, Any]) -> list[Row]:
    rows = []
    for a, attrs in nodes_of(g, Label.AGENCY):
        reported = sorted({node_id(g, i) for i, _ in out_rels(g, a, "REPORTS") if _active(g, i)})
        if not reported or len(reported) < p["min_insights"]:
            continue
        applied = [d for _, d in out_rels(g, a, "APPLIES")
                   if not p["adopted_only"] or (d.get("status") or "adopted") == "adopted"]
        if applied:
            continue
        rows.append({"agency": attrs["id"], "agency_name": name_of(g, a),
                     "kind": attrs.get("kind"), "insight_count": len(reported),
                     "insights": reported})
    return rows


def _arises_in(g: nx.MultiDiGraph, insight: str, life_event: str | None) -> bool:
    if life_event is None:
        return True
    wanted = node_key(Label.LIFE_EVENT, life_event)
    return any(le == wanted for le, _ in out_rels(g, insight, "ARISES_IN"))


def _insights_per_year(g: nx.MultiDiGraph, p: dict[str, Any]) -> list[Row]:
    reports = [(a, i, d["year"]) for a, i, d in rels_of_type(g, "REPORTS")
               if d.get("year") is not None and _arises_in(g, i, p["life_event"])]
    first: dict[str, int] = {}
    for _, i, year in reports:
        first[i] = min(year, first.get(i, year))
    per_year: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for a, i, year in reports:
        if (p["from_year"] is None or year >= p["from_year"]) and \
                (p["to_year"] is None or year <= p["to_year"]):
            per_year[year].append((a, i))
    return [{"year": year, "reports": len(pairs), "insights": len({i for _, i in pairs}),
             "agencies": len({a for a, _ in pairs}),
             "first_reported": len({i for _, i in pairs if first[i] == year})}
            for year, pairs in per_year.items()]


def _general_insight_trend(g: nx.MultiDiGraph, p: dict[str, Any]) -> list[Row]:
    cells: dict[tuple[int, str], list[tuple[str, str]]] = defaultdict(list)
    for a, i, d in rels_of_type(g, "REPORTS"):
        if d.get("year") is None:
            continue
        for x in with_generals(g, i):
            if g.nodes[x].get("kind") != "general":
                continue
            if p["general"] is not None and node_id(g, x) != p["general"]:
                continue
            cells[(d["year"], x)].append((a, i))
    return [{"year": year, "general": node_id(g, x), "general_title": g.nodes[x].get("title"),
             "general_title_en": g.nodes[x].get("title_en"), "reports": len(pairs),
             "insights": len({i for _, i in pairs}), "agencies": len({a for a, _ in pairs})}
            for (year, x), pairs in cells.items()]


def _shares_most_with(g: nx.MultiDiGraph, p: dict[str, Any]) -> list[Row]:
    me = node_key(Label.AGENCY, p["agency"])
    if me not in g:
        return []
    mine = _insight_set(g, me, p)
    peers: dict[str, set[str]] = defaultdict(set)
    for x in mine:
        for b in _holders(g, x, p) - {me}:
            peers[b].add(x)
    rows = []
    for b, xs in peers.items():
        if len(xs) < p["min_shared"]:
            continue
        theirs = len(_insight_set(g, b, p))
        specific = sorted(node_id(g, x) for x in xs if g.nodes[x].get("kind") == "specific")
        rows.append({"agency": p["agency"], "peer": node_id(g, b), "peer_name": name_of(g, b),
                     "peer_kind": g.nodes[b].get("kind"), "specific_shared": len(specific),
                     "shared": len(xs), "agency_total": len(mine), "peer_total": theirs,
                     "jaccard": float(len(xs)) / (len(mine) + theirs - len(xs)),
                     "specific_insights": specific,
                     "shared_insights": sorted(node_id(g, x) for x in xs)})
    return rows


TWINS: dict[str, Twin] = {
    "reporters-without-principles": Twin(
        _reporters_without_principles,
        columns=("agency", "agency_name", "kind", "insight_count", "insights"),
        order_by=("-insight_count", "agency"),
        node_columns={"agency": Label.AGENCY}),
    "insights-per-year": Twin(
        _insights_per_year,
        columns=("year", "reports", "insights", "agencies", "first_reported"),
        order_by=("year",), node_columns={}),
    "general-insight-trend": Twin(
        _general_insight_trend,
        columns=("year", "general", "general_title", "general_title_en", "reports", "insights",
                 "agencies"),
        order_by=("year", "general"), node_columns={"general": Label.INSIGHT}),
    "shares-most-with": Twin(
        _shares_most_with,
        columns=("agency", "peer", "peer_name", "peer_kind", "specific_shared", "shared",
                 "agency_total", "peer_total", "jaccard", "specific_insights",
                 "shared_insights"),
        order_by=("-specific_shared", "-shared", "-jaccard", "peer"),
        node_columns={"agency": Label.AGENCY, "peer": Label.AGENCY}),
}
"""The twins, by query name (each must have its file in `queries/library/`)."""
