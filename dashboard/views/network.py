"""Nätverk / Network: a vis-network view of the graph around a focus node, built from the
networkx form of the graph (not Cypher), offline and with every data text escaped."""

from __future__ import annotations

import streamlit as st

from dashboard import ui
from dashboard.i18n import t
from graph.model import Label
from queries import subgraph, views

ui.require_data()
st.title(t("page.network"))
st.caption(t("network.intro"))

g = ui.graph()
label_names = ui.label_names()
node_names = ui.names()
nodes, default_focus = views.focus_choices(g, node_names)

c_focus, c_depth, c_le = st.columns([2, 1, 1.4])
focus_key = ui.wkey("net_focus")
ui.ensure_choice(focus_key, nodes, default_focus)
focus = c_focus.selectbox(
    t("network.focus"), nodes, key=focus_key,
    format_func=lambda n: f"{label_names[views.node_label(g, n)]}: "
                          f"{node_names.get(views.node_label(g, n), views.node_id(g, n))}")
depth_key = ui.wkey("net_depth")
ui.init_state(depth_key, 1)
depth = c_depth.slider(t("network.depth"), min_value=1, max_value=3, key=depth_key)
life_event = ui.select_node(Label.LIFE_EVENT, "net_life_event", optional=True, container=c_le,
                            title=t("network.life_event"))
labels_key = ui.wkey("net_labels")
ui.init_state(labels_key, [lb for lb in subgraph.LABEL_ORDER if lb != "Source"])
labels = st.multiselect(t("network.labels"), list(subgraph.LABEL_ORDER),
                        format_func=lambda lb: label_names[lb], key=labels_key)

view = subgraph.neighbourhood(g, focus, depth, labels, life_event, cap=ui.NODE_CAP)
st.caption(t("network.summary").format(nodes=len(view.nodes), edges=len(view.edges)))
if len(view.nodes) <= 1:
    st.info(t("network.alone"))
ui.graph_view(view, key=f"natverk-{views.node_id(g, focus)}", height=680)
