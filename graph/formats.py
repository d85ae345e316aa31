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
    command = ("neo4j-admin database import full --overwrite-destination "
               f"'--array-delimiter={delim}' --multiline-fields=true " + " ".join(args) + " neo4j")
    script = ["#!/bin/sh",
              "# Import this graph into an empty Neo4j 5 database with neo4j-admin.",
              "# Stop the database first; --overwrite-destination replaces its content.",
              "# Then create the id constraints (or let Insiktsgrafen's Neo4j store do it).",
              "set -e", 'cd "$(dirname "$0")"',
              "neo4j-admin database import full --overwrite-destination \\",
              f"  '--array-delimiter={delim}' --multiline-fields=true \\",
              *(f"  {a} \\" for a in args), '  "${1:-neo4j}"', ""]
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
# Which general insight a step's features evidence: the burden rules of queries.analytics
# (graph/ does not import queries/; tests/graph/test_formats.py checks the two agree).
STEP_INSIGHTS = {"documents": "kunden-far-agera-kurir", "late": "far-veta-forst-i-efterhand",
                 "handoff": "kunden-blir-sin-egen-projektledare",
                 "non_state": "svart-att-veta-vem-som-gor-vad"}
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


def jsonld_document(g: nx.MultiDiGraph) -> dict[str, Any]:
    """The graph as CPSV-AP 3.2 JSON-LD with an inline @context (nothing fetched).

    * Life events → `cv:LifeEvent` (`dct:identifier`, `dct:title`, `dct:description`,
      `cv:hasRelatedService` → its steps, `insikt:hasInsight` → the insights arising in it).
    * Agencies → `cv:PublicOrganisation` (kind statlig, region, kommun) with `skos:prefLabel`,
      `dct:spatial` Sweden and the org nr in `dct:identifier` and `adms:identifier`. Actors of
      kind `annan` (bank, employer, a-kassa …) are not public organisations: they become
      `org:Organization` + `insikt:NonPublicActor`, with the same labels.
    * Journey steps → `cpsv:PublicService` with exactly one `dct:identifier`, a `dct:title`
      ("life event – step n: actor"), `dct:description` (the action),
      `cv:hasCompetentAuthority` → the actor, `cv:isGroupedBy` → the life event, `dct:requires`
      → the step before, `cpsv:hasInput` → what the person carries, and `cv:isClassifiedBy` →
      the general insights the step evidences (the burden rules of queries.analytics: carries a
      document → kurir; delayed feedback → först i efterhand; a handoff from another actor →
      projektledare; a non-state actor → vem gör vad).
    * Carried documents → `cv:Evidence` (`dct:identifier` = slug of the name, `dct:title`).
    * Insights → `skos:Concept` in the scheme INSIGHT_SCHEME (`skos:prefLabel`,
      `skos:definition`, `skos:broader` → general insight, `insikt:reportedBy` → agencies).
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

    insight_ids = {a["id"] for _, a in g.nodes(data=True) if a["label"] == "Insight"}
    evidence: dict[str, str] = {}
    for key, a in _sorted_nodes(g):
        label, node_id = a["label"], a["id"]
        this = iri(label, node_id)
        if label == "Agency":
            public = a.get("kind", "statlig") in PUBLIC_KINDS
            item: dict[str, Any] = {
                "@id": this,
                "@type": ["cv:PublicOrganisation"] if public else ["org:Organization",
                                                                   "insikt:NonPublicActor"],
                "skos:prefLabel": _texts(a, "name", "name_en"),
                "dct:spatial": {"@id": SWEDEN},
                "insikt:actorKind": a.get("kind", "statlig"),
            }
            alt = [x for x in [a.get("short_name"), *(a.get("aliases") or [])] if x]
            if alt:
                item["skos:altLabel"] = alt
            if a.get("org_nr"):
                item["dct:identifier"] = a["org_nr"]
                item["adms:identifier"] = {"@type": "adms:Identifier",
                                           "skos:notation": a["org_nr"],
                                           "dct:type": "organisationsnummer"}
        elif label == "LifeEvent":
            item = {"@id": this, "@type": "cv:LifeEvent", "dct:identifier": node_id,
                    "dct:title": _texts(a, "name", "name_en"),
                    "dct:description": _texts(a, "description", "description_en"),
                    "cv:hasRelatedService": _ref(outs(key, "HAS_STEP")),
                    "insikt:hasInsight": _ref(ins(key, "ARISES_IN")),
                    "insikt:domain": _ref(outs(key, "IN_DOMAIN"))}
        elif label == "JourneyStep":
            item = _service(g, key, a, out_edges, in_edges, node_iri, evidence, insight_ids,
                            STEP_INSIGHTS)
        elif label == "Insight":
            item = {"@id": this, "@type": "skos:Concept", "dct:identifier": node_id,
                    "skos:inScheme": {"@id": INSIGHT_SCHEME},
                    "skos:prefLabel": _texts(a, "title", "title_en"),
                    "skos:definition": _texts(a, "statement", "statement_en"),
                    "skos:broader": _ref(outs(key, "INSTANCE_OF")),
                    "insikt:kind": a.get("kind"), "insikt:status": a.get("status", "active"),
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
    items.append({"@id": INSIGHT_SCHEME, "@type": "skos:ConceptScheme",
                  "dct:title": [{"@value": "Kundinsikter i Insiktsgrafen", "@language": "sv"},
                                {"@value": "Customer insights in Insiktsgrafen",
                                 "@language": "en"}]})
    items.append({"@id": DOMAIN_SCHEME, "@type": "skos:ConceptScheme",
                  "dct:title": [{"@value": "Domäner", "@language": "sv"},
                                {"@value": "Domains", "@language": "en"}]})
    items.sort(key=lambda it: it["@id"])
    return {"@context": JSONLD_CONTEXT, "@graph": items}


def _service(g: nx.MultiDiGraph, key: str, a: dict[str, Any],
             out_edges: dict[tuple[str, str], list[tuple[str, dict[str, Any]]]],
             in_edges: dict[tuple[str, str], list[tuple[str, dict[str, Any]]]],
             node_iri: Callable[[str], str], evidence: dict[str, str], insight_ids: set[str],
             rules: dict[str, str]) -> dict[str, Any]:
    """One journey step as a cpsv:PublicService (see `jsonld_document`)."""
    node_id = a["id"]
    handlers = [v for v, _ in out_edges.get((key, "HANDLED_BY"), [])]
    events = [(u, e) for u, e in in_edges.get((key, "HAS_STEP"), [])]
    previous = [u for u, _ in in_edges.get((key, "NEXT"), [])]
    order = a.get("order") or (events[0][1].get("order") if events else None)
    le_attrs = g.nodes[events[0][0]] if events else {}
    agency = g.nodes[handlers[0]] if handlers else {}
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
    classified = set()
    if inputs:
        classified.add(rules["documents"])
    if a.get("feedback") == "delayed":
        classified.add(rules["late"])
    if agency and agency.get("kind", "statlig") != "statlig":
        classified.add(rules["non_state"])
    if previous and handlers:
        before = [v for v, _ in out_edges.get((previous[0], "HANDLED_BY"), [])]
        if before and before[0] != handlers[0]:
            classified.add(rules["handoff"])
    item: dict[str, Any] = {
        "@id": node_iri(key), "@type": "cpsv:PublicService", "dct:identifier": node_id,
        "dct:title": title,
        "dct:description": _texts(a, "action", "action_en") or [{"@value": node_id}],
        "cv:hasCompetentAuthority": _ref(node_iri(h) for h in handlers),
        "cv:isGroupedBy": _ref(node_iri(u) for u, _ in events),
        "dct:requires": _ref(node_iri(p) for p in previous),
        "cpsv:hasInput": _ref(inputs),
        "cv:isClassifiedBy": _ref(iri("Insight", i) for i in classified if i in insight_ids),
        "insikt:feedback": a.get("feedback"),
    }
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
