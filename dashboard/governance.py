"""The governance pieces the pages share: the list of agencies that report problems but apply
no principle (Principles page), the trends of reported insights (Overview page) and the
insight card (Life events page and its own section). Kept out of the page scripts so that each
page calls one function; the answers come from saved queries and `queries.card`."""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd
import streamlit as st

from dashboard import ui
from dashboard.i18n import current_lang, t
from graph.model import Label


def agency_kind(kind: str | None) -> str:
    """An agency's kind (statlig, region, kommun, annan) in the current language."""
    return t(f"gov.agency_kind.{kind}") if kind in AGENCY_KINDS else str(kind or "")


AGENCY_KINDS = ("statlig", "region", "kommun", "annan")


def governance_section() -> None:
    """Agencies that report customer problems but apply no principle, with CSV."""
    st.subheader(t("gov.governance"))
    st.caption(t("gov.governance_help"))
    c_adopted, c_min = st.columns(2)
    adopted_only = c_adopted.checkbox(t("gov.adopted_only"), key="gov_adopted_only")
    ui.init_state("gov_min_insights", 1)
    min_insights = c_min.number_input(t("gov.min_insights"), min_value=1, step=1,
                                      key="gov_min_insights")
    rows = ui.run_or_fail("reporters-without-principles",
                          {"adopted_only": adopted_only, "min_insights": int(min_insights)})
    if not rows:
        st.success(t("gov.governance_none"))
        return
    nm = ui.names()
    df = pd.DataFrame([{
        "agency": nm.get(Label.AGENCY, r["agency"]), "kind": agency_kind(r["kind"]),
        "insight_count": r["insight_count"],
        "insight_titles": ui.joined_names(Label.INSIGHT, r["insights"]),
        "agency_id": r["agency"],
    } for r in rows], columns=["agency", "kind", "insight_count", "insight_titles", "agency_id"])
    ui.table(ui.localize_columns(df), "gov_reporters", "rapporterar-utan-princip")


def trends_section() -> None:
    """Insights reported per year, in total or per general insight: a chart and its table."""
    st.subheader(t("gov.trends"))
    st.caption(t("gov.trends_help"))
    key = ui.wkey("gov_trends_by")
    ui.init_state(key, "total")
    modes = {m: t(f"gov.trends_by.{m}") for m in ("total", "general")}
    mode = st.radio(t("gov.trends_by"), list(modes), format_func=modes.__getitem__, key=key,
                    horizontal=True)
    if mode == "total":
        rows = ui.run_or_fail("insights-per-year")
        df = pd.DataFrame([{c: r[c] for c in ("year", "reports", "insights", "agencies",
                                               "first_reported")} for r in rows],
                          columns=["year", "reports", "insights", "agencies", "first_reported"])
    else:
        nm = ui.names()
        rows = ui.run_or_fail("general-insight-trend")
        df = pd.DataFrame([{"year": r["year"], "general": nm.get(Label.INSIGHT, r["general"]),
                            "reports": r["reports"], "insights": r["insights"],
                            "agencies": r["agencies"], "general_id": r["general"]}
                           for r in rows],
                          columns=["year", "general", "reports", "insights", "agencies",
                                   "general_id"])
    if df.empty:
        st.info(t("gov.trends_none"))
        return
    # Years as ordinal text, so the axis shows 2019, not 2,019 (or 2 019 in Swedish).
    plot = df.assign(year=df["year"].astype(str))
    tooltip = [alt.Tooltip("year:O", title=t("col.year")),
               alt.Tooltip("reports:Q", title=t("col.reports")),
               alt.Tooltip("insights:Q", title=t("col.insights")),
               alt.Tooltip("agencies:Q", title=t("col.agencies"))]
    if mode == "total":
        chart = alt.Chart(plot).mark_bar(color="#1f77b4").encode(
            x=alt.X("year:O", title=t("col.year"), axis=alt.Axis(labelAngle=0)),
            y=alt.Y("reports:Q", title=t("col.reports"), axis=alt.Axis(tickMinStep=1)),
            tooltip=[*tooltip, alt.Tooltip("first_reported:Q", title=t("col.first_reported"))])
    else:
        chart = alt.Chart(plot).mark_line(point=True).encode(
            x=alt.X("year:O", title=t("col.year"), axis=alt.Axis(labelAngle=0)),
            y=alt.Y("reports:Q", title=t("col.reports"), axis=alt.Axis(tickMinStep=1)),
            color=alt.Color("general:N", title=t("col.general"),
                            legend=alt.Legend(orient="bottom", columns=1, labelLimit=420)),
            tooltip=[alt.Tooltip("general:N", title=t("col.general")), *tooltip])
    ui.altair_chart(chart.properties(height=320), key=f"gov_trends_chart_{mode}",
                    width="stretch")
    ui.table(ui.localize_columns(df), f"gov_trends_{mode}",
             "insikter-per-ar" if mode == "total" else "generella-insikter-per-ar")


def card_downloads(insight: str, key: str) -> None:
    """The insight's card as HTML and Markdown downloads (made when a button is pressed)."""
    from queries.card import build_card, render_card_html, render_card_markdown

    g, lang = ui.graph(), current_lang()
    with st.container(horizontal=True):
        st.download_button(t("gov.card_html"),
                           lambda: render_card_html(build_card(g, insight, lang)).encode("utf-8"),
                           file_name=f"insiktskort-{insight}.html", mime="text/html",
                           key=f"dl_card_html_{key}", on_click="ignore",
                           icon=":material/download:")
        st.download_button(t("gov.card_md"),
                           lambda: render_card_markdown(build_card(g, insight, lang)).encode(
                               "utf-8"),
                           file_name=f"insiktskort-{insight}.md", mime="text/markdown",
                           key=f"dl_card_md_{key}", on_click="ignore",
                           icon=":material/download:")


def card_picker(insight_ids: Sequence[str], key: str) -> None:
    """A pick among some insights (e.g. a life event's) with the chosen one's card downloads
    and a link to its card page."""
    if not insight_ids:
        return
    st.markdown(f"#### {t('gov.card')}")
    st.caption(t("gov.card_help"))
    nm = ui.names()
    ordered = sorted(insight_ids, key=lambda i: (nm.get(Label.INSIGHT, i).casefold(), i))
    insight = ui.select_node(Label.INSIGHT, key, ids=ordered, default=ordered[0],
                             title=t("gov.card_pick"))
    if insight is None:
        return
    card_downloads(insight, key)
    st.page_link(CARD_PAGE, label=t("gov.card_open"), icon=":material/badge:",
                 query_params={CARD_URL_KEY: insight})


CARD_PAGE = "views/card.py"
CARD_URL_KEY = "insight"
"""The card page's file (relative to dashboard/app.py) and its URL parameter."""


def card_page() -> None:
    """The card page: pick an insight (or arrive with ?insight=ID), see its card as it
    prints, download it as HTML or Markdown."""
    from queries.card import build_card, render_card_html

    st.title(t("gov.card"))
    st.caption(t("gov.card_help"))
    nm = ui.names()
    wanted = st.query_params.get(CARD_URL_KEY)
    options = nm.options(Label.INSIGHT)
    key = ui.wkey("card_insight")
    if wanted in options and st.session_state.get("_card_url") != wanted:
        st.session_state[key] = wanted  # a link (or a first visit) picks the insight
    st.session_state["_card_url"] = wanted
    insight = ui.select_node(Label.INSIGHT, "card_insight", title=t("gov.card_pick"),
                             default=wanted if wanted in options else None)
    if insight is None:
        return
    if st.query_params.get(CARD_URL_KEY) != insight:
        st.query_params[CARD_URL_KEY] = insight
        st.session_state["_card_url"] = insight
    card_downloads(insight, "page")
    ui.html_view(render_card_html(build_card(ui.graph(), insight, current_lang())), 900)
