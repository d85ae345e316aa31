"""The overlap ranking beside the heatmap, the governance list on the Principles page and the
trends on the Overview page, run with AppTest on the seed data. Expected answers are worked
out here from the seed YAML files, not from the saved queries."""

from __future__ import annotations

import html
import json
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from dashboard.display import escape_md
from dashboard.i18n import EN, SV
from graph.neo4j_store import Neo4jStore
from tests.dashboard.conftest import seed
from tests.dashboard.test_dashboard_pages import open_page, table_with


def insight_sets() -> dict[str, set[str]]:
    sets: dict[str, set[str]] = defaultdict(set)
    for ins in seed("insights"):
        for rep in ins.get("reported_by") or []:
            sets[rep["agency"]].add(ins["id"])
            sets[rep["agency"]].update(ins.get("instance_of") or [])
    return sets


def test_overlap_ranks_who_shares_most_with_the_chosen_agency(seed_env: Path) -> None:
    at = open_page("views/overlap.py")
    assert SV["gov.rank_pick"] in [c.value for c in at.caption]
    at.selectbox(key="ov_agency").set_value("forsakringskassan")
    at.run()
    assert not at.exception
    ranked = table_with(at, SV["col.specific_shared"])
    sets = insight_sets()
    kinds = {i["id"]: i["kind"] for i in seed("insights")}
    mine = sets["forsakringskassan"]
    expected = sorted(
        ((-sum(kinds[x] == "specific" for x in mine & theirs), -len(mine & theirs),
          -len(mine & theirs) / len(mine | theirs), a)
         for a, theirs in sets.items() if a != "forsakringskassan" and mine & theirs))
    assert list(ranked[SV["col.peer_id"]]) == [a for *_, a in expected]
    assert list(ranked[SV["col.rank"]]) == list(range(1, len(expected) + 1))
    assert "dl_ov_rank" in {b.key for b in at.get("download_button")}
    # the chosen agency is outlined in the heatmap: a layer with only its cells
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    outlined = [layer for layer in spec["layer"] if layer["mark"].get("stroke") == "#e8590c"]
    assert len(outlined) == 1
    # the pair below starts with the agency and the one that shares most with it
    assert at.selectbox(key="ov_pair_a").value == "forsakringskassan"
    assert at.selectbox(key="ov_pair_b").value == expected[0][-1]


def test_principles_page_lists_reporters_without_principles(seed_env: Path) -> None:
    at = open_page("views/principles.py")
    applies = {a["agency"] for p in seed("principles") for a in p.get("applied_by") or []}
    reported: Counter[str] = Counter()
    for ins in seed("insights"):
        if ins.get("status") != "superseded":
            for rep in {r["agency"] for r in ins.get("reported_by") or []}:
                reported[rep] += 1
    expected = {a for a in reported if a not in applies}
    assert expected  # the seed has such agencies
    listed = table_with(at, SV["col.agency_id"])
    assert set(listed[SV["col.agency_id"]]) == expected
    assert {a: reported[a] for a in expected} == dict(zip(
        listed[SV["col.agency_id"]], listed[SV["col.insight_count"]], strict=True))
    at.checkbox(key="gov_adopted_only").check().run()
    planned_only = {a["agency"] for p in seed("principles") for a in p.get("applied_by") or []
                    if a.get("status") == "planned"} - {
        a["agency"] for p in seed("principles") for a in p.get("applied_by") or []
        if a.get("status", "adopted") == "adopted"}
    listed = table_with(at, SV["col.agency_id"])
    assert set(listed[SV["col.agency_id"]]) == expected | (planned_only & set(reported))


def test_overview_trends_per_year_and_per_general(seed_env: Path) -> None:
    at = open_page("views/overview.py")
    years: Counter[int] = Counter(r["year"] for ins in seed("insights")
                                  for r in ins.get("reported_by") or [] if r.get("year"))
    table = table_with(at, SV["col.first_reported"])
    assert dict(zip(table[SV["col.year"]], table[SV["col.reports"]], strict=True)) == dict(years)
    assert at.get("vega_lite_chart")  # the chart is drawn
    at.radio(key="gov_trends_by").set_value("general").run()
    assert not at.exception
    per_general = table_with(at, SV["col.general_id"])
    generals = {i["id"] for i in seed("insights") if i["kind"] == "general"}
    assert set(per_general[SV["col.general_id"]]) <= generals
    total = per_general.groupby(SV["col.year"])[SV["col.reports"]].sum()
    # each report counts once per general insight it concerns (its own, or its instance's)
    by_general: Counter[int] = Counter()
    instance_of = {i["id"]: i.get("instance_of") or [] for i in seed("insights")}
    for ins in seed("insights"):
        for r in ins.get("reported_by") or []:
            if r.get("year"):
                by_general[r["year"]] += (len(instance_of[ins["id"]])
                                          + (ins["kind"] == "general"))
    assert dict(total[total > 0]) == {y: n for y, n in by_general.items() if n}


def test_govern_strings_in_english(seed_env: Path) -> None:
    at = open_page("views/principles.py")
    at.sidebar.radio(key="lang").set_value("en").run()
    assert not at.exception
    assert EN["gov.governance"] in [s.value for s in at.subheader]


def test_card_page_from_a_link_and_the_life_event_picker(seed_env: Path) -> None:
    insight = next(i for i in seed("insights") if i.get("statement") and i.get("reported_by"))
    at = open_page("views/card.py", insight=insight["id"])
    assert at.selectbox(key="card_insight").value == insight["id"]
    page = at.get("iframe")[0].proto.srcdoc
    assert f"<h1>{html.escape(insight['title'])}</h1>" in page
    assert html.escape(" ".join(insight["statement"].split())) in " ".join(page.split())
    keys = {b.key for b in at.get("download_button")}
    assert {"dl_card_html_page", "dl_card_md_page"} <= keys
    other = next(i for i in seed("insights") if i["id"] != insight["id"])
    at.selectbox(key="card_insight").set_value(other["id"]).run()
    assert at.query_params["insight"] == other["id"]  # the URL follows the pick
    at = open_page("views/life_events.py")
    assert "le_card" in {s.key for s in at.selectbox}
    assert {"dl_card_html_le_card", "dl_card_md_le_card"} <= {
        b.key for b in at.get("download_button")}


def test_console_on_the_embedded_store_offers_to_start_neo4j(seed_env: Path) -> None:
    at = open_page("views/queries.py")
    assert "cy_start_neo4j" in {b.key for b in at.button}
    assert any("insikt neo4j start --load" in c.value for c in at.code)


@pytest.mark.neo4j
def test_console_button_starts_loads_and_switches(seed_env: Path, neo4j_store: Neo4jStore,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import loaders.local_neo4j as local

    calls: list[str] = []

    def launcher(command: str, script: object = None) -> local.LauncherRun:
        calls.append(command)  # the test's server runs already (NEO4J_URI)
        return local.LauncherRun(command, 0, "already running", "")

    monkeypatch.setattr(local, "run_launcher", launcher)
    at = open_page("views/queries.py")
    at.button(key="cy_start_neo4j").click().run()
    assert not at.exception and calls == ["start"]
    assert neo4j_store.stats().node_total > 0  # the seed is in Neo4j now
    assert [s.value for s in at.success] == [SV["gov.console_started"].format(
        uri=escape_md(local.local_uri()), n=1)]
    at.text_area(key="cy_text").input("MATCH (a:Agency) RETURN a.id AS id ORDER BY id").run()
    at.button(key="cy_run").click().run()
    assert list(table_with(at, "id")["id"]) == sorted(a["id"] for a in seed("agencies"))
    # a syntax error points into the analyst's own text, with a caret
    at.text_area(key="cy_text").input("// agencies\nMATCH (a:Agency)\n  RETRUN a").run()
    at.button(key="cy_run").click().run()
    assert any(SV["gov.syntax_at"].format(line=3, column=3) in w.value for w in at.warning)
    assert "  RETRUN a\n  ^" in [c.value for c in at.code]
    at.button(key="cy_back").click().run()
    assert "cy_start_neo4j" in {b.key for b in at.button}
