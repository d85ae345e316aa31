"""The Cypher console's own pieces beside the Queries page's result display: syntax errors
shown in the analyst's text with a caret, and, on the embedded default, one button that starts
the local Neo4j, loads the same datasets into it (loaders.local_neo4j, as `insikt neo4j start
--load` does) and switches the console to it for this session."""

from __future__ import annotations

import streamlit as st

from dashboard import ui
from dashboard.display import escape_md
from dashboard.i18n import t
from graph.errors import CypherSyntaxError, InsiktError
from graph.store import GraphStore

SESSION_URI = "console_neo4j_uri"
"""The URI of the local Neo4j this session's console switched to (no secrets)."""


@st.cache_resource(max_entries=2, show_spinner=False)
def _local_store(uri: str) -> GraphStore:
    from loaders.local_neo4j import open_local

    return open_local(uri)


def console_store() -> GraphStore:
    """The store the console runs on: the local Neo4j once this session switched to it,
    else the page's store."""
    uri = st.session_state.get(SESSION_URI)
    if isinstance(uri, str):
        try:
            return _local_store(uri)
        except InsiktError as exc:  # the server went away: back to the page's store
            st.session_state.pop(SESSION_URI, None)
            st.warning(f"{t('error')}: {escape_md(exc)}")
    return ui.get_store()


def switched_note() -> None:
    """On Neo4j for this session only: say so, with a way back."""
    uri = st.session_state.get(SESSION_URI)
    if not isinstance(uri, str):
        return
    st.caption(t("gov.console_on_neo4j").format(uri=escape_md(uri)))
    if st.button(t("gov.console_back"), key="cy_back"):
        st.session_state.pop(SESSION_URI, None)
        st.session_state.pop("cy_result", None)
        st.rerun()


def offer_neo4j() -> None:
    """On the embedded store: what the console needs, the CLI command, and the button."""
    from loaders.local_neo4j import datasets_to_copy, start_and_load

    st.info(t("gov.console_embedded"))
    st.code("insikt neo4j start --load", language="sh")
    if not st.button(t("gov.console_start"), key="cy_start_neo4j", type="primary",
                     icon=":material/play_arrow:"):
        return
    source = ui.get_store()
    try:
        n = len(datasets_to_copy(source))
        with st.spinner(t("gov.console_starting").format(n=n)):
            started = start_and_load(source)
    except InsiktError as exc:
        st.error(f"{t('error')}: {escape_md(exc)}")
        return
    st.session_state[SESSION_URI] = started.uri
    st.session_state["cy_started"] = len(started.copied)
    st.rerun()


def started_note() -> None:
    """Right after the switch: the server's URI and how many datasets were loaded."""
    n = st.session_state.pop("cy_started", None)
    uri = st.session_state.get(SESSION_URI)
    if n is not None and isinstance(uri, str):
        st.success(t("gov.console_started").format(uri=escape_md(uri), n=n))


def show_syntax_error(exc: CypherSyntaxError) -> None:
    """The server's reason, the line and column in the analyst's text, and that line with a
    caret under the spot (a code block: monospace, and its text is not Markdown)."""
    st.warning(f"{t('queries.refused')}: {escape_md(exc.reason)} · "
               + t("gov.syntax_at").format(line=exc.line, column=exc.column))
    st.code(exc.excerpt(), language=None)
