"""Write a (sub)graph back out as a dataset folder in format v1: the inverse of
`loaders.dataset.to_graph_data`.

Only the documented fields are written (docs/dataset-format.md); derived properties
(`search_text`, `datasets`, a step's `order` and `life_event`) and register-only ones
(`department`, `start_year`, `end_year`, `ended`, `register_id`) are left out. Output is
stable: entries sorted by id, journeys by life event, steps in order, keys in the documented
order, so writing the same graph twice gives byte-identical files.

A few things the graph can hold and format v1 cannot, and what the writer does with them:

* An agency supported by several sources: the format has one `source`; the first by id is
  kept.
* Journey-level `illustrative`: the graph keeps it on every step. When all steps of a journey
  are illustrative the journey is written as illustrative; otherwise the flag goes on the
  steps that have it. Journey sources are the union of the steps' sources.
* One org nr on two agencies (the register has such pairs): v1 allows one agency per org nr,
  so it stays on the first agency by id and the others get a note saying why it is missing.
* A reference to an entity that is not in the graph being written (e.g. a REPORTS `source`
  outside a subgraph) is left out, and a warning says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import yaml

from graph.errors import ValidationFailed
from graph.model import DatasetMeta, Label, Rel
from graph.walk import in_rels, out_nodes, out_rels

from .dataset import validate_dataset

# Entity files in the order of the format, with each type's fields in documented order.
FIELDS: dict[str, tuple[str, ...]] = {
    "domains": ("id", "name", "name_en"),
    "agencies": ("id", "name", "name_en", "short_name", "org_nr", "kind", "url", "aliases",
                 "source"),
    "life_events": ("id", "name", "name_en", "domain", "kind", "description", "description_en",
                    "agencies", "sources"),
    "sources": ("id", "title", "kind", "date", "url", "publisher", "participants"),
    "insights": ("id", "title", "title_en", "statement", "statement_en", "kind", "instance_of",
                 "life_events", "reported_by", "sources", "status", "superseded_by",
                 "canonical"),
    "principles": ("id", "name", "name_en", "description", "description_en", "source",
                   "addresses", "applied_by"),
    "journeys": ("life_event", "sources", "steps"),
}
STEP_FIELDS = ("id", "agency", "action", "action_en", "customer_carries", "feedback",
               "taken_by", "agency_terms")
COMMON = ("illustrative", "note")
_LABEL_FILE = {"Domain": "domains", "Agency": "agencies", "LifeEvent": "life_events",
               "Source": "sources", "Insight": "insights", "Principle": "principles"}
Entries = dict[str, list[dict[str, Any]]]


@dataclass
class WriteResult:
    path: Path
    counts: dict[str, int]
    warnings: list[str] = field(default_factory=list)


def _clean(value: Any) -> Any:
    """Strip text the way the schema does on reading, so a round trip changes nothing."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value is False


def _entry(fields: tuple[str, ...], values: dict[str, Any]) -> dict[str, Any]:
    """Keys in documented order; absent, empty and false values left out."""
    out: dict[str, Any] = {}
    for name in (*fields, *COMMON):
        value = _clean(values.get(name))
        if not _empty(value):
            out[name] = value
    return out


def graph_entries(g: nx.MultiDiGraph) -> tuple[Entries, list[str]]:
    """The dataset entries (by file stem) that `g` holds, and warnings about what was lost."""
    warnings: list[str] = []
    nodes: dict[str, dict[str, dict[str, Any]]] = {}
    for _, a in g.nodes(data=True):
        nodes.setdefault(a["label"], {})[a["id"]] = a

    def ident(key: str) -> str:
        return str(g.nodes[key]["id"])

    def out(key: str, rel: Rel) -> list[str]:
        return sorted(ident(v) for v in out_nodes(g, key, rel))

    def into(key: str, rel: Rel) -> list[tuple[str, dict[str, Any]]]:
        return sorted(((ident(u), a) for u, a in in_rels(g, key, rel)), key=lambda t: t[0])

    keys = {(a["label"], a["id"]): n for n, a in g.nodes(data=True)}
    sources_present = set(nodes.get("Source", {}))
    entries: Entries = {stem: [] for stem in FIELDS}

    for _, a in sorted(nodes.get("Domain", {}).items()):
        entries["domains"].append(_entry(FIELDS["domains"], a))

    org_owner: dict[str, str] = {}
    for node_id, a in sorted(nodes.get("Agency", {}).items()):
        key = keys[("Agency", node_id)]
        values = dict(a)
        srcs = out(key, Rel.SUPPORTED_BY)
        if len(srcs) > 1:
            warnings.append(f"agency '{node_id}' has {len(srcs)} sources; the format keeps one "
                            f"('{srcs[0]}')")
        values["source"] = srcs[0] if srcs else None
        nr = a.get("org_nr")
        if nr:
            if nr in org_owner:
                values["org_nr"] = None
                extra = (f"Org nr {nr} is also held by '{org_owner[nr]}' in the source graph; "
                         "left out here, as format v1 allows one agency per org nr.")
                values["note"] = f"{a['note'].strip()} {extra}" if a.get("note") else extra
                warnings.append(f"agency '{node_id}': org nr {nr} left out (also on "
                                f"'{org_owner[nr]}')")
            else:
                org_owner[nr] = node_id
        entries["agencies"].append(_entry(FIELDS["agencies"], values))

    for node_id, a in sorted(nodes.get("LifeEvent", {}).items()):
        key = keys[("LifeEvent", node_id)]
        values = dict(a)
        domains = out(key, Rel.IN_DOMAIN)
        values["domain"] = domains[0] if domains else None
        values["agencies"] = [_entry(("agency", "role"), {"agency": ag, "role": e.get("role")})
                              for ag, e in into(key, Rel.TAKES_PART_IN)]
        values["sources"] = out(key, Rel.SUPPORTED_BY)
        entries["life_events"].append(_entry(FIELDS["life_events"], values))

    for node_id, a in sorted(nodes.get("Source", {}).items()):
        key = keys[("Source", node_id)]
        values = dict(a)
        publishers = out(key, Rel.PUBLISHED_BY)
        values["publisher"] = publishers[0] if publishers else None
        values["participants"] = [ag for ag, _ in into(key, Rel.ATTENDED)]
        entries["sources"].append(_entry(FIELDS["sources"], values))

    for node_id, a in sorted(nodes.get("Insight", {}).items()):
        key = keys[("Insight", node_id)]
        values = dict(a)
        values["instance_of"] = out(key, Rel.INSTANCE_OF)
        values["life_events"] = out(key, Rel.ARISES_IN)
        reported = []
        for agency, e in into(key, Rel.REPORTS):
            src = e.get("source")
            if src and src not in sources_present:
                warnings.append(f"insight '{node_id}': source '{src}' of the report by "
                                f"'{agency}' is not in the graph; left out")
                src = None
            reported.append(_entry(("agency", "source", "year"),
                                   {"agency": agency, "source": src, "year": e.get("year")}))
        values["reported_by"] = reported
        values["sources"] = out(key, Rel.SUPPORTED_BY)
        superseded = out(key, Rel.SUPERSEDED_BY)
        values["superseded_by"] = superseded[0] if superseded else None
        entries["insights"].append(_entry(FIELDS["insights"], values))

    for node_id, a in sorted(nodes.get("Principle", {}).items()):
        key = keys[("Principle", node_id)]
        values = dict(a)
        defined = out(key, Rel.DEFINED_IN)
        values["source"] = defined[0] if defined else None
        values["addresses"] = out(key, Rel.ADDRESSES)
        values["applied_by"] = [
            {"agency": ag, "status": str(e.get("status") or "adopted")}
            for ag, e in into(key, Rel.APPLIES)]
        entries["principles"].append(_entry(FIELDS["principles"], values))

    for le_id in sorted(nodes.get("LifeEvent", {})):
        key = keys[("LifeEvent", le_id)]
        steps = sorted(((int(e.get("order") or g.nodes[v].get("order") or 0), v)
                        for v, e in out_rels(g, key, Rel.HAS_STEP)),
                       key=lambda t: (t[0], ident(t[1])))
        if not steps:
            continue
        step_sources: set[str] = set()
        written = []
        flags = [bool(g.nodes[v].get("illustrative")) for _, v in steps]
        all_illustrative = all(flags)
        for _, v in steps:
            sa = g.nodes[v]
            handlers = out(v, Rel.HANDLED_BY)
            step_sources.update(out(v, Rel.SUPPORTED_BY))
            values = {**sa, "agency": handlers[0] if handlers else None}
            if all_illustrative:
                values["illustrative"] = False
            written.append(_entry(STEP_FIELDS, values))
        entries["journeys"].append(_entry(FIELDS["journeys"], {
            "life_event": le_id, "sources": sorted(step_sources), "steps": written,
            "illustrative": all_illustrative}))
    # A dataset's alias table (AgencyAlias) is bookkeeping of the load that made it, not
    # data: a written dataset names agencies by their node ids and needs none.
    for label in sorted(set(nodes) - set(_LABEL_FILE) - {"JourneyStep", Label.AGENCY_ALIAS}):
        warnings.append(f"{len(nodes[label])} nodes with label {label} are not part of the "
                        "format and were not written")
    return entries, warnings


# libyaml's emitter when PyYAML was built with it: ~10x faster, and the same text for the
# plain lists, mappings, strings, numbers and booleans a dataset holds.
_Dumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def dump_yaml(data: Any) -> str:
    """The one YAML style every written file uses (UTF-8 text, block style, stable)."""
    return str(yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100,
                         default_flow_style=False))


CHUNK = 1000
"""Entries per YAML dump: PyYAML slows down more than linearly on one long list, so long
lists are dumped in chunks (the text is the same as one dump of the whole list)."""


def _write_list(path: Path, items: list[Any]) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as f:
        if not items:
            f.write(dump_yaml([]))
        for start in range(0, len(items), CHUNK):
            f.write(dump_yaml(items[start:start + CHUNK]))


def write_entries(folder: str | Path, header: DatasetMeta, entries: Entries,
                  validate: bool = True) -> WriteResult:
    """Write dataset.yaml and one YAML file per entity type (all seven, empty ones as `[]`);
    then, unless `validate` is false, check the folder and raise ValidationFailed if invalid.
    Time and memory stay linear in the number of entries (the generator writes 1000× the seed)."""
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    meta = {k: v for k, v in (("id", header.id), ("title", header.title),
                              ("description", header.description),
                              ("version", header.version)) if v}
    (path / "dataset.yaml").write_text(dump_yaml(meta), encoding="utf-8")
    counts: dict[str, int] = {}
    for stem in FIELDS:
        items = entries.get(stem, [])
        counts[stem] = len(items)
        _write_list(path / f"{stem}.yaml", list(items))
    if validate:
        _, problems = validate_dataset(path)
        if problems:
            raise ValidationFailed(problems, str(path))
    return WriteResult(path, counts)


def write_dataset(g: nx.MultiDiGraph, folder: str | Path, header: DatasetMeta,
                  validate: bool = True) -> WriteResult:
    """Write `g` (typically a subgraph) as a format v1 dataset folder and validate it."""
    entries, warnings = graph_entries(g)
    result = write_entries(folder, header, entries, validate)
    result.warnings.extend(warnings)
    return result
