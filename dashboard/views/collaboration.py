"""Samverkan / Collaboration: from insight to action. The suggested networks (who should meet,
and about what), the most similar agency pairs, how far each insight reaches, the agencies
that bridge the others, and the governance report. The numbers come from queries.analytics,
cached on the graph version (ui.collaboration)."""

from __future__ import annotations

from collections.abc import Iterable

import altair as alt
import pandas as pd
import streamlit as st

from dashboard import display, ui
from dashboard.display import escape_md
from dashboard.i18n import current_lang, t
from graph.model import Label

BRIDGES_CHART = 15  # agencies in the betweenness chart; the table has all

ui.require_data()
nm = ui.names()  # display names in the current language
st.title(t("page.collaboration"))
st.caption(t("collab.intro"))

data = ui.collaboration(ui.include_status_switch("co_include_status"))


names = ui.joined_names


def by_name(ids: Iterable[str]) -> list[str]:
    """Agency ids in the order of their names in the current language."""
    return sorted(ids, key=lambda a: (nm.get(Label.AGENCY, a).casefold(), a))


# -- suggested networks --------------------------------------------------------------------------
st.subheader(t("collab.networks"))
st.caption(t("collab.networks_help"))
comm = data.communities
networks = [c for c in comm.communities if len(c.members) > 1]
alone = [m for c in comm.communities if len(c.members) == 1 for m in c.members]
cols = st.columns(3)
cols[0].metric(t("collab.metric.networks"), len(networks))
cols[1].metric(t("collab.metric.agencies"), comm.agencies)
cols[2].metric(t("collab.metric.modularity"), display.number(comm.modularity, current_lang()),
               help=t("collab.modularity_help"))

if not networks:
    st.info(t("collab.no_networks"))
for c in networks:
    members = by_name(c.members)
    shown, more = display.name_list([nm.get(Label.AGENCY, m) for m in members])
    listed = escape_md(shown)
    if more:
        listed = t("collab.more").format(names=listed, more=more)
    label = t("collab.network_label").format(n=c.number, count=len(members), names=listed)
    with st.expander(label, expanded=c.number == networks[0].number):
        st.markdown(f"**{t('collab.members')}:** "
                    + escape_md(", ".join(nm.get(Label.AGENCY, m) for m in members)))
        st.markdown(f"##### {t('collab.shared_problems')}")
        if not c.shared_problems:
            st.info(t("collab.no_shared"))
        else:
            df = pd.DataFrame([{
                "title": nm.get(Label.INSIGHT, p.insight),
                "kind": ui.kind(p.kind),
                "holder_count": p.members,
                "holders": names(Label.AGENCY, by_name(data.holders.get((c.number, p.insight),
                                                                         ()))),
                "insight": p.insight,
            } for p in c.shared_problems],
                columns=["title", "kind", "holder_count", "holders", "insight"])
            ui.table(ui.localize_columns(df), f"co_problems_{c.number}",
                     f"natverk-{c.number}-delade-problem")
        st.markdown(f"##### {t('collab.agenda')}")
        if not c.agenda:
            st.info(t("collab.no_agenda"))
        else:
            st.caption(t("collab.agenda_help"))
            df = pd.DataFrame([{
                "principle": nm.get(Label.PRINCIPLE, a.principle),
                "applied_by": names(Label.AGENCY, by_name(a.applied_by)),
                "not_applied_by": names(Label.AGENCY, by_name(a.not_applied_by)),
                "addresses_shared": names(Label.INSIGHT, a.addresses_shared),
                "principle_id": a.principle,
            } for a in c.agenda],
                columns=["principle", "applied_by", "not_applied_by", "addresses_shared",
                         "principle_id"])
            ui.table(ui.localize_columns(df), f"co_agenda_{c.number}",
                     f"natverk-{c.number}-dagordning")
if alone:
    st.caption(t("collab.alone").format(
        names=escape_md(", ".join(nm.get(Label.AGENCY, m) for m in by_name(alone)))))

with st.expander(t("collab.all_networks")):
    df = pd.DataFrame([{
        "network": c.number,
        "members": len(c.members),
        "agency_names": names(Label.AGENCY, by_name(c.members)),
        "shared_problems": len(c.shared_problems),
        "agenda": len(c.agenda),
        "internal_weight": c.internal_weight,
        "agency_ids": "; ".join(c.members),
    } for c in comm.communities],
        columns=["network", "members", "agency_names", "shared_problems", "agenda",
                 "internal_weight", "agency_ids"])
    ui.table(ui.localize_columns(df), "co_networks", "foreslagna-natverk")

# -- similarity ----------------------------------------------------------------------------------
st.subheader(t("collab.similar"))
sim = data.similarity
st.caption(t("collab.similar_help").format(agencies=sim.agencies, pairs=sim.overlapping_pairs,
                                           top=len(sim.pairs)))
if not sim.pairs:
    st.info(t("collab.no_pairs"))
else:
    df = pd.DataFrame([{
        "agency_a": nm.get(Label.AGENCY, p.a),
        "agency_b": nm.get(Label.AGENCY, p.b),
        "jaccard": round(p.score, 3),
        "shared": len(p.shared),
        "shared_titles": names(Label.INSIGHT, p.shared),
        "agency_ids": f"{p.a}; {p.b}",
    } for p in sim.pairs],
        columns=["agency_a", "agency_b", "jaccard", "shared", "shared_titles", "agency_ids"])
    ui.table(ui.localize_columns(df), "co_similar", "mest-lika-par")

# -- reach ---------------------------------------------------------------------------------------
st.subheader(t("collab.reach"))
st.caption(t("collab.reach_help"))
df = pd.DataFrame([{
    "rank": rank,
    "title": nm.get(Label.INSIGHT, r.insight),
    "kind": ui.kind(r.kind),
    "agencies": r.agencies,
    "life_events": r.life_events,
    "domains": r.domains,
    "agency_names": names(Label.AGENCY, by_name(r.agency_ids)),
    "life_event_names": names(Label.LIFE_EVENT, r.life_event_ids),
    "domain_names": names(Label.DOMAIN, r.domain_ids),
    "status": ui.status(r.status),
    "insight": r.insight,
} for rank, r in enumerate(data.reach, start=1)],
    columns=["rank", "title", "kind", "agencies", "life_events", "domains", "agency_names",
             "life_event_names", "domain_names", "status", "insight"])
ui.table(ui.localize_columns(df), "co_reach", "insikternas-rackvidd")

# -- bridges -------------------------------------------------------------------------------------
st.subheader(t("collab.bridges"))
br = data.bridges
st.caption(t("collab.bridges_help"))
if br.sampled:
    st.info(t("collab.bridges_sampled").format(k=br.k, nodes=br.nodes, seed=br.seed))
else:
    st.caption(t("collab.bridges_exact").format(nodes=br.nodes))
df = pd.DataFrame([{
    "agency": nm.get(Label.AGENCY, b.agency),
    "betweenness": round(b.betweenness, 3),
    "partners": b.partners,
    "communities_linked": b.communities_linked,
    "agency_id": b.agency,
} for b in br.agencies], columns=["agency", "betweenness", "partners", "communities_linked",
                                  "agency_id"])
top = df[df["betweenness"] > 0].head(BRIDGES_CHART)  # the rest lie on no shortest path
if not top.empty:
    chart = alt.Chart(top).mark_bar(color="#1f77b4").encode(
        x=alt.X("betweenness:Q", title=t("col.betweenness")),
        y=alt.Y("agency:N", sort=list(top["agency"]), title=None,
                axis=alt.Axis(labelLimit=300, labelOverlap=False)),
        tooltip=[alt.Tooltip("agency:N", title=t("col.agency")),
                 alt.Tooltip("betweenness:Q", title=t("col.betweenness"), format=".3f"),
                 alt.Tooltip("partners:Q", title=t("col.partners")),
                 alt.Tooltip("communities_linked:Q", title=t("col.communities_linked"))],
    ).properties(height=30 * len(top) + 20, title=t("collab.bridges_chart").format(n=len(top)))
    ui.altair_chart(chart, key="co_bridges_chart", width="stretch")
ui.table(ui.localize_columns(df), "co_bridges", "brobyggande-myndigheter")

# -- the governance report -----------------------------------------------------------------------
ui.report_section()
