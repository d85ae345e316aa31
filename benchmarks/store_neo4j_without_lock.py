"""What the Neo4j load lock and the in-transaction org-nr check prevent: the concurrency runs
of tests/graph/test_concurrency.py with both switched off (the pre-check before the write stays,
as in the code before them). Needs NEO4J_URI etc.; it wipes that database.

    .venv/bin/python -m benchmarks.store_neo4j_without_lock     # from the repository root

The variants are `loaders.synthetic.renamed_variant` copies of a template dataset (default
the seed; `--template tests/data/tiny` gives the tests' own variants).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing as mp
import tempfile
from multiprocessing.connection import Connection
from multiprocessing.synchronize import Event
from pathlib import Path
from typing import Any

from benchmarks.neo4j_bench import wipe
from graph.errors import ValidationFailed
from graph.export import graph_document
from graph.neo4j_store import Neo4jStore
from graph.store import GraphStore
from loaders.load import load_dataset
from loaders.seed import seed_dir
from loaders.synthetic import org_nr_rival, renamed_variant

FORK = mp.get_context("fork")


def _worker(pipe: Connection, start: Event) -> None:
    """Load what the parent sends when it says so; report ok, refused or error."""
    st = Neo4jStore.from_env()
    while (folder := pipe.recv()) is not None:
        pipe.send("ready")
        start.wait()
        try:
            pipe.send(("ok", load_dataset(st, folder).dataset))
        except ValidationFailed as exc:
            pipe.send(("refused", [p.hint for p in exc.problems]))
        except Exception as exc:  # reported, counted as a difference
            pipe.send(("error", f"{type(exc).__name__}: {exc}"))
    st.close()


class Pool:
    """Eight long-lived load workers, started at one moment for each run."""

    def __init__(self, size: int = 8) -> None:
        self.start = FORK.Event()
        self.workers = []
        for _ in range(size):
            parent, child = FORK.Pipe()
            proc = FORK.Process(target=_worker, args=(child, self.start), daemon=True)
            proc.start()
            self.workers.append((proc, parent))

    def run(self, folders: list[Path]) -> list[Any]:
        active = self.workers[:len(folders)]
        for (_, pipe), folder in zip(active, folders, strict=True):
            pipe.send(str(folder))
        for _, pipe in active:
            assert pipe.recv() == "ready"
        self.start.set()
        try:
            return [pipe.recv() for _, pipe in active]
        finally:
            self.start.clear()

    def close(self) -> None:
        for proc, pipe in self.workers:
            pipe.send(None)
            proc.join(10)


def digest(st: GraphStore) -> str:
    """The graph and the datasets (without load times), hashed."""
    state = (graph_document(st.to_networkx()),
             [(d.id, d.version, d.nodes, d.relationships) for d in st.datasets()])
    return hashlib.sha256(json.dumps(state, sort_keys=True).encode()).hexdigest()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--template", type=Path, default=None, help="dataset to vary (default seed)")
    ap.add_argument("--runs", type=int, default=10)
    args = ap.parse_args()
    Neo4jStore._take_lock = staticmethod(lambda tx: 0)  # type: ignore[method-assign]
    original = Neo4jStore.load

    def load_without_check(self: Neo4jStore, data: Any, progress: Any = None,
                           check: Any = None, **kwargs: Any) -> Any:
        return original(self, data, progress, None, **kwargs)

    Neo4jStore.load = load_without_check  # type: ignore[method-assign]
    tmp = Path(tempfile.mkdtemp(prefix="neo4j-without-lock-"))
    template = args.template or seed_dir()
    variants = [renamed_variant(template, tmp, n) for n in range(8)]
    conn = Neo4jStore.from_env()
    pool = Pool()
    for n in (2, 4, 8):
        wipe(conn)
        for folder in variants[:n]:
            load_dataset(conn, folder)
        expected = digest(conn)
        differ = 0
        for _ in range(args.runs):
            wipe(conn)
            pool.run(variants[:n])
            differ += digest(conn) != expected
        print(f"{n} different datasets at once: {differ} of {args.runs} runs differ from "
              "sequential")
    rivals = [org_nr_rival(tmp / "rivals", n) for n in range(8)]
    for n in (2, 4, 8):
        shared = 0
        for _ in range(args.runs):
            wipe(conn)
            pool.run(rivals[:n])
            shared += len(conn.agencies_by_org_nr().get("202100-0001", [])) > 1
        print(f"{n} rivals for one org nr: {shared} of {args.runs} runs left it on more than "
              "one agency")
    pool.close()
    conn.close()


if __name__ == "__main__":
    main()
