"""The saved queries. Each one: names, titles, description, parameters, Cypher and its
networkx twin, side by side so that a change to one is seen next to the other."""

from __future__ import annotations

import weakref
from collections import defaultdict
from typing import Any

import networkx as nx

from graph.errors import QueryRefused
from graph.model import SEARCH_FIELD, Label, node_key, search_tokens
from graph.projection import (
    EXCLUDABLE_STATUSES,
    INCLUDE_STATUS_HELP,
    INCLUDE_STATUS_HELP_SV,
    PairTable,
    excluded_statuses,
    id_list,
    pair_table,
    problem_sets,
    ranked_pairs,
    selected,
)
from graph.store import DATASETS_ATTR
from graph.walk import (
    coalesced_name,
    in_rels,
    name_of,
    node_id,
    out_rels,
    rels_of_type,
    with_generals,
)

from .types import Param, Row, SavedQuery, register

# -- shared pieces ------------------------------------------------------------------------

LIFE_EVENT = Param("life_event", "str", "only insights that arise in this life event (id)",
                   choices=Label.LIFE_EVENT,
                   help_sv="bara insikter som uppstår i den här livshändelsen (id)")
DOMAIN = Param("domain", "str", "only insights in life events of this domain (id)",
               choices=Label.DOMAIN, help_sv="bara insikter i livshändelser inom området (id)")
AGENCY = Param("agency", "str", "only pairs that include this agency (id)", choices=Label.AGENCY,
               help_sv="bara par där den här myndigheten ingår (id)")
INCLUDE_STATUS = Param("include_status", "str", INCLUDE_STATUS_HELP,
                       help_sv=INCLUDE_STATUS_HELP_SV)
MIN_SHARED = Param("min_shared", "int", "only pairs sharing at least this many problems",
                   default=1, minimum=1,
                   help_sv="bara par som delar minst så här många problem")
LIMIT = Param("limit", "int", "at most this many pairs (one page)", default=100, minimum=1,
              maximum=10_000, help_sv="högst så här många par (en sida)")
OFFSET = Param("offset", "int", "skip this many pairs first (the next pages)", default=0,
               minimum=0, help_sv="hoppa över så här många par först (nästa sidor)")


def _overlap_params(p: dict[str, Any]) -> dict[str, Any]:
    """The Cypher parameters the overlap queries derive (and the checks both backends run):
    the statuses left out, the agency list, and whether the Neo4j store's ranked pair table
    answers (no status, life-event or domain filter)."""
    excluded = excluded_statuses(p.get("include_status"))
    return {"excluded_status": list(excluded),
            "agency_list": id_list(p.get("agencies"), "agencies"),
            "pair_table": (excluded == EXCLUDABLE_STATUSES and p.get("life_event") is None
                           and p.get("domain") is None)}


# Cypher: the projection row `h` passes the filters through one of its reported insights
# (graph.projection; `dle` is the domain's life events).
def _passes(h: str) -> str:
    return (f"ANY(k IN range(0, size({h}.via_status) - 1) WHERE "
            f"NOT {h}.via_status[k] IN $excluded_status "
            f"AND ($life_event IS NULL OR {h}.via_event[k] = $life_event) "
            f"AND ($domain IS NULL OR {h}.via_event[k] IN dle))")


DOMAIN_EVENTS = "WITH [(le:LifeEvent)-[:IN_DOMAIN]->(:Domain {id: $domain}) | le.id] AS dle"
PROJECTION_NOTE = (" Counted on the agency–problem projection: insights a curator marked as "
                   "the same problem (SAME_PROBLEM) count as one problem, named by the "
                   "smallest id among them; proposed, disputed and superseded insights count "
                   "only with include_status.")


def _held(g: nx.MultiDiGraph, p: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Agency id → problem id → kind, for the rows that pass the query's filters."""
    return problem_sets(selected(g, p))


_TABLES: weakref.WeakKeyDictionary[nx.MultiDiGraph, dict[tuple[Any, ...], Any]] = \
    weakref.WeakKeyDictionary()


def _held_pairs(g: nx.MultiDiGraph, p: dict[str, Any]
                ) -> tuple[dict[str, dict[str, str]], PairTable]:
    """`_held` and its pair table, kept per graph object and filters (a few of them), so the
    next page or another agency's pairs cost no recount."""
    sets = _held_sets(g, p)
    memo = _TABLES.setdefault(g, {})
    key = ("pairs", len(g), excluded_statuses(p.get("include_status")), p.get("life_event"),
           p.get("domain"))
    if key not in memo:
        memo[key] = pair_table(sets)
    table: PairTable = memo[key]
    return sets, table


def _held_sets(g: nx.MultiDiGraph, p: dict[str, Any]) -> dict[str, dict[str, str]]:
    """`_held`, kept per graph object and filters (at most 16 entries per graph)."""
    memo = _TABLES.setdefault(g, {})
    if len(memo) >= 16:
        memo.clear()
    key = ("sets", len(g), excluded_statuses(p.get("include_status")), p.get("life_event"),
           p.get("domain"))
    if key not in memo:
        memo[key] = _held(g, p)
    sets: dict[str, dict[str, str]] = memo[key]
    return sets


# -- shared-problems ----------------------------------------------------------------------

def _shared_problems(g: nx.MultiDiGraph, p: dict[str, Any]) -> list[Row]:
    _overlap_params(p)
    sets, t = _held_pairs(g, p)
    ai, bi, jac = ranked_pairs(t, p["min_shared"], p["agency"])
    page = slice(p["offset"], p["offset"] + p["limit"])
    out = []
    for i, j in zip(ai[page].tolist(), bi[page].tolist(), strict=True):
        a, b = t.agencies[i], t.agencies[j]
        out.append({"agency_a": a, "agency_a_name": name_of(g, node_key(Label.AGENCY, a)),
                    "agency_b": b, "agency_b_name": name_of(g, node_key(Label.AGENCY, b)),
                    "shared_count": int(t.shared[i, j]),
                    "specific_count": int(t.specific[i, j]), "jaccard": float(jac[i, j]),
                    "shared": sorted(set(sets[a]) & set(sets[b])), "total": len(ai)})
    return out


register(SavedQuery(
    name="shared-problems",
    title_sv="Gemensamma kundproblem",
    title_en="Shared customer problems",
    description="Pairs of agencies that hold the same customer problems, strongest first: most "
    "shared specific problems, then most shared problems, then the Jaccard index (shared / "
    "union of the two agencies' problems). A specific insight also counts as its general "
    "insight, so two agencies reporting different instances of 'Kunden får agera kurir' share "
    "that general problem. One page of pairs (limit, offset); `total` is the number of pairs "
    "in all." + PROJECTION_NOTE,
    description_sv="Par av myndigheter som har samma kundproblem, starkast först: flest delade "
    "specifika problem, sedan flest delade problem, sedan Jaccard-index. En sida par (limit, "
    "offset); `total` är antalet par totalt. Insikter som markerats som samma problem räknas "
    "som ett; föreslagna, omstridda och ersatta insikter räknas bara med include_status.",
    params=(LIFE_EVENT, DOMAIN, AGENCY, MIN_SHARED, INCLUDE_STATUS, LIMIT, OFFSET),
    cypher=DOMAIN_EVENTS + """
CALL {
  // Unfiltered: the pair table the projection keeps, already ranked (graph.projection):
  // the page is a range of `rank` (an index seek), the total the label's count.
  WITH dle
  WITH dle WHERE $pair_table AND $agency IS NULL AND $min_shared = 1
  MATCH (r:InsiktPair) WHERE r.rank >= $offset AND r.rank < $offset + $limit
  RETURN r.a AS a, r.b AS b, r.shared AS shared, r.specific AS spec, r.jaccard AS jaccard,
         r.problems AS problems, COUNT { MATCH (q:InsiktPair) } AS total
  UNION ALL
  // Unfiltered, one agency's pairs (two index seeks) or a higher min_shared.
  WITH dle
  WITH dle WHERE $pair_table AND ($agency IS NOT NULL OR $min_shared > 1)
  CALL {
    MATCH (p:InsiktPair {a: $agency}) RETURN p
    UNION
    MATCH (p:InsiktPair {b: $agency}) RETURN p
    UNION
    MATCH (p:InsiktPair) WHERE $agency IS NULL RETURN p
  }
  WITH p WHERE p.shared >= $min_shared
  WITH p ORDER BY p.rank
  WITH collect(p) AS pairs
  UNWIND pairs[$offset..($offset + $limit)] AS r
  RETURN r.a AS a, r.b AS b, r.shared AS shared, r.specific AS spec, r.jaccard AS jaccard,
         r.problems AS problems, size(pairs) AS total
  UNION ALL
  // Filtered: pairs within each problem's holders, from the projection rows that pass.
  // (The UNWIND is the guard: no row, and the scan below never starts.)
  WITH dle
  UNWIND CASE WHEN $pair_table THEN [] ELSE [dle] END AS dle2
  MATCH (h:InsiktProjection) WHERE """ + _passes("h").replace("IN dle", "IN dle2") + """
  WITH dle2 AS dle, h.agency AS agency, collect([h.problem, h.kind = 'specific']) AS held
  UNWIND held AS x
  WITH dle, agency, size(held) AS n, x[0] AS problem, x[1] AS specific
  // With $agency, only the problems it holds (one index seek per row, not every pair).
  WHERE $agency IS NULL OR EXISTS {
    MATCH (m:InsiktProjection {agency: $agency, problem: problem}) WHERE """ + _passes("m") + """ }
  WITH dle, problem, specific, collect({id: agency, n: n}) AS holders
  WHERE size(holders) > 1
  UNWIND [r IN holders WHERE $agency IS NULL OR r.id = $agency] AS a
  UNWIND holders AS b
  WITH dle, a, b, specific
  WHERE a.id <> b.id AND ($agency IS NOT NULL OR a.id < b.id)
  WITH dle, CASE WHEN a.id < b.id THEN a ELSE b END AS first,
       CASE WHEN a.id < b.id THEN b ELSE a END AS second, specific
  WITH dle, first.id AS a, second.id AS b, first.n + second.n AS both, count(*) AS shared,
       sum(CASE WHEN specific THEN 1 ELSE 0 END) AS spec
  WHERE shared >= $min_shared
  WITH dle, a, b, shared, spec, toFloat(shared) / (both - shared) AS jaccard
  ORDER BY spec DESC, shared DESC, jaccard DESC, a, b
  WITH dle, collect({a: a, b: b, shared: shared, spec: spec, jaccard: jaccard}) AS pairs
  UNWIND pairs[$offset..($offset + $limit)] AS r
  RETURN r.a AS a, r.b AS b, r.shared AS shared, r.spec AS spec, r.jaccard AS jaccard,
         COLLECT {
           MATCH (h1:InsiktProjection {agency: r.a}) WHERE """ + _passes("h1") + """
           MATCH (h2:InsiktProjection {agency: r.b, problem: h1.problem})
           WHERE """ + _passes("h2") + """
           RETURN DISTINCT h1.problem AS sp ORDER BY sp } AS problems,
         size(pairs) AS total
}
MATCH (x:Agency {id: a})
MATCH (y:Agency {id: b})
RETURN a AS agency_a, x.name AS agency_a_name, b AS agency_b, y.name AS agency_b_name,
       shared AS shared_count, spec AS specific_count, jaccard,
       problems AS shared,
       total
ORDER BY specific_count DESC, shared_count DESC, jaccard DESC, agency_a, agency_b
""",
    embedded=_shared_problems,
    columns=("agency_a", "agency_a_name", "agency_b", "agency_b_name", "shared_count",
             "specific_count", "jaccard", "shared", "total"),
    order_by=("-specific_count", "-shared_count", "-jaccard", "agency_a", "agency_b"),
    node_columns={"agency_a": Label.AGENCY, "agency_b": Label.AGENCY},
    example={"life_event": "nar-nagon-har-dott"},
    prepare=_overlap_params,
    uses_projection=True,
))


# -- overlap-matrix -----------------------------------------------------------------------

def _overlap_matrix(g: nx.MultiDiGraph, p: dict[str, Any]) -> list[Row]:
    wanted = _overlap_params(p)["agency_list"]
    sets = _held_sets(g, p)
    everyone = sorted(sets, key=lambda a: (-len(sets[a]), a))
    chosen = everyone[:p["top"]] if wanted is None else [a for a in everyone if a in wanted]
    t = pair_table({a: sets[a] for a in chosen})
    ai, bi, jac = ranked_pairs(t, p["min_shared"], None)
    return [{
        "agency_a": t.agencies[i], "agency_a_name": name_of(g, node_key(Label.AGENCY,
                                                                        t.agencies[i])),
        "agency_b": t.agencies[j], "agency_b_name": name_of(g, node_key(Label.AGENCY,
                                                                        t.agencies[j])),
        "shared": int(t.shared[i, j]), "specific_count": int(t.specific[i, j]),
        "a_total": int(t.totals[i]), "b_total": int(t.totals[j]), "jaccard": float(jac[i, j]),
        "agencies_total": len(everyone)} for i, j in zip(ai.tolist(), bi.tolist(), strict=True)]


register(SavedQuery(
    name="overlap-matrix",
    title_sv="Överlappsmatris",
    title_en="Overlap matrix",
    description="Agency × agency for the `top` agencies that hold most problems (or the "
    "agencies listed in `agencies`): how many problems each pair shares (specific insights "
    "also counted as their general ones), how many of them are specific, the size of each "
    "agency's set and the Jaccard index (shared / union). Pairs are listed once, with "
    "agency_a < agency_b; `agencies_total` is the number of agencies holding any problem."
    + PROJECTION_NOTE,
    description_sv="Myndighet × myndighet för de `top` myndigheter som har flest problem "
    "(eller de som listas i `agencies`): hur många problem varje par delar, hur många av dem "
    "som är specifika, storleken på varje myndighets mängd och Jaccard-index.",
    params=(LIFE_EVENT, DOMAIN, MIN_SHARED, INCLUDE_STATUS,
            Param("top", "int", "the agencies that hold most problems, this many", default=30,
                  minimum=1, maximum=400,
                  help_sv="så här många av de myndigheter som har flest problem"),
            Param("agencies", "str", "these agencies instead (comma-separated ids)",
                  help_sv="i stället dessa myndigheter (kommaseparerade id)")),
    cypher=DOMAIN_EVENTS + """
MATCH (h:InsiktProjection) WHERE """ + _passes("h") + """
WITH dle, h.agency AS agency, count(*) AS n
ORDER BY n DESC, agency
WITH dle, collect({id: agency, n: n}) AS everyone
WITH dle, size(everyone) AS agencies_total,
     CASE WHEN $agency_list IS NULL THEN everyone[0..$top]
          ELSE [r IN everyone WHERE r.id IN $agency_list] END AS chosen
UNWIND chosen AS c
MATCH (h:InsiktProjection {agency: c.id}) WHERE """ + _passes("h") + """
WITH agencies_total, h.problem AS problem, h.kind = 'specific' AS specific, collect(c) AS holders
UNWIND holders AS a
UNWIND holders AS b
WITH agencies_total, a, b, specific WHERE a.id < b.id
WITH agencies_total, a, b, count(*) AS shared, sum(CASE WHEN specific THEN 1 ELSE 0 END) AS spec
WHERE shared >= $min_shared
MATCH (x:Agency {id: a.id})
MATCH (y:Agency {id: b.id})
RETURN a.id AS agency_a, x.name AS agency_a_name, b.id AS agency_b, y.name AS agency_b_name,
       shared, spec AS specific_count, a.n AS a_total, b.n AS b_total,
       toFloat(shared) / (a.n + b.n - shared) AS jaccard, agencies_total
ORDER BY shared DESC, jaccard DESC, agency_a, agency_b
""",
    embedded=_overlap_matrix,
    columns=("agency_a", "agency_a_name", "agency_b", "agency_b_name", "shared",
             "specific_count", "a_total", "b_total", "jaccard", "agencies_total"),
    order_by=("-shared", "-jaccard", "agency_a", "agency_b"),
    node_columns={"agency_a": Label.AGENCY, "agency_b": Label.AGENCY},
    example={"domain": "familj"},
    prepare=_overlap_params,
    uses_projection=True,
))


# -- agency-profile -----------------------------------------------------------------------

def _agency_profile(g: nx.MultiDiGraph, p: dict[str, Any]) -> list[Row]:
    excluded_statuses(p.get("include_status"))
    a = node_key(Label.AGENCY, p["agency"])
    if a not in g:
        return []
    rows: list[Row] = []
    for i, d in out_rels(g, a, "REPORTS"):
        rows.append({"section": "insight", "id": node_id(g, i), "name": name_of(g, i),
                     "detail": "" if d.get("year") is None else str(d["year"])})
    events: dict[str, str] = {}
    for le, d in out_rels(g, a, "TAKES_PART_IN"):
        events[le] = d.get("role") or ""
    for step, _ in in_rels(g, a, "HANDLED_BY"):
        for le, _ in in_rels(g, step, "HAS_STEP"):
            events.setdefault(le, "")
    for i, _ in out_rels(g, a, "REPORTS"):
        for le, _ in out_rels(g, i, "ARISES_IN"):
            events.setdefault(le, "")
    rows += [{"section": "life_event", "id": node_id(g, le), "name": name_of(g, le), "detail": role}
             for le, role in events.items()]
    for pr, d in out_rels(g, a, "APPLIES"):
        rows.append({"section": "principle", "id": node_id(g, pr), "name": name_of(g, pr),
                     "detail": d.get("status") or ""})
    sets = _held_sets(g, {"include_status": p.get("include_status")})
    mine = set(sets.get(p["agency"], {}))
    peers = []
    for b, xs in sets.items():
        n = len(mine.intersection(xs)) if b != p["agency"] else 0
        if n:
            peers.append((-n, b))
    peers.sort()
    rows += [{"section": "peer", "id": b, "name": name_of(g, node_key(Label.AGENCY, b)),
              "detail": str(-neg)} for neg, b in peers[:5]]
    return rows


register(SavedQuery(
    name="agency-profile",
    title_sv="Myndighetsprofil",
    title_en="Agency profile",
    description="One agency's insights (detail: year reported), life events (detail: role), "
    "principles (detail: adopted/planned) and its five closest peers (detail: number of "
    "shared problems, general ones included)." + PROJECTION_NOTE,
    params=(Param("agency", "str", "the agency (id)", required=True, choices=Label.AGENCY,
                  help_sv="myndigheten (id)"),
            INCLUDE_STATUS),
    cypher="""
MATCH (a:Agency {id: $agency})
CALL {
  WITH a
  MATCH (a)-[r:REPORTS]->(i:Insight)
  RETURN 'insight' AS section, i.id AS id, i.title AS name,
         coalesce(toString(r.year), '') AS detail
  UNION
  WITH a
  OPTIONAL MATCH (a)-[:TAKES_PART_IN]->(l1:LifeEvent)
  OPTIONAL MATCH (l2:LifeEvent)-[:HAS_STEP]->(:JourneyStep)-[:HANDLED_BY]->(a)
  OPTIONAL MATCH (a)-[:REPORTS]->(:Insight)-[:ARISES_IN]->(l3:LifeEvent)
  WITH a, collect(l1) + collect(l2) + collect(l3) AS events
  UNWIND events AS le
  WITH DISTINCT a, le
  OPTIONAL MATCH (a)-[t:TAKES_PART_IN]->(le)
  RETURN 'life_event' AS section, le.id AS id, le.name AS name, coalesce(t.role, '') AS detail
  UNION
  WITH a
  MATCH (a)-[r:APPLIES]->(p:Principle)
  RETURN 'principle' AS section, p.id AS id, p.name AS name, coalesce(r.status, '') AS detail
  UNION
  WITH a
  // The projection (graph.projection): one row per problem the agency holds, then one per
  // other holder of it; no insight is expanded here.
  MATCH (h:InsiktProjection {agency: a.id})
  WHERE ANY(s IN h.via_status WHERE NOT s IN $excluded_status)
  MATCH (o:InsiktProjection {problem: h.problem})
  WHERE o.agency <> a.id AND ANY(s IN o.via_status WHERE NOT s IN $excluded_status)
  WITH o.agency AS b, count(*) AS n
  ORDER BY n DESC, b
  LIMIT 5
  MATCH (peer:Agency {id: b})
  RETURN 'peer' AS section, b AS id, peer.name AS name, toString(n) AS detail
}
RETURN section, id, name, detail
ORDER BY section, id
""",
    embedded=_agency_profile,
    columns=("section", "id", "name", "detail"),
    order_by=("section", "id"),
    example={"agency": "skatteverket"},
    prepare=_overlap_params,
    uses_projection=True,
))

# -- who-does-what ------------------------------------------------------------------------

def _who_does_what(g: nx.MultiDiGraph, p: dict[str, Any]) -> list[Row]:
    le = node_key(Label.LIFE_EVENT, p["life_event"])
    if le not in g:
        return []
    roles: dict[str, Any] = {a: d.get("role") for a, d in in_rels(g, le, "TAKES_PART_IN")}
    steps: dict[str, list[int]] = defaultdict(list)
    for step, d in out_rels(g, le, "HAS_STEP"):
        for a, _ in out_rels(g, step, "HANDLED_BY"):
            steps[a].append(int(d["order"]))
    return [{"agency": node_id(g, a), "agency_name": name_of(g, a), "kind": g.nodes[a].get("kind"),
             "role": roles.get(a), "first_step": min(steps[a]) if steps.get(a) else None,
             "steps": len(steps.get(a, []))}
            for a in set(roles) | set(steps)]


register(SavedQuery(
    name="who-does-what",
    title_sv="Vem gör vad",
    title_en="Who does what",
    description="For a life event: every actor that takes part in it or handles a step of its "
    "journey, with its role, the first step it handles and how many steps. Journey order first; "
    "actors without a step come last.",
    params=(Param("life_event", "str", "the life event (id)", required=True,
                  choices=Label.LIFE_EVENT),),
    cypher="""
MATCH (le:LifeEvent {id: $life_event})
OPTIONAL MATCH (a1:Agency)-[:TAKES_PART_IN]->(le)
OPTIONAL MATCH (le)-[:HAS_STEP]->(:JourneyStep)-[:HANDLED_BY]->(a2:Agency)
WITH le, collect(DISTINCT a1) + collect(DISTINCT a2) AS actors
UNWIND actors AS a
WITH DISTINCT le, a
OPTIONAL MATCH (a)-[t:TAKES_PART_IN]->(le)
OPTIONAL MATCH (le)-[h:HAS_STEP]->(s:JourneyStep)-[:HANDLED_BY]->(a)
WITH a, t, min(h.order) AS first_step, count(s) AS steps
RETURN a.id AS agency, a.name AS agency_name, a.kind AS kind, t.role AS role, first_step, steps
ORDER BY first_step, agency
""",
    embedded=_who_does_what,
    columns=("agency", "agency_name", "kind", "role", "first_step", "steps"),
    order_by=("first_step", "agency"),
    node_columns={"agency": Label.AGENCY},
    example={"life_event": "nar-nagon-har-dott"},
))


# -- principle-coverage -------------------------------------------------------------------

def _principle_coverage(g: nx.MultiDiGraph, p: dict[str, Any]) -> list[Row]:
    rows: list[Row] = []
    covered: set[str] = set()
    for u, v, k in g.edges(keys=True):
        if k == "ADDRESSES":
            covered.add(v)
            if not p["gaps_only"]:
                i = g.nodes[v]
                rows.append({"principle": node_id(g, u), "principle_name": name_of(g, u),
                             "insight": i["id"], "insight_title": i.get("title"),
                             "insight_kind": i.get("kind")})
    for key, i in g.nodes(data=True):
        if i["label"] == "Insight" and key not in covered and i.get("status") != "superseded":
            rows.append({"principle": None, "principle_name": None, "insight": i["id"],
                         "insight_title": i.get("title"), "insight_kind": i.get("kind")})
    return rows


register(SavedQuery(
    name="principle-coverage",
    title_sv="Principernas täckning",
    title_en="Principle coverage",
    description="Which insights each principle addresses, followed by the insights that no "
    "principle addresses (principle empty; superseded insights left out). Only direct "
    "ADDRESSES count: a principle for a general insight does not cover its instances here.",
    params=(Param("gaps_only", "bool", "only the insights no principle addresses",
                  default=False),),
    cypher="""
CALL {
  MATCH (p:Principle)-[:ADDRESSES]->(i:Insight)
  WHERE NOT $gaps_only
  RETURN p.id AS principle, p.name AS principle_name, i.id AS insight,
         i.title AS insight_title, i.kind AS insight_kind
  UNION ALL
  MATCH (i:Insight)
  WHERE NOT EXISTS { MATCH (:Principle)-[:ADDRESSES]->(i) }
    AND coalesce(i.status, 'active') <> 'superseded'
  RETURN null AS principle, null AS principle_name, i.id AS insight,
         i.title AS insight_title, i.kind AS insight_kind
}
RETURN principle, principle_name, insight, insight_title, insight_kind
ORDER BY principle, insight
""",
    embedded=_principle_coverage,
    columns=("principle", "principle_name", "insight", "insight_title", "insight_kind"),
    order_by=("principle", "insight"),
    node_columns={"principle": Label.PRINCIPLE, "insight": Label.INSIGHT},
    example={"gaps_only": "true"},
))


# -- action-gap ---------------------------------------------------------------------------

def _action_gap(g: nx.MultiDiGraph, p: dict[str, Any]) -> list[Row]:
    rows = []
    applied: dict[str, set[str]] = {}
    addressed_by: dict[str, tuple[set[str], list[str]]] = {}
    # The principles addressing each insight, from the principles' side: one pass over
    # ADDRESSES, not a walk of every edge into a general insight (its ~10k INSTANCE_OF) once
    # per insight that reports to it.
    direct: dict[str, set[str]] = defaultdict(set)
    for pr, x, _ in rels_of_type(g, "ADDRESSES"):
        direct[x].add(pr)
    only = None if p["agency"] is None else node_key(Label.AGENCY, p["agency"])
    if only is None:
        reports = [(a, i) for a, i, _ in rels_of_type(g, "REPORTS")]
    else:  # that agency's own edges only
        reports = [(only, i) for i, _ in out_rels(g, only, "REPORTS")] if only in g else []
    for a, i in reports:
        if g.nodes[i].get("status") == "superseded":
            continue
        if i not in addressed_by:
            found = {pr for x in with_generals(g, i) for pr in direct.get(x, ())}
            addressed_by[i] = (found, sorted(node_id(g, pr) for pr in found))
        if a not in applied:
            applied[a] = {pr for pr, _ in out_rels(g, a, "APPLIES")}
        principles, principle_ids = addressed_by[i]
        if principles and not principles & applied[a]:
            rows.append({"agency": node_id(g, a), "agency_name": name_of(g, a),
                         "insight": node_id(g, i), "insight_title": g.nodes[i].get("title"),
                         "principles": list(principle_ids)})
    return rows


register(SavedQuery(
    name="action-gap",
    title_sv="Från insikt till handling: luckor",
    title_en="From insight to action: gaps",
    description="Agencies that report an insight for which principles exist (addressing it or "
    "its general insight) but apply none of them, adopted or planned. The principles column "
    "lists what they could adopt. Superseded insights are left out.",
    params=(Param("agency", "str", "only this agency (id)", choices=Label.AGENCY),),
    cypher="""
MATCH (a:Agency)-[:REPORTS]->(i:Insight)
WHERE ($agency IS NULL OR a.id = $agency) AND coalesce(i.status, 'active') <> 'superseded'
// The principles per reported insight as one sorted list (no sort of every (a, i, p) row:
// at 1000x that passed the server's 256 MiB per transaction).
WITH a, i, COLLECT { MATCH (i)-[:INSTANCE_OF*0..1]->(:Insight)<-[:ADDRESSES]-(p:Principle)
                     RETURN DISTINCT p.id AS pid ORDER BY pid } AS principles
WHERE size(principles) > 0
  AND NOT EXISTS { MATCH (a)-[:APPLIES]->(q:Principle) WHERE q.id IN principles }
RETURN a.id AS agency, a.name AS agency_name, i.id AS insight, i.title AS insight_title,
       principles
ORDER BY agency, insight
""",
    embedded=_action_gap,
    columns=("agency", "agency_name", "insight", "insight_title", "principles"),
    order_by=("agency", "insight"),
    node_columns={"agency": Label.AGENCY, "insight": Label.INSIGHT},
    example={"agency": "forsakringskassan"},
))


# -- journey ------------------------------------------------------------------------------

def _journey(g: nx.MultiDiGraph, p: dict[str, Any]) -> list[Row]:
    le = node_key(Label.LIFE_EVENT, p["life_event"])
    if le not in g:
        return []
    steps = []
    for step, d in out_rels(g, le, "HAS_STEP"):
        (agency, _), *_ = list(out_rels(g, step, "HANDLED_BY"))
        steps.append((int(d["order"]), step, agency))
    steps.sort()
    rows = []
    previous_person_agency: str | None = None  # the actor of the person's last step
    for order, step, agency in steps:
        s = g.nodes[step]
        by_person = (s.get("taken_by") or "person") == "person"
        feedback = s.get("feedback", "immediate")
        rows.append({
            "step_order": order, "step": s["id"], "action": s.get("action"),
            "action_en": s.get("action_en"), "agency": node_id(g, agency),
            "agency_name": name_of(g, agency), "agency_kind": g.nodes[agency].get("kind"),
            "taken_by": s.get("taken_by") or "person",
            "handoff": by_person and previous_person_agency not in (None, agency),
            "carries": list(s.get("customer_carries", [])),
            "agency_terms": list(s.get("agency_terms", [])),
            "feedback": feedback,
            "late": by_person and feedback in ("delayed", "none")})
        if by_person:
            previous_person_agency = agency
    return rows


register(SavedQuery(
    name="journey",
    title_sv="Kundresa",
    title_en="Journey",
    description="The steps of a life event's journey in order: the actor, who takes the step "
    "(taken_by: the person, or the actor alone, e.g. an automatic notice between agencies), "
    "whether the person is handed over to another actor (handoff: the actor differs from that "
    "of the person's previous step; steps the actor takes alone are not handoffs), the "
    "documents the person must carry on, the agency's terms the person must use, and whether "
    "the person learns only later, or never, whether the step went right (late).",
    params=(Param("life_event", "str", "the life event (id)", required=True,
                  choices=Label.LIFE_EVENT),),
    cypher="""
MATCH (le:LifeEvent {id: $life_event})-[h:HAS_STEP]->(s:JourneyStep)-[:HANDLED_BY]->(a:Agency)
WITH le, h, s, a, coalesce(s.taken_by, 'person') = 'person' AS by_person
WITH le, h, s, a, by_person, COLLECT {
  MATCH (le)-[h2:HAS_STEP]->(p:JourneyStep)-[:HANDLED_BY]->(pa:Agency)
  WHERE h2.order < h.order AND coalesce(p.taken_by, 'person') = 'person'
  RETURN pa.id ORDER BY h2.order DESC LIMIT 1 } AS previous
RETURN h.order AS step_order, s.id AS step, s.action AS action, s.action_en AS action_en,
       a.id AS agency, a.name AS agency_name, a.kind AS agency_kind,
       coalesce(s.taken_by, 'person') AS taken_by,
       (by_person AND size(previous) > 0 AND previous[0] <> a.id) AS handoff,
       coalesce(s.customer_carries, []) AS carries,
       coalesce(s.agency_terms, []) AS agency_terms,
       coalesce(s.feedback, 'immediate') AS feedback,
       (by_person AND coalesce(s.feedback, 'immediate') IN ['delayed', 'none']) AS late
ORDER BY step_order
""",
    embedded=_journey,
    columns=("step_order", "step", "action", "action_en", "agency", "agency_name",
             "agency_kind", "taken_by", "handoff", "carries", "agency_terms", "feedback",
             "late"),
    order_by=("step_order",),
    node_columns={"step": Label.JOURNEY_STEP, "agency": Label.AGENCY},
    example={"life_event": "nar-nagon-har-dott"},
))


# -- evidence -----------------------------------------------------------------------------

def _principles_of(g: nx.MultiDiGraph, i: str) -> list[tuple[str, str | None]]:
    """(principle key, general insight key or None): the principles that address the insight
    directly (None) or through one of its general insights (INSTANCE_OF*0..1)."""
    out: list[tuple[str, str | None]] = [(pr, None) for pr, _ in in_rels(g, i, "ADDRESSES")]
    for gen, _ in out_rels(g, i, "INSTANCE_OF"):
        out += [(pr, gen) for pr, _ in in_rels(g, gen, "ADDRESSES")]
    return out


def _dataset_meta(g: nx.MultiDiGraph, ds: str) -> dict[str, str]:
    meta: dict[str, dict[str, str]] = g.graph.get(DATASETS_ATTR) or {}
    return meta.get(ds, {})


def _evidence(g: nx.MultiDiGraph, p: dict[str, Any]) -> list[Row]:
    i = node_key(Label.INSIGHT, p["insight"])
    if i not in g:
        return []
    rows: set[tuple[str, str, Any, str, str, str]] = set()

    def source_row(key: str, via: str = "") -> tuple[str, str, Any, str, str, str]:
        s = g.nodes[key]
        return ("source" if not via else "principle_source", s["id"], s.get("title"),
                s.get("url") or "", "", via)

    for s, _ in out_rels(g, i, "SUPPORTED_BY"):
        rows.add(source_row(s))
    for a, d in in_rels(g, i, "REPORTS"):
        rows.add(("reported_by", node_id(g, a), name_of(g, a),
                  "" if d.get("year") is None else str(d["year"]), d.get("source") or "", ""))
        src = node_key(Label.SOURCE, d["source"]) if d.get("source") else None
        if src and src in g:
            rows.add(source_row(src))
    for gen, _ in out_rels(g, i, "INSTANCE_OF"):
        rows.add(("general", node_id(g, gen), g.nodes[gen].get("title"), "", "", ""))
    for pr, via in _principles_of(g, i):
        defined = sorted(node_id(g, s) for s, _ in out_rels(g, pr, "DEFINED_IN"))
        rows.add(("principle", node_id(g, pr), name_of(g, pr), "", defined[0] if defined else "",
                  node_id(g, via) if via else ""))
        for s, _ in out_rels(g, pr, "DEFINED_IN"):
            rows.add(source_row(s, node_id(g, pr)))
    for ds in g.nodes[i]["datasets"]:
        meta = _dataset_meta(g, ds)
        rows.add(("dataset", ds, meta.get("title") or ds, meta.get("version") or "", "", ""))
    return [dict(zip(("kind", "id", "name", "detail", "source", "via"), r, strict=True))
            for r in rows]


register(SavedQuery(
    name="evidence",
    title_sv="Belägg för en insikt",
    title_en="Evidence for an insight",
    description="An insight's provenance: its sources and those its reporters cite (detail: "
    "URL), the agencies that report it (detail: year; source: the reporter's own source), its "
    "general insight, the principles that address it or its general insight (source: the "
    "principle's defining source; via: the general insight), those defining sources "
    "(principle_source; via: the principle) and the datasets that define it (name: title; "
    "detail: the loaded version).",
    params=(Param("insight", "str", "the insight (id)", required=True, choices=Label.INSIGHT),),
    cypher="""
MATCH (i:Insight {id: $insight})
CALL {
  WITH i
  MATCH (i)-[:SUPPORTED_BY]->(s:Source)
  RETURN 'source' AS kind, s.id AS id, s.title AS name, coalesce(s.url, '') AS detail,
         '' AS source, '' AS via
  UNION
  WITH i
  MATCH (:Agency)-[r:REPORTS]->(i)
  MATCH (s:Source {id: r.source})
  RETURN 'source' AS kind, s.id AS id, s.title AS name, coalesce(s.url, '') AS detail,
         '' AS source, '' AS via
  UNION
  WITH i
  MATCH (a:Agency)-[r:REPORTS]->(i)
  RETURN 'reported_by' AS kind, a.id AS id, a.name AS name,
         coalesce(toString(r.year), '') AS detail, coalesce(r.source, '') AS source, '' AS via
  UNION
  WITH i
  MATCH (i)-[:INSTANCE_OF]->(gen:Insight)
  RETURN 'general' AS kind, gen.id AS id, gen.title AS name, '' AS detail, '' AS source,
         '' AS via
  UNION
  WITH i
  MATCH (i)-[:INSTANCE_OF*0..1]->(x:Insight)<-[:ADDRESSES]-(p:Principle)
  OPTIONAL MATCH (p)-[:DEFINED_IN]->(ps:Source)
  WITH i, x, p, min(ps.id) AS defined
  RETURN 'principle' AS kind, p.id AS id, p.name AS name, '' AS detail,
         coalesce(defined, '') AS source, CASE WHEN x = i THEN '' ELSE x.id END AS via
  UNION
  WITH i
  MATCH (i)-[:INSTANCE_OF*0..1]->(:Insight)<-[:ADDRESSES]-(p:Principle)-[:DEFINED_IN]->(s:Source)
  RETURN 'principle_source' AS kind, s.id AS id, s.title AS name, coalesce(s.url, '') AS detail,
         '' AS source, p.id AS via
  UNION
  WITH i
  UNWIND i.datasets AS ds
  OPTIONAL MATCH (d:InsiktDataset {id: ds})
  RETURN 'dataset' AS kind, ds AS id, coalesce(d.title, ds) AS name,
         coalesce(d.version, '') AS detail, '' AS source, '' AS via
}
RETURN kind, id, name, detail, source, via
ORDER BY kind, id, via
""",
    embedded=_evidence,
    columns=("kind", "id", "name", "detail", "source", "via"),
    order_by=("kind", "id", "via"),
    example={"insight": "kunden-far-agera-kurir"},
))


# -- provenance ---------------------------------------------------------------------------

_PROVENANCE_COLUMNS = ("chain", "path", "rels", "insight", "source", "agency", "general",
                       "principle", "principle_source", "dataset", "detail")


def _provenance(g: nx.MultiDiGraph, p: dict[str, Any]) -> list[Row]:
    i = node_key(Label.INSIGHT, p["insight"])
    if i not in g:
        return []
    me = node_id(g, i)
    rows: list[Row] = []

    def row(chain: str, path: list[str], rels: list[str], detail: str = "",
            **cols: str | None) -> None:
        rows.append({**dict.fromkeys(_PROVENANCE_COLUMNS), "chain": chain, "path": path,
                     "rels": rels, "insight": me, "detail": detail, **cols})

    for s, _ in out_rels(g, i, "SUPPORTED_BY"):
        row("source", [s, i], ["SUPPORTED_BY"], g.nodes[s].get("url") or "", source=node_id(g, s))
    for a, d in in_rels(g, i, "REPORTS"):
        src = node_key(Label.SOURCE, d["source"]) if d.get("source") else None
        year = "" if d.get("year") is None else str(d["year"])
        if src and src in g:
            row("reported_by", [src, a, i], ["REPORTS.source", "REPORTS"], year,
                source=node_id(g, src), agency=node_id(g, a))
        else:
            row("reported_by", [a, i], ["REPORTS"], year, agency=node_id(g, a))
    for gen, _ in out_rels(g, i, "INSTANCE_OF"):
        row("general", [i, gen], ["INSTANCE_OF"], general=node_id(g, gen))
    for pr, via in _principles_of(g, i):
        head, head_rels = ([i, via], ["INSTANCE_OF"]) if via else ([i], [])
        general = node_id(g, via) if via else None
        sources = [s for s, _ in out_rels(g, pr, "DEFINED_IN")]
        for s in sources:
            row("principle", [*head, pr, s], [*head_rels, "ADDRESSES", "DEFINED_IN"],
                g.nodes[s].get("url") or "", general=general, principle=node_id(g, pr),
                principle_source=node_id(g, s))
        if not sources:
            row("principle", [*head, pr], [*head_rels, "ADDRESSES"], general=general,
                principle=node_id(g, pr))
    for ds in g.nodes[i]["datasets"]:
        row("dataset", [i], [], _dataset_meta(g, ds).get("version") or "", dataset=ds)
    return rows


register(SavedQuery(
    name="provenance",
    title_sv="Beläggkedja",
    title_en="Provenance chain",
    description="The whole chain behind an insight as paths (node keys 'Label:id' in `path`, "
    "the relationship between each pair in `rels`, walked either way): source → insight "
    "(chain source), the report's own source → reporting agency → insight (reported_by, "
    "detail: year; the hop REPORTS.source is the source the report cites), insight → general "
    "insight (general), insight → (general insight →) principle → its defining source "
    "(principle, detail: URL), and the datasets that define the insight (dataset, detail: "
    "the loaded version). The node columns draw the chain in the network view.",
    params=(Param("insight", "str", "the insight (id)", required=True, choices=Label.INSIGHT),),
    cypher="""
MATCH (i:Insight {id: $insight})
CALL {
  WITH i
  MATCH (i)-[:SUPPORTED_BY]->(s:Source)
  RETURN 'source' AS chain, ['Source:' + s.id, 'Insight:' + i.id] AS path,
         ['SUPPORTED_BY'] AS rels, s.id AS source, null AS agency, null AS general,
         null AS principle, null AS principle_source, null AS dataset,
         coalesce(s.url, '') AS detail
  UNION
  WITH i
  MATCH (a:Agency)-[r:REPORTS]->(i)
  OPTIONAL MATCH (s:Source {id: r.source})
  RETURN 'reported_by' AS chain,
         CASE WHEN s IS NULL THEN [] ELSE ['Source:' + s.id] END
           + ['Agency:' + a.id, 'Insight:' + i.id] AS path,
         CASE WHEN s IS NULL THEN [] ELSE ['REPORTS.source'] END + ['REPORTS'] AS rels,
         s.id AS source, a.id AS agency, null AS general, null AS principle,
         null AS principle_source, null AS dataset, coalesce(toString(r.year), '') AS detail
  UNION
  WITH i
  MATCH (i)-[:INSTANCE_OF]->(gen:Insight)
  RETURN 'general' AS chain, ['Insight:' + i.id, 'Insight:' + gen.id] AS path,
         ['INSTANCE_OF'] AS rels, null AS source, null AS agency, gen.id AS general,
         null AS principle, null AS principle_source, null AS dataset, '' AS detail
  UNION
  WITH i
  MATCH (i)-[:INSTANCE_OF*0..1]->(x:Insight)<-[:ADDRESSES]-(p:Principle)
  OPTIONAL MATCH (p)-[:DEFINED_IN]->(ps:Source)
  WITH i, x, p, ps, CASE WHEN x = i THEN null ELSE x END AS via
  RETURN 'principle' AS chain,
         ['Insight:' + i.id] + CASE WHEN via IS NULL THEN [] ELSE ['Insight:' + via.id] END
           + ['Principle:' + p.id]
           + CASE WHEN ps IS NULL THEN [] ELSE ['Source:' + ps.id] END AS path,
         CASE WHEN via IS NULL THEN [] ELSE ['INSTANCE_OF'] END + ['ADDRESSES']
           + CASE WHEN ps IS NULL THEN [] ELSE ['DEFINED_IN'] END AS rels,
         null AS source, null AS agency, via.id AS general, p.id AS principle,
         ps.id AS principle_source, null AS dataset, coalesce(ps.url, '') AS detail
  UNION
  WITH i
  UNWIND i.datasets AS ds
  OPTIONAL MATCH (d:InsiktDataset {id: ds})
  RETURN 'dataset' AS chain, ['Insight:' + i.id] AS path, [] AS rels, null AS source,
         null AS agency, null AS general, null AS principle, null AS principle_source,
         ds AS dataset, coalesce(d.version, '') AS detail
}
RETURN chain, path, rels, i.id AS insight, source, agency, general, principle,
       principle_source, dataset, detail
ORDER BY chain, path, dataset
""",
    embedded=_provenance,
    columns=_PROVENANCE_COLUMNS,
    order_by=("chain", "path", "dataset"),
    node_columns={"insight": Label.INSIGHT, "source": Label.SOURCE, "agency": Label.AGENCY,
                  "general": Label.INSIGHT, "principle": Label.PRINCIPLE,
                  "principle_source": Label.SOURCE},
    example={"insight": "kunden-far-agera-kurir"},
))


# -- search -------------------------------------------------------------------------------

def _search_params(p: dict[str, Any]) -> dict[str, Any]:
    tokens = search_tokens(p["q"] or "")
    if not tokens:
        raise QueryRefused("search needs at least one letter or digit, e.g. -p q=kurir")
    return {"lucene": " AND ".join(f"{t}*" for t in tokens)}


def _search(g: nx.MultiDiGraph, p: dict[str, Any]) -> list[Row]:
    wanted = search_tokens(p["q"])
    hits = []
    for _, n in g.nodes(data=True):
        if p["label"] is not None and n["label"] != p["label"]:
            continue
        tokens = str(n.get(SEARCH_FIELD, "")).split()
        if all(any(t.startswith(w) for t in tokens) for w in wanted):
            hits.append({"label": n["label"], "id": n["id"],
                         "name": coalesced_name(n)})
    hits.sort(key=lambda r: (r["label"], r["id"]))
    return hits[: p["limit"]]


register(SavedQuery(
    name="search",
    title_sv="Sök",
    title_en="Search",
    description="Full-text search over names, titles, statements, descriptions and aliases in "
    "Swedish and English. Case and diacritics do not matter (forsakring finds Försäkrings-), and "
    "each word matches the start of a word. On Neo4j it uses the full-text index.",
    params=(Param("q", "str", "words to find", required=True),
            Param("label", "str", "only nodes with this label, e.g. Insight"),
            Param("limit", "int", "at most this many hits", default=50, minimum=1,
                  maximum=1000)),
    cypher="""
CALL db.index.fulltext.queryNodes('insikt_search', $lucene) YIELD node
WITH node AS n, [l IN labels(node) WHERE l <> 'InsiktDataset'][0] AS label
WHERE $label IS NULL OR label = $label
RETURN label, n.id AS id, coalesce(n.name, n.title, n.action) AS name
ORDER BY label, id
LIMIT $limit
""",
    embedded=_search,
    columns=("label", "id", "name"),
    order_by=("label", "id"),
    example={"q": "dödsfall"},
    prepare=_search_params,
))
