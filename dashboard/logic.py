"""Everything the dashboard computes that is not UI: small, typed functions over the saved-query
rows and the shared networkx form of the graph. No Streamlit here, so all of it is unit-tested.

Offline and escaping rules live here too: `network_html` produces the final vis-network page
(JavaScript inlined from the pyvis package, no http(s) script or link, every data text
HTML-escaped) and `escape_md` makes data safe to put into Streamlit markdown.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import pandas as pd

from graph.model import Label, node_key
from queries.analytics import (
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

Row = dict[str, Any]

# -- names in the current language --------------------------------------------------------------

# Which property holds a node's display text, per label: (Swedish, English).
NAME_FIELDS: dict[str, tuple[str, str]] = {
    "Agency": ("name", "name_en"),
    "Domain": ("name", "name_en"),
    "LifeEvent": ("name", "name_en"),
    "Principle": ("name", "name_en"),
    "Insight": ("title", "title_en"),
    "Source": ("title", "title_en"),
    "JourneyStep": ("action", "action_en"),
}
LABEL_ORDER: tuple[str, ...] = ("LifeEvent", "Agency", "Insight", "Principle", "JourneyStep",
                                "Domain", "Source")
LABEL_COLOURS: dict[str, str] = {
    "Agency": "#1f77b4",
    "Insight": "#d62728",
    "LifeEvent": "#2ca02c",
    "Principle": "#9467bd",
    "JourneyStep": "#ff7f0e",
    "Domain": "#17becf",
    "Source": "#8c8c8c",
}


def display_name(attrs: Mapping[str, Any], lang: str) -> str:
    """A node's name in `lang` ("sv" or "en"): name/name_en, title/title_en or action/action_en
    by label, falling back to Swedish and then to the id."""
    sv, en = NAME_FIELDS.get(str(attrs.get("label", "")), ("name", "name_en"))
    if lang == "en" and attrs.get(en):
        return str(attrs[en])
    for key in (sv, "name", "title", "action"):
        if attrs.get(key):
            return str(attrs[key])
    return str(attrs.get("id", ""))


def localized(attrs: Mapping[str, Any], field_sv: str, lang: str) -> str:
    """Any bilingual property (`statement`/`statement_en` …) in `lang`, falling back to Swedish."""
    if lang == "en" and attrs.get(f"{field_sv}_en"):
        return str(attrs[f"{field_sv}_en"])
    value = attrs.get(field_sv)
    return "" if value is None else str(value)


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
    by_label: dict[str, dict[str, str]] = defaultdict(dict)
    for _, a in g.nodes(data=True):
        by_label[a["label"]][a["id"]] = display_name(a, lang)
    return Names(dict(by_label), lang)


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>$:])")


def escape_md(text: Any) -> str:
    """Data made inert for st.markdown / st.caption / st.subheader: HTML special characters
    become entities and markdown punctuation is backslash-escaped (no links, images, HTML)."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(str(text), quote=False))


def short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# -- graph helpers -------------------------------------------------------------------------------

def _out(g: nx.MultiDiGraph, key: str, rel: str) -> list[tuple[str, dict[str, Any]]]:
    return [(v, d) for _, v, k, d in g.out_edges(key, keys=True, data=True) if k == rel]


def _in(g: nx.MultiDiGraph, key: str, rel: str) -> list[tuple[str, dict[str, Any]]]:
    return [(u, d) for u, _, k, d in g.in_edges(key, keys=True, data=True) if k == rel]


def nodes_of(g: nx.MultiDiGraph, label: Label | str) -> list[tuple[str, dict[str, Any]]]:
    return [(n, a) for n, a in g.nodes(data=True) if a["label"] == str(label)]


# -- overview ------------------------------------------------------------------------------------

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
        if a["label"] == "LifeEvent" and _out(g, n, "HAS_STEP"):
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


def general_insight_reach(g: nx.MultiDiGraph) -> list[Row]:
    """The general insights, each with the agencies that report it directly or through one of
    its specific instances (INSTANCE_OF), most reported first."""
    out = []
    for key, a in nodes_of(g, Label.INSIGHT):
        if a.get("kind") != "general":
            continue
        instances = [u for u, _ in _in(g, key, "INSTANCE_OF")]
        reporters = {g.nodes[u]["id"] for x in (key, *instances) for u, _ in _in(g, x, "REPORTS")}
        out.append({"insight": a["id"], "agencies": len(reporters), "instances": len(instances),
                    "agency_ids": sorted(reporters)})
    out.sort(key=lambda r: (-r["agencies"], r["insight"]))
    return out


# -- journeys and burden -------------------------------------------------------------------------

def burden_index(g: nx.MultiDiGraph) -> dict[str, float]:
    """life event id → journey burden index (queries.analytics.burden)."""
    return {b.life_event: float(b.index) for b in burden(g)}


def burden_formula() -> str:
    return str(BURDEN_FORMULA)


def burden_rows(burdens: Sequence[JourneyBurden]) -> list[Row]:
    """One row per life event with a journey, heaviest first: the same decomposition as the
    report (queries.analytics.burden_table), whose `<term>_points` add up to `index`."""
    return burden_table(burdens)


def life_events_with_journeys(g: nx.MultiDiGraph) -> list[str]:
    return sorted(a["id"] for n, a in nodes_of(g, Label.LIFE_EVENT) if _out(g, n, "HAS_STEP"))


def life_event_insights(g: nx.MultiDiGraph, life_event: str) -> list[Row]:
    """The insights that arise in a life event (ARISES_IN), specific before general, each with
    its general insights, the agencies that report it and the principles that address it.
    `shared-problems` with a life-event filter is not enough: it only lists insights that two
    agencies share, so insights with one reporter or none would be missing."""
    le = node_key(Label.LIFE_EVENT, life_event)
    if le not in g:
        return []
    out = []
    for i, _ in _in(g, le, "ARISES_IN"):
        a = g.nodes[i]
        out.append({
            "insight": a["id"], "kind": a.get("kind", ""), "status": a.get("status", "active"),
            "generals": sorted(g.nodes[x]["id"] for x, _ in _out(g, i, "INSTANCE_OF")),
            "reported_by": sorted(g.nodes[x]["id"] for x, _ in _in(g, i, "REPORTS")),
            "principles": sorted(g.nodes[x]["id"] for x, _ in _in(g, i, "ADDRESSES")),
        })
    out.sort(key=lambda r: (r["kind"] != "specific", -len(r["reported_by"]), r["insight"]))
    return out


def journey_lanes(rows: Sequence[Row], names: Names, lang: str) -> pd.DataFrame:
    """The journey as a step → actor lane frame for a chart: one row per step, with the
    actor's lane position in order of first appearance."""
    lanes: dict[str, int] = {}
    out = []
    for r in rows:
        lanes.setdefault(r["agency"], len(lanes))
        action = r.get("action_en") if lang == "en" and r.get("action_en") else r.get("action")
        out.append({"step": int(r["step_order"]), "actor": names.get(Label.AGENCY, r["agency"]),
                    "lane": lanes[r["agency"]], "action": str(action or ""),
                    "documents": len(r.get("carries") or []),
                    "feedback": str(r.get("feedback") or "immediate"),
                    "handoff": bool(r.get("handoff"))})
    return pd.DataFrame(out, columns=["step", "actor", "lane", "action", "documents", "feedback",
                                      "handoff"])


# -- overlap -------------------------------------------------------------------------------------

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
    reported = {v for v, _ in _out(g, a, "REPORTS")}
    via = [x] if x in reported else []
    via += sorted(u for u, _ in _in(g, x, "INSTANCE_OF") if u in reported)
    return [g.nodes[k]["id"] for k in via]


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


# -- principles ----------------------------------------------------------------------------------

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
        for u, d in _in(g, key, "APPLIES"):
            (planned if d.get("status") == "planned" else adopted).append(g.nodes[u]["id"])
        out.append({"principle": a["id"], "insights": sorted(addresses.get(a["id"], [])),
                    "adopted_by": sorted(adopted), "planned_by": sorted(planned)})
    out.sort(key=lambda r: (-len(r["insights"]), r["principle"]))
    return out


# -- collaboration -------------------------------------------------------------------------------

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


def collaboration(g: nx.MultiDiGraph, top: int = 20, seed: int = 42) -> Collaboration:
    """Communities (with who holds each shared problem), the `top` most similar pairs, reach
    and bridges; each one is cached by `queries.analytics` per graph state."""
    comm = communities(g, seed)
    sets = agency_insight_sets(g)
    holders = {(c.number, p.insight): tuple(m for m in c.members if p.insight in sets.get(m, ()))
               for c in comm.communities for p in c.shared_problems}
    return Collaboration(comm, similarity(g, top), reach(g), bridges(g, seed=seed), holders)


def name_list(names: Sequence[str], limit: int = 5) -> tuple[str, int]:
    """The names sorted case-insensitively and joined by ", ": all of them when there are at
    most `limit` + 1 (no "and 1 more"), else the first `limit`; and how many were left out."""
    ordered = sorted(names, key=str.casefold)
    if len(ordered) <= limit + 1:
        return ", ".join(ordered), 0
    return ", ".join(ordered[:limit]), len(ordered) - limit


# -- tables and downloads ------------------------------------------------------------------------

def cell(value: Any) -> Any:
    """Lists become '; '-joined text, so tables and CSV show them in one cell."""
    if isinstance(value, list | tuple | set):
        return "; ".join(str(v) for v in value)
    return value


def frame(rows: Sequence[Row], columns: Sequence[str]) -> pd.DataFrame:
    return pd.DataFrame([{c: cell(r.get(c)) for c in columns} for r in rows], columns=list(columns))


def to_csv(df: pd.DataFrame) -> bytes:
    """CSV with a BOM, so that spreadsheet programs read å, ä and ö right."""
    buf = io.StringIO()
    df.to_csv(buf, index=False, quoting=csv.QUOTE_MINIMAL)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def to_json(rows: Sequence[Row]) -> bytes:
    return json.dumps(list(rows), ensure_ascii=False, indent=2, default=str).encode("utf-8")


# -- saved-query parameters in the URL -----------------------------------------------------------

QUERY_KEY = "query"


def params_from_url(param_names: Iterable[str], url: Mapping[str, Any]) -> dict[str, str]:
    """The raw (text) values of a query's parameters found in the URL's query string."""
    out = {}
    for name in param_names:
        value = url.get(name)
        if isinstance(value, list):
            value = value[-1] if value else None
        if value is not None and value != "":
            out[name] = str(value)
    return out


def params_to_url(query: str, values: Mapping[str, Any]) -> dict[str, str]:
    """What the URL should hold for a query and its parameter values (None is left out)."""
    out = {QUERY_KEY: query}
    for name, value in values.items():
        if value is None or value == "":
            continue
        out[name] = ("true" if value else "false") if isinstance(value, bool) else str(value)
    return out


# -- the network view ----------------------------------------------------------------------------

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
    """The part of the graph that belongs to a life event: the event, its domain and journey
    steps, the actors that take part or handle a step, the insights that arise in it (and their
    general insights), the agencies that report those, the principles that address them and the
    sources behind all of it."""
    le = node_key(Label.LIFE_EVENT, life_event)
    if le not in g:
        return set()
    keep = {le}
    keep.update(v for v, _ in _out(g, le, "IN_DOMAIN"))
    steps = [v for v, _ in _out(g, le, "HAS_STEP")]
    keep.update(steps)
    keep.update(u for u, _ in _in(g, le, "TAKES_PART_IN"))
    for s in steps:
        keep.update(v for v, _ in _out(g, s, "HANDLED_BY"))
    insights = {u for u, _ in _in(g, le, "ARISES_IN")}
    insights |= {v for i in list(insights) for v, _ in _out(g, i, "INSTANCE_OF")}
    keep |= insights
    for i in insights:
        keep.update(u for u, _ in _in(g, i, "REPORTS"))
        keep.update(u for u, _ in _in(g, i, "ADDRESSES"))
    for n in list(keep):
        keep.update(v for v, _ in _out(g, n, "SUPPORTED_BY"))
        keep.update(v for v, _ in _out(g, n, "DEFINED_IN"))
    return keep


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


# Which extra, bilingual text a tooltip shows per label.
_TOOLTIP_TEXT = {"Insight": "statement", "LifeEvent": "description", "Principle": "description"}
_TOOLTIP_PLAIN = ("kind", "status", "role", "short_name", "org_nr", "date", "feedback")

_EXTERNAL_TAG = re.compile(
    r"<link\b[^>]*\bhref\s*=\s*[\"']?\s*(?:https?:)?//[^>]*>"
    r"|<script\b[^>]*\bsrc\s*=\s*[\"']?\s*(?:https?:)?//[^>]*>\s*</script\s*>",
    re.IGNORECASE | re.DOTALL)
_EXTERNAL_REF = re.compile(r"\b(?:src|href)\s*=\s*[\"']?\s*(?:https?:)?//", re.IGNORECASE)
_EMPTY_HEADING = re.compile(r"<center>\s*<h1>\s*</h1>\s*</center>", re.IGNORECASE)


def strip_external(page: str) -> str:
    """Remove every <link href="http(s)://…"> and <script src="http(s)://…"></script> (pyvis's
    template pulls Bootstrap from a CDN even with inlined resources) and pyvis's empty headings."""
    return _EMPTY_HEADING.sub("", _EXTERNAL_TAG.sub("", page))


def external_refs(page: str) -> list[str]:
    """Every src= or href= that points to another host (http, https or protocol-relative)."""
    return [m.group(0) for m in _EXTERNAL_REF.finditer(page)]


def tooltip(attrs: Mapping[str, Any], lang: str, label_names: Mapping[str, str]) -> str:
    """A node's tooltip as HTML: our own <b> and <br> around data that is HTML-escaped."""
    label = str(attrs.get("label", ""))
    lines = [f"<b>{html.escape(label_names.get(label, label))}</b>",
             f"<b>{html.escape(display_name(attrs, lang))}</b>",
             f"id: {html.escape(str(attrs.get('id', '')))}"]
    text_field = _TOOLTIP_TEXT.get(label)
    if text_field:
        text = localized(attrs, text_field, lang)
        if text:
            lines.append(html.escape(short(text, 300)))
    for key in _TOOLTIP_PLAIN:
        if attrs.get(key) not in (None, ""):
            lines.append(f"{html.escape(key)}: {html.escape(str(attrs[key]))}")
    if attrs.get("customer_carries"):
        lines.append("carries: " + html.escape(", ".join(map(str, attrs["customer_carries"]))))
    return _no_href("<br>".join(lines))


def _no_href(text: str) -> str:
    """pyvis switches to a tooltip mode that sets innerHTML from the raw title whenever a
    title contains 'href'; write the h as an entity so that mode never turns on."""
    return re.sub("href", "&#104;ref", text, flags=re.IGNORECASE)


def edge_tooltip(e: ViewEdge, rel_names: Mapping[str, str]) -> str:
    parts = [html.escape(rel_names.get(e.type, e.type))]
    parts += [f"{html.escape(k)}: {html.escape(str(v))}" for k, v in sorted(e.props.items())]
    return _no_href("<br>".join(parts))


_INJECT = """
<style>
  body { margin: 0; font-family: "Source Sans Pro", Arial, sans-serif; }
  .card { border: 0; }
  #mynetwork { float: none !important; border: 1px solid #e6e6e6 !important; }
  div.vis-tooltip { max-width: 380px; white-space: normal !important; font-size: 13px;
                    line-height: 1.35; font-family: Arial, Helvetica, sans-serif; }
  .insikt-legend { font-family: Arial, Helvetica, sans-serif; }
  .insikt-legend { position: absolute; top: 8px; left: 8px; z-index: 5; font-size: 12px;
                   background: rgba(255,255,255,0.92); border: 1px solid #ddd;
                   border-radius: 4px; padding: 4px 8px; pointer-events: none; }
  .insikt-legend div { white-space: nowrap; line-height: 1.5; }
  .insikt-legend span { display: inline-block; width: 10px; height: 10px; border-radius: 50%;
                        margin-right: 5px; vertical-align: middle; }
</style>
<!--LEGEND-->
<script type="text/javascript">
(function () {
  // Titles arrive as escaped HTML (our <b>/<br> around escaped data): show them as such.
  // Labels arrive escaped too; decoding them to plain text is safe, the canvas draws text.
  function asElement(s) { var d = document.createElement("div"); d.innerHTML = s; return d; }
  function asText(s) {
    return new DOMParser().parseFromString("<body>" + s, "text/html").body.textContent;
  }
  if (typeof nodes !== "undefined" && typeof edges !== "undefined") {
    var nu = [];
    nodes.forEach(function (n) {
      var u = {id: n.id};
      if (typeof n.title === "string") { u.title = asElement(n.title); }
      if (typeof n.label === "string") { u.label = asText(n.label); }
      nu.push(u);
    });
    nodes.update(nu);
    var eu = [];
    edges.forEach(function (e) {
      if (typeof e.title === "string") { eu.push({id: e.id, title: asElement(e.title)}); }
    });
    edges.update(eu);
  }
  // Physics only until the layout is stable, so that the view stops moving.
  if (typeof network !== "undefined") {
    var off = function () {
      if (document.body.getAttribute("data-physics") === "off") { return; }
      network.setOptions({physics: false});
      document.body.setAttribute("data-physics", "off");
    };
    network.once("stabilizationIterationsDone", off);
    network.once("stabilized", off);
    setTimeout(off, 20000);
  }
})();
</script>
"""


def legend_html(labels: Iterable[str], label_names: Mapping[str, str],
                counts: Mapping[str, int]) -> str:
    items = "".join(
        f'<div><span style="background:{LABEL_COLOURS.get(lb, "#999")}"></span>'
        f"{html.escape(label_names.get(lb, lb))} ({counts.get(lb, 0)})</div>"
        for lb in labels)
    return f'<div class="insikt-legend">{items}</div>'


def network_html(g: nx.MultiDiGraph, view: GraphView, lang: str,
                 label_names: Mapping[str, str], rel_names: Mapping[str, str] | None = None,
                 height: int = 650) -> str:
    """The final, standalone HTML of a vis-network view: the same string is shown in the app
    and offered as a download. Offline: pyvis inlines vis-network from its own package files
    (cdn_resources="in_line") and every http(s) <script>/<link> of its template is removed.
    Safe: labels and tooltips are HTML-escaped before pyvis embeds them (as JSON that escapes
    <, > and & again). Physics runs until the layout is stable and is then switched off."""
    from pyvis.network import Network

    rel_names = rel_names or {}
    net = Network(height=f"{height}px", width="100%", directed=True, cdn_resources="in_line",
                  bgcolor="#ffffff", font_color="#262730")
    counts: dict[str, int] = defaultdict(int)
    for n in view.nodes:
        a = g.nodes[n]
        counts[a["label"]] += 1
        is_focus = n == view.focus
        net.add_node(n, label=html.escape(short(display_name(a, lang), 30)),
                     title=tooltip(a, lang, label_names),
                     color=LABEL_COLOURS.get(a["label"], "#999999"), shape="dot",
                     size=26 if is_focus else (16 if a.get("kind") == "general" else 12),
                     borderWidth=4 if is_focus else 1)
    for e in view.edges:
        net.add_edge(e.start, e.end, title=edge_tooltip(e, rel_names),
                     color="#9aa0a6" if e.type != ROW_EDGE else "#c5c9ce",
                     dashes=e.type == ROW_EDGE, arrows="" if e.type == ROW_EDGE else "to")
    many = len(view.nodes) > 120
    net.options = {
        "interaction": {"hover": True, "tooltipDelay": 150, "navigationButtons": False},
        "nodes": {"font": {"size": 12, "face": "Arial", "strokeWidth": 3,
                           "strokeColor": "#ffffff"}},
        "edges": {"smooth": False, "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
                  "width": 1},
        "physics": {"enabled": True, "solver": "forceAtlas2Based",
                    "forceAtlas2Based": {"gravitationalConstant": -110, "springLength": 140,
                                         "centralGravity": 0.008, "avoidOverlap": 0.7},
                    "stabilization": {"enabled": True, "iterations": 400 if many else 250,
                                      "fit": True}},
    }
    page = strip_external(net.generate_html())
    shown = [lb for lb in LABEL_ORDER if counts.get(lb)]
    inject = _INJECT.replace("<!--LEGEND-->", legend_html(shown, label_names, counts))
    page = page.replace("</body>", inject + "</body>", 1) if "</body>" in page else page + inject
    refs = external_refs(page)
    if refs:  # fail closed: never hand out a page that would reach the internet
        raise ValueError(f"network HTML still refers to other hosts: {refs[:3]}")
    return page
