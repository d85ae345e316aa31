"""Validate a dataset folder as a whole and turn it into graph records.

`validate_dataset` collects *every* problem (it never stops at the first one);
`read_dataset` returns `GraphData` or raises `ValidationFailed` with all of them.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from graph.errors import Problem, ValidationFailed, close_matches
from graph.ids import slugify
from graph.model import DatasetMeta, GraphData, Label, NodeRecord, Rel, RelRecord

from . import schema as s
from .limits import Limits, excerpt, read_text_file, shorten
from .reader import RawEntry, parse_yaml, read_csv_entries, read_yaml_entries

FORMAT_VERSION = 1
_NESTED: dict[str, type[BaseModel]] = {
    "reported_by": s.Report,
    "agencies": s.Participation,
    "applied_by": s.Application,
    "steps": s.Step,
}
_TARGET_FILE = {
    "domain": "domains", "agency": "agencies", "life_event": "life_events",
    "source": "sources", "insight": "insights",
}


@dataclass
class Parsed:
    """The valid entries of a dataset, by file stem, with where each came from."""

    meta: DatasetMeta
    entries: dict[str, list[tuple[RawEntry, Any]]] = field(default_factory=dict)
    raw: dict[str, list[RawEntry]] = field(default_factory=dict)  # valid or not
    unreadable: set[str] = field(default_factory=set)  # files that did not parse
    files: dict[str, str] = field(default_factory=dict)  # stem -> file name used


def _present(path: Path) -> bool:
    """Whether a dataset file is there at all: a broken symlink or a FIFO counts (and is
    then refused by the reader with a reason), so that nothing is skipped in silence."""
    return os.path.lexists(path)


def _did_you_mean(word: str, options: Iterable[str]) -> str:
    close = close_matches(word, options, n=1)
    return f"did you mean '{close[0]}'?" if close else ""


def _field_path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _pydantic_problems(exc: ValidationError, raw: RawEntry,
                       model: type[BaseModel]) -> list[Problem]:
    problems = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        fld = _field_path(loc)
        kind = err["type"]
        value = err.get("input")
        hint = ""
        if kind == "extra_forbidden":
            name = str(loc[-1])
            if len(name) > 80:
                name = f"{name[:80]}… ({len(name)} chars)"
            owner: type[BaseModel] = model
            for part in loc[:-1]:
                if isinstance(part, str) and part in _NESTED:
                    owner = _NESTED[part]
            msg = f"unknown key '{name}'"
            hint = _did_you_mean(name, owner.model_fields) or (
                "allowed keys: " + ", ".join(owner.model_fields))
        elif kind == "missing":
            msg = "required field is missing"
            hint = f"add '{loc[-1]}: …' to this entry"
        elif kind == "literal_error":
            expected = err.get("ctx", {}).get("expected", "")
            msg = f"{excerpt(value)} is not an allowed value"
            hint = f"use one of {expected}"
        elif kind == "value_error":
            msg = str(err["msg"]).removeprefix("Value error, ")
        elif kind in {"string_type", "list_type", "int_type", "int_parsing", "bool_type",
                      "bool_parsing", "model_type", "dict_type", "model_attributes_type"}:
            wanted = {"string_type": "text", "list_type": "a list", "int_type": "a whole number",
                      "int_parsing": "a whole number", "bool_type": "true or false",
                      "bool_parsing": "true or false"}.get(kind, "a mapping (key: value)")
            msg = f"expected {wanted}, got {type(value).__name__} {excerpt(value)}"
            if kind == "list_type":
                hint = "write a YAML list, e.g. [a, b] or one '- item' per line"
        elif kind in {"too_short", "string_too_short"}:
            msg = "must not be empty"
        else:
            msg = str(err["msg"])
        problems.append(Problem(raw.file, raw.where(), fld, msg, hint))
    return problems


def _read_meta(folder: Path, problems: list[Problem], limits: Limits) -> DatasetMeta:
    meta_file = folder / "dataset.yaml"
    fallback = slugify(folder.resolve().name)
    if not _present(meta_file):
        return DatasetMeta(id=fallback, title=folder.name, path=str(folder))
    text, probs = read_text_file(meta_file, "dataset.yaml", "save the file as UTF-8",
                                 root=folder, max_bytes=limits.max_file_bytes)
    data = None
    if text is not None:
        data, _, probs = parse_yaml(text, "dataset.yaml", limits)
    problems.extend(probs)
    if data is None:
        return DatasetMeta(id=fallback, title=folder.name, path=str(folder))
    if not isinstance(data, dict):
        problems.append(Problem("dataset.yaml", "-", "", "must be a mapping of id, title, "
                                "description and version", "write e.g. 'id: my-dataset'"))
        return DatasetMeta(id=fallback, title=folder.name, path=str(folder))
    try:
        m = s.DatasetFile.model_validate(data)
    except ValidationError as exc:
        raw = RawEntry("dataset.yaml", 0, 1, {})
        problems.extend(_pydantic_problems(exc, raw, s.DatasetFile))
        return DatasetMeta(id=fallback, title=folder.name, path=str(folder))
    return DatasetMeta(id=m.id or fallback, title=m.title or folder.name,
                       description=m.description, version=m.version, path=str(folder))


def parse_dataset(path: str | Path) -> tuple[Parsed, list[Problem]]:
    """Read and check every entry on its own; the cross-entry checks come after."""
    folder = Path(path)
    problems: list[Problem] = []
    try:
        is_dir = stat.S_ISDIR(os.stat(folder).st_mode)
    except OSError as exc:  # e.g. a name too long for the file system; absent is "not a folder"
        is_dir = False
        if not isinstance(exc, FileNotFoundError | NotADirectoryError):
            raise ValidationFailed([Problem(shorten(str(folder)), "-", "",
                                            f"cannot be read ({exc.strerror or exc})", "")],
                                   shorten(str(folder))) from exc
    if not is_dir:
        raise ValidationFailed([Problem(str(folder), "-", "", "is not a folder",
                                        "give the path of a dataset folder, e.g. seed_data")],
                               str(folder))
    limits = Limits.current()
    meta = _read_meta(folder, problems, limits)
    if not meta.id:
        problems.append(Problem("dataset.yaml", "-", "id", "the dataset has no usable id",
                                "add 'id: my-dataset' to dataset.yaml"))
    parsed = Parsed(meta=meta)
    known = {f"{stem}.yaml" for stem in s.ENTITY_MODELS} | {
        f"{stem}.csv" for stem in s.CSV_ALLOWED} | {"dataset.yaml"}
    try:
        listing = sorted(folder.iterdir())
    except OSError as exc:
        raise ValidationFailed([Problem(str(folder), "-", "", f"cannot be listed "
                                        f"({exc.strerror or exc})", "")], str(folder)) from exc
    for p in listing:
        if p.is_file() and p.suffix.lower() in {".yaml", ".yml", ".csv"} and p.name not in known:
            problems.append(Problem(p.name, "-", "", "not a file of the dataset format",
                                    _did_you_mean(p.name, known) or
                                    "entity files are: " + ", ".join(sorted(known))))
    for stem, model in s.ENTITY_MODELS.items():
        yaml_path, csv_path = folder / f"{stem}.yaml", folder / f"{stem}.csv"
        has_csv = stem in s.CSV_ALLOWED and _present(csv_path)
        if _present(yaml_path) and has_csv:
            problems.append(Problem(f"{stem}.csv", "-", "",
                                    f"both {stem}.yaml and {stem}.csv exist",
                                    "keep one of the two files"))
        if _present(yaml_path):
            raws, probs = read_yaml_entries(yaml_path, yaml_path.name, folder, limits)
            parsed.files[stem] = yaml_path.name
        elif has_csv:
            raws, probs = read_csv_entries(csv_path, csv_path.name, folder, limits)
            parsed.files[stem] = csv_path.name
        else:
            continue
        problems.extend(probs)
        if probs and not raws:
            parsed.unreadable.add(stem)
        parsed.raw[stem] = raws
        valid: list[tuple[RawEntry, Any]] = []
        for raw in raws:
            if not isinstance(raw.data, dict):
                problems.append(Problem(raw.file, raw.where(), "",
                                        f"expected a mapping (key: value), got "
                                        f"{type(raw.data).__name__}",
                                        "write each entry as '- id: …' with its keys below"))
                continue
            try:
                valid.append((raw, model.model_validate(raw.data)))
                # The model holds the values now; keep only what locates the entry, so that a
                # large file is not held twice (cross-checks read ids, messages read where()).
                raw.data = {k: raw.data[k] for k in ("id", "life_event") if k in raw.data}
            except ValidationError as exc:
                problems.extend(_pydantic_problems(exc, raw, model))
        parsed.entries[stem] = valid
    return parsed, problems


def _cross_check(parsed: Parsed) -> list[Problem]:
    problems: list[Problem] = []
    # Ids come from every entry, valid or not, so one bad field does not also make every
    # reference to that entry look dangling.
    ids: dict[str, dict[str, RawEntry]] = {}
    for stem in ("domains", "agencies", "life_events", "sources", "insights", "principles"):
        seen: dict[str, RawEntry] = {}
        for raw in parsed.raw.get(stem, []):
            entry_id = raw.data.get("id") if isinstance(raw.data, dict) else None
            if not isinstance(entry_id, str):
                continue
            if entry_id in seen:
                first = seen[entry_id]
                at = f"entry {first.index + 1}" + (
                    f" (line {first.line})" if first.line is not None else "")
                if first.is_csv:
                    at = f"row {first.line}"
                problems.append(Problem(raw.file, raw.where(), "id",
                                        f"duplicate id '{entry_id}'",
                                        f"the first '{entry_id}' is {at}; give each entry "
                                        "its own id"))
            else:
                seen[entry_id] = raw
        ids[stem] = seen

    suggestions = [200]  # difflib is slow over many ids: suggest for the first ones only

    def ref(raw: RawEntry, fld: str, target: str, value: str | None) -> None:
        if value is None:
            return
        stem = _TARGET_FILE[target]
        if stem in parsed.unreadable:  # its ids are unknown; its own error says why
            return
        if value not in ids.get(stem, {}):
            article = "an" if target[0] in "aeiou" else "a"
            options = ids.get(stem, {})
            close = ""
            if suggestions[0] > 0 and len(options) <= 10_000:
                suggestions[0] -= 1
                close = _did_you_mean(value, options)
            hint = close or (
                f"add {article} {target.replace('_', ' ')} with id '{value}' to "
                f"{parsed.files.get(stem, stem + '.yaml')}, or fix the id")
            problems.append(Problem(raw.file, raw.where(), fld,
                                    f"refers to unknown {target} '{value}'", hint))

    org_nrs: dict[str, str] = {}
    for raw, a in parsed.entries.get("agencies", []):
        ref(raw, "source", "source", a.source)
        if a.org_nr:
            if a.org_nr in org_nrs and org_nrs[a.org_nr] != a.id:
                problems.append(Problem(raw.file, raw.where(), "org_nr",
                                        f"org nr {a.org_nr} is also used by agency "
                                        f"'{org_nrs[a.org_nr]}'",
                                        "one organisation is one agency: merge the entries"))
            org_nrs.setdefault(a.org_nr, a.id)
    for raw, le in parsed.entries.get("life_events", []):
        ref(raw, "domain", "domain", le.domain)
        for i, p in enumerate(le.agencies):
            ref(raw, f"agencies[{i}].agency", "agency", p.agency)
        for i, src in enumerate(le.sources):
            ref(raw, f"sources[{i}]", "source", src)
    for raw, so in parsed.entries.get("sources", []):
        ref(raw, "publisher", "agency", so.publisher)
        for i, a in enumerate(so.participants):
            ref(raw, f"participants[{i}]", "agency", a)
    insights: dict[str, Any] = {}
    for _, i in parsed.entries.get("insights", []):
        insights.setdefault(i.id, i)
    canonical_owner: dict[str, str] = {}
    for raw, ins in parsed.entries.get("insights", []):
        if ins.canonical is not None:
            if ins.kind != "general":
                problems.append(Problem(raw.file, raw.where(), "canonical",
                                        "only a general insight can be one of the five",
                                        "remove 'canonical' or make the insight kind: general"))
            elif canonical_owner.setdefault(ins.canonical, ins.id) != ins.id:
                problems.append(Problem(raw.file, raw.where(), "canonical",
                                        f"'{ins.canonical}' is already insight "
                                        f"'{canonical_owner[ins.canonical]}'",
                                        "each of the five general insights is one entry"))
        for i, g in enumerate(ins.instance_of):
            ref(raw, f"instance_of[{i}]", "insight", g)
            target = insights.get(g)
            if target is not None and target.kind != "general":
                problems.append(Problem(raw.file, raw.where(), f"instance_of[{i}]",
                                        f"'{g}' is a specific insight, not a general one",
                                        "instance_of must point to an insight with "
                                        "kind: general"))
            if g == ins.id:
                problems.append(Problem(raw.file, raw.where(), f"instance_of[{i}]",
                                        "an insight cannot be an instance of itself", ""))
        for i, le_id in enumerate(ins.life_events):
            ref(raw, f"life_events[{i}]", "life_event", le_id)
        agencies_seen: set[str] = set()
        for i, r in enumerate(ins.reported_by):
            ref(raw, f"reported_by[{i}].agency", "agency", r.agency)
            ref(raw, f"reported_by[{i}].source", "source", r.source)
            if r.agency in agencies_seen:
                problems.append(Problem(raw.file, raw.where(), f"reported_by[{i}].agency",
                                        f"agency '{r.agency}' is listed twice",
                                        "list each reporting agency once, with its first year"))
            agencies_seen.add(r.agency)
        for i, src in enumerate(ins.sources):
            ref(raw, f"sources[{i}]", "source", src)
        ref(raw, "superseded_by", "insight", ins.superseded_by)
        if ins.superseded_by == ins.id:
            problems.append(Problem(raw.file, raw.where(), "superseded_by",
                                    "an insight cannot supersede itself", ""))
    for raw, pr in parsed.entries.get("principles", []):
        ref(raw, "source", "source", pr.source)
        for i, target in enumerate(pr.addresses):
            ref(raw, f"addresses[{i}]", "insight", target)
        for i, ap in enumerate(pr.applied_by):
            ref(raw, f"applied_by[{i}].agency", "agency", ap.agency)
    step_ids: dict[str, str] = {}
    journeys_for: dict[str, RawEntry] = {}
    for raw, j in parsed.entries.get("journeys", []):
        ref(raw, "life_event", "life_event", j.life_event)
        if j.life_event in journeys_for:
            problems.append(Problem(raw.file, raw.where(), "life_event",
                                    f"a second journey for life event '{j.life_event}'",
                                    "merge the steps into one journey per life event"))
        journeys_for.setdefault(j.life_event, raw)
        for i, src in enumerate(j.sources):
            ref(raw, f"sources[{i}]", "source", src)
        for i, st in enumerate(j.steps):
            ref(raw, f"steps[{i}].agency", "agency", st.agency)
            if st.id in step_ids:
                problems.append(Problem(raw.file, raw.where(), f"steps[{i}].id",
                                        f"duplicate step id '{st.id}'",
                                        f"already used in the journey of "
                                        f"'{step_ids[st.id]}'; step ids are unique per dataset"))
            step_ids.setdefault(st.id, j.life_event)
    return problems


def validate_dataset(path: str | Path) -> tuple[Parsed | None, list[Problem]]:
    """Every problem in the dataset at `path`, in file order. An empty list means valid."""
    try:
        parsed, problems = parse_dataset(path)
    except ValidationFailed as exc:
        return None, exc.problems
    order = {name: i for i, name in enumerate(
        ["dataset.yaml", *[f"{st}.{ext}" for st in s.ENTITY_MODELS for ext in ("yaml", "csv")]])}
    every = problems + _cross_check(parsed)
    every.sort(key=lambda p: order.get(p.file, len(order)))  # stable: file order, then as found
    return parsed, every


def _props(model: BaseModel, fields: Iterable[str]) -> dict[str, Any]:
    """Node properties: absent and empty values are left out, so both stores agree."""
    out: dict[str, Any] = {}
    for name in fields:
        value = getattr(model, name)
        if value is None or value == [] or value == "":
            continue
        out[name] = value
    return out


_COMMON = ("illustrative", "note")


def to_graph_data(parsed: Parsed) -> GraphData:
    """Map valid entries onto nodes and relationships (see graph.model for the types)."""
    g = GraphData(dataset=parsed.meta)
    nodes, rels = g.nodes, g.relationships

    def e(stem: str) -> list[Any]:
        return [entry for _, entry in parsed.entries.get(stem, [])]

    def supported(label: Label, node_id: str, sources: Iterable[str]) -> None:
        for src in dict.fromkeys(sources):
            rels.append(RelRecord(Rel.SUPPORTED_BY, label, node_id, Label.SOURCE, src))

    for d in e("domains"):
        nodes.append(NodeRecord(Label.DOMAIN, d.id, _props(d, ("name", "name_en", *_COMMON))))
    for a in e("agencies"):
        nodes.append(NodeRecord(Label.AGENCY, a.id, _props(
            a, ("name", "name_en", "short_name", "org_nr", "kind", "url", "aliases", *_COMMON))))
        if a.source:
            supported(Label.AGENCY, a.id, [a.source])
    for so in e("sources"):
        nodes.append(NodeRecord(Label.SOURCE, so.id, _props(
            so, ("title", "kind", "date", "url", *_COMMON))))
        if so.publisher:
            rels.append(RelRecord(Rel.PUBLISHED_BY, Label.SOURCE, so.id, Label.AGENCY,
                                  so.publisher))
        for a in dict.fromkeys(so.participants):
            rels.append(RelRecord(Rel.ATTENDED, Label.AGENCY, a, Label.SOURCE, so.id))
    for le in e("life_events"):
        nodes.append(NodeRecord(Label.LIFE_EVENT, le.id, _props(
            le, ("name", "name_en", "kind", "description", "description_en", *_COMMON))))
        rels.append(RelRecord(Rel.IN_DOMAIN, Label.LIFE_EVENT, le.id, Label.DOMAIN, le.domain))
        for p in le.agencies:
            props = {"role": p.role} if p.role else {}
            rels.append(RelRecord(Rel.TAKES_PART_IN, Label.AGENCY, p.agency, Label.LIFE_EVENT,
                                  le.id, props))
        supported(Label.LIFE_EVENT, le.id, le.sources)
    for ins in e("insights"):
        nodes.append(NodeRecord(Label.INSIGHT, ins.id, _props(
            ins, ("title", "title_en", "statement", "statement_en", "kind", "status",
                  "canonical", *_COMMON))))
        for gen in dict.fromkeys(ins.instance_of):
            rels.append(RelRecord(Rel.INSTANCE_OF, Label.INSIGHT, ins.id, Label.INSIGHT, gen))
        for le_id in dict.fromkeys(ins.life_events):
            rels.append(RelRecord(Rel.ARISES_IN, Label.INSIGHT, ins.id, Label.LIFE_EVENT,
                                  le_id))
        for r in ins.reported_by:
            props = {k: v for k, v in (("year", r.year), ("source", r.source)) if v is not None}
            rels.append(RelRecord(Rel.REPORTS, Label.AGENCY, r.agency, Label.INSIGHT, ins.id,
                                  props))
        supported(Label.INSIGHT, ins.id, ins.sources)
        if ins.superseded_by:
            rels.append(RelRecord(Rel.SUPERSEDED_BY, Label.INSIGHT, ins.id, Label.INSIGHT,
                                  ins.superseded_by))
    for pr in e("principles"):
        nodes.append(NodeRecord(Label.PRINCIPLE, pr.id, _props(
            pr, ("name", "name_en", "description", "description_en", *_COMMON))))
        if pr.source:
            rels.append(RelRecord(Rel.DEFINED_IN, Label.PRINCIPLE, pr.id, Label.SOURCE,
                                  pr.source))
        for target in dict.fromkeys(pr.addresses):
            rels.append(RelRecord(Rel.ADDRESSES, Label.PRINCIPLE, pr.id, Label.INSIGHT,
                                  target))
        for ap in pr.applied_by:
            rels.append(RelRecord(Rel.APPLIES, Label.AGENCY, ap.agency, Label.PRINCIPLE,
                                  pr.id, {"status": ap.status}))
    for j in e("journeys"):
        previous: str | None = None
        for order, st in enumerate(j.steps, start=1):
            props = _props(st, ("action", "action_en", "customer_carries", "feedback",
                                "taken_by", "agency_terms", "note"))
            props["order"] = order
            props["life_event"] = j.life_event
            props["illustrative"] = bool(st.illustrative or j.illustrative)
            nodes.append(NodeRecord(Label.JOURNEY_STEP, st.id, props))
            rels.append(RelRecord(Rel.HAS_STEP, Label.LIFE_EVENT, j.life_event,
                                  Label.JOURNEY_STEP, st.id, {"order": order}))
            rels.append(RelRecord(Rel.HANDLED_BY, Label.JOURNEY_STEP, st.id, Label.AGENCY,
                                  st.agency))
            supported(Label.JOURNEY_STEP, st.id, j.sources)
            if previous:
                rels.append(RelRecord(Rel.NEXT, Label.JOURNEY_STEP, previous,
                                      Label.JOURNEY_STEP, st.id))
            previous = st.id
    return g.add_search_text()


def read_dataset(path: str | Path) -> GraphData:
    """Validate the dataset at `path` and return its graph records, or raise ValidationFailed."""
    parsed, problems = validate_dataset(path)
    if problems or parsed is None:
        raise ValidationFailed(problems, str(path))
    return to_graph_data(parsed)
