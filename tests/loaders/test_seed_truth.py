"""Seed truth: an entry whose own note (or description) says that a reading, link or attribution
is ours must be marked `illustrative: true`; anything not stated by the reference facts is
illustrative or sourced. Journey steps inherit their journey's flag."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import yaml

from tests.conftest import SEED

# The phrasings the seed uses when a claim is the curators' own, in English and Swedish.
OURS = re.compile(
    r"\b(?:is|are) ours\b|\bour (?:own )?(?:reading|attribution|examples?|choice|assumption)\b"
    r"|\bwe (?:read|place|assume|chose)\b|\bon our reading\b"
    r"|\bvår (?:läsning|tolkning|bedömning)\b|\bär (?:vår|våra|vårt)\b|\b(?:läser|antar) vi\b"
    r"|\bvi (?:läser|antar|placerar)\b", re.IGNORECASE)
TEXT_FIELDS = ("note", "description", "description_en")


def says_ours(entry: dict[str, Any]) -> bool:
    return any(isinstance(entry.get(f), str) and OURS.search(entry[f]) for f in TEXT_FIELDS)


def entries() -> Iterator[tuple[str, str, dict[str, Any], bool]]:
    """(file, id, entry, illustrative) for every seed entry and journey step."""
    for path in sorted(SEED.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(data, list):
            continue
        for e in data:
            flag = bool(e.get("illustrative"))
            yield path.name, str(e.get("id") or e.get("life_event")), e, flag
            for st in e.get("steps") or []:
                yield path.name, str(st["id"]), st, flag or bool(st.get("illustrative"))


def test_no_entry_calls_its_reading_ours_without_being_illustrative() -> None:
    wrong = [(f, i) for f, i, e, flag in entries() if says_ours(e) and not flag]
    assert not wrong, f"mark these illustrative: true, or source the claim: {wrong}"


@pytest.mark.parametrize("note", [
    "The link to the newcomers' ID documents is ours.",
    "On our reading it binds the state agencies.",
    "The sources do not say when; we place it before the application.",
    "Kopplingen till livshändelsen är vår egen.",
    "Här läser vi den som ett stöd.",
])
def test_the_check_recognises_the_phrasings(note: str) -> None:
    assert says_ours({"note": note})


def test_the_check_leaves_sourced_notes_alone() -> None:
    assert not says_ours({"note": "applied_by lists only Digg, whose own stated aim this is."})
    assert not says_ours({"note": "The link to the courier insight is the reference file's "
                                  "own note on 8 §."})


def test_the_fixed_principles_claim_no_unsourced_adoption() -> None:
    principles = {p["id"]: p for p in yaml.safe_load(
        (SEED / "principles.yaml").read_text(encoding="utf-8"))}
    for pid in ("forvaltningslagen-6-serviceskyldighet", "forvaltningslagen-8-inhamta-uppgifter"):
        assert not principles[pid].get("applied_by"), pid  # the law's scope is not sourced
    digg = principles["digg-uppgifter-bara-en-gang"]
    assert [a["agency"] for a in digg["applied_by"]] == ["myndigheten-for-digital-forvaltning"]
    assert "hela-familjen-till-servicekontoret" not in digg["addresses"]


def test_every_journey_coding_is_marked() -> None:
    """Feedback, taken_by and agency_terms codings are the curators' reading in every seed
    journey, so every journey is illustrative and says so in its note."""
    journeys = yaml.safe_load((SEED / "journeys.yaml").read_text(encoding="utf-8"))
    for j in journeys:
        assert j.get("illustrative") is True, j["life_event"]
        assert "our reading" in j["note"], j["life_event"]
