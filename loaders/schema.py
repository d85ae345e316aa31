"""Pydantic models of the dataset format v1 (docs/dataset-format.md).

These check one entry at a time (types, enums, required fields, unknown keys, slugs, org nr,
dates). Checks that need the whole dataset (references, duplicates) live in `loaders.dataset`.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from graph.canonical import CANONICAL_VALUES
from graph.ids import SLUG_RE, org_nr_problem

from .limits import excerpt

# ASCII digits only: `\d` would also take full-width and Arabic-Indic digits.
DATE_RE = re.compile(r"^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$")
YEAR_RE = re.compile(r"^[0-9]{4}$")


def _slug(value: Any) -> Any:
    if isinstance(value, str) and not SLUG_RE.match(value):
        raise ValueError(
            f"{excerpt(value)} is not a valid id: use lower-case a-z, 0-9 and single dashes "
            "(write å, ä, ö as a, a, o)"
        )
    return value


def _date(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str) and not DATE_RE.match(value):
        raise ValueError(f"{excerpt(value)} is not a date: write YYYY, YYYY-MM or YYYY-MM-DD")
    return value


def _year(value: Any) -> Any:
    """A year is four ASCII digits (or a YAML integer): not '2_021', '2021.0' or '２０２１'."""
    if isinstance(value, str):
        if not YEAR_RE.match(value.strip()):
            raise ValueError(f"{excerpt(value)} is not a year: write four digits, e.g. 2021")
        return int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{excerpt(value)} is not a year: write four digits, e.g. 2021")
    return value


def _org_nr(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str):
        why = org_nr_problem(value)
        if why:
            raise ValueError(f"{excerpt(value)} is not a valid org nr: {why}")
    return value


Slug = Annotated[str, BeforeValidator(_slug)]
Ref = Slug
DateText = Annotated[str, BeforeValidator(_date)]
OrgNr = Annotated[str, BeforeValidator(_org_nr)]
Year = Annotated[int, BeforeValidator(_year), Field(ge=1900, le=2100)]


class Entry(BaseModel):
    """Fields every entity accepts."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    illustrative: bool = False
    note: str | None = None


class DatasetFile(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    id: Slug | None = None
    title: str = ""
    description: str = ""
    version: str = ""

    @field_validator("version", mode="before")
    @classmethod
    def _version_text(cls, v: Any) -> Any:
        return str(v) if isinstance(v, int | float) and not isinstance(v, bool) else v


class Domain(Entry):
    id: Slug
    name: str = Field(min_length=1)
    name_en: str | None = None


class Agency(Entry):
    id: Slug
    name: str = Field(min_length=1)
    name_en: str | None = None
    short_name: str | None = None
    org_nr: OrgNr | None = None
    kind: Literal["statlig", "region", "kommun", "annan"] = "statlig"
    url: str | None = None
    aliases: list[str] = Field(default_factory=list)
    source: Ref | None = None


class Participation(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    agency: Ref
    role: str | None = None


class LifeEvent(Entry):
    id: Slug
    name: str = Field(min_length=1)
    name_en: str | None = None
    domain: Ref
    kind: Literal["life", "business"] | None = None
    """`business` for a point in a business's life (CPSV-AP's BusinessEvent); default life."""
    description: str | None = None
    description_en: str | None = None
    agencies: list[Participation] = Field(default_factory=list)
    sources: list[Ref] = Field(default_factory=list)


class Source(Entry):
    id: Slug
    title: str = Field(min_length=1)
    kind: Literal["article", "workshop", "report", "survey", "interview", "dataset", "law",
                  "guidance"]
    date: DateText | None = None
    url: str | None = None
    publisher: Ref | None = None
    participants: list[Ref] = Field(default_factory=list)
    """Agencies that took part in the meeting the source records (e.g. a workshop)."""


class Report(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    agency: Ref
    source: Ref | None = None
    year: Year | None = None


class Insight(Entry):
    id: Slug
    title: str = Field(min_length=1)
    title_en: str | None = None
    statement: str | None = None
    statement_en: str | None = None
    kind: Literal["general", "specific"]
    instance_of: list[Ref] = Field(default_factory=list)
    life_events: list[Ref] = Field(default_factory=list)
    reported_by: list[Report] = Field(default_factory=list)
    sources: list[Ref] = Field(default_factory=list)
    status: Literal["active", "proposed", "disputed", "superseded"] = "active"
    superseded_by: Ref | None = None
    canonical: str | None = None
    """Which of the eSam forum's five general insights this is (graph.canonical)."""

    @field_validator("canonical")
    @classmethod
    def _canonical(cls, v: str | None) -> str | None:
        if v is not None and v not in CANONICAL_VALUES:
            raise ValueError(f"{v!r} is not one of the five general insights: use one of "
                             + ", ".join(CANONICAL_VALUES))
        return v


class Application(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    agency: Ref
    status: Literal["adopted", "planned"] = "adopted"


class Principle(Entry):
    id: Slug
    name: str = Field(min_length=1)
    name_en: str | None = None
    description: str | None = None
    description_en: str | None = None
    source: Ref | None = None
    addresses: list[Ref] = Field(default_factory=list)
    applied_by: list[Application] = Field(default_factory=list)


class Step(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    id: Slug
    agency: Ref
    action: str = Field(min_length=1)
    action_en: str | None = None
    customer_carries: list[str] = Field(default_factory=list)
    feedback: Literal["immediate", "delayed", "none"] = "immediate"
    taken_by: Literal["person", "actor"] | None = None
    """`actor` for a step the actor takes without the person (an automatic notice between
    agencies, a decision, a payment); default `person`: the person must take it."""
    agency_terms: list[str] = Field(default_factory=list)
    """The agency's own terms the person must know or use to take the step."""
    illustrative: bool = False
    note: str | None = None


class Journey(Entry):
    life_event: Ref
    sources: list[Ref] = Field(default_factory=list)
    steps: list[Step] = Field(min_length=1)


# File stem → model. The order is the order files are read and reported in.
ENTITY_MODELS: dict[str, type[Entry]] = {
    "domains": Domain,
    "agencies": Agency,
    "life_events": LifeEvent,
    "sources": Source,
    "insights": Insight,
    "principles": Principle,
    "journeys": Journey,
}
CSV_ALLOWED = ("agencies", "insights")
# CSV columns holding lists, and how to split them.
CSV_LIST_FIELDS = {"aliases", "instance_of", "life_events", "sources"}
CSV_NESTED_FIELDS = {"reported_by": ("agency", "source", "year")}


def known_fields(model: type[BaseModel]) -> list[str]:
    return list(model.model_fields)
