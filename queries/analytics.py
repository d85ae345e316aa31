"""Collaboration analytics: which agencies share which customer problems, who should meet,
which insights reach furthest, which agencies bridge the others, and how heavy each journey is.

Everything reads the shared networkx form (`store.to_networkx()`, node keys "Label:id"), so it
runs on any backend. Results are frozen dataclasses; every ranking has a total order (fixed
seeds, ties broken by id), so the same graph always gives the same answer. Results are cached
per graph state (see `fingerprint`): asking again about an unchanged graph costs one pass.

An agency's *insight set* is what it REPORTS, where each specific insight counts both as
itself and through its general insight(s) (INSTANCE_OF). Two agencies that report different
instances of "kunden får agera kurir" therefore share that general problem.
"""

from __future__ import annotations

import hashlib
import math
import random
import threading
from collections import Counter
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import igraph
import networkx as nx
import numpy as np
from cachetools import LRUCache

from graph.canonical import TITLES, Canonical, canonical_insights
from graph.model import Label, Rel
from graph.projection import (
    EXCLUDABLE_STATUSES,
    excluded_statuses,
    pair_table,
    problem_sets,
    selected,
)
from graph.store import GraphStore
from graph.walk import display_name

T = TypeVar("T")

# Journey burden index: one term per general insight of the eSam forum (graph.canonical), with
# its weight; see `burden` and BURDEN_DEFINITIONS for what each counts and why.
BURDEN_WEIGHTS: dict[str, float] = {
    Canonical.WHO_DOES_WHAT.value: 1.0,
    Canonical.OWN_PROJECT_MANAGER.value: 1.0,
    Canonical.MYNDIGHETSKA.value: 1.0,
    Canonical.COURIER.value: 2.0,
    Canonical.LATE_FEEDBACK.value: 1.5,
}
BURDEN_DEFINITIONS: dict[str, str] = {
    Canonical.WHO_DOES_WHAT.value:
        "distinct actors of the steps the person takes: each is an organisation the person "
        "must find and approach themselves (Efterlevandeguiden: agencies learn of a death "
        "automatically, companies do not, so the relatives must contact them)",
    Canonical.OWN_PROJECT_MANAGER.value:
        "steps the person must start (taken_by person, the default); steps an actor takes "
        "on its own, such as automatic notices between agencies, do not count "
        "(Pensionsmyndigheten checks survivor's pension without an application, but the "
        "state pension must be applied for)",
    Canonical.MYNDIGHETSKA.value:
        "steps the person takes where they must know or use a term of the agency's "
        "(agency_terms); Språklagen 11 § asks for plain, simple and understandable language; "
        "not measured when no step of the dataset carries agency_terms",
    Canonical.COURIER.value:
        "documents the person carries from one actor to another (customer_carries), weight 2: "
        "each is two errands, obtaining it and handing it over (E-delegationen: the citizen "
        "ends up as messenger between organisations)",
    Canonical.LATE_FEEDBACK.value:
        "steps the person takes and learns the outcome of only later (feedback delayed) or "
        "never (feedback none), weight 1.5: a mistake may show only afterwards, a real but "
        "uncertain cost, more than a name to find and less than a sure errand",
}
BURDEN_COLORS = ("#4e79a7", "#f28e2b", "#b07aa1", "#e15759", "#76b7b2")
"""One colour per term (BURDEN_WEIGHTS order), shared by the report and the dashboard."""
BURDEN_FORMULA = ("B = 1·who-does-what (actors the person must find) + 1·own-project-manager "
                  "(steps the person must start) + 1·myndighetska (steps with agency terms) "
                  "+ 2·courier (documents carried) + 1.5·late-feedback (person steps with "
                  "feedback delayed or none)")
BETWEENNESS_SAMPLE = 200

_OVERLAP_NEEDS = ([Label.AGENCY.value, Label.INSIGHT.value, Label.LIFE_EVENT.value,
                   Label.DOMAIN.value, Label.PRINCIPLE.value],
                  [Rel.REPORTS.value, Rel.INSTANCE_OF.value, Rel.ARISES_IN.value,
                   Rel.IN_DOMAIN.value, Rel.SAME_PROBLEM.value, Rel.APPLIES.value,
                   Rel.ADDRESSES.value])
ANALYSIS_NEEDS: dict[str, tuple[list[str], list[str]]] = {
    "burden": ([Label.LIFE_EVENT.value, Label.JOURNEY_STEP.value, Label.AGENCY.value,
                Label.INSIGHT.value], [Rel.HAS_STEP.value, Rel.HANDLED_BY.value]),
    "similarity": _OVERLAP_NEEDS, "communities": _OVERLAP_NEEDS, "bridges": _OVERLAP_NEEDS,
    "reach": _OVERLAP_NEEDS,
}
"""The labels and relationship types each analysis reads: on Neo4j only that part of the
graph is fetched (`analysis_graph`); burden needs only the journeys (and the insights, to
name its terms)."""


def analysis_graph(store: GraphStore, analysis: str) -> nx.MultiDiGraph:
    """The part of the store's graph an analysis reads (ANALYSIS_NEEDS), in networkx form."""
    labels, rels = ANALYSIS_NEEDS[analysis]
    return store.read_part(labels, rels)


# -- fingerprint and cache ----------------------------------------------------------------------

def fingerprint(g: nx.MultiDiGraph) -> str:
    """A digest of the graph's state: node and edge counts, the dataset ids, and every node and
    edge with its property names and values, combined order-independently.

    One linear pass (about 10 ms for the 1 000-node test graph), far cheaper than any analysis,
    and it changes whenever a load or unload changes anything an analysis could see. It uses
    Python's per-process string hash, so it is a cache key, not something to store or show
    (the report shows `graph.export.content_hash`, which is the same in every process).
    """
    datasets: set[str] = set()
    acc = 0
    for n, a in g.nodes(data=True):
        datasets.update(a.get("datasets", ()))
        acc += _hash_item((n, *a), a.values())
    for u, v, k, a in g.edges(keys=True, data=True):
        acc += _hash_item((u, v, k, *a), a.values())
    head = (f"{g.number_of_nodes()}|{g.number_of_edges()}|{','.join(sorted(datasets))}|"
            f"{acc & ((1 << 64) - 1):016x}")
    return hashlib.sha256(head.encode("utf-8")).hexdigest()[:32]


def _hash_item(head: tuple[Any, ...], values: Iterable[Any]) -> int:
    vals = [tuple(v) if type(v) is list else v for v in values]
    try:
        return hash((*head, *vals))
    except TypeError:  # a dict or a list of dicts: rare, so the slow path is fine
        return hash((*head, repr(vals)))


_CACHE_SIZE = 64
_CACHE: LRUCache[tuple[Hashable, ...], Any] = LRUCache(maxsize=_CACHE_SIZE)
_LOCK = threading.Lock()  # the dashboard serves sessions from several threads; caches are not


def clear_cache() -> None:
    """Forget every cached result (tests use it to time a cold run)."""
    with _LOCK:
        _CACHE.clear()


def _cached(name: str, g: nx.MultiDiGraph, params: tuple[Hashable, ...],
            compute: Callable[[], T], fp: str | None = None) -> T:
    """The result for (name, graph state, params), computed once. Two threads asking at the
    same moment may both compute it; the results are equal, so either may be kept."""
    key = (name, fp or fingerprint(g), *params)
    with _LOCK:
        found: T | None = _CACHE.get(key)  # a hit counts as a use for the LRU order
    if found is not None:
        return found
    value = compute()
    with _LOCK:
        _CACHE[key] = value  # the least recently used entry goes when the cache is full
    return value


# -- the index every analysis reads ---------------------------------------------------------------

@dataclass(frozen=True)
class JourneyStepInfo:
    id: str
    order: int
    agency: str | None
    agency_kind: str
    customer_carries: tuple[str, ...]
    feedback: str
    taken_by: str = "person"  # person | actor (see loaders.schema.Step)
    agency_terms: tuple[str, ...] = ()

    @property
    def by_person(self) -> bool:
        return self.taken_by != "actor"


@dataclass(frozen=True)
class GraphIndex:
    """The parts of the graph the analyses need, as plain id-keyed maps (one pass over g)."""

    names: dict[str, dict[str, str]]  # label -> id -> display name
    props: dict[str, dict[str, dict[str, Any]]]  # label -> id -> node attributes
    reports: dict[str, frozenset[str]]  # agency -> insights it REPORTS
    reporters: dict[str, frozenset[str]]  # insight -> agencies that REPORT it
    generals: dict[str, frozenset[str]]  # insight -> its general insights (INSTANCE_OF)
    instances: dict[str, frozenset[str]]  # general insight -> its specific instances
    arises_in: dict[str, frozenset[str]]  # insight -> life events
    domain_of: dict[str, str]  # life event -> domain
    applies: dict[str, dict[str, str]]  # agency -> principle -> status
    appliers: dict[str, frozenset[str]]  # principle -> agencies that APPLY it
    addresses: dict[str, frozenset[str]]  # principle -> insights it ADDRESSES
    addressed_by: dict[str, frozenset[str]]  # insight -> principles that ADDRESS it
    journeys: dict[str, tuple[JourneyStepInfo, ...]]  # life event -> steps in order
    agency_sets: dict[str, frozenset[str]]  # agency -> problem set, default statuses (docstring)

    def name(self, label: Label | str, node_id: str) -> str:
        return self.names.get(str(label), {}).get(node_id, node_id)


def _freeze(d: dict[str, set[str]]) -> dict[str, frozenset[str]]:
    return {k: frozenset(v) for k, v in sorted(d.items())}


def _build_index(g: nx.MultiDiGraph) -> GraphIndex:
    names: dict[str, dict[str, str]] = {}
    props: dict[str, dict[str, dict[str, Any]]] = {}
    for _, a in g.nodes(data=True):
        label, node_id = a["label"], a["id"]
        props.setdefault(label, {})[node_id] = dict(a)  # a copy: stores update attrs in place
        names.setdefault(label, {})[node_id] = display_name(a)
    reports: dict[str, set[str]] = {}
    reporters: dict[str, set[str]] = {}
    generals: dict[str, set[str]] = {}
    instances: dict[str, set[str]] = {}
    arises: dict[str, set[str]] = {}
    domain_of: dict[str, str] = {}
    applies: dict[str, dict[str, str]] = {}
    appliers: dict[str, set[str]] = {}
    addresses: dict[str, set[str]] = {}
    addressed_by: dict[str, set[str]] = {}
    step_of: dict[str, tuple[str, int]] = {}
    handled_by: dict[str, str] = {}
    for u, v, a in g.edges(data=True):
        t = a["type"]
        su, sv = g.nodes[u]["id"], g.nodes[v]["id"]
        if t == Rel.REPORTS:
            reports.setdefault(su, set()).add(sv)
            reporters.setdefault(sv, set()).add(su)
        elif t == Rel.INSTANCE_OF:
            generals.setdefault(su, set()).add(sv)
            instances.setdefault(sv, set()).add(su)
        elif t == Rel.ARISES_IN:
            arises.setdefault(su, set()).add(sv)
        elif t == Rel.IN_DOMAIN:
            domain_of[su] = sv
        elif t == Rel.APPLIES:
            applies.setdefault(su, {})[sv] = str(a.get("status", "adopted"))
            appliers.setdefault(sv, set()).add(su)
        elif t == Rel.ADDRESSES:
            addresses.setdefault(su, set()).add(sv)
            addressed_by.setdefault(sv, set()).add(su)
        elif t == Rel.HAS_STEP:
            order = a.get("order", g.nodes[v].get("order", 0))
            step_of[sv] = (su, int(order or 0))
        elif t == Rel.HANDLED_BY:
            handled_by[su] = sv
    agency_props = props.get("Agency", {})
    step_props = props.get("JourneyStep", {})
    raw_journeys: dict[str, list[JourneyStepInfo]] = {}
    for step_id, (le_id, order) in step_of.items():
        sp = step_props.get(step_id, {})
        agency = handled_by.get(step_id)
        kind = str(agency_props.get(agency, {}).get("kind") or "statlig") if agency else "statlig"
        raw_journeys.setdefault(le_id, []).append(JourneyStepInfo(
            id=step_id, order=order, agency=agency, agency_kind=kind,
            customer_carries=tuple(str(x) for x in sp.get("customer_carries") or ()),
            feedback=str(sp.get("feedback") or "immediate"),
            taken_by=str(sp.get("taken_by") or "person"),
            agency_terms=tuple(str(x) for x in sp.get("agency_terms") or ())))
    journeys = {le: tuple(sorted(steps, key=lambda s: (s.order, s.id)))
                for le, steps in sorted(raw_journeys.items())}
    agency_sets = _problem_sets(g, None)
    return GraphIndex(
        names=names, props=props, reports=_freeze(reports), reporters=_freeze(reporters),
        generals=_freeze(generals), instances=_freeze(instances), arises_in=_freeze(arises),
        domain_of=dict(sorted(domain_of.items())), applies=dict(sorted(applies.items())),
        appliers=_freeze(appliers), addresses=_freeze(addresses),
        addressed_by=_freeze(addressed_by), journeys=journeys, agency_sets=agency_sets)


def graph_index(g: nx.MultiDiGraph, fp: str | None = None) -> GraphIndex:
    """The cached index of `g` (shared by every analysis and the report)."""
    return _cached("index", g, (), lambda: _build_index(g), fp)


def _problem_sets(g: nx.MultiDiGraph, include_status: str | None) -> dict[str, frozenset[str]]:
    """Agency → the problems it holds (graph.projection: SAME_PROBLEM merged; proposed,
    disputed and superseded insights only with `include_status`), agencies sorted."""
    sets = problem_sets(selected(g, {"include_status": include_status}))
    return {a: frozenset(sets[a]) for a in sorted(sets)}


def agency_insight_sets(g: nx.MultiDiGraph, include_status: str | None = None,
                        fp: str | None = None) -> dict[str, frozenset[str]]:
    """For each agency that holds something: its problem set (what it reports and their
    generals, matched problems as one; by default only active insights count)."""
    if excluded_statuses(include_status) == EXCLUDABLE_STATUSES:
        return graph_index(g, fp).agency_sets
    key = excluded_statuses(include_status)
    return _cached("sets", g, key, lambda: _problem_sets(g, include_status), fp)


def jaccard(a: frozenset[str] | set[str], b: frozenset[str] | set[str]) -> float:
    """|A ∩ B| / |A ∪ B|; 0 for two empty sets."""
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def _shared_counts(sets: dict[str, frozenset[str]]) -> dict[tuple[str, str], int]:
    """(a, b) with a < b → how many problems their sets share: pairs within each problem's
    holders (graph.projection.pair_table), never the pair paths."""
    t = pair_table({a: dict.fromkeys(xs, "") for a, xs in sets.items()})
    ai, bi = np.nonzero(t.shared)
    return {(t.agencies[i], t.agencies[j]): int(t.shared[i, j])
            for i, j in zip(ai.tolist(), bi.tolist(), strict=True)}


def shared_counts(g: nx.MultiDiGraph, fp: str | None = None,
                  include_status: str | None = None) -> dict[tuple[str, str], int]:
    """Cached: agency pairs (a < b) that share at least one problem, with the count."""
    fp = fp or fingerprint(g)
    return _cached("shared", g, excluded_statuses(include_status),
                   lambda: _shared_counts(agency_insight_sets(g, include_status, fp)), fp)


def agency_projection(g: nx.MultiDiGraph, fp: str | None = None,
                      include_status: str | None = None) -> nx.Graph:
    """The agency–agency projection: every agency that holds a problem, an edge per shared
    problem count (`weight`) and its inverse as `distance` (more shared problems = closer)."""
    fp = fp or fingerprint(g)

    def build() -> nx.Graph:
        p = nx.Graph()
        p.add_nodes_from(agency_insight_sets(g, include_status, fp))  # sorted
        for (a, b), w in sorted(shared_counts(g, fp, include_status).items()):
            p.add_edge(a, b, weight=w, distance=1.0 / w)
        return p

    return _cached("projection", g, excluded_statuses(include_status), build, fp)


# -- similarity ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SimilarPair:
    a: str
    b: str
    a_name: str
    b_name: str
    score: float
    shared: tuple[str, ...]


@dataclass(frozen=True)
class Similarity:
    pairs: tuple[SimilarPair, ...]
    agencies: int  # agencies that report something
    overlapping_pairs: int  # pairs that share at least one insight


def similarity(g: nx.MultiDiGraph, top: int = 20,
               include_status: str | None = None) -> Similarity:
    """The `top` most similar agency pairs by Jaccard over their problem sets, with the
    problems they share. Ties: score desc, then the two ids; pairs always have a < b."""
    fp = fingerprint(g)

    def compute() -> Similarity:
        index = graph_index(g, fp)
        sets = agency_insight_sets(g, include_status, fp)
        scored = []
        for (a, b), w in shared_counts(g, fp, include_status).items():
            scored.append((-(w / (len(sets[a]) + len(sets[b]) - w)), a, b))
        scored.sort()
        pairs = tuple(
            SimilarPair(a=a, b=b, a_name=index.name(Label.AGENCY, a),
                        b_name=index.name(Label.AGENCY, b), score=-neg,
                        shared=tuple(sorted(sets[a] & sets[b])))
            for neg, a, b in scored[:max(top, 0)])
        return Similarity(pairs=pairs, agencies=len(sets), overlapping_pairs=len(scored))

    return _cached("similarity", g, (top, *excluded_statuses(include_status)), compute, fp)


# -- communities ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class SharedProblem:
    insight: str
    title: str
    kind: str
    members: int  # how many members' insight sets hold it


@dataclass(frozen=True)
class AgendaPrinciple:
    principle: str
    name: str
    applied_by: tuple[str, ...]
    not_applied_by: tuple[str, ...]
    addresses_shared: tuple[str, ...]  # shared problems of the community it addresses


@dataclass(frozen=True)
class Community:
    number: int
    members: tuple[str, ...]
    member_names: tuple[str, ...]
    internal_weight: int  # shared-insight count summed over member pairs
    shared_problems: tuple[SharedProblem, ...]
    agenda: tuple[AgendaPrinciple, ...]


@dataclass(frozen=True)
class Communities:
    communities: tuple[Community, ...]
    modularity: float
    agencies: int
    seed: int

    def of(self, agency: str) -> Community | None:
        for c in self.communities:
            if agency in c.members:
                return c
        return None


def collaboration_projection(g: nx.MultiDiGraph, fp: str | None = None,
                             include_status: str | None = None) -> nx.Graph:
    """The agency projection weighted as Newman's collaboration network (networkx's
    `collaboration_weighted_projected_graph`): a shared insight that n agencies report adds
    1/(n-1) to each of their pairs. The five general insights are reported through nearly every
    agency, so plain shared counts make the projection almost complete and Louvain finds
    little (modularity 0.02 on the seed); this weighting lets rare shared problems speak
    (0.16 on the seed)."""
    fp = fp or fingerprint(g)

    def build() -> nx.Graph:
        b = nx.Graph()
        sets = agency_insight_sets(g, include_status, fp)
        agencies = [("agency", a) for a in sets]  # sorted
        b.add_nodes_from(agencies, bipartite=0)
        for a, insights in sets.items():
            b.add_edges_from((("agency", a), ("insight", i)) for i in sorted(insights))
        w = nx.bipartite.collaboration_weighted_projected_graph(b, agencies)
        p = nx.Graph()
        p.add_nodes_from(a for _, a in agencies)
        p.add_weighted_edges_from(sorted((u[1], v[1], d["weight"]) for u, v, d in
                                         w.edges(data=True)))
        return p

    return _cached("collaboration", g, excluded_statuses(include_status), build, fp)


def communities(g: nx.MultiDiGraph, seed: int = 42,
                include_status: str | None = None) -> Communities:
    """Louvain communities (fixed seed) of the agency projection with Newman's collaboration
    weights (see `collaboration_projection`), with their modularity. Each community lists the
    problems its members share (held by ≥2 members; most members first, specific before
    general, then id) and its meeting agenda: the principles some members apply and others do
    not (those addressing a shared problem first)."""
    fp = fingerprint(g)

    def compute() -> Communities:
        index = graph_index(g, fp)
        p = agency_projection(g, fp, include_status)
        if p.number_of_nodes() == 0:
            return Communities((), 0.0, 0, seed)
        cp = collaboration_projection(g, fp, include_status)
        parts = [sorted(c) for c in nx.community.louvain_communities(cp, weight="weight",
                                                                     seed=seed)]
        parts.sort(key=lambda c: (-len(c), c[0]))
        modularity = (float(nx.community.modularity(cp, parts, weight="weight"))
                      if cp.number_of_edges() else 0.0)
        out = []
        for number, members in enumerate(parts, start=1):
            out.append(_community(index, agency_insight_sets(g, include_status, fp), p,
                                  number, tuple(members)))
        return Communities(tuple(out), modularity, p.number_of_nodes(), seed)

    return _cached("communities", g, (seed, *excluded_statuses(include_status)), compute, fp)


def _community(index: GraphIndex, sets: dict[str, frozenset[str]], p: nx.Graph, number: int,
               members: tuple[str, ...]) -> Community:
    held: Counter[str] = Counter()
    for m in members:
        held.update(sets.get(m, ()))
    insight_props = index.props.get("Insight", {})

    def kind(i: str) -> str:
        return str(insight_props.get(i, {}).get("kind", ""))

    shared = tuple(
        SharedProblem(i, index.name(Label.INSIGHT, i), kind(i), n)
        for i, n in sorted(held.items(), key=lambda t: (-t[1], kind(t[0]) != "specific", t[0]))
        if n >= 2)
    shared_ids = {s.insight for s in shared}
    agenda = []
    if len(members) > 1:
        member_set = set(members)
        principles: set[str] = set()
        for m in members:
            principles.update(index.applies.get(m, {}))
        for pr in principles:
            applying = tuple(sorted(index.appliers.get(pr, frozenset()) & member_set))
            if len(applying) == len(members):
                continue
            agenda.append(AgendaPrinciple(
                principle=pr, name=index.name(Label.PRINCIPLE, pr), applied_by=applying,
                not_applied_by=tuple(sorted(member_set - set(applying))),
                addresses_shared=tuple(sorted(index.addresses.get(pr, frozenset()) & shared_ids))))
        agenda.sort(key=lambda a: (not a.addresses_shared, -len(a.addresses_shared),
                                   -len(a.applied_by), a.principle))
    weight = sum(int(d["weight"]) for _, _, d in p.subgraph(members).edges(data=True))
    return Community(number=number, members=members,
                     member_names=tuple(index.name(Label.AGENCY, m) for m in members),
                     internal_weight=weight, shared_problems=shared, agenda=tuple(agenda))


# -- reach ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class InsightReach:
    insight: str
    title: str
    kind: str
    status: str
    agencies: int
    life_events: int
    domains: int
    agency_ids: tuple[str, ...]
    life_event_ids: tuple[str, ...]
    domain_ids: tuple[str, ...]


def reach(g: nx.MultiDiGraph) -> tuple[InsightReach, ...]:
    """For each insight: how many agencies report it (for a general insight, also any of its
    instances), and how many life events and domains it spans (a general insight also through
    its instances). Ranked by agencies, life events, domains (desc), then id."""
    fp = fingerprint(g)

    def compute() -> tuple[InsightReach, ...]:
        index = graph_index(g, fp)
        out = []
        for i, a in index.props.get("Insight", {}).items():
            agencies = set(index.reporters.get(i, ()))
            life_events = set(index.arises_in.get(i, ()))
            for s in index.instances.get(i, ()):
                agencies |= index.reporters.get(s, frozenset())
                life_events |= index.arises_in.get(s, frozenset())
            domains = {index.domain_of[le] for le in life_events if le in index.domain_of}
            out.append(InsightReach(
                insight=i, title=index.name(Label.INSIGHT, i), kind=str(a.get("kind", "")),
                status=str(a.get("status", "active")), agencies=len(agencies),
                life_events=len(life_events), domains=len(domains),
                agency_ids=tuple(sorted(agencies)), life_event_ids=tuple(sorted(life_events)),
                domain_ids=tuple(sorted(domains))))
        out.sort(key=lambda r: (-r.agencies, -r.life_events, -r.domains, r.insight))
        return tuple(out)

    return _cached("reach", g, (), compute, fp)


# -- bridges ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Bridge:
    agency: str
    name: str
    betweenness: float
    partners: int  # agencies it shares at least one insight with
    communities_linked: int  # distinct communities among itself and its partners


@dataclass(frozen=True)
class Bridges:
    agencies: tuple[Bridge, ...]
    nodes: int
    edges: int
    sampled: bool
    k: int | None
    seed: int

    @property
    def note(self) -> str:
        if self.sampled:
            return (f"sampled: betweenness estimated from {self.k} of {self.nodes} agencies "
                    f"as sources (seed {self.seed})")
        return f"exact betweenness over all {self.nodes} agencies"


def betweenness(p: nx.Graph, weight: str = "distance", k: int | None = None,
                seed: int = 42) -> dict[str, float]:
    """Normalised shortest-path betweenness of an undirected weighted graph, exact (k None)
    or from k sampled sources.

    The numbers of `nx.betweenness_centrality(p, k, normalized=True, weight, seed)` (same
    sampled sources, same scaling), computed by igraph's Brandes implementation in C. Shared
    general insights make the agency projection nearly complete (≈28 000 edges for 274
    agencies), where networkx's per-source Dijkstra in Python takes 10–20 s; igraph takes
    well under a tenth of a second. igraph compares weighted path lengths with a relative
    tolerance, so a tie such as 1/3 + 1/6 = 1/2 counts as a tie even where rounding makes
    networkx's exact float comparison miss it (the only source of differences, ~1e-4).
    """
    nodes = list(p.nodes)
    n = len(nodes)
    if k is not None and k >= n:
        k = None
    sources = nodes if k is None else random.Random(seed).sample(nodes, k)
    if n < 3:
        return dict.fromkeys(nodes, 0.0)
    pos = {x: i for i, x in enumerate(nodes)}
    edges = list(p.edges(data=weight, default=1.0))
    h = igraph.Graph(n=n, edges=[(pos[a], pos[b]) for a, b, _ in edges], directed=False)
    weights = [float(d) for _, _, d in edges]
    if k is None:
        raw = h.betweenness(directed=False, weights=weights)
    else:
        raw = h.betweenness(directed=False, weights=weights, sources=[pos[s] for s in sources])
    # igraph counts each unordered pair once; Brandes' sum over sources counts both
    # directions, which is what networkx's scaling (below) divides by.
    big_n = n - 1
    chosen = set(sources)
    result = {}
    for x, i in pos.items():
        if k is None:
            scale = 1.0 / (big_n * (big_n - 1))
        elif x in chosen:
            scale = 1.0 / ((k - 1) * (big_n - 1)) if k > 1 else math.nan
        else:
            scale = 1.0 / (k * (big_n - 1))
        result[x] = float(2.0 * raw[i] * scale)
    return result


def bridges(g: nx.MultiDiGraph, sample_above: int = 300, seed: int = 42,
            include_status: str | None = None) -> Bridges:
    """Betweenness centrality on the agency projection, with path length 1/shared-count so
    that paths run along strong ties (see `betweenness`). A projection with more than
    `sample_above` agencies is estimated from k = min(n, 200) sampled sources (seeded), and
    the result says so."""
    fp = fingerprint(g)

    def compute() -> Bridges:
        index = graph_index(g, fp)
        p = agency_projection(g, fp, include_status)
        n = p.number_of_nodes()
        sampled = n > sample_above
        k = min(n, BETWEENNESS_SAMPLE) if sampled else None
        scores = betweenness(p, "distance", k, seed)
        comm = communities(g, seed, include_status)
        number = {m: c.number for c in comm.communities for m in c.members}
        out = []
        for agency in p.nodes:
            partners = list(p.neighbors(agency))
            linked = {number[agency], *(number[x] for x in partners)}
            out.append(Bridge(agency, index.name(Label.AGENCY, agency), scores[agency],
                              len(partners), len(linked)))
        out.sort(key=lambda b: (-b.betweenness, -b.communities_linked, b.agency))
        return Bridges(tuple(out), n, p.number_of_edges(), sampled, k, seed)

    return _cached("bridges", g, (sample_above, seed, *excluded_statuses(include_status)),
                   compute, fp)


# -- journey burden ----------------------------------------------------------------------------

@dataclass(frozen=True)
class BurdenComponent:
    name: str  # one of graph.canonical.Canonical: the general insight the term measures
    count: int  # the raw figure (see BURDEN_DEFINITIONS)
    weight: float
    points: float  # weight · count: its share of the index
    insight: str  # the id of the general insight it evidences in this graph ("" if none)
    insight_title: str
    insight_in_graph: bool
    measured: bool = True  # False when the data does not carry what the term counts


@dataclass(frozen=True)
class JourneyBurden:
    life_event: str
    name: str
    steps: int
    index: float
    components: tuple[BurdenComponent, ...]
    actor_ids: tuple[str, ...] = field(default=())
    person_steps: int = 0  # steps the person takes (the rest are taken by actors alone)

    def component(self, name: str) -> BurdenComponent:
        for c in self.components:
            if c.name == name:
                return c
        raise KeyError(name)


def burden(g: nx.MultiDiGraph) -> tuple[JourneyBurden, ...]:
    """The journey burden index of every life event that has a journey, ranked (desc).

    B = Σ weight · count over the five general insights of the eSam forum (BURDEN_WEIGHTS,
    BURDEN_DEFINITIONS): who-does-what (distinct actors of the person's steps),
    own-project-manager (steps the person must start), myndighetska (person steps with
    agency terms), courier (documents carried, ×2) and late-feedback (person steps with
    feedback delayed or none, ×1.5). A step with `taken_by: actor` (an automatic notice
    between agencies, a decision, a payment) is not something the person does, so it counts
    only for the documents it hands the person. Each term links to the general insight of the
    graph that is that canonical insight (graph.canonical), whatever its id. The parts add up
    to the index exactly. Ties rank by life event id.
    """
    fp = fingerprint(g)

    def compute() -> tuple[JourneyBurden, ...]:
        index = graph_index(g, fp)
        linked = canonical_insights(g)
        terms_coded = any(s.agency_terms for steps in index.journeys.values() for s in steps)
        out = [_journey_burden(index, le, steps, linked, terms_coded)
               for le, steps in index.journeys.items()]
        out.sort(key=lambda b: (-b.index, b.life_event))
        return tuple(out)

    return _cached("burden", g, (), compute, fp)


def burden_counts(steps: Iterable[JourneyStepInfo]) -> dict[str, int]:
    """The raw count of each burden term for one journey's steps (see BURDEN_DEFINITIONS)."""
    steps = tuple(steps)
    person = [s for s in steps if s.by_person]
    return {
        Canonical.WHO_DOES_WHAT.value: len({s.agency for s in person if s.agency}),
        Canonical.OWN_PROJECT_MANAGER.value: len(person),
        Canonical.MYNDIGHETSKA.value: sum(1 for s in person if s.agency_terms),
        Canonical.COURIER.value: sum(len(s.customer_carries) for s in steps),
        Canonical.LATE_FEEDBACK.value: sum(1 for s in person if s.feedback in ("delayed", "none")),
    }


def _journey_burden(index: GraphIndex, le: str, steps: tuple[JourneyStepInfo, ...],
                    linked: dict[Canonical, tuple[str, ...]],
                    terms_coded: bool) -> JourneyBurden:
    counts = burden_counts(steps)
    components = []
    for name, count in counts.items():
        ids = linked.get(Canonical(name), ())
        insight = ids[0] if ids else ""
        title = index.name(Label.INSIGHT, insight) if insight else TITLES[Canonical(name)][0]
        weight = BURDEN_WEIGHTS[name]
        components.append(BurdenComponent(
            name, count, weight, weight * count, insight, title, bool(insight),
            measured=terms_coded or name != Canonical.MYNDIGHETSKA.value))
    total = round(sum(c.points for c in components), 6)
    actors = sorted({s.agency for s in steps if s.agency})
    return JourneyBurden(life_event=le, name=index.name(Label.LIFE_EVENT, le), steps=len(steps),
                         index=total, components=tuple(components), actor_ids=tuple(actors),
                         person_steps=sum(1 for s in steps if s.by_person))


def burden_table(burdens: Iterable[JourneyBurden]) -> list[dict[str, Any]]:
    """One row per journey for tables and charts: rank, index, steps, and for every term its
    count (`<term>`) and points (`<term>_points`). The points of a row add up to its index;
    the dashboard, the report and the CLI all show this one decomposition."""
    rows = []
    for rank, b in enumerate(burdens, start=1):
        row: dict[str, Any] = {"rank": rank, "life_event": b.life_event, "name": b.name,
                               "index": b.index, "steps": b.steps,
                               "person_steps": b.person_steps}
        for c in b.components:
            row[c.name] = c.count
        for c in b.components:
            row[f"{c.name}_points"] = c.points
        rows.append(row)
    return rows
