"""The graph model: node labels, relationship types and the records the stores write.

Loaders turn datasets into `GraphData` (plain node and relationship records); every store
(embedded networkx, Neo4j) writes exactly those records, so both backends hold the same graph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from .ids import fold


class Label(StrEnum):
    """Node labels (PascalCase, as Neo4j recommends)."""

    AGENCY = "Agency"
    DOMAIN = "Domain"
    LIFE_EVENT = "LifeEvent"
    SOURCE = "Source"
    INSIGHT = "Insight"
    PRINCIPLE = "Principle"
    JOURNEY_STEP = "JourneyStep"


class Rel(StrEnum):
    """Relationship types (UPPER_SNAKE_CASE)."""

    REPORTS = "REPORTS"
    ARISES_IN = "ARISES_IN"
    INSTANCE_OF = "INSTANCE_OF"
    SUPPORTED_BY = "SUPPORTED_BY"
    IN_DOMAIN = "IN_DOMAIN"
    TAKES_PART_IN = "TAKES_PART_IN"
    ADDRESSES = "ADDRESSES"
    APPLIES = "APPLIES"
    DEFINED_IN = "DEFINED_IN"
    HAS_STEP = "HAS_STEP"
    HANDLED_BY = "HANDLED_BY"
    NEXT = "NEXT"
    PUBLISHED_BY = "PUBLISHED_BY"
    SUPERSEDED_BY = "SUPERSEDED_BY"


@dataclass(frozen=True)
class RelSpec:
    """Which labels a relationship type connects, and what it means."""

    type: Rel
    start: tuple[Label, ...]
    end: Label
    properties: tuple[str, ...]
    meaning: str


REL_SPECS: dict[Rel, RelSpec] = {
    s.type: s
    for s in [
        RelSpec(Rel.REPORTS, (Label.AGENCY,), Label.INSIGHT, ("year", "source"),
                "the agency has reported the insight (in a year, backed by a source)"),
        RelSpec(Rel.ARISES_IN, (Label.INSIGHT,), Label.LIFE_EVENT, (),
                "the insight arises in the life event"),
        RelSpec(Rel.INSTANCE_OF, (Label.INSIGHT,), Label.INSIGHT, (),
                "a specific insight is an instance of a general one"),
        RelSpec(Rel.SUPPORTED_BY,
                (Label.INSIGHT, Label.LIFE_EVENT, Label.AGENCY, Label.JOURNEY_STEP),
                Label.SOURCE, (), "the claim rests on the source"),
        RelSpec(Rel.IN_DOMAIN, (Label.LIFE_EVENT,), Label.DOMAIN, (),
                "the life event belongs to a domain"),
        RelSpec(Rel.TAKES_PART_IN, (Label.AGENCY,), Label.LIFE_EVENT, ("role",),
                "the agency has a role in the life event"),
        RelSpec(Rel.ADDRESSES, (Label.PRINCIPLE,), Label.INSIGHT, (),
                "the principle addresses the insight"),
        RelSpec(Rel.APPLIES, (Label.AGENCY,), Label.PRINCIPLE, ("status",),
                "the agency applies (adopted) or plans to apply the principle"),
        RelSpec(Rel.DEFINED_IN, (Label.PRINCIPLE,), Label.SOURCE, (),
                "where the principle is defined"),
        RelSpec(Rel.HAS_STEP, (Label.LIFE_EVENT,), Label.JOURNEY_STEP, ("order",),
                "a step of the life event's journey (order starts at 1)"),
        RelSpec(Rel.HANDLED_BY, (Label.JOURNEY_STEP,), Label.AGENCY, (),
                "the actor that handles the step"),
        RelSpec(Rel.NEXT, (Label.JOURNEY_STEP,), Label.JOURNEY_STEP, (),
                "the step that follows in the journey"),
        RelSpec(Rel.PUBLISHED_BY, (Label.SOURCE,), Label.AGENCY, (),
                "the agency that published the source"),
        RelSpec(Rel.SUPERSEDED_BY, (Label.INSIGHT,), Label.INSIGHT, (),
                "the insight has been replaced by another"),
    ]
}

# Properties that every node gets from the stores, besides its own.
NODE_META = ("id", "datasets")
# Properties searched by full-text search, per label: (Swedish fields, English fields).
TEXT_FIELDS: dict[Label, tuple[tuple[str, ...], tuple[str, ...]]] = {
    Label.AGENCY: (("name", "short_name"), ("name_en",)),
    Label.DOMAIN: (("name",), ("name_en",)),
    Label.LIFE_EVENT: (("name", "description"), ("name_en", "description_en")),
    Label.SOURCE: (("title",), ()),
    Label.INSIGHT: (("title", "statement"), ("title_en", "statement_en")),
    Label.PRINCIPLE: (("name", "description"), ("name_en", "description_en")),
    Label.JOURNEY_STEP: (("action",), ("action_en",)),
}


SEARCH_FIELD = "search_text"
_TOKEN = re.compile(r"[a-z0-9]+")


def search_tokens(text: str) -> list[str]:
    """Folded (case- and diacritic-free) word tokens, the unit of full-text matching."""
    return _TOKEN.findall(fold(text))


def search_text(label: Label, props: dict[str, Any], node_id: str) -> str:
    """The derived `search_text` property: every text field's tokens, once, space-separated.

    Both backends match a query word against these tokens by prefix (Neo4j through a
    full-text index with the whitespace analyzer), so search gives the same answer on both.
    """
    sv, en = TEXT_FIELDS[label]
    parts = [node_id]
    for name in (*sv, *en, "aliases"):
        value = props.get(name)
        if isinstance(value, str):
            parts.append(value)
        elif isinstance(value, list):
            parts.extend(str(v) for v in value)
    return " ".join(dict.fromkeys(t for part in parts for t in search_tokens(part)))


def node_key(label: str, node_id: str) -> str:
    """The key of a node in the networkx graph: ids are unique per label, not globally."""
    return f"{label}:{node_id}"


@dataclass(frozen=True)
class NodeRecord:
    label: Label
    id: str
    props: dict[str, Any]

    @property
    def key(self) -> str:
        return node_key(self.label, self.id)


@dataclass(frozen=True)
class RelRecord:
    type: Rel
    start_label: Label
    start_id: str
    end_label: Label
    end_id: str
    props: dict[str, Any] = field(default_factory=dict)

    @property
    def start_key(self) -> str:
        return node_key(self.start_label, self.start_id)

    @property
    def end_key(self) -> str:
        return node_key(self.end_label, self.end_id)


@dataclass(frozen=True)
class DatasetMeta:
    """What a dataset says about itself (from dataset.yaml or the folder name)."""

    id: str
    title: str = ""
    description: str = ""
    version: str = ""
    path: str = ""
    precedence: str = "curated"  # whose value wins for a shared node: "curation" > "curated" > "register"


@dataclass
class GraphData:
    """A dataset turned into graph records, ready for any store."""

    dataset: DatasetMeta
    nodes: list[NodeRecord] = field(default_factory=list)
    relationships: list[RelRecord] = field(default_factory=list)

    def add_search_text(self) -> GraphData:
        """Give every node its derived `search_text` (see `search_text`)."""
        for n in self.nodes:
            n.props[SEARCH_FIELD] = search_text(n.label, n.props, n.id)
        return self

    def label_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for n in self.nodes:
            counts[n.label.value] = counts.get(n.label.value, 0) + 1
        return dict(sorted(counts.items()))

    def rel_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for r in self.relationships:
            counts[r.type.value] = counts.get(r.type.value, 0) + 1
        return dict(sorted(counts.items()))
