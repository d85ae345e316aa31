"""The benchmark run: for each scale, generate the dataset, then measure loads, reloads,
every saved query and analysis, dashboard pages, peak memory and CLI start-up on the chosen
backends (see `python -m benchmarks run --help` and docs/benchmarks.md).

It uses only public entry points, so that it keeps measuring whatever the write path and the
queries become: `loaders.generator` for data, `loaders.dataset.read_dataset`, the stores'
`load` (`graph.backends.open_store`), `queries.catalog` (`all_queries`, `run_query`),
`queries.analytics`, the dashboard through AppTest (benchmarks.pages) and the `insikt` CLI.
"""

from __future__ import annotations

import contextlib
import copy
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks import neo4j_bench as nb
from benchmarks.timing import Result, deadline, measure
from graph.backends import open_store
from graph.model import GraphData, Label
from graph.neo4j_store import Neo4jStore
from graph.store import GraphStore
from loaders.dataset import read_dataset
from loaders.generator import generate_entries
from loaders.writer import write_entries

MEASURES = ("load", "reload", "query", "page", "memory", "cli")
DATASET_ID = "bench"
PAGES = ("overview", "overlap", "network", "collaboration")
CHANGED_MARK = " (ändrad i benchmark)"


@dataclass
class Options:
    scales: list[int]
    repeat: int = 5
    backends: list[str] = field(default_factory=lambda: ["embedded", "neo4j"])
    only: set[str] = field(default_factory=lambda: set(MEASURES))
    seed: int = 7
    register: Path | None = None
    load_budget: float = 120.0
    query_budget: float = 10.0
    page_budget: float = 60.0
    page_scales: list[int] = field(default_factory=lambda: [100, 1000])
    pages: list[str] = field(default_factory=lambda: list(PAGES))
    slice: int = nb.SLICE
    neo4j_wipe: bool = False
    work: Path | None = None
    say: Callable[[str], None] = print
    checkpoint: Callable[[Run], None] | None = None
    """Called after each backend of each scale (the CLI saves the results so far)."""


@dataclass
class Prepared:
    """One scale's dataset on disk (as generated, and with 1 % of its entries changed)."""

    scale: int
    folder: Path
    changed: Path
    entries: int
    changed_entries: int
    heaviest: dict[str, str]
    """Label value → the id a parameter of that label gets (the heaviest one)."""
    search: str


@dataclass
class Run:
    """Everything one benchmark run found; benchmarks.report turns it into the document."""

    options: Options
    results: list[Result] = field(default_factory=list)
    datasets: dict[int, dict[str, Any]] = field(default_factory=dict)
    server: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    started: float = field(default_factory=time.time)
    seconds: float = 0.0

    def add(self, r: Result) -> Result:
        self.results.append(r)
        extra = f" ({r.detail[:100]})" if r.detail and r.status != "ok" else ""
        n = f" n={len(r.runs)}" if r.runs else ""
        self.options.say(f"  {r.measure:7} {r.backend:9} {r.scale or '-'!s:>5} {r.name:42} "
                         f"{r.shown():>18}{n}{extra}")
        return r


# -- datasets ----------------------------------------------------------------------------------

def _heaviest(entries: dict[str, list[dict[str, Any]]]) -> tuple[dict[str, str], str]:
    specific = [x for x in entries["insights"] if x.get("kind") != "general"]
    general = [x for x in entries["insights"] if x.get("kind") == "general"]
    agencies = Counter(r["agency"] for x in specific for r in x.get("reported_by", []))
    events = Counter(le for x in specific for le in x.get("life_events", []))
    instances = Counter(g for x in specific for g in x.get("instance_of", []))
    top_insight = max(specific, key=lambda x: (len(x.get("reported_by", [])), x["id"]))
    le_domain = {le["id"]: le.get("domain") for le in entries.get("life_events", [])}
    top_event = events.most_common(1)[0][0]
    heaviest = {Label.AGENCY.value: agencies.most_common(1)[0][0],
                Label.LIFE_EVENT.value: top_event,
                Label.INSIGHT.value: top_insight["id"],
                "general": instances.most_common(1)[0][0] if instances else general[0]["id"],
                Label.DOMAIN.value: str(le_domain.get(top_event) or "")}
    words = [w for w in str(top_insight.get("title", "")).split() if len(w) >= 4]
    return heaviest, (words[0] if words else str(top_insight["id"]))


def prepare(scale: int, opts: Options, work: Path) -> Prepared:
    """Generate scale `scale` (`insikt generate`'s world, one dataset with the id 'bench') and
    a copy with 1 % of its entries changed (specific insights' titles, spread evenly)."""
    part = generate_entries(scale, opts.seed, opts.register, dataset_id=DATASET_ID)[0]
    folder, changed = work / f"scale-{scale}" / "original", work / f"scale-{scale}" / "changed"
    write_entries(folder, part.meta, part.entries, validate=False)
    total = sum(len(v) for v in part.entries.values())
    entries = copy.deepcopy(part.entries)
    specific = [x for x in entries["insights"] if x.get("kind") != "general"]
    k = max(1, round(total / 100))
    step = max(1, len(specific) // k)
    for x in specific[::step][:k]:
        x["title"] = str(x["title"]) + CHANGED_MARK
    write_entries(changed, part.meta, entries, validate=False)
    heaviest, search = _heaviest(part.entries)
    return Prepared(scale, folder, changed, total, min(k, len(specific[::step])), heaviest,
                    search)


# -- stores ------------------------------------------------------------------------------------

class Stores:
    """The open stores, reopened after a stopped run; which scale each one holds."""

    def __init__(self, work: Path) -> None:
        self.work = work
        self.open: dict[str, GraphStore] = {}
        self.holds: dict[str, int | None] = {}
        self.load_failed: dict[int, Exception] = {}
        """Scale → why the Neo4j store's own load failed there (not tried again)."""
        self.chunked: set[int] = set()
        """Scales at which the benchmark wrote the records itself (see ensure_loaded)."""

    def embedded_path(self, scale: int) -> Path:
        return self.work / f"scale-{scale}" / "embedded" / "graph.db"

    def get(self, backend: str, scale: int) -> GraphStore:
        if backend not in self.open:
            if backend == "neo4j":
                self.open[backend] = nb.reconnect(None)
            else:
                self.open[backend] = open_store("embedded", self.embedded_path(scale))
        return self.open[backend]

    def neo4j(self) -> Neo4jStore:
        st = self.get("neo4j", 0)
        assert isinstance(st, Neo4jStore)
        return st

    def fresh_embedded(self, scale: int) -> GraphStore:
        self.close("embedded")
        folder = self.embedded_path(scale).parent
        shutil.rmtree(folder, ignore_errors=True)
        self.holds["embedded"] = None
        return self.get("embedded", scale)

    def close(self, backend: str) -> None:
        st = self.open.pop(backend, None)
        if st is not None:
            with contextlib.suppress(Exception):  # after a stopped run; we reopen anyway
                st.close()

    def aborted(self, backend: str) -> None:
        """After a run stopped at its budget: stop the server's transaction, reconnect."""
        if backend == "neo4j":
            old = self.open.pop("neo4j", None)
            self.open["neo4j"] = nb.reconnect(old)  # type: ignore[arg-type]
        else:
            self.close(backend)

    def close_all(self) -> None:
        for b in list(self.open):
            self.close(b)


def _check_neo4j_is_ours(st: Neo4jStore, wipe: bool) -> None:
    others = [d.id for d in st.datasets() if d.id != DATASET_ID]
    if others and not wipe:
        raise SystemExit(
            f"the Neo4j database at {st.shown_uri} holds datasets of its own ({', '.join(others)}); "
            "the benchmark empties the database it measures: point NEO4J_URI at a throwaway "
            "server (scripts/neo4j/neo4j.sh with its own INSIKT_NEO4J_HOME and port), or give "
            "--neo4j-wipe")


# -- the measures --------------------------------------------------------------------------

def _records(data: GraphData) -> int:
    return len(data.nodes) + len(data.relationships)


def ensure_loaded(run: Run, stores: Stores, backend: str, p: Prepared, data: GraphData) -> bool:
    """Have the store hold scale `p` (for queries and pages when the load measure was
    skipped or failed). On Neo4j, a load that the store cannot do (e.g. its one transaction
    is over the server's memory limit) falls back to the same records in batches of their
    own, so that the queries can still be measured; the run says so."""
    if stores.holds.get(backend) == p.scale:
        return True
    if backend == "embedded":
        st = stores.fresh_embedded(p.scale)
        st.load(data)
        stores.holds[backend] = p.scale
        return True
    st = stores.neo4j()
    nb.wipe(st)
    try:
        if p.scale in stores.load_failed:
            raise stores.load_failed[p.scale]
        with deadline(run.options.load_budget):
            st.load(data)
    except Exception as exc:
        stores.aborted("neo4j")
        st = stores.neo4j()
        nb.wipe(st)
        nb.chunked_load(st, data)
        stores.holds[backend] = p.scale
        if p.scale in stores.chunked:
            return True
        stores.chunked.add(p.scale)
        stores.load_failed.setdefault(p.scale, exc)
        exc = stores.load_failed[p.scale]
        run.notes.append(f"Scale {p.scale}: the Neo4j store's own load failed ({type(exc).__name__}: "
                         f"{str(exc)[:160]}), so the queries and pages at this scale ran on the "
                         "same records written in batches of their own by the benchmark "
                         "(benchmarks/neo4j_bench.py chunked_load).")
    stores.holds[backend] = p.scale
    return True


def measure_loads(run: Run, stores: Stores, p: Prepared, data: GraphData, changed: GraphData,
                  backend: str) -> None:
    o = run.options
    R = o.repeat
    n = _records(data)
    if "load" in o.only and backend == "neo4j":
        st = stores.neo4j()
        ceiling = run.add(measure(
            Result("load", backend, p.scale, "raw UNWIND … CREATE ceiling", value=n,
                   unit="records"),
            lambda: nb.raw_ceiling(stores.neo4j(), data), repeat=R, budget=o.load_budget,
            before=lambda: nb.wipe(stores.neo4j()), on_abort=lambda: stores.aborted("neo4j")))
        del ceiling
        base = Result("load", backend, p.scale, "per-row baseline (extrapolated)", value=n,
                      unit="records", budget=o.load_budget)
        try:
            nb.wipe(stores.neo4j())
            with deadline(o.load_budget):
                seconds, how = nb.per_row_baseline(stores.neo4j(), data, o.slice)
            base.runs, base.detail = [seconds], how
        except Exception as exc:
            base.status = "budget" if type(exc).__name__ == "OverBudget" else "error"
            base.detail = f"{type(exc).__name__}: {str(exc)[:200]}"
            stores.aborted("neo4j")
        run.add(base)
        del st
    if "load" in o.only:
        r = Result("load", backend, p.scale, "first load", value=n, unit="records")
        if backend == "neo4j":
            measure(r, lambda: stores.neo4j().load(data), repeat=R, budget=o.load_budget,
                    before=lambda: nb.wipe(stores.neo4j()),
                    on_abort=lambda: stores.aborted("neo4j"))
        else:
            measure(r, lambda: stores.get("embedded", p.scale).load(data), repeat=R,
                    budget=o.load_budget, before=lambda: stores.fresh_embedded(p.scale),
                    on_abort=lambda: stores.aborted("embedded"))
        run.add(r)
        stores.holds[backend] = p.scale if r.status == "ok" else None
        if r.status != "ok" and backend == "neo4j":
            stores.load_failed[p.scale] = RuntimeError(r.detail or r.shown())
    if "reload" not in o.only:
        return
    if not ensure_loaded(run, stores, backend, p, data):
        return
    run.add(measure(Result("reload", backend, p.scale, "reload, unchanged", value=n,
                           unit="records"),
                    lambda: stores.get(backend, p.scale).load(data), repeat=R,
                    budget=o.load_budget, on_abort=lambda: stores.aborted(backend)))
    flip = {"next": changed}

    def alternate() -> None:  # original → changed → original …: every run changes 1 %
        stores.get(backend, p.scale).load(flip["next"])
        flip["next"] = data if flip["next"] is changed else changed

    r = run.add(measure(Result("reload", backend, p.scale, "reload, 1% of entries changed",
                               value=n, unit="records",
                               detail=f"{p.changed_entries} of {p.entries} entries"),
                        alternate, repeat=R, budget=o.load_budget,
                        on_abort=lambda: stores.aborted(backend)))
    if flip["next"] is data or r.status != "ok":  # the store holds the changed copy (or unsure)
        stores.holds[backend] = None


def _value(param: Any, p: Prepared) -> Any:
    if param.choices is not None:
        if param.name == "general":
            return p.heaviest["general"]
        return p.heaviest.get(param.choices.value) or None
    if param.name == "q":
        return p.search
    return None


def query_cases(p: Prepared) -> list[tuple[str, str, dict[str, Any]]]:
    """(label, query, params) for every query in the catalog: required parameters get the
    heaviest value; optional ones their defaults (no filter: the whole graph), and a query
    with an optional agency parameter is also run for the heaviest agency."""
    from queries.catalog import all_queries

    out = []
    for q in all_queries():
        params = {x.name: _value(x, p) for x in q.params if x.required}
        if any(v is None for v in params.values()):
            continue  # a required parameter we cannot fill (an analyst's own file)
        out.append((q.name, q.name, params))
        for x in q.params:
            if not x.required and x.choices == Label.AGENCY:
                out.append((f"{q.name} (heaviest agency)", q.name,
                            {**params, x.name: p.heaviest[Label.AGENCY.value]}))
    return out


def analyses() -> list[tuple[str, Callable[[Any], Any]]]:
    from queries import analytics

    return [("analyze similarity", lambda g: analytics.similarity(g, 20)),
            ("analyze communities", analytics.communities),
            ("analyze reach", analytics.reach),
            ("analyze bridges", analytics.bridges),
            ("analyze burden", analytics.burden)]


def measure_queries(run: Run, stores: Stores, p: Prepared, data: GraphData, backend: str) -> None:
    from queries import analytics
    from queries.catalog import run_query

    o = run.options
    ensure_loaded(run, stores, backend, p, data)
    if backend == "embedded":
        path = stores.embedded_path(p.scale)
        def read_new() -> None:
            st = open_store("embedded", path)
            try:
                st.to_networkx()
            finally:
                st.close()

        run.add(measure(Result("query", backend, p.scale, "read the graph (new store)"),
                        read_new, repeat=o.repeat, budget=o.query_budget))
    else:
        run.add(measure(Result("query", backend, p.scale, "read the graph (to_networkx)"),
                        lambda: stores.neo4j().to_networkx(), repeat=o.repeat,
                        budget=o.query_budget, on_abort=lambda: stores.aborted(backend)))
    for label, name, params in query_cases(p):
        rows: dict[str, int] = {}

        def one(name: str = name, params: dict[str, Any] = params,
                rows: dict[str, int] = rows) -> None:
            res = run_query(stores.get(backend, p.scale), name, params,
                            timeout=o.query_budget)
            rows["n"] = len(res.rows)

        r = measure(Result("query", backend, p.scale, label, unit="rows",
                           detail=json.dumps(params, ensure_ascii=False)),
                    one, repeat=o.repeat, budget=o.query_budget,
                    on_abort=lambda: stores.aborted(backend))
        r.value = rows.get("n")
        run.add(r)
    for label, fn in analyses():
        def go(fn: Callable[[Any], Any] = fn) -> None:
            analytics.clear_cache()  # each run computes afresh (the CLI's one-shot case)
            fn(stores.get(backend, p.scale).to_networkx())

        run.add(measure(Result("query", backend, p.scale, label), go, repeat=o.repeat,
                        budget=o.query_budget, on_abort=lambda: stores.aborted(backend)))


def _env(backend: str, store: Path) -> dict[str, str]:
    return {**os.environ, "INSIKT_BACKEND": backend, "INSIKT_STORE": str(store),
            "PYTHONUNBUFFERED": "1"}


SPAWN = ("import os, sys, time\n"
         "t = time.perf_counter()\n"
         "pid = os.posix_spawn(sys.argv[2], sys.argv[2:], os.environ)\n"
         "_, status, usage = os.wait4(pid, 0)\n"
         "with open(sys.argv[1], 'w') as f:\n"
         "    f.write(f'{time.perf_counter() - t} {usage.ru_maxrss} "
         "{os.waitstatus_to_exitcode(status)}')\n")
"""A small process that starts the measured one and reports its time and peak RSS. Not
from this process: Linux counts the memory a forked child had before its exec in the
child's ru_maxrss, and this process is large; the helper is a bare Python (~10 MB)."""


def child(cmd: list[str], env: dict[str, str], timeout: float) -> tuple[float, float, int, str]:
    """Run `cmd` (its first word an absolute path); (seconds, peak RSS MB of that process
    alone, exit code, stdout, or stderr when it failed). Killed after `timeout` seconds
    (exit code -9)."""
    with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryFile() as out, \
            tempfile.TemporaryFile() as err:
        report = Path(tmp) / "usage"
        proc = subprocess.Popen([sys.executable, "-S", "-c", SPAWN, str(report), *cmd], env=env,
                                stdout=out, stderr=err, start_new_session=True)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            proc.wait()
            return timeout, 0.0, -9, f"stopped after {timeout:g} s"
        out.seek(0)
        err.seek(0)
        try:
            seconds, rss_kb, code = report.read_text().split()
        except (OSError, ValueError):
            return 0.0, 0.0, proc.returncode or 1, err.read().decode(errors="replace")[-500:]
        text = (out if int(code) == 0 else err).read().decode(errors="replace")
    return float(seconds), int(rss_kb) / 1024, int(code), text if int(code) == 0 else text[-500:]


def insikt_cmd() -> list[str]:
    exe = Path(sys.executable).with_name("insikt")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "insikt_cli.main"]


def measure_pages(run: Run, stores: Stores, p: Prepared, data: GraphData, backend: str) -> None:
    """Each page in a dashboard process of its own (benchmarks.pages), so that a page stopped
    at its budget leaves nothing running behind the next one."""
    o = run.options
    ensure_loaded(run, stores, backend, p, data)
    stores.close("embedded")  # the page process opens the store itself
    peaks: list[float] = []
    for page in o.pages:
        cmd = [sys.executable, "-m", "benchmarks.pages", "--pages", page,
               "--repeat", str(o.repeat), "--budget", str(o.page_budget)]
        limit = o.page_budget * 2 + 60
        _, peak, code, text = child(cmd, _env(backend, stores.embedded_path(p.scale)), limit)
        if code != 0:
            status = "budget" if code == -9 else "error"
            for kind in ("first render", "rerun"):
                run.add(Result("page", backend, p.scale, f"{page}, {kind}", status=status,
                               budget=limit, detail=f"exit {code}: {text[-300:]}"))
            continue
        peaks.append(peak)
        got = json.loads(text.strip().splitlines()[-1])["pages"][page]
        for kind in ("first", "rerun"):
            status = got["status"] if not got[kind] else "ok"
            run.add(Result("page", backend, p.scale,
                           f"{page}, {'first render' if kind == 'first' else 'rerun'}",
                           runs=got[kind], status=status, budget=o.page_budget,
                           detail=got["detail"]))
    if peaks:
        run.add(Result("memory", backend, p.scale, "dashboard process (largest of the pages)",
                       value=max(peaks), unit="MB"))


def measure_memory_and_cli(run: Run, stores: Stores, p: Prepared, data: GraphData,
                           backend: str) -> None:
    """`insikt stats` (time and peak memory, on the loaded store), then `insikt load` into a
    new store or an emptied database (peak memory; on Neo4j also the server's peak)."""
    o = run.options
    cli = insikt_cmd()
    ensure_loaded(run, stores, backend, p, data)
    stores.close("embedded")
    path = stores.embedded_path(p.scale)
    times, peaks = [], []
    status, detail = "ok", ""
    for _ in range(o.repeat + 1):
        secs, mb, code, text = child([*cli, "stats"], _env(backend, path), o.query_budget)
        if code != 0:
            status, detail = ("budget" if code == -9 else "error"), text[-300:]
            break
        times.append(secs)
        peaks.append(mb)
    if "cli" in o.only:
        run.add(Result("cli", backend, p.scale, "insikt stats", runs=times[1:] or times,
                       status=status, detail=detail, budget=o.query_budget))
    if "memory" not in o.only:
        return
    if peaks:
        run.add(Result("memory", backend, p.scale, "insikt stats", runs=times[:1],
                       value=max(peaks), unit="MB", status=status))
    if backend == "embedded":
        path = stores.work / f"scale-{p.scale}" / "memory" / "graph.db"
        shutil.rmtree(path.parent, ignore_errors=True)
        for name in ("insikt load (first)", "insikt load (reload, unchanged)"):
            secs, mb, code, text = child([*cli, "load", str(p.folder), "-q"],
                                         _env(backend, path), o.load_budget)
            run.add(Result("memory", backend, p.scale, name, runs=[secs] if code == 0 else [],
                           value=mb if code == 0 else None, unit="MB", budget=o.load_budget,
                           status="ok" if code == 0 else ("budget" if code == -9 else "error"),
                           detail="" if code == 0 else text[-300:]))
        return
    st = stores.neo4j()
    nb.wipe(st)
    stores.holds["neo4j"] = None
    pid = nb.server_pid()
    nb.reset_peak_rss(pid)
    secs, mb, code, text = child([*cli, "load", str(p.folder), "-q"],
                                 _env(backend, Path("unused")), o.load_budget)
    ok = "ok" if code == 0 else ("budget" if code == -9 else "error")
    run.add(Result("memory", backend, p.scale, "insikt load (first)",
                   runs=[secs] if code == 0 else [], value=mb if code == 0 else None,
                   unit="MB", budget=o.load_budget, status=ok,
                   detail="" if code == 0 else text[-300:]))
    server = nb.peak_rss_mb(pid)
    if server is not None:
        run.add(Result("memory", backend, p.scale, "Neo4j server during that load",
                       runs=[secs] if code == 0 else [], value=server, unit="MB",
                       status=ok, detail="the load failed" if code else ""))
    if code != 0:
        stores.aborted("neo4j")
    else:
        stores.holds["neo4j"] = p.scale


def measure_startup(run: Run) -> None:
    o = run.options
    cli = insikt_cmd()
    env = {**os.environ}
    for name, cmd in (("python -c pass", [sys.executable, "-c", "pass"]),
                      ("insikt --help", [*cli, "--help"])):
        times = []
        for _ in range(o.repeat + 1):
            secs, _, _code, _ = child(cmd, env, 30)
            times.append(secs)
        run.add(Result("cli", "-", None, name, runs=times[1:]))


# -- the run -------------------------------------------------------------------------------

def run_benchmark(opts: Options) -> Run:
    run = Run(opts)
    started = time.perf_counter()
    own_work = opts.work is None
    work = Path(tempfile.mkdtemp(prefix="insikt-bench-")) if opts.work is None else opts.work
    work.mkdir(parents=True, exist_ok=True)
    stores = Stores(work)
    try:
        if "neo4j" in opts.backends:
            st = stores.neo4j()
            _check_neo4j_is_ours(st, opts.neo4j_wipe)
            run.server = nb.server_info(st)
        if "cli" in opts.only:
            opts.say("CLI start-up")
            measure_startup(run)
        for scale in opts.scales:
            opts.say(f"scale {scale}: generating")
            t0 = time.perf_counter()
            p = prepare(scale, opts, work)
            gen = time.perf_counter() - t0
            t0 = time.perf_counter()
            data = read_dataset(p.folder)
            read = time.perf_counter() - t0
            changed = read_dataset(p.changed)
            run.datasets[scale] = {"nodes": len(data.nodes), "relationships": len(data.relationships),
                                   "entries": p.entries, "changed entries": p.changed_entries,
                                   "generate s": round(gen, 2), "read and validate s": round(read, 2),
                                   "heaviest": p.heaviest, "search": p.search}
            opts.say(f"scale {scale}: {len(data.nodes)} nodes, {len(data.relationships)} "
                     f"relationships (read and validated in {read:.2f} s)")
            for backend in opts.backends:
                if "load" in opts.only or "reload" in opts.only:
                    measure_loads(run, stores, p, data, changed, backend)
                if "query" in opts.only:
                    measure_queries(run, stores, p, data, backend)
                if "page" in opts.only and scale in opts.page_scales:
                    measure_pages(run, stores, p, data, backend)
                if "memory" in opts.only or "cli" in opts.only:
                    measure_memory_and_cli(run, stores, p, data, backend)
                if backend == "neo4j":
                    stores.holds["neo4j"] = None  # the next scale starts from an empty database
                if opts.checkpoint is not None:
                    run.seconds = time.perf_counter() - started
                    opts.checkpoint(run)
            stores.close("embedded")
            stores.holds["embedded"] = None
    finally:
        stores.close_all()
        if own_work:
            shutil.rmtree(work, ignore_errors=True)
    run.seconds = time.perf_counter() - started
    return run
