"""Insiktsgrafen's dashboard: `insikt dashboard`, or `streamlit run dashboard/app.py` (with
the project installed, e.g. by `make setup`: the app imports it as packages).

The entry point sets up the page, the sidebar (language, the backend in use and what is
loaded) and the navigation; each page is a thin file under dashboard/views/ (not pages/:
a pages/ folder next to the entry point would switch Streamlit to its older multipage mode).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import streamlit as st

from dashboard import ui, url_state
from dashboard.display import escape_md, number
from dashboard.i18n import DEFAULT_LANG, LANG_KEY, LANGS, current_lang, t
from graph.errors import InsiktError

# Package data, found where the package is installed (editable or not). Streamlit wants
# file paths, and pip installs unzipped, so the resources are real files.
VIEWS = Path(str(resources.files("dashboard") / "views"))
FAVICON = Path(str(resources.files("dashboard") / "assets" / "favicon.png"))

# (file, title key, icon, url path). The url paths are the same in both languages.
PAGES: tuple[tuple[str, str, str, str], ...] = (
    ("overview.py", "page.overview", ":material/dashboard:", "oversikt"),
    ("overlap.py", "page.overlap", ":material/grid_on:", "overlapp"),
    ("network.py", "page.network", ":material/hub:", "natverk"),
    ("life_events.py", "page.life_events", ":material/route:", "livshandelser"),
    ("principles.py", "page.principles", ":material/rule:", "principer"),
    ("collaboration.py", "page.collaboration", ":material/groups:", "samverkan"),
    ("queries.py", "page.queries", ":material/manage_search:", "fragor"),
    ("curation.py", "page.curation", ":material/fact_check:", "kurering"),
    ("card.py", "page.card", ":material/badge:", "insiktskort"),
    ("datasets.py", "page.datasets", ":material/history:", "dataset"),
)


def first_language() -> None:
    """On a session's first run (a link or a reload), the language the URL names."""
    if LANG_KEY not in st.session_state:
        st.session_state[LANG_KEY] = (url_state.lang_from_url(st.query_params.to_dict(), LANGS)
                                      or DEFAULT_LANG)


def language() -> None:
    """The language: from the URL on a session's first run (a link or a reload), then from
    the sidebar; the URL always holds it, so links and reloads keep it. A value in the URL
    that is not a language is ignored (and replaced)."""
    lang = st.sidebar.radio(t("language"), LANGS, key=LANG_KEY, horizontal=True,
                            format_func=lambda lang: t(f"lang.{lang}", lang))
    if st.query_params.get(url_state.LANG_KEY) != lang:
        st.query_params[url_state.LANG_KEY] = lang


def sidebar() -> None:
    store = ui.get_store()
    st.sidebar.caption(f"**{t('sidebar.backend')}:** {escape_md(ui.store_text(store))}")
    infos = ui.datasets()
    if not infos:
        st.sidebar.caption(t("sidebar.no_datasets"))
        return
    lang = current_lang()
    lines = [t("sidebar.dataset_line").format(
        id=escape_md(d.id), nodes=number(d.nodes, lang), rels=number(d.relationships, lang),
        at=escape_md(d.loaded_at.replace("T", " ").replace("+00:00", " UTC")))
        for d in infos]
    st.sidebar.caption(f"**{t('sidebar.loaded')}:**  \n" + "  \n".join(lines))


def main() -> None:
    # The favicon is a local file: without one, Streamlit would use the page's ":material/…:"
    # icon as the favicon and fetch it from fonts.gstatic.com (the app must stay offline).
    st.set_page_config(page_title="Insiktsgrafen", page_icon=str(FAVICON), layout="wide")
    first_language()
    pages = [st.Page(VIEWS / file, title=t(title), icon=icon, url_path=path,
                     default=(i == 0))
             for i, (file, title, icon, path) in enumerate(PAGES)]
    page = st.navigation(pages)
    language()
    try:
        sidebar()
    except InsiktError as exc:  # the backend is unreachable or the store unreadable
        ui.fail(exc)
    if ui.is_empty():
        st.title(t("app_title"))
        ui.empty_state()
        return
    page.run()


main()
