"""Both languages all the way: every page (every file in dashboard/views/, so a page added
later is walked too) and every saved query on the Queries page, in Swedish and in English,
with every visible string checked for what a missing translation looks like:

- a raw catalog key (`col.title`, `overview.intro`) shown instead of its text;
- the other language's UI text: a catalog string of only one language (`i18n.SV`/`EN`, the
  saved queries' texts in `queries.texts`) on a page in the other, or a word of the other
  language's vocabulary in the page's own words (labels, headings, captions, alerts, help,
  chart titles): words the other catalog uses often and this one never;
- a table header that is a raw column name (`agency_a`) or the other language's label;
- a slug (a node id such as `forsakringskassan`) in a column that is not an id column;
- a decimal number written the other language's way (0.158 in Swedish, 0,158 in English),
  in text, tables or a chart (whose Vega number locale must be the page's: `ui.altair_chart`).

The strings are read from Streamlit's element tree (AppTest): titles, texts, alerts, metrics,
widget labels, options and help, expander and tab labels, table headers and cells, and the
titles inside charts (their Vega-Lite spec). Code blocks are left out: they quote system
output (`ui.show_error`) or Cypher, apart from the page's own words.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.i18n import EN, SV
from graph.store import apply_graph_data
from loaders.dataset import read_dataset
from queries import texts as query_texts
from queries.catalog import all_queries
from tests.conftest import ROOT, SEED
from tests.dashboard.conftest import APP

TIMEOUT = 60
VIEWS = sorted(p.name for p in (ROOT / "dashboard" / "views").glob("*.py")
               if p.name != "__init__.py")
OTHER = {"sv": "en", "en": "sv"}
BILINGUAL = {"language", "lang.sv", "lang.en", "app_title"}
"""Keys meant to read the same in both languages (the language switch names both)."""
KEY = re.compile(r"\b[a-z][a-z_]*(?:\.[a-zA-Z][\w-]*)+\b")
SNAKE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$")
DECIMAL = {"sv": re.compile(r"^-?\d+\.\d+$"), "en": re.compile(r"^-?\d+,\d+$")}
WORD = re.compile(r"[A-Za-zÅÄÖåäöé]+")
NOT_PROSE = re.compile(r"`[^`]*`|\S*[/\\@]\S*|\S+\.(?:json|yaml|csv|html|md|db)\b")
"""Code spans, paths, URLs and file names: data, not words of the page's language."""


@dataclass(frozen=True)
class Shown:
    """One visible string: where it is (element type, what part) and the text."""

    where: str
    text: str


@dataclass(frozen=True)
class Table:
    where: str
    frame: pd.DataFrame


def _chart_titles(spec: Any) -> Iterator[str]:
    """Every `title` in a Vega-Lite spec (chart, axis, legend and tooltip titles)."""
    if isinstance(spec, dict):
        for k, v in spec.items():
            if k == "title" and isinstance(v, str):
                yield v
            elif k == "title" and isinstance(v, dict) and isinstance(v.get("text"), str):
                yield v["text"]
            else:
                yield from _chart_titles(v)
    elif isinstance(spec, list):
        for v in spec:
            yield from _chart_titles(v)


def visible(at: AppTest) -> tuple[list[Shown], list[Table]]:
    """Every string and table the page shows (main area and sidebar)."""
    strings: list[Shown] = []
    tables: list[Table] = []

    def add(where: str, value: Any) -> None:
        if isinstance(value, str) and value.strip():
            strings.append(Shown(where, value))

    def walk(node: Any) -> None:
        kind = str(getattr(node, "type", type(node).__name__))
        children = getattr(node, "children", None)
        if children is not None:  # a block: expanders and tabs have labels
            add(f"{kind}.label", getattr(node, "label", None))
            for child in children.values():
                walk(child)
            return
        if kind in ("code", "iframe", "html"):
            return  # quoted system output / Cypher, or our own escaped HTML views
        if kind in ("dataframe", "arrow_data_frame", "table"):
            tables.append(Table(kind, node.value))
            return
        proto = getattr(node, "proto", None)
        spec = getattr(proto, "spec", None)
        if isinstance(spec, str) and spec.startswith("{"):
            parsed = json.loads(spec)
            for title in _chart_titles(parsed):
                add(f"{kind}.chart_title", title)
            decimal = parsed.get("config", {}).get("locale", {}).get("number", {}).get("decimal")
            add("chart.decimal", f"chart decimal mark {decimal or 'unset'}")
            return
        for part in ("label", "help", "placeholder"):
            add(f"{kind}.{part}", getattr(node, part, None))
        if kind in ("markdown", "caption", "title", "header", "subheader", "info", "warning",
                    "error", "success", "metric", "text"):
            add(f"{kind}.value", node.value)
        for option in getattr(node, "options", None) or ():
            add(f"{kind}.option", option)

    walk(at._tree)
    return strings, tables


@pytest.fixture(scope="module")
def seed_ids() -> set[str]:
    """Slugs of the seed's nodes that no name in either language is equal to."""
    g = nx.MultiDiGraph()
    apply_graph_data(g, read_dataset(SEED))
    from queries.views import names_of

    names = {n for lang in ("sv", "en") for by in names_of(g, lang).by_label.values()
             for n in by.values()}
    return {str(a["id"]) for _, a in g.nodes(data=True)} - names


def one_language(lang: str) -> set[str]:
    """The catalog strings of `lang` that the other language writes differently (long enough
    to be unambiguous): any of them on a page in the other language is untranslated."""
    mine, theirs = (SV, EN) if lang == "sv" else (EN, SV)
    out = {v for k, v in mine.items() if k not in BILINGUAL and theirs.get(k) != v}
    for q in all_queries():
        out |= {query_texts.title(q, lang), query_texts.description(q, lang)}
        for p in q.params:
            out.add(query_texts.param_help(p, lang))
    other = {v for v in (theirs.values())}
    return {s for s in out if len(s) >= 14 and " " in s and s not in other}


def foreign_words(lang: str) -> set[str]:
    """Words the other language's catalog uses often and `lang`'s never (English 'the',
    'agencies'; Swedish 'och', 'myndigheter'): on a page in `lang` they betray a string of
    the other language, wherever it was added."""
    mine, theirs = (SV, EN) if lang == "sv" else (EN, SV)
    own = {w.casefold() for v in mine.values() for w in WORD.findall(v)}
    own |= {w.casefold() for q in all_queries()
            for w in WORD.findall(query_texts.description(q, lang))}
    counts = Counter(w.casefold() for v in theirs.values() for w in set(WORD.findall(v)))
    return {w for w, n in counts.items() if n >= 3 and w not in own and len(w) >= 3}


def header_labels(lang: str) -> set[str]:
    """Every header text the catalogs have in `lang`."""
    table = SV if lang == "sv" else EN
    return ({v for k, v in table.items() if k.startswith("col.")}
            | {query_texts.column_label(c, lang) for c in query_texts.FIELDS})


def problems(at: AppTest, lang: str, seed_ids: set[str]) -> list[str]:
    """Everything on the page that betrays a missing translation (see the module doc)."""
    strings, tables = visible(at)
    found: list[str] = []
    keys = set(SV) | set(EN)
    foreign = one_language(OTHER[lang])
    words = foreign_words(lang)
    mine, theirs = header_labels(lang), header_labels(OTHER[lang])
    wanted_mark = {"sv": ",", "en": "."}[lang]
    for s in strings:
        if s.where == "chart.decimal":  # charts write numbers the page's way (ui.altair_chart)
            if s.text != f"chart decimal mark {wanted_mark}":
                found.append(f"a chart has {s.text!r}, not {wanted_mark!r}")
            continue
        text = s.text.replace("\\", "")  # markdown escapes
        found += [f"{s.where}: raw key {k!r}" for k in KEY.findall(text) if k in keys]
        found += [f"{s.where}: {lang} page shows {OTHER[lang]} text {f!r}"
                  for f in foreign if f in text]
        if s.where.endswith((".label", ".help", ".chart_title")) or s.where.split(".")[0] in (
                "title", "header", "subheader", "caption", "info", "warning", "error",
                "success"):
            hits = {w for w in WORD.findall(NOT_PROSE.sub(" ", text)) if w.casefold() in words}
            if hits:
                found.append(f"{s.where}: {OTHER[lang]} words {sorted(hits)} in {text[:120]!r}")
        if DECIMAL[lang].match(text.strip()):
            found.append(f"{s.where}: number written the other way: {text!r}")
    for tb in tables:
        for col in tb.frame.columns:
            header = str(col)
            if SNAKE.match(header) or header in keys:
                found.append(f"table: raw header {header!r}")
            elif header in theirs and header not in mine:
                found.append(f"table: {OTHER[lang]} header {header!r}")
            is_id = bool(re.search(r"\bids?\b|-id\b", header, re.IGNORECASE))
            for v in tb.frame[col].head(60):
                cells = str(v).split("; ") if isinstance(v, str) else [v]
                if not is_id:
                    slugs = {c for c in cells if isinstance(c, str) and c in seed_ids}
                    if slugs:
                        found.append(f"table: column {header!r} shows slugs {sorted(slugs)[:3]}")
                        break
                if isinstance(v, str) and DECIMAL[lang].match(v.strip()):
                    found.append(f"table: column {header!r} writes {v!r} the other way")
                    break
    return found


def run_page(page: str, lang: str, **params: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.query_params.update({"lang": lang, **params})
    at.run()
    at.switch_page(f"views/{page}")
    at.query_params.update({"lang": lang, **params})
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("page", VIEWS)
def test_every_page_speaks_one_language(seed_env: Path, seed_ids: set[str], page: str,
                                        lang: str) -> None:
    at = run_page(page, lang)
    assert at.query_params.get("lang") == lang  # and the URL keeps it
    assert problems(at, lang, seed_ids) == []


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("query", sorted(q.name for q in all_queries() if q.has_twin))
def test_every_saved_query_speaks_one_language(seed_env: Path, seed_ids: set[str], query: str,
                                               lang: str) -> None:
    q = next(x for x in all_queries() if x.name == query)
    at = run_page("queries.py", lang, query=query, **q.example)
    assert at.query_params.get("query") == query and at.query_params.get("lang") == lang
    assert problems(at, lang, seed_ids) == []


def test_the_walk_finds_untranslated_text(seed_env: Path, seed_ids: set[str]) -> None:
    """The checks catch what they are for: a Swedish page with English, a raw key, a raw
    header, slugs in a name column and a decimal point (built here, on a real page run)."""
    at = run_page("overview.py", "sv")
    strings, _ = visible(at)
    assert any(s.where == "title.value" and s.text == SV["page.overview"] for s in strings)
    assert any(s.where.endswith("chart_title") and s.text == SV["col.index"] for s in strings)
    fake = AppTest.from_string(
        "import streamlit as st, pandas as pd\n"
        f"st.caption({EN['overview.shared_help']!r})\n"
        "st.subheader('Shows the agencies and their insights')\n"
        "st.markdown('col.title')\n"
        "st.metric('Modularitet', '0.158')\n"
        "st.altair_chart(__import__('altair').Chart(pd.DataFrame({'x': [0.5]})).mark_bar()"
        ".encode(x='x:Q'))\n"
        "st.dataframe(pd.DataFrame({'agency_a': [1], 'Myndighet': ['forsakringskassan'],"
        " 'Jaccard': ['0.5']}))\n", default_timeout=TIMEOUT).run()
    found = problems(fake, "sv", seed_ids | {"forsakringskassan"})
    assert any("shows en text" in f for f in found), found
    assert any("en words" in f and "agencies" in f for f in found), found
    assert any("raw key 'col.title'" in f for f in found), found
    assert any("number written the other way" in f for f in found), found
    assert any("raw header 'agency_a'" in f for f in found), found
    assert any("shows slugs ['forsakringskassan']" in f for f in found), found
    assert any("writes '0.5' the other way" in f for f in found), found
    assert any("a chart has 'chart decimal mark unset'" in f for f in found), found


def test_hostile_lang_in_the_url_is_ignored(seed_env: Path) -> None:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.query_params.update({"lang": "<script>"})
    at.run()
    assert not at.exception
    assert at.title[0].value == SV["page.overview"]
    assert at.query_params.get("lang") == "sv"  # replaced by the language in use


def test_the_language_survives_a_reload_and_a_deep_link(seed_env: Path) -> None:
    """A switch writes lang=en into the URL; a new session from that URL (a reload, a link)
    opens in English, and the Queries page's own URL keeps it beside its parameters."""
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    at.radio(key="lang").set_value("en").run()
    assert at.query_params.get("lang") == "en"
    again = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    again.query_params.update(dict(at.query_params))
    again.run()
    assert again.title[0].value == EN["page.overview"]
    link = run_page("queries.py", "en", query="journey", life_event="fa-barn")
    assert link.title[0].value == EN["page.queries"]
    assert dict(link.query_params) == {"query": "journey", "life_event": "fa-barn", "lang": "en"}
