"""The dashboard's questions (queries.views, queries.subgraph) and its helpers on the tiny
fixture graph, against answers worked out by hand from
tests/data/tiny (see the comments), plus the i18n tables."""

from __future__ import annotations

import re
from pathlib import Path

import networkx as nx
import pytest

from dashboard import display, i18n, url_state
from graph import walk
from graph.embedded import EmbeddedStore
from loaders.load import load_dataset
from queries import subgraph, views
from queries.analytics import BURDEN_WEIGHTS, burden
from queries.catalog import run_query
from tests.conftest import ROOT, TINY

# Insight sets (reported + their generals):
#   skatteverket      {intyg-till-banken, kurir, foretag-far-inte-veta, vem-gor-vad}
#   forsakringskassan {intyg-till-banken, kurir}
#   pensionsmyndigheten {kurir, foretag-far-inte-veta, vem-gor-vad}
SKV, FK, PM = "skatteverket", "forsakringskassan", "pensionsmyndigheten"
LE = "LifeEvent:nar-nagon-har-dott"


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    st = EmbeddedStore(tmp_path_factory.mktemp("tiny") / "graph.json")
    load_dataset(st, TINY)
    return st


@pytest.fixture(scope="module")
def g(tiny: EmbeddedStore) -> nx.MultiDiGraph:
    return tiny.to_networkx()


def test_i18n_tables_have_the_same_keys_and_no_empty_strings() -> None:
    assert set(i18n.SV) == set(i18n.EN)
    assert all(v.strip() for v in [*i18n.SV.values(), *i18n.EN.values()])
    assert i18n.t("page.overview", "sv") == "Översikt"
    assert i18n.t("page.overview", "en") == "Overview"


def test_every_literal_ui_key_exists() -> None:
    """Every t("…") in the dashboard's code names a key of both tables."""
    used: set[str] = set()
    for path in (ROOT / "dashboard").rglob("*.py"):
        used |= set(re.findall(r"\bt\(\s*\"([^\"{}]+)\"", path.read_text(encoding="utf-8")))
    assert used, "found no t() calls"
    assert not used - set(i18n.SV), sorted(used - set(i18n.SV))
    for prefix, values in [("label.", [lb for lb in subgraph.LABEL_ORDER]),
                           ("kind.", ["general", "specific"]),
                           ("feedback.", ["immediate", "delayed", "none"])]:
        for v in values:
            assert prefix + v in i18n.SV


def test_display_names_follow_the_language_with_swedish_fallback() -> None:
    agency = {"label": "Agency", "id": "a", "name": "Skatteverket", "name_en": "Tax Agency"}
    insight = {"label": "Insight", "id": "i", "title": "Kurir"}
    step = {"label": "JourneyStep", "id": "s", "action": "Gör", "action_en": "Do"}
    assert walk.display_name(agency, "sv") == "Skatteverket"
    assert walk.display_name(agency, "en") == "Tax Agency"
    assert walk.display_name(insight, "en") == "Kurir"
    assert walk.display_name(step, "en") == "Do"
    assert walk.display_name({"label": "Source", "id": "only-id"}, "en") == "only-id"


def test_headline_and_general_reach(g: nx.MultiDiGraph) -> None:
    assert views.headline(g) == views.Headline(agencies=4, insights=5, life_events=2,
                                               principles=1, journeys=1)
    reach = {r["insight"]: (r["agencies"], r["instances"]) for r in views.general_insight_reach(g)}
    # kurir: Pensionsmyndigheten directly, SKV and FK through intyg-till-banken; two instances
    assert reach == {"kurir": (3, 2), "vem-gor-vad": (2, 1)}


def test_shared_counts_and_pair(tiny: EmbeddedStore) -> None:
    rows = run_query(tiny, "shared-problems").rows
    counts = {r["insight"]: r["agencies"] for r in views.shared_insight_counts(rows)}
    assert counts == {"kurir": 3, "intyg-till-banken": 2, "foretag-far-inte-veta": 2,
                      "vem-gor-vad": 2}
    assert set(views.pair_shared(rows, PM, SKV)) == {"kurir", "foretag-far-inte-veta",
                                                     "vem-gor-vad"}
    assert set(views.pair_shared(rows, SKV, FK)) == {"intyg-till-banken", "kurir"}
    assert views.pair_shared(rows, SKV, "banken") == []


def test_heatmap_is_symmetric_and_ordered(tiny: EmbeddedStore, g: nx.MultiDiGraph) -> None:
    rows = run_query(tiny, "overlap-matrix").rows
    names = views.names_of(g, "sv")
    hm = views.heatmap(rows, "count", names)
    cells = {(r.a, r.b): r.value for r in hm.frame.itertuples()}
    assert cells == {(SKV, PM): 3, (PM, SKV): 3, (SKV, FK): 2, (FK, SKV): 2, (FK, PM): 1,
                     (PM, FK): 1}
    # totals 5, 4, 3
    assert hm.order == ["Skatteverket", "Pensionsmyndigheten", "Försäkringskassan"]
    jac = views.heatmap(rows, "jaccard", names)
    assert dict(((r.a, r.b), r.value) for r in jac.frame.itertuples())[(SKV, PM)] == 0.75
    only = views.heatmap(rows, "count", names, agency=FK)
    assert set(only.frame["a"]) == {FK, SKV, PM}
    # a limit keeps the agencies with the most overlap (the filtered one always)
    top = views.heatmap(rows, "count", names, limit=2)
    assert top.order == ["Skatteverket", "Pensionsmyndigheten"] and top.agencies == 3
    assert set(top.frame["a"]) == {SKV, PM}
    mine = views.heatmap(rows, "count", names, agency=FK, limit=2)
    assert set(mine.frame["a"]) == {FK, SKV}
    with pytest.raises(ValueError):
        views.heatmap(rows, "cosine", names)


def test_burden_rows_and_journey_lanes(tiny: EmbeddedStore, g: nx.MultiDiGraph) -> None:
    rows = run_query(tiny, "journey", {"life_event": "nar-nagon-har-dott"}).rows
    table = views.burden_rows(burden(g))
    assert [r["life_event"] for r in table] == ["nar-nagon-har-dott"]
    # tiny: 3 person steps at Skatteverket, Skatteverket, banken; one document; feedback
    # none (step 1) and delayed (step 3): the stacked parts 2 + 3 + 0 + 2·1 + 1.5·2 = 10
    (row,) = table
    assert [row[f"{n}_points"] for n in BURDEN_WEIGHTS] == [2, 3, 0, 2, 3]
    assert row["index"] == 10 == views.burden_index(g)["nar-nagon-har-dott"]
    assert views.life_events_with_journeys(g) == ["nar-nagon-har-dott"]
    lanes = display.journey_lanes(rows, views.names_of(g, "en"), "en")
    assert list(lanes["lane"]) == [0, 0, 1]
    assert lanes["action"][0] == "The death is registered"


def test_life_event_insights(g: nx.MultiDiGraph) -> None:
    rows = views.life_event_insights(g, "nar-nagon-har-dott")
    assert [r["insight"] for r in rows] == ["foretag-far-inte-veta", "intyg-till-banken"]
    assert rows[1]["generals"] == ["kurir"] and rows[1]["reported_by"] == [FK, SKV]
    assert rows[1]["principles"] == ["en-gang"]
    assert views.life_event_insights(g, "finns-inte") == []


def test_principle_overview(tiny: EmbeddedStore, g: nx.MultiDiGraph) -> None:
    coverage = run_query(tiny, "principle-coverage").rows
    assert views.principle_overview(g, coverage) == [
        {"principle": "en-gang", "insights": ["intyg-till-banken", "kurir"],
         "adopted_by": [SKV], "planned_by": [PM]}]


def test_evidence_summary_and_reported_via(tiny: EmbeddedStore, g: nx.MultiDiGraph) -> None:
    ev = views.evidence_summary(run_query(tiny, "evidence",
                                          {"insight": "intyg-till-banken"}).rows)
    assert [s[0] for s in ev.sources] == ["guide"]
    assert ev.years == ["2020", "2021"] and ev.reporters == [FK, SKV]
    # the full chain (tests/data/tiny): Skatteverket 2020 citing 'guide', FK 2021 without a
    # source; general 'kurir'; 'en-gang' defined in 'guide', directly and through 'kurir'
    assert ev.reports == [(FK, "2021", ""), (SKV, "2020", "guide")]
    assert ev.generals == ["kurir"]
    assert ev.principles == [("en-gang", "guide", ""), ("en-gang", "guide", "kurir")]
    assert ev.datasets == [("tiny", "Liten testgraf", "1")]
    chain = views.chain_texts(ev, views.names_of(g, "sv"))
    assert chain["reports"] == "Försäkringskassan (2021); Skatteverket (2020, En vägledning)"
    assert chain["principles"] == ("Lämna uppgifter en gång (En vägledning); Lämna uppgifter "
                                   "en gång (En vägledning) ← Kunden får agera kurir")
    assert chain["datasets"] == "Liten testgraf (1)"
    assert views.reported_via(g, SKV, "kurir") == ["intyg-till-banken"]
    assert views.reported_via(g, PM, "kurir") == ["kurir"]
    assert views.reported_via(g, "banken", "kurir") == []


def test_neighbourhood_depth_labels_scope_and_cap(g: nx.MultiDiGraph) -> None:
    one = subgraph.neighbourhood(g, LE, 1, subgraph.LABEL_ORDER)
    assert set(one.nodes) == {
        LE, "Domain:familj", "Source:guide", "Agency:skatteverket", "Agency:banken",
        "Insight:intyg-till-banken", "Insight:foretag-far-inte-veta",
        "JourneyStep:dodsfall-registreras", "JourneyStep:bestall-intyg",
        "JourneyStep:visa-intyg-for-banken"}
    assert one.nodes[0] == LE and not one.cut and one.total == 10
    assert all(e.start in one.nodes and e.end in one.nodes for e in one.edges)
    agencies = subgraph.neighbourhood(g, LE, 1, ["Agency"])
    assert set(agencies.nodes) == {LE, "Agency:skatteverket", "Agency:banken"}
    # depth 2 through insights reaches the other reporters and the general insights
    two = subgraph.neighbourhood(g, LE, 2, ["LifeEvent", "Insight", "Agency"])
    assert {"Agency:pensionsmyndigheten", "Insight:kurir"} <= set(two.nodes)
    # the cap keeps the closest (then by label order and id) and says what it cut
    capped = subgraph.neighbourhood(g, LE, 1, subgraph.LABEL_ORDER, cap=3)
    assert capped.nodes == [LE, "Agency:banken", "Agency:skatteverket"]
    assert capped.cut == {"Insight": 2, "JourneyStep": 3, "Domain": 1, "Source": 1}
    assert capped.cut_total == 7 and capped.cut_from_depth == 1
    # a life-event filter keeps its part of the graph only
    scope = subgraph.life_event_scope(g, "bli-arbetslos")
    assert "Agency:skatteverket" not in scope
    lonely = subgraph.neighbourhood(g, "Agency:skatteverket", 2, subgraph.LABEL_ORDER, "bli-arbetslos")
    assert lonely.nodes == ["Agency:skatteverket"]
    assert subgraph.neighbourhood(g, "Agency:finns-inte", 1, subgraph.LABEL_ORDER).nodes == []


def test_result_view_joins_row_mates(tiny: EmbeddedStore, g: nx.MultiDiGraph) -> None:
    rows = run_query(tiny, "shared-problems").rows
    view = subgraph.result_view(g, rows, {"agency_a": "Agency", "agency_b": "Agency"})
    assert set(view.nodes) == {"Agency:skatteverket", "Agency:forsakringskassan",
                               "Agency:pensionsmyndigheten"}
    assert {frozenset((e.start, e.end)) for e in view.edges if e.type == subgraph.ROW_EDGE} == {
        frozenset(("Agency:forsakringskassan", "Agency:skatteverket")),
        frozenset(("Agency:pensionsmyndigheten", "Agency:skatteverket")),
        frozenset(("Agency:forsakringskassan", "Agency:pensionsmyndigheten"))}
    capped = subgraph.result_view(g, rows, {"agency_a": "Agency", "agency_b": "Agency"},
                               edge_cap=1)
    assert len(capped.edges) == 1 and capped.edges_cut == 2
    journey = run_query(tiny, "journey", {"life_event": "nar-nagon-har-dott"}).rows
    view = subgraph.result_view(g, journey, {"step": "JourneyStep", "agency": "Agency"})
    # steps and actors are joined by real edges (HANDLED_BY, NEXT), not by ROW edges
    assert {e.type for e in view.edges} == {"HANDLED_BY", "NEXT"}


def test_url_parameters_round_trip() -> None:
    url = url_state.params_to_url("shared-problems", {"life_event": "fa-barn", "agency": None,
                                                  "min_shared": 2, "gaps_only": False})
    assert url == {"query": "shared-problems", "life_event": "fa-barn", "min_shared": "2",
                   "gaps_only": "false"}
    assert url_state.params_from_url(["life_event", "min_shared", "domain"], url) == {
        "life_event": "fa-barn", "min_shared": "2"}
    assert url_state.params_from_url(["q"], {"q": ["a", "b"]}) == {"q": "b"}


def test_downloads(tmp_path: Path) -> None:
    df = display.frame([{"a": "å", "b": ["x", "y"]}], ["a", "b"])
    assert display.to_csv(df).decode("utf-8") == "\ufeffa,b\nå,x; y\n"
    assert display.to_json([{"a": "å"}]).decode("utf-8") == '[\n  {\n    "a": "å"\n  }\n]'


def test_collaboration_holders_and_name_list(g: nx.MultiDiGraph) -> None:
    data = views.collaboration(g)
    assert data.similarity.agencies == 3 and data.bridges.nodes == 3
    sets = {SKV: {"intyg-till-banken", "kurir", "foretag-far-inte-veta", "vem-gor-vad"},
            FK: {"intyg-till-banken", "kurir"},
            PM: {"kurir", "foretag-far-inte-veta", "vem-gor-vad"}}
    for c in data.communities.communities:
        for p in c.shared_problems:
            holders = data.holders[(c.number, p.insight)]
            # exactly the members whose insight set holds it, as many as the analytics count
            assert set(holders) == {m for m in c.members if p.insight in sets[m]}
            assert len(holders) == p.members >= 2
    assert display.name_list(["b", "A", "c"]) == ("A, b, c", 0)
    assert display.name_list([str(i) for i in range(6)], limit=5) == ("0, 1, 2, 3, 4, 5", 0)
    assert display.name_list([str(i) for i in range(8)], limit=5) == ("0, 1, 2, 3, 4", 3)
