"""The neo4j-admin, Cypher and JSON-LD exports: well-formed, complete, and (JSON-LD) carrying
what CPSV-AP 3.2 requires of each class."""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
import yaml
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from graph.errors import InsiktError
from graph.export import EXPORT_FORMATS, export_graph
from graph.formats import (
    INSIGHT_SCHEME,
    INSIKT_NS,
    SWEDEN,
    cypher_script,
    iri,
    jsonld_document,
    split_cypher_statements,
    write_neo4j_admin,
)
from graph.store import apply_graph_data
from loaders.dataset import read_dataset
from queries.analytics import burden
from tests.conftest import SEED, TINY

CPSV = Namespace("http://purl.org/vocab/cpsv#")
CV = Namespace("http://data.europa.eu/m8g/")
DCT = Namespace("http://purl.org/dc/terms/")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
ORG = Namespace("http://www.w3.org/ns/org#")
INSIKT = Namespace(INSIKT_NS)
TYPES = {"int", "long", "double", "boolean", "string"}
# rdflib's own JSON-LD parser still uses its deprecated ConjunctiveGraph internally.
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")


def graph_of(path: Path) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    apply_graph_data(g, read_dataset(path))
    return g


@pytest.fixture(scope="module")
def seed() -> nx.MultiDiGraph:
    return graph_of(SEED)


@pytest.fixture
def tricky(tmp_path: Path) -> nx.MultiDiGraph:
    """The tiny dataset with quotes, backslashes, newlines and delimiters in its values."""
    folder = tmp_path / "tricky"
    shutil.copytree(TINY, folder)
    agencies = yaml.safe_load((folder / "agencies.yaml").read_text(encoding="utf-8"))
    agencies[0]["name"] = 'Skatte"verket\'s \\ "test";\nny rad'
    agencies[0]["aliases"] = ["SKV; gamla", "RSV|x"]
    (folder / "agencies.yaml").write_text(yaml.safe_dump(agencies, allow_unicode=True),
                                          encoding="utf-8")
    return graph_of(folder)


# -- neo4j-admin ----------------------------------------------------------------------------------

def _read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    return rows[0], rows[1:]


def test_neo4j_admin_headers_and_completeness(seed: nx.MultiDiGraph, tmp_path: Path) -> None:
    out = write_neo4j_admin(seed, tmp_path / "n4j")
    node_ids: set[str] = set()
    nodes = 0
    for path in sorted(out.glob("nodes_*.csv")):
        header, rows = _read_csv(path)
        assert header.count(":ID") == 1 and header.count(":LABEL") == 1, path.name
        for col in header:
            if not col.startswith(":"):
                name, typ = col.split(":")
                assert re.fullmatch(r"[a-z_]+", name) and typ.removesuffix("[]") in TYPES
        label = path.stem.removeprefix("nodes_")
        idx = header.index(":ID")
        assert all(r[header.index(":LABEL")] == label for r in rows)
        node_ids.update(r[idx] for r in rows)
        nodes += len(rows)
    assert nodes == seed.number_of_nodes() == len(node_ids)
    rels = 0
    for path in sorted(out.glob("rels_*.csv")):
        header, rows = _read_csv(path)
        for col in (":START_ID", ":END_ID", ":TYPE"):
            assert header.count(col) == 1, (path.name, col)
        for r in rows:
            assert r[header.index(":START_ID")] in node_ids
            assert r[header.index(":END_ID")] in node_ids
            assert r[header.index(":TYPE")] == path.stem.removeprefix("rels_")
        rels += len(rows)
    assert rels == seed.number_of_edges()
    script = (out / "import.sh").read_text(encoding="utf-8")
    assert "neo4j-admin database import full" in script
    assert "neo4j-admin database import full" in (out / "README.md").read_text(encoding="utf-8")
    for path in out.glob("*.csv"):
        assert path.name in script
    header, _ = _read_csv(out / "rels_REPORTS.csv")
    assert "year:int" in header and "datasets:string[]" in header
    header, _ = _read_csv(out / "nodes_Agency.csv")
    assert "aliases:string[]" in header and "illustrative:boolean" in header


def test_neo4j_admin_arrays_survive_a_delimiter_in_the_data(tricky: nx.MultiDiGraph,
                                                            tmp_path: Path) -> None:
    out = write_neo4j_admin(tricky, tmp_path / "n4j")
    script = (out / "import.sh").read_text(encoding="utf-8")
    delimiter = re.search(r"--array-delimiter=(.)'", script)
    assert delimiter and delimiter.group(1) == "¦"  # ';' and '|' occur in the aliases
    header, rows = _read_csv(out / "nodes_Agency.csv")
    row = next(r for r in rows if r[header.index(":ID")] == "Agency:skatteverket")
    assert row[header.index("aliases:string[]")].split("¦") == ["SKV; gamla", "RSV|x"]
    assert row[header.index("name:string")] == 'Skatte"verket\'s \\ "test";\nny rad'


# -- Cypher -------------------------------------------------------------------------------------

class _Literal:
    """Parses the Cypher literal subset the script uses (maps, lists, strings, numbers)."""

    def __init__(self, text: str) -> None:
        self.s, self.i = text, 0

    def ws(self) -> None:
        while self.i < len(self.s) and self.s[self.i].isspace():
            self.i += 1

    def value(self) -> Any:
        self.ws()
        ch = self.s[self.i]
        if ch == "{":
            return self.container("}", True)
        if ch == "[":
            return self.container("]", False)
        if ch == "'":
            return self.string()
        m = re.compile(r"true|false|null|-?\d+(\.\d+)?([eE][-+]?\d+)?").match(self.s, self.i)
        assert m, self.s[self.i:self.i + 20]
        self.i = m.end()
        word = m.group(0)
        if word in ("true", "false", "null"):
            return {"true": True, "false": False, "null": None}[word]
        return float(word) if any(c in word for c in ".eE") else int(word)

    def container(self, close: str, is_map: bool) -> Any:
        self.i += 1
        out: Any = {} if is_map else []
        while True:
            self.ws()
            if self.s[self.i] == close:
                self.i += 1
                return out
            if is_map:
                m = re.compile(r"`([^`]*)`|([A-Za-z_][A-Za-z0-9_]*)").match(self.s, self.i)
                assert m
                self.i = m.end()
                self.ws()
                assert self.s[self.i] == ":"
                self.i += 1
                out[m.group(1) or m.group(2)] = self.value()
            else:
                out.append(self.value())
            self.ws()
            if self.s[self.i] == ",":
                self.i += 1

    def string(self) -> str:
        self.i += 1
        buf = []
        escapes = {"n": "\n", "r": "\r", "t": "\t", "\\": "\\", "'": "'", '"': '"'}
        while self.s[self.i] != "'":
            if self.s[self.i] == "\\":
                buf.append(escapes[self.s[self.i + 1]])
                self.i += 2
            else:
                buf.append(self.s[self.i])
                self.i += 1
        self.i += 1
        return "".join(buf)


def _unwind_rows(stmt: str) -> list[dict[str, Any]]:
    assert stmt.startswith("UNWIND ")
    p = _Literal(stmt[len("UNWIND "):])
    rows = p.value()
    assert stmt[len("UNWIND ") + p.i:].lstrip().startswith("AS row")
    return list(rows)


@pytest.mark.parametrize("which", ["seed", "tricky"])
def test_cypher_script_recreates_every_node_and_relationship(
        which: str, request: pytest.FixtureRequest) -> None:
    g: nx.MultiDiGraph = request.getfixturevalue(which)
    statements = split_cypher_statements(cypher_script(g, batch=20))
    kinds = ["constraint" if s.startswith("CREATE CONSTRAINT") else "unwind" for s in statements]
    assert kinds == sorted(kinds)  # every constraint before the first write
    labels = {a["label"] for _, a in g.nodes(data=True)}
    assert kinds.count("constraint") == len(labels)
    nodes: dict[tuple[str, str], dict[str, Any]] = {}
    rels: set[tuple[str, str, str, str, str]] = set()
    for stmt in statements:
        if stmt.startswith("CREATE CONSTRAINT"):
            continue
        rows = _unwind_rows(stmt)
        merge_node = re.search(r"MERGE \(n:(\w+) \{id: row\.id\}\)", stmt)
        if merge_node:
            for r in rows:
                nodes[(merge_node.group(1), r["id"])] = r["props"]
            continue
        m = re.search(r"MATCH \(a:(\w+) \{id: row\.start\}\)\s+MATCH \(b:(\w+) \{id: row\.end\}\)"
                      r"\s+MERGE \(a\)-\[r:(\w+)\]->\(b\)", stmt)
        assert m, stmt[-200:]
        rels.update((m.group(3), m.group(1), r["start"], m.group(2), r["end"]) for r in rows)
    expected_nodes = {(a["label"], a["id"]): {k: v for k, v in a.items()
                                              if k not in ("label", "id")}
                      for _, a in g.nodes(data=True)}
    assert nodes == expected_nodes  # every node, with every property intact
    expected_rels = {(k, g.nodes[u]["label"], g.nodes[u]["id"], g.nodes[v]["label"],
                      g.nodes[v]["id"]) for u, v, k in g.edges(keys=True)}
    assert rels == expected_rels


def test_split_respects_strings_and_comments() -> None:
    text = "// a; comment\nRETURN 'a;b' AS x;\nRETURN \"c\\\";d\" AS y;RETURN `e;f`"
    assert split_cypher_statements(text) == ["RETURN 'a;b' AS x", 'RETURN "c\\";d" AS y',
                                             "RETURN `e;f`"]


# -- JSON-LD -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def rdf(seed: nx.MultiDiGraph) -> Graph:
    doc = jsonld_document(seed)
    assert isinstance(doc["@context"], dict)  # inline: nothing is fetched
    return Graph().parse(data=json.dumps(doc), format="json-ld")


def _count(r: Graph, s: Node, p: URIRef) -> int:
    return len(list(r.objects(s, p)))


def test_jsonld_public_services(rdf: Graph, seed: nx.MultiDiGraph) -> None:
    services = set(rdf.subjects(RDF.type, CPSV.PublicService))
    kind = {a["id"]: a.get("kind", "statlig") for _, a in seed.nodes(data=True)
            if a["label"] == "Agency"}
    handler = {seed.nodes[u]["id"]: seed.nodes[v]["id"] for u, v, k in seed.edges(keys=True)
               if k == "HANDLED_BY"}
    steps = [a for _, a in seed.nodes(data=True) if a["label"] == "JourneyStep"]
    public = {URIRef(iri("JourneyStep", a["id"])) for a in steps
              if kind[handler[a["id"]]] != "annan"}
    assert services == public
    # Steps handled outside the public sector are insikt:ActorStep, handled by their actor.
    actor_steps = set(rdf.subjects(RDF.type, INSIKT.ActorStep))
    assert actor_steps == {URIRef(iri("JourneyStep", a["id"])) for a in steps} - public
    assert actor_steps  # the seed has bank, employer and a-kassa steps
    for s in actor_steps:
        (org,) = rdf.objects(s, INSIKT.handledBy)
        assert (org, RDF.type, INSIKT.NonPublicActor) in rdf
        assert _count(rdf, s, CV.hasCompetentAuthority) == 0
    for s in services:
        assert _count(rdf, s, DCT.identifier) == 1
        assert _count(rdf, s, DCT.title) >= 1 and _count(rdf, s, DCT.description) >= 1
        authorities = list(rdf.objects(s, CV.hasCompetentAuthority))
        assert len(authorities) >= 1
        for org in authorities:
            assert {CV.PublicOrganisation, ORG.Organization} & set(rdf.objects(org, RDF.type))
        events = list(rdf.objects(s, CV.isGroupedBy))
        assert len(events) == 1 and s in set(rdf.objects(events[0], CV.hasRelatedService))
        for before in rdf.objects(s, DCT.requires):
            assert (before, RDF.type, CPSV.PublicService) in rdf
        for concept in rdf.objects(s, CV.isClassifiedBy):
            assert (concept, RDF.type, SKOS.Concept) in rdf
            assert (concept, SKOS.inScheme, URIRef(INSIGHT_SCHEME)) in rdf


def test_jsonld_organisations_events_and_evidence(rdf: Graph, seed: nx.MultiDiGraph) -> None:
    agencies = {a["id"]: a for _, a in seed.nodes(data=True) if a["label"] == "Agency"}
    orgs = set(rdf.subjects(RDF.type, CV.PublicOrganisation))
    public = {k for k, a in agencies.items() if a.get("kind", "statlig") != "annan"}
    assert orgs == {URIRef(iri("Agency", k)) for k in public}
    for k in public:
        s: Node = URIRef(iri("Agency", k))
        assert _count(rdf, s, SKOS.prefLabel) >= 1
        assert list(rdf.objects(s, DCT.spatial)) == [URIRef(SWEDEN)]
        if agencies[k].get("org_nr"):
            assert list(rdf.objects(s, DCT.identifier)) == [Literal(agencies[k]["org_nr"])]
            (ident,) = rdf.objects(s, ADMS.identifier)
            assert (ident, SKOS.notation, Literal(agencies[k]["org_nr"])) in rdf
    for k, a in agencies.items():  # every agent, public or not, has a title and one identifier
        s = URIRef(iri("Agency", k))
        assert _count(rdf, s, DCT.title) >= 1
        assert list(rdf.objects(s, DCT.identifier)) == [Literal(a.get("org_nr") or k)]
    life = set(rdf.subjects(RDF.type, CV.LifeEvent))
    business = set(rdf.subjects(RDF.type, CV.BusinessEvent))
    assert business == {URIRef(iri("LifeEvent", x)) for x in ("starta-foretag",
                                                                "anstalla-personal")}
    events = life | business
    assert not life & business
    assert len(events) == sum(1 for _, a in seed.nodes(data=True) if a["label"] == "LifeEvent")
    for s in events:
        assert _count(rdf, s, DCT.identifier) >= 1 and _count(rdf, s, DCT.title) >= 1
    evidence = set(rdf.subjects(RDF.type, CV.Evidence))
    documents = {d for _, a in seed.nodes(data=True) for d in a.get("customer_carries") or []}
    assert len(evidence) == len(documents) > 0
    titles: set[str] = set()
    for s in evidence:
        assert _count(rdf, s, DCT.identifier) >= 1 and _count(rdf, s, DCT.title) >= 1
        titles.update(str(t) for t in rdf.objects(s, DCT.title))
        assert any(True for _ in rdf.subjects(CPSV.hasInput, s))
    assert titles == documents


def test_step_classes_match_the_burden_terms(rdf: Graph, seed: nx.MultiDiGraph) -> None:
    """Each step's cv:isClassifiedBy follows the burden rules: per life event, the steps
    classified by a canonical insight are as many as that burden term counts (courier counts
    documents, so there: the steps that carry one)."""
    steps_of: dict[str, list[URIRef]] = {}
    for _, a in seed.nodes(data=True):
        if a["label"] == "JourneyStep":
            steps_of.setdefault(a["life_event"], []).append(URIRef(iri("JourneyStep", a["id"])))
    carrying = {a["life_event"]: 0 for _, a in seed.nodes(data=True) if a["label"] == "JourneyStep"}
    for _, a in seed.nodes(data=True):
        if a["label"] == "JourneyStep" and a.get("customer_carries"):
            carrying[a["life_event"]] += 1
    for b in burden(seed):
        for c in b.components:
            concept = URIRef(iri("Insight", c.insight))
            n = sum(1 for s in steps_of[b.life_event] if (s, CV.isClassifiedBy, concept) in rdf)
            assert n == (carrying[b.life_event] if c.name == "courier" else c.count), (
                b.life_event, c.name)


def test_graphml_opens_in_networkx_and_meets_gephi_expectations(seed: nx.MultiDiGraph,
                                                                 tmp_path: Path) -> None:
    import xml.etree.ElementTree as ET

    out = export_graph(seed, "graphml", tmp_path / "g.graphml")
    back = nx.read_graphml(out, force_multigraph=True)
    assert back.number_of_nodes() == seed.number_of_nodes()
    assert back.number_of_edges() == seed.number_of_edges()
    assert {a["label"] for _, a in back.nodes(data=True)} == {
        a["label"] for _, a in seed.nodes(data=True)}
    assert sorted(a["type"] for _, _, a in back.edges(data=True)) == sorted(
        k for _, _, k in seed.edges(keys=True))
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    root = ET.parse(out).getroot()
    keys = root.findall("g:key", ns)
    # Gephi: every attribute declared once per domain with a GraphML scalar type
    assert all(k.get("attr.type") in {"string", "int", "long", "double", "boolean", "float"}
               for k in keys)
    declared = [(k.get("for"), k.get("attr.name")) for k in keys]
    assert len(declared) == len(set(declared))
    ids = {k.get("id") for k in keys}
    (graph,) = root.findall("g:graph", ns)
    assert graph.get("edgedefault") == "directed"
    edge_ids = [e.get("id") for e in graph.findall("g:edge", ns)]
    assert None not in edge_ids and len(edge_ids) == len(set(edge_ids))  # unique edge ids
    for el in graph.iter():
        if el.tag.endswith("}data"):
            assert el.get("key") in ids and len(el) == 0  # declared, no nested elements


def test_export_graph_dispatches_every_format(seed: nx.MultiDiGraph, tmp_path: Path) -> None:
    for fmt in EXPORT_FORMATS:
        out = export_graph(seed, fmt, tmp_path / f"out-{fmt}")
        assert out.exists()
    assert (tmp_path / "out-neo4j-admin").is_dir()
    with pytest.raises(InsiktError, match="unknown export format"):
        export_graph(seed, "rdfxml", tmp_path / "x")
