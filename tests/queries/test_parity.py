"""Parity: every saved query gives identical rows on the embedded store and on a real Neo4j.

Both stores get the seed data plus the synthetic larger dataset. Every query sorts its rows
by a key that is unique per row (`order_by`), so the rows are compared as ordered lists; the
lists inside rows are sorted, or kept in journey order, the same way on both backends.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graph.embedded import EmbeddedStore
from graph.neo4j_store import Neo4jStore
from loaders.load import load_dataset
from queries.catalog import all_queries, run_query
from tests.conftest import SEED, wipe_neo4j

# Representative parameters per query: seed ids and ids of the synthetic dataset.
PARITY_CASES: dict[str, list[dict[str, Any]]] = {
    "shared-problems": [{}, {"life_event": "nar-nagon-har-dott"},
                        {"domain": "familj", "min_shared": 2}, {"agency": "skatteverket"},
                        {"domain": "doman-3"}],
    "overlap-matrix": [{}, {"life_event": "livshandelse-3"}, {"domain": "pension"},
                       {"min_shared": 3}],
    "agency-profile": [{"agency": "skatteverket"}, {"agency": "banken"},
                       {"agency": "arbetsformedlingen"}, {"agency": "finns-inte"}],
    "who-does-what": [{"life_event": "nar-nagon-har-dott"}, {"life_event": "anstalla-personal"},
                      {"life_event": "livshandelse-0"}, {"life_event": "livshandelse-19"}],
    "principle-coverage": [{}, {"gaps_only": True}],
    "action-gap": [{}, {"agency": "forsakringskassan"}, {"agency": "skatteverket"}],
    "journey": [{"life_event": "nar-nagon-har-dott"}, {"life_event": "starta-foretag"},
                {"life_event": "livshandelse-1"}, {"life_event": "finns-inte"}],
    "evidence": [{"insight": "kunden-far-agera-kurir"}, {"insight": "insikt-3"},
                 {"insight": "banken-kraver-dodsfallsintyg"}],
    "search": [{"q": "dödsfall"}, {"q": "FORSAKRINGSKASSAN"}, {"q": "insikt nummer 1",
                                                                 "limit": 30},
               {"q": "kurir", "label": "Insight"}, {"q": "pension myndighet"},
               {"q": "ansoker"}],
    # the query files shipped in queries/library/, against their twins in queries/twins.py
    "reporters-without-principles": [{}, {"adopted_only": True}, {"min_insights": 5}],
    "insights-per-year": [{}, {"life_event": "nar-nagon-har-dott"},
                          {"life_event": "livshandelse-2", "from_year": 2018, "to_year": 2022},
                          {"from_year": 2024}],
    "general-insight-trend": [{}, {"general": "kunden-far-agera-kurir"},
                              {"general": "far-veta-forst-i-efterhand"}],
}


def test_every_saved_query_has_a_parity_case() -> None:
    missing = {q.name for q in all_queries() if q.has_twin} - set(PARITY_CASES)
    assert not missing, f"add parity cases for {sorted(missing)} to PARITY_CASES"


@pytest.fixture(scope="module")
def both(neo4j_connection: Neo4jStore, large_dataset: Path,
         tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[EmbeddedStore, Neo4jStore]]:
    wipe_neo4j(neo4j_connection)
    embedded = EmbeddedStore(tmp_path_factory.mktemp("parity") / "graph.json")
    for st in (embedded, neo4j_connection):
        load_dataset(st, SEED)
        load_dataset(st, large_dataset)
    yield embedded, neo4j_connection
    wipe_neo4j(neo4j_connection)


CASES = [(name, params) for name, cases in PARITY_CASES.items() for params in cases]


@pytest.mark.neo4j
@pytest.mark.parametrize(("name", "params"), CASES,
                         ids=[f"{n}-{i}" for n, cases in PARITY_CASES.items()
                              for i in range(len(cases))])
def test_query_parity(both: tuple[EmbeddedStore, Neo4jStore], name: str,
                      params: dict[str, Any]) -> None:
    embedded, neo = both
    a = run_query(embedded, name, params)
    b = run_query(neo, name, params)
    assert a.columns == b.columns
    assert a.rows == b.rows


@pytest.mark.neo4j
def test_parity_cases_are_not_all_empty(both: tuple[EmbeddedStore, Neo4jStore]) -> None:
    """Guards the guard: most cases must return rows, or parity would prove little."""
    embedded, _ = both
    empty = [(n, p) for n, p in CASES if not run_query(embedded, n, p).rows]
    assert len(empty) <= 4, empty


@pytest.mark.neo4j
def test_stats_are_equal_after_loading_twice(both: tuple[EmbeddedStore, Neo4jStore]) -> None:
    embedded, neo = both
    load_dataset(neo, SEED)
    assert neo.stats() == embedded.stats()
