"""Kurering / Curation: the proposed insights with their provenance and suggested matches, the
proposed pairs across datasets, and forms to decide (accept, merge, reject; same, related,
different) with who and why. Decisions go through `loaders.curation`, as `insikt review`
and `insikt match --apply` do, and are listed at the end."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from dashboard import ui
from dashboard.i18n import t
from graph.embedded import os_user
from graph.errors import InsiktError
from graph.model import Label
from loaders.curation import (
    PAIR_KINDS,
    REVIEW_KINDS,
    new_decision,
    proposed_rows,
    rebuild_curation,
    review_action,
    stored_decisions,
)
from queries.match import DEFAULT_MIN_SCORE, MatchOptions, propose

ui.require_data()
nm = ui.names()
st.title(t("page.curation"))
st.caption(t("curation.intro"))


@st.cache_data(max_entries=8, show_spinner=False)
def _proposals(version: str, min_score: float) -> list[dict[str, Any]]:
    return [p.as_row() for p in propose(ui.graph(), MatchOptions(min_score=min_score))]


def _decided(message: str) -> None:
    ui.clear_caches()
    st.session_state["cu_done"] = message
    st.rerun()


if "cu_done" in st.session_state:
    st.success(st.session_state.pop("cu_done"))

g = ui.graph()
# Texts are fixed now: a format_func must not read the language when it is called (ui.wkey).
action_names = {a: t(f"curation.action.{a}") for a in REVIEW_KINDS}
kind_names = {k: t(f"curation.kind.{k}") for k in (*PAIR_KINDS, *REVIEW_KINDS)}
min_score = st.slider(t("curation.min_score"), 0.0, 1.0, DEFAULT_MIN_SCORE, 0.01,
                      key="cu_min_score", help=t("curation.min_score_help"))
try:
    pairs = _proposals(ui.graph_version(), float(min_score))
except InsiktError as exc:
    ui.fail(exc)

# -- proposed insights ---------------------------------------------------------------------------
st.subheader(t("curation.proposed"))
proposed = proposed_rows(g, pairs)
if not proposed:
    st.info(t("curation.no_proposed"))
else:
    df = pd.DataFrame([{
        "title": nm.get(Label.INSIGHT, r["insight"]),
        "datasets": "; ".join(r["datasets"]),
        "sources": ui.joined_names(Label.SOURCE, r["sources"]),
        "reported_by": ui.joined_names(Label.AGENCY, r["reported_by"]),
        "suggested": ui.joined_names(Label.INSIGHT, r["suggested"]),
        "insight": r["insight"],
    } for r in proposed], columns=["title", "datasets", "sources", "reported_by", "suggested",
                                   "insight"])
    ui.table(ui.localize_columns(df), "cu_proposed", "foreslagna-insikter")

    with st.form("cu_review_form"):
        st.markdown(f"**{t('curation.decide_insight')}**")
        ids = [r["insight"] for r in proposed]
        insight = st.selectbox(t("col.insight"), ids, key=ui.wkey("cu_insight"),
                               format_func=lambda i: nm.get(Label.INSIGHT, i))
        action = st.radio(t("curation.action"), REVIEW_KINDS, key=ui.wkey("cu_action"),
                          horizontal=True, format_func=lambda a: action_names[a])
        targets = sorted(nm.options(Label.INSIGHT))
        into = st.selectbox(t("curation.into"), targets, key=ui.wkey("cu_into"),
                            format_func=lambda i: nm.get(Label.INSIGHT, i),
                            help=t("curation.into_help"))
        by = st.text_input(t("curation.by"), value=os_user(), key="cu_by")
        why = st.text_area(t("curation.why"), key="cu_why", max_chars=2000)
        if st.form_submit_button(t("curation.record"), type="primary"):
            try:
                review_action(ui.get_store(), str(action), str(insight),
                              into=str(into) if action == "merge" else None, by=by, why=why)
            except InsiktError as exc:
                ui.fail(exc)
            _decided(t("curation.recorded"))

# -- proposed pairs ------------------------------------------------------------------------------
st.subheader(t("curation.pairs"))
st.caption(t("curation.pairs_help"))
if not pairs:
    st.info(t("curation.no_pairs"))
else:
    df = pd.DataFrame([{
        "a_title": nm.get(Label.INSIGHT, r["a"]), "b_title": nm.get(Label.INSIGHT, r["b"]),
        "score": r["score"], "reason": r["reason"], "a": r["a"], "b": r["b"],
    } for r in pairs], columns=["a_title", "b_title", "score", "reason", "a", "b"])
    ui.table(ui.localize_columns(df), "cu_pairs", "foreslagna-par", json_rows=pairs)

    with st.form("cu_pair_form"):
        st.markdown(f"**{t('curation.decide_pair')}**")
        keys = [f"{r['a']}|{r['b']}" for r in pairs]
        pair = st.selectbox(t("curation.pair"), keys, key=ui.wkey("cu_pair"),
                            format_func=lambda k: " ↔ ".join(nm.get(Label.INSIGHT, i)
                                                            for i in k.split("|")))
        kind = st.radio(t("curation.decision"), PAIR_KINDS, key=ui.wkey("cu_kind"),
                        horizontal=True, format_func=lambda k: kind_names[k])
        by = st.text_input(t("curation.by"), value=os_user(), key="cu_pair_by")
        why = st.text_area(t("curation.why"), key="cu_pair_why", max_chars=2000)
        if st.form_submit_button(t("curation.record"), type="primary"):
            a, _, b = str(pair).partition("|")
            try:
                rebuild_curation(ui.get_store(), [new_decision(str(kind), a, b, by=by, why=why)])
            except InsiktError as exc:
                ui.fail(exc)
            _decided(t("curation.recorded"))

# -- decisions -----------------------------------------------------------------------------------
st.subheader(t("curation.decisions"))
decisions = stored_decisions(g)
if not decisions:
    st.info(t("curation.no_decisions"))
else:
    df = pd.DataFrame([{
        "decision": kind_names.get(d.kind, d.kind), "a_title": nm.get(Label.INSIGHT, d.a),
        "b_title": nm.get(Label.INSIGHT, d.b) if d.b else "", "decided_by": d.by,
        "decided_at": d.at, "why": d.why, "a": d.a, "b": d.b,
    } for d in reversed(decisions)], columns=["decision", "a_title", "b_title", "decided_by",
                                              "decided_at", "why", "a", "b"])
    ui.table(ui.localize_columns(df), "cu_decisions", "beslut")
