"""Frågor / Queries: the saved-query catalog with typed parameter widgets, results as a table,
as a graph and as downloads; the query and its parameters live in the URL. On Neo4j, a
read-only Cypher console."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from dashboard import console as console_part
from dashboard import display, ui, url_state
from dashboard.display import escape_md
from dashboard.i18n import current_lang, t
from graph.errors import CypherSyntaxError, InsiktError, QueryRefused
from queries import explore, subgraph
from queries import texts as query_texts
from queries.adhoc import EXAMPLE, run_cypher
from queries.catalog import Param, SavedQuery, all_queries
from queries.cypher_params import (
    PARAM_TYPES,
    parameter_names,
    parse_value,
    suggested_types,
    value_text,
)


def show_query_error(exc: InsiktError) -> None:
    """A refused query is the user's to fix (warning); a failed one is an error. The words
    are the page's language throughout (`ui.show_error`); a syntax error points into the
    analyst's own text."""
    if isinstance(exc, CypherSyntaxError):
        console_part.show_syntax_error(exc)
    else:
        ui.show_error(exc, warning=isinstance(exc, QueryRefused))

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
            ui.show_error(exc, warning=True)
            value = None
        if p.choices is not None and value not in choice_options(p):
            if value is not None:
                st.warning(t("queries.unknown_value").format(
                    name=escape_md(query_texts.param_label(p, current_lang())),
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
titles = {n: f"{query_texts.title(q, lang)} ({n})" for n, q in catalog.items()}
name = st.selectbox(t("queries.pick"), list(catalog), format_func=titles.__getitem__,
                    key=ui.wkey(QUERY_WIDGET))
q: SavedQuery = catalog[name]
st.caption(escape_md(query_texts.description(q, lang)))


def widget(p: Param) -> Any:
    """One widget per typed parameter."""
    key = widget_key(q.name, p.name)
    label = query_texts.param_label(p, lang)
    help_text = query_texts.param_help(p, lang)
    if p.choices is not None:
        options = choice_options(p)
        default = q.example.get(p.name) if p.required else (p.default or ui.ANY)
        ui.ensure_choice(key, options, default)
        choices, node_names, any_text = p.choices, ui.names(), t("any")
        value = st.selectbox(label, options, key=key, help=help_text,
                             format_func=lambda i: any_text if i == ui.ANY else
                             f"{node_names.get(choices, i)} ({i})")
        return None if value == ui.ANY else value
    if p.type in ("int", "float"):
        cast = int if p.type == "int" else float
        if key not in st.session_state:
            st.session_state[key] = None if p.default is None else cast(p.default)
        return st.number_input(
            label, key=key, help=help_text, step=1 if p.type == "int" else 0.1,
            min_value=None if p.minimum is None else cast(p.minimum),
            max_value=None if p.maximum is None else cast(p.maximum))
    if p.type == "bool":
        if key not in st.session_state:
            st.session_state[key] = bool(p.default)
        return st.checkbox(label, key=key, help=help_text)
    if key not in st.session_state:
        st.session_state[key] = "" if p.default is None else str(p.default)
    return st.text_input(label, key=key, help=help_text)


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
wanted = url_state.params_to_url(q.name, values, lang)
wanted.update({k: str(v) for k, v in st.query_params.to_dict().items()  # the console's link
               if k == "cy" or k.startswith(("cy.", "cyt."))})
if st.query_params.to_dict() != wanted:
    st.query_params.from_dict(wanted)
st.session_state[URL_STATE] = wanted

missing = [query_texts.param_label(p, lang) for p in q.params
           if p.required and values.get(p.name) in (None, "")]
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
        visible, readable = query_texts.readable_rows(
            q, rows, q.columns or (tuple(rows[0]) if rows else ()), ui.names().get, lang)
        df = display.frame(readable, visible)
        ids = query_texts.id_columns(q, visible)
        df.columns = [query_texts.column_label(str(c), lang, is_id=c in ids) for c in df.columns]
        ui.table(df, "q_result", f"fraga-{q.name}", json_rows=rows)
        if q.node_columns and rows:
            st.markdown(f"#### {t('queries.graph')}")
            view = subgraph.result_view(ui.graph(), rows, q.node_columns, cap=ui.NODE_CAP)
            ui.graph_view(view, key=f"fraga-{q.name}", height=560)

# -- the Cypher console (Neo4j only) -------------------------------------------------------------
# Its deep link: CONSOLE_TEXT holds the Cypher, CONSOLE_VALUE + name each parameter's value
# and CONSOLE_TYPE + name its type; a link (or a reload) fills the console in and runs it.
CONSOLE_TEXT, CONSOLE_VALUE, CONSOLE_TYPE = "cy", "cy.", "cyt."
CONSOLE_SEEN = "_cy_url"
NETWORK_PAGE = Path(__file__).with_name("network.py")  # as dashboard/app.py names the page


def console_url(url: dict[str, Any]) -> dict[str, str]:
    """The console's own parameters in a URL (the saved-query part keeps them)."""
    return {k: str(v) for k, v in url.items()
            if k == CONSOLE_TEXT or k.startswith((CONSOLE_VALUE, CONSOLE_TYPE))}


def console_from_url(url: dict[str, str]) -> bool:
    """Fill the console in from a link; True when it holds a query to run."""
    text = url.get(CONSOLE_TEXT, "")
    if not text.strip():
        return False
    st.session_state["cy_text"] = text
    for name in parameter_names(text):
        kind = url.get(CONSOLE_TYPE + name, "str")
        if kind not in PARAM_TYPES:
            st.warning(t("console.bad_url").format(reason=escape_md(
                f"{CONSOLE_TYPE}{name}={kind}")))
            kind = "str"
        st.session_state[f"cyt_{name}"] = kind
        raw = url.get(CONSOLE_VALUE + name)
        st.session_state.pop(f"cyv_{name}", None)
        if raw is None:
            continue
        try:
            value = parse_value(kind, raw)
        except QueryRefused:
            st.warning(t("console.bad_value").format(name=escape_md(name),
                                                     type=t(f"console.type.{kind}"),
                                                     reason=escape_md(raw)))
            continue
        st.session_state[f"cyv_{name}"] = (value_text(value) if kind == "list"
                                          else float(value) if kind == "float" else value)
    return True


def console_param(name: str, suggested: str = "str") -> tuple[str, Any]:
    """A parameter's type box (first set to `suggested`) and its typed input: (type, value
    or None when not set)."""
    kind_key, value_key = f"cyt_{name}", f"cyv_{name}"
    ui.init_state(kind_key, suggested)
    c_kind, c_value = st.columns([1, 3])
    kind = str(c_kind.selectbox(t("console.param_type").format(name=name), PARAM_TYPES,
                                key=kind_key, format_func=lambda k: t(f"console.type.{k}")))
    label = f"${name}"
    current = st.session_state.get(value_key)
    if kind in ("int", "float"):
        if not isinstance(current, int | float) or isinstance(current, bool):
            st.session_state[value_key] = None
        elif kind == "float":
            st.session_state[value_key] = float(current)
        else:
            st.session_state[value_key] = int(current)
        value = c_value.number_input(label, key=value_key, step=1 if kind == "int" else 0.1)
        return kind, value
    if kind == "bool":
        if not isinstance(current, bool):
            st.session_state[value_key] = False
        return kind, c_value.checkbox(label, key=value_key)
    if not isinstance(current, str):
        st.session_state[value_key] = "" if current is None else str(current)
    text = c_value.text_input(label, key=value_key,
                              help=t("console.list_help") if kind == "list" else None)
    if kind == "list":
        try:
            return kind, parse_value("list", text)
        except QueryRefused:
            st.warning(t("console.bad_value").format(name=escape_md(name),
                                                     type=t("console.type.list"),
                                                     reason=escape_md(text)))
            return kind, None
    return kind, text


def console_link(text: str, typed: dict[str, tuple[str, Any]]) -> dict[str, str]:
    out = {CONSOLE_TEXT: text}
    for name, (kind, value) in typed.items():
        if kind != "str":
            out[CONSOLE_TYPE + name] = kind
        if value is not None:
            out[CONSOLE_VALUE + name] = value_text(value)
    return out


def set_console_url(link: dict[str, str]) -> None:
    """Put the console's link into the URL, leaving the other parameters alone."""
    for k in list(st.query_params.keys()):
        if (k == CONSOLE_TEXT or k.startswith((CONSOLE_VALUE, CONSOLE_TYPE))) and k not in link:
            del st.query_params[k]
    for k, v in link.items():
        if st.query_params.get(k) != v:
            st.query_params[k] = v
    st.session_state[CONSOLE_SEEN] = link
    seen = st.session_state.get(URL_STATE)
    if isinstance(seen, dict):  # what the saved-query part wrote, with the console's part
        st.session_state[URL_STATE] = {**{k: v for k, v in seen.items()
                                         if k not in console_url(seen)}, **link}


def run_console(store: Any, text: str, typed: dict[str, tuple[str, Any]]) -> None:
    st.session_state.pop("cy_result", None)
    if not text.strip():
        st.warning(t("queries.console_empty"))
        return
    params = {name: value for name, (_, value) in typed.items() if value is not None}
    try:
        result = run_cypher(store, text, params)
    except InsiktError as exc:
        show_query_error(exc)
    else:
        st.session_state["cy_result"] = result
    set_console_url(console_link(text, typed))


def console_result(shown: Any) -> None:
    """An AdhocResult as a table (nodes and relationships as short texts), its CSV and JSON
    downloads, and, when it holds nodes or relationships, the same graph component as the
    network page."""
    if shown.truncated:
        st.warning(t("queries.console_truncated").format(message=escape_md(shown.message)))
    elif shown.message:
        st.info(escape_md(shown.message))
    by_label = ui.names().by_label
    df = pd.DataFrame([{c: display.cell(explore.cell_text(r.get(c), by_label))
                        for c in shown.columns} for r in shown.rows],
                      columns=list(shown.columns))
    ui.table(df, "cy_result", "cypher", json_rows=shown.rows)
    st.caption(t("console.link_help"))
    if explore.has_graph(shown.rows):
        st.markdown(f"#### {t('console.graph')}")
        view = explore.result_graph(ui.graph(), shown.rows, cap=ui.NODE_CAP)
        if not view.nodes:
            st.info(t("console.graph_none"))
        else:
            ui.graph_view(view, key="cypher", height=560,
                          title=f"Insiktsgrafen – {t('queries.console')}",
                          on_select=on_console_select)
            picked = st.session_state.get("cy_selected")
            if isinstance(picked, str) and picked in set(view.nodes):
                g = ui.graph()
                label = str(g.nodes[picked]["label"])
                name = ui.names().get(label, str(g.nodes[picked]["id"]))
                st.page_link(NETWORK_PAGE, query_params={"focus": picked},
                             label=t("console.explore").format(name=escape_md(name)),
                             icon=":material/hub:")


def on_console_select() -> None:
    """A node clicked in the result's graph: offer to explore it on the network page."""
    state = st.session_state.get("graph_cypher")
    node = state.get("select") if isinstance(state, dict) else getattr(state, "select", None)
    if isinstance(node, str):
        st.session_state["cy_selected"] = node


def console() -> None:
    st.divider()
    st.subheader(t("queries.console"))
    store = console_part.console_store()
    if not store.runs_cypher:
        console_part.offer_neo4j()
        return
    console_part.started_note()
    console_part.switched_note()
    link = console_url(st.query_params.to_dict())
    autorun = False
    if link and link != st.session_state.get(CONSOLE_SEEN):
        autorun = console_from_url(link)
        st.session_state[CONSOLE_SEEN] = link
    ui.init_state("cy_text", EXAMPLE)
    text = st.text_area(t("queries.console_text"), key="cy_text", height=140)
    kinds = suggested_types(text)
    typed: dict[str, tuple[str, Any]] = {}
    if kinds:
        st.markdown(f"**{t('console.params')}**")
        for name, kind in kinds.items():
            typed[name] = console_param(name, kind)
    if st.button(t("queries.console_run"), key="cy_run", type="primary") or autorun:
        run_console(store, text, typed)
    shown: Any = st.session_state.get("cy_result")  # an AdhocResult, kept across reruns
    if shown is not None:
        console_result(shown)


console()
