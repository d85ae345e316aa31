"""Livshändelser / Life events: a life event's journey across actors, its burden figures and
the insights that arise in it."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from dashboard import display, ui
from dashboard.display import escape_md
from dashboard.governance import card_picker
from dashboard.i18n import current_lang, t
from graph import walk
from graph.model import Label
from queries import views

ui.require_data()
nm = ui.names()  # display names in the current language
st.title(t("page.life_events"))
st.caption(t("life.intro"))

g = ui.graph()
lang = current_lang()
with_journey = views.life_events_with_journeys(g)
burden = ui.burden_index()
default = max(with_journey, key=lambda le: (burden.get(le, 0.0), le)) if with_journey else None
life_event = ui.select_node(Label.LIFE_EVENT, "le_pick", default=default, title=t("life.pick"))
if life_event is None:
    st.stop()

attrs = views.attrs_of(g, Label.LIFE_EVENT, life_event)
st.subheader(escape_md(nm.get(Label.LIFE_EVENT, life_event)))
description = walk.localized(attrs, "description", lang)
if description:
    st.caption(escape_md(description))

rows = ui.run_or_fail("journey", {"life_event": life_event})
if not rows:
    st.info(t("life.no_journey"))
else:
    st.markdown(f"#### {t('life.burden')}")
    jb = next((b for b in ui.burdens() if b.life_event == life_event), None)
    cols = st.columns(7)
    cols[0].metric(t("metric.steps"), len(rows))
    cols[1].metric(t("col.person_steps"), jb.person_steps if jb else 0)
    for col, c in zip(cols[2:], jb.components if jb else (), strict=False):
        # The same terms as the Overview chart and the report; the points add up to the index.
        col.metric(t(f"burden.{c.name}"), c.count,
                   help=f"{display.number(c.points, lang)} {t('burden.points')} = "
                        f"{display.number(c.weight, lang)} × {c.count}" +
                   ("" if c.measured else f"; {t('burden.not_measured')}"))
    if jb:
        st.metric(t("life.index"), display.number(jb.index, lang),
                  help=t("life.index_help").format(formula=ui.burden_formula()))

    st.markdown(f"#### {t('life.lanes')}")
    lanes = display.journey_lanes(rows, ui.names(), lang)
    lanes["feedback_text"] = [t(f"feedback.{v}") for v in lanes["feedback"]]
    actor_order = list(dict.fromkeys(lanes["actor"]))
    feedback_values = ["immediate", "delayed", "none"]
    x = alt.X("step:O", title=t("col.step_order"), axis=alt.Axis(labelAngle=0))
    y = alt.Y("actor:N", sort=actor_order, title=None, axis=alt.Axis(labelLimit=220))
    base = alt.Chart(lanes)
    path = base.mark_line(color="#b9bec5", strokeWidth=2).encode(x=x, y=y, order="step:Q")
    points = base.mark_circle(size=260, opacity=1).encode(
        x=x, y=y,
        color=alt.Color("feedback_text:N", title=t("col.feedback"),
                        scale=alt.Scale(domain=[t(f"feedback.{v}") for v in feedback_values],
                                        range=["#2ca02c", "#d62728", "#8c8c8c"])),
        tooltip=[alt.Tooltip("step:O", title=t("col.step_order")),
                 alt.Tooltip("actor:N", title=t("col.actor")),
                 alt.Tooltip("action:N", title=t("col.action")),
                 alt.Tooltip("documents:Q", title=t("col.documents")),
                 alt.Tooltip("feedback_text:N", title=t("col.feedback"))])
    docs = base.transform_filter(alt.datum.documents > 0).mark_text(
        text="✉", dy=-16, fontSize=14, color="#262730").encode(x=x, y=y)
    height = 46 * len(actor_order) + 40
    ui.altair_chart(alt.layer(path, points, docs).properties(height=height),
                    key="le_lanes", width="stretch")

    st.markdown(f"#### {t('life.steps')}")
    df = pd.DataFrame([{
        "step_order": r["step_order"],
        "actor": nm.get(Label.AGENCY, r["agency"]),
        "action": (r.get("action_en") if lang == "en" and r.get("action_en")
                   else r.get("action")) or "",
        "taken_by": t(f"taken_by.{r.get('taken_by') or 'person'}"),
        "handoff": t("yes") if r.get("handoff") else t("no"),
        "carries": "; ".join(r.get("carries") or []),
        "agency_terms": "; ".join(r.get("agency_terms") or []),
        "feedback": t(f"feedback.{r.get('feedback') or 'immediate'}"),
    } for r in rows], columns=["step_order", "actor", "action", "taken_by", "handoff", "carries",
                               "agency_terms", "feedback"])
    ui.table(ui.localize_columns(df), "le_steps", f"kundresa-{life_event}")

st.markdown(f"#### {t('life.insights')}")
insights = views.life_event_insights(g, life_event)
if not insights:
    st.info(t("life.no_insights"))
else:
    df = pd.DataFrame([{
        "title": nm.get(Label.INSIGHT, r["insight"]),
        "kind": ui.kind(r["kind"]),
        "generals": "; ".join(nm.get(Label.INSIGHT, x) for x in r["generals"]),
        "reported_by": "; ".join(nm.get(Label.AGENCY, x) for x in r["reported_by"]),
        "principles": "; ".join(nm.get(Label.PRINCIPLE, x) for x in r["principles"]),
        "status": ui.status(r["status"]),
        "insight": r["insight"],
    } for r in insights], columns=["title", "kind", "generals", "reported_by", "principles",
                                    "status", "insight"])
    ui.table(ui.localize_columns(df), "le_insights", f"insikter-{life_event}")
    card_picker([r["insight"] for r in insights], "le_card")
