"""A query file on the dashboard's Queries page: on the embedded store it says that it needs
Neo4j, on Neo4j its table has the columns of its Cypher."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from graph.settings import reset_settings
from tests.dashboard.test_dashboard_pages import open_page, query_table
from tests.queries.test_query_files import GOOD, write


@pytest.fixture
def qdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "my-queries"
    write(folder, "reporters-of.yaml", GOOD)
    monkeypatch.setenv("INSIKT_QUERY_DIR", str(folder))
    reset_settings()
    return folder


def test_on_the_embedded_store_the_page_says_the_file_needs_neo4j(seed_env: Path,
                                                                 qdir: Path) -> None:
    at = open_page("views/queries.py", query="reporters-of", insight="kunden-far-agera-kurir")
    assert at.selectbox(key="q_query").value == "reporters-of"
    assert any("insikt neo4j start" in w.value for w in at.warning), [w.value for w in at.warning]
    at = open_page("views/queries.py", query="insights-per-year")  # a shipped file has a twin
    assert [str(y) for y in query_table(at, "first_reported")["year"]][:2] == ["2017", "2018"]


@pytest.mark.neo4j
def test_on_neo4j_the_file_runs_with_its_cypher_columns(neo4j_store: Any, qdir: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from loaders.load import load_dataset
    from tests.conftest import SEED

    load_dataset(neo4j_store, SEED)
    monkeypatch.setenv("INSIKT_BACKEND", "neo4j")
    reset_settings()
    at = open_page("views/queries.py", query="reporters-of", insight="kunden-far-agera-kurir")
    table = query_table(at, "note")
    assert list(table.columns) == ["agency", "year", "note"]
    assert list(table["agency"]) == ["pensionsmyndigheten"]
