"""graph.walk, the one vocabulary for reading the networkx graph, on the tiny fixture: answers
worked out by hand from tests/data/tiny/*.yaml."""

from __future__ import annotations

import networkx as nx
import pytest

from graph import walk
from graph.model import Rel
from graph.store import apply_graph_data
from loaders.dataset import read_dataset
from loaders.package import Selection, select_subgraph
from queries.subgraph import life_event_scope, neighbourhood
from tests.conftest import TINY

LE = "LifeEvent:nar-nagon-har-dott"


@pytest.fixture()
def g() -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    apply_graph_data(graph, read_dataset(TINY))
    return graph


def test_neighbours_by_relationship_type(g: nx.MultiDiGraph) -> None:
    assert sorted(walk.out_nodes(g, LE, Rel.HAS_STEP)) == [
        "JourneyStep:bestall-intyg", "JourneyStep:dodsfall-registreras",
        "JourneyStep:visa-intyg-for-banken"]
    assert {u: d.get("role") for u, d in walk.in_rels(g, LE, Rel.TAKES_PART_IN)} == {
        "Agency:skatteverket": "registrerar dödsfallet", "Agency:banken": None}
    assert walk.in_nodes(g, LE, Rel.REPORTS) == [] and walk.out_nodes(g, LE, "NO_SUCH") == []
    orders = {v: d["order"] for v, d in walk.out_rels(g, LE, Rel.HAS_STEP)}
    assert orders["JourneyStep:dodsfall-registreras"] == 1
    assert ("JourneyStep:bestall-intyg", "NEXT") in {
        (v, k) for v, k, _ in walk.all_out(g, "JourneyStep:dodsfall-registreras")}
    assert {(u, k) for u, k, _ in walk.all_in(g, "Principle:en-gang")} == {
        ("Agency:skatteverket", "APPLIES"), ("Agency:pensionsmyndigheten", "APPLIES")}
    assert len(walk.rels_of_type(g, Rel.ADDRESSES)) == 2
    assert walk.ids(g, (k for k, _ in walk.nodes_of(g, "Domain"))) == ["arbete", "familj"]


def test_names(g: nx.MultiDiGraph) -> None:
    skv = g.nodes["Agency:skatteverket"]
    assert walk.display_name(skv) == "Skatteverket"
    assert walk.display_name(skv, "en") == "Swedish Tax Agency"
    old = g.nodes["Insight:gammal-insikt"]  # no English title: Swedish
    assert walk.display_name(old, "en") == "En gammal insikt"
    step = g.nodes["JourneyStep:bestall-intyg"]
    assert walk.display_name(step, "en") == "Beställ dödsfallsintyg"
    assert walk.display_name({"label": "Agency", "id": "x"}) == "x"
    assert walk.coalesced_name(step) == "Beställ dödsfallsintyg"
    assert walk.coalesced_name({"label": "Agency", "id": "x"}) is None
    assert walk.name_of(g, "Insight:kurir") == "Kunden får agera kurir"
    banken = g.nodes["Insight:intyg-till-banken"]
    assert walk.localized(banken, "statement", "en") == \
        "Banken vill se ett intyg som Skatteverket utfärdar."
    assert walk.localized(banken, "nothing", "sv") == ""
    assert walk.names_by_label(g, "en")["Domain"] == {"familj": "Family", "arbete": "Work"}


def test_insights_generals_and_reporters(g: nx.MultiDiGraph) -> None:
    assert walk.with_generals(g, "Insight:intyg-till-banken") == [
        "Insight:intyg-till-banken", "Insight:kurir"]
    assert walk.with_generals(g, "Insight:kurir") == ["Insight:kurir"]
    assert sorted(walk.instances(g, "Insight:kurir")) == [
        "Insight:gammal-insikt", "Insight:intyg-till-banken"]
    assert {u: (d.get("year"), d.get("source"))
            for u, d in walk.reporters(g, "Insight:intyg-till-banken")} == {
        "Agency:skatteverket": (2020, "guide"), "Agency:forsakringskassan": (2021, None)}
    assert walk.reporters_with_instances(g, "Insight:kurir") == {
        "Agency:pensionsmyndigheten", "Agency:skatteverket", "Agency:forsakringskassan"}


def test_life_event_slice(g: nx.MultiDiGraph) -> None:
    assert walk.life_event_slice(g, LE) == {
        LE, "Domain:familj", "JourneyStep:dodsfall-registreras", "JourneyStep:bestall-intyg",
        "JourneyStep:visa-intyg-for-banken", "Agency:skatteverket", "Agency:banken",
        "Insight:intyg-till-banken", "Insight:foretag-far-inte-veta", "Insight:kurir",
        "Insight:vem-gor-vad", "Agency:forsakringskassan", "Agency:pensionsmyndigheten",
        "Principle:en-gang", "Source:guide", "Source:forum-2017"}
    assert walk.life_event_slice(g, "LifeEvent:bli-arbetslos") == {
        "LifeEvent:bli-arbetslos", "Domain:arbete"}
    assert walk.life_event_slice(g, "LifeEvent:finns-inte") == set()
    assert life_event_scope(g, "nar-nagon-har-dott") == walk.life_event_slice(g, LE)


def test_an_agency_that_only_applies_a_principle_is_not_part_of_the_life_event(
        g: nx.MultiDiGraph) -> None:
    """The choice documented in graph.walk: the package export and the network filter used
    to disagree here; both now leave such an agency out."""
    g.add_node("Agency:kommunen", label="Agency", id="kommunen", name="Kommunen",
               datasets=["tiny"])
    g.add_edge("Agency:kommunen", "Principle:en-gang", key="APPLIES", type="APPLIES",
               status="adopted", datasets=["tiny"])
    assert "Agency:kommunen" not in walk.life_event_slice(g, LE)
    assert "Agency:kommunen" not in select_subgraph(g, Selection("life_event", "nar-nagon-har-dott"))
    assert "Agency:kommunen" not in select_subgraph(g, Selection("domain", "familj"))
    view = neighbourhood(g, "Principle:en-gang", 1, ["Principle", "Agency"], "nar-nagon-har-dott")
    assert "Agency:kommunen" not in view.nodes and "Agency:skatteverket" in view.nodes
    # … while the principle's own appliers inside the slice keep their APPLIES edges
    sub = select_subgraph(g, Selection("life_event", "nar-nagon-har-dott"))
    assert sub.has_edge("Agency:pensionsmyndigheten", "Principle:en-gang", key="APPLIES")


def test_agency_slice(g: nx.MultiDiGraph) -> None:
    assert walk.agency_slice(g, "Agency:banken") == {
        "Agency:banken", LE, "JourneyStep:dodsfall-registreras", "JourneyStep:bestall-intyg",
        "JourneyStep:visa-intyg-for-banken"}
    pm = walk.agency_slice(g, "Agency:pensionsmyndigheten")
    assert {"Insight:kurir", "Insight:foretag-far-inte-veta", "Insight:vem-gor-vad",
            "Principle:en-gang", "Agency:skatteverket", LE} <= pm
    assert "Insight:intyg-till-banken" not in pm  # an instance of its insight, not reported
    assert walk.agency_slice(g, "Agency:finns-inte") == set()
