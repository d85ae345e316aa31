"""The benchmark's document: docs/benchmarks.md with its chart (PNG, matplotlib's Agg
backend) and the raw results as JSON beside it. Every ratio and every met/missed in the
targets table is computed here from the measured results; nothing is typed in."""

from __future__ import annotations

import json
import os
import platform
import re
import statistics
import subprocess
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.neo4j_bench import CEILING_TX
from benchmarks.suite import Run
from benchmarks.timing import Result, fmt_seconds

SECTIONS = {
    "load": "## 1. Neo4j load throughput",
    "reload": "## 2. Reloads",
    "query": "## 3. Saved queries and analyses",
    "page": "## 4. Dashboard pages",
    "memory": "## 5. Peak memory",
    "cli": "## 6. CLI start-up",
}
CHART_TITLE = "## Chart: latency against scale"
TARGETS_TITLE = "## Targets (issue 13, item 7)"
CLUSTER_TITLE = "## Past one machine: a Neo4j cluster or Aura"
HEAP_TITLE = "## Neo4j with half the default heap (512 MiB)"


# -- facts about the run ---------------------------------------------------------------------

def git_commit(root: Path) -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True,
                              text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                               cwd=root, capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + (" (with uncommitted changes)" if dirty.strip() else "")


def machine() -> dict[str, Any]:
    mem = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    try:
        load = os.getloadavg()
    except OSError:
        load = (0.0, 0.0, 0.0)
    return {"cores": os.cpu_count(), "ram": mem, "system": platform.platform(),
            "python": platform.python_version(), "load average": [round(x, 2) for x in load]}


# -- lookups ---------------------------------------------------------------------------------

def find(results: Iterable[Result], measure: str, backend: str, scale: int | None,
         name: str) -> Result | None:
    for r in results:
        if (r.measure, r.backend, r.scale, r.name) == (measure, backend, scale, name):
            return r
    return None


def secs(r: Result | None) -> float | None:
    return r.seconds if r is not None else None


def ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def fx(x: float | None, digits: int = 2) -> str:
    return "–" if x is None else f"{x:.{digits}f}×"


def _scales(results: list[Result], measure: str) -> list[int]:
    return sorted({r.scale for r in results if r.measure == measure and r.scale is not None})


# -- tables ----------------------------------------------------------------------------------

def table(head: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    out += ["| " + " | ".join(c.replace("|", "/") for c in row) + " |" for row in rows]
    return out


def _n(r: Result | None) -> str:
    return str(len(r.runs)) if r is not None and r.runs else "–"


def _shown(r: Result | None) -> str:
    return r.shown() if r is not None else "–"


def load_section(run: Run) -> list[str]:
    res = run.results
    rows = []
    for s in _scales(res, "load"):
        first = find(res, "load", "neo4j", s, "first load")
        base = find(res, "load", "neo4j", s, "per-row baseline (extrapolated)")
        ceil = find(res, "load", "neo4j", s, "raw UNWIND … CREATE ceiling")
        emb = find(res, "load", "embedded", s, "first load")
        n = (first or ceil or emb or Result("", "", s, "")).value or 0
        rate = ratio(n, secs(first))
        rows.append([f"{s}", f"{int(n):,}", _shown(first), _n(first),
                     f"{rate:,.0f}" if rate else "–", _shown(base), _shown(ceil),
                     fx(ratio(secs(base), secs(first)), 1), fx(ratio(secs(ceil), secs(first))),
                     _shown(emb)])
    out = ["The store's `load` (one dataset, first load into an empty database) against a "
           "per-row baseline (the store's own MERGE, one row per transaction, on a slice of "
           f"{run.options.slice} nodes and {run.options.slice} relationships, extrapolated) "
           "and a raw `UNWIND … CREATE` ceiling (the same records in batches of the store's "
           f"batch size, committed every {CEILING_TX:,} records, no "
           "MERGE and no tags) into an empty database with the same constraints and indexes. "
           "*× baseline* = baseline time / load time (how many times faster than per row); "
           "*× ceiling* = ceiling time / load time (1 = as fast as raw CREATE). The embedded "
           "store's first load is beside it for comparison.", ""]
    out += table(["scale", "records", "Neo4j load", "n", "records/s", "per-row baseline",
                  "raw ceiling", "× baseline", "× ceiling", "embedded load"], rows)
    fails = [r for r in res if r.measure == "load" and r.status != "ok"]
    for r in fails:
        out.append(f"\n* {r.backend} {r.name} at {r.scale}×: {r.shown()} {r.detail[:300]}")
    return out


def reload_section(run: Run) -> list[str]:
    res = run.results
    rows = []
    for s in _scales(res, "reload"):
        for b in ("neo4j", "embedded"):
            first = find(res, "load", b, s, "first load")
            same = find(res, "reload", b, s, "reload, unchanged")
            chg = find(res, "reload", b, s, "reload, 1% of entries changed")
            if same is None and chg is None:
                continue
            rows.append([f"{s}", b, _shown(first), _shown(same), _n(same),
                         fx(ratio(secs(same), secs(first))), _shown(chg), _n(chg),
                         fx(ratio(secs(chg), secs(first)))])
    out = ["`store.load` of the dataset already loaded (unchanged), and of a copy with 1 % of "
           "its entries changed (specific insights' titles, spread evenly; the runs alternate "
           "between the two versions, so every run changes 1 %), as a ratio to the first "
           "load in the same run. Reading and validating the files is not included (see the "
           "datasets table). A run longer than the budget is stopped and shown as > budget.",
           ""]
    out += table(["scale", "backend", "first load", "unchanged", "n", "÷ first", "1 % changed",
                  "n", "÷ first"], rows)
    for r in res:
        if r.measure == "reload" and r.status != "ok":
            out.append(f"\n* {r.backend} {r.name} at {r.scale}×: {r.shown()} {r.detail[:300]}")
    return out


def _label(name: str) -> str:
    """One row per query whatever the heaviest agency's id at each scale (older runs named it)."""
    return re.sub(r" \(agency=[^)]*\)$", " (heaviest agency)", name)


def query_section(run: Run) -> list[str]:
    res = [r for r in run.results if r.measure != "query"] + [
        Result(r.measure, r.backend, r.scale, _label(r.name), r.runs, r.status, r.budget,
               r.detail, r.value, r.unit) for r in run.results if r.measure == "query"]
    scales = _scales(res, "query")
    names = list(dict.fromkeys(r.name for r in res if r.measure == "query"))
    backends = [b for b in ("embedded", "neo4j") if any(r.backend == b and r.measure == "query"
                                                          for r in res)]
    head = ["query"] + [f"{b[:3]} {s}×" for s in scales for b in backends]
    rows = []
    for name in names:
        row = [name]
        for s in scales:
            for b in backends:
                r = find(res, "query", b, s, name)
                cell = _shown(r)
                if r is not None and r.value is not None and r.status == "ok":
                    cell += f" ({int(r.value):,} rows)"
                row.append(cell)
        rows.append(row)
    out = ["Every query of the catalog (`queries.catalog.all_queries()`, so new ones are "
           "measured without a change here) through `run_query`, first page of results (the "
           "query's default page size, if it has one). Required parameters get the heaviest "
           "value (the agency that reports most, the life event with most insights, the most "
           "reported insight); optional filters are left out (the whole graph), and a query "
           "with an optional agency parameter runs again for the heaviest agency. Analyses "
           "(`queries.analytics`) run on `store.to_networkx()` as the CLI does; on Neo4j that "
           "reads the whole graph each time. Medians; emb = embedded, neo = Neo4j.", ""]
    out += table(head, rows)
    for s in run.datasets:
        out.append(f"\nParameters at {s}×: " + ", ".join(
            f"{k} = `{v}`" for k, v in run.datasets[s]["heaviest"].items()))
    errors = [r for r in res if r.measure == "query" and r.status == "error"]
    for r in errors:
        out.append(f"\n* {r.backend} {r.name} at {r.scale}×: {r.detail[:300]}")
    return out


def page_section(run: Run) -> list[str]:
    res = run.results
    rows = []
    for s in _scales(res, "page"):
        for b in ("embedded", "neo4j"):
            for page in run.options.pages:
                first = find(res, "page", b, s, f"{page}, first render")
                again = find(res, "page", b, s, f"{page}, rerun")
                if first is None:
                    continue
                rows.append([f"{s}", b, page, _shown(first), _n(first), _shown(again),
                             _n(again)])
    out = ["Streamlit AppTest in a process of its own per backend and scale "
           "(benchmarks/pages.py). *First render*: a new session after every Streamlit cache "
           "was cleared (the store opened again), as a fresh dashboard process sees it. "
           "*Rerun*: the same session run again (caches warm), as after a click. AppTest "
           "runs the script without a browser, so this is the server's share of a page "
           "view.", ""]
    out += table(["scale", "backend", "page", "first render", "n", "rerun", "n"], rows)
    for r in res:
        if r.measure == "page" and r.status == "error":
            out.append(f"\n* {r.backend} {r.name} at {r.scale}×: {r.detail[:300]}")
    return out


def memory_section(run: Run) -> list[str]:
    rows = [[f"{r.scale}", r.backend, r.name,
             f"{r.value:,.0f} MB" if r.value is not None else "–", _shown(r)]
            for r in run.results if r.measure == "memory"]
    out = ["Peak resident memory (RSS) of one process, from `wait4` on that process alone "
           "(its `ru_maxrss`); the Neo4j server's own peak is its `VmHWM` in /proc, reset "
           "before the load. `insikt load` is the CLI on a new store (embedded) or an emptied "
           "database (Neo4j); the dashboard process is the largest of the page "
           "benchmark's processes (one per page, each after its renders).", ""]
    return out + table(["scale", "backend", "process", "peak RSS", "time"], rows)


def cli_section(run: Run) -> list[str]:
    res = run.results
    bare = find(res, "cli", "-", None, "python -c pass")
    rows = []
    for r in res:
        if r.measure != "cli":
            continue
        rows.append([r.name, r.backend, "–" if r.scale is None else f"{r.scale}", _shown(r),
                     _n(r), fx(ratio(secs(r), secs(bare)), 1)])
    out = ["Wall time of the whole process (the `insikt` console script), median after a "
           "warm-up, against a bare `python -c pass` of the same interpreter.", ""]
    return out + table(["command", "backend", "scale", "time", "n", "× python -c pass"], rows)


# -- targets -----------------------------------------------------------------------------------

@dataclass
class Target:
    what: str
    target: str
    measured: str
    verdict: str


def _upper(value: float | None, limit: float, r: Result | None = None) -> str:
    if value is None:
        if r is not None and r.status == "budget":
            return f"**missed**: did not finish within the {r.budget:g} s budget"
        if r is not None and r.status == "error":
            return "**missed**: failed (" + r.detail[:120] + ")"
        return "not measured"
    if value <= limit:
        return f"met ({value / limit:.2f} of the limit)"
    return f"**missed**: {value / limit:.1f}× the limit"


def _lower(value: float | None, floor: float) -> str:
    if value is None:
        return "not measured"
    if value >= floor:
        return f"met ({value / floor:.1f}× the floor)"
    return f"**missed**: {value / floor:.2f} of the floor"


def _largest(scales: list[int], want: int) -> tuple[int | None, str]:
    if want in scales:
        return want, ""
    if not scales:
        return None, ""
    return max(scales), f" (at {max(scales)}×: {want}× not in this run)"


def targets(run: Run) -> list[Target]:
    res = run.results
    out: list[Target] = []
    load_scales = _scales(res, "load")
    worst_base: tuple[float, int] | None = None
    worst_ceil: tuple[float, int] | None = None
    for s in load_scales:
        first = secs(find(res, "load", "neo4j", s, "first load"))
        vs_base = ratio(secs(find(res, "load", "neo4j", s, "per-row baseline (extrapolated)")),
                        first)
        vs_ceil = ratio(secs(find(res, "load", "neo4j", s, "raw UNWIND … CREATE ceiling")), first)
        if vs_base is not None and (worst_base is None or vs_base < worst_base[0]):
            worst_base = (vs_base, s)
        if vs_ceil is not None and (worst_ceil is None or vs_ceil < worst_ceil[0]):
            worst_ceil = (vs_ceil, s)
    missing_load = [s for s in load_scales
                    if secs(find(res, "load", "neo4j", s, "first load")) is None]
    note = f"; no Neo4j load at {', '.join(map(str, missing_load))}×" if missing_load else ""
    out.append(Target("Neo4j load vs per-row baseline", "≥ 20×",
                      f"{worst_base[0]:.1f}× (lowest, at {worst_base[1]}×){note}" if worst_base
                      else "–" + note,
                      "**missed**: the load did not finish" if missing_load else
                      _lower(worst_base[0] if worst_base else None, 20)))
    out.append(Target("Neo4j load vs raw ceiling", "≥ 0.7×",
                      f"{worst_ceil[0]:.2f}× (lowest, at {worst_ceil[1]}×){note}" if worst_ceil
                      else "–" + note,
                      "**missed**: the load did not finish" if missing_load else
                      _lower(worst_ceil[0] if worst_ceil else None, 0.7)))
    mem = {r.scale: r.value for r in res if r.measure == "memory" and r.backend == "neo4j"
           and r.name == "Neo4j server during that load" and r.value}
    client = {r.scale: r.value for r in res if r.measure == "memory" and r.backend == "neo4j"
              and r.name == "insikt load (first)" and r.value and r.status == "ok"}
    if 100 in mem and 1000 in mem and 1000 in client and 100 in client:
        grow = max(mem[1000] / mem[100], client[1000] / client[100])
        out.append(Target("Neo4j load memory 100× → 1000×", "flat (≤ 1.25× growth)",
                          f"server {mem[100]:,.0f} → {mem[1000]:,.0f} MB, client "
                          f"{client[100]:,.0f} → {client[1000]:,.0f} MB",
                          _upper(grow, 1.25)))
    else:
        out.append(Target("Neo4j load memory 100× → 1000×", "flat (≤ 1.25× growth)",
                          "needs a finished `insikt load` at 100× and 1000×", "not measured"
                          if 1000 not in load_scales else "**missed**: no load at 1000×"))
    for b in ("neo4j", "embedded"):
        at, where = _largest(_scales([r for r in res if r.backend == b], "reload"), 1000)
        first_r = find(res, "load", b, at, "first load")
        same = find(res, "reload", b, at, "reload, unchanged")
        chg = find(res, "reload", b, at, "reload, 1% of entries changed")
        rs = ratio(secs(same), secs(first_r))
        rc = ratio(secs(chg), secs(first_r))
        out.append(Target(f"Reload unchanged, {b}", "≤ 0.1× first load at 1000×",
                          (fx(rs) if rs is not None else _shown(same)) + where,
                          _upper(rs, 0.1, same if rs is None else None)
                          if first_r is not None and secs(first_r) else
                          "**missed**: no first load to compare with"))
        out.append(Target(f"Reload 1 % changed, {b}", "≤ 0.2× first load",
                          (fx(rc) if rc is not None else _shown(chg)) + where,
                          _upper(rc, 0.2, chg if rc is None else None)
                          if first_r is not None and secs(first_r) else
                          "**missed**: no first load to compare with"))
    from queries.catalog import all_queries

    saved = {q.name for q in all_queries()}
    for s_want, limit in ((100, 0.3), (1000, 1.0)):
        for b in ("embedded", "neo4j"):
            qs = [r for r in res if r.measure == "query" and r.backend == b
                  and r.scale == s_want and r.name.split(" (")[0] in saved]
            if not qs:
                out.append(Target(f"Saved queries at {s_want}×, {b}", f"≤ {limit * 1000:.0f} ms",
                                  "–", "not measured"))
                continue
            over = [r for r in qs if r.seconds is None or r.seconds > limit]
            worst = max(qs, key=lambda r: float("inf") if r.seconds is None else r.seconds)
            shown = f"worst {worst.name}: {worst.shown()}; {len(over)} of {len(qs)} over"
            verdict = _upper(worst.seconds, limit, worst)
            if not over:
                verdict = f"met (all {len(qs)}; {verdict[4:-1]})"
            out.append(Target(f"Saved queries at {s_want}×, {b}", f"≤ {limit * 1000:.0f} ms",
                              shown, verdict))
    for s_want, kind, limit in ((100, "first render", 2.0), (100, "rerun", 1.0),
                                (1000, "first render", 4.0), (1000, "rerun", 4.0)):
        for b in ("embedded", "neo4j"):
            ps = [r for r in res if r.measure == "page" and r.backend == b and r.scale == s_want
                  and r.name.endswith(kind)]
            if not ps:
                out.append(Target(f"Pages, {kind} at {s_want}×, {b}", f"≤ {limit:g} s", "–",
                                  "not measured"))
                continue
            worst = max(ps, key=lambda r: float("inf") if r.seconds is None else r.seconds)
            out.append(Target(f"Pages, {kind} at {s_want}×, {b}", f"≤ {limit:g} s",
                              f"worst {worst.name.split(',')[0]}: {worst.shown()}",
                              _upper(worst.seconds, limit, worst)))
    h = find(res, "cli", "-", None, "insikt --help")
    bare = secs(find(res, "cli", "-", None, "python -c pass"))
    vs_bare = f" ({fx(ratio(secs(h), bare), 1)} a bare `python -c pass`, {fmt_seconds(bare)} " \
        "here)" if bare and secs(h) else ""
    out.append(Target("`insikt --help`", "≤ 0.08 s", _shown(h) + vs_bare,
                      _upper(secs(h), 0.08, h)))
    for b in ("embedded", "neo4j"):
        stats = [r for r in res if r.measure == "cli" and r.name == "insikt stats"
                 and r.backend == b]
        if not stats:
            continue
        worst = max(stats, key=lambda r: float("inf") if r.seconds is None else r.seconds)
        out.append(Target(f"`insikt stats`, {b}", "≤ 0.3 s at any scale",
                          f"worst {worst.shown()} (at {worst.scale}×; "
                          f"{fx(ratio(worst.seconds, bare), 1)} `python -c pass`)",
                          _upper(worst.seconds, 0.3, worst)))
    at, where = _largest(sorted(r.scale for r in res if r.measure == "memory"
                                and r.backend == "embedded" and r.name == "insikt load (first)"
                                and r.scale is not None), 1000)
    m = find(res, "memory", "embedded", at, "insikt load (first)")
    out.append(Target("Peak memory, embedded load at 1000×", "≤ 400 MB",
                      (f"{m.value:,.0f} MB" if m is not None and m.value else "–") + where,
                      _upper(m.value if m is not None and m.status == "ok" else None, 400, m)))
    return out


# -- chart -----------------------------------------------------------------------------------

def chart(run: Run, path: Path) -> None:
    """Latency against scale, both backends: loads, reloads, queries (median and worst),
    first page renders. Log scales; a figure over budget is drawn at the budget, hollow."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    res = run.results
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.6))
    colors = {"embedded": "tab:blue", "neo4j": "tab:orange"}

    def series(ax: Any, xs: list[int], ys: list[float | None], label: str, color: str,
               style: str = "-", budget: list[float | None] | None = None) -> None:
        pts = [(x, y) for x, y in zip(xs, ys, strict=True) if y is not None]
        if pts:
            ax.plot([p[0] for p in pts], [p[1] for p in pts], style, marker="o", color=color,
                    label=label)
        if budget:
            over = [(x, b) for x, y, b in zip(xs, ys, budget, strict=True)
                    if y is None and b is not None]
            if over:
                ax.plot([p[0] for p in over], [p[1] for p in over], "o", mfc="none",
                        color=color, markersize=10)

    for b, color in colors.items():
        ax = axes[0]
        xs = _scales([r for r in res if r.backend == b], "load") or \
            _scales([r for r in res if r.backend == b], "reload")
        for name, measure, style in (("first load", "load", "-"),
                                     ("reload, unchanged", "reload", "--"),
                                     ("reload, 1% of entries changed", "reload", ":")):
            rs = [find(res, measure, b, s, name) for s in xs]
            series(ax, xs, [secs(r) for r in rs], f"{b}: {name}", color, style,
                   [r.budget if r is not None and r.status == "budget" else None for r in rs])
        ax = axes[1]
        xs = _scales([r for r in res if r.backend == b], "query")
        med, worst = [], []
        for s in xs:
            vals = [r.seconds if r.seconds is not None else (r.budget or 0.0) for r in res
                    if r.measure == "query" and r.backend == b and r.scale == s]
            med.append(statistics.median(vals) if vals else None)
            worst.append(max(vals) if vals else None)
        series(ax, xs, med, f"{b}: median query", color, "-")
        series(ax, xs, worst, f"{b}: slowest query", color, "--")
        ax = axes[2]
        xs = _scales([r for r in res if r.backend == b], "page")
        for kind, style in (("first render", "-"), ("rerun", "--")):
            vals2: list[float | None] = []
            over: list[float | None] = []
            for s in xs:
                pages = [r for r in res if r.measure == "page" and r.backend == b
                         and r.scale == s and r.name.endswith(kind)]
                stopped = [r.budget for r in pages if r.status == "budget" and r.budget]
                done = [r.seconds for r in pages if r.seconds is not None]
                vals2.append(None if stopped or not done else max(done))
                over.append(max(stopped) if stopped else None)
            series(ax, xs, vals2, f"{b}: slowest page, {kind}", color, style, over)
    for ax, title in zip(axes, ("Loads and reloads", "Saved queries and analyses",
                                "Dashboard pages"), strict=True):
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("scale (× the seed's 38 specific insights)")
        ax.set_ylabel("seconds")
        ax.set_title(title)
        ax.grid(True, which="both", alpha=0.3)
        if ax.lines:
            ax.legend(fontsize=7)
    fig.suptitle("Insiktsgrafen benchmark (hollow circles: stopped at the time budget)")
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


# -- the document ------------------------------------------------------------------------------

CLUSTER_NOTES = """\
Nothing in the design assumes one machine; these are the places that change.

* **Connection.** The store takes its server from `NEO4J_URI`. A cluster or Aura is
  `neo4j+s://…` (routing, TLS): the driver reads the routing table and sends writes to the
  leader and reads to followers or read replicas. The store already separates the two:
  loads run in `execute_write` sessions, queries and the console in read-mode sessions
  (`default_access_mode=READ`), so a routing URI spreads the reads with no code change.
* **The dashboard on read replicas.** The dashboard only reads. Point its `NEO4J_URI` at the
  cluster with routing and it is served by secondaries; several dashboard processes behind
  a load balancer share nothing but the database (Streamlit's caches are per process; the
  graph version that invalidates them is read from the database). After a load the
  dashboard may read a replica that is a moment behind; the version check then sees the
  new load on a later rerun (causal consistency through bookmarks would need the loader's
  bookmark, which a separate process does not have, so we accept the short lag).
* **Loads.** They go to the leader. The load lock (a node locked in the load's transaction)
  works the same on a cluster, since every write transaction runs on the leader. The
  per-transaction memory limit (`db.memory.transaction.max`, 256 MiB on the local
  launcher) is what a managed service enforces too, so a load has to be bounded batches
  rather than one transaction for the whole dataset (section 1 shows where one
  transaction stops); a staged or versioned switch keeps readers from seeing half a
  dataset while the batches commit.
* **The precomputed overlap projection.** Kept as data in the same database (relationships
  or nodes with counts, written in the load's batches), it is replicated with everything
  else, so every replica answers overlap questions from it without building pairs at
  query time. It must not live in a process's memory (the dashboard's caches) or a
  sidecar file, which replicas would not see.
* **Analytics.** On Neo4j they read the graph into networkx on the client (section 3). On
  a cluster that is a full read from a replica per analysis: either cache the result per
  graph version, fetch only the subgraph an analysis needs, or run it in the database
  (Graph Data Science is not part of Community or AuraDB Free; it is on AuraDS).
* **Sizing.** The half-heap run below says whether the memory bounds hold with 512 MiB, a
  small Aura instance's order of magnitude.
"""


def _fmt_dataset_rows(run: Run) -> list[list[str]]:
    rows = []
    for s, d in sorted(run.datasets.items()):
        rows.append([f"{s}", f"{d['nodes']:,}", f"{d['relationships']:,}", f"{d['entries']:,}",
                     f"{d['changed entries']:,}", f"{d['generate s']:.2f} s",
                     f"{d['read and validate s']:.2f} s", f"`{d['heaviest']['Agency']}`"])
    return rows


def compare_section(run: Run, other: dict[str, Any]) -> list[str]:
    """This run's Neo4j figures beside another run's (the 512 MiB heap run)."""
    theirs = {(r["measure"], r["backend"], r["scale"], _label(r["name"])): r
              for r in other["results"]}
    rows = []
    for r in run.results:
        o = theirs.get((r.measure, r.backend, r.scale, _label(r.name)))
        if r.backend != "neo4j" or o is None or r.measure not in ("load", "reload", "query"):
            continue
        mine = r.seconds
        their = o.get("seconds")
        o_shown = (fmt_seconds(their) if their is not None else
                   (f"> {o['budget']:g} s (budget)" if o["status"] == "budget" else "error"))
        rows.append([r.measure, f"{r.scale}", r.name, r.shown(), o_shown,
                     fx(ratio(their, mine))])
    heap = other.get("server", {}).get("heap", "?")
    mine_heap = run.server.get("heap", "?")
    intro = (f"The same measures from a run against a Neo4j started with `INSIKT_NEO4J_HEAP="
             f"{heap}` (`{other.get('command', '')}`; commit {other.get('commit', '?')}), "
             f"beside this run's (heap {mine_heap}). *÷ this run* > 1 means slower with the "
             "smaller heap; an error or a budget stop there means a memory bound that did not "
             "hold.")
    def own(results: list[Result], s: int, measure: str, name: str, ref: str) -> str:
        a = secs(find(results, measure, "neo4j", s, name))
        b = secs(find(results, "load", "neo4j", s, ref))
        return fx(ratio(b, a) if measure == "load" else ratio(a, b))

    fields = {f for f in Result.__dataclass_fields__}
    o_results = [Result(**{k: v for k, v in r.items() if k in fields}) for r in other["results"]]
    within = []
    for s in sorted({r.scale for r in o_results if r.scale is not None}):
        for label, measure, name, ref in (
                ("load × raw ceiling", "load", "first load", "raw UNWIND … CREATE ceiling"),
                ("load × per-row baseline", "load", "first load",
                 "per-row baseline (extrapolated)"),
                ("reload unchanged ÷ first load", "reload", "reload, unchanged", "first load"),
                ("reload 1 % changed ÷ first load", "reload", "reload, 1% of entries changed",
                 "first load")):
            within.append([f"{s}", label, own(run.results, s, measure, name, ref),
                           own(o_results, s, measure, name, ref)])
    return [intro, "", "Ratios within each run (comparable even when the machine's load "
            "differed between the runs):", "",
            *table(["scale", "ratio", f"heap {mine_heap}", f"heap {heap}"], within), "",
            "Times:", "",
            *table(["measure", "scale", "what", f"heap {mine_heap}", f"heap {heap}",
                    "÷ this run"], rows)]


def results_json(run: Run, command: str, commit: str, m: dict[str, Any] | None = None) -> str:
    """The run as JSON: what `render` reads back (options, results, datasets, server)."""
    options = {k: (sorted(v) if isinstance(v, set) else str(v) if isinstance(v, Path) else v)
               for k, v in vars(run.options).items() if k not in ("say", "checkpoint")}
    return json.dumps({"command": command, "commit": commit, "machine": m or machine(),
                       "options": options, "started": run.started, "seconds": run.seconds,
                       "server": run.server,
                       "datasets": {str(k): v for k, v in run.datasets.items()},
                       "notes": run.notes, "results": [r.as_dict() for r in run.results]},
                      ensure_ascii=False, indent=1) + "\n"


def write(run: Run, out: Path, command: str, commit: str, compare: Path | None = None,
          m: dict[str, Any] | None = None) -> Path:
    """Write `out` (Markdown), its chart (`<stem>-latency.png`) and results (`<stem>.json`).
    `commit` is the code measured (taken when the run started); `m` the machine."""
    out.parent.mkdir(parents=True, exist_ok=True)
    png = out.with_name(out.stem + "-latency.png")
    raw = out.with_suffix(".json")
    m = m or machine()
    o = run.options
    chart(run, png)
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(run.started))
    srv = run.server
    lines = ["# Benchmarks", "",
             "Generated by the benchmark suite (`benchmarks/`); do not edit by hand, rerun it:",
             "", "```", command, "```", "",
             f"* date: {when}; whole run {run.seconds / 60:.1f} min",
             f"* commit: `{commit}`",
             f"* machine: {m['cores']} cores, {m['ram']} RAM, {m['system']}, Python "
             f"{m['python']}; load average at the end {m['load average']} (the machine was "
             "shared with other work while this ran, so absolute times are noisy; the ratios "
             "are measured in the same run and are the figures to compare)",
             f"* Neo4j: {srv.get('version', 'not measured')}, heap {srv.get('heap', '–')}, "
             f"settings {srv.get('settings', {})}, batch {srv.get('batch', '–')}" if srv else
             "* Neo4j: not part of this run",
             f"* runs: median of up to {o.repeat} after a warm-up (dropped unless it took over "
             "5 s); *n* is how many runs the median is of. Budgets: loads and reloads "
             f"{o.load_budget:g} s, each query {o.query_budget:g} s, each page "
             f"{o.page_budget:g} s (a run past its budget is stopped, and later runs are "
             "skipped once a measure used its budget)",
             "* data: `insikt generate --scale N --seed "
             f"{o.seed}` ({'with ESV register, INSIKT_REGISTER' if o.register else 'made-up agencies'}), "
             "one dataset; scale N = N × the seed's 38 specific insights over 365 agencies",
             ""]
    lines += table(["scale", "nodes", "relationships", "entries", "changed (1 %)", "generate",
                    "read + validate", "heaviest agency"], _fmt_dataset_rows(run))
    if run.notes:
        lines += ["", "Notes:", ""] + [f"* {n}" for n in run.notes]
    lines += ["", TARGETS_TITLE, "",
              "Computed from the measurements below (the budgets make an unfinished figure a "
              "miss).", ""]
    lines += table(["measure", "target", "measured", "verdict"],
                   [[t.what, t.target, t.measured, t.verdict] for t in targets(run)])
    builders = {"load": load_section, "reload": reload_section, "query": query_section,
                "page": page_section, "memory": memory_section, "cli": cli_section}
    for key, title in SECTIONS.items():
        lines += ["", title, ""]
        if key in o.only and any(r.measure == key for r in run.results):
            lines += builders[key](run)
        else:
            lines.append("Not part of this run (see `--only`" +
                         (" and `--page-scales`" if key == "page" else "") + ").")
    lines += ["", CHART_TITLE, "", f"![Latency against scale]({png.name})", "",
              "Left: the Neo4j and embedded first loads and reloads. Middle: the median and the "
              "slowest of all queries and analyses per scale (a query stopped at its budget "
              "counts at the budget). Right: the slowest page's first render and rerun.",
              "", HEAP_TITLE, ""]
    if compare is not None and compare.exists():
        lines += compare_section(run, json.loads(compare.read_text(encoding="utf-8")))
    else:
        lines += ["Start a server with `INSIKT_NEO4J_HEAP=512m bash scripts/neo4j/neo4j.sh "
                  "start`, run the benchmark against it with `--out` elsewhere, and pass its "
                  "JSON here with `--compare`; this run had none."]
    lines += ["", CLUSTER_TITLE, "", CLUSTER_NOTES]
    out.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")
    raw.write_text(results_json(run, command, commit, m), encoding="utf-8")
    return out
