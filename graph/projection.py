"""The agency–problem projection: which agency holds which customer problem, and through what.

Why: the overlap queries (shared-problems, overlap-matrix, agency-profile's peers) and the
collaboration analytics all ask "which agencies hold problem x". Walking
agency → REPORTS → insight → INSTANCE_OF → general ← INSTANCE_OF ← insight ← REPORTS ← agency at
query time expands every pair *path*: a general insight with 10k instances gives 10k² paths.
The projection keeps one row per (agency, problem) instead, so a query pairs agencies per
problem (at most 365² per general problem) and never walks the paths again.

A *problem* is an insight, counted as itself and through its general insights
(INSTANCE_OF*0..1), where insights linked by SAME_PROBLEM (a curator's "same" decision,
undirected, connected components) are one problem, named by the smallest id of its component.
A problem is `specific` when any insight of it is specific.

Each row keeps *via*: the (status, life event) pairs of the reported insights it comes
through ('' when the insight arises in no life event), so that the status and life-event or
domain filters stay exact: a row passes when one reported insight passes all of them. The
status is the reported insight's own; `proposed`, `disputed` and `superseded` ones are left out
unless asked for (`include_status`).

Where it lives:

* embedded store: derived from the networkx form the store rebuilds after every write (once
  per graph object, memoised here), so a load, an unload or a curation decision makes a new one;
* Neo4j: `InsiktProjection` nodes (`agency`, `problem`, `kind`, `via_status`, `via_event`),
  written by `refresh_projection` in one transaction that holds the load lock, and stamped with
  the lock's write counter (`projection_of`); `ensure_projection` rebuilds it when a write has
  happened since (a load from an older client, a direct `store.load`), so queries never read
  a stale one. They are not part of the graph: no reader of the graph (stats, export,
  to_networkx) sees them.
"""

from __future__ import annotations

import itertools
import weakref
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np

from .errors import QueryRefused
from .model import Label, Rel
from .walk import node_id, nodes_of, out_nodes, rels_of_type, with_generals

EXCLUDABLE_STATUSES = ("proposed", "disputed", "superseded")
"""Statuses whose insights count in the overlap figures only when asked for."""
INCLUDE_STATUS_HELP = ("also count insights with these statuses (comma-separated: `proposed`, "
                       "`disputed`, `superseded`, or `all`); by default only active ones count")
INCLUDE_STATUS_HELP_SV = ("räkna även insikter med dessa statusar (kommaseparerat: `proposed`, "
                          "`disputed`, `superseded` eller `all`); som standard räknas bara "
                          "aktiva")


@dataclass(frozen=True)
class Holding:
    """One agency holding one problem, with the (status, life event) pairs it comes through."""

    agency: str
    problem: str
    kind: str
    via: frozenset[tuple[str, str]]


def excluded_statuses(include: str | Iterable[str] | None) -> tuple[str, ...]:
    """The statuses left out, given the `include_status` value (text "a,b", "all", or a list).
    Unknown statuses are refused, naming the valid ones."""
    if include is None:
        wanted: set[str] = set()
    elif isinstance(include, str):
        wanted = {s.strip().lower() for s in include.split(",") if s.strip()}
    else:
        wanted = {str(s).strip().lower() for s in include if str(s).strip()}
    if "all" in wanted:
        wanted = (wanted - {"all"}) | set(EXCLUDABLE_STATUSES)
    unknown = sorted(wanted - set(EXCLUDABLE_STATUSES))
    if unknown:
        raise QueryRefused(f"parameter 'include_status': unknown status {', '.join(unknown)}; "
                           f"use {', '.join(EXCLUDABLE_STATUSES)} or all (comma-separated)")
    return tuple(s for s in EXCLUDABLE_STATUSES if s not in wanted)


def id_list(raw: str | None, name: str) -> list[str] | None:
    """A comma-separated list of ids (None when empty); duplicates dropped, order kept."""
    if raw is None:
        return None
    items = list(dict.fromkeys(s.strip() for s in str(raw).split(",") if s.strip()))
    if len(items) > 1000:
        raise QueryRefused(f"parameter '{name}' lists {len(items)} ids; at most 1000")
    return items or None


def same_problem_map(g: nx.MultiDiGraph) -> dict[str, tuple[str, str]]:
    """Insight id → (problem id, problem kind) for every insight in a SAME_PROBLEM component:
    the component's smallest id, and `specific` when any member is specific."""
    links = nx.Graph()
    for u, v, _ in rels_of_type(g, Rel.SAME_PROBLEM):
        links.add_edge(u, v)
    out: dict[str, tuple[str, str]] = {}
    for comp in nx.connected_components(links):
        members = sorted(node_id(g, k) for k in comp)
        kinds = {str(g.nodes[k].get("kind") or "") for k in comp}
        kind = "specific" if "specific" in kinds else (kinds.pop() if len(kinds) == 1 else "")
        out.update((m, (members[0], kind)) for m in members)
    return out


_MEMO: weakref.WeakKeyDictionary[nx.MultiDiGraph, tuple[int, tuple[Holding, ...]]] \
    = weakref.WeakKeyDictionary()


def holdings(g: nx.MultiDiGraph) -> tuple[Holding, ...]:
    """The projection of `g`, sorted by (agency, problem); computed once per graph object (the
    stores hand out a new object after every write, and callers must not change it)."""
    size = g.number_of_nodes()  # a cheap guard (counting edges walks them all)
    found = _MEMO.get(g)
    if found is not None and found[0] == size:
        return found[1]
    result = _holdings(g)
    _MEMO[g] = (size, result)
    return result


def _holdings(g: nx.MultiDiGraph) -> tuple[Holding, ...]:
    merged = same_problem_map(g)
    acc: dict[tuple[str, str], tuple[str, set[tuple[str, str]]]] = {}
    events_of: dict[str, list[str]] = {}
    for a, i, _ in rels_of_type(g, Rel.REPORTS):
        status = str(g.nodes[i].get("status") or "active")
        if i not in events_of:
            events_of[i] = [node_id(g, le) for le in out_nodes(g, i, Rel.ARISES_IN)] or [""]
        via = {(status, le) for le in events_of[i]}
        agency = node_id(g, a)
        for x in with_generals(g, i):
            xid = node_id(g, x)
            problem, kind = merged.get(xid, (xid, str(g.nodes[x].get("kind") or "")))
            key = (agency, problem)
            if key in acc:
                acc[key][1].update(via)
            else:
                acc[key] = (kind, set(via))
    return tuple(Holding(a, p, kind, frozenset(via))
                 for (a, p), (kind, via) in sorted(acc.items()))


def domain_events(g: nx.MultiDiGraph, domain: str | None) -> frozenset[str] | None:
    """The ids of the life events of a domain (None when no domain filter is given)."""
    if domain is None:
        return None
    return frozenset(a["id"] for k, a in nodes_of(g, Label.LIFE_EVENT)
                     if any(node_id(g, d) == domain for d in out_nodes(g, k, Rel.IN_DOMAIN)))


def passes(h: Holding, excluded: Iterable[str], life_event: str | None,
           events: frozenset[str] | None) -> bool:
    """Whether one reported insight behind the row passes the status and event filters."""
    skip = set(excluded)
    return any(st not in skip and (life_event is None or le == life_event)
               and (events is None or le in events) for st, le in h.via)


def selected(g: nx.MultiDiGraph, p: dict[str, Any]) -> list[Holding]:
    """The rows that pass a query's filters (`include_status`, `life_event`, `domain`)."""
    excluded = excluded_statuses(p.get("include_status"))
    events = domain_events(g, p.get("domain"))
    return [h for h in holdings(g) if passes(h, excluded, p.get("life_event"), events)]


def problem_sets(rows: Iterable[Holding]) -> dict[str, dict[str, str]]:
    """Agency → problem → kind, from projection rows."""
    out: dict[str, dict[str, str]] = defaultdict(dict)
    for h in rows:
        out[h.agency][h.problem] = h.kind
    return dict(out)


@dataclass(frozen=True)
class PairTable:
    """Every agency pair's shared and shared specific problems, as n × n matrices over the
    agencies in id order (pairs a < b in the upper triangle), with each agency's total."""

    agencies: list[str]
    shared: np.ndarray
    specific: np.ndarray
    totals: np.ndarray


HEAVY = 32
"""A problem with more holders than this adds to the pair matrix as one matrix product (the
general insights: nearly every agency); the others by listing their few pairs."""


def pair_table(sets: dict[str, dict[str, str]]) -> PairTable:
    """Pairs within each problem's holders, never the pair paths: the few problems held by
    many agencies through a matrix product (agencies × heavy problems), the rest pair by pair."""
    agencies = sorted(sets)
    pos = {a: i for i, a in enumerate(agencies)}
    n = len(agencies)
    holders: dict[str, list[int]] = defaultdict(list)
    kinds: dict[str, str] = {}
    for a in agencies:
        for x, kind in sets[a].items():
            holders[x].append(pos[a])
            kinds[x] = kind
    shared = np.zeros((n, n), dtype=np.int64)
    specific = np.zeros((n, n), dtype=np.int64)
    heavy = [x for x, h in holders.items() if len(h) > HEAVY]
    if heavy:
        m = np.zeros((n, len(heavy)), dtype=np.int64)
        for j, x in enumerate(heavy):
            m[holders[x], j] = 1
        shared += m @ m.T
        spec_cols = [j for j, x in enumerate(heavy) if kinds[x] == "specific"]
        if spec_cols:
            ms = m[:, spec_cols]
            specific += ms @ ms.T
    rows: list[int] = []
    cols: list[int] = []
    spec_rows: list[int] = []
    spec_cols2: list[int] = []
    for x, h in holders.items():
        if 1 < len(h) <= HEAVY:
            pairs = list(itertools.combinations(h, 2))  # h ascending: i < j
            rows += [i for i, _ in pairs]
            cols += [j for _, j in pairs]
            if kinds[x] == "specific":
                spec_rows += [i for i, _ in pairs]
                spec_cols2 += [j for _, j in pairs]
    np.add.at(shared, (np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64)), 1)
    np.add.at(specific, (np.array(spec_rows, dtype=np.int64),
                         np.array(spec_cols2, dtype=np.int64)), 1)
    # the heavy part is symmetric; keep every pair once, in the upper triangle
    upper = np.triu(np.ones((n, n), dtype=bool), k=1)
    shared = np.where(upper, shared, 0)
    specific = np.where(upper, specific, 0)
    totals = np.array([len(sets[a]) for a in agencies], dtype=np.int64)
    return PairTable(agencies, shared, specific, totals)


def ranked_pairs(t: PairTable, min_shared: int, only: str | None
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The pairs (index a < b) sharing at least `min_shared` problems (with `only`, just that
    agency's), strongest first: specific desc, shared desc, Jaccard desc, then the ids; and
    the Jaccard matrix: (a indexes, b indexes, Jaccard)."""
    both = t.totals[:, None] + t.totals[None, :] - t.shared
    with np.errstate(divide="ignore", invalid="ignore"):
        jac = np.where(t.shared > 0, t.shared / np.where(both > 0, both, 1), 0.0)
    mask = t.shared >= max(min_shared, 1)  # (only the upper triangle holds counts)
    if only is not None:
        k = t.agencies.index(only) if only in t.agencies else -1
        keep = np.zeros_like(mask)
        if k >= 0:
            keep[k, :] = True
            keep[:, k] = True
        mask &= keep
    ai, bi = np.nonzero(mask)  # row-major: a, then b, ascending
    order = np.lexsort((bi, ai, -jac[ai, bi], -t.shared[ai, bi], -t.specific[ai, bi]))
    return ai[order], bi[order], jac


def default_pairs(rows: Iterable[tuple[str, str, str]]) -> list[dict[str, Any]]:
    """The pair table the Neo4j store keeps for the unfiltered shared-problems: from
    (agency, problem, kind) rows (the default statuses), every pair sharing a problem with
    its counts, Jaccard index, `rank` (0 = strongest, the order of `ranked_pairs`) and the
    problems it shares (so a page needs no lookups)."""
    sets: dict[str, dict[str, str]] = defaultdict(dict)
    for agency, problem, kind in rows:
        sets[agency][problem] = kind
    t = pair_table(dict(sets))
    ai, bi, jac = ranked_pairs(t, 1, None)
    keys = {a: set(xs) for a, xs in sets.items()}
    return [{"a": t.agencies[i], "b": t.agencies[j], "shared": int(t.shared[i, j]),
             "specific": int(t.specific[i, j]), "jaccard": float(jac[i, j]), "rank": r,
             "problems": sorted(keys[t.agencies[i]] & keys[t.agencies[j]])}
            for r, (i, j) in enumerate(zip(ai.tolist(), bi.tolist(), strict=True))]


# -- Neo4j ----------------------------------------------------------------------------------

def same_problem_params(g_links: list[dict[str, Any]]) -> tuple[dict[str, str], dict[str, str]]:
    """From SAME_PROBLEM links read on Neo4j ({a, b, a_kind, b_kind}): the problem id and the
    problem kind of each linked insight, as the Cypher of the refresh takes them."""
    g = nx.MultiDiGraph()
    for r in g_links:
        for side in ("a", "b"):
            g.add_node(f"Insight:{r[side]}", label="Insight", id=r[side], kind=r[f"{side}_kind"])
        g.add_edge(f"Insight:{r['a']}", f"Insight:{r['b']}", key=Rel.SAME_PROBLEM.value)
    merged = same_problem_map(g)
    return ({i: p for i, (p, _) in merged.items()}, {i: k for i, (_, k) in merged.items()})
