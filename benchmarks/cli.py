"""The benchmark's one command:

    .venv/bin/python -m benchmarks run [--scales 1,10,100,1000] [--repeat 5]
        [--backends embedded,neo4j] [--only load,reload,query,page,memory,cli]
        [--out docs/benchmarks.md] [--compare docs/benchmarks-512m.json]

(`make bench` runs the full set.) It prints every figure as it is measured, then writes the
Markdown document, its PNG chart (`<out stem>-latency.png`) and the raw results
(`<out stem>.json`). Neo4j is the server that NEO4J_URI/NEO4J_USER/NEO4J_PASSWORD name (start
a throwaway one with scripts/neo4j/neo4j.sh; INSIKT_NEO4J_HEAP sets its heap); the benchmark
EMPTIES that database, and refuses one that holds other datasets unless --neo4j-wipe. The
agencies come from INSIKT_REGISTER (ESV's register) when set, else made-up ones.
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from collections.abc import Callable
from dataclasses import fields
from pathlib import Path
from typing import Any

from benchmarks.neo4j_bench import SLICE
from benchmarks.suite import MEASURES, PAGES, Options, Run, run_benchmark
from benchmarks.timing import Result

ROOT = Path(__file__).resolve().parent.parent
PAGE_CHOICES = ("overview", "overlap", "network", "collaboration", "life_events", "principles")


def _ints(text: str) -> list[int]:
    try:
        values = [int(x) for x in text.split(",") if x.strip()]
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"expected numbers separated by commas, got {text!r}") from exc
    if not values or any(v < 1 for v in values):
        raise argparse.ArgumentTypeError(f"expected scales of 1 or more, got {text!r}")
    return values


def _names(allowed: tuple[str, ...]) -> Callable[[str], list[str]]:
    def parse(text: str) -> list[str]:
        names = [x.strip() for x in text.split(",") if x.strip()]
        bad = [n for n in names if n not in allowed]
        if bad or not names:
            raise argparse.ArgumentTypeError(f"choose from {', '.join(allowed)}; got {text!r}")
        return names
    return parse


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="measure and write the document",
                         description="Measure loads, reloads, queries, pages, memory and CLI "
                         "start-up; print a table and write the document.")
    run.add_argument("--scales", type=_ints, default=[1, 10, 100, 1000],
                     help="scales to measure (default 1,10,100,1000)")
    run.add_argument("--repeat", type=int, default=5, help="runs per figure after a warm-up "
                     "(median; default 5)")
    run.add_argument("--backends", type=_names(("embedded", "neo4j")),
                     default=["embedded", "neo4j"], help="default embedded,neo4j")
    run.add_argument("--only", type=_names(MEASURES), default=list(MEASURES),
                     help=f"measures to run (default all: {','.join(MEASURES)})")
    run.add_argument("--page-scales", type=_ints, default=[100, 1000],
                     help="scales at which to render the dashboard pages (default 100,1000)")
    run.add_argument("--pages", type=_names(PAGE_CHOICES), default=list(PAGES),
                     help=f"dashboard pages to render (default {','.join(PAGES)})")
    run.add_argument("--slice", type=int, default=SLICE,
                     help=f"records of each kind in the per-row baseline (default {SLICE})")
    run.add_argument("--seed", type=int, default=7, help="generator seed (default 7)")
    run.add_argument("--load-budget", type=float, default=150.0,
                     help="seconds for all runs of one load or reload figure (default 150)")
    run.add_argument("--query-budget", type=float, default=10.0,
                     help="seconds for all runs of one query figure (default 10)")
    run.add_argument("--page-budget", type=float, default=40.0,
                     help="seconds for the runs of one page figure (default 40)")
    run.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md",
                     help="the document to write (default docs/benchmarks.md)")
    run.add_argument("--compare", type=Path, default=None,
                     help="another run's JSON (e.g. a 512 MiB heap run) to show beside this one")
    run.add_argument("--work", type=Path, default=None,
                     help="folder for datasets and stores (default: a temporary one, removed)")
    run.add_argument("--neo4j-wipe", action="store_true",
                     help="empty the Neo4j database even if it holds datasets of its own")
    again = sub.add_parser("render", help="write the document again from a run's JSON",
                           description="Write the document, chart and JSON again from the "
                           "results of an earlier run (e.g. to add --compare), without measuring.")
    again.add_argument("results", type=Path, nargs="+",
                       help="a run's JSON (e.g. docs/benchmarks.json); several are merged, "
                       "e.g. scales measured in separate runs (commands and notes are joined)")
    again.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    again.add_argument("--compare", type=Path, default=None)
    again.add_argument("--note", action="append", default=[],
                       help="a note to add to the document (repeatable)")
    return ap


def load_run(path: Path) -> tuple[Run, dict[str, Any]]:
    """A run as its JSON recorded it (options, results, datasets, server, notes)."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    o = dict(doc["options"])
    o["only"] = set(o["only"])
    o["register"] = Path(o["register"]) if o.get("register") not in (None, "None") else None
    o["work"] = None
    names = {f.name for f in fields(Result)}
    results = [Result(**{k: v for k, v in r.items() if k in names}) for r in doc["results"]]
    run = Run(Options(**o), results=results,
              datasets={int(k): v for k, v in doc["datasets"].items()}, server=doc["server"],
              notes=doc["notes"], started=doc["started"], seconds=doc["seconds"])
    return run, doc


def main(argv: list[str] | None = None) -> None:
    args = parser().parse_args(argv)
    from benchmarks import report
    from graph.settings import get_settings

    if args.command == "render":
        run, doc = load_run(args.results[0])
        commands, commits = [doc["command"]], {doc["commit"]}
        for more in args.results[1:]:
            other, odoc = load_run(more)
            oo = other.options
            run.notes.append(
                f"Scale {', '.join(map(str, oo.scales))} comes from the command "
                f"`{odoc['command']}` (runs: up to {oo.repeat}; budgets: loads "
                f"{oo.load_budget:g} s, queries {oo.query_budget:g} s, pages "
                f"{oo.page_budget:g} s); the header's figures are the first command's.")
            run.results += other.results
            run.datasets.update(other.datasets)
            run.notes += other.notes
            run.seconds += other.seconds
            run.options.scales = sorted({*run.options.scales, *other.options.scales})
            run.options.only |= other.options.only
            run.server = run.server or other.server
            commands.append(odoc["command"])
            commits.add(odoc["commit"])
        run.notes += args.note
        out = report.write(run, args.out, "\n".join(commands), " + ".join(sorted(commits)),
                           args.compare, doc["machine"])
        print(f"wrote {out} from {', '.join(map(str, args.results))}")
        return

    opts = Options(scales=args.scales, repeat=max(1, args.repeat), backends=args.backends,
                   only=set(args.only), seed=args.seed, register=get_settings().register_path,
                   load_budget=args.load_budget, query_budget=args.query_budget,
                   page_budget=args.page_budget, page_scales=args.page_scales,
                   pages=args.pages, slice=max(1, args.slice),
                   neo4j_wipe=args.neo4j_wipe, work=args.work,
                   say=lambda msg: print(msg, flush=True))
    argv = sys.argv[1:] if argv is None else argv
    command = ".venv/bin/python -m benchmarks " + shlex.join(argv)
    commit = report.git_commit(ROOT)  # before the run: the code that is measured
    partial = args.out.with_suffix(".partial.json")

    def save(run: Run) -> None:  # results so far: `render` makes a document of them
        partial.parent.mkdir(parents=True, exist_ok=True)
        partial.write_text(report.results_json(run, command, commit), encoding="utf-8")

    opts.checkpoint = save
    result = run_benchmark(opts)
    out = report.write(result, args.out, command, commit, args.compare)
    partial.unlink(missing_ok=True)
    print(f"\nwrote {out}, {out.with_name(out.stem + '-latency.png').name} and "
          f"{out.with_suffix('.json').name} in {result.seconds / 60:.1f} min")


if __name__ == "__main__":
    main()
