"""Benchmark: loads and saved queries on both backends, as ratios to a baseline run in the
same process (validating the same dataset), so figures compare across machines.

Reproduce (with the project installed, e.g. `make setup`; INSIKT_REGISTER=esv.json makes the
agencies ESV's 365, else 365 made-up ones):
    .venv/bin/python benchmarks/bench.py                      # embedded only
    NEO4J_URI=bolt://127.0.0.1:7687 NEO4J_PASSWORD=... .venv/bin/python benchmarks/bench.py --neo4j
The Neo4j run unloads every dataset in the database it is pointed at: use a test server only.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from graph.embedded import EmbeddedStore
from graph.settings import get_settings
from graph.store import GraphStore
from loaders.dataset import read_dataset
from loaders.synthetic import build_large_dataset
from queries.catalog import all_queries, run_query

CASES: dict[str, dict[str, Any]] = {
    "shared-problems": {}, "overlap-matrix": {}, "agency-profile": {"agency": "skatteverket"},
    "who-does-what": {"life_event": "livshandelse-0"}, "principle-coverage": {},
    "action-gap": {}, "journey": {"life_event": "livshandelse-1"},
    "evidence": {"insight": "insikt-1"}, "provenance": {"insight": "insikt-1"},
    "search": {"q": "insikt nummer 1"},
    "reporters-without-principles": {}, "insights-per-year": {}, "general-insight-trend": {},
}


def timed(fn: Callable[[], Any], repeat: int) -> float:
    """Median wall time of `repeat` runs, in seconds."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--insights", type=int, default=2000, help="specific insights to generate")
    ap.add_argument("--repeat", type=int, default=3, help="runs per measurement (median)")
    ap.add_argument("--neo4j", action="store_true", help="also measure the Neo4j backend")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="insikt-bench-"))
    register = get_settings().register_path  # INSIKT_REGISTER; without it, made-up agencies
    folder = build_large_dataset(tmp / "large", register, insights=args.insights)
    baseline = timed(lambda: read_dataset(folder), args.repeat)
    data = read_dataset(folder)
    print(f"dataset: {len(data.nodes)} nodes, {len(data.relationships)} relationships "
          f"({args.insights} specific insights, 365 {'register' if register else 'made-up'} "
          "agencies)")
    print(f"baseline (validate + map the dataset): {baseline:.3f} s = 1.00x\n")
    rows: list[tuple[str, str, float]] = []
    stores: list[GraphStore] = [EmbeddedStore(tmp / "graph.json")]
    if args.neo4j:
        from graph.neo4j_store import Neo4jStore

        neo = Neo4jStore.from_env()
        for info in neo.datasets():  # start from an empty graph
            neo.unload(info.id)
        stores.append(neo)
    for st in stores:
        rows.append((st.backend, "load (first)", timed(partial(st.load, data), 1)))
        rows.append((st.backend, "load (again, idempotent)", timed(partial(st.load, data),
                                                                   args.repeat)))
        for q in all_queries():
            if q.name not in CASES:  # e.g. a query file of the analyst's own (INSIKT_QUERY_DIR)
                continue
            rows.append((st.backend, f"query {q.name}",
                         timed(partial(run_query, st, q.name, CASES[q.name]), args.repeat)))
    print(f"{'backend':<10}{'operation':<34}{'seconds':>10}{'× baseline':>12}")
    for backend, op, sec in rows:
        print(f"{backend:<10}{op:<34}{sec:>10.3f}{sec / baseline:>11.2f}x")
    print("\nreproduce: .venv/bin/python benchmarks/bench.py "
          f"--insights {args.insights} --repeat {args.repeat}{' --neo4j' if args.neo4j else ''}")
    for st in stores:
        st.close()


if __name__ == "__main__":
    main()
