"""The CLI starts fast: `--help` (of the group and of every command) imports nothing heavy.

Which modules get imported is what we assert, not time (timing belongs in benchmarks). The
lazy group lists commands from a table; these tests also check that the table, and the few
facts copied into insikt_cli.main, agree with the commands and the library.
"""

from __future__ import annotations

import json
import subprocess
import sys
from types import ModuleType

import click
import pytest

import insikt_cli
from insikt_cli.main import (
    BACKEND_NAMES,
    EXPORT_FORMAT_NAMES,
    GLOBAL_OPTION_HELP,
    LAZY_COMMANDS,
    cli,
)
from tests.conftest import ROOT
from tests.test_docs import all_commands

HEAVY = ("networkx", "pandas", "numpy", "streamlit", "neo4j", "igraph", "pydantic",
         "pydantic_core", "pydantic_settings", "jinja2", "yaml", "altair", "pyvis", "stdnum")
"""Third-party packages no `--help` may import."""
OURS_ALLOWED = {"graph", "graph.errors"}
"""Of our own library, only the error types (for the exit codes) are imported at start."""

_IN_PROCESS = r"""
import contextlib, io, json, sys
from insikt_cli.main import cli
with contextlib.redirect_stdout(io.StringIO()):
    for args in json.loads(sys.argv[1]):
        try:
            cli.main(args, prog_name="insikt", standalone_mode=False)
        except SystemExit:
            pass
print(json.dumps(sorted(sys.modules)))
"""


def _heavy(modules: list[str]) -> list[str]:
    ours = ("graph", "loaders", "queries", "dashboard", "seed_data")
    return sorted(m for m in modules
                  if m.split(".")[0] in HEAVY
                  or (m.split(".")[0] in ours and m not in OURS_ALLOWED))


def help_invocations() -> list[list[str]]:
    """`--help` of the group and of every command and subcommand, and `--version`."""
    return [["--help"], ["--version"],
            *[[*name.split(), "--help"] for name, _ in all_commands(cli)]]


def test_no_help_imports_anything_heavy() -> None:
    invocations = help_invocations()
    assert len(invocations) > 25  # every command, subcommands included
    proc = subprocess.run([sys.executable, "-c", _IN_PROCESS, json.dumps(invocations)],
                          cwd=ROOT, capture_output=True, text=True, check=True, timeout=120)
    modules = json.loads(proc.stdout.strip().splitlines()[-1])
    assert "insikt_cli.generate_cmd" in modules  # the commands were really loaded
    assert _heavy(modules) == []


def test_the_entry_point_imports_nothing_heavy() -> None:
    """The real start (`python -X importtime -m insikt_cli.main --help`), module by module."""
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "insikt_cli.main", "--help"],
                          cwd=ROOT, capture_output=True, text=True, check=True, timeout=60)
    imported = [line.rsplit("|", 1)[1].strip() for line in proc.stderr.splitlines()
                if line.startswith("import time:") and "|" in line]
    assert "click.core" in imported and "insikt_cli.main" not in imported  # run as __main__
    assert _heavy(imported) == []
    assert "Commands:" in proc.stdout and "generate" in proc.stdout


def test_the_lazy_listing_is_what_click_prints_with_every_command_loaded() -> None:
    def listing(code: str) -> str:
        proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                              text=True, check=True, timeout=60, env={"COLUMNS": "100"})
        return proc.stdout

    show = "cli.main(['--help'], prog_name='insikt')"
    lazy = listing(f"from insikt_cli.main import cli; {show}")
    loaded = listing("from insikt_cli.main import cli; from tests.test_docs import all_commands; "
                     f"all_commands(cli); {show}")
    assert "generate " in lazy and "Commands:" in lazy
    assert lazy == loaded


@pytest.mark.parametrize("name", sorted(LAZY_COMMANDS))
def test_the_lazy_table_matches_each_command(name: str) -> None:
    cmd = LAZY_COMMANDS[name].load()
    assert cmd.name == name
    from_table = click.Command(name, help=LAZY_COMMANDS[name].short_help)
    assert from_table.get_short_help_str(10_000) == cmd.get_short_help_str(10_000)


def test_the_copied_facts_match_the_library() -> None:
    from graph.backends import BACKENDS
    from graph.export import EXPORT_FORMATS
    from graph.settings import option_help

    assert BACKEND_NAMES == BACKENDS
    assert EXPORT_FORMAT_NAMES == EXPORT_FORMATS
    assert {name: option_help(name) for name in GLOBAL_OPTION_HELP} == GLOBAL_OPTION_HELP


def _command_modules() -> list[ModuleType]:
    import importlib
    import pkgutil

    return [importlib.import_module(f"insikt_cli.{m.name}")
            for m in pkgutil.iter_modules(insikt_cli.__path__)]


def test_every_command_defined_is_reachable_from_insikt() -> None:
    """A command written in insikt_cli/ but left out of LAZY_COMMANDS would be missed."""
    reachable = {id(cmd) for _, cmd in all_commands(cli)}
    stray = [f"{mod.__name__}.{attr}" for mod in _command_modules()
             for attr, value in vars(mod).items()
             if isinstance(value, click.Command) and value is not cli and id(value) not in reachable]
    assert stray == []
