"""Embedded store figures: concurrent `insikt load` runs (datasets lost), load and reload times
and peak memory of a load, for the code in this checkout or any other (`--code DIR`, e.g. an
export of the commit before the SQLite store, to measure the old JSON store the same way).

    .venv/bin/python -m benchmarks.store_bench                       # this checkout
    .venv/bin/python -m benchmarks.store_bench --code /tmp/old-tree  # another tree

(run from the repository root). The datasets: `loaders.synthetic.renamed_variant` and
`scaled_copies` of a template (default the seed; `--template tests/data/tiny` gives the
tests' variants) and the tests' large dataset (`build_large_dataset`, with INSIKT_REGISTER).

Every `insikt` command runs as its own process (`python -c` with PYTHONPATH=DIR first), as a
user would run it; peak memory is that process's maximum resident set size.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
CLI = "import sys; from insikt_cli.main import cli; sys.exit(cli())"


def insikt(code: Path, store: Path, *args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(code), "INSIKT_BACKEND": "embedded"}
    # cwd=code as well: `python -c` puts the working directory first on sys.path
    return subprocess.Popen([sys.executable, "-c", CLI, "--store", str(store), *args],
                            env=env, cwd=code, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def peak_rss(code: Path, store: Path, *args: str) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of one process, measured with wait4 on that process alone."""
    started = time.perf_counter()
    proc = insikt(code, store, *args)
    assert proc.stdout is not None and proc.stderr is not None
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    err = proc.stderr.read().decode()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"insikt {' '.join(args)} failed: {err[-2000:]}")
    return seconds, usage.ru_maxrss / 1024


STORE_TIMING = """
import json, sys, time
from graph.embedded import EmbeddedStore
from loaders.dataset import read_dataset
folder, store = sys.argv[1], sys.argv[2]
t = time.perf_counter(); data = read_dataset(folder); out = {"validate s": time.perf_counter() - t}
for name, work in (("open+load s", lambda st: st.load(data)),
                   ("open+reload s", lambda st: st.load(data)),
                   ("open+stats s", lambda st: st.stats()),
                   ("open+graph s", lambda st: st.to_networkx())):
    t = time.perf_counter(); work(EmbeddedStore(store)); out[name] = time.perf_counter() - t
print(json.dumps({k: round(v, 3) for k, v in out.items()}))
"""


def store_timing(code: Path, store: Path, folder: Path) -> dict[str, float]:
    """The store's own part, in one process: validation apart from opening and writing."""
    env = {**os.environ, "PYTHONPATH": str(code)}
    proc = subprocess.run([sys.executable, "-c", STORE_TIMING, str(folder), str(store)],
                          env=env, cwd=code, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"store timing failed: {proc.stderr[-2000:]}")
    result: dict[str, float] = json.loads(proc.stdout)
    return result


def concurrency(code: Path, tmp: Path, template: Path, sizes: tuple[int, ...],
                runs: int) -> dict[str, object]:
    from loaders.synthetic import renamed_variant

    variants = [renamed_variant(template, tmp / "variants", n) for n in range(max(sizes))]
    out: dict[str, object] = {}
    for n in sizes:
        lost, runs_losing, exit_codes, errors = 0, 0, set(), []
        for r in range(runs):
            store = tmp / f"c{n}-{r}" / "graph.db"
            procs = [insikt(code, store, "load", str(v), "-q") for v in variants[:n]]
            for p in procs:
                _, err = p.communicate()
                exit_codes.add(p.returncode)
                if p.returncode:
                    errors.append(err.decode(errors="replace").strip()[-300:])
            proc = insikt(code, store, "datasets", "--format", "json")
            listed, _ = proc.communicate()
            got = {d["id"] for d in json.loads(listed)}
            missing = n - len(got & {v.name for v in variants[:n]})
            lost += missing
            runs_losing += missing > 0
        out[f"{n} loads"] = {"runs": runs, "runs losing data": runs_losing,
                             "datasets lost": lost, "exit codes": sorted(exit_codes),
                             "errors": errors[:3]}
    return out


def loads(code: Path, tmp: Path, folders: dict[str, Path]) -> dict[str, object]:
    out: dict[str, object] = {}
    for name, folder in folders.items():
        store = tmp / f"l-{name}" / "graph.db"
        first, first_mb = peak_rss(code, store, "load", str(folder), "-q")
        again, again_mb = peak_rss(code, store, "load", str(folder), "-q")
        stats, stats_mb = peak_rss(code, store, "stats")
        size = sum(p.stat().st_size for p in store.parent.iterdir() if p.is_file())
        timing = store_timing(code, tmp / f"t-{name}" / "graph.db", folder)
        out[name] = {**timing, "cli first load s": round(first, 2),
                     "first load peak MB": round(first_mb),
                     "cli reload s": round(again, 2), "reload peak MB": round(again_mb),
                     "cli stats s": round(stats, 2), "stats peak MB": round(stats_mb),
                     "store bytes": size}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--code", type=Path, default=HERE, help="tree whose insikt_cli to run")
    ap.add_argument("--runs", type=int, default=5, help="repetitions per concurrency size")
    ap.add_argument("--skip-loads", action="store_true", help="only the concurrent loads")
    ap.add_argument("--register", type=Path, default=None,
                    help="esv.json, for the large dataset (default: INSIKT_REGISTER)")
    ap.add_argument("--template", type=Path, default=None,
                    help="the small dataset to vary and copy (default: the seed)")
    ap.add_argument("--copies", type=int, default=1000, help="copies in the scaled dataset")
    args = ap.parse_args()
    from graph.settings import get_settings
    from loaders.seed import seed_dir
    from loaders.synthetic import build_large_dataset, scaled_copies

    template = args.template or seed_dir()
    with tempfile.TemporaryDirectory(prefix="store-bench-") as name:
        tmp = Path(name)
        folders = {"seed": seed_dir(),
                   f"{template.name} x{args.copies}": scaled_copies(template, tmp / "scaled",
                                                                   args.copies)}
        register = args.register or get_settings().register_path
        if register is not None and register.exists():
            folders["large (365 agencies, 500 insights)"] = build_large_dataset(
                tmp / "large", register)
        report = {"code": str(args.code),
                  "concurrent loads": concurrency(args.code, tmp, template, (2, 4, 8),
                                                  args.runs)}
        if not args.skip_loads:
            report["loads"] = loads(args.code, tmp, folders)
    print(json.dumps(report, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
