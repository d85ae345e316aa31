"""Dashboard page renders, timed with Streamlit's AppTest, in a process of their own.

    INSIKT_BACKEND=embedded INSIKT_STORE=graph.db python -m benchmarks.pages \\
        --pages overview,overlap --repeat 5 --budget 60

The parent (benchmarks.suite) runs this once per page, backend and scale and reads one JSON
object from stdout: per page the first-render and rerun times, and the process's peak RSS
(the dashboard process's memory). "First render" is a new AppTest session after every Streamlit
cache was cleared, as a fresh dashboard process sees it (the store is opened again and the
embedded graph read again); "rerun" is the same session run again (caches warm), as after
a click.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import sys
import time
from importlib import resources
from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

from benchmarks.timing import OverBudget, deadline

APP = Path(str(resources.files("dashboard") / "app.py"))
PAGE_FILES = {"overview": "views/overview.py", "overlap": "views/overlap.py",
              "network": "views/network.py", "collaboration": "views/collaboration.py",
              "life_events": "views/life_events.py", "principles": "views/principles.py"}


def _clear_caches() -> None:
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()


def _session(page: str, timeout: float) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=timeout)
    at.switch_page(PAGE_FILES[page])
    return at


def _problem(at: AppTest) -> str | None:
    if at.exception:
        return "; ".join(str(e.value)[:200] for e in at.exception)
    return None


def render(page: str, repeat: int, budget: float) -> dict[str, Any]:
    """First renders and reruns of one page, each kind within `budget` seconds in all."""
    out: dict[str, Any] = {"first": [], "rerun": [], "status": "ok", "detail": ""}
    for kind in ("first", "rerun"):
        started = time.perf_counter()
        at: AppTest | None = None
        for i in range(repeat + 1):  # the first of each kind is a warm-up when it is short
            left = budget - (time.perf_counter() - started)
            if out[kind] and max(out[kind]) > left:
                break  # another run would not fit in what is left of the budget
            if kind == "first" or at is None:
                _clear_caches()
                at = _session(page, max(left, 1.0))
            t0 = time.perf_counter()
            try:
                with deadline(max(left, 1.0) + 5):
                    at.run()
            except (OverBudget, RuntimeError) as exc:  # AppTest raises RuntimeError on timeout
                if out[kind]:
                    break  # the runs so far stand; go on to the reruns
                out["status"] = "budget"
                out["detail"] = f"{kind}: {type(exc).__name__}"
                return out
            took = time.perf_counter() - t0
            problem = _problem(at)
            if problem:
                out["status"], out["detail"] = "error", problem
                return out
            if i == 0 and (kind == "rerun" or took <= 5.0):
                # a warm-up (imports, Streamlit's own first-run costs); before reruns, the
                # session's first run, which is a first render
                continue
            out[kind].append(took)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", default="overview,overlap,network,collaboration")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--budget", type=float, default=60.0)
    args = ap.parse_args()
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    result: dict[str, Any] = {"pages": {}}
    for page in args.pages.split(","):
        result["pages"][page] = render(page, args.repeat, args.budget)
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result), flush=True)
    sys.stderr.flush()
    os._exit(0)  # a page stopped at its budget may still run in AppTest's thread: do not wait


if __name__ == "__main__":
    main()
