"""Reload figures for the incremental write path (graph/changes.py): first load, reload of the
unchanged dataset, and reload with 1% of the insights changed, as ratios to the first load,
on the embedded store and (with NEO4J_URI set) Neo4j; plus the peak RSS of an embedded
`insikt load` of the same dataset in its own process.

    .venv/bin/python -m benchmarks.reload_bench --scale 100 [--scale 1000] [--no-neo4j]

Scale N is N × the seed's 38 specific insights over all 365 register agencies (the tests'
large-dataset builder, loaders/synthetic.py; INSIKT_REGISTER names the register). It wipes
the Neo4j database that NEO4J_URI names.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from graph.embedded import EmbeddedStore
from graph.settings import get_settings
from graph.store import GraphStore
from loaders.dataset import read_dataset
from loaders.synthetic import build_large_dataset

SEED_INSIGHTS = 38


def change_one_percent(folder: Path, out: Path, entries: int) -> int:
    """A copy of the dataset with 1% of its `entries` changed: every 100th insight's title,
    and the year of `reported_by` entries spread evenly over the file for the rest (REPORTS
    relationships are the bulk of the entries). Returns how many entries were changed."""
    out.mkdir(parents=True, exist_ok=True)
    for f in folder.iterdir():
        (out / f.name).write_bytes(f.read_bytes())
    path = out / "insights.yaml"
    items: list[dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8"))
    changed = 0
    for i, item in enumerate(items):
        if i % 100 == 0:
            item["title"] = f"{item.get('title', '')} (ändrad)"
            changed += 1
    reports = [e for item in items for e in item.get("reported_by") or []
               if isinstance(e, dict)]
    wanted = max(0, entries // 100 - changed)
    step = max(1, len(reports) // max(1, wanted))
    for entry in reports[::step][:wanted]:
        entry["year"] = 2001 if entry.get("year") != 2001 else 2002
        changed += 1
    path.write_text(yaml.safe_dump(items, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return changed


def timed_loads(st: GraphStore, folder: Path, changed: Path) -> dict[str, float]:
    """Seconds of the store writes (the dataset is read before each timer starts)."""
    out: dict[str, float] = {}
    for name, path in (("first", folder), ("unchanged", folder), ("changed_1pct", changed)):
        data = read_dataset(path)
        started = time.perf_counter()
        st.load(data)
        out[name] = time.perf_counter() - started
    return out


def peak_rss_mb(store: Path, folder: Path) -> tuple[float, float]:
    """Peak RSS (MB) of `insikt load` in its own process: first load, then a reload."""
    out = []
    for _ in range(2):
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        subprocess.run([sys.executable, "-m", "insikt_cli.main", "--backend", "embedded",
                        "--store", str(store), "load", "-q", str(folder)], check=True,
                       env={**os.environ, "PYTHONPATH": str(Path.cwd())})
        out.append(max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024)
    return out[0], out[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, action="append", default=[])
    parser.add_argument("--no-neo4j", action="store_true")
    parser.add_argument("--no-rss", action="store_true")
    parser.add_argument("--no-embedded", action="store_true")
    parser.add_argument("--reuse", type=Path, default=None,
                        help="a folder an earlier run made (with large/ and changed/)")
    args = parser.parse_args()
    register = get_settings().register_path
    for scale in args.scale or [100]:
        if args.reuse is not None:
            tmp = args.reuse
            folder = tmp / "large"
            data = read_dataset(folder)
            n = -1  # made by the earlier run
        else:
            tmp = Path(tempfile.mkdtemp(prefix=f"reload-{scale}-"))
            folder = build_large_dataset(tmp / "large", register, insights=SEED_INSIGHTS * scale)
            data = read_dataset(folder)
            n = change_one_percent(folder, tmp / "changed",
                                   len(data.nodes) + len(data.relationships))
        print(f"scale {scale}: {len(data.nodes)} nodes, {len(data.relationships)} relationships, "
              f"{n} entries changed in the 1% copy", flush=True)
        del data
        if not args.no_embedded:
            st = EmbeddedStore(tmp / "graph.db")
            emb = timed_loads(st, folder, tmp / "changed")
            st.close()
            print(f"  embedded: first {emb['first']:.2f} s, unchanged {emb['unchanged']:.2f} s "
              f"({emb['unchanged'] / emb['first']:.3f}×), 1% changed {emb['changed_1pct']:.2f} s "
                  f"({emb['changed_1pct'] / emb['first']:.3f}×)", flush=True)
        if not args.no_rss:
            first, again = peak_rss_mb(tmp / "rss.db", folder)
            print(f"  embedded `insikt load` peak RSS: first {first:.0f} MB, reload {again:.0f} MB",
                  flush=True)
        if not args.no_neo4j and os.environ.get("NEO4J_URI"):
            from graph.neo4j_store import Neo4jStore

            neo = Neo4jStore.from_env()
            with neo.driver.session(database=neo.database) as s:
                s.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS"
                      ).consume()
            got = timed_loads(neo, folder, tmp / "changed")
            neo.close()
            print(f"  neo4j: first {got['first']:.2f} s, unchanged {got['unchanged']:.2f} s "
                  f"({got['unchanged'] / got['first']:.3f}×), 1% changed "
                  f"{got['changed_1pct']:.2f} s ({got['changed_1pct'] / got['first']:.3f}×)",
                  flush=True)


if __name__ == "__main__":
    main()
