"""Överlapp / Overlap: the agency × agency heatmap of shared insights, and the drill-down into
one pair's shared insights with their evidence."""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from dashboard import ui
from dashboard.display import escape_md
from dashboard.i18n import t
from graph.model import Label
from queries import views

HEATMAP_LIMIT = 30  # agencies in the heatmap (overlap-matrix `top`)

ui.require_data()
nm = ui.names()  # display names in the current language
st.title(t("page.overlap"))
st.caption(t("overlap.intro"))

c_metric, c_le, c_domain, c_agency = st.columns([1.4, 1, 1, 1])
metric_key = ui.wkey("ov_metric")
ui.init_state(metric_key, "count")
metric_texts = {m: t(f"overlap.metric.{m}") for m in ("count", "jaccard")}
metric = c_metric.radio(t("overlap.metric"), list(metric_texts), key=metric_key,
                        format_func=metric_texts.__getitem__, horizontal=True)
life_event = ui.select_node(Label.LIFE_EVENT, "ov_life_event", optional=True, container=c_le)
domain = ui.select_node(Label.DOMAIN, "ov_domain", optional=True, container=c_domain)
agency = ui.select_node(Label.AGENCY, "ov_agency", optional=True, container=c_agency,
                        help=t("overlap.filter_agency_help"))

include_status = ui.include_status_switch("ov_include_status")
filters = {"life_event": life_event, "domain": domain, "include_status": include_status}
if agency is None:  # the agencies that hold most problems (overlap-matrix `top`)
    rows = ui.run_or_fail("overlap-matrix", {**filters, "top": HEATMAP_LIMIT})
else:  # the agency and those it shares most with (the strongest pairs first)
    peers = ui.run_or_fail("shared-problems", {**filters, "agency": agency,
                                               "limit": HEATMAP_LIMIT - 1})
    chosen = [agency, *(r["agency_b"] if r["agency_a"] == agency else r["agency_a"]
                        for r in peers)]
    rows = ui.run_or_fail("overlap-matrix", {**filters, "agencies": ",".join(chosen)})
hm = views.heatmap(rows, metric, ui.names(), agency, limit=HEATMAP_LIMIT)
if hm.frame.empty:
    st.info(t("overlap.no_pairs"))
    st.stop()
holding = int(rows[0]["agencies_total"]) if rows else 0
if holding > len(hm.order):
    st.caption(t("overlap.limited").format(shown=len(hm.order), total=holding))

value_title = t(f"overlap.metric.{metric}")
order = hm.order
ranked: list[dict[str, Any]] = []  # "who shares most with" the chosen agency, best first
if agency is not None:  # the chosen agency first (top row, left column) and outlined
    chosen_name = nm.get(Label.AGENCY, agency)
    order = ([chosen_name, *(n for n in hm.order if n != chosen_name)]
             if chosen_name in hm.order else order)
    hm.frame["focus"] = (hm.frame["a"] == agency) | (hm.frame["b"] == agency)
else:
    hm.frame["focus"] = False
pick = alt.selection_point(name="pair", fields=["a", "b"], on="click", clear=False)
# The height holds the rotated agency names on top too (Streamlit fits the whole chart).
size = max(300, min(1000, 24 * len(order) + 200))
base = alt.Chart(hm.frame).encode(
    x=alt.X("b_name:N", sort=order, title=None,
            axis=alt.Axis(labelAngle=-45, labelLimit=170, orient="top", labelOverlap=False)),
    y=alt.Y("a_name:N", sort=order, title=None,
            axis=alt.Axis(labelLimit=220, labelOverlap=False)),
)
rects = base.mark_rect(stroke="#ffffff", strokeWidth=0.5).encode(
    color=alt.Color("value:Q", title=value_title, scale=alt.Scale(scheme="blues")),
    opacity=alt.condition(pick, alt.value(1.0), alt.value(0.55)),
    tooltip=[alt.Tooltip("a_name:N", title=t("col.agency_a")),
             alt.Tooltip("b_name:N", title=t("col.agency_b")),
             alt.Tooltip("shared:Q", title=t("col.shared")),
             alt.Tooltip("jaccard:Q", title=t("col.jaccard"), format=".2f")],
).add_params(pick)
layers: list[alt.Chart] = [rects]
if len(order) <= 24:
    layers.append(base.mark_text(fontSize=10).encode(
        text=alt.Text("shared:Q") if metric == "count" else alt.Text("jaccard:Q", format=".2f"),
        color=alt.condition(alt.datum.value > hm.frame["value"].max() * 0.6,
                            alt.value("white"), alt.value("#262730"))))
if agency is not None:  # the chosen agency's row and column, outlined in orange
    layers.append(alt.Chart(hm.frame[hm.frame["focus"]]).mark_rect(
        fill=None, stroke="#e8590c", strokeWidth=2).encode(
        x=alt.X("b_name:N", sort=order), y=alt.Y("a_name:N", sort=order)))
chart = alt.layer(*layers).properties(height=size, title=t("overlap.chart_title"))
if agency is None:
    event = ui.altair_chart(chart, key="ov_heatmap", on_select="rerun", selection_mode="pair",
                            width="stretch")
    st.caption(t("gov.rank_pick"))
else:
    c_map, c_rank = st.columns([3, 2])
    with c_map:
        event = ui.altair_chart(chart, key="ov_heatmap", on_select="rerun",
                                selection_mode="pair", width="stretch")
    with c_rank:
        chosen_md = escape_md(nm.get(Label.AGENCY, agency))
        st.subheader(t("gov.rank_title").format(agency=chosen_md))
        st.caption(t("gov.rank_help").format(agency=chosen_md))
        ranked = ui.run_or_fail("shares-most-with", {**filters, "agency": agency})
        if not ranked:
            st.info(t("gov.rank_none").format(agency=chosen_md))
        else:
            df = pd.DataFrame([{
                "rank": n, "peer": nm.get(Label.AGENCY, r["peer"]),
                "specific_shared": r["specific_shared"], "shared_all": r["shared"],
                "jaccard": round(float(r["jaccard"]), 3),
                "specific_titles": ui.joined_names(Label.INSIGHT, r["specific_insights"]),
                "peer_id": r["peer"],
            } for n, r in enumerate(ranked, 1)],
                columns=["rank", "peer", "specific_shared", "shared_all", "jaccard",
                         "specific_titles", "peer_id"])
            ui.table(ui.localize_columns(df), "ov_rank", f"delar-mest-med-{agency}")

# -- the pair: two selectboxes, which a click on a cell also sets -----------------------------
members = set(hm.frame["a"]) if agency is not None else set(views.heatmap_agencies(rows))
agency_ids = sorted(members, key=lambda a: (nm.get(Label.AGENCY, a).casefold(), a))
top = hm.frame.sort_values(["value", "shared", "a", "b"], ascending=[False, False, True, True])
default_a = agency if agency in agency_ids else str(top.iloc[0]["a"])
default_b = str(top[top["a"] == default_a].iloc[0]["b"])
if ranked and ranked[0]["peer"] in agency_ids and default_a == agency:
    default_b = str(ranked[0]["peer"])  # the pair starts with the one who shares most
key_a, key_b = ui.wkey("ov_pair_a"), ui.wkey("ov_pair_b")
if agency is not None and agency != st.session_state.get("ov_last_agency"):
    # a newly chosen agency filter also becomes side A of the pair
    st.session_state[key_a], st.session_state[key_b] = default_a, default_b
st.session_state["ov_last_agency"] = agency
clicked = (event.selection.get("pair") if event is not None else None) or []
if clicked:
    click = (str(clicked[0].get("a")), str(clicked[0].get("b")))
    if click != st.session_state.get("ov_last_click") and set(click) <= set(agency_ids):
        st.session_state["ov_last_click"] = click
        st.session_state[key_a], st.session_state[key_b] = click

st.subheader(t("overlap.pair"))
c_a, c_b = st.columns(2)
a = ui.select_node(Label.AGENCY, "ov_pair_a", ids=agency_ids, default=default_a,
                   title=t("overlap.agency_a"), container=c_a)
b = ui.select_node(Label.AGENCY, "ov_pair_b", ids=agency_ids, default=default_b,
                   title=t("overlap.agency_b"), container=c_b)

if a is None or b is None or a == b:
    st.info(t("overlap.same_agency"))
else:
    shared_rows = ui.run_or_fail("shared-problems", {**filters, "agency": a, "limit": 1000})
    shared = views.pair_shared(shared_rows, a, b)
    name_a, name_b = escape_md(nm.get(Label.AGENCY, a)), escape_md(nm.get(Label.AGENCY, b))
    if not shared:
        st.info(t("overlap.pair_none").format(a=name_a, b=name_b))
    else:
        st.markdown(t("overlap.pair_shared").format(a=name_a, b=name_b, n=len(shared)))
        g = ui.graph()
        drill = []
        for x in shared:
            ev = views.evidence_summary(ui.run_or_fail("evidence", {"insight": x}))
            chain = views.chain_texts(ev, nm)
            drill.append({
                "title": nm.get(Label.INSIGHT, x),
                "kind": ui.kind(views.attrs_of(g, Label.INSIGHT, x).get("kind")),
                "sources": "; ".join(title for _, title, _ in ev.sources),
                "years": ", ".join(ev.years),
                "reported_by": chain["reports"],
                "generals": chain["generals"],
                "principles": chain["principles"],
                "datasets": chain["datasets"],
                "via_a": "; ".join(nm.get(Label.INSIGHT, v) for v in views.reported_via(g, a, x)),
                "via_b": "; ".join(nm.get(Label.INSIGHT, v) for v in views.reported_via(g, b, x)),
                "urls": " ".join(url for _, _, url in ev.sources if url),
                "insight": x,
            })
        df = pd.DataFrame(drill, columns=["title", "kind", "sources", "years", "reported_by",
                                          "generals", "principles", "datasets", "via_a",
                                          "via_b", "urls", "insight"])
        ui.table(ui.localize_columns(df), "ov_pair", f"delade-insikter-{a}-{b}")

with st.expander(t("overlap.matrix_table")):
    df = pd.DataFrame([{
        "agency_a": nm.get(Label.AGENCY, r["agency_a"]),
        "agency_b": nm.get(Label.AGENCY, r["agency_b"]),
        "shared": r["shared"], "jaccard": round(float(r["jaccard"]), 3)} for r in rows],
        columns=["agency_a", "agency_b", "shared", "jaccard"])
    ui.table(ui.localize_columns(df), "ov_matrix", "overlappsmatris")
