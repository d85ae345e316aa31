"""The benchmark command runs end to end (scale 1, one run each, both backends), so that it
cannot rot: the document, its chart and the raw results are written, with every section,
every saved query of the catalog, and a targets table computed from the figures. No timing
is asserted here (speed is measured by the benchmark, never asserted in tests)."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from benchmarks.report import CHART_TITLE, CLUSTER_TITLE, HEAP_TITLE, SECTIONS, TARGETS_TITLE
from benchmarks.suite import MEASURES
from benchmarks.timing import Result, measure
from queries.catalog import all_queries
from tests.conftest import ROOT


def test_a_run_past_its_budget_is_stopped_and_reported() -> None:
    started = time.perf_counter()
    r = measure(Result("query", "embedded", 1, "sleeps"), lambda: time.sleep(5), repeat=3,
                budget=0.3)
    assert time.perf_counter() - started < 2
    assert r.status == "budget" and r.seconds is None and r.runs == []
    assert r.shown() == "> 0.3 s (budget)"
    quick = measure(Result("query", "embedded", 1, "quick"), lambda: None, repeat=3, budget=5)
    assert quick.status == "ok" and len(quick.runs) == 3  # the warm-up is not counted


def test_a_failing_run_is_an_error_not_a_crash() -> None:
    def boom() -> None:
        raise ValueError("no such thing")

    r = measure(Result("load", "neo4j", 1, "fails"), boom, repeat=2, budget=5)
    assert r.status == "error" and "ValueError: no such thing" in r.detail
    assert r.shown() == "error"


@pytest.mark.timeout(180)
def test_the_benchmark_command_writes_the_document(tmp_path: Path,
                                                   neo4j_connection: Any) -> None:
    out = tmp_path / "docs" / "bench.md"
    args = ["run", "--scales", "1", "--repeat", "1", "--page-scales", "1", "--pages",
            "overview", "--slice", "5", "--backends", "embedded,neo4j", "--neo4j-wipe",
            "--out", str(out), "--work", str(tmp_path / "work")]
    done = subprocess.run([sys.executable, "-m", "benchmarks", *args], cwd=ROOT,
                          env={**os.environ, "MPLBACKEND": "Agg"}, capture_output=True,
                          text=True, timeout=170, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    doc = out.read_text(encoding="utf-8")
    for title in (*SECTIONS.values(), CHART_TITLE, TARGETS_TITLE, CLUSTER_TITLE, HEAP_TITLE):
        assert title in doc, title
    assert "Not part of this run" not in doc  # every measure ran and has its table
    assert "-m benchmarks " + " ".join(args[:4]) in doc  # the command that reproduces it
    png = out.with_name("bench-latency.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000
    raw = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    results = raw["results"]
    for m in MEASURES:
        for backend in ("embedded", "neo4j"):
            ok = [r for r in results if r["measure"] == m and r["backend"] == backend
                  and r["status"] == "ok"]
            assert ok, f"no {m} figure for {backend}: " + str(
                [(r["name"], r["detail"]) for r in results if r["measure"] == m][:5])
    for backend in ("embedded", "neo4j"):
        measured = {r["name"].split(" (")[0] for r in results
                    if r["measure"] == "query" and r["backend"] == backend}
        assert {q.name for q in all_queries()} <= measured, backend
    # the Neo4j load references were measured, so the load ratios are in the table
    assert any(r["name"] == "per-row baseline (extrapolated)" and r["status"] == "ok"
               for r in results)
    rows = doc.split(TARGETS_TITLE)[1].split("\n## ")[0]
    verdicts = [line.split(" | ")[-1] for line in rows.splitlines()
                if line.startswith("| ") and not line.startswith("| measure")]
    assert len(verdicts) >= 20
    assert all(v.startswith(("met", "**missed**", "not measured")) for v in verdicts), verdicts
    assert "met (" in rows  # at least one target is decided from a figure (`insikt --help`…)
    again = tmp_path / "again.md"
    subprocess.run([sys.executable, "-m", "benchmarks", "render", str(out.with_suffix(".json")),
                    "--out", str(again)], cwd=ROOT, check=True, capture_output=True, timeout=60)
    assert again.read_text(encoding="utf-8") == doc.replace("bench-latency.png",
                                                            "again-latency.png")


def test_benchmarks_import_nothing_from_tests() -> None:
    """The benchmark's data comes from loaders (the generator, synthetic variants), never
    from the test helpers."""
    found = []
    for path in sorted((ROOT / "benchmarks").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            found += [f"{path.name}:{node.lineno}" for n in names if n.split(".")[0] == "tests"]
    assert found == []
