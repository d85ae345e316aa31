"""A small hand-made dataset for the overlap ranking, the governance list, the trends and the
insight card (not demo data): its answers are worked out by hand in the tests that use it.

Agency x reports three specific insights s1-s3 (instances of the general g1-g3); p reports s1
too (one shared specific problem); q reports other instances of all three generals (three
shared general problems, no specific one); r reports one instance of g3 (without a year) and a
superseded insight. Principle pr1 addresses g1; x adopts it, p only plans it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


def _dump(folder: Path, name: str, data: Any) -> None:
    (folder / f"{name}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True,
                                                        sort_keys=False), encoding="utf-8")


def write_governance_dataset(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    _dump(folder, "dataset", {"id": "styrning", "title": "Styrningstest", "version": "1"})
    _dump(folder, "domains", [{"id": "omrade", "name": "Område"}])
    _dump(folder, "agencies", [{"id": a, "name": f"Aktör {a.upper()}", "name_en": f"Actor {a}"}
                               for a in ("x", "p", "q", "r", "s")])
    _dump(folder, "life_events", [{"id": "handelse", "name": "Händelse", "name_en": "Event",
                                   "domain": "omrade"}])
    _dump(folder, "sources", [{"id": "kalla", "title": "Källa <b>ett</b>", "kind": "report",
                               "url": "https://example.org/kalla", "illustrative": True}])

    def specific(i: int, general: str, *reports: dict[str, Any], **extra: Any) -> dict[str, Any]:
        return {"id": f"s{i}", "title": f"Specifik {i}", "title_en": f"Specific {i}",
                "kind": "specific", "instance_of": [general], "life_events": ["handelse"],
                "reported_by": list(reports), "sources": ["kalla"], **extra}

    _dump(folder, "insights", [
        *({"id": f"g{i}", "title": f"Generell {i}", "kind": "general", "sources": ["kalla"]}
          for i in (1, 2, 3)),
        specific(1, "g1", {"agency": "x", "year": 2019, "source": "kalla"},
                 {"agency": "p", "year": 2020},
                 statement="Kunden <script>bär</script> intyg & papper.",
                 statement_en="The customer carries certificates."),
        specific(2, "g2", {"agency": "x", "year": 2020}),
        specific(3, "g3", {"agency": "x", "year": 2020}),
        specific(4, "g1", {"agency": "q", "year": 2021}),
        specific(5, "g2", {"agency": "q", "year": 2021}),
        specific(6, "g3", {"agency": "q", "year": 2021}, {"agency": "r"}),
        specific(7, "g3", {"agency": "r", "year": 2018}, status="superseded",
                 superseded_by="s6"),
    ])
    _dump(folder, "principles", [{"id": "pr1", "name": "Princip ett", "name_en": "Principle one",
                                  "source": "kalla", "addresses": ["g1"],
                                  "applied_by": [{"agency": "x", "status": "adopted"},
                                                 {"agency": "p", "status": "planned"}]}])
    _dump(folder, "journeys", [{"life_event": "handelse", "sources": ["kalla"], "steps": [
        {"id": "steg-1", "agency": "x", "action": "Anmäl", "action_en": "Report"},
        {"id": "steg-2", "agency": "q", "action": "Ansök", "action_en": "Apply",
         "customer_carries": ["Intyg"]},
    ]}])
    return folder
