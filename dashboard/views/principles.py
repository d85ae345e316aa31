"""Principer / Principles: what each principle addresses and who applies it, the insights no
principle addresses, and the agencies that apply none of the principles for their insights."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import ui
from dashboard.governance import governance_section
from dashboard.i18n import t
from graph.model import Label
from queries import views

ui.require_data()
nm = ui.names()  # display names in the current language
st.title(t("page.principles"))
st.caption(t("principles.intro"))

g = ui.graph()


names = ui.joined_names


coverage = ui.run_or_fail("principle-coverage", {"gaps_only": False})
st.subheader(t("principles.table"))
df = pd.DataFrame([{
    "principle": nm.get(Label.PRINCIPLE, r["principle"]),
    "insight_count": len(r["insights"]),
    "adopted_by": names(Label.AGENCY, r["adopted_by"]),
    "planned_by": names(Label.AGENCY, r["planned_by"]),
    "insight_titles": names(Label.INSIGHT, r["insights"]),
} for r in views.principle_overview(g, coverage)],
    columns=["principle", "insight_count", "adopted_by", "planned_by", "insight_titles"])
ui.table(ui.localize_columns(df), "pr_overview", "principer")

with st.expander(t("principles.coverage")):
    df = pd.DataFrame([{
        "principle": nm.get(Label.PRINCIPLE, r["principle"]),
        "title": nm.get(Label.INSIGHT, r["insight"]),
        "kind": ui.kind(r["insight_kind"]),
        "insight": r["insight"],
    } for r in coverage if r["principle"] is not None],
        columns=["principle", "title", "kind", "insight"])
    ui.table(ui.localize_columns(df), "pr_coverage", "principernas-tackning")

st.subheader(t("principles.gaps"))
gaps = ui.run_or_fail("principle-coverage", {"gaps_only": True})
if not gaps:
    st.success(t("principles.no_gaps"))
else:
    df = pd.DataFrame([{
        "title": nm.get(Label.INSIGHT, r["insight"]),
        "kind": ui.kind(r["insight_kind"]),
        "reported_by": names(Label.AGENCY, views.reporter_ids(g, r["insight"])),
        "insight": r["insight"],
    } for r in gaps], columns=["title", "kind", "reported_by", "insight"])
    ui.table(ui.localize_columns(df), "pr_gaps", "luckor-principer")

st.subheader(t("principles.action_gaps"))
agency = ui.select_node(Label.AGENCY, "pr_agency", optional=True,
                        title=t("principles.filter_agency"))
action = ui.run_or_fail("action-gap", {"agency": agency})
if not action:
    st.success(t("principles.no_action_gaps"))
else:
    df = pd.DataFrame([{
        "agency": nm.get(Label.AGENCY, r["agency"]),
        "title": nm.get(Label.INSIGHT, r["insight"]),
        "principles": names(Label.PRINCIPLE, r["principles"]),
        "insight": r["insight"],
    } for r in action], columns=["agency", "title", "principles", "insight"])
    ui.table(ui.localize_columns(df), "pr_action", "luckor-handling")

governance_section()
