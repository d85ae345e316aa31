"""The JSON-LD export against the official CPSV-AP 3.2.0 SHACL shapes, checked with pySHACL
(RDFS inference, the CPSV-AP vocabulary as the ontology graph): 0 violations on the seed and
on the burden fixture. The folder comes from the setting INSIKT_CPSV_AP_DIR, else ../shared."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from rdflib import Graph, Namespace
from rdflib.namespace import RDF

from graph.formats import jsonld_document
from graph.settings import get_settings
from graph.store import apply_graph_data
from loaders.dataset import read_dataset
from tests.conftest import CPSV_AP, DATA, SEED

pyshacl = pytest.importorskip("pyshacl")
SH = Namespace("http://www.w3.org/ns/shacl#")


@pytest.fixture(scope="module")
def shapes() -> tuple[Graph, Graph]:
    folder = get_settings().cpsv_ap_dir or CPSV_AP
    if not (folder / "cpsv-ap-SHACL.ttl").exists():
        pytest.skip(f"CPSV-AP 3.2.0 not found at {folder} (set INSIKT_CPSV_AP_DIR)")
    return (Graph().parse(folder / "cpsv-ap-SHACL.ttl"), Graph().parse(folder / "cpsv-ap.ttl"))


def violations(doc: dict[str, Any], shapes: tuple[Graph, Graph]) -> Counter[tuple[str, str]]:
    """(path, constraint) → how many results pySHACL reports."""
    data = Graph().parse(data=json.dumps(doc), format="json-ld")
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes[0], ont_graph=shapes[1],
                                    inference="rdfs")
    out: Counter[tuple[str, str]] = Counter()
    for r in report.subjects(RDF.type, SH.ValidationResult):
        out[(str(report.value(r, SH.resultPath)),
             str(report.value(r, SH.sourceConstraintComponent)).rsplit("#", 1)[-1])] += 1
    return out


def graph_of(folder: Path) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    apply_graph_data(g, read_dataset(folder))
    return g


@pytest.mark.parametrize("folder", [SEED, DATA / "burden-other", DATA / "tiny"],
                         ids=["seed", "burden-other", "tiny"])
def test_jsonld_has_no_shacl_violations(folder: Path, shapes: tuple[Graph, Graph]) -> None:
    found = violations(jsonld_document(graph_of(folder)), shapes)
    assert sum(found.values()) == 0, dict(found)


def test_the_check_sees_a_broken_export(shapes: tuple[Graph, Graph]) -> None:
    """Guards the guard: an agency without dct:title and a service whose competent authority is
    not a public organisation are reported, so 0 above means something."""
    doc = jsonld_document(graph_of(DATA / "burden-other"))
    items = {it["@id"]: it for it in doc["@graph"]}
    agency = next(it for it in doc["@graph"] if "cv:PublicOrganisation" in it["@type"])
    del agency["dct:title"]
    service = next(it for it in doc["@graph"] if it["@type"] == "cpsv:PublicService")
    private = next(i for i, it in items.items() if "insikt:NonPublicActor" in it["@type"])
    service["cv:hasCompetentAuthority"] = [{"@id": private}]
    found = violations(doc, shapes)
    assert found[("http://purl.org/dc/terms/title", "MinCountConstraintComponent")] == 1
    assert found[("http://data.europa.eu/m8g/hasCompetentAuthority",
                  "ClassConstraintComponent")] == 1
