"""The graph-state hash in the report is a content hash: the same graph gives the same value
in another process, and any change to the graph changes it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import networkx as nx

from graph.export import content_hash
from graph.store import apply_graph_data
from loaders.dataset import read_dataset
from queries.report import build_report
from tests.conftest import ROOT, TINY

SCRIPT = """
import sys
import networkx as nx
from graph.export import content_hash
from graph.store import apply_graph_data
from loaders.dataset import read_dataset
g = nx.MultiDiGraph()
apply_graph_data(g, read_dataset(sys.argv[1]))
print(content_hash(g))
"""


def tiny() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    apply_graph_data(g, read_dataset(TINY))
    return g


def hash_in_new_process(folder: Path, seed: str) -> str:
    # PYTHONHASHSEED differs per run, so Python's own hash() would differ too.
    out = subprocess.run([sys.executable, "-c", SCRIPT, str(folder)], cwd=ROOT, check=True,
                         capture_output=True, text=True, env={"PYTHONHASHSEED": seed,
                                                              "PATH": "/usr/bin:/bin"})
    return out.stdout.strip()


def test_same_graph_same_hash_across_processes() -> None:
    here = content_hash(tiny())
    assert len(here) == 64 and int(here, 16) >= 0
    assert hash_in_new_process(TINY, "1") == hash_in_new_process(TINY, "2") == here
    assert build_report(tiny()).fingerprint == here


def test_insertion_order_does_not_matter_but_content_does() -> None:
    g = tiny()
    h = nx.MultiDiGraph()
    h.add_nodes_from(reversed(list(g.nodes(data=True))))
    h.add_edges_from(reversed(list(g.edges(keys=True, data=True))))
    assert content_hash(h) == content_hash(g)
    key = next(n for n, a in h.nodes(data=True) if a["label"] == "Insight")
    h.nodes[key]["title"] = "Ändrad titel"
    assert content_hash(h) != content_hash(g)
    u, v, k = next(iter(g.edges(keys=True)))
    g.remove_edge(u, v, key=k)
    assert content_hash(g) != content_hash(tiny())
