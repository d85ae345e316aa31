"""Collaboration analytics on the seed, the tiny fixture and the large synthetic graph: every
result is checked against an independent computation from the dataset files or networkx."""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
import yaml

from graph.model import GraphData
from graph.store import apply_graph_data
from loaders.dataset import read_dataset
from queries import analytics as an
from tests.conftest import SEED, TINY


def graph_of(*paths: Path) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    for p in paths:
        apply_graph_data(g, read_dataset(p))
    return g


def entries(folder: Path, stem: str) -> list[dict[str, Any]]:
    data = yaml.safe_load((folder / f"{stem}.yaml").read_text(encoding="utf-8"))
    return list(data or [])


def expected_sets(folder: Path) -> dict[str, set[str]]:
    """Agency insight sets straight from insights.yaml (reported + their instance_of)."""
    out: dict[str, set[str]] = {}
    for ins in entries(folder, "insights"):
        for r in ins.get("reported_by") or []:
            out.setdefault(r["agency"], set()).update({ins["id"], *(ins.get("instance_of") or [])})
    return out


@pytest.fixture(scope="module")
def seed() -> nx.MultiDiGraph:
    return graph_of(SEED)


@pytest.fixture(scope="module")
def large(large_dataset: Path) -> nx.MultiDiGraph:
    return graph_of(large_dataset)


@pytest.mark.parametrize("folder", [TINY, SEED], ids=["tiny", "seed"])
def test_agency_sets_count_specific_and_general(folder: Path) -> None:
    got = an.agency_insight_sets(graph_of(folder))
    assert {a: set(s) for a, s in got.items()} == expected_sets(folder)


@pytest.mark.parametrize("which", ["seed", "large"])
def test_similarity_is_symmetric_bounded_and_ranked(which: str,
                                                    request: pytest.FixtureRequest) -> None:
    g = request.getfixturevalue(which)
    sets = an.agency_insight_sets(g)
    res = an.similarity(g, top=25)
    assert 0 < len(res.pairs) <= 25
    for p in res.pairs:
        assert p.a < p.b
        assert 0.0 <= p.score <= 1.0
        assert p.score == pytest.approx(an.jaccard(sets[p.a], sets[p.b]))
        assert an.jaccard(sets[p.a], sets[p.b]) == an.jaccard(sets[p.b], sets[p.a])
        assert p.shared == tuple(sorted(sets[p.a] & sets[p.b])) and p.shared
    keys = [(-p.score, p.a, p.b) for p in res.pairs]
    assert keys == sorted(keys)
    if which == "seed":  # brute force: the top pair is the best of all pairs
        best = max(an.jaccard(sets[a], sets[b]) for a, b in itertools.combinations(sets, 2))
        assert res.pairs[0].score == pytest.approx(best)
        overlapping = sum(1 for a, b in itertools.combinations(sets, 2) if sets[a] & sets[b])
        assert res.overlapping_pairs == overlapping


@pytest.mark.parametrize("which", ["seed", "large"])
def test_communities_partition_the_reporting_agencies(which: str,
                                                      request: pytest.FixtureRequest) -> None:
    g = request.getfixturevalue(which)
    sets = an.agency_insight_sets(g)
    res = an.communities(g)
    members = [m for c in res.communities for m in c.members]
    assert sorted(members) == sorted(sets)  # every reporting agency exactly once
    assert -0.5 <= res.modularity <= 1.0
    # Newman's collaboration weights, worked out from the insight sets: a shared insight
    # that n agencies report adds 1/(n-1) to each pair.
    reporters: dict[str, set[str]] = {}
    for agency, insights in sets.items():
        for i in insights:
            reporters.setdefault(i, set()).add(agency)
    weights: dict[tuple[str, str], float] = {}
    for agencies in reporters.values():
        for a in agencies:
            for b in agencies:
                if a < b:
                    weights[(a, b)] = weights.get((a, b), 0.0) + 1.0 / (len(agencies) - 1)
    cp = an.collaboration_projection(g)
    assert {tuple(sorted((u, v))): pytest.approx(d["weight"])
            for u, v, d in cp.edges(data=True)} == weights
    assert res.modularity == pytest.approx(
        nx.community.modularity(cp, [set(c.members) for c in res.communities], weight="weight"))
    applies = {(u.split(":", 1)[1], v.split(":", 1)[1])
               for u, v, k in g.edges(keys=True) if k == "APPLIES"}
    for c in res.communities:
        for sp in c.shared_problems:
            assert sp.members >= 2
            assert sp.members == sum(1 for m in c.members if sp.insight in sets[m])
        counts = [sp.members for sp in c.shared_problems]
        assert counts == sorted(counts, reverse=True)
        for item in c.agenda:
            assert item.applied_by and item.not_applied_by
            assert set(item.applied_by) | set(item.not_applied_by) == set(c.members)
            assert all((m, item.principle) in applies for m in item.applied_by)
            assert not any((m, item.principle) in applies for m in item.not_applied_by)
    an.clear_cache()
    assert an.communities(g) == res  # the fixed seed makes it deterministic


def test_reach_counts_instances_for_general_insights(seed: nx.MultiDiGraph) -> None:
    items = entries(SEED, "insights")
    domain_of = {le["id"]: le["domain"] for le in entries(SEED, "life_events")}
    res = {r.insight: r for r in an.reach(seed)}
    assert set(res) == {i["id"] for i in items}
    for ins in items:
        agencies = {r["agency"] for r in ins.get("reported_by") or []}
        events = set(ins.get("life_events") or [])
        for other in items:
            if ins["id"] in (other.get("instance_of") or []):
                agencies |= {r["agency"] for r in other.get("reported_by") or []}
                events |= set(other.get("life_events") or [])
        r = res[ins["id"]]
        assert set(r.agency_ids) == agencies and r.agencies == len(agencies)
        assert set(r.life_event_ids) == events
        assert set(r.domain_ids) == {domain_of[e] for e in events}
    ranked = an.reach(seed)
    keys = [(-r.agencies, -r.life_events, -r.domains, r.insight) for r in ranked]
    assert keys == sorted(keys)


def test_betweenness_matches_networkx() -> None:
    rnd = random.Random(3)
    for trial in range(3):
        q = nx.gnp_random_graph(40, 0.12, seed=trial)
        q = nx.relabel_nodes(q, {i: f"n{i:02d}" for i in q})
        for a, b in q.edges:
            q[a][b]["distance"] = rnd.choice([1.0, 0.5, 0.25, 2.0])
        for k in (None, 15):
            ours = an.betweenness(q, "distance", k, seed=trial)
            ref = nx.betweenness_centrality(q, k=k, normalized=True, weight="distance",
                                            seed=trial)
            assert ours == pytest.approx(ref, abs=1e-12)


def test_bridges_exact_on_seed_and_sampled_when_big(seed: nx.MultiDiGraph,
                                                     large: nx.MultiDiGraph) -> None:
    res = an.bridges(seed)
    assert not res.sampled and res.k is None and "exact" in res.note
    p = an.agency_projection(seed)
    ref = nx.betweenness_centrality(p, normalized=True, weight="distance")
    assert {b.agency: b.betweenness for b in res.agencies} == pytest.approx(ref, abs=1e-9)
    assert [b.betweenness for b in res.agencies] == sorted(
        (b.betweenness for b in res.agencies), reverse=True)
    big = an.bridges(large, sample_above=100)
    assert big.sampled and big.k == min(big.nodes, 200) and "sampled" in big.note
    assert big.nodes == len(an.agency_insight_sets(large))
    assert all(0.0 <= b.betweenness <= 1.0 for b in big.agencies)


# The burden index is hand-checked in tests/queries/test_burden.py.


def test_cache_is_keyed_on_the_graph_state(seed: nx.MultiDiGraph) -> None:
    g = seed.copy()
    first = an.similarity(g, 5)
    assert an.similarity(g, 5) is first  # same state: served from the cache
    assert an.fingerprint(g) == an.fingerprint(seed.copy())
    data: GraphData = read_dataset(TINY)
    apply_graph_data(g, data)
    assert an.fingerprint(g) != an.fingerprint(seed)
    assert an.similarity(g, 5) is not first
    h = seed.copy()
    key = next(n for n, a in h.nodes(data=True) if a["label"] == "Insight")
    h.nodes[key]["title"] = "Ändrad titel"
    assert an.fingerprint(h) != an.fingerprint(seed)  # a property change is a new state


def test_every_analysis_runs_on_the_large_graph_and_is_cached(large: nx.MultiDiGraph) -> None:
    """Each analysis answers on the large graph, and a second call with no change in between
    returns the cached objects. How fast is the benchmark's business (benchmarks/), not a
    timed assertion here."""
    runs: list[tuple[str, Callable[[], object]]] = [
                      ("similarity", lambda: an.similarity(large)),
                      ("communities", lambda: an.communities(large)),
                      ("reach", lambda: an.reach(large)),
                      ("bridges", lambda: an.bridges(large)),
                      ("burden", lambda: an.burden(large))]
    for name, run in runs:
        an.clear_cache()
        assert run() is not None, name
    first = (an.similarity(large), an.communities(large))
    again = (an.similarity(large), an.communities(large))
    assert again[0] is first[0] and again[1] is first[1]
