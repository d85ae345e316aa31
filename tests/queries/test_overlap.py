"""The overlap queries on a skewed graph built here, on both backends: ranking (specific before
general, then Jaccard), paging with the total, matched problems (SAME_PROBLEM components count
as one problem), the status filter, the matrix of the top agencies, and the heaviest agency
for agency-profile and action-gap (the hub walks issue 13 removed). Expected values are worked
out by hand from the fixture, not from the implementation."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from graph.embedded import EmbeddedStore
from graph.errors import QueryRefused
from graph.model import DatasetMeta, GraphData, Label, NodeRecord, Rel, RelRecord
from graph.neo4j_store import Neo4jStore
from graph.projection import excluded_statuses
from graph.store import GraphStore
from loaders.load import refresh_projection
from queries import analytics as an
from queries.catalog import run_query

AGENCIES = [f"a{i}" for i in range(10)]
HEAVY = 40  # instances the heaviest agency (a0) reports


def graph_data() -> GraphData:
    """a0 reports 40 instances h0..h39 of the general G, each also reported by a1, a2 or a3
    (k % 3); every agency ai reports its own instance si; m1, m2, m3 (reported by a1, a2,
    a3) are one problem through SAME_PROBLEM (m1–m2, m3→m2); p1, proposed, is reported by a4
    and a5; principle P addresses G and only a1 applies it."""
    n: list[NodeRecord] = [NodeRecord(Label.AGENCY, a, {"name": f"Aktör {a}"}) for a in AGENCIES]
    r: list[RelRecord] = []

    def insight(i: str, kind: str = "specific", status: str = "active",
                reporters: tuple[str, ...] = (), general: bool = True) -> None:
        n.append(NodeRecord(Label.INSIGHT, i, {"title": i, "kind": kind, "status": status}))
        if general:
            r.append(RelRecord(Rel.INSTANCE_OF, Label.INSIGHT, i, Label.INSIGHT, "G"))
        r.extend(RelRecord(Rel.REPORTS, Label.AGENCY, a, Label.INSIGHT, i) for a in reporters)

    insight("G", kind="general", general=False)
    for k in range(HEAVY):
        insight(f"h{k:02d}", reporters=("a0", f"a{1 + k % 3}"))
    for a in AGENCIES:
        insight(f"s{a}", reporters=(a,))
    for i in (1, 2, 3):
        insight(f"m{i}", reporters=(f"a{i}",), general=False)
    insight("p1", status="proposed", reporters=("a4", "a5"), general=False)
    r.append(RelRecord(Rel.SAME_PROBLEM, Label.INSIGHT, "m1", Label.INSIGHT, "m2",
                       {"decided_by": "test", "decided_at": "2026-12-01"}))
    r.append(RelRecord(Rel.SAME_PROBLEM, Label.INSIGHT, "m3", Label.INSIGHT, "m2",
                       {"decided_by": "test", "decided_at": "2026-12-01"}))
    n.append(NodeRecord(Label.PRINCIPLE, "P", {"name": "Princip"}))
    r.append(RelRecord(Rel.ADDRESSES, Label.PRINCIPLE, "P", Label.INSIGHT, "G"))
    r.append(RelRecord(Rel.APPLIES, Label.AGENCY, "a1", Label.PRINCIPLE, "P", {"status": "adopted"}))
    return GraphData(DatasetMeta("overlap-test", "Overlap test"), n, r).add_search_text()


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> GraphStore:
    st: GraphStore = (EmbeddedStore(tmp_path / "graph.db") if request.param == "embedded"
                      else request.getfixturevalue("neo4j_store"))
    st.load(graph_data())
    refresh_projection(st)
    an.clear_cache()
    return st


def rows(st: GraphStore, name: str, **params: Any) -> list[dict[str, Any]]:
    return run_query(st, name, params).rows


def test_pairs_rank_specific_first_then_jaccard_and_page(store: GraphStore) -> None:
    got = rows(store, "shared-problems")
    top = [(r["agency_a"], r["agency_b"], r["specific_count"], r["shared_count"]) for r in got[:6]]
    assert top == [
        ("a0", "a1", 14, 15), ("a0", "a2", 13, 14), ("a0", "a3", 13, 14),  # equal Jaccard: ids
        # the matched problem m1 (= m2 = m3) is specific and shared by a1, a2 and a3;
        # a1 holds one problem more than a2 and a3, so its pairs' Jaccard is lower
        ("a2", "a3", 1, 2), ("a1", "a2", 1, 2), ("a1", "a3", 1, 2)]
    assert got[3]["shared"] == ["G", "m1"]
    assert got[1]["jaccard"] == pytest.approx(14 / (42 + 16 - 14))
    # every pair shares G: 45 pairs, all counted in the total, one page shown
    assert len(got) == 45 and {r["total"] for r in got} == {45}
    page = run_query(store, "shared-problems", {"limit": 2, "offset": 1})
    assert [(r["agency_a"], r["agency_b"]) for r in page.rows] == [("a0", "a2"), ("a0", "a3")]
    assert page.total == 45
    assert run_query(store, "shared-problems", {"offset": 45}).rows == []
    # with an agency: only its pairs, in the same order
    mine = rows(store, "shared-problems", agency="a2", limit=3)
    assert [(r["agency_a"], r["agency_b"]) for r in mine] == [("a0", "a2"), ("a2", "a3"),
                                                              ("a1", "a2")]
    assert mine[0]["total"] == 9


def test_proposed_insights_count_only_when_included(store: GraphStore) -> None:
    def pair(**params: Any) -> dict[str, Any]:
        found = [r for r in rows(store, "shared-problems", agency="a4", **params)
                 if r["agency_b"] == "a5"]
        assert len(found) == 1
        return found[0]

    assert pair()["shared"] == ["G"]
    assert pair(include_status="proposed")["shared"] == ["G", "p1"]
    assert pair(include_status="all")["specific_count"] == 1
    assert pair(include_status="disputed")["shared"] == ["G"]
    with pytest.raises(QueryRefused, match="unknown status maybe"):
        rows(store, "shared-problems", include_status="maybe")
    matrix = rows(store, "overlap-matrix", agencies="a4,a5", include_status="proposed")
    assert [(r["shared"], r["a_total"], r["b_total"]) for r in matrix] == [(2, 3, 3)]


def test_matrix_takes_the_top_agencies_or_a_list(store: GraphStore) -> None:
    # problems held: a0 42 (G, sa0, h00..h39), a1 17 (G, sa1, m1, 14 h), a2 and a3 16
    top = rows(store, "overlap-matrix", top=3)
    assert {(r["agency_a"], r["agency_b"]): (r["shared"], r["specific_count"]) for r in top} \
        == {("a0", "a1"): (15, 14), ("a0", "a2"): (14, 13), ("a1", "a2"): (2, 1)}
    assert {r["agencies_total"] for r in top} == {10}
    assert len(rows(store, "overlap-matrix")) == 45  # 10 agencies: fewer than the default 30
    listed = rows(store, "overlap-matrix", agencies="a2,a3,finns-inte")
    assert [(r["agency_a"], r["agency_b"], r["shared"]) for r in listed] == [("a2", "a3", 2)]


def test_heaviest_agency_profile_and_action_gap(store: GraphStore) -> None:
    profile = rows(store, "agency-profile", agency="a0")
    peers = [(r["id"], r["detail"]) for r in profile if r["section"] == "peer"]
    assert peers == [("a1", "15"), ("a2", "14"), ("a3", "14"), ("a4", "1"), ("a5", "1")]
    assert sum(r["section"] == "insight" for r in profile) == HEAVY + 1
    gaps = rows(store, "action-gap", agency="a0")
    assert len(gaps) == HEAVY + 1 and {tuple(r["principles"]) for r in gaps} == {("P",)}
    assert rows(store, "action-gap", agency="a1") == []  # it applies P


def test_analytics_count_matched_problems_and_statuses(tmp_path: Path) -> None:
    st = EmbeddedStore(tmp_path / "graph.db")
    st.load(graph_data())
    g = st.to_networkx()
    an.clear_cache()
    sim = {(p.a, p.b): p.shared for p in an.similarity(g, top=100).pairs}
    assert sim[("a2", "a3")] == ("G", "m1")
    assert sim[("a4", "a5")] == ("G",)
    assert an.similarity(g, 100, "proposed").pairs[0].shared == ("G", "p1")
    sets = an.agency_insight_sets(g)
    assert "p1" not in sets["a4"] and "p1" in an.agency_insight_sets(g, "all")["a4"]
    comm = an.communities(g)
    assert sum(len(c.members) for c in comm.communities) == len(AGENCIES)


def test_include_status_values() -> None:
    assert excluded_statuses(None) == ("proposed", "disputed", "superseded")
    assert excluded_statuses("Proposed, superseded") == ("disputed",)
    assert excluded_statuses("all") == ()
    with pytest.raises(QueryRefused, match="use proposed, disputed, superseded or all"):
        excluded_statuses("active,x")


@pytest.mark.neo4j
def test_projection_is_refreshed_after_a_write_it_did_not_see(neo4j_store: Neo4jStore) -> None:
    """A load that skipped the refresh (a direct store.load) is noticed before the next
    overlap query: the projection is stamped with the load lock's write counter."""
    neo4j_store.load(graph_data())
    assert rows(neo4j_store, "shared-problems", limit=1)[0]["total"] == 45
    data = graph_data()
    data.relationships.append(RelRecord(Rel.REPORTS, Label.AGENCY, "a9", Label.INSIGHT, "p1"))
    neo4j_store.load(data)
    got = rows(neo4j_store, "shared-problems", agency="a9", include_status="all", limit=100)
    assert {(r["agency_a"], r["agency_b"]): r["shared"] for r in got}[("a5", "a9")] \
        == ["G", "p1"]


@pytest.mark.neo4j
def test_each_analysis_reads_only_its_part_with_the_same_answer(neo4j_store: Neo4jStore) -> None:
    from dataclasses import asdict

    from loaders.load import load_dataset
    from tests.conftest import SEED

    load_dataset(neo4j_store, SEED)
    whole = neo4j_store.to_networkx()
    runs: dict[str, Callable[[nx.MultiDiGraph], Any]] = {
            "burden": lambda g: [asdict(b) for b in an.burden(g)],
            "similarity": lambda g: asdict(an.similarity(g, top=50)),
            "communities": lambda g: asdict(an.communities(g)),
            "bridges": lambda g: asdict(an.bridges(g)),
            "reach": lambda g: [asdict(r) for r in an.reach(g)]}
    assert set(runs) == set(an.ANALYSIS_NEEDS)
    for name, run in runs.items():
        part = an.analysis_graph(neo4j_store, name)
        assert part.number_of_edges() < whole.number_of_edges(), name
        an.clear_cache()
        expected = run(whole)
        an.clear_cache()
        assert run(part) == expected, name
    journeys = an.analysis_graph(neo4j_store, "burden")
    assert {a["label"] for _, a in journeys.nodes(data=True)} <= {
        "LifeEvent", "JourneyStep", "Agency", "Insight"}
