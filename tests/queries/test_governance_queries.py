"""The overlap ranking ("who shares most with X"), the governance list and the trends, on a
small hand-made dataset (tests/governdata.py) whose answers are worked out by hand, on both
backends."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.neo4j_store import Neo4jStore
from graph.store import GraphStore
from loaders.load import load_dataset
from queries.catalog import run_query
from tests.conftest import wipe_neo4j
from tests.governdata import write_governance_dataset


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def gov_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphStore]:
    folder = write_governance_dataset(tmp_path / "styrning")
    if request.param == "neo4j":
        neo: Neo4jStore = request.getfixturevalue("neo4j_connection")
        wipe_neo4j(neo)
        load_dataset(neo, folder)
        yield neo
        wipe_neo4j(neo)
        return
    from graph.embedded import EmbeddedStore

    st = EmbeddedStore(tmp_path / "graph.db")
    load_dataset(st, folder)
    yield st
    st.close()


def test_shares_most_with_ranks_specific_problems_first(gov_store: GraphStore) -> None:
    rows = run_query(gov_store, "shares-most-with", {"agency": "x"}).rows
    # q shares three (general) problems with x, p only two, but one of p's is the same
    # specific problem: p ranks first. r shares g3 alone.
    assert [(r["peer"], r["specific_shared"], r["shared"]) for r in rows] == [
        ("p", 1, 2), ("q", 0, 3), ("r", 0, 1)]
    assert rows[0]["specific_insights"] == ["s1"] and rows[1]["shared_insights"] == [
        "g1", "g2", "g3"]
    # Jaccard: shared / union of the two insight sets (x has 6, p 2, q 6, r 3: s6, s7, g3)
    assert [r["jaccard"] for r in rows] == pytest.approx([2 / 6, 3 / 9, 1 / 8])
    assert {r["agency"] for r in rows} == {"x"} and "s" not in {r["peer"] for r in rows}
    two = run_query(gov_store, "shares-most-with", {"agency": "x", "min_shared": 2}).rows
    assert [r["peer"] for r in two] == ["p", "q"]
    assert run_query(gov_store, "shares-most-with", {"agency": "s"}).rows == []


def test_reporters_without_principles(gov_store: GraphStore) -> None:
    rows = run_query(gov_store, "reporters-without-principles").rows
    # x adopts pr1, p plans it; q and r apply none (r's superseded s7 does not count)
    assert [(r["agency"], r["insight_count"], r["insights"]) for r in rows] == [
        ("q", 3, ["s4", "s5", "s6"]), ("r", 1, ["s6"])]
    adopted = run_query(gov_store, "reporters-without-principles", {"adopted_only": True}).rows
    assert [r["agency"] for r in adopted] == ["q", "p", "r"]
    assert [r["agency"] for r in run_query(gov_store, "reporters-without-principles",
                                           {"min_insights": 2}).rows] == ["q"]


def test_trends_per_year_and_per_general_insight(gov_store: GraphStore) -> None:
    per_year = run_query(gov_store, "insights-per-year").rows
    assert [(r["year"], r["reports"], r["agencies"], r["first_reported"]) for r in per_year] == [
        (2018, 1, 1, 1), (2019, 1, 1, 1), (2020, 3, 2, 2), (2021, 3, 1, 3)]
    trend = run_query(gov_store, "general-insight-trend", {"general": "g1"}).rows
    assert [(r["year"], r["reports"]) for r in trend] == [(2019, 1), (2020, 1), (2021, 1)]
