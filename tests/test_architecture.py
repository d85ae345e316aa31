"""The layering of docs/architecture.md, checked over every module's imports (AST, no import
runs): which package may import which, no production import of `tests`, no top-level import
circle, every third-party import declared in pyproject.toml, and every package shipped."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.metadata import packages_distributions
from pathlib import Path

import networkx as nx
import pytest

from tests.conftest import ROOT

PRODUCTION = ("graph", "loaders", "queries", "dashboard", "insikt_cli", "seed_data")
"""The packages that are installed; tests/ and benchmarks/ are not."""

ALLOWED: dict[str, set[str]] = {
    "graph": set(),
    "queries": {"graph"},
    "loaders": {"graph", "queries"},
    "dashboard": {"graph", "queries", "loaders"},
    "insikt_cli": {"graph", "queries", "loaders"},
    "seed_data": set(),
}
"""Project packages each package may import besides itself (the layers: edges on top, then
loaders over queries, then graph). Keep in step with docs/architecture.md."""

ONLY_IN = {"streamlit": {"dashboard"}, "click": {"insikt_cli"}}
"""Third-party UI libraries and the one package that may use each."""

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Import:
    module: str  # the importing module, e.g. "loaders.notes"
    target: str  # the imported module, absolute, e.g. "graph.settings"
    line: int
    top_level: bool  # at module scope (not in a function, not under TYPE_CHECKING)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def python_files(*tops: str) -> list[Path]:
    return sorted(p for top in tops for p in (ROOT / top).rglob("*.py")
                  if "__pycache__" not in p.parts)


NESTED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imports_of(path: Path) -> Iterator[Import]:
    """Every import in a file, with relative imports made absolute."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))

    def walk(node: ast.AST, top: bool) -> Iterator[Import]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import):
                for alias in child.names:
                    yield Import(name, alias.name, child.lineno, top)
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base = package.split(".")
                    base = base[:len(base) - child.level + 1]
                    target = ".".join([*base, *([child.module] if child.module else [])])
                else:
                    target = child.module or ""
                yield Import(name, target, child.lineno, top)
                # `from pkg import mod` imports the submodule pkg.mod when there is one
                for alias in child.names:
                    sub = f"{target}.{alias.name}"
                    if (ROOT / Path(*sub.split("."))).with_suffix(".py").is_file():
                        yield Import(name, sub, child.lineno, top)
            elif isinstance(child, NESTED) or (isinstance(child, ast.If)
                                               and _is_type_checking(child)):
                yield from walk(child, False)  # runs later, or never: not a module-level import
            else:
                yield from walk(child, top)

    yield from walk(tree, True)


def production_imports() -> list[Import]:
    return [imp for path in python_files(*PRODUCTION) for imp in imports_of(path)]


def test_each_package_imports_only_the_layers_below() -> None:
    broken = []
    for imp in production_imports():
        own, other = imp.module.split(".")[0], imp.target.split(".")[0]
        if other in ALLOWED and other != own and other not in ALLOWED[own]:
            broken.append(f"{imp.module}:{imp.line} imports {imp.target}")
    assert not broken, "imports against the layering (docs/architecture.md):\n" + "\n".join(broken)


def test_no_production_module_imports_tests_or_benchmarks() -> None:
    bad = [f"{i.module}:{i.line} imports {i.target}" for i in production_imports()
           if i.target.split(".")[0] in ("tests", "benchmarks")]
    assert not bad, bad


def test_ui_libraries_stay_at_the_edges() -> None:
    bad = [f"{i.module}:{i.line} imports {i.target}" for i in production_imports()
           if i.target.split(".")[0] in ONLY_IN
           and i.module.split(".")[0] not in ONLY_IN[i.target.split(".")[0]]]
    assert not bad, bad


def test_no_import_circle_at_module_level() -> None:
    """Module-scope imports form no cycle (an import inside a function is not counted)."""
    modules = {module_name(p) for p in python_files(*PRODUCTION)}
    g = nx.DiGraph()
    for imp in production_imports():
        if imp.top_level and imp.target in modules and imp.target != imp.module:
            g.add_edge(imp.module, imp.target)
    cycles = list(nx.simple_cycles(g))
    assert not cycles, f"import circles: {cycles}"


def test_the_checker_sees_a_broken_rule(tmp_path: Path) -> None:
    """The AST walk finds relative, nested and `from x import module` imports."""
    fake = ROOT / "graph" / "_layering_probe.py"
    assert not fake.exists()
    fake.write_text("from . import errors\nfrom ..queries import catalog\n"
                    "def f() -> None:\n    import tests.conftest\n", encoding="utf-8")
    try:
        found = {(i.target, i.top_level) for i in imports_of(fake)}
    finally:
        fake.unlink()
    assert {("graph", True), ("graph.errors", True), ("queries", True),
            ("queries.catalog", True), ("tests.conftest", False)} <= found


# -- declared dependencies -------------------------------------------------------------------

def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_names(reqs: list[str]) -> set[str]:
    return {_canonical(re.split(r"[<>=!~;\[ ]", r, maxsplit=1)[0]) for r in reqs}


def _third_party(paths: list[Path]) -> dict[str, list[str]]:
    ours = {*PRODUCTION, "tests", "benchmarks", "bench", "insikt_neo4j_launcher"}
    found: dict[str, list[str]] = {}
    for path in paths:
        for imp in imports_of(path):
            top = imp.target.split(".")[0]
            if top and top not in ours and top not in sys.stdlib_module_names \
                    and top != "__future__":
                found.setdefault(top, []).append(f"{imp.module}:{imp.line}")
    return found


@pytest.mark.parametrize("scope", ["runtime", "dev"])
def test_every_imported_distribution_is_declared(scope: str) -> None:
    project = PYPROJECT["project"]
    declared = _requirement_names(project["dependencies"])
    paths = python_files(*PRODUCTION)
    if scope == "dev":
        declared |= _requirement_names(project["optional-dependencies"]["dev"])
        paths = python_files("tests", "benchmarks")
    dists = packages_distributions()
    missing = []
    for module, where in sorted(_third_party(paths).items()):
        names = {_canonical(d) for d in dists.get(module, [])}
        if not names:
            missing.append(f"{module} (no installed distribution provides it; {where[0]})")
        elif not names & declared:
            missing.append(f"{module} from {sorted(names)} ({where[0]})")
    assert not missing, f"imported but not declared in pyproject.toml ({scope}): {missing}"


# -- packaging -------------------------------------------------------------------------------

def _package_dirs() -> dict[str, Path]:
    cfg = PYPROJECT["tool"]["setuptools"]
    mapped = {name: ROOT / path for name, path in cfg.get("package-dir", {}).items()}
    return {name: mapped.get(name, ROOT / Path(*name.split("."))) for name in cfg["packages"]}


def test_every_package_folder_is_listed_for_installation() -> None:
    listed = set(PYPROJECT["tool"]["setuptools"]["packages"])
    present = {module_name(p.parent / "__init__.py") for top in PRODUCTION
               for p in (ROOT / top).rglob("__init__.py") if "__pycache__" not in p.parts}
    assert present <= listed, f"add to [tool.setuptools] packages: {sorted(present - listed)}"
    assert all(d.is_dir() for d in _package_dirs().values()), _package_dirs()


def glob_match(path: str, pattern: str) -> bool:
    """setuptools' package-data glob: `*` and `?` stay within a folder, `**/` spans folders."""
    rx = ""
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            rx, i = rx + "(?:.*/)?", i + 3
        elif pattern.startswith("**", i):
            rx, i = rx + ".*", i + 2
        elif pattern[i] == "*":
            rx, i = rx + "[^/]*", i + 1
        elif pattern[i] == "?":
            rx, i = rx + "[^/]", i + 1
        else:
            rx, i = rx + re.escape(pattern[i]), i + 1
    return re.fullmatch(rx, path) is not None


def test_glob_match_follows_setuptools() -> None:
    assert glob_match("templates/a.html", "templates/*")
    assert not glob_match("templates/x/a.html", "templates/*")
    assert glob_match("templates/x/a.html", "templates/**/*")
    assert glob_match("templates/a.html", "templates/**/*")
    assert glob_match("src/main/java/insikt/Neo4jServer.java", "src/**/*.java")
    assert not glob_match("neo4j.sh.bak", "neo4j.sh")


def test_every_data_file_of_a_package_is_package_data() -> None:
    """A file in a package folder that no package-data glob matches would be missing from an
    installed copy (e.g. a new template)."""
    globs: dict[str, list[str]] = PYPROJECT["tool"]["setuptools"]["package-data"]
    dirs = _package_dirs()
    skip = {"__pycache__", "target", "run", ".pytest_cache", ".mypy_cache"}
    missing = []
    for name, folder in dirs.items():
        sub_packages = {d for n, d in dirs.items() if n != name and d != folder
                        and folder in d.parents}
        for f in folder.rglob("*"):
            if not f.is_file() or f.suffix in (".py", ".pyc") or skip & set(f.parts):
                continue
            if any(sp in f.parents for sp in sub_packages):
                continue
            rel = f.relative_to(folder).as_posix()
            if not any(glob_match(rel, pat) for pat in globs.get(name, [])):
                missing.append(f"{name}: {rel}")
    assert not missing, f"not shipped by [tool.setuptools.package-data]: {missing}"


def test_the_doc_states_the_same_rules() -> None:
    """docs/architecture.md's table of who may import whom is the ALLOWED table above."""
    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    stated: dict[str, set[str]] = {}
    for line in doc.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 2 and cells[0].startswith("`") and "may import" not in cells[1]:
            may = set(re.findall(r"`(\w+)`", cells[1]))
            for pkg in re.findall(r"`(\w+)`", cells[0]):
                stated[pkg] = may
    assert stated == ALLOWED
    assert "docs/architecture.md" in (ROOT / "README.md").read_text(encoding="utf-8")


def environ_reads(path: Path) -> list[int]:
    """Lines that read the environment: os.getenv, os.environ.get/[...]/in ..., anything but
    copying it whole for a child process (`dict(os.environ)`)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                and node.value.id == "os" and node.attr in ("environ", "getenv", "environb"):
            parent = parents.get(node)
            copied = (isinstance(parent, ast.Call) and isinstance(parent.func, ast.Name)
                      and parent.func.id == "dict" and parent.args == [node])
            if not copied:
                lines.append(node.lineno)
    return sorted(lines)


def test_only_the_settings_module_reads_the_environment(tmp_path: Path) -> None:
    reads = {f"{module_name(p)}:{line}" for p in python_files(*PRODUCTION)
             if p != ROOT / "graph" / "settings.py" for line in environ_reads(p)}
    assert not reads, f"read settings through graph.settings.get_settings(): {sorted(reads)}"
    probe = tmp_path / "probe.py"
    probe.write_text("import os\nenv = dict(os.environ)\na = os.environ.get('X')\n"
                     "b = os.getenv('Y')\nc = 'Z' in os.environ\n", encoding="utf-8")
    assert environ_reads(probe) == [3, 4, 5]


def test_every_test_folder_is_a_package() -> None:
    """tests/ are packages (`tests.graph.test_x`): one module name per file for pytest and mypy,
    and `from tests.conftest import ...` imports the same module pytest loaded."""
    folders = {p.parent for p in (ROOT / "tests").rglob("*.py")
               if "__pycache__" not in p.parts}
    missing = sorted(str(f.relative_to(ROOT)) for f in folders if not (f / "__init__.py").exists())
    assert not missing, f"add an __init__.py to: {missing}"
