"""The five general insights of the eSam forum (9 May 2017), recognised on any dataset.

The journey burden index and the JSON-LD export tie their figures to these five insights. A
dataset names them with the optional `canonical` field of a general insight; a general
insight without the field links too when its Swedish or English title is one of the forum's
titles (compared case-, quote-, punctuation- and accent-insensitively), because that is what
most contributors write. Ids never matter, so the figures hold on any dataset.
"""

from __future__ import annotations

import re
from enum import StrEnum

import networkx as nx

from .ids import fold


class Canonical(StrEnum):
    """Which of the forum's five general insights a general insight is."""

    WHO_DOES_WHAT = "who-does-what"
    OWN_PROJECT_MANAGER = "own-project-manager"
    MYNDIGHETSKA = "myndighetska"
    COURIER = "courier"
    LATE_FEEDBACK = "late-feedback"


CANONICAL_VALUES: tuple[str, ...] = tuple(c.value for c in Canonical)

# The forum's own Swedish titles (quoted in the eSam news item of 10 May 2017) and the English
# titles the seed uses, with the common variants a contributor writes.
TITLES: dict[Canonical, tuple[str, ...]] = {
    Canonical.WHO_DOES_WHAT: ("Svårt att veta vem som gör vad", "Hard to know who does what",
                              "It is hard to know who does what"),
    Canonical.OWN_PROJECT_MANAGER: ("Kunden blir sin egen projektledare",
                                    "The customer becomes their own project manager",
                                    "The customer becomes his or her own project manager"),
    Canonical.MYNDIGHETSKA: ("Det är omöjligt att lära sig 'myndighetska'",
                             "Omöjligt att lära sig myndighetska",
                             "It is impossible to learn 'officialese'",
                             "It is impossible to learn agency-speak"),
    Canonical.COURIER: ("Kunden får agera kurir", "The customer has to act as courier",
                        "The customer has to act as a courier"),
    Canonical.LATE_FEEDBACK: ("Får veta först i efterhand att man gjort fel",
                              "Finds out only afterwards that something went wrong",
                              "Only finds out afterwards that they did something wrong"),
}

_QUOTES = re.compile(r"[\"'`´‘’‚‛“”„‟«»‹›]")
_NON_WORD = re.compile(r"[^a-z0-9]+")


def title_key(title: str) -> str:
    """A title without case, accents, quotes or punctuation: the form titles are compared in."""
    return _NON_WORD.sub(" ", fold(_QUOTES.sub("", title))).strip()


_BY_TITLE: dict[str, Canonical] = {title_key(t): c for c, ts in TITLES.items() for t in ts}


def canonical_of(props: dict[str, object]) -> Canonical | None:
    """Which of the five a general insight's properties make it: its `canonical` field, else
    a match of its `title` or `title_en`; None for anything else (and for specific insights)."""
    if props.get("kind") != "general":
        return None
    value = props.get("canonical")
    if isinstance(value, str) and value in CANONICAL_VALUES:
        return Canonical(value)
    for field in ("title", "title_en"):
        text = props.get(field)
        if isinstance(text, str) and title_key(text) in _BY_TITLE:
            return _BY_TITLE[title_key(text)]
    return None


def canonical_insights(g: nx.MultiDiGraph) -> dict[Canonical, tuple[str, ...]]:
    """For each of the five: the ids of the general insights in `g` that are it (sorted;
    usually one). A canonical with no insight in the graph maps to ()."""
    found: dict[Canonical, list[str]] = {c: [] for c in Canonical}
    for _, a in g.nodes(data=True):
        if a.get("label") == "Insight":
            c = canonical_of(a)
            if c is not None:
                found[c].append(str(a["id"]))
    return {c: tuple(sorted(ids)) for c, ids in found.items()}
