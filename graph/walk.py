"""One vocabulary for reading the shared networkx form of the graph (see `graph.store`).

Every walk that more than one place needs lives here, so that a newcomer finds one answer to
"which field is a node's name", "what counts as an insight's general insight" or "what belongs
to a life event": neighbours by relationship type, names, an insight and its general insights,
the reporters of an insight, and the slice of the graph that belongs to a life event or to an
agency. Queries, analytics, exports, packages and the dashboard call these; none walks the
edges itself (outside `graph/` and `queries/` nothing touches `out_edges`/`in_edges`).

Neighbours come back in the graph's own edge order, as networkx gives them, so callers that
sort keep doing so and callers that do not see the order they always saw.

Names come in three flavours, because three consumers need three different things:

* `display_name(attrs, lang)`: what people read, in Swedish or English, by label
  (`NAME_FIELDS`), falling back to Swedish and then to the id. Never empty.
* `coalesced_name(attrs)`: Cypher's `coalesce(n.name, n.title, n.action)`, possibly None.
  Saved queries use it so that both backends return the same value.
* `localized(attrs, field, lang)`: any bilingual property (`statement`/`statement_en` …).

The slice of a life event (`life_event_slice`) had two copies that disagreed: the dashboard's
network filter and the package export. They agreed on the event, its journey steps, the
agencies that take part, the insights that arise in it with their general insights, the
agencies that report those and the principles that address them. The package copy also took
in every agency that *applies* one of those principles; the dashboard copy also took the
event's domain, the steps' actors and the sources behind it all. The slice here is the
dashboard's: applying a principle (often a broad one such as "once only", applied by dozens of
agencies) is a tie to the principle, not to the life event, and the agency slice never took
appliers either. Nothing a package needs is lost: the agencies in the slice keep their APPLIES
edges to the principles in it, so action gaps inside a package are the same. The domain,
actors and sources are what a package adds through its closure anyway.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx

from .model import Label, Rel, node_key

Attrs = dict[str, Any]

# Which property holds a node's display text, per label: (Swedish, English).
NAME_FIELDS: dict[str, tuple[str, str]] = {
    Label.AGENCY.value: ("name", "name_en"),
    Label.DOMAIN.value: ("name", "name_en"),
    Label.LIFE_EVENT.value: ("name", "name_en"),
    Label.PRINCIPLE.value: ("name", "name_en"),
    Label.INSIGHT.value: ("title", "title_en"),
    Label.SOURCE.value: ("title", "title_en"),
    Label.JOURNEY_STEP.value: ("action", "action_en"),
}


# -- neighbours ---------------------------------------------------------------------------

def out_rels(g: nx.MultiDiGraph, key: str, rel: Rel | str) -> list[tuple[str, Attrs]]:
    """(target, edge attributes) of every `rel` relationship leaving `key`."""
    return [(v, d) for _, v, k, d in g.out_edges(key, keys=True, data=True) if k == rel]


def in_rels(g: nx.MultiDiGraph, key: str, rel: Rel | str) -> list[tuple[str, Attrs]]:
    """(start, edge attributes) of every `rel` relationship arriving at `key`."""
    return [(u, d) for u, _, k, d in g.in_edges(key, keys=True, data=True) if k == rel]


def out_nodes(g: nx.MultiDiGraph, key: str, rel: Rel | str) -> list[str]:
    """The targets of the `rel` relationships leaving `key`."""
    return [v for _, v, k in g.out_edges(key, keys=True) if k == rel]


def in_nodes(g: nx.MultiDiGraph, key: str, rel: Rel | str) -> list[str]:
    """The starts of the `rel` relationships arriving at `key`."""
    return [u for u, _, k in g.in_edges(key, keys=True) if k == rel]


def all_out(g: nx.MultiDiGraph, key: str) -> list[tuple[str, str, Attrs]]:
    """(target, type, edge attributes) of every relationship leaving `key`."""
    return [(v, k, d) for _, v, k, d in g.out_edges(key, keys=True, data=True)]


def all_in(g: nx.MultiDiGraph, key: str) -> list[tuple[str, str, Attrs]]:
    """(start, type, edge attributes) of every relationship arriving at `key`."""
    return [(u, k, d) for u, _, k, d in g.in_edges(key, keys=True, data=True)]


def rels_of_type(g: nx.MultiDiGraph, rel: Rel | str) -> list[tuple[str, str, Attrs]]:
    """(start, end, edge attributes) of every `rel` relationship in the graph, in edge order."""
    return [(u, v, d) for u, v, k, d in g.edges(keys=True, data=True) if k == rel]


def nodes_of(g: nx.MultiDiGraph, label: Label | str) -> list[tuple[str, Attrs]]:
    """(key, attributes) of every node with `label`, in node order."""
    return [(n, a) for n, a in g.nodes(data=True) if a["label"] == str(label)]


def node_id(g: nx.MultiDiGraph, key: str) -> str:
    """The node's own id (its key without the label)."""
    return str(g.nodes[key]["id"])


def ids(g: nx.MultiDiGraph, keys: Iterable[str]) -> list[str]:
    """The ids of `keys`, sorted."""
    return sorted(node_id(g, k) for k in keys)


# -- names --------------------------------------------------------------------------------

def display_name(attrs: Mapping[str, Any], lang: str = "sv") -> str:
    """A node's name in `lang` ("sv" or "en"): name/name_en, title/title_en or action/action_en
    by label, falling back to Swedish and then to the id."""
    sv, en = NAME_FIELDS.get(str(attrs.get("label", "")), ("name", "name_en"))
    if lang == "en" and attrs.get(en):
        return str(attrs[en])
    for key in (sv, "name", "title", "action"):
        if attrs.get(key):
            return str(attrs[key])
    return str(attrs.get("id", ""))


def coalesced_name(attrs: Mapping[str, Any]) -> Any:
    """`coalesce(n.name, n.title, n.action)`, as the saved queries' Cypher returns it."""
    return attrs.get("name", attrs.get("title", attrs.get("action")))


def name_of(g: nx.MultiDiGraph, key: str) -> Any:
    """`coalesced_name` of the node `key`."""
    return coalesced_name(g.nodes[key])


def localized(attrs: Mapping[str, Any], field_sv: str, lang: str) -> str:
    """Any bilingual property (`statement`/`statement_en` …) in `lang`, falling back to Swedish."""
    if lang == "en" and attrs.get(f"{field_sv}_en"):
        return str(attrs[f"{field_sv}_en"])
    value = attrs.get(field_sv)
    return "" if value is None else str(value)


def names_by_label(g: nx.MultiDiGraph, lang: str = "sv") -> dict[str, dict[str, str]]:
    """label → node id → display name in `lang`, for every node."""
    out: dict[str, dict[str, str]] = {}
    for _, a in g.nodes(data=True):
        out.setdefault(a["label"], {})[a["id"]] = display_name(a, lang)
    return out


# -- insights -----------------------------------------------------------------------------

def generals(g: nx.MultiDiGraph, insight: str) -> list[str]:
    """The general insights a specific insight is an instance of (INSTANCE_OF)."""
    return out_nodes(g, insight, Rel.INSTANCE_OF)


def instances(g: nx.MultiDiGraph, insight: str) -> list[str]:
    """The specific insights that are instances of a general one."""
    return in_nodes(g, insight, Rel.INSTANCE_OF)


def with_generals(g: nx.MultiDiGraph, insight: str) -> list[str]:
    """An insight as itself and through its general insights (INSTANCE_OF*0..1)."""
    return [insight, *generals(g, insight)]


def reporters(g: nx.MultiDiGraph, insight: str) -> list[tuple[str, Attrs]]:
    """(agency, REPORTS attributes: year, source) for every agency that reports the insight."""
    return in_rels(g, insight, Rel.REPORTS)


def reporters_with_instances(g: nx.MultiDiGraph, insight: str) -> set[str]:
    """The agencies that report an insight directly or through one of its instances."""
    return {u for x in (insight, *instances(g, insight)) for u, _ in reporters(g, x)}


# -- slices -------------------------------------------------------------------------------

def life_event_slice(g: nx.MultiDiGraph, life_event: str) -> set[str]:
    """The node keys that belong to a life event (key): the event, its domain and journey
    steps, the actors that take part or handle a step, the insights that arise in it (and
    their general insights), the agencies that report those, the principles that address
    them and the sources behind all of it. Empty when the event is not in the graph. See the
    module docstring for why agencies that merely apply a principle are not in it."""
    if life_event not in g:
        return set()
    keep = {life_event}
    keep.update(out_nodes(g, life_event, Rel.IN_DOMAIN))
    steps = out_nodes(g, life_event, Rel.HAS_STEP)
    keep.update(steps)
    keep.update(in_nodes(g, life_event, Rel.TAKES_PART_IN))
    for s in steps:
        keep.update(out_nodes(g, s, Rel.HANDLED_BY))
    insights = set(in_nodes(g, life_event, Rel.ARISES_IN))
    insights |= {v for i in list(insights) for v in generals(g, i)}
    keep |= insights
    for i in insights:
        keep.update(u for u, _ in reporters(g, i))
        keep.update(in_nodes(g, i, Rel.ADDRESSES))
    for n in list(keep):
        keep.update(out_nodes(g, n, Rel.SUPPORTED_BY))
        keep.update(out_nodes(g, n, Rel.DEFINED_IN))
    return keep


def agency_slice(g: nx.MultiDiGraph, agency: str) -> set[str]:
    """The node keys that belong to an agency (key): the agency, what it reports (with general
    insights, the other reporters and the principles addressing them), what it applies, and
    the life events it takes part in or handles a step of (with their journeys) or where its
    insights arise. Empty when the agency is not in the graph."""
    if agency not in g:
        return set()
    direct = set(out_nodes(g, agency, Rel.REPORTS))
    insights = set(direct)
    for i in direct:
        insights.update(generals(g, i))
    nodes = {agency, *insights, *out_nodes(g, agency, Rel.APPLIES)}
    for i in insights:
        nodes.update(u for u, _ in reporters(g, i))
        nodes.update(in_nodes(g, i, Rel.ADDRESSES))
    journeyed = set(out_nodes(g, agency, Rel.TAKES_PART_IN))
    for step in in_nodes(g, agency, Rel.HANDLED_BY):
        journeyed.update(in_nodes(g, step, Rel.HAS_STEP))
    for le in journeyed:
        nodes.add(le)
        nodes.update(out_nodes(g, le, Rel.HAS_STEP))
    for i in direct:
        nodes.update(out_nodes(g, i, Rel.ARISES_IN))
    return nodes



# -- agencies and the datasets' alias tables ----------------------------------------------

AGENCY_RECORD_FIELDS = ("id", "name", "name_en", "short_name", "aliases", "org_nr", "datasets")
"""What agency resolution (loaders.resolve) reads of every Agency node, on either backend
(`graph.cypher.AGENCY_RECORDS` returns the same columns)."""


def agency_records(g: nx.MultiDiGraph) -> list[Attrs]:
    """Every Agency node's names, org nr and datasets (AGENCY_RECORD_FIELDS), by id."""
    return sorted(({f: a.get(f) for f in AGENCY_RECORD_FIELDS}
                   for _, a in nodes_of(g, Label.AGENCY)), key=lambda r: str(r["id"]))


def alias_targets(g: nx.MultiDiGraph, local_id: str) -> list[str]:
    """The Agency ids that some dataset's own id `local_id` resolved to (AgencyAlias
    -[:ALIAS_OF]-> Agency), sorted; empty when no dataset uses that id as an alias."""
    return sorted({node_id(g, t) for _, a in nodes_of(g, Label.AGENCY_ALIAS)
                   if a.get("local_id") == local_id
                   for t in out_nodes(g, node_key(Label.AGENCY_ALIAS, a["id"]), Rel.ALIAS_OF)})

