"""Every dashboard page, run with Streamlit's AppTest on the seed data in a tmp embedded store.

Expected answers are worked out here from the seed YAML files, independently of the saved
queries and of queries.views, so that the pages are checked against the data itself.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import display, network_html
from dashboard.i18n import EN, SV
from graph.settings import reset_settings
from queries import subgraph
from tests.conftest import ROOT, SEED
from tests.dashboard.conftest import APP, expected_shared, network_frames, seed, value

TIMEOUT = 60
# (page file, widget keys that must be there)
PAGES: dict[str, list[str]] = {
    "views/overview.py": ["dl_overview_shared", "dl_overview_burden", "dl_overview_general",
                          "dl_report_html", "dl_report_md"],
    "views/overlap.py": ["ov_metric", "ov_life_event", "ov_domain", "ov_agency", "ov_pair_a",
                         "ov_pair_b", "dl_ov_pair", "dl_ov_matrix"],
    "views/network.py": ["net_focus", "net_depth", "net_life_event", "net_labels"],
    "views/life_events.py": ["le_pick", "dl_le_steps", "dl_le_insights"],
    "views/principles.py": ["dl_pr_overview", "dl_pr_coverage", "dl_pr_gaps", "pr_agency",
                            "dl_pr_action"],
    "views/collaboration.py": ["dl_co_problems_1", "dl_co_agenda_1", "dl_co_networks",
                               "dl_co_similar", "dl_co_reach", "dl_co_bridges",
                               "dl_report_html", "dl_report_md"],
    "views/queries.py": ["q_query", "dl_q_result", "dl_json_q_result"],
    "views/curation.py": ["cu_min_score", "dl_cu_proposed", "cu_insight", "cu_action", "cu_into",
                          "cu_by"],
    "views/card.py": ["card_insight", "dl_card_html_page", "dl_card_md_page"],
    "views/datasets.py": ["ds_pick", "dl_ds_versions", "dl_ds_diff"],
}
TIMINGS = ROOT / "artifacts" / "timings" / "apptest.json"


def app(**query_params: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.query_params.update(query_params)
    return at


def open_page(page: str, **query_params: str) -> AppTest:
    at = app(**query_params).run()
    assert not at.exception, at.exception
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def keys_on(at: AppTest) -> set[str]:
    out: set[str] = set()
    for kind in ("selectbox", "radio", "slider", "multiselect", "download_button", "button",
                 "checkbox", "text_input", "number_input"):
        out |= {str(w.key) for w in at.get(kind) if getattr(w, "key", None)}
    return out


def table_with(at: AppTest, column: str) -> pd.DataFrame:
    for df in at.dataframe:
        if column in df.value.columns:
            return df.value
    raise AssertionError(f"no table with a column {column!r}")


def num(shown: Any, locale: str = "sv_SE") -> float:
    """A number as a table shows it (decimals in the page's language: '17,5') back as a float."""
    from babel.numbers import parse_decimal

    return float(parse_decimal(shown, locale=locale)) if isinstance(shown, str) else float(shown)


def query_table(at: AppTest, column: str, lang: str = "sv") -> pd.DataFrame:
    """The Queries page's result table, found by a query column's label in `lang`
    (queries.texts), with its headers turned back into the query's column names."""
    from queries import texts as query_texts
    from queries.catalog import get_query

    q = get_query(str(at.query_params["query"]))
    columns = list(q.columns) or list(query_texts.FIELDS)
    ids = query_texts.id_columns(q, columns)
    back = {query_texts.column_label(c, lang, is_id=c in ids): c for c in columns}
    found = next((df.value for df in at.dataframe
                  if query_texts.column_label(column, lang, is_id=column in ids)
                  in set(df.value.columns)), None)
    assert found is not None, f"no table with a column {column!r}"
    return found.rename(columns=back)


def texts(at: AppTest) -> list[str]:
    return [str(value(e)) for kind in ("markdown", "caption", "title", "subheader", "header",
                                       "info", "warning", "error", "success")
            for e in at.get(kind)]


@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_renders_with_its_widgets(seed_env: Path, page: str) -> None:
    at = app().run()
    at.switch_page(page)
    started = time.perf_counter()
    at.run()
    seconds = time.perf_counter() - started
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    missing = set(PAGES[page]) - keys_on(at)
    assert not missing, f"{page} lacks widgets {missing}"
    # Every table header is translated (a missing i18n key would show as 'col.…').
    for df in at.dataframe:
        assert not [c for c in df.value.columns if str(c).startswith("col.")], page
    # the sidebar: the backend in use and what is loaded
    side = " ".join(str(value(c)) for c in at.sidebar.get("caption"))
    assert SV["sidebar.store_embedded"].split("{")[0] in side and "seed" in side and "183" in side
    TIMINGS.parent.mkdir(parents=True, exist_ok=True)
    done = json.loads(TIMINGS.read_text()) if TIMINGS.exists() else {}
    done[page] = round(seconds, 3)
    TIMINGS.write_text(json.dumps(done, indent=2))


@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_in_english_has_distinct_headers(seed_env: Path, page: str) -> None:
    at = open_page(page)
    at.radio(key="lang").set_value("en").run()
    assert not at.exception, [e.value for e in at.exception]
    for df in at.dataframe:
        columns = [str(c) for c in df.value.columns]
        assert len(set(columns)) == len(columns), (page, columns)
        assert not [c for c in columns if c.startswith("col.")], (page, columns)


def test_overview_burden_parts_add_up_to_the_index(seed_env: Path) -> None:
    """The Overview table (the data of its stacked chart) shows the report's decomposition:
    the five parts of each row add up to the index; the order and the indexes are the ones
    hand-checked in tests/queries/test_burden.py."""
    at = open_page("views/overview.py")
    table = table_with(at, SV["col.who-does-what"])
    parts = [SV[f"col.{n}"] for n in ("who-does-what", "own-project-manager", "myndighetska",
                                       "courier", "late-feedback")]
    for _, row in table.iterrows():
        assert sum(num(row[p]) for p in parts) == pytest.approx(num(row[SV["col.index"]]))
    assert [num(x) for x in table[SV["col.index"]]] == [25, 17.5, 17, 15.5, 10.5, 8, 3]
    assert "17,5" in list(table[SV["col.index"]])  # written the Swedish way


def test_overview_figures_match_the_seed(seed_env: Path) -> None:
    at = open_page("views/overview.py")
    metrics = {m.label: m.value for m in at.metric}
    journeys = {j["life_event"] for j in seed("journeys") if j.get("steps")}
    assert metrics == {
        SV["metric.agencies"]: str(len(seed("agencies"))),
        SV["metric.insights"]: str(len(seed("insights"))),
        SV["metric.life_events"]: str(len(seed("life_events"))),
        SV["metric.principles"]: str(len(seed("principles"))),
        SV["metric.journeys"]: str(len(journeys)),
    }
    general = table_with(at, SV["col.instances"])
    assert len(general) == 5
    # each general insight: agencies reporting it or one of its instances, from the YAML
    reach: dict[str, set[str]] = defaultdict(set)
    for ins in seed("insights"):
        for rep in ins.get("reported_by") or []:
            for target in [ins["id"], *(ins.get("instance_of") or [])]:
                reach[target].add(rep["agency"])
    got = dict(zip(general[SV["col.insight"]], general[SV["col.agencies"]], strict=True))
    assert got == {i: len(reach[i]) for i in got}


def test_overlap_drill_down_shows_what_the_pair_shares(seed_env: Path) -> None:
    at = open_page("views/overlap.py")
    at.selectbox(key="ov_pair_a").set_value("forsakringskassan")
    at.selectbox(key="ov_pair_b").set_value("skatteverket")
    at.run()
    assert not at.exception
    shared = table_with(at, SV["col.via_a"])
    expected = expected_shared("forsakringskassan", "skatteverket")
    assert expected and set(shared[SV["col.insight"]]) == expected
    # evidence: every row names its sources, and the years come from the REPORTS
    assert all(shared[SV["col.sources"]])
    assert any("2017" in y for y in shared[SV["col.years"]])
    # another pair, chosen the other way round
    at.selectbox(key="ov_pair_a").set_value("pensionsmyndigheten")
    at.selectbox(key="ov_pair_b").set_value("arbetsformedlingen")
    at.run()
    shared = table_with(at, SV["col.via_a"])
    assert set(shared[SV["col.insight"]]) == expected_shared("pensionsmyndigheten",
                                                             "arbetsformedlingen")


def test_overlap_filters_and_jaccard(seed_env: Path) -> None:
    at = open_page("views/overlap.py")
    everything = table_with(at, SV["col.jaccard"])
    at.radio(key="ov_metric").set_value("jaccard")
    at.selectbox(key="ov_life_event").set_value("nar-nagon-har-dott")
    at.run()
    assert not at.exception
    filtered = table_with(at, SV["col.jaccard"])
    assert 0 < len(filtered) < len(everything)
    at.selectbox(key="ov_agency").set_value("skatteverket")
    at.run()
    assert not at.exception
    # the pair defaults to the filtered agency
    assert at.selectbox(key="ov_pair_a").value == "skatteverket"


def test_network_cap_and_offline_view(seed_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dashboard import ui

    at = open_page("views/network.py")
    page = network_frames(at)[0]["html"]
    assert "vis.Network" in page and not network_html.external_refs(page)
    monkeypatch.setattr(ui, "NODE_CAP", 20)
    at.slider(key="net_depth").set_value(3)
    at.multiselect(key="net_labels").set_value(list(subgraph.LABEL_ORDER))
    at.run()
    assert not at.exception
    warning = " ".join(w.value for w in at.warning)
    assert "20" in warning and "183" in warning  # shown 20 of all 183 nodes, and what was cut


def test_life_event_journey_and_burden(seed_env: Path) -> None:
    at = open_page("views/life_events.py")
    at.selectbox(key="le_pick").set_value("fa-barn")
    at.run()
    assert not at.exception
    journey = next(j for j in seed("journeys") if j["life_event"] == "fa-barn")
    steps = journey["steps"]
    metrics = {m.label: m.value for m in at.metric}
    # seed_data/journeys.yaml, Få barn: 4 steps; the care provider's report and both of the
    # familjerätt's steps are taken by the actor, so the person takes one step (confirm
    # parenthood at Skatteverket, with agency terms, feedback immediate).
    assert metrics[SV["metric.steps"]] == str(len(steps)) == "4"
    assert metrics[SV["col.person_steps"]] == "1"
    assert metrics[SV["burden.who-does-what"]] == "1"
    assert metrics[SV["burden.own-project-manager"]] == "1"
    assert metrics[SV["burden.myndighetska"]] == "1"
    assert metrics[SV["burden.courier"]] == "0"
    assert metrics[SV["burden.late-feedback"]] == "0"
    assert metrics[SV["life.index"]] == "3"  # 1 + 1 + 1 + 2·0 + 1.5·0
    table = table_with(at, SV["col.step_order"])
    assert list(table[SV["col.step_order"]]) == list(range(1, len(steps) + 1))
    assert list(table[SV["col.taken_by"]]) == [
        SV[f"taken_by.{s.get('taken_by') or 'person'}"] for s in steps]
    insights = table_with(at, SV["col.generals"])
    arising = {i["id"] for i in seed("insights") if "fa-barn" in (i.get("life_events") or [])}
    assert set(insights[SV["col.insight"]]) == arising


def test_principle_gaps_match_the_seed(seed_env: Path) -> None:
    at = open_page("views/principles.py")
    addressed = {i for p in seed("principles") for i in p.get("addresses") or []}
    gaps = {i["id"] for i in seed("insights")
            if i["id"] not in addressed and i.get("status") != "superseded"}
    table = table_with(at, SV["col.reported_by"])
    assert set(table[SV["col.insight"]]) == gaps


def ids(cell: str) -> list[str]:
    return [x for x in str(cell).split("; ") if x]


def test_collaboration_shows_the_analytics_of_the_store(seed_env: Path) -> None:
    from graph.embedded import EmbeddedStore
    from queries import analytics

    at = open_page("views/collaboration.py")
    assert not at.error, [e.value for e in at.error]
    # computed here, afresh, from the same store file
    analytics.clear_cache()
    g = EmbeddedStore(seed_env).to_networkx()
    comm = analytics.communities(g)
    networks = [c for c in comm.communities if len(c.members) > 1]
    assert len(networks) >= 2  # the seed data has real groups to suggest
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[SV["collab.metric.modularity"]] == f"{comm.modularity:.3f}".replace(".", ",")
    assert metrics[SV["collab.metric.networks"]] == str(len(networks))
    assert metrics[SV["collab.metric.agencies"]] == str(comm.agencies)
    table = table_with(at, SV["col.internal_weight"])
    got = {frozenset(ids(c)) for c in table[SV["col.agency_ids"]]}
    assert got == {frozenset(c.members) for c in comm.communities}
    # one expander per network, its label naming the members; in it the shared problems
    # (with how many members hold each) and the agenda, in the analytics' order
    labels = [e.label for e in at.expander if e.label.startswith("**Nätverk")]
    assert len(labels) == len(networks)
    names = {a["id"]: a["name"] for a in seed("agencies")}
    problems = [df.value for df in at.dataframe
                if SV["col.holder_count"] in df.value.columns]
    agendas = [df.value for df in at.dataframe if SV["col.not_applied_by"] in df.value.columns]
    assert len(problems) == len(agendas) == len(networks)
    for c, label, shared, agenda in zip(networks, labels, problems, agendas, strict=True):
        assert f"**Nätverk {c.number}**" in label
        assert all(display.escape_md(names[m]) in label for m in c.members)
        assert list(shared[SV["col.insight"]]) == [p.insight for p in c.shared_problems]
        assert list(shared[SV["col.holder_count"]]) == [p.members for p in c.shared_problems]
        assert [len(ids(h)) for h in shared[SV["col.holders"]]] == list(
            shared[SV["col.holder_count"]])
        assert list(agenda[SV["col.principle_id"]]) == [a.principle for a in c.agenda]
    # the other three analyses, in their ranking
    sim = table_with(at, SV["col.shared_titles"])
    assert [ids(x) for x in sim[SV["col.agency_ids"]]] == [
        [p.a, p.b] for p in analytics.similarity(g).pairs]
    reach = table_with(at, SV["col.life_events"])
    assert list(reach[SV["col.insight"]]) == [r.insight for r in analytics.reach(g)]
    bridges = analytics.bridges(g)
    table = table_with(at, SV["col.betweenness"])
    assert list(table[SV["col.agency_id"]]) == [b.agency for b in bridges.agencies]
    assert not bridges.sampled
    assert SV["collab.bridges_exact"].format(nodes=bridges.nodes) in texts(at)


def test_collaboration_in_english(seed_env: Path) -> None:
    at = open_page("views/collaboration.py")
    at.radio(key="lang").set_value("en").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == EN["page.collaboration"]
    assert any(e.label.startswith("**Network 1**") for e in at.expander)
    table = table_with(at, EN["col.internal_weight"])
    assert "Swedish Tax Agency" in " ".join(table[EN["col.agency_names"]])
    keys = keys_on(at)
    assert {"dl_co_networks", "dl_report_html", "dl_report_md"} <= keys


def test_query_page_draws_the_provenance_chain(seed_env: Path) -> None:
    at = open_page("views/queries.py", query="provenance", insight="banken-kraver-dodsfallsintyg")
    assert not at.exception
    rows = query_table(at, "chain")
    insight = next(i for i in seed("insights") if i["id"] == "banken-kraver-dodsfallsintyg")
    names = {i["id"]: i.get("name") or i.get("title") for stem in ("agencies", "insights")
             for i in seed(stem)}
    reporters = {names[r["agency"]] for r in insight.get("reported_by") or []}
    # the node columns show names and the chains their words (in the page's language)
    from queries.texts import VALUES

    chain = {k: sv for k, (sv, _) in VALUES["chain"].items()}
    assert set(rows[rows["chain"] == chain["reported_by"]]["agency"]) == reporters
    assert set(rows[rows["chain"] == chain["general"]]["general"]) == {
        names[g] for g in insight["instance_of"]}
    assert network_frames(at), "the chain is drawn in the network view"


def test_query_page_runs_a_saved_query_from_the_url(seed_env: Path) -> None:
    at = open_page("views/queries.py", query="journey", life_event="fa-barn")
    assert at.selectbox(key="q_query").value == "journey"
    assert at.selectbox(key="qp_journey_life_event").value == "fa-barn"
    rows = query_table(at, "step")
    steps = next(j for j in seed("journeys") if j["life_event"] == "fa-barn")["steps"]
    assert list(rows["step"]) == [s["id"] for s in steps]
    assert network_frames(at), "a result with node columns is also shown as a graph"
    assert at.query_params["query"] == "journey"
    # a change is written back to the URL, so that a link reproduces it
    at.selectbox(key="q_query").set_value("search").run()
    at.text_input(key="qp_search_q").input("kurir").run()
    assert not at.exception
    assert at.query_params["query"] == "search" and at.query_params["q"] == "kurir"
    assert "kunden-far-agera-kurir" in set(query_table(at, "id")["id"])
    # the embedded store has no Cypher console, and says why
    assert any("Neo4j" in i.value for i in at.info)


def test_query_page_refuses_bad_url_parameters_clearly(seed_env: Path) -> None:
    at = open_page("views/queries.py", query="shared-problems", min_shared="0",
                   agency="finns-inte")
    assert not at.exception
    warnings = " ".join(w.value for w in at.warning).replace("\\", "")  # markdown escapes
    assert "min_shared" in warnings and "finns-inte" in warnings
    assert len(query_table(at, "agency_a")) > 0  # ran with the defaults instead


def test_english_switch(seed_env: Path) -> None:
    at = open_page("views/overlap.py")
    at.selectbox(key="ov_pair_a").set_value("skatteverket")
    at.selectbox(key="ov_pair_b").set_value("tillvaxtverket")
    at.radio(key="ov_metric").set_value("jaccard").run()
    at.radio(key="lang").set_value("en").run()
    assert not at.exception
    assert at.title[0].value == EN["page.overlap"]
    # the widgets are drawn afresh in English (their texts change) with the same values
    box = at.selectbox(key="ov_pair_a.en")
    assert box.value == "skatteverket" and "Swedish Tax Agency" in box.options
    assert at.selectbox(key="ov_pair_b.en").value == "tillvaxtverket"
    assert at.radio(key="ov_metric.en").value == "jaccard"
    assert at.selectbox(key="ov_life_event.en").options[0] == EN["any"]
    shared = table_with(at, EN["col.via_a"])  # data labels use title_en / name_en
    assert "Hard to know who does what" in set(shared[EN["col.title"]])
    at.radio(key="lang").set_value("sv").run()
    assert at.selectbox(key="ov_pair_a").value == "skatteverket"


def test_empty_store_offers_the_seed_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.dashboard.conftest import use_store

    use_store(monkeypatch, tmp_path / "empty" / "graph.json")
    at = app().run()
    assert not at.exception
    assert any(SV["empty_store"][:20] in i.value for i in at.info)
    at.button(key="load_seed").click().run()
    assert not at.exception
    assert {m.label for m in at.metric} >= {SV["metric.agencies"], SV["metric.insights"]}
    assert (tmp_path / "empty" / "graph.json").exists()


@pytest.mark.neo4j
def test_pages_and_cypher_console_on_neo4j(neo4j_store: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from loaders.load import load_dataset

    load_dataset(neo4j_store, SEED)
    monkeypatch.setenv("INSIKT_BACKEND", "neo4j")
    reset_settings()
    for page in PAGES:
        at = open_page(page)
        assert not at.error, (page, [e.value for e in at.error])
    side = " ".join(str(value(c)) for c in at.sidebar.get("caption"))
    assert "seed" in side
    password = __import__("os").environ.get("NEO4J_PASSWORD")
    assert not password or password not in side
    at = open_page("views/queries.py", query="journey", life_event="fa-barn")
    steps = next(j for j in seed("journeys") if j["life_event"] == "fa-barn")["steps"]
    assert list(query_table(at, "step")["step"]) == [s["id"] for s in steps]
    # the console: a write is refused with a clear message, a read shows its rows,
    # and a result over the row cap says that it was cut
    at.text_area(key="cy_text").input("MATCH (a:Agency) SET a.x = 1 RETURN a").run()
    at.button(key="cy_run").click().run()
    refused = " ".join(w.value for w in at.warning).replace("\\", "")
    assert SV["error.kind.cypher_not_read_only"].split(",")[0] in refused, refused
    assert any("writes" in c.value for c in at.code), "the server's reason is shown apart"
    at.text_area(key="cy_text").input("MATCH (a:Agency) RETURN a.id AS id ORDER BY id").run()
    at.button(key="cy_run").click().run()
    assert list(table_with(at, "id")["id"]) == sorted(a["id"] for a in seed("agencies"))
    at.text_area(key="cy_text").input("UNWIND range(1, 5000) AS x RETURN x").run()
    at.button(key="cy_run").click().run()
    assert len(table_with(at, "x")) == 1000
    assert any("1,000" in w.value for w in at.warning)
