"""What the dashboard's pages ask of the graph, answered here: small, typed functions over the
saved-query rows and the shared networkx form (read through `graph.walk`). No Streamlit, so
all of it is unit-tested; the pages only lay the answers out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import pandas as pd

from graph.model import Label, Rel, node_key
from graph.walk import (
    generals,
    ids,
    in_nodes,
    in_rels,
    instances,
    names_by_label,
    nodes_of,
    out_nodes,
    reporters,
    reporters_with_instances,
)
from graph.walk import node_id as node_id  # the pages read ids through this module

from .analytics import (
    BURDEN_FORMULA,
    Bridges,
    Communities,
    InsightReach,
    JourneyBurden,
    Similarity,
    agency_insight_sets,
    bridges,
    burden,
    burden_table,
    communities,
    reach,
    similarity,
)
from .subgraph import node_sort_key

Row = dict[str, Any]


# -- names in the current language ----------------------------------------------------

@dataclass(frozen=True)
class Names:
    """Display names of every node by label and id, in one language."""

    by_label: dict[str, dict[str, str]]
    lang: str

    def get(self, label: Label | str, node_id: str | None) -> str:
        if node_id is None:
            return ""
        return self.by_label.get(str(label), {}).get(node_id, node_id)

    def options(self, label: Label | str) -> list[str]:
        """The ids of a label, sorted by their display name (for selectboxes)."""
        ids = self.by_label.get(str(label), {})
        return sorted(ids, key=lambda i: (ids[i].casefold(), i))

def names_of(g: nx.MultiDiGraph, lang: str) -> Names:
    return Names(names_by_label(g, lang), lang)


# -- overview ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Headline:
    agencies: int
    insights: int
    life_events: int
    principles: int
    journeys: int

def headline(g: nx.MultiDiGraph) -> Headline:
    counts: dict[str, int] = defaultdict(int)
    journeys = 0
    for n, a in g.nodes(data=True):
        counts[a["label"]] += 1
        if a["label"] == Label.LIFE_EVENT and out_nodes(g, n, Rel.HAS_STEP):
            journeys += 1
    return Headline(counts["Agency"], counts["Insight"], counts["LifeEvent"], counts["Principle"],
                    journeys)

def shared_insight_counts(shared_rows: Iterable[Row]) -> list[Row]:
    """From `shared-problems` rows: each insight shared by two or more agencies, with how many
    and which agencies share it; most widely shared first, then by id."""
    agencies: dict[str, set[str]] = defaultdict(set)
    for r in shared_rows:
        for x in r["shared"]:
            agencies[x].update((r["agency_a"], r["agency_b"]))
    out: list[Row] = [{"insight": x, "agencies": len(a), "agency_ids": sorted(a)}
                      for x, a in agencies.items()]
    out.sort(key=lambda r: (-r["agencies"], r["insight"]))
    return out

def most_shared_problems(g: nx.MultiDiGraph, include_status: str | None = None) -> list[Row]:
    """Each problem that two or more agencies hold (the agency–problem projection: matched
    insights as one, by default only active insights), with how many and which agencies hold
    it; most widely held first, then by id. Read from the projection, not from every pair."""
    holders: dict[str, set[str]] = defaultdict(set)
    for a, xs in agency_insight_sets(g, include_status).items():
        for x in xs:
            holders[x].add(a)
    out: list[Row] = [{"insight": x, "agencies": len(a), "agency_ids": sorted(a)}
                      for x, a in holders.items() if len(a) > 1]
    out.sort(key=lambda r: (-r["agencies"], r["insight"]))
    return out

def general_insight_reach(g: nx.MultiDiGraph) -> list[Row]:
    """The general insights, each with the agencies that report it directly or through one of
    its specific instances (INSTANCE_OF), most reported first."""
    out = []
    for key, a in nodes_of(g, Label.INSIGHT):
        if a.get("kind") != "general":
            continue
        agencies = ids(g, reporters_with_instances(g, key))
        out.append({"insight": a["id"], "agencies": len(agencies),
                    "instances": len(instances(g, key)), "agency_ids": agencies})
    out.sort(key=lambda r: (-r["agencies"], r["insight"]))
    return out


# -- journeys and burden ------------------------------------------------------------------

def burden_index(g: nx.MultiDiGraph) -> dict[str, float]:
    """life event id → journey burden index (`queries.analytics.burden`)."""
    return {b.life_event: float(b.index) for b in burden(g)}

def burden_formula() -> str:
    return BURDEN_FORMULA

def burden_rows(burdens: Sequence[JourneyBurden]) -> list[Row]:
    """One row per life event with a journey, heaviest first: the same decomposition as the
    report (queries.analytics.burden_table), whose `<term>_points` add up to `index`."""
    return burden_table(burdens)

def life_events_with_journeys(g: nx.MultiDiGraph) -> list[str]:
    return sorted(a["id"] for n, a in nodes_of(g, Label.LIFE_EVENT)
                  if out_nodes(g, n, Rel.HAS_STEP))

def life_event_insights(g: nx.MultiDiGraph, life_event: str) -> list[Row]:
    """The insights that arise in a life event (ARISES_IN), specific before general, each with
    its general insights, the agencies that report it and the principles that address it.
    `shared-problems` with a life-event filter is not enough: it only lists insights that two
    agencies share, so insights with one reporter or none would be missing."""
    le = node_key(Label.LIFE_EVENT, life_event)
    if le not in g:
        return []
    out = []
    for i in in_nodes(g, le, Rel.ARISES_IN):
        a = g.nodes[i]
        out.append({
            "insight": a["id"], "kind": a.get("kind", ""), "status": a.get("status", "active"),
            "generals": ids(g, generals(g, i)),
            "reported_by": ids(g, (u for u, _ in reporters(g, i))),
            "principles": ids(g, in_nodes(g, i, Rel.ADDRESSES)),
        })
    out.sort(key=lambda r: (r["kind"] != "specific", -len(r["reported_by"]), r["insight"]))
    return out


# -- overlap -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Heatmap:
    frame: pd.DataFrame  # a, b, a_name, b_name, shared, jaccard, value (both directions)
    order: list[str]  # agency names, most overlap first
    agencies: int = 0  # agencies with any overlap, before the limit

def heatmap(rows: Sequence[Row], metric: str, names: Names, agency: str | None = None,
            limit: int | None = None) -> Heatmap:
    """The agency × agency matrix from `overlap-matrix` rows, symmetric (each pair both ways),
    with `value` = the shared count or the Jaccard index. With `agency`, only that agency and
    the agencies it shares insights with. With `limit`, only the `limit` agencies with the
    most overlap (the filtered agency always among them): a matrix of hundreds of agencies
    cannot be read, and would be tens of thousands of cells to send to the browser."""
    if metric not in ("count", "jaccard"):
        raise ValueError(f"metric must be count or jaccard, not {metric!r}")
    if agency is not None:
        members = {agency} | {r["agency_b"] for r in rows if r["agency_a"] == agency} \
            | {r["agency_a"] for r in rows if r["agency_b"] == agency}
        rows = [r for r in rows if r["agency_a"] in members and r["agency_b"] in members]
    cells = []
    totals: dict[str, float] = defaultdict(float)
    for r in rows:
        value = float(r["shared"]) if metric == "count" else float(r["jaccard"])
        for a, b in ((r["agency_a"], r["agency_b"]), (r["agency_b"], r["agency_a"])):
            cells.append({"a": a, "b": b, "a_name": names.get(Label.AGENCY, a),
                          "b_name": names.get(Label.AGENCY, b), "shared": int(r["shared"]),
                          "jaccard": round(float(r["jaccard"]), 3), "value": value})
            totals[a] += value
    order_ids = sorted(totals, key=lambda a: (-totals[a], names.get(Label.AGENCY, a)))
    everyone = len(order_ids)
    if limit is not None and len(order_ids) > limit:
        kept = order_ids[:limit]
        if agency is not None and agency in totals and agency not in kept:
            kept = [agency, *kept[: limit - 1]]
        keep = set(kept)
        order_ids = [a for a in order_ids if a in keep]
        cells = [c for c in cells if c["a"] in keep and c["b"] in keep]
    frame = pd.DataFrame(cells, columns=["a", "b", "a_name", "b_name", "shared", "jaccard",
                                         "value"])
    return Heatmap(frame, [names.get(Label.AGENCY, a) for a in order_ids], everyone)

def heatmap_agencies(rows: Sequence[Row]) -> list[str]:
    return sorted({r["agency_a"] for r in rows} | {r["agency_b"] for r in rows})

def pair_shared(shared_rows: Sequence[Row], a: str, b: str) -> list[str]:
    """The insights two agencies share, from `shared-problems` rows (pairs are listed once)."""
    for r in shared_rows:
        if {r["agency_a"], r["agency_b"]} == {a, b}:
            return list(r["shared"])
    return []

def reported_via(g: nx.MultiDiGraph, agency: str, insight: str) -> list[str]:
    """How an agency comes to hold an insight: the insight itself if it reports it, and the
    specific instances of it that it reports."""
    a = node_key(Label.AGENCY, agency)
    x = node_key(Label.INSIGHT, insight)
    if a not in g or x not in g:
        return []
    reported = set(out_nodes(g, a, Rel.REPORTS))
    via = [x] if x in reported else []
    via += sorted(u for u in instances(g, x) if u in reported)
    return [node_id(g, k) for k in via]

@dataclass(frozen=True)
class Evidence:
    """An insight's provenance chain, from the `evidence` saved query."""

    sources: list[tuple[str, str, str]] = field(default_factory=list)  # (id, title, url)
    years: list[str] = field(default_factory=list)
    reporters: list[str] = field(default_factory=list)  # agency ids
    reports: list[tuple[str, str, str]] = field(default_factory=list)  # (agency, year, source)
    generals: list[str] = field(default_factory=list)
    principles: list[tuple[str, str, str]] = field(default_factory=list)  # (id, source, via)
    datasets: list[tuple[str, str, str]] = field(default_factory=list)  # (id, title, version)
    source_titles: dict[str, str] = field(default_factory=dict)  # every source row: id → title

def evidence_summary(rows: Iterable[Row]) -> Evidence:
    """The `evidence` query's rows folded into the chain: sources, each reporter with its year
    and own source, the general insights, the principles with their defining source, and the
    datasets with their loaded version."""
    sources: list[tuple[str, str, str]] = []
    years: set[str] = set()
    reports: list[tuple[str, str, str]] = []
    generals: list[str] = []
    principles: list[tuple[str, str, str]] = []
    datasets: list[tuple[str, str, str]] = []
    titles: dict[str, str] = {}
    for r in rows:
        kind, rid = r["kind"], str(r["id"])
        if kind in ("source", "principle_source"):
            titles[rid] = str(r.get("name") or rid)
        if kind == "source":
            sources.append((rid, str(r.get("name") or rid), str(r.get("detail") or "")))
        elif kind == "reported_by":
            reports.append((rid, str(r.get("detail") or ""), str(r.get("source") or "")))
            if r.get("detail"):
                years.add(str(r["detail"]))
        elif kind == "general":
            generals.append(rid)
        elif kind == "principle":
            principles.append((rid, str(r.get("source") or ""), str(r.get("via") or "")))
        elif kind == "dataset":
            datasets.append((rid, str(r.get("name") or rid), str(r.get("detail") or "")))
    return Evidence(sorted(sources), sorted(years), sorted(a for a, _, _ in reports),
                    sorted(reports), sorted(generals), sorted(principles), sorted(datasets),
                    titles)

def chain_texts(ev: Evidence, names: Names) -> dict[str, str]:
    """The chain as short texts for a table row: reporters "Agency (year, source)", principles
    "Principle (source; via general)", datasets "title (version)"."""
    def src(sid: str) -> str:
        return ev.source_titles.get(sid, sid)

    reports = "; ".join(
        names.get(Label.AGENCY, a) + (f" ({', '.join(x for x in (y, src(s) if s else '') if x)})"
                                     if y or s else "") for a, y, s in ev.reports)
    principles = "; ".join(
        names.get(Label.PRINCIPLE, p) + (f" ({src(s)})" if s else "")
        + (f" ← {names.get(Label.INSIGHT, via)}" if via else "") for p, s, via in ev.principles)
    datasets = "; ".join(f"{title} ({version})" if version else title
                         for _, title, version in ev.datasets)
    return {"reports": reports, "generals": "; ".join(names.get(Label.INSIGHT, x)
                                                      for x in ev.generals),
            "principles": principles, "datasets": datasets}


# -- principles --------------------------------------------------------------------------

def principle_overview(g: nx.MultiDiGraph, coverage_rows: Iterable[Row]) -> list[Row]:
    """One row per principle: the insights it addresses (from `principle-coverage`) and the
    agencies that apply it (APPLIES, adopted or planned)."""
    addresses: dict[str, list[str]] = defaultdict(list)
    for r in coverage_rows:
        if r.get("principle") is not None:
            addresses[r["principle"]].append(r["insight"])
    out = []
    for key, a in nodes_of(g, Label.PRINCIPLE):
        adopted: list[str] = []
        planned: list[str] = []
        for u, d in in_rels(g, key, Rel.APPLIES):
            (planned if d.get("status") == "planned" else adopted).append(node_id(g, u))
        out.append({"principle": a["id"], "insights": sorted(addresses.get(a["id"], [])),
                    "adopted_by": sorted(adopted), "planned_by": sorted(planned)})
    out.sort(key=lambda r: (-len(r["insights"]), r["principle"]))
    return out


# -- collaboration -----------------------------------------------------------------------

@dataclass(frozen=True)
class Collaboration:
    """The collaboration analytics of one graph state (`queries.analytics`), as the
    Collaboration page shows them. `holders` maps (network number, insight) to the members
    whose insight set holds that shared problem."""

    communities: Communities
    similarity: Similarity
    reach: tuple[InsightReach, ...]
    bridges: Bridges
    holders: dict[tuple[int, str], tuple[str, ...]]

def collaboration(g: nx.MultiDiGraph, top: int = 20, seed: int = 42,
                  include_status: str | None = None) -> Collaboration:
    """Communities (with who holds each shared problem), the `top` most similar pairs, reach
    and bridges; each one is cached by `queries.analytics` per graph state. `include_status`
    as in the overlap queries (by default only active insights count)."""
    comm = communities(g, seed, include_status)
    sets = agency_insight_sets(g, include_status)
    holders = {(c.number, p.insight): tuple(m for m in c.members if p.insight in sets.get(m, ()))
               for c in comm.communities for p in c.shared_problems}
    return Collaboration(comm, similarity(g, top, include_status), reach(g),
                         bridges(g, seed=seed, include_status=include_status), holders)


# -- what pages read of single nodes --------------------------------------------------------

def attrs_of(g: nx.MultiDiGraph, label: Label | str, node: str) -> dict[str, Any]:
    """A node's attributes by label and id; empty when it is not in the graph."""
    key = node_key(str(label), node)
    return dict(g.nodes[key]) if key in g else {}


def reporter_ids(g: nx.MultiDiGraph, insight: str) -> list[str]:
    """The ids of the agencies that report an insight (by id), sorted."""
    key = node_key(Label.INSIGHT, insight)
    return ids(g, (u for u, _ in reporters(g, key))) if key in g else []


def focus_choices(g: nx.MultiDiGraph, names: Names,
                  preferred: str = "LifeEvent:nar-nagon-har-dott") -> tuple[list[str], str]:
    """Every node key for the network page's focus box, by label (`LABEL_ORDER`) and then by
    display name; and the default focus: `preferred`, else the first life event, else the
    first node (the graph must not be empty)."""
    nodes = sorted(g.nodes, key=lambda n: (node_sort_key(g, n)[0],
                                           names.get(g.nodes[n]["label"], g.nodes[n]["id"])
                                           .casefold()))
    candidates = [preferred, *(n for n in nodes if g.nodes[n]["label"] == Label.LIFE_EVENT)]
    default = next((n for n in candidates if n in g), nodes[0])
    return nodes, default


def node_label(g: nx.MultiDiGraph, key: str) -> str:
    """The label of the node `key`."""
    return str(g.nodes[key]["label"])
