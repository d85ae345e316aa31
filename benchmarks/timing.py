"""Timing with a budget: a warm-up, then medians of repeated runs, and a hard stop for a run
that would otherwise hang the whole benchmark (it is reported as "> N s (budget)").

The stop is SIGALRM: its handler raises `OverBudget` in the main thread at the next Python
bytecode, which also interrupts a wait on a socket (the Neo4j driver) or a pure-Python loop
(a networkx walk). A long C call (one SQLite statement) ends first. After an interrupted
Neo4j call the caller terminates the server's transaction (see benchmarks.neo4j_bench).
"""

from __future__ import annotations

import signal
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from types import FrameType
from typing import Any

WARMUP_KEPT_ABOVE = 5.0
"""A warm-up run longer than this (seconds) is kept as a measured run: at that length the
first-run effects (JIT, caches, imports) are noise, and a large scale cannot afford to throw
a whole run away."""


class OverBudget(Exception):
    """A run went past its time budget and was stopped."""


@dataclass
class Result:
    """One measured figure: the median of `runs` seconds, or why there is none."""

    measure: str
    """Section: load, reload, query, page, memory, cli."""
    backend: str
    """embedded, neo4j, or "-" when it concerns neither (python -c pass)."""
    scale: int | None
    name: str
    runs: list[float] = field(default_factory=list)
    status: str = "ok"
    """ok, budget (stopped at `budget` seconds) or error."""
    budget: float | None = None
    detail: str = ""
    value: float | None = None
    """A figure that is not a time: records, peak MB, rows."""
    unit: str = ""

    @property
    def seconds(self) -> float | None:
        return statistics.median(self.runs) if self.runs and self.status == "ok" else None

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "seconds": self.seconds}

    def shown(self) -> str:
        """The time for a table: '1.234 s', '> 60 s (budget)' or 'error'."""
        if self.status == "budget":
            return f"> {self.budget:g} s (budget)"
        if self.status != "ok":
            return "error"
        if self.seconds is None:
            return "–"
        return fmt_seconds(self.seconds)


def fmt_seconds(s: float) -> str:
    if s < 0.01:
        return f"{s * 1000:.2f} ms"
    if s < 1:
        return f"{s * 1000:.0f} ms"
    return f"{s:.2f} s"


def _raise(signum: int, frame: FrameType | None) -> None:
    raise OverBudget()


@contextmanager
def deadline(seconds: float | None) -> Iterator[None]:
    """Raise OverBudget in this (the main) thread when `seconds` have passed."""
    if not seconds:
        yield
        return
    previous = signal.signal(signal.SIGALRM, _raise)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def measure(result: Result, run: Callable[[], Any], *, repeat: int, budget: float,
            warmup: bool = True, before: Callable[[], Any] | None = None,
            on_abort: Callable[[], Any] | None = None) -> Result:
    """Fill `result.runs`: a warm-up (dropped unless longer than WARMUP_KEPT_ABOVE), then up
    to `repeat` runs, stopping early once the runs so far used the budget. A single run that
    passes what is left of the budget is stopped: status "budget". `before` runs untimed
    before each run (e.g. emptying the database); `on_abort` after a stopped run."""
    result.budget = budget
    started = time.perf_counter()
    todo = repeat + (1 if warmup else 0)
    first = warmup
    while todo > 0:
        left = budget - (time.perf_counter() - started)
        if left <= 0 and result.runs:
            break
        if before is not None:
            before()
        t0 = time.perf_counter()
        try:
            with deadline(max(left, 0.001) if not result.runs else max(left, budget / 10)):
                run()
        except OverBudget:
            if on_abort is not None:
                on_abort()
            if not result.runs:
                result.status = "budget"
            break
        except Exception as exc:  # reported in the table; the other measures go on
            result.status = "error"
            result.detail = f"{type(exc).__name__}: {str(exc)[:300]}"
            if on_abort is not None:
                on_abort()
            break
        took = time.perf_counter() - t0
        todo -= 1
        if first:
            first = False
            if took <= WARMUP_KEPT_ABOVE:
                continue
            todo -= 1  # kept as a measured run: one fewer to make
        result.runs.append(took)
    if result.status == "ok" and not result.runs:
        result.status = "budget"
    return result
