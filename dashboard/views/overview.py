"""Översikt / Overview: headline figures, the most shared problems, the heaviest journeys and
the five general insights."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from dashboard import ui
from dashboard.governance import trends_section
from dashboard.i18n import t
from graph.model import Label
from queries import views
from queries.analytics import BURDEN_COLORS, BURDEN_WEIGHTS

ui.require_data()
nm = ui.names()  # display names in the current language
st.title(t("page.overview"))
st.caption(t("overview.intro"))

g = ui.graph()
h = views.headline(g)
figures = [("metric.agencies", h.agencies), ("metric.insights", h.insights),
           ("metric.life_events", h.life_events), ("metric.principles", h.principles),
           ("metric.journeys", h.journeys)]
for col, (key, value) in zip(st.columns(len(figures)), figures, strict=True):
    col.metric(t(key), value)


def agency_names(ids: list[str]) -> str:
    return "; ".join(nm.get(Label.AGENCY, a) for a in ids)


st.subheader(t("overview.shared"))
st.caption(t("overview.shared_help"))
include_status = ui.include_status_switch("overview_include_status")
shared = views.most_shared_problems(g, include_status)[:10]
df = pd.DataFrame([{
    "title": nm.get(Label.INSIGHT, r["insight"]),
    "kind": ui.kind(views.attrs_of(g, Label.INSIGHT, r["insight"]).get("kind")),
    "agencies": r["agencies"], "agency_names": agency_names(r["agency_ids"]),
    "insight": r["insight"]} for r in shared],
    columns=["title", "kind", "agencies", "agency_names", "insight"])
ui.table(ui.localize_columns(df), "overview_shared", "delade-problem")

st.subheader(t("overview.heaviest"))
st.caption(t("overview.heaviest_help"))
burden = views.burden_rows(ui.burdens())
parts = list(BURDEN_WEIGHTS)
df = pd.DataFrame([{
    "life_event": nm.get(Label.LIFE_EVENT, r["life_event"]), "index": r["index"],
    "steps": r["steps"], "person_steps": r["person_steps"],
    **{p: r[f"{p}_points"] for p in parts}} for r in burden],
    columns=["life_event", "index", "steps", "person_steps", *parts])
if not df.empty:
    # The same decomposition as the report: points = weight × count per general insight,
    # stacked, so each bar ends at the index in the table below.
    long = pd.DataFrame([{
        "life_event": nm.get(Label.LIFE_EVENT, r["life_event"]), "part": t(f"burden.{p}"),
        "order": i, "points": r[f"{p}_points"], "count": r[p], "index": r["index"]}
        for r in burden for i, p in enumerate(parts)])
    chart = alt.Chart(long).mark_bar().encode(
        x=alt.X("points:Q", title=t("col.index"), axis=alt.Axis(tickMinStep=1)),
        y=alt.Y("life_event:N", sort=list(df["life_event"]), title=None,
                axis=alt.Axis(labelLimit=260)),
        color=alt.Color("part:N", title=None, sort=[t(f"burden.{p}") for p in parts],
                        scale=alt.Scale(range=list(BURDEN_COLORS))),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("life_event:N", title=t("col.life_event")),
                 alt.Tooltip("part:N", title=" "), alt.Tooltip("count:Q", title="#"),
                 alt.Tooltip("points:Q", title=t("burden.points")),
                 alt.Tooltip("index:Q", title=t("col.index"))],
    ).properties(height=30 * len(df) + 20)
    ui.altair_chart(chart, key="overview_burden_chart", width="stretch")
ui.table(ui.localize_columns(df), "overview_burden", "tyngsta-kundresor")

st.subheader(t("overview.general"))
st.caption(t("overview.general_help"))
general = views.general_insight_reach(g)
df = pd.DataFrame([{
    "title": nm.get(Label.INSIGHT, r["insight"]), "agencies": r["agencies"],
    "instances": r["instances"], "agency_names": agency_names(r["agency_ids"]),
    "insight": r["insight"]} for r in general],
    columns=["title", "agencies", "instances", "agency_names", "insight"])
if not df.empty:
    chart = alt.Chart(df).mark_bar(color="#d62728").encode(
        x=alt.X("agencies:Q", title=t("col.agencies"), axis=alt.Axis(tickMinStep=1)),
        y=alt.Y("title:N", sort="-x", title=None, axis=alt.Axis(labelLimit=360)),
        tooltip=[alt.Tooltip("title:N", title=t("col.title")),
                 alt.Tooltip("agencies:Q", title=t("col.agencies")),
                 alt.Tooltip("instances:Q", title=t("col.instances"))],
    ).properties(height=34 * len(df) + 20)
    ui.altair_chart(chart, key="overview_general_chart", width="stretch")
ui.table(ui.localize_columns(df), "overview_general", "generella-insikter")

trends_section()

ui.report_section()
