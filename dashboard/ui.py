"""Streamlit glue shared by the pages: the store, caching, names, tables with downloads and the
empty-store and error states. Answers come from `queries` (`queries.views`, `queries.subgraph`);
strings from `dashboard.i18n`.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, NoReturn

import networkx as nx
import pandas as pd
import streamlit as st

from dashboard import display, graph_component, network_html
from dashboard.i18n import DEFAULT_LANG, LANGS, column_label, current_lang, error_text, t
from dashboard.i18n import SV as STRINGS_SV
from graph.backends import backend_name, open_store
from graph.embedded import DEFAULT_STORE
from graph.errors import InsiktError
from graph.model import Label
from graph.settings import get_settings
from graph.store import DatasetInfo, GraphStore
from queries import explore, subgraph, views
from queries.analytics import BURDEN_WEIGHTS, JourneyBurden, burden

NODE_CAP = 300
ANY = ""  # the "all" choice of an optional selectbox (a None value would show a placeholder)


# -- the store -----------------------------------------------------------------------------------

def store_key() -> tuple[str, ...]:
    """What identifies the store to use. For the embedded store the file's mtime is part of
    it, so a load from the CLI while the app runs is picked up on the next rerun. No secrets."""
    backend = backend_name()
    if backend == "embedded":
        path = _resolved(str(get_settings().store or DEFAULT_STORE))
        try:
            mtime = path.stat().st_mtime_ns
        except FileNotFoundError:
            mtime = 0
        return backend, str(path), str(mtime)
    cfg = get_settings()
    return backend, cfg.neo4j_uri, cfg.neo4j_database


@functools.lru_cache(maxsize=8)
def _resolved(path: str) -> Path:
    return Path(path).resolve()


@st.cache_resource(max_entries=2, show_spinner=False)
def _open_store(key: tuple[str, ...]) -> GraphStore:
    return open_store(key[0], key[1] if key[0] == "embedded" else None)


def get_store() -> GraphStore:
    return _open_store(store_key())


def store_text(store: GraphStore) -> str:
    """Which store is in use, in the page's language (`describe()` is the CLI's English)."""
    path, uri = getattr(store, "path", None), getattr(store, "shown_uri", None)
    if store.local and path is not None:
        return t("sidebar.store_embedded").format(path=path)
    if uri is not None:
        return t("sidebar.store_neo4j").format(uri=uri, database=getattr(store, "database", ""))
    return store.describe()


def burden_formula() -> str:
    """The burden index's formula in the page's language: weight · term, for each term."""
    lang = current_lang()
    return "B = " + " + ".join(f"{display.number(w, lang)}·{t(f'burden.{name}')}"
                               for name, w in BURDEN_WEIGHTS.items())


def show_error(exc: Exception, *, warning: bool = False) -> None:
    """A library error in the page's language (`i18n.error_text`): the message, and the
    library's own words, when they could not be translated, apart as quoted system output."""
    message, detail = error_text(exc)
    (st.warning if warning else st.error)(display.escape_md(message))
    if detail:
        st.caption(t("error.detail"))
        st.code(detail, language=None, wrap_lines=True)


def fail(exc: Exception) -> NoReturn:
    """A library error as one clear message; the page stops there."""
    show_error(exc)
    st.stop()
    raise RuntimeError(str(exc)) from exc  # only reached outside a Streamlit script run


def datasets() -> list[DatasetInfo]:
    try:
        return get_store().datasets()
    except InsiktError as exc:
        fail(exc)


def _read_version() -> str:
    parts = [*store_key(), *(f"{d.id}@{d.loaded_at}:{d.nodes}:{d.relationships}"
                             for d in datasets())]
    return "|".join(parts)


_VERSION_KEY = "_ui_graph_version"


def _run_marker() -> int | None:
    """Something that differs between two script runs of a session: Streamlit gives every
    run a fresh `cursors` dict (ScriptRunContext.reset). None outside a script run."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx(suppress_warning=True)
    cursors = getattr(ctx, "cursors", None) if ctx is not None else None
    return id(cursors) if cursors is not None else None


def graph_version() -> str:
    """Changes whenever the loaded content changes: the store key and every dataset's counts
    and load time. Every cached result is keyed on it.

    Asked of the store once per script run, not per call: a page calls this through every
    `run`/`names`, and on Neo4j each ask is a Bolt transaction (13,423 of them in one
    Collaboration rerun at 100×). A load from the CLI shows on the next rerun."""
    marker = _run_marker()
    if marker is None:
        return _read_version()
    seen = st.session_state.get(_VERSION_KEY)
    if isinstance(seen, tuple) and seen[0] == marker:
        return str(seen[1])
    version = _read_version()
    st.session_state[_VERSION_KEY] = (marker, version)
    return version


def clear_caches() -> None:
    st.session_state.pop(_VERSION_KEY, None)
    st.cache_data.clear()
    _graph.clear()
    _names.clear()


@st.cache_resource(max_entries=2, show_spinner=False)
def _graph(version: str) -> nx.MultiDiGraph:
    return get_store().to_networkx()


def graph() -> nx.MultiDiGraph:
    """The whole graph in its networkx form (read only: it is shared between sessions)."""
    try:
        return _graph(graph_version())
    except InsiktError as exc:
        fail(exc)


@st.cache_resource(max_entries=4, show_spinner=False)
def _names(version: str, lang: str) -> views.Names:
    return views.names_of(_graph(version), lang)


def names() -> views.Names:
    return _names(graph_version(), current_lang())


def name(label: Label | str, node_id: str | None) -> str:
    return names().get(label, node_id)


def joined_names(label: Label | str, ids: Iterable[str]) -> str:
    """Display names of several nodes in the current language, '; '-separated."""
    nm = names()
    return "; ".join(nm.get(label, i) for i in ids)


@st.cache_data(max_entries=256, show_spinner=False)
def _run(version: str, query: str, params_json: str) -> tuple[tuple[str, ...], list[dict[str, Any]]]:
    from queries.catalog import run_query

    result = run_query(get_store(), query, json.loads(params_json))
    return result.columns, result.rows


def run(query: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
    """A saved query's rows, cached on the query name, its parameters and the graph version.
    Library errors (refused, failed, backend down) raise; `run_or_fail` shows them instead."""
    clean = {k: v for k, v in (params or {}).items() if v is not None}
    return _run(graph_version(), query, json.dumps(clean, sort_keys=True, default=str))[1]


def run_or_fail(query: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
    try:
        return run(query, params)
    except InsiktError as exc:
        fail(exc)


# -- empty store ---------------------------------------------------------------------------------

def load_seed() -> None:
    from loaders.load import load_dataset
    from loaders.seed import seed_dir

    with st.spinner(t("loading_seed")):
        load_dataset(get_store(), seed_dir())
    clear_caches()


def is_empty() -> bool:
    try:
        return get_store().stats().node_total == 0
    except InsiktError as exc:
        fail(exc)


def empty_state() -> None:
    """What an empty store shows: clear text, and on the embedded store a button that loads
    the seed data."""
    st.info(t("empty_store"))
    if get_store().local:
        if st.button(t("load_seed"), key="load_seed", type="primary"):
            try:
                load_seed()
            except InsiktError as exc:
                fail(exc)
            st.rerun()
    else:
        st.code("insikt --backend neo4j load seed_data", language="sh")


def require_data() -> None:
    """Pages call this first: on an empty store they show the empty state and stop."""
    if is_empty():
        empty_state()
        st.stop()


# -- output --------------------------------------------------------------------------------------

def table(df: pd.DataFrame, key: str, file_stem: str, *,
          json_rows: Sequence[Mapping[str, Any]] | None = None) -> None:
    """A table (st.dataframe shows data as text, never as HTML) with its CSV download, and
    with `json_rows` a JSON download of those rows beside it. Decimal numbers are shown in the
    page's language (0,158 in Swedish); the CSV keeps them as numbers."""
    shown = display.localize_numbers(df, current_lang())
    formatted = [str(c) for c, a, b in zip(df.columns, df.dtypes, shown.dtypes, strict=True)
                 if a != b]
    st.dataframe(shown, hide_index=True, width="stretch", key=f"df_{key}",
                 column_config={c: st.column_config.TextColumn(alignment="right")
                                for c in formatted})
    with st.container(horizontal=True):
        # Deferred: the file is made when the button is pressed, not on every rerun.
        st.download_button(t("download_csv"), lambda: display.to_csv(df),
                           file_name=f"{file_stem}.csv", mime="text/csv", key=f"dl_{key}",
                           on_click="ignore", icon=":material/download:")
        if json_rows is not None:
            download_json(json_rows, key, file_stem)


def localize_columns(df: pd.DataFrame) -> pd.DataFrame:
    """Headers in the current language (`i18n.column_label`)."""
    return df.rename(columns={c: column_label(str(c)) for c in df.columns})


NUMBER_LOCALES: dict[str, dict[str, Any]] = {
    "sv": {"decimal": ",", "thousands": "\u00a0", "grouping": [3], "currency": ["", "\u00a0kr"],
           "percent": "\u00a0%"},
    "en": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["£", ""]},
}
"""How a chart writes numbers (Vega's number locale), as Babel does in the tables."""


def localized_chart(chart: Any) -> Any:
    """An Altair chart that writes its axis and tooltip numbers the page's way (0,158)."""
    return chart.configure(locale={"number": NUMBER_LOCALES[current_lang()]})


def altair_chart(chart: Any, **kwargs: Any) -> Any:
    """`st.altair_chart` with the numbers in the page's language (`localized_chart`)."""
    return st.altair_chart(localized_chart(chart), **kwargs)


def html_view(page: str, height: int) -> None:
    """Show an HTML page (ours, with escaped data) in a sandboxed iframe. st.iframe replaces
    st.components.v1.html (deprecated in this Streamlit); older versions use the latter."""
    if hasattr(st, "iframe"):
        st.iframe(page, height=height)
    else:  # pragma: no cover - Streamlit before st.iframe
        import streamlit.components.v1 as components

        components.html(page, height=height)


def label_names() -> dict[str, str]:
    return {lb.value: t(f"label.{lb.value}") for lb in Label}


def rel_names() -> dict[str, str]:
    from graph.model import Rel

    return {r.value: r.value for r in Rel} | {subgraph.ROW_EDGE: t("row_edge")}


def cap_warnings(view: subgraph.GraphView) -> None:
    """What a view's caps left out, as warnings above it."""
    if view.cut_total:
        cut = ", ".join(f"{n} {t(f'label.{lb}')}" for lb, n in sorted(view.cut.items()))
        st.warning(t("cap_cut").format(shown=len(view.nodes), total=view.total,
                                       cut=view.cut_total, what=cut,
                                       depth=view.cut_from_depth or "-"))
    if view.edges_cut:
        st.warning(t("edges_cut").format(cut=view.edges_cut, shown=len(view.edges)))


def graph_view(view: subgraph.GraphView, key: str, height: int = 650, *,
               title: str = "", on_select: Callable[[], None] | None = None) -> None:
    """A vis-network view (in the click-to-explore component of dashboard.graph_component)
    with its cap message and a download of the same HTML, titled `title`. Labels are thinned
    out on crowded views (queries.explore.labelled); the layout is kept in the session under
    `key`, so that a rerun does not move the nodes."""
    cap_warnings(view)
    g, lang = graph(), current_lang()
    shown = explore.labelled(g, view)
    pos_key = f"_pos_{key}"
    positions = explore.initial_positions(view, st.session_state.get(pos_key, {}))
    context = network_html.PageContext(title or f"Insiktsgrafen – {key}", (
        (t("network.ctx.date"), dt.date.today().isoformat()),
        (t("network.ctx.datasets"), "; ".join(f"{d.id} {d.version}".strip()
                                              for d in datasets()))))
    page = network_html.network_html(g, view, lang, label_names(), rel_names(),
                                     height=height - 20, labelled=shown, positions=positions,
                                     context=context)
    comp_key = f"graph_{key}"

    def keep_positions() -> None:
        state = st.session_state.get(comp_key)
        value = state.get("positions") if isinstance(state, Mapping) else getattr(
            state, "positions", None)
        got = graph_component.clean_positions(value, view.nodes)
        if got:
            st.session_state[pos_key] = {**st.session_state.get(pos_key, {}), **got}

    graph_component.network(page, signature=network_html.view_signature(view, lang, shown),
                            nodes=view.nodes, key=comp_key, height=height,
                            title=context.title, on_select=on_select,
                            on_positions=keep_positions)
    st.download_button(t("download_html"), lambda: page.encode("utf-8"),
                       file_name=f"{key}.html", mime="text/html", key=f"dl_html_{key}",
                       on_click="ignore", icon=":material/download:")


def wkey(base: str) -> str:
    """The key of a widget whose label or option texts depend on the language.

    Streamlit identifies a selectbox's or radio's value by its formatted text, so after a
    language switch the browser would still hold (and show) the old language's text. Each
    language therefore gets its own key (Swedish keeps the plain one) and a switch draws the
    widget afresh, carrying its value over: the value is an id, the same in both languages."""
    lang = current_lang()
    key = base if lang == DEFAULT_LANG else f"{base}.{lang}"
    if key not in st.session_state:
        for other in LANGS:
            other_key = base if other == DEFAULT_LANG else f"{base}.{other}"
            if other_key != key and other_key in st.session_state:
                st.session_state[key] = st.session_state[other_key]
                break
    return key


def forget(base: str) -> None:
    """Drop a widget's value in every language (it falls back to its default)."""
    for lang in LANGS:
        st.session_state.pop(base if lang == DEFAULT_LANG else f"{base}.{lang}", None)


def init_state(key: str, default: Any) -> None:
    """A widget's first value, set through the state so that no default is also passed."""
    if key not in st.session_state:
        st.session_state[key] = default


def ensure_choice(key: str, options: Sequence[Any], default: Any) -> None:
    """Give a keyed selectbox a valid value before it is drawn: keep the current one when it is
    still among the options (filters change them), else take `default` (else the first)."""
    if key in st.session_state and st.session_state[key] in options:
        return
    st.session_state[key] = default if default in options else (options[0] if options else None)


def select_node(label: Label | str, key: str, *, optional: bool = False,
                default: str | None = None, title: str | None = None,
                ids: Sequence[str] | None = None, container: Any = None,
                help: str | None = None) -> str | None:
    """A selectbox of node ids shown by name; with `optional`, a first "all" choice (None)."""
    box = container or st
    options: list[str] = list(ids if ids is not None else names().options(label))
    if optional:
        options = [ANY, *options]
    key = wkey(key)
    ensure_choice(key, options, ANY if default is None and optional else default)
    # Texts are fixed now: a format_func must not depend on state read when it is called.
    node_names, any_text = names(), t("any")
    fmt: Callable[[str], str] = (  # noqa: E731
        lambda i: any_text if i == ANY else node_names.get(label, i))
    value: str = box.selectbox(title or t(f"label.{label}"), options, format_func=fmt, key=key,
                               help=help)
    return None if value == ANY else value


def download_json(rows: Sequence[Mapping[str, Any]], key: str, file_stem: str) -> None:
    st.download_button(t("download_json"), lambda: display.to_json(list(map(dict, rows))),
                       file_name=f"{file_stem}.json", mime="application/json",
                       key=f"dl_json_{key}", on_click="ignore", icon=":material/download:")


@st.cache_data(max_entries=8, show_spinner=False)
def _burdens(version: str) -> tuple[JourneyBurden, ...]:
    return burden(_graph(version))


def burdens() -> tuple[JourneyBurden, ...]:
    """The journey burden ranking of the current graph (queries.analytics.burden)."""
    return _burdens(graph_version())


def burden_index() -> dict[str, float]:
    return {b.life_event: float(b.index) for b in burdens()}


@st.cache_data(max_entries=8, show_spinner=False)
def _collaboration(version: str, include_status: str | None) -> views.Collaboration:
    return views.collaboration(_graph(version), include_status=include_status)


def collaboration(include_status: str | None = None) -> views.Collaboration:
    """Communities, similarity, reach and bridges (queries.analytics), cached on the graph
    version and the status switch."""
    try:
        return _collaboration(graph_version(), include_status)
    except InsiktError as exc:
        fail(exc)


def include_status_switch(key: str) -> str | None:
    """The "include proposed" switch of the overlap, overview and collaboration pages: the
    `include_status` value of the overlap queries and analyses (None: active insights only;
    "all": proposed, disputed and superseded ones too)."""
    on = st.toggle(t("overlap.include_proposed"), key=key, help=t("overlap.include_proposed_help"))
    return "all" if on else None


def showing(result_rows: Sequence[Mapping[str, Any]]) -> None:
    """"Showing X of TOTAL pairs" under a paged query's table (rows with a `total` column)."""
    if result_rows and "total" in result_rows[0]:
        st.caption(t("overlap.showing").format(shown=len(result_rows),
                                               total=result_rows[0]["total"]))


def kind(value: Any) -> str:
    return t(f"kind.{value}") if value in ("general", "specific") else str(value or "")


def status(value: Any) -> str:
    """An insight's status in the page's language (an unknown value as it is)."""
    key = f"status.{value or 'active'}"
    return t(key) if key in STRINGS_SV else str(value)


def report_downloads() -> None:
    """The governance report (queries.report) as HTML and Markdown downloads in the page's
    language, made only when a button is pressed."""
    from queries.report import build_report, render_html, render_markdown

    g, lang = graph(), current_lang()
    stem = "insiktsgrafen-report" if lang == "en" else "insiktsgrafen-rapport"
    with st.container(horizontal=True):
        st.download_button(t("download_report_html"),
                           lambda: render_html(build_report(g, lang=lang)).encode("utf-8"),
                           file_name=f"{stem}.html", mime="text/html",
                           key="dl_report_html", on_click="ignore", icon=":material/download:")
        st.download_button(t("download_report_md"),
                           lambda: render_markdown(build_report(g, lang=lang)).encode("utf-8"),
                           file_name=f"{stem}.md", mime="text/markdown",
                           key="dl_report_md", on_click="ignore", icon=":material/download:")


def report_section() -> None:
    """The governance report's heading, what it holds and its downloads (Overview and
    Collaboration both offer it)."""
    st.subheader(t("report.title"))
    st.caption(t("report.help"))
    report_downloads()
