"""Every saved query speaks both languages: title, description, parameter labels and help,
and a label for every column it returns (queries.texts). A query added later without them
fails here; so does a column that a query's rows hold but its declaration leaves out."""

from __future__ import annotations

from typing import Any

import networkx as nx
import pytest

from graph.model import Label
from graph.store import apply_graph_data
from loaders.dataset import read_dataset
from queries import texts
from queries.catalog import all_queries, run_on_graph
from queries.types import Param, SavedQuery
from tests.conftest import SEED


@pytest.fixture(scope="module")
def seed_graph() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    apply_graph_data(g, read_dataset(SEED))
    return g


def test_every_query_parameter_and_column_has_both_languages() -> None:
    assert texts.missing_texts(all_queries()) == []


@pytest.mark.parametrize("lang", texts.LANGS)
def test_headers_are_distinct_within_each_query(lang: str) -> None:
    """Two columns with one label would be one column to the reader (and to a CSV)."""
    for q in all_queries():
        ids = texts.id_columns(q, q.columns)
        labels = [texts.column_label(c, lang, is_id=c in ids) for c in q.columns]
        assert len(set(labels)) == len(labels), (q.name, labels)


def test_the_check_finds_what_is_missing() -> None:
    bare = SavedQuery(name="x-new", title_sv="Ny", title_en="", description="only English",
                      params=(Param("colour", "str", "a colour"),), cypher="RETURN 1",
                      embedded=lambda g, p: [], columns=("colour", "agency"), order_by=())
    assert texts.missing_texts([bare]) == [
        "x-new: description (sv)", "x-new: parameter colour: label (sv)",
        "x-new: parameter colour: help (sv)", "x-new: title (en)",
        "x-new: parameter colour: label (en)", "x-new: column colour: label"]


def test_rows_name_their_columns_with_labels(seed_graph: Any) -> None:
    """What the queries really return (run on the seed), not only what they declare."""
    unlabelled = set()
    for q in all_queries():
        if not q.has_twin:
            continue
        params = {p.name: q.example.get(p.name) for p in q.params if p.name in q.example}
        for row in run_on_graph(seed_graph, q.name, params).rows[:50]:
            unlabelled |= {f"{q.name}.{c}" for c in row if c not in texts.FIELDS}
    assert not unlabelled


@pytest.mark.parametrize("lang", texts.LANGS)
def test_readable_rows_show_names_in_the_language(seed_graph: Any, lang: str) -> None:
    from queries.views import names_of

    names = names_of(seed_graph, lang)
    q = next(q for q in all_queries() if q.name == "shared-problems")
    rows = run_on_graph(seed_graph, q.name, {"agency": "skatteverket"}).rows
    shown, readable = texts.readable_rows(q, rows, q.columns, names.get)
    assert shown == list(q.columns)
    for raw, r in zip(rows, readable, strict=True):
        assert r["agency_a"] == raw["agency_a"]  # ids stay
        assert r["agency_a_name"] == names.get(Label.AGENCY, raw["agency_a"])
        assert r["shared"] == [names.get(Label.INSIGHT, x) for x in raw["shared"]]
    skv = next(r for r in readable if "skatteverket" in (r["agency_a"], r["agency_b"]))
    side = "a" if skv["agency_a"] == "skatteverket" else "b"
    assert skv[f"agency_{side}_name"] == ("Swedish Tax Agency" if lang == "en" else "Skatteverket")
    slugs = {x for raw in rows for x in raw["shared"]}
    assert not slugs & {x for r in readable for x in r["shared"]}  # names, not slugs


def test_journey_view_drops_the_other_language(seed_graph: Any) -> None:
    q = next(q for q in all_queries() if q.name == "journey")
    rows = run_on_graph(seed_graph, "journey", {"life_event": "nar-nagon-har-dott"}).rows
    shown, _ = texts.readable_rows(q, rows, q.columns, lambda lb, i: i)
    assert "action_en" in q.columns and "action_en" not in shown


@pytest.mark.parametrize("lang", texts.LANGS)
def test_the_data_s_fixed_values_read_in_the_language(seed_graph: Any, lang: str) -> None:
    q = next(q for q in all_queries() if q.name == "evidence")
    rows = run_on_graph(seed_graph, "evidence", {"insight": "kunden-far-agera-kurir"}).rows
    _, readable = texts.readable_rows(q, rows, q.columns, lambda lb, i: f"<{i}>", lang)
    raw_kinds = {r["kind"] for r in rows}
    assert {"source", "reported_by", "principle"} <= raw_kinds
    shown = {r["kind"] for r in readable}
    assert shown == {texts.VALUES["kind"][k][0 if lang == "sv" else 1] for k in raw_kinds}
    if lang == "sv":
        assert "rapporteras av" in shown and "reported_by" not in shown
    # an unknown value stays as it is
    assert texts.readable_rows(q, [{"kind": "new-kind", "id": "x"}], ("kind", "id"),
                               lambda lb, i: i, lang)[1] == [{"kind": "new-kind", "id": "x"}]
