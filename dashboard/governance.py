"""The governance pieces the pages share: the list of agencies that report problems but apply
no principle (Principles page), the trends of reported insights (Overview page) and the
insight card (Life events page and its own section). Kept out of the page scripts so that each
page calls one function; the answers come from saved queries and `queries.card`."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from dashboard import ui
from dashboard.i18n import t
from graph.model import Label


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
        "agency": nm.get(Label.AGENCY, r["agency"]), "kind": r["kind"] or "",
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
    st.altair_chart(chart.properties(height=320), key=f"gov_trends_chart_{mode}",
                    width="stretch")
    ui.table(ui.localize_columns(df), f"gov_trends_{mode}",
             "insikter-per-ar" if mode == "total" else "generella-insikter-per-ar")
