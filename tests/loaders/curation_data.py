"""Two small agencies' datasets for the curation tests: `alfa` and `beta` describe one
problem each in their own words (x1, y1), beta has a proposed insight (y2), and both share a
general insight and a life event. Made up for the tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


def _dump(path: Path, data: Any) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def specific(ident: str, title: str, statement: str, agency: str, **extra: Any
             ) -> dict[str, Any]:
    return {"id": ident, "kind": "specific", "title": title, "statement": statement,
            "instance_of": ["g-kurir"], "life_events": ["bli-sjuk"],
            "reported_by": [{"agency": agency}], **extra}


ALFA = [
    specific("x1", "Läkarintyget måste skickas in av den sjuke själv",
             "Den som är sjuk får själv skicka läkarintyget till handläggaren.", "alfa"),
    specific("x2", "Lång väntan på beslut om bilstöd",
             "Handläggningen av bilstöd tar många månader.", "alfa"),
]
BETA = [
    specific("y1", "Den sjuke måste själv skicka läkarintyget",
             "Patienten får själv skicka intyget från läkaren vidare till handläggaren.", "beta"),
    specific("y2", "Blanketten för sjukresor är svår att hitta",
             "Den som ska söka ersättning för sjukresor hittar inte blanketten.", "beta",
             status="proposed"),
]


def write(folder: Path, dataset: str, insights: list[dict[str, Any]]) -> Path:
    """A dataset `dataset` with one agency of the same id and the given specific insights."""
    folder.mkdir(parents=True, exist_ok=True)
    _dump(folder / "dataset.yaml", {"id": dataset, "title": f"Test {dataset}", "version": "1"})
    _dump(folder / "agencies.yaml", [{"id": dataset, "name": f"Myndigheten {dataset}",
                                      "kind": "annan"}])
    _dump(folder / "domains.yaml", [{"id": "halsa", "name": "Hälsa"}])
    _dump(folder / "life_events.yaml", [{"id": "bli-sjuk", "name": "Bli sjuk",
                                         "domain": "halsa"}])
    _dump(folder / "insights.yaml", [
        {"id": "g-kurir", "kind": "general", "title": "Kunden får agera kurir",
         "life_events": ["bli-sjuk"]}, *insights])
    return folder


def write_both(root: Path) -> tuple[Path, Path]:
    return write(root / "alfa", "alfa", ALFA), write(root / "beta", "beta", BETA)
