"""Import ESV's register of government agencies (myndighetsregister, JSON as collected by
civictechsweden/myndighetsdata) as Agency nodes of their own dataset, `esv-register`.

The register is real data with real quirks; we keep it as it is and report the quirks:
entries without an org nr, an org nr used twice, ended and renamed agencies, and English
names that are empty or '?'.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.errors import InsiktError, Problem, StoreError, ValidationFailed
from graph.ids import org_nr_problem, slugify
from graph.model import DatasetMeta, GraphData, Label, NodeRecord, Rel, RelRecord
from graph.store import REGISTER_DATASET, GraphStore, LoadResult, OrgNrOwners, Progress

from .limits import Limits, excerpt, json_depth_problem, read_text_file, shorten

REGISTER_SOURCE_ID = "esv-myndighetsregister"
_EXCEL_CR = "_x000D_"  # a carriage return escaped by a spreadsheet export


@dataclass
class RegisterReport:
    """What the import found, for the summary line."""

    entries: int = 0
    active: int = 0
    ended: int = 0
    without_org_nr: list[str] = field(default_factory=list)
    duplicate_org_nr: dict[str, list[str]] = field(default_factory=dict)
    invalid_org_nr: list[str] = field(default_factory=list)
    renamed: int = 0
    missing_english: int = 0
    cleaned_names: int = 0
    reconciled: list[tuple[str, str]] = field(default_factory=list)
    result: LoadResult | None = None

    def quirks(self) -> list[str]:
        out = []
        if self.without_org_nr:
            out.append(f"{len(self.without_org_nr)} without org nr "
                       f"({', '.join(self.without_org_nr)})")
        for nr, names in sorted(self.duplicate_org_nr.items()):
            out.append(f"org nr {nr} used by {len(names)} entries ({'; '.join(names)})")
        if self.invalid_org_nr:
            out.append(f"{len(self.invalid_org_nr)} with an invalid org nr, kept without it "
                       f"({', '.join(self.invalid_org_nr)})")
        out.append(f"{self.ended} ended (kept, marked ended)")
        out.append(f"{self.renamed} with old names (kept as aliases)")
        out.append(f"{self.missing_english} without a usable English name ('' or '?')")
        if self.cleaned_names:
            out.append(f"{self.cleaned_names} old names with a stray '{_EXCEL_CR}' removed")
        if self.reconciled:
            out.append(f"{len(self.reconciled)} matched by org nr to agencies already loaded "
                       "under another id (" +
                       ", ".join(f"{n} → {i}" for n, i in self.reconciled) + ")")
        return out

    def summary(self) -> str:
        return (f"Imported {self.entries} register entries ({self.active} active, "
                f"{self.ended} ended). Quirks: " + "; ".join(self.quirks()) + ".")


def _year(value: Any) -> int | None:
    """The year a date text starts with (ASCII digits only), or None."""
    head = str(value)[:4] if value not in (None, "") else ""
    return int(head) if re.fullmatch(r"[0-9]{4}", head) else None


def read_register(path: str | Path, where: str = "") -> dict[str, dict[str, Any]]:
    """ESV's register as a dict; `where` says where the path came from, for the error."""
    p = Path(path)
    if not os.path.lexists(p):
        raise InsiktError(f"no register file at {p}{where}: give the path of ESV's register "
                          "(esv.json) as an argument or in INSIKT_REGISTER")
    limits = Limits.current()
    text, bad = read_text_file(p, p.name, "save the register as UTF-8",
                               max_bytes=limits.max_file_bytes)
    if text is None:
        raise ValidationFailed(bad, str(p))
    deep = json_depth_problem(text, limits.max_depth)
    if deep:
        raise ValidationFailed([Problem(p.name, "-", "", f"refused: {deep}", "")], str(p))
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationFailed([Problem(p.name, f"line {exc.lineno}", "",
                                        f"not valid JSON: {exc.msg}", "")], str(p)) from exc
    except ValueError as exc:  # e.g. an integer with too many digits
        raise ValidationFailed([Problem(p.name, "-", "", f"not valid JSON: {exc}", "")],
                               str(p)) from exc
    if not isinstance(doc, dict) or not all(isinstance(v, dict) for v in doc.values()):
        raise ValidationFailed([Problem(p.name, "-", "", "expected a JSON object of agencies "
                                        "keyed by their Swedish name (ESV register format)",
                                        "")], str(p))
    problems = []
    for name, entry in doc.items():
        for key in ("org_nr", "name_en", "short_name", "end"):
            if entry.get(key) is not None and not isinstance(entry[key], str):
                problems.append(Problem(p.name, f"'{shorten(name)}'", key,
                                        f"expected text, got {excerpt(entry[key])}", ""))
        old = entry.get("old_names")
        if old is not None and not (isinstance(old, list)
                                    and all(isinstance(o, str) for o in old)):
            problems.append(Problem(p.name, f"'{shorten(name)}'", "old_names",
                                    "expected a list of names", ""))
        if isinstance(entry.get("id"), dict | list):
            problems.append(Problem(p.name, f"'{shorten(name)}'", "id",
                                    "expected a number or text", ""))
    if problems:
        raise ValidationFailed(problems, str(p))
    return doc


def register_graph(doc: dict[str, dict[str, Any]], existing: dict[str, list[tuple[str, list[str]]]],
                   path: str = "") -> tuple[GraphData, RegisterReport]:
    """Turn the register into graph records. `existing` maps org nr → agencies in the store."""
    report = RegisterReport(entries=len(doc))
    data = GraphData(DatasetMeta(
        id=REGISTER_DATASET, title="ESV:s myndighetsregister",
        description="Statliga myndigheter enligt ESV (civictechsweden/myndighetsdata).",
        path=path, precedence="register"))
    data.nodes.append(NodeRecord(Label.SOURCE, REGISTER_SOURCE_ID, {
        "title": "ESV:s myndighetsregister (via civictechsweden/myndighetsdata)",
        "kind": "dataset", "url": "https://github.com/civictechsweden/myndighetsdata",
        "date": "2026-01-02", "illustrative": False}))
    by_org: dict[str, list[str]] = {}
    for name, entry in doc.items():
        nr = entry.get("org_nr") or None
        if nr:
            by_org.setdefault(nr, []).append(name)
    report.duplicate_org_nr = {k: v for k, v in by_org.items() if len(v) > 1}
    used_ids: set[str] = set()
    for name, entry in sorted(doc.items()):
        node_id = slugify(name)
        nr = entry.get("org_nr") or None
        if nr and org_nr_problem(nr):
            report.invalid_org_nr.append(name)
            nr = None
        if not nr:
            report.without_org_nr.append(name)
        elif nr not in report.duplicate_org_nr:
            owners = existing.get(nr, [])
            if owners and all(i != node_id for i, _ in owners):
                others = [i for i, ds in owners if ds != [REGISTER_DATASET]]
                if others:
                    node_id = others[0]
                    report.reconciled.append((name, node_id))
        if node_id in used_ids:  # two names that slug alike: keep both apart
            node_id = f"{node_id}-{entry.get('id', len(used_ids))}"
        used_ids.add(node_id)
        end = _year(entry.get("end"))
        old = []
        for alias in entry.get("old_names") or []:
            if _EXCEL_CR in alias:
                report.cleaned_names += 1
                alias = alias.replace(_EXCEL_CR, "").strip()
            if alias and alias != name:
                old.append(alias)
        if old:
            report.renamed += 1
        name_en = (entry.get("name_en") or "").strip()
        if name_en in ("", "?"):
            report.missing_english += 1
            name_en = ""
        if end is not None:
            report.ended += 1
        else:
            report.active += 1
        props: dict[str, Any] = {
            "name": name, "kind": "statlig", "ended": end is not None,
            "register_id": entry.get("id"), "illustrative": False,
        }
        for key, value in (("name_en", name_en), ("short_name", entry.get("short_name")),
                           ("org_nr", nr), ("department", entry.get("department")),
                           ("start_year", _year(entry.get("start"))), ("end_year", end),
                           ("aliases", old)):
            if value not in (None, "", []):
                props[key] = value
        data.nodes.append(NodeRecord(Label.AGENCY, node_id, props))
        data.relationships.append(RelRecord(Rel.SUPPORTED_BY, Label.AGENCY, node_id,
                                            Label.SOURCE, REGISTER_SOURCE_ID))
    return data.add_search_text(), report


def import_register(store: GraphStore, path: str | Path,
                    progress: Progress | None = None) -> RegisterReport:
    """Create or update one Agency per register entry; the summary reports the quirks."""
    doc = read_register(path)
    for _ in range(RECONCILE_ATTEMPTS):
        data, report = register_graph(doc, store.agencies_by_org_nr(), str(path))
        ids = [n.id for n in data.nodes]

        def check(known: OrgNrOwners, ids: list[str] = ids) -> None:
            # Inside the write transaction: the agencies may have changed since the read
            # above (a concurrent load); then reconcile again rather than write stale ids.
            if [n.id for n in register_graph(doc, known, str(path))[0].nodes] != ids:
                raise _AgenciesChanged()

        try:
            report.result = store.load(data, progress, check=check)
        except _AgenciesChanged:
            continue
        store.refresh_projection()
        return report
    raise StoreError(f"the agencies in the store changed while {path} was imported, "
                     f"{RECONCILE_ATTEMPTS} times in a row (other loads are running): try again")


RECONCILE_ATTEMPTS = 3


class _AgenciesChanged(StoreError):
    """The org nrs seen inside the write transaction differ from those the ids came from."""
