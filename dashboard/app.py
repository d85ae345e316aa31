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

from dashboard import ui
from dashboard.display import escape_md
from dashboard.i18n import LANG_KEY, LANGS, t
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
    ("datasets.py", "page.datasets", ":material/history:", "dataset"),
)


def sidebar() -> None:
    st.sidebar.radio(t("language"), LANGS, key=LANG_KEY, horizontal=True,
                     format_func=lambda lang: t(f"lang.{lang}", lang))
    store = ui.get_store()
    st.sidebar.caption(f"**{t('sidebar.backend')}:** {escape_md(store.describe())}")
    infos = ui.datasets()
    if not infos:
        st.sidebar.caption(t("sidebar.no_datasets"))
        return
    lines = [t("sidebar.dataset_line").format(
        id=escape_md(d.id), nodes=d.nodes, rels=d.relationships,
        at=escape_md(d.loaded_at.replace("T", " ").replace("+00:00", " UTC")))
        for d in infos]
    st.sidebar.caption(f"**{t('sidebar.loaded')}:**  \n" + "  \n".join(lines))


def main() -> None:
    # The favicon is a local file: without one, Streamlit would use the page's ":material/…:"
    # icon as the favicon and fetch it from fonts.gstatic.com (the app must stay offline).
    st.set_page_config(page_title="Insiktsgrafen", page_icon=str(FAVICON), layout="wide")
    pages = [st.Page(VIEWS / file, title=t(title), icon=icon, url_path=path,
                     default=(i == 0))
             for i, (file, title, icon, path) in enumerate(PAGES)]
    page = st.navigation(pages)
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
