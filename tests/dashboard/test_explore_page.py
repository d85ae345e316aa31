"""The network page's exploration (dashboard.explore_state: history, expand/hide, the URL),
the page HTML's new parts (positions, thinned labels, title and context) and the page itself
in AppTest: a URL sets the view, the buttons change it, and the URL follows."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import networkx as nx
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import graph_component, network_html
from dashboard.explore_state import MAX_LISTED, Exploration, from_url, to_url
from dashboard.i18n import SV
from graph.embedded import EmbeddedStore
from queries import explore, subgraph
from tests.dashboard.conftest import APP, network_frames
from tests.dashboard.test_dashboard_escaping import PAYLOADS

FK, PM = "Agency:forsakringskassan", "Agency:pensionsmyndigheten"
LE = "LifeEvent:nar-nagon-har-dott"
LABELS = {lb: SV[f"label.{lb}"] for lb in subgraph.LABEL_ORDER}


def test_history_goes_back_and_forward_with_the_expansions() -> None:
    e = Exploration(LE).toggle_expand(FK).hide(PM)
    assert e.expanded == (FK,) and e.hidden == (PM,)
    e2 = e.refocus(FK)
    assert (e2.focus, e2.expanded, e2.hidden) == (FK, (), ())
    back = e2.go_back()
    assert (back.focus, back.expanded, back.hidden) == (LE, (FK,), (PM,))
    fwd = back.go_forward()
    assert fwd.focus == FK and not fwd.forward and fwd.back == (*back.back, (LE, (FK,), (PM,)))
    assert e2.refocus(PM).go_back().go_back().focus == LE
    assert Exploration(LE).go_back() == Exploration(LE)  # nothing to go back to
    # a new focus after going back drops the forward list
    assert not back.refocus(PM).forward
    # the focus cannot be hidden; hiding an expanded node also collapses it
    assert Exploration(LE).hide(LE).hidden == ()
    assert Exploration(LE).toggle_expand(FK).hide(FK).expanded == ()
    assert Exploration(LE).toggle_expand(FK).toggle_expand(FK).expanded == ()


def test_the_url_is_checked_against_the_graph() -> None:
    nodes = {FK, PM, LE}
    url = {"focus": [FK], "depth": ["2"], "labels": ["Agency,Insight,<script>,Agency"],
           "le": ["nar-nagon-har-dott"], "expand": [PM, "Agency:nope", PM], "hide": [LE]}
    got = from_url(url, nodes, subgraph.LABEL_ORDER, {"nar-nagon-har-dott"})
    assert (got.focus, got.depth, got.labels, got.life_event) == (
        FK, 2, ("Agency", "Insight"), "nar-nagon-har-dott")
    assert got.expanded == (PM,) and got.hidden == (LE,)
    assert set(got.rejected) == {("labels", "<script>"), ("expand", "Agency:nope")}
    for bad in ("0", "4", "1e1", "²", "-1", " 2", "99999999999999999999"):
        assert from_url({"depth": [bad]}, nodes, subgraph.LABEL_ORDER, set()).depth is None
    hostile = from_url({"focus": ["' OR 1=1"], "le": ["x"]}, nodes, subgraph.LABEL_ORDER, set())
    assert hostile.focus is None and hostile.life_event is None and len(hostile.rejected) == 2
    many = from_url({"expand": [FK] * 5 + [PM] * (MAX_LISTED * 2)}, nodes,
                    subgraph.LABEL_ORDER, set())
    assert many.expanded == (FK, PM)
    # to_url → from_url gives the same view back
    e = Exploration(FK, (PM,), (LE,))
    back = from_url(to_url(e, 3, ["Agency", "Insight"], "nar-nagon-har-dott"), nodes,
                    subgraph.LABEL_ORDER, {"nar-nagon-har-dott"})
    assert (back.focus, back.depth, back.labels, back.expanded, back.hidden) == (
        FK, 3, ("Agency", "Insight"), (PM,), (LE,))


def test_positions_from_the_browser_are_checked() -> None:
    value = {"at": {FK: [1.5, -2], PM: [float("nan"), 1], LE: ["1", 2], "x": [1, 1],
                    "Agency:y": [True, 1], "Agency:z": [1e12, 0]}}
    assert graph_component.clean_positions(value, [FK, PM, LE, "Agency:y", "Agency:z"]) == {
        FK: (1.5, -2.0)}
    assert graph_component.clean_positions("junk", [FK]) == {}
    assert graph_component.clean_positions({"at": [1, 2]}, [FK]) == {}


@pytest.fixture(scope="module")
def seed_graph(seed_store_file: Path) -> nx.MultiDiGraph:
    return EmbeddedStore(seed_store_file).to_networkx()


def nodes_in(page: str) -> list[dict[str, object]]:
    m = re.search(r"nodes = new vis\.DataSet\((\[.*?\])\);", page, re.S)
    assert m
    data: list[dict[str, object]] = json.loads(m.group(1))
    return data


def test_page_html_keeps_positions_thins_labels_and_has_context(
        seed_graph: nx.MultiDiGraph) -> None:
    g = seed_graph
    view = explore.explore_view(g, LE, 2, subgraph.LABEL_ORDER)
    shown = explore.labelled(g, view)
    some = {n: (float(i), float(-i)) for i, n in enumerate(view.nodes[:5])}
    ctx = network_html.PageContext("Insiktsgrafen – Nätverk: " + PAYLOADS[0],
                                   (("Fokus", PAYLOADS[1]), ("Datum", "2026-12-01")))
    page = network_html.network_html(g, view, "sv", LABELS, labelled=shown, positions=some,
                                     context=ctx)
    drawn = {n["id"]: n for n in nodes_in(page)}
    assert {k for k, n in drawn.items() if n["label"]} == shown
    assert all((drawn[k]["x"], drawn[k]["y"]) == p and drawn[k]["fixed"] for k, p in some.items())
    assert all("x" not in drawn[k] for k in view.nodes if k not in some)
    assert '"enabled": true' in page.split("var options = ", 1)[1][:2000]  # physics runs
    # the title and context are there, escaped, and no payload made a tag
    assert f"<title>{html.escape(ctx.title)}</title>" in page
    assert html.escape(PAYLOADS[1]) in page and "insikt-context" in page
    for payload in PAYLOADS[:2]:
        assert payload not in page
    # every node placed: no physics at all, the page goes straight to "off"
    placed = {n: (float(i), 0.0) for i, n in enumerate(view.nodes)}
    still = network_html.network_html(g, view, "sv", LABELS, positions=placed)
    assert '"enabled": false' in still.split("var options = ", 1)[1][:2000]
    assert "setTimeout(function () { network.fit(); off(); }, 0)" in still
    # the signature follows what is drawn, not where
    assert network_html.view_signature(view, "sv", shown) == network_html.view_signature(
        view, "sv", set(shown))
    assert network_html.view_signature(view, "en", shown) != network_html.view_signature(
        view, "sv", shown)


def test_the_component_frame_is_sandboxed_and_checks_its_messages() -> None:
    js = graph_component._JS
    assert 'setAttribute("sandbox", "allow-scripts")' in js and "allow-same-origin" not in js
    assert "event.source !== f.contentWindow" in js and "ctx.known.has(m.node)" in js
    assert "innerHTML" not in js  # data reaches the frame only as its srcdoc


def qp(at: AppTest, key: str) -> list[str]:
    """A URL parameter's values as a list (AppTest gives one value as a plain string)."""
    value = at.query_params[key]
    return list(value) if isinstance(value, list | tuple) else [str(value)]


def open_network(**params: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params.update(params)
    at.run()
    at.switch_page("views/network.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_page_follows_its_url_and_writes_it_back(seed_env: Path,
                                                    seed_graph: nx.MultiDiGraph) -> None:
    g = seed_graph
    ins = "Insight:anhoriga-maste-informera-foretagen"  # Försäkringskassan reports it
    assert ins in set(nx.all_neighbors(g, FK))
    at = open_network(focus=FK, depth="1", expand=ins, hide="Agency:finns-inte")
    frame = network_frames(at)[0]
    want = explore.explore_view(g, FK, 1, [lb for lb in subgraph.LABEL_ORDER if lb != "Source"],
                                expanded=[ins])
    assert frame["nodes"] == want.nodes and ins in frame["nodes"]
    assert any("finns" in w.value for w in at.warning)  # the bad value is named
    assert qp(at, "focus") == [FK] and qp(at, "expand") == [ins]
    assert "hide" not in at.query_params
    assert at.subheader[0].value == "Försäkringskassan"  # the panel shows the focus
    assert f"<title>Insiktsgrafen – {SV['page.network']}: Försäkringskassan" in frame["html"]

    # a clicked node (the component's select, as its callback stores it): refocus on it,
    # then go back to the agency
    at.session_state["net_sel"] = PM
    at.run()
    assert at.subheader[0].value == "Pensionsmyndigheten"
    at.button(key="net_refocus").click().run()
    assert qp(at, "focus") == [PM] and "expand" not in at.query_params
    assert network_frames(at)[0]["nodes"][0] == PM
    at.button(key="net_back").click().run()
    assert qp(at, "focus") == [FK] and qp(at, "expand") == [ins]
    at.button(key="net_forward").click().run()
    assert qp(at, "focus") == [PM]

    # expand the selected node's neighbours, then hide one of them
    at.button(key="net_back").click().run()
    at.session_state["net_sel"] = PM
    at.run()
    at.button(key="net_expand").click().run()
    assert qp(at, "expand") == [ins, PM]
    nodes = network_frames(at)[0]["nodes"]
    assert set(nx.all_neighbors(g, PM)) & {n for n in g if g.nodes[n]["label"] != "Source"} \
        <= set(nodes)
    at.button(key="net_hide").click().run()
    assert qp(at, "hide") == [PM] and PM not in network_frames(at)[0]["nodes"]
    at.button(key="net_show_all").click().run()
    assert "hide" not in at.query_params


def test_every_detail_field_has_both_languages() -> None:
    from dashboard.i18n import EN

    for f in (*explore._PLAIN_FIELDS, "customer_carries"):
        assert SV[f"network.f.{f}"] and EN[f"network.f.{f}"], f
