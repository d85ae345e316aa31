"""`insikt neo4j start|stop|status` (the local server) and `insikt cypher` (ad-hoc Cypher)."""

from __future__ import annotations

import importlib.util
import re
import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from insikt_cli.context import Ctx, pass_ctx
from insikt_cli.messages import say
from insikt_cli.output import FORMATS, print_rows, split_params

_INT = re.compile(r"[+-]?\d+")
_FLOAT = re.compile(r"[+-]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?")

if TYPE_CHECKING:
    from loaders.local_neo4j import LauncherRun

LAUNCHER_PACKAGE = "insikt_neo4j_launcher"
"""scripts/neo4j, installed as this (namespace) package by pyproject's package-dir mapping."""


def find_launcher() -> Path | None:
    """Where `neo4j.sh` is: the installed launcher package (editable or not), else None.
    (A copy of loaders.local_neo4j.find_launcher, so that `--help` imports no library;
    tests/loaders/test_local_neo4j.py compares them.)

    It is a namespace package (scripts/neo4j has no __init__.py), which
    `importlib.resources.files` cannot read on Python 3.11, so its folder comes from the
    import system's search locations instead."""
    spec = importlib.util.find_spec(LAUNCHER_PACKAGE)
    for folder in (spec.submodule_search_locations or []) if spec else []:
        candidate = Path(folder) / "neo4j.sh"
        if candidate.is_file():
            return candidate
    return None


SCRIPT = find_launcher()


def launcher_env() -> dict[str, str]:
    """The environment for the launcher: its port follows NEO4J_URI when that is local.

    So `insikt neo4j start` starts the server that `insikt --backend neo4j` will talk to
    (loaders.local_neo4j.launcher_env)."""
    from loaders.local_neo4j import launcher_env as env

    return env()


def run_launcher(command: str) -> int:
    """Run `bash neo4j.sh COMMAND` (scripts/neo4j), echo its output, return its exit code."""
    from loaders.local_neo4j import check_launcher
    from loaders.local_neo4j import run_launcher as run

    check_launcher(SCRIPT, command)  # what is missing, before the message below
    if command == "start":
        click.echo(say("neo4j.starting"), err=True)
    res = run(command, SCRIPT)
    if res.stdout:
        click.echo(res.stdout, nl=False)
    if res.stderr:
        click.echo(res.stderr, err=True, nl=False)
    return res.returncode


@click.group("neo4j")
def neo4j_group() -> None:
    """Start, stop or check the local Neo4j 5.26 server (Java 17 and Maven needed).

    The server listens on 127.0.0.1 at INSIKT_NEO4J_PORT (default 7687, or the port of a
    local NEO4J_URI) and keeps its data in INSIKT_NEO4J_HOME (default: run/ beside the
    launcher, scripts/neo4j/run in a checkout).
    NEO4J_PASSWORD sets the initial password of user neo4j when the store is created.

    \b
    Example:
      insikt neo4j start && insikt --backend neo4j load seed_data
    """


@neo4j_group.command("start")
@click.option("--load", "load_data", is_flag=True,
              help="Then load into it the datasets the embedded store holds (INSIKT_STORE or "
              "--store), each from the path it was loaded from (see `insikt datasets`).")
@click.option("--show-password", is_flag=True,
              help="Include NEO4J_PASSWORD in the variables printed to export (it is left "
              "out otherwise).")
@pass_ctx
def neo4j_start(obj: Ctx, load_data: bool, show_password: bool) -> None:
    """Start the local Neo4j and wait until it answers (does nothing if it runs).

    With --load, the datasets of the embedded store are loaded into it too (loads are
    idempotent: a second run changes nothing), and the environment variables that point
    `insikt` and the dashboard at it are printed.

    \b
    Example:
      insikt neo4j start
      insikt neo4j start --load
      eval "$(insikt neo4j start --load | grep '^export')"   # and use it in this shell
    """
    if not load_data:
        sys.exit(run_launcher("start"))
    from graph.embedded import EmbeddedStore
    from graph.settings import get_settings
    from loaders.local_neo4j import datasets_to_copy, start_and_load

    source = EmbeddedStore(obj.store_path)
    try:
        infos = datasets_to_copy(source)  # a missing path stops here, before the start
        started = start_and_load(
            source, start=lambda: _started(run_launcher("start")),
            progress=lambda info: click.echo(say("neo4j.loading", id=info.id, path=info.path),
                                             err=True))
    finally:
        source.close()
    for c in started.copied:
        click.echo(say("neo4j.loaded", id=c.id, kind=c.kind, nodes=c.nodes,
                       relationships=c.relationships))
    if not infos:
        click.echo(say("neo4j.nothing_to_load"))
    click.echo(say("neo4j.export_intro"))
    click.echo(f"export INSIKT_BACKEND=neo4j NEO4J_URI={started.uri}")
    if show_password:
        secret = get_settings().neo4j_password.get_secret_value()
        click.echo(f"export NEO4J_PASSWORD={shlex.quote(secret)}")
    else:
        click.echo(say("neo4j.password_hint"))


def _started(code: int) -> LauncherRun:
    """The launcher's exit code as the run `start_and_load` checks (its output is shown)."""
    from loaders.local_neo4j import LauncherRun

    return LauncherRun("start", code, "", "" if code == 0 else "see the launcher's output above")


@neo4j_group.command("stop")
def neo4j_stop() -> None:
    """Stop the local Neo4j cleanly (its data stays in INSIKT_NEO4J_HOME).

    \b
    Example:
      insikt neo4j stop
    """
    sys.exit(run_launcher("stop"))


@neo4j_group.command("status")
def neo4j_status() -> None:
    """Say whether the local Neo4j runs; exit code 0 when it does, 3 when it does not.

    \b
    Example:
      insikt neo4j status
    """
    sys.exit(run_launcher("status"))


def parse_value(text: str) -> Any:
    """A `-p` value: whole numbers, decimals, true/false and null are typed; the rest is text."""
    lowered = text.strip().lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if lowered == "null":
        return None
    if _INT.fullmatch(text):
        return int(text)
    if _FLOAT.fullmatch(text):
        return float(text)
    return text


def parse_params(items: tuple[str, ...]) -> dict[str, Any]:
    """`-p key=value` pairs as typed Cypher parameters."""
    return {k: parse_value(v) for k, v in split_params(items, "id=skatteverket").items()}


@click.command("cypher")
@click.argument("query")
@click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE",
              help="A query parameter ($key in the query); numbers and true/false are typed, "
              "anything else is text. Repeat for several.")
@click.option("--timeout", type=click.FloatRange(min=0.1, max=600), default=10.0,
              show_default=True, help="Stop the query after this many seconds.")
@click.option("--limit", "row_cap", type=click.IntRange(min=1, max=1_000_000), default=1000,
              show_default=True, help="Show at most this many rows (add LIMIT to choose which).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
              help="Output format: an aligned table, CSV with a header, or a JSON list.")
@pass_ctx
def cypher(obj: Ctx, query: str, params: tuple[str, ...], timeout: float, row_cap: int,
           fmt: str) -> None:
    """Run a read-only Cypher query on Neo4j (QUERY '-' reads it from stdin).

    Only reading is allowed, decided on Neo4j's own plan of the query (EXPLAIN): writes,
    LOAD CSV, SHOW SETTINGS/TRANSACTIONS, TERMINATE, admin and schema commands, USE of another
    database and procedures other than db.labels, db.schema.* and full-text search are
    refused (exit code 4). A query that runs too long, or whose result is too large, is
    stopped (exit code 5). Needs --backend neo4j. See docs/security.md.

    \b
    Example:
      insikt --backend neo4j cypher "MATCH (a:Agency) RETURN a.name LIMIT 5"
      insikt --backend neo4j cypher 'MATCH (i:Insight {kind: $kind}) RETURN i.title' -p kind=general
    """
    from queries.adhoc import run_cypher

    text = sys.stdin.read() if query == "-" else query
    values = parse_params(params)
    with obj.store() as st:
        result = run_cypher(st, text, values, timeout=timeout, row_cap=row_cap)
    print_rows(result.columns, result.rows, fmt)
    if result.message:
        click.secho(result.message, fg="yellow", err=True)
