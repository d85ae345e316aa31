"""The network HTML is offline (no http(s) script or link; vis-network inlined from the pyvis
package) and every text from the data is escaped, proven on a dataset of XSS payloads. The
pages that put data into markdown escape it too."""

from __future__ import annotations

import html
import re
from pathlib import Path

import networkx as nx
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import display, network_html
from dashboard.i18n import SV
from graph.embedded import EmbeddedStore
from queries import subgraph
from tests.dashboard.conftest import APP, network_frames, value

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<img src=y onerror=alert(7)>",
    '"><svg onload=alert(2)>',
    "</script><script>alert(5)</script>",
    "<script>alert(6)</script>",
    '<a href="javascript:alert(3)">',
    "<b onmouseover=alert(8)>",
    '<iframe src="https://evil.example/">',
    "<style>body{display:none}</style>",
]
LABELS = {lb: SV[f"label.{lb}"] for lb in subgraph.LABEL_ORDER}
EXTERNAL = re.compile(r"<(script|link)\b[^>]*\b(src|href)\s*=\s*[\"']?\s*(https?:)?//", re.I)


def graph_of(path: Path) -> nx.MultiDiGraph:
    return EmbeddedStore(path).to_networkx()


def whole(g: nx.MultiDiGraph) -> subgraph.GraphView:
    return subgraph.neighbourhood(g, "LifeEvent:handelse" if "LifeEvent:handelse" in g else
                               "LifeEvent:nar-nagon-har-dott", 6, subgraph.LABEL_ORDER)


@pytest.fixture(scope="module")
def seed_page(seed_store_file: Path) -> str:
    g = graph_of(seed_store_file)
    return network_html.network_html(g, whole(g), "sv", LABELS)


@pytest.fixture(scope="module")
def xss_page(xss_store_file: Path) -> str:
    g = graph_of(xss_store_file)
    view = whole(g)
    assert len(view.nodes) == g.number_of_nodes()  # every hostile node is in the view
    return network_html.network_html(g, view, "sv", LABELS)


def test_network_html_is_offline(seed_page: str) -> None:
    assert not EXTERNAL.search(seed_page)
    assert "<script src=\"http" not in seed_page and "<link href=\"http" not in seed_page
    assert not re.search(r"\b(src|href)\s*=\s*[\"']?\s*https://", seed_page)
    assert "bootstrap" not in seed_page.lower()
    assert network_html.external_refs(seed_page) == []


def test_vis_network_comes_from_the_pyvis_package(seed_page: str) -> None:
    import pyvis

    lib = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2" / "vis-network.min.js"
    js = lib.read_text(encoding="utf-8")
    assert js[:2000] in seed_page and js[-2000:] in seed_page


def test_physics_stops_once_the_layout_is_stable(seed_page: str) -> None:
    assert 'network.once("stabilizationIterationsDone", off)' in seed_page
    assert "network.setOptions({physics: false})" in seed_page


def test_strip_external_removes_cdn_tags() -> None:
    page = ('<head><link rel="stylesheet" href="https://cdn.example/x.css" />'
            '<script src="http://cdn.example/x.js" integrity="x"></script>'
            "<script src='//cdn.example/y.js'></script><script>var a = 1;</script></head>")
    out = network_html.strip_external(page)
    assert out == "<head><script>var a = 1;</script></head>"
    assert network_html.external_refs(page) and not network_html.external_refs(out)


def test_network_html_escapes_every_payload(xss_page: str, seed_page: str) -> None:
    for payload in PAYLOADS:
        assert payload not in xss_page, payload
    # the hostile names and statements are there, only in escaped form (HTML entities,
    # themselves JSON-escaped by pyvis): the text is shown, never run
    assert "\\u0026lt;script\\u0026gt;alert(1)\\u0026lt;/script\\u0026gt;" in xss_page
    assert "\\u0026lt;img src=x onerror=alert(1)\\u0026gt;" in xss_page
    # no data added a tag: as many <script and </script as in the seed page
    for tag in ("<script", "</script", "<img", "<svg", "<iframe", "<style", "<a "):
        assert xss_page.count(tag) == seed_page.count(tag), tag


def test_tooltip_and_markdown_escaping() -> None:
    attrs = {"label": "Insight", "id": "x", "title": "<b>t</b>",
             "statement": "<img src=x onerror=alert(1)>", "kind": "specific"}
    tip = network_html.tooltip(attrs, "sv", LABELS)
    assert "<img" not in tip and html.escape("<img src=x onerror=alert(1)>") in tip
    assert tip.startswith("<b>Insikt</b><br><b>&lt;b&gt;t&lt;/b&gt;</b>")
    # a title that mentions href must not switch pyvis to its raw-innerHTML tooltip mode
    assert "href" not in network_html.tooltip({**attrs, "statement": '<a href="x">'}, "sv", LABELS)
    md = display.escape_md('[x](https://evil.example) ![i](https://evil.example/i.png) <b>')
    assert "](" not in md and "<b>" not in md and "&lt;b&gt;" in md


@pytest.mark.parametrize("page", ["views/overview.py", "views/overlap.py", "views/network.py",
                                  "views/life_events.py", "views/principles.py",
                                  "views/collaboration.py", "views/queries.py"])
def test_pages_show_hostile_data_as_text(xss_env: Path, page: str) -> None:
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    if page == "views/life_events.py":
        at.selectbox(key="le_pick").set_value("handelse").run()
        assert "svg" in at.subheader[0].value  # the name is shown …
    markdown = [str(value(e)) for kind in ("markdown", "caption", "title", "subheader",
                                          "info", "warning", "error", "success")
                for e in at.get(kind)]
    markdown += [str(value(e)) for e in at.sidebar.get("caption")]
    markdown += [str(e.label) for e in at.expander]  # expander labels are markdown too
    if page == "views/collaboration.py":  # the hostile agency is in a suggested network
        assert any("alert" in e.label for e in at.expander)
    for text in markdown:  # … but never as markup
        for tag in ("<script", "<img", "<svg", "<iframe", "<style", "<a ", "<b "):
            assert tag not in text, (page, text)
    frames = network_frames(at)
    if page == "views/network.py":
        assert frames, "the network page mounts the click-to-explore component"
    for frame in frames:
        srcdoc = frame["html"]
        assert not network_html.external_refs(srcdoc)
        for payload in PAYLOADS:
            assert payload not in srcdoc
