"""Test helpers for the store tests: exact dumps of a graph, the old JSON store format, and
small distinct datasets made from tests/data/tiny (for the concurrency and kill tests)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import networkx as nx
import yaml

from graph.export import graph_document
from graph.store import GraphStore
from tests.conftest import TINY


def exact_dump(g: nx.MultiDiGraph) -> tuple[list[Any], list[Any]]:
    """Nodes and edges in iteration order with their attributes in dict order: what a query
    or an export sees, byte for byte."""
    nodes = [(n, list(a.items())) for n, a in g.nodes(data=True)]
    edges = [(u, v, k, list(a.items())) for u, v, k, a in g.edges(keys=True, data=True)]
    return nodes, edges


def legacy_document(g: nx.MultiDiGraph, datasets: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The old JSON store file for `g` (what graph/embedded.py's `_write` wrote before SQLite)."""
    return {
        "format": "insiktsgrafen-store",
        "version": 1,
        "datasets": datasets,
        "nodes": [{"key": n, "attrs": a} for n, a in sorted(g.nodes(data=True))],
        "edges": [{"start": u, "end": v, "type": k, "attrs": a}
                  for u, v, k, a in sorted(g.edges(keys=True, data=True),
                                           key=lambda t: (t[0], t[1], t[2]))],
    }


def state(store: GraphStore) -> tuple[dict[str, Any], list[tuple[str, str, int, int]]]:
    """What a store holds, without load times: the graph document and the datasets."""
    return (graph_document(store.to_networkx()),
            [(d.id, d.version, d.nodes, d.relationships) for d in store.datasets()])


def _ids(value: Any, out: set[str]) -> None:
    if isinstance(value, dict):
        if isinstance(value.get("id"), str):
            out.add(value["id"])
        for v in value.values():
            _ids(v, out)
    elif isinstance(value, list):
        for v in value:
            _ids(v, out)


def tiny_variant(dest: Path, n: int, *, rename_agencies: bool = False,
                 version: str = "1") -> Path:
    """A copy of the tiny dataset with dataset id `tiny-<n>` and every entity id suffixed
    `-v<n>`, except (by default) the agencies, which stay shared between the variants with
    their org nrs, so that concurrent loads merge into the same Agency nodes."""
    folder = dest / f"tiny-{n}"
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(TINY, folder)
    ids: set[str] = set()
    for f in folder.glob("*.yaml"):
        if f.name == "dataset.yaml" or (f.name == "agencies.yaml" and not rename_agencies):
            continue
        _ids(yaml.safe_load(f.read_text(encoding="utf-8")), ids)
    if ids:
        pattern = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, sorted(ids, key=len,
                                                                           reverse=True)))
                             + r")(?![\w-])")
        for f in folder.glob("*.yaml"):
            if f.name == "dataset.yaml":
                continue
            text = pattern.sub(lambda m: f"{m.group(1)}-v{n}", f.read_text(encoding="utf-8"))
            f.write_text(text, encoding="utf-8")
    (folder / "dataset.yaml").write_text(
        yaml.safe_dump({"id": f"tiny-{n}", "title": f"Variant {n}", "version": version}),
        encoding="utf-8")
    return folder


def org_nr_rival(dest: Path, n: int, org_nr: str = "202100-0001",
                 name: str | None = None) -> Path:
    """A tiny dataset of its own (`rival-<n>`) whose one agency `rival-agency-<n>` has the
    org nr that every rival claims: of concurrent loads, only one may create its node. Under
    its own name (default) a rival is a conflict for the others; under a shared `name` the
    others resolve onto the winner's node."""
    folder = dest / (f"rival-{n}" if name is None else f"same-name-rival-{n}")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "dataset.yaml").write_text(f"id: rival-{n}\ntitle: Rival {n}\n", encoding="utf-8")
    (folder / "agencies.yaml").write_text(json.dumps([
        {"id": f"rival-agency-{n}", "name": name or f"Rivalmyndigheten {n}", "org_nr": org_nr,
         "illustrative": True}]), encoding="utf-8")
    return folder


def scaled_tiny(dest: Path, copies: int, first: int = 0, dataset_id: str = "big") -> Path:
    """One dataset made of `copies` renamed copies of tiny (copies first … first+copies-1)
    that share its four agencies: a load large enough to kill in the middle of. The files
    are top-level YAML lists, so the renamed texts are simply concatenated."""
    folder = dest / dataset_id
    folder.mkdir(parents=True, exist_ok=True)
    texts = {f.name: f.read_text(encoding="utf-8") for f in TINY.glob("*.yaml")
             if f.name != "dataset.yaml"}
    ids: set[str] = set()
    for name, text in texts.items():
        if name != "agencies.yaml":
            _ids(yaml.safe_load(text), ids)
    pattern = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, sorted(ids, key=len,
                                                                        reverse=True)))
                         + r")(?![\w-])")
    for name, text in texts.items():
        if name == "agencies.yaml":
            body = text
        else:
            body = "\n".join(pattern.sub(f"\\g<1>-v{n}", text)
                             for n in range(first, first + copies))
        (folder / name).write_text(body, encoding="utf-8")
    (folder / "dataset.yaml").write_text(f"id: {dataset_id}\ntitle: Scaled tiny\n",
                                         encoding="utf-8")
    return folder
