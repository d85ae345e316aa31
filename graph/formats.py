"""More ways to write the graph out, all from its networkx form (so from any store):

* `neo4j-admin`: a folder of CSV files for `neo4j-admin database import full`, one nodes file
  per label and one relationships file per type, with typed columns, plus `import.sh` and a
  README with the command;
* `cypher`: one Cypher script (constraints first, then batched UNWIND … MERGE) that recreates
  the graph in any Neo4j 5;
* `jsonld`: JSON-LD aligned with CPSV-AP 3.2 (life events, public organisations, journey steps
  as public services, carried documents as evidence), with the customer insights as SKOS
  concepts in Insiktsgrafen's own namespace (`INSIKT_NS`).

Node ids are unique per label only, so the CSV and Cypher forms identify a node by its label
and id ("Agency:skatteverket" as the import id; `id` stays a property of its own).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import networkx as nx

from . import cypher
from .canonical import Canonical, canonical_insights, canonical_of
from .errors import InsiktError
from .ids import slugify

NEO4J_ADMIN_ARRAY_DELIMITERS = (";", "|", "¦")
CYPHER_BATCH = 500


def _sorted_nodes(g: nx.MultiDiGraph) -> list[tuple[str, dict[str, Any]]]:
    return sorted(g.nodes(data=True), key=lambda t: (t[1]["label"], t[1]["id"]))


def _sorted_edges(g: nx.MultiDiGraph) -> list[tuple[str, str, str, dict[str, Any]]]:
    return sorted(g.edges(keys=True, data=True), key=lambda t: (t[2], t[0], t[1]))


def _node_props(a: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in sorted(a.items()) if k not in ("label", "id") and v is not None}


def _edge_props(a: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in sorted(a.items()) if k != "type" and v is not None}


# -- neo4j-admin CSV ---------------------------------------------------------------------------

def _scalar_type(values: list[Any]) -> str | None:
    kinds = {type(v) for v in values}
    if not kinds:
        return "string"
    if kinds == {bool}:
        return "boolean"
    if kinds == {int}:
        return "int" if all(-(2**31) <= v < 2**31 for v in values) else "long"
    if kinds <= {int, float}:
        return "double"
    if kinds == {str}:
        return "string"
    return None


def column_type(values: Iterable[Any]) -> str:
    """The neo4j-admin type of a property column: int, long, double, boolean, string, or an
    array of one of those (`string[]`); anything mixed is written as JSON text (`string`)."""
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, list) for v in present):
        items = [x for v in present for x in v]
        inner = _scalar_type(items)
        return f"{inner}[]" if inner else "string"
    if any(isinstance(v, list | dict) for v in present):
        return "string"
    return _scalar_type(present) or "string"


def _csv_value(value: Any, typ: str, delimiter: str) -> str:
    if value is None:
        return ""
    if typ.endswith("[]"):
        return delimiter.join(_csv_value(x, typ[:-2], delimiter) for x in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _array_delimiter(g: nx.MultiDiGraph) -> str:
    """The first of `;`, `|`, `¦` that no list item contains (neo4j-admin has no escaping)."""
    used: set[str] = set()
    for _, a in g.nodes(data=True):
        for v in a.values():
            if isinstance(v, list):
                used.update(ch for x in v for ch in NEO4J_ADMIN_ARRAY_DELIMITERS if ch in str(x))
    for _, _, a in g.edges(data=True):
        for v in a.values():
            if isinstance(v, list):
                used.update(ch for x in v for ch in NEO4J_ADMIN_ARRAY_DELIMITERS if ch in str(x))
    for ch in NEO4J_ADMIN_ARRAY_DELIMITERS:
        if ch not in used:
            return ch
    raise InsiktError("every array delimiter (; | ¦) occurs inside a list value; the graph "
                      "cannot be written for neo4j-admin")


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def neo4j_admin_args(database: str, delimiter: str, files: list[str]) -> list[str]:
    """The arguments after `neo4j-admin`: since 5.19 the database name comes before the
    options (`database import full neo4j --nodes=…`); the README and tests use this one list."""
    return ["database", "import", "full", database, "--overwrite-destination",
            f"--array-delimiter={delimiter}", "--multiline-fields=true", *files]


def neo4j_admin_command(database: str, delimiter: str, files: list[str]) -> str:
    """The shell command of `neo4j_admin_args` (the delimiter quoted)."""
    args = neo4j_admin_args(database, delimiter, files)
    return "neo4j-admin " + " ".join(f"'{a}'" if a.startswith("--array-delimiter") else a
                                     for a in args)


def write_neo4j_admin(g: nx.MultiDiGraph, folder: str | Path) -> Path:
    """A folder for `neo4j-admin database import full`: `nodes_<Label>.csv` with `:ID`
    ("Label:id", one id space for all labels), `id:string`, `:LABEL` and typed properties;
    `rels_<TYPE>.csv` with `:START_ID`, `:END_ID`, `:TYPE` and typed properties; `import.sh`
    and `README.md` with the command (its --array-delimiter matches the files)."""
    out = Path(folder)
    if out.exists() and not out.is_dir():
        raise InsiktError(f"{out} is a file; neo4j-admin export writes a folder")
    out.mkdir(parents=True, exist_ok=True)
    delim = _array_delimiter(g)
    by_label: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for key, a in _sorted_nodes(g):
        by_label.setdefault(a["label"], []).append((key, a))
    node_files = []
    for label, items in sorted(by_label.items()):
        props = sorted({k for _, a in items for k in _node_props(a)})
        types = {p: column_type(a.get(p) for _, a in items) for p in props}
        header = [":ID", "id:string", ":LABEL", *(f"{p}:{types[p]}" for p in props)]
        rows = [[key, str(a["id"]), label, *(_csv_value(a.get(p), types[p], delim) for p in props)]
                for key, a in items]
        name = f"nodes_{label}.csv"
        _write_csv(out / name, header, rows)
        node_files.append(name)
    datasets = g.graph.get("datasets") or {}
    if datasets:
        # The dataset metadata nodes of the Neo4j store, so the imported graph lists its
        # datasets (`labels` as JSON text, as the store keeps it).
        header = [":ID", "id:string", ":LABEL", "title:string", "description:string",
                  "version:string", "path:string", "nodes:long", "relationships:long",
                  "labels:string", "loaded_at:string"]
        rows = [[f"InsiktDataset:{ds}", ds, "InsiktDataset", m.get("title", ""),
                 m.get("description", ""), m.get("version", ""), m.get("path", ""),
                 str(m.get("nodes", 0)), str(m.get("relationships", 0)),
                 json.dumps(m.get("labels") or {}, ensure_ascii=False, sort_keys=True),
                 "imported"] for ds, m in sorted(datasets.items())]
        _write_csv(out / "nodes_InsiktDataset.csv", header, rows)
        node_files.append("nodes_InsiktDataset.csv")
    by_type: dict[str, list[tuple[str, str, dict[str, Any]]]] = {}
    for u, v, k, a in _sorted_edges(g):
        by_type.setdefault(k, []).append((u, v, a))
    rel_files = []
    for rel, rels in sorted(by_type.items()):
        props = sorted({k for _, _, a in rels for k in _edge_props(a)})
        types = {p: column_type(a.get(p) for _, _, a in rels) for p in props}
        header = [":START_ID", ":END_ID", ":TYPE", *(f"{p}:{types[p]}" for p in props)]
        rows = [[u, v, rel, *(_csv_value(a.get(p), types[p], delim) for p in props)]
                for u, v, a in rels]
        name = f"rels_{rel}.csv"
        _write_csv(out / name, header, rows)
        rel_files.append(name)
    args = [f"--nodes={n}" for n in node_files] + [f"--relationships={r}" for r in rel_files]
    command = neo4j_admin_command("neo4j", delim, args)
    script = ["#!/bin/sh",
              "# Import this graph into an empty Neo4j 5 database with neo4j-admin.",
              "# Stop the database first; --overwrite-destination replaces its content.",
              "# Then create the id constraints (or let Insiktsgrafen's Neo4j store do it).",
              "# Since Neo4j 5.19 the database name comes before the options.",
              "set -e", 'cd "$(dirname "$0")"',
              'neo4j-admin database import full "${1:-neo4j}" --overwrite-destination \\',
              f"  '--array-delimiter={delim}' --multiline-fields=true \\",
              *(f"  {a} \\" for a in args[:-1]), f"  {args[-1]}" if args else "", ""]
    (out / "import.sh").write_text("\n".join(script), encoding="utf-8")
    (out / "import.sh").chmod(0o755)
    readme = ["# Insiktsgrafen for neo4j-admin", "",
              f"{g.number_of_nodes()} nodes in {len(node_files)} files, "
              f"{g.number_of_edges()} relationships in {len(rel_files)} files. The `:ID` of a "
              "node is `Label:id`; `id` is a property of its own. Array properties use "
              f"`{delim}` between items.", "",
              "Import into an empty, stopped database (from this folder):", "", "```sh",
              command, "```", "", "or run `sh import.sh [database]`.", ""]
    (out / "README.md").write_text("\n".join(readme), encoding="utf-8")
    return out


# -- Cypher script ------------------------------------------------------------------------------

def cypher_literal(value: Any) -> str:
    """A Cypher literal for a property value (see `graph.cypher.literal`)."""
    return cypher.literal(value)


def _batches(items: list[Any], size: int) -> Iterable[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def cypher_script(g: nx.MultiDiGraph, batch: int = CYPHER_BATCH) -> str:
    """The Cypher that recreates `g`: a uniqueness constraint on `id` per label, then nodes
    and relationships in batches of UNWIND … MERGE … SET += (safe to run twice)."""
    lines = [f"// Insiktsgrafen graph: {g.number_of_nodes()} nodes, {g.number_of_edges()} "
             "relationships.", "// Run with: cypher-shell -f graph.cypher", ""]
    by_label: dict[str, list[dict[str, Any]]] = {}
    for _, a in _sorted_nodes(g):
        by_label.setdefault(a["label"], []).append({"id": a["id"], "props": _node_props(a)})
    for label in sorted(by_label):
        # The names the Neo4j store uses, so running the script there adds nothing twice.
        lines.append(cypher.id_constraint(label, quote=cypher.bare) + ";")
    lines.append("")
    for label, rows in sorted(by_label.items()):
        for chunk in _batches(rows, batch):
            lines.append(cypher.merge_nodes(label, cypher_literal(chunk), track_datasets=False,
                                            sep="\n", quote=cypher.bare) + ";")
    datasets = g.graph.get("datasets") or {}
    if datasets:
        # The dataset metadata nodes of the Neo4j store (graph.cypher.META_LABEL), so the
        # restored graph lists its datasets; `labels` is JSON text, as the store keeps it.
        lines.append(cypher.id_constraint(cypher.META_LABEL, quote=cypher.bare) + ";")
        rows = [{"id": ds, "props": {**{k: v for k, v in meta.items() if k != "labels"},
                                     "labels": json.dumps(meta.get("labels") or {},
                                                          ensure_ascii=False, sort_keys=True)}}
                for ds, meta in sorted(datasets.items())]
        lines.append(cypher.restore_datasets(cypher_literal(rows)) + ";")
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for u, v, k, a in _sorted_edges(g):
        su, sv = g.nodes[u], g.nodes[v]
        groups.setdefault((k, su["label"], sv["label"]), []).append(
            {"start": su["id"], "end": sv["id"], "props": _edge_props(a)})
    for (rel, start, end), rows in sorted(groups.items()):
        for chunk in _batches(rows, batch):
            lines.append(cypher.merge_rels(rel, start, end, cypher_literal(chunk),
                                           track_datasets=False, sep="\n",
                                           quote=cypher.bare) + ";")
    return "\n".join(lines) + "\n"


def split_cypher_statements(text: str) -> list[str]:
    """Split a script on `;` outside strings, backticks and `//` comments."""
    out: list[str] = []
    buf: list[str] = []
    quote: str | None = None
    i = 0
    while i < len(text):
        ch = text[i]
        if quote:
            buf.append(ch)
            if ch == "\\" and quote != "`" and i + 1 < len(text):
                buf.append(text[i + 1])
                i += 1
            elif ch == quote:
                quote = None
        elif ch in "'\"`":
            quote = ch
            buf.append(ch)
        elif text.startswith("//", i):
            end = text.find("\n", i)
            i = len(text) if end < 0 else end
            continue
        elif ch == ";":
            stmt = "".join(buf).strip()
            if stmt:
                out.append(stmt)
            buf = []
        else:
            buf.append(ch)
        i += 1
    tail = "".join(buf).strip()
    if tail:
        out.append(tail)
    return out


def write_cypher(g: nx.MultiDiGraph, path: str | Path) -> Path:
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(cypher_script(g), encoding="utf-8")
    return out


# -- JSON-LD (CPSV-AP 3.2) ---------------------------------------------------------------------

INSIKT_NS = "https://insiktsgrafen.example/ns#"
"""Insiktsgrafen's own vocabulary (classes and properties CPSV-AP does not have)."""
INSIKT_ID = "https://insiktsgrafen.example/id/"
"""Base of the IRIs of Insiktsgrafen's entities: <base><type>/<id>."""
SWEDEN = "http://publications.europa.eu/resource/authority/country/SWE"
JSONLD_CONTEXT: dict[str, str] = {
    "cpsv": "http://purl.org/vocab/cpsv#",
    "cv": "http://data.europa.eu/m8g/",
    "dct": "http://purl.org/dc/terms/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "adms": "http://www.w3.org/ns/adms#",
    "org": "http://www.w3.org/ns/org#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "insikt": INSIKT_NS,
}
PUBLIC_KINDS = ("statlig", "region", "kommun")
_SEGMENT = {"Agency": "agency", "LifeEvent": "life-event", "JourneyStep": "service",
            "Insight": "insight", "Domain": "domain", "Principle": "principle",
            "Source": "source"}
INSIGHT_SCHEME = f"{INSIKT_ID}scheme/insights"
DOMAIN_SCHEME = f"{INSIKT_ID}scheme/domains"


def iri(label: str, node_id: str) -> str:
    return f"{INSIKT_ID}{_SEGMENT.get(label, label.lower())}/{node_id}"


def _texts(a: dict[str, Any], sv: str, en: str | None = None) -> list[dict[str, str]]:
    out = []
    if a.get(sv):
        out.append({"@value": str(a[sv]), "@language": "sv"})
    if en and a.get(en):
        out.append({"@value": str(a[en]), "@language": "en"})
    return out


def _ref(targets: Iterable[str]) -> list[dict[str, str]]:
    return [{"@id": t} for t in sorted(set(targets))]


def is_public(a: dict[str, Any]) -> bool:
    """Whether an actor is a public organisation (kind statlig, region or kommun)."""
    return a.get("kind", "statlig") in PUBLIC_KINDS


def step_classes(steps: list[dict[str, Any]]) -> list[set[Canonical]]:
    """Which of the five general insights each step of one journey (in order; each with
    `agency`, `taken_by`, `customer_carries`, `feedback`, `agency_terms`) evidences, by the
    rules of the burden index (queries.analytics.BURDEN_DEFINITIONS): a step the person takes
    at an actor they have not met yet → who-does-what; every step the person takes →
    own-project-manager; agency terms → myndighetska; documents carried → courier; a person
    step with feedback delayed or none → late-feedback."""
    met: set[str] = set()
    out = []
    for st in steps:
        classes: set[Canonical] = set()
        person = (st.get("taken_by") or "person") == "person"
        if person:
            classes.add(Canonical.OWN_PROJECT_MANAGER)
            if st.get("agency") and st["agency"] not in met:
                classes.add(Canonical.WHO_DOES_WHAT)
                met.add(st["agency"])
            if st.get("agency_terms"):
                classes.add(Canonical.MYNDIGHETSKA)
            if st.get("feedback", "immediate") in ("delayed", "none"):
                classes.add(Canonical.LATE_FEEDBACK)
        if st.get("customer_carries"):
            classes.add(Canonical.COURIER)
        out.append(classes)
    return out


def jsonld_document(g: nx.MultiDiGraph) -> dict[str, Any]:
    """The graph as CPSV-AP 3.2 JSON-LD with an inline @context (nothing fetched) that the
    official SHACL shapes accept (0 violations; tests/graph/test_shacl.py).

    * Life events → `cv:LifeEvent`, or `cv:BusinessEvent` for `kind: business` (exactly one
      `dct:identifier`, `dct:title`, `dct:description`, `cv:hasRelatedService` → its public
      steps, `insikt:hasStep` → every step, `insikt:hasInsight`, `insikt:domain`).
    * Agencies of kind statlig, region or kommun → `cv:PublicOrganisation` with
      `skos:prefLabel` and `dct:title` (the name), `dct:spatial` Sweden (typed
      `dct:Location`), exactly one `dct:identifier` (the org nr, else the id) and the org nr
      also as `adms:identifier`. Actors of kind `annan` (bank, employer, a-kassa …) are not
      public organisations: `org:Organization` + `insikt:NonPublicActor`, with the same
      title and identifier (every agent needs them).
    * Journey steps handled by a public organisation → `cpsv:PublicService` with exactly one
      `dct:identifier`, a `dct:title` ("life event – step n: actor"), `dct:description` (the
      action), `cv:hasCompetentAuthority` → the actor, `cv:isGroupedBy` → the life event,
      `dct:requires` → the step before when that is a public service too, `cpsv:hasInput` →
      what the person carries, and `cv:isClassifiedBy` → the general insights the step
      evidences (`step_classes`). A step handled by a non-public actor is not a public
      service (CPSV-AP requires a public organisation as competent authority), so it is an
      `insikt:ActorStep` with the same identifier, title and description, `insikt:handledBy`
      → the actor and `insikt:isGroupedBy` → the life event. Every step has
      `insikt:order`, `insikt:takenBy` and `insikt:follows` → the step before.
    * Carried documents → `cv:Evidence` (`dct:identifier` = slug of the name, `dct:title`).
    * Insights → `skos:Concept` in the scheme INSIGHT_SCHEME (`skos:prefLabel`,
      `skos:definition`, `skos:broader` → general insight, `insikt:reportedBy` → agencies,
      `insikt:canonical` for the five general insights of the eSam forum).
    * Domains → `skos:Concept`s; principles → `insikt:Principle` (`insikt:addresses`); sources
      → `dct:BibliographicResource` (`dct:title`, `dct:date`, `foaf:page`, `dct:publisher`).
    """
    items: list[dict[str, Any]] = []
    label_of = {n: a["label"] for n, a in g.nodes(data=True)}
    out_edges: dict[tuple[str, str], list[tuple[str, dict[str, Any]]]] = {}
    in_edges: dict[tuple[str, str], list[tuple[str, dict[str, Any]]]] = {}
    for u, v, k, a in g.edges(keys=True, data=True):
        out_edges.setdefault((u, k), []).append((v, a))
        in_edges.setdefault((v, k), []).append((u, a))

    def node_iri(key: str) -> str:
        return iri(label_of[key], g.nodes[key]["id"])

    def outs(key: str, rel: str) -> list[str]:
        return [node_iri(v) for v, _ in out_edges.get((key, rel), [])]

    def ins(key: str, rel: str) -> list[str]:
        return [node_iri(u) for u, _ in in_edges.get((key, rel), [])]

    def handler(step: str) -> str | None:
        handlers = sorted(v for v, _ in out_edges.get((step, "HANDLED_BY"), []))
        return handlers[0] if handlers else None

    canonical = {c: ids[0] for c, ids in canonical_insights(g).items() if ids}
    classes: dict[str, set[Canonical]] = {}
    for le, a in g.nodes(data=True):
        if a["label"] != "LifeEvent":
            continue
        ordered = sorted(((int(d.get("order") or 0), v) for v, d in
                          out_edges.get((le, "HAS_STEP"), [])))
        journey = [{**g.nodes[v], "agency": handler(v)} for _, v in ordered]
        classes.update(zip((v for _, v in ordered), step_classes(journey), strict=True))
    evidence: dict[str, str] = {}
    for key, a in _sorted_nodes(g):
        label, node_id = a["label"], a["id"]
        this = iri(label, node_id)
        if label == "Agency":
            item: dict[str, Any] = {
                "@id": this,
                "@type": (["cv:PublicOrganisation"] if is_public(a)
                          else ["org:Organization", "insikt:NonPublicActor"]),
                "skos:prefLabel": _texts(a, "name", "name_en"),
                "dct:title": _texts(a, "name", "name_en"),
                "dct:identifier": a.get("org_nr") or node_id,
                "insikt:actorKind": a.get("kind", "statlig"),
            }
            if is_public(a):
                item["dct:spatial"] = {"@id": SWEDEN}
            alt = [x for x in [a.get("short_name"), *(a.get("aliases") or [])] if x]
            if alt:
                item["skos:altLabel"] = alt
            if a.get("org_nr"):
                item["adms:identifier"] = {"@type": "adms:Identifier",
                                           "skos:notation": a["org_nr"],
                                           "dct:type": "organisationsnummer"}
        elif label == "LifeEvent":
            step_keys = [v for v, _ in out_edges.get((key, "HAS_STEP"), [])]
            public_steps = [s for s in step_keys
                            if (h := handler(s)) is not None and is_public(g.nodes[h])]
            item = {"@id": this,
                    "@type": "cv:BusinessEvent" if a.get("kind") == "business" else "cv:LifeEvent",
                    "dct:identifier": node_id,
                    "dct:title": _texts(a, "name", "name_en"),
                    "dct:description": _texts(a, "description", "description_en"),
                    "cv:hasRelatedService": _ref(node_iri(s) for s in public_steps),
                    "insikt:hasStep": _ref(node_iri(s) for s in step_keys),
                    "insikt:hasInsight": _ref(ins(key, "ARISES_IN")),
                    "insikt:domain": _ref(outs(key, "IN_DOMAIN"))}
        elif label == "JourneyStep":
            item = _step(g, key, a, out_edges, in_edges, node_iri, handler, evidence,
                         sorted(iri("Insight", canonical[c])
                                for c in classes.get(key, set()) if c in canonical))
        elif label == "Insight":
            item = {"@id": this, "@type": "skos:Concept", "dct:identifier": node_id,
                    "skos:inScheme": {"@id": INSIGHT_SCHEME},
                    "skos:prefLabel": _texts(a, "title", "title_en"),
                    "skos:definition": _texts(a, "statement", "statement_en"),
                    "skos:broader": _ref(outs(key, "INSTANCE_OF")),
                    "insikt:kind": a.get("kind"), "insikt:status": a.get("status", "active"),
                    "insikt:canonical": (c.value if (c := canonical_of(a)) else None),
                    "insikt:reportedBy": _ref(ins(key, "REPORTS")),
                    "dct:source": _ref(outs(key, "SUPPORTED_BY"))}
        elif label == "Domain":
            item = {"@id": this, "@type": "skos:Concept", "dct:identifier": node_id,
                    "skos:inScheme": {"@id": DOMAIN_SCHEME},
                    "skos:prefLabel": _texts(a, "name", "name_en")}
        elif label == "Principle":
            item = {"@id": this, "@type": "insikt:Principle", "dct:identifier": node_id,
                    "dct:title": _texts(a, "name", "name_en"),
                    "dct:description": _texts(a, "description", "description_en"),
                    "insikt:addresses": _ref(outs(key, "ADDRESSES")),
                    "insikt:appliedBy": _ref(ins(key, "APPLIES")),
                    "dct:source": _ref(outs(key, "DEFINED_IN"))}
        elif label == "Source":
            item = {"@id": this, "@type": "dct:BibliographicResource", "dct:identifier": node_id,
                    "dct:title": a.get("title"), "insikt:sourceKind": a.get("kind"),
                    "dct:publisher": _ref(outs(key, "PUBLISHED_BY"))}
            if a.get("date"):
                item["dct:date"] = str(a["date"])
            if a.get("url"):
                item["foaf:page"] = {"@id": a["url"]}
        else:
            continue
        if a.get("illustrative"):
            item["insikt:illustrative"] = True
        items.append({k: v for k, v in item.items() if v not in (None, [], "")})
    for name, ev_id in sorted(evidence.items(), key=lambda t: t[1]):
        items.append({"@id": f"{INSIKT_ID}evidence/{ev_id}", "@type": "cv:Evidence",
                      "dct:identifier": ev_id, "dct:title": {"@value": name, "@language": "sv"}})
    items.append({"@id": SWEDEN, "@type": "dct:Location", "dct:identifier": "SWE",
                  "skos:prefLabel": [{"@value": "Sverige", "@language": "sv"},
                                     {"@value": "Sweden", "@language": "en"}]})
    items.append({"@id": INSIGHT_SCHEME, "@type": "skos:ConceptScheme",
                  "dct:title": [{"@value": "Kundinsikter i Insiktsgrafen", "@language": "sv"},
                                {"@value": "Customer insights in Insiktsgrafen",
                                 "@language": "en"}]})
    items.append({"@id": DOMAIN_SCHEME, "@type": "skos:ConceptScheme",
                  "dct:title": [{"@value": "Domäner", "@language": "sv"},
                                {"@value": "Domains", "@language": "en"}]})
    items.sort(key=lambda it: it["@id"])
    return {"@context": JSONLD_CONTEXT, "@graph": items}


def _step(g: nx.MultiDiGraph, key: str, a: dict[str, Any],
          out_edges: dict[tuple[str, str], list[tuple[str, dict[str, Any]]]],
          in_edges: dict[tuple[str, str], list[tuple[str, dict[str, Any]]]],
          node_iri: Callable[[str], str], handler: Callable[[str], str | None],
          evidence: dict[str, str], classified: list[str]) -> dict[str, Any]:
    """One journey step: a cpsv:PublicService, or an insikt:ActorStep when a non-public actor
    handles it (see `jsonld_document`)."""
    node_id = a["id"]
    h = handler(key)
    agency = g.nodes[h] if h else {}
    public = bool(h) and is_public(agency)
    events = [(u, e) for u, e in in_edges.get((key, "HAS_STEP"), [])]
    previous = [u for u, _ in in_edges.get((key, "NEXT"), [])]
    order = a.get("order") or (events[0][1].get("order") if events else None)
    le_attrs = g.nodes[events[0][0]] if events else {}
    title = []
    if le_attrs.get("name"):
        title.append({"@value": f"{le_attrs['name']} – steg {order}: "
                                f"{agency.get('name', '?')}", "@language": "sv"})
    if le_attrs.get("name_en"):
        title.append({"@value": f"{le_attrs['name_en']} – step {order}: "
                                f"{agency.get('name_en') or agency.get('name', '?')}",
                      "@language": "en"})
    if not title:
        title.append({"@value": f"{node_id}", "@language": "sv"})
    inputs = []
    for doc in a.get("customer_carries") or []:
        ev_id = evidence.setdefault(str(doc), slugify(str(doc)) or "dokument")
        inputs.append(f"{INSIKT_ID}evidence/{ev_id}")
    public_previous = [p for p in previous if (ph := handler(p)) and is_public(g.nodes[ph])]
    item: dict[str, Any] = {
        "@id": node_iri(key), "@type": "cpsv:PublicService" if public else "insikt:ActorStep",
        "dct:identifier": node_id, "dct:title": title,
        "dct:description": (_texts(a, "action", "action_en")
                            or [{"@value": node_id, "@language": "sv"}]),
        "cpsv:hasInput": _ref(inputs),
        "cv:isClassifiedBy": _ref(classified),
        "insikt:follows": _ref(node_iri(p) for p in previous),
        "insikt:takenBy": a.get("taken_by") or "person",
        "insikt:agencyTerm": list(a.get("agency_terms") or []),
        "insikt:feedback": a.get("feedback"),
    }
    if public:
        item["cv:hasCompetentAuthority"] = _ref(node_iri(x) for x in [h] if x)
        item["cv:isGroupedBy"] = _ref(node_iri(u) for u, _ in events)
        item["dct:requires"] = _ref(node_iri(p) for p in public_previous)
    else:
        item["insikt:handledBy"] = _ref(node_iri(x) for x in [h] if x)
        item["insikt:isGroupedBy"] = _ref(node_iri(u) for u, _ in events)
    if order is not None:
        item["insikt:order"] = int(order)
    return item


def write_jsonld(g: nx.MultiDiGraph, path: str | Path) -> Path:
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(jsonld_document(g), ensure_ascii=False, indent=1) + "\n",
                   encoding="utf-8")
    return out


FORMAT_WRITERS: dict[str, Callable[[nx.MultiDiGraph, Path], Path]] = {
    "neo4j-admin": write_neo4j_admin,
    "cypher": write_cypher,
    "jsonld": write_jsonld,
}
