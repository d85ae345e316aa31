"""run_query leaves it to the store how a saved query is answered (GraphStore.answer), so no
caller needs to know which backend it holds."""

from __future__ import annotations

from typing import Any

import networkx as nx
import pytest

from graph.embedded import EmbeddedStore
from graph.errors import QueryRefused
from graph.store import AnswerableQuery
from loaders.load import load_dataset
from queries.catalog import get_query, run_on_graph, run_query
from tests.conftest import TINY


class RecordingStore:
    """A store of an unknown kind that answers with canned rows and records what it got."""

    backend = "somewhere-else"
    runs_cypher = True
    local = False

    def __init__(self) -> None:
        self.asked: list[tuple[str, dict[str, Any], dict[str, Any] | None, float]] = []

    def answer(self, query: AnswerableQuery, params: dict[str, Any], *,
               cypher_params: dict[str, Any] | None = None,
               timeout: float = 30.0) -> list[dict[str, Any]]:
        self.asked.append((query.cypher, params, cypher_params, timeout))
        return [{"label": "Agency", "id": "b", "name": "B", "extra": 1},
                {"label": "Agency", "id": "a", "name": "A"}]


def test_the_store_answers_and_run_query_types_orders_and_trims() -> None:
    store = RecordingStore()
    res = run_query(store, "search", {"q": "kurir"}, timeout=3.0)  # type: ignore[arg-type]
    cypher, params, extra, timeout = store.asked[0]
    assert cypher == get_query("search").cypher and timeout == 3.0
    assert params == {"q": "kurir", "label": None, "limit": 50}
    assert extra == {"lucene": "kurir*"}  # the query's prepare() output goes to the store
    assert res.backend == "somewhere-else" and [r["id"] for r in res.rows] == ["a", "b"]
    assert all(set(r) == {"label", "id", "name"} for r in res.rows)
    with pytest.raises(QueryRefused, match="at least one letter"):
        run_query(store, "search", {"q": "!!"})  # type: ignore[arg-type]


def test_embedded_answers_with_the_twin_and_run_on_graph_matches(store: EmbeddedStore) -> None:
    load_dataset(store, TINY)
    tiny = store
    assert not tiny.runs_cypher and tiny.local
    stored = run_query(tiny, "action-gap")
    g: nx.MultiDiGraph = tiny.to_networkx()
    direct = run_on_graph(g, "action-gap")
    assert stored.rows == direct.rows and stored.columns == direct.columns
    assert direct.rows, "the tiny graph has an action gap (försäkringskassan, intyg-till-banken)"
    assert ("forsakringskassan", "intyg-till-banken") in {
        (r["agency"], r["insight"]) for r in direct.rows}
