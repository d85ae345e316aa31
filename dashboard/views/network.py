"""Nätverk / Network: click-to-explore. A vis-network view of the graph around a focus node
(the networkx form, not Cypher), offline and with every data text escaped, in the
`dashboard.graph_component` frame: a click shows the node's details and evidence beside the
graph, a double click (or a button) refocuses on it, its neighbours can be expanded and hidden
again, Back/Forward walk the focus history, and the layout is kept between reruns. The focus,
depth, filters and expanded/hidden nodes are in the URL (`dashboard.explore_state`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import streamlit as st

from dashboard import display, graph_component, network_html, ui
from dashboard.display import escape_md
from dashboard.explore_state import URL_KEYS, Exploration, from_url, to_url
from dashboard.i18n import current_lang, t
from graph.model import Label
from queries import explore, subgraph, views

EXP, SEL, POS, NODES, URL_SEEN = "net_exp", "net_sel", "net_pos", "_net_nodes", "_net_url"
SIG = "_net_sig"
GRAPH_KEY = "net_graph"
HEIGHT = 660

ui.require_data()
st.title(t("page.network"))
st.caption(t("network.intro"))

g = ui.graph()
label_names = ui.label_names()
node_names = ui.names()
nodes, default_focus = views.focus_choices(g, node_names)
depth_key = ui.wkey("net_depth")
labels_key = ui.wkey("net_labels")
le_key = ui.wkey("net_life_event")
focus_key = ui.wkey("net_focus")
default_labels = [lb for lb in subgraph.LABEL_ORDER if lb != "Source"]


def node_text(n: str) -> str:
    return f"{label_names[views.node_label(g, n)]}: " \
           f"{node_names.get(views.node_label(g, n), views.node_id(g, n))}"


# -- the URL (a link, a reload) sets the view ----------------------------------------------
url = {k: st.query_params.get_all(k) for k in URL_KEYS if k in st.query_params}
if url and url != st.session_state.get(URL_SEEN):
    life_events = {views.node_id(g, n) for n in nodes if views.node_label(g, n) == Label.LIFE_EVENT}
    asked = from_url(url, set(nodes), subgraph.LABEL_ORDER, life_events)
    for param, bad in asked.rejected:
        st.warning(t("network.url_rejected").format(name=escape_md(param), value=escape_md(bad)))
    st.session_state[EXP] = Exploration(asked.focus or default_focus, asked.expanded,
                                        asked.hidden)
    if asked.depth is not None:
        ui.forget("net_depth")
        st.session_state[depth_key] = asked.depth
    if asked.labels is not None:
        ui.forget("net_labels")
        st.session_state[labels_key] = list(asked.labels)
    ui.forget("net_life_event")
    st.session_state[le_key] = asked.life_event or ui.ANY
    st.session_state.pop(SEL, None)

if not isinstance(st.session_state.get(EXP), Exploration) or st.session_state[EXP].focus not in g:
    st.session_state[EXP] = Exploration(default_focus)


def exploration() -> Exploration:
    value: Exploration = st.session_state[EXP]
    return value


def set_exploration(e: Exploration) -> None:
    st.session_state[EXP] = e


# -- callbacks (they run before the rerun they cause) ---------------------------------------

def _component_value(name: str) -> Any:
    state = st.session_state.get(GRAPH_KEY)
    if state is None:
        return None
    try:
        return state[name]
    except (KeyError, TypeError):
        return getattr(state, name, None)


def on_select() -> None:
    node = _component_value("select")
    if isinstance(node, str) and node in g:
        st.session_state[SEL] = node


def on_refocus() -> None:
    node = _component_value("refocus")
    if isinstance(node, str) and node in g:
        set_exploration(exploration().refocus(node))
        st.session_state[SEL] = node


def on_positions() -> None:
    """Keep the layout the browser settled on, per focus: a rerun, an expansion or a return
    through the history finds its nodes where they were; a new focus gets a layout of its own."""
    value = _component_value("positions")
    if not isinstance(value, dict) or value.get("signature") != st.session_state.get(SIG):
        return  # the layout of a view that is no longer drawn
    got = graph_component.clean_positions(value, st.session_state.get(NODES, []))
    if got:
        focus = exploration().focus
        layouts: dict[str, dict[str, tuple[float, float]]] = st.session_state.get(POS, {})
        st.session_state[POS] = {**layouts, focus: {**layouts.get(focus, {}), **got}}


def on_focus_box() -> None:
    node = st.session_state.get(focus_key)
    if isinstance(node, str) and node in g:
        set_exploration(exploration().refocus(node))
        st.session_state.pop(SEL, None)


def refocus_on(node: str) -> None:
    set_exploration(exploration().refocus(node))
    st.session_state[SEL] = node


def toggle_expand(node: str) -> None:
    set_exploration(exploration().toggle_expand(node))


def hide(node: str) -> None:
    set_exploration(exploration().hide(node))
    if st.session_state.get(SEL) == node:
        st.session_state.pop(SEL, None)


def back() -> None:
    set_exploration(exploration().go_back())


def forward() -> None:
    set_exploration(exploration().go_forward())


def show_all() -> None:
    set_exploration(exploration().show_all())


# -- the controls ---------------------------------------------------------------------------
ex = exploration()
st.session_state[focus_key] = ex.focus  # the box follows clicks as well as choices
c_focus, c_depth, c_le = st.columns([2, 1, 1.4])
c_focus.selectbox(t("network.focus"), nodes, key=focus_key, format_func=node_text,
                  on_change=on_focus_box)
ui.init_state(depth_key, 1)
depth = int(c_depth.slider(t("network.depth"), min_value=1, max_value=3, key=depth_key))
life_event = ui.select_node(Label.LIFE_EVENT, "net_life_event", optional=True, container=c_le,
                            title=t("network.life_event"))
ui.init_state(labels_key, default_labels)
labels = st.multiselect(t("network.labels"), list(subgraph.LABEL_ORDER),
                        format_func=lambda lb: label_names[lb], key=labels_key)

with st.container(horizontal=True):
    st.button(t("network.back"), key="net_back", on_click=back, disabled=not ex.back,
              icon=":material/arrow_back:",
              help=node_text(ex.back[-1][0]) if ex.back else None)
    st.button(t("network.forward"), key="net_forward", on_click=forward,
              disabled=not ex.forward, icon=":material/arrow_forward:",
              help=node_text(ex.forward[-1][0]) if ex.forward else None)
    st.button(t("network.show_hidden").format(n=len(ex.hidden)), key="net_show_all",
              on_click=show_all, disabled=not ex.hidden, icon=":material/visibility:")

view = explore.explore_view(g, ex.focus, depth, labels, life_event, ex.expanded, ex.hidden,
                            cap=ui.NODE_CAP)
st.session_state[NODES] = list(view.nodes)
shown_labels = explore.labelled(g, view, keep=ex.expanded)
positions = explore.initial_positions(view, st.session_state.get(POS, {}).get(ex.focus, {}))

# -- the URL follows the view ---------------------------------------------------------------
wanted = to_url(ex, depth, labels, life_event)
current = {k: st.query_params.get_all(k) for k in URL_KEYS if k in st.query_params}
if current != wanted:
    for k in URL_KEYS:
        if k in st.query_params and k not in wanted:
            del st.query_params[k]
    for k, v in wanted.items():
        st.query_params[k] = v if len(v) > 1 else v[0]
st.session_state[URL_SEEN] = wanted

# -- the graph and the side panel -----------------------------------------------------------
st.caption(t("network.summary").format(nodes=len(view.nodes), edges=len(view.edges))
           + " " + t("network.how"))
if len(view.nodes) <= 1:
    st.info(t("network.alone"))
ui.cap_warnings(view)


def page_context() -> network_html.PageContext:
    """The downloaded page's title and context: what, focus, depth, filters, date, data."""
    focus_name = node_names.get(views.node_label(g, ex.focus), views.node_id(g, ex.focus))
    items = [(t("network.ctx.focus"), node_text(ex.focus)),
             (t("network.ctx.depth"), str(depth)),
             (t("network.ctx.labels"), ", ".join(label_names[lb] for lb in labels) or "-")]
    if life_event:
        items.append((t("network.life_event"), node_names.get(Label.LIFE_EVENT, life_event)))
    if ex.expanded:
        items.append((t("network.ctx.expanded"), ", ".join(node_text(n) for n in ex.expanded)))
    if ex.hidden:
        items.append((t("network.ctx.hidden"), ", ".join(node_text(n) for n in ex.hidden)))
    items.append((t("network.ctx.date"), dt.date.today().isoformat()))
    items.append((t("network.ctx.datasets"), "; ".join(
        f"{d.id} {d.version}".strip() + f" ({d.loaded_at[:19].replace('T', ' ')})"
        for d in ui.datasets())))
    return network_html.PageContext(
        f"Insiktsgrafen – {t('page.network')}: {focus_name} ({t('network.ctx.depth')} {depth})",
        tuple(items))


lang = current_lang()
context = page_context()
page = network_html.network_html(g, view, lang, label_names, ui.rel_names(), height=HEIGHT - 20,
                                 labelled=shown_labels, positions=positions, context=context)
signature = network_html.view_signature(view, lang, shown_labels)
st.session_state[SIG] = signature

c_graph, c_side = st.columns([2.3, 1])
with c_graph:
    graph_component.network(page, signature=signature, nodes=view.nodes, key=GRAPH_KEY,
                            height=HEIGHT, title=context.title, placed=len(positions),
                            on_select=on_select,
                            on_refocus=on_refocus, on_positions=on_positions)
    st.download_button(t("download_html"), page.encode("utf-8"),
                       file_name=f"natverk-{views.node_id(g, ex.focus)}-djup{depth}.html",
                       mime="text/html", key="dl_html_natverk", on_click="ignore",
                       icon=":material/download:")

with c_side:
    selected = st.session_state.get(SEL)
    if not isinstance(selected, str) or selected not in g:
        selected = ex.focus
    details = explore.node_details(g, selected, lang)
    assert details is not None
    st.markdown(f"**{escape_md(label_names.get(details.label, details.label))}**")
    st.subheader(escape_md(details.name), anchor=False)
    st.caption(f"id: `{details.id.replace('`', '')}`")  # code: a slug, not prose
    if details.text:
        st.markdown(escape_md(display.short(details.text, 600)))
    in_view = selected in set(view.nodes)
    with st.container(horizontal=True):
        st.button(t("network.refocus"), key="net_refocus", on_click=refocus_on,
                  args=(selected,), disabled=selected == ex.focus,
                  icon=":material/center_focus_strong:")
        st.button(t("network.collapse") if selected in ex.expanded else t("network.expand"),
                  key="net_expand", on_click=toggle_expand, args=(selected,),
                  disabled=not in_view, icon=":material/hub:")
        st.button(t("network.hide"), key="net_hide", on_click=hide, args=(selected,),
                  disabled=selected == ex.focus or not in_view,
                  icon=":material/visibility_off:")
    if details.fields:
        st.dataframe(pd.DataFrame([(t(f"network.f.{f}"), v) for f, v in details.fields],
                                  columns=[t("network.field"), t("network.value")]),
                     hide_index=True, width="stretch", key="df_net_fields")
    if details.label == Label.INSIGHT:
        ev = views.evidence_summary(ui.run_or_fail("evidence", {"insight": details.id}))
        chain = views.chain_texts(ev, node_names)
        st.markdown(f"**{t('network.evidence')}**")
        lines = [(t("col.sources"), "; ".join(title for _, title, _ in ev.sources)),
                 (t("col.reported_by"), chain["reports"]),
                 (t("col.generals"), chain["generals"]),
                 (t("col.principles"), chain["principles"]),
                 (t("col.datasets"), chain["datasets"])]
        st.dataframe(pd.DataFrame([(k, v) for k, v in lines if v],
                                  columns=[t("network.field"), t("network.value")]),
                     hide_index=True, width="stretch", key="df_net_evidence")
    st.markdown(f"**{t('network.links').format(n=len(details.links))}**")
    links = pd.DataFrame([{
        t("network.rel"): ("→ " if lk.outgoing else "← ") + lk.rel,
        t("network.other"): f"{label_names.get(lk.label, lk.label)}: {lk.name}",
        t("network.in_view"): t("yes") if lk.other in set(view.nodes) else t("no"),
    } for lk in details.links], columns=[t("network.rel"), t("network.other"),
                                         t("network.in_view")])
    ui.table(links, "net_links", f"natverk-{details.id}-relationer")
