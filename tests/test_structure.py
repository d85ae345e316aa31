"""The structure issue 8 asked for, checked on the source: graph walks only in graph/ and
queries/, every Cypher statement in queries/ or graph/cypher.py, no caller that asks a store
which backend it is, and no import circle between the catalog and the saved queries."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

PACKAGES = ("graph", "loaders", "queries", "dashboard", "insikt_cli")
WALKS = re.compile(r"\.(out|in)_edges\(")
CYPHER = re.compile(r"^\s*(MATCH|OPTIONAL MATCH|MERGE|UNWIND|CREATE|CALL|SHOW|EXPLAIN|WITH|"
                    r"DETACH|DELETE|RETURN)\b")
SQL = re.compile(r"^\s*(CREATE\s+(TEMP\s+|TEMPORARY\s+)?TABLE|DELETE\s+FROM)\b")
"""SQLite statements of the embedded store: forms Cypher does not have, so not Cypher."""


def python_files(*folders: str) -> list[Path]:
    return sorted(p for f in folders for p in (ROOT / f).rglob("*.py"))


def strings(tree: ast.AST) -> list[tuple[int, str]]:
    """Every string constant (f-string parts included) that is not a docstring."""
    docs = {id(n.body[0].value) for n in ast.walk(tree)
            if isinstance(n, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            and n.body and isinstance(n.body[0], ast.Expr)
            and isinstance(n.body[0].value, ast.Constant)}
    return [(n.lineno, n.value) for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docs]


def test_graph_walks_only_in_graph_and_queries() -> None:
    outside = [p for p in python_files("loaders", "dashboard", "insikt_cli", "tests", "benchmarks")
               if p != Path(__file__)]
    found = [f"{p.relative_to(ROOT)}:{i}" for p in outside
             for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
             if WALKS.search(line)]
    assert found == [], "walk the graph through graph.walk (or a queries/ function)"


def test_cypher_lives_in_queries_or_graph_cypher() -> None:
    allowed = {ROOT / "graph" / "cypher.py"}
    found = []
    for p in python_files(*(pkg for pkg in PACKAGES if pkg != "queries")):
        if p in allowed:
            continue
        for line, text in strings(ast.parse(p.read_text(encoding="utf-8"))):
            if CYPHER.match(text) and not SQL.match(text):
                found.append(f"{p.relative_to(ROOT)}:{line}: {text[:40]!r}")
    assert found == []


def test_the_checks_above_can_fail(tmp_path: Path) -> None:
    tree = ast.parse('"""MATCH in a docstring is prose."""\nQ = "MATCH (n) RETURN n"\n')
    assert [t for _, t in strings(tree) if CYPHER.match(t)] == ["MATCH (n) RETURN n"]
    assert SQL.match("DELETE FROM nodes WHERE key = ?") and not SQL.match("DELETE n")
    assert not SQL.match("CREATE (n:Agency)") and SQL.match("\nCREATE TEMP TABLE x (k TEXT)")
    assert WALKS.search("for u in g.in_edges(n):") and not WALKS.search("walk.in_nodes(g, n)")


def test_no_caller_asks_which_backend_a_store_is() -> None:
    found = []
    for p in python_files(*PACKAGES):
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Compare):
                sides = [node.left, *node.comparators]
                if any(isinstance(s, ast.Attribute) and s.attr == "backend" for s in sides):
                    found.append(f"{p.relative_to(ROOT)}:{node.lineno}")
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "isinstance" and len(node.args) == 2
                    and "Store" in ast.unparse(node.args[1])):
                found.append(f"{p.relative_to(ROOT)}:{node.lineno}")
    assert found == [], "ask the store what it can do (runs_cypher, local, answer)"


def test_saved_queries_import_no_catalog() -> None:
    """queries.types ← queries.saved ← queries.catalog: one way only."""
    code = ("import sys, queries.saved; "
            "print(sorted(m for m in sys.modules if m.startswith('queries.')))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout
    assert "queries.catalog" not in out and "queries.types" in out
    code = "import queries.catalog as c; print(len(c.all_queries()))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout
    defined = (ROOT / "queries" / "saved.py").read_text(encoding="utf-8").count("register(SavedQuery(")
    assert int(out) == defined > 0  # looking one up finds every definition loaded
