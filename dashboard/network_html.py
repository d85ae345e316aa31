"""The network page's HTML: a standalone vis-network page, offline and escaped.

`network_html` produces the final page (JavaScript inlined from the pyvis package, no http(s)
script or link, every data text HTML-escaped). Our own style, legend and script are the
template dashboard/templates/network.html.j2 (Jinja2, autoescape), put in before </body>.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx

from graph.walk import display_name, localized
from queries.subgraph import LABEL_ORDER, ROW_EDGE, GraphView, ViewEdge
from queries.templating import render

from .display import short

LABEL_COLOURS: dict[str, str] = {
    "Agency": "#1f77b4",
    "Insight": "#d62728",
    "LifeEvent": "#2ca02c",
    "Principle": "#9467bd",
    "JourneyStep": "#ff7f0e",
    "Domain": "#17becf",
    "Source": "#8c8c8c",
}

_TOOLTIP_TEXT = {"Insight": "statement", "LifeEvent": "description", "Principle": "description"}

_TOOLTIP_PLAIN = ("kind", "status", "role", "short_name", "org_nr", "date", "feedback")

_EXTERNAL_TAG = re.compile(
    r"<link\b[^>]*\bhref\s*=\s*[\"']?\s*(?:https?:)?//[^>]*>"
    r"|<script\b[^>]*\bsrc\s*=\s*[\"']?\s*(?:https?:)?//[^>]*>\s*</script\s*>",
    re.IGNORECASE | re.DOTALL)

_EXTERNAL_REF = re.compile(r"\b(?:src|href)\s*=\s*[\"']?\s*(?:https?:)?//", re.IGNORECASE)

_EMPTY_HEADING = re.compile(r"<center>\s*<h1>\s*</h1>\s*</center>", re.IGNORECASE)

def strip_external(page: str) -> str:
    """Remove every <link href="http(s)://…"> and <script src="http(s)://…"></script> (pyvis's
    template pulls Bootstrap from a CDN even with inlined resources) and pyvis's empty headings."""
    return _EMPTY_HEADING.sub("", _EXTERNAL_TAG.sub("", page))

def external_refs(page: str) -> list[str]:
    """Every src= or href= that points to another host (http, https or protocol-relative)."""
    return [m.group(0) for m in _EXTERNAL_REF.finditer(page)]

def tooltip(attrs: Mapping[str, Any], lang: str, label_names: Mapping[str, str]) -> str:
    """A node's tooltip as HTML: our own <b> and <br> around data that is HTML-escaped."""
    label = str(attrs.get("label", ""))
    lines = [f"<b>{html.escape(label_names.get(label, label))}</b>",
             f"<b>{html.escape(display_name(attrs, lang))}</b>",
             f"id: {html.escape(str(attrs.get('id', '')))}"]
    text_field = _TOOLTIP_TEXT.get(label)
    if text_field:
        text = localized(attrs, text_field, lang)
        if text:
            lines.append(html.escape(short(text, 300)))
    for key in _TOOLTIP_PLAIN:
        if attrs.get(key) not in (None, ""):
            lines.append(f"{html.escape(key)}: {html.escape(str(attrs[key]))}")
    if attrs.get("customer_carries"):
        lines.append("carries: " + html.escape(", ".join(map(str, attrs["customer_carries"]))))
    return _no_href("<br>".join(lines))

def _no_href(text: str) -> str:
    """pyvis switches to a tooltip mode that sets innerHTML from the raw title whenever a
    title contains 'href'; write the h as an entity so that mode never turns on."""
    return re.sub("href", "&#104;ref", text, flags=re.IGNORECASE)

def edge_tooltip(e: ViewEdge, rel_names: Mapping[str, str]) -> str:
    parts = [html.escape(rel_names.get(e.type, e.type))]
    parts += [f"{html.escape(k)}: {html.escape(str(v))}" for k, v in sorted(e.props.items())]
    return _no_href("<br>".join(parts))


@functools.lru_cache(maxsize=2)
def _pyvis_templates(folder: str) -> Any:
    """One Jinja environment for pyvis's own templates: pyvis makes a new one per Network,
    which compiles its template (with vis-network inlined) again on every page, about 0.4 s
    of each rerun of a graph page; a shared one compiles it once."""
    from jinja2 import Environment, FileSystemLoader

    return Environment(loader=FileSystemLoader(folder))


@dataclass(frozen=True)
class PageContext:
    """What a downloaded page says about itself: its <title> and a line of (what, value)
    pairs such as the focus, the depth, the filters, the date and the dataset versions."""

    title: str
    items: tuple[tuple[str, str], ...] = ()


def view_signature(view: GraphView, lang: str, labelled: Iterable[str] | None = None) -> str:
    """A short hash of what a view draws (nodes, edges, labels, language), not of where the
    nodes are: the click-to-explore component keeps its page while the signature stays."""
    doc = json.dumps([lang, view.nodes, [(e.start, e.end, e.type) for e in view.edges],
                      sorted(labelled) if labelled is not None else None, view.focus])
    return hashlib.sha256(doc.encode("utf-8")).hexdigest()[:16]


def network_html(g: nx.MultiDiGraph, view: GraphView, lang: str,
                 label_names: Mapping[str, str], rel_names: Mapping[str, str] | None = None,
                 height: int = 650, *, labelled: Iterable[str] | None = None,
                 positions: Mapping[str, tuple[float, float]] | None = None,
                 context: PageContext | None = None) -> str:
    """The final, standalone HTML of a vis-network view: the same string is shown in the app
    and offered as a download. Offline: pyvis inlines vis-network from its own package files
    (cdn_resources="in_line") and every http(s) <script>/<link> of its template is removed.
    Safe: labels and tooltips are HTML-escaped before pyvis embeds them (as JSON that escapes
    <, > and & again). Physics runs until the layout is stable and is then switched off.

    `labelled`: the nodes that keep their label (None: all; the rest show their name on
    hover). `positions`: where nodes start (from an earlier layout); those nodes stay put
    while the others find their place, and with every node placed there is no physics at all.
    `context`: the page's title and context line (what, focus, depth, date, datasets)."""
    from pyvis.network import Network

    rel_names = rel_names or {}
    net = Network(height=f"{height}px", width="100%", directed=True, cdn_resources="in_line",
                  bgcolor="#ffffff", font_color="#262730")
    net.templateEnv = _pyvis_templates(net.template_dir)
    counts: dict[str, int] = defaultdict(int)
    shown_labels = None if labelled is None else set(labelled)
    positions = positions or {}
    for n in view.nodes:
        a = g.nodes[n]
        counts[a["label"]] += 1
        is_focus = n == view.focus
        extra: dict[str, Any] = {}
        if n in positions:
            x, y = positions[n]
            extra = {"x": float(x), "y": float(y), "fixed": {"x": True, "y": True}}
        net.add_node(n, label=html.escape(short(display_name(a, lang), 30)),
                     title=tooltip(a, lang, label_names),
                     color=LABEL_COLOURS.get(a["label"], "#999999"), shape="dot",
                     size=26 if is_focus else (16 if a.get("kind") == "general" else 12),
                     borderWidth=4 if is_focus else 1, **extra)
        if shown_labels is not None and n not in shown_labels:
            net.nodes[-1]["label"] = ""  # pyvis would put the id in place of an empty label
        elif shown_labels is not None and len(shown_labels) < len(view.nodes):
            # a crowded view is drawn zoomed out: its few labels get a larger font
            net.nodes[-1]["font"] = {"size": 34 if is_focus else 28, "strokeWidth": 6}
    for e in view.edges:
        net.add_edge(e.start, e.end, title=edge_tooltip(e, rel_names),
                     color="#9aa0a6" if e.type != ROW_EDGE else "#c5c9ce",
                     dashes=e.type == ROW_EDGE, arrows="" if e.type == ROW_EDGE else "to")
    many = len(view.nodes) > 120
    all_placed = bool(view.nodes) and all(n in positions for n in view.nodes)
    net.options = {
        "interaction": {"hover": True, "tooltipDelay": 150, "navigationButtons": False},
        "nodes": {"font": {"size": 12, "face": "Arial", "strokeWidth": 3,
                           "strokeColor": "#ffffff"},
                  "scaling": {"label": {"drawThreshold": 3}}},
        "edges": {"smooth": False, "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
                  "width": 1},
        "physics": {"enabled": not all_placed, "solver": "forceAtlas2Based",
                    "forceAtlas2Based": {"gravitationalConstant": -110, "springLength": 140,
                                         "centralGravity": 0.008, "avoidOverlap": 0.7},
                    "stabilization": {"enabled": True, "iterations": 400 if many else 250,
                                      "fit": True}},
    }
    page = strip_external(net.generate_html())
    shown = [lb for lb in LABEL_ORDER if counts.get(lb)]
    inject = render("dashboard", "network.html.j2", legend=[
        {"colour": LABEL_COLOURS.get(lb, "#999"), "name": label_names.get(lb, lb),
         "count": counts.get(lb, 0)} for lb in shown],
        context=list(context.items) if context else [], all_placed=all_placed)
    if context is not None:
        page = page.replace("<head>", f"<head>\n<title>{html.escape(context.title)}</title>", 1)
    page = page.replace("</body>", inject + "</body>", 1) if "</body>" in page else page + inject
    refs = external_refs(page)
    if refs:  # fail closed: never hand out a page that would reach the internet
        raise ValueError(f"network HTML still refers to other hosts: {refs[:3]}")
    return page
