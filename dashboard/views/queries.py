"""Frågor / Queries: the saved-query catalog with typed parameter widgets, results as a table,
as a graph and as downloads; the query and its parameters live in the URL. On Neo4j, a
read-only Cypher console."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from dashboard import display, ui, url_state
from dashboard.display import escape_md
from dashboard.i18n import current_lang, t
from graph.errors import InsiktError, QueryFailed, QueryRefused
from queries import subgraph
from queries.adhoc import EXAMPLE, run_cypher
from queries.catalog import Param, SavedQuery, all_queries


def show_query_error(exc: InsiktError) -> None:
    """A refused query is the user's to fix (warning); a failed one is an error."""
    if isinstance(exc, QueryRefused):
        st.warning(f"{t('queries.refused')}: {escape_md(exc)}")
    elif isinstance(exc, QueryFailed):
        st.error(f"{t('queries.failed')}: {escape_md(exc)}")
    else:
        st.error(f"{t('error')}: {escape_md(exc)}")

ui.require_data()
st.title(t("page.queries"))
st.caption(t("queries.intro"))

catalog = {q.name: q for q in all_queries()}
QUERY_WIDGET = "q_query"
URL_STATE = "_q_url"  # the query string this page wrote last


def widget_key(query: str, param: str) -> str:
    return ui.wkey(f"qp_{query}_{param}")


def choice_options(p: Param) -> list[str]:
    assert p.choices is not None
    ids = list(ui.names().options(p.choices))
    return ids if p.required else [ui.ANY, *ids]


def from_url(url: dict[str, Any]) -> None:
    """A link (or a first visit) sets the query and its parameter widgets from the URL."""
    name = url.get(url_state.QUERY_KEY)
    if name not in catalog:
        return
    st.session_state[ui.wkey(QUERY_WIDGET)] = name
    q = catalog[name]
    raw = url_state.params_from_url([p.name for p in q.params], url)
    for p in q.params:
        ui.forget(f"qp_{name}_{p.name}")
        try:
            value = p.parse(raw.get(p.name))
        except QueryRefused as exc:
            st.warning(escape_md(exc))
            value = None
        if p.choices is not None and value not in choice_options(p):
            if value is not None:
                st.warning(t("queries.unknown_value").format(name=p.name,
                                                             value=escape_md(value)))
            value = None
        if value is not None:  # else the widget falls back to its default
            st.session_state[widget_key(name, p.name)] = (
                float(value) if p.type == "float" else value)


url = st.query_params.to_dict()
if url.get(url_state.QUERY_KEY) and url != st.session_state.get(URL_STATE):
    from_url(url)
ui.ensure_choice(ui.wkey(QUERY_WIDGET), list(catalog), next(iter(catalog)))


lang = current_lang()
titles = {n: f"{q.title_en if lang == 'en' else q.title_sv} ({n})" for n, q in catalog.items()}
name = st.selectbox(t("queries.pick"), list(catalog), format_func=titles.__getitem__,
                    key=ui.wkey(QUERY_WIDGET))
q: SavedQuery = catalog[name]
st.caption(escape_md(q.description))


def widget(p: Param) -> Any:
    """One widget per typed parameter."""
    key = widget_key(q.name, p.name)
    label = p.name
    if p.choices is not None:
        options = choice_options(p)
        default = q.example.get(p.name) if p.required else (p.default or ui.ANY)
        ui.ensure_choice(key, options, default)
        choices, node_names, any_text = p.choices, ui.names(), t("any")
        value = st.selectbox(label, options, key=key, help=p.help,
                             format_func=lambda i: any_text if i == ui.ANY else
                             f"{node_names.get(choices, i)} ({i})")
        return None if value == ui.ANY else value
    if p.type in ("int", "float"):
        cast = int if p.type == "int" else float
        if key not in st.session_state:
            st.session_state[key] = None if p.default is None else cast(p.default)
        return st.number_input(
            label, key=key, help=p.help, step=1 if p.type == "int" else 0.1,
            min_value=None if p.minimum is None else cast(p.minimum),
            max_value=None if p.maximum is None else cast(p.maximum))
    if p.type == "bool":
        if key not in st.session_state:
            st.session_state[key] = bool(p.default)
        return st.checkbox(label, key=key, help=p.help)
    if key not in st.session_state:
        st.session_state[key] = "" if p.default is None else str(p.default)
    return st.text_input(label, key=key, help=p.help)


values: dict[str, Any] = {}
if q.params:
    st.markdown(f"**{t('queries.params')}**")
    cols = st.columns(min(len(q.params), 4))
    for i, p in enumerate(q.params):
        with cols[i % len(cols)]:
            values[p.name] = widget(p)
else:
    st.caption(t("queries.no_params"))

# The URL follows the widgets, so that a link reproduces this view.
wanted = url_state.params_to_url(q.name, values)
if st.query_params.to_dict() != wanted:
    st.query_params.from_dict(wanted)
st.session_state[URL_STATE] = wanted

missing = [p.name for p in q.params if p.required and values.get(p.name) in (None, "")]
rows: list[dict[str, Any]] = []
if missing:
    st.info(t("queries.required").format(name=", ".join(missing)))
else:
    try:
        rows = ui.run(q.name, {k: v for k, v in values.items() if v not in (None, "")})
    except InsiktError as exc:
        show_query_error(exc)
    else:
        st.caption(t("queries.rows").format(n=len(rows)))
        ui.showing(rows)  # a paged query: "showing X of TOTAL"
        # a query file without a twin declares no columns: they are its Cypher's RETURN
        df = display.frame(rows, q.columns or (tuple(rows[0]) if rows else ()))
        ui.table(df, "q_result", f"fraga-{q.name}", json_rows=rows)
        if q.node_columns and rows:
            st.markdown(f"#### {t('queries.graph')}")
            view = subgraph.result_view(ui.graph(), rows, q.node_columns, cap=ui.NODE_CAP)
            ui.graph_view(view, key=f"fraga-{q.name}", height=560)

# -- the Cypher console (Neo4j only) -------------------------------------------------------------
st.divider()
st.subheader(t("queries.console"))
store = ui.get_store()
if not store.runs_cypher:
    st.info(t("queries.console_needs_neo4j"))
else:
    text = st.text_area(t("queries.console_text"), key="cy_text", height=140,
                        value=EXAMPLE)
    if st.button(t("queries.console_run"), key="cy_run", type="primary"):
        st.session_state.pop("cy_result", None)
        if not text.strip():
            st.warning(t("queries.console_empty"))
        else:
            try:
                result = run_cypher(store, text, {})
            except InsiktError as exc:
                show_query_error(exc)
            else:
                st.session_state["cy_result"] = result
    shown: Any = st.session_state.get("cy_result")  # an AdhocResult, kept across reruns
    if shown is not None:
        if shown.truncated:
            st.warning(t("queries.console_truncated").format(message=escape_md(shown.message)))
        elif shown.message:
            st.info(escape_md(shown.message))
        df = pd.DataFrame([{c: display.cell(r.get(c)) for c in shown.columns}
                           for r in shown.rows], columns=list(shown.columns))
        ui.table(df, "cy_result", "cypher")
