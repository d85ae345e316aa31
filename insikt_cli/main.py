"""The `insikt` command line: a thin edge over graph/, loaders/ and queries/.

Every command calls the same library functions as the dashboard; errors are the library's
own (`InsiktError`) and are only turned into words and exit codes here.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from graph.backends import BACKENDS
from graph.errors import InsiktError, ValidationFailed
from graph.export import EXPORT_FORMATS, export_graph
from graph.settings import (
    get_settings,
    markdown_table,
    option_help,
    require_path,
    reset_settings,
    setting_rows,
)
from graph.store import Stats
from insikt_cli.context import Ctx, pass_ctx
from insikt_cli.output import print_rows
from loaders.dataset import validate_dataset
from loaders.load import load_dataset
from loaders.register import import_register
from loaders.seed import dataset_folder

EPILOG = "Docs: README.md and docs/dataset-format.md. Exit codes: 0 ok, 2 invalid data, " \
    "3 backend unreachable, 4 query refused, 5 query failed."


class InsiktGroup(click.Group):
    """Turns library errors into one clear message and a distinct exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ValidationFailed as exc:
            report_problems(exc.source, exc.problems)
            ctx.exit(exc.exit_code)
        except InsiktError as exc:
            click.secho(f"Error: {exc}", fg="red", err=True)
            ctx.exit(exc.exit_code)


def report_problems(source: str, problems: list[Any]) -> None:
    noun = "problem" if len(problems) == 1 else "problems"
    click.secho(f"{source}: {len(problems)} {noun}; nothing was written.", fg="red", err=True)
    for p in problems:
        click.echo(f"  {p}", err=True)




class LoadProgress:
    """Progress of a long load on stderr: a `click.progressbar` per stage. On a terminal the bar
    redraws in place; elsewhere (logs, CI) click prints the stage's label once and this adds a
    closing line, so the output stays readable. Stages under `MIN_TOTAL` records show nothing."""

    MIN_TOTAL = 500

    def __init__(self, label: str) -> None:
        self.label = label
        self._bar: Any = None
        self._stage = ""
        self._pos = 0
        self._total = 0

    def __call__(self, stage: str, done: int, total: int) -> None:
        if total < self.MIN_TOTAL:
            return
        if self._bar is None or stage != self._stage:
            self.close()
            self._stage, self._pos, self._total = stage, 0, total
            self._bar = click.progressbar(length=total, label=f"{self.label}: {stage} ({total})",
                                          file=sys.stderr, show_pos=True)
            self._bar.__enter__()
        if done > self._pos:
            self._bar.update(done - self._pos)
            self._pos = done
        if done >= total:
            self.close()

    def close(self) -> None:
        """Finish the open bar (also after an error, so the terminal line is ended)."""
        if self._bar is None:
            return
        bar, self._bar = self._bar, None
        bar.__exit__(None, None, None)
        if not sys.stderr.isatty():
            click.echo(f"{self.label}: {self._stage} {self._pos}/{self._total}", err=True)

    def __enter__(self) -> LoadProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@click.group(cls=InsiktGroup, epilog=EPILOG,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--backend", type=click.Choice(BACKENDS), default=None,
              help=option_help("backend"))
@click.option("--store", "store", default=None, help=option_help("store"))
@click.version_option(package_name="insiktsgrafen")
@click.pass_context
def cli(ctx: click.Context, backend: str | None, store: str | None) -> None:
    """Insiktsgrafen: a shared knowledge graph of what Swedish agencies know about
    their customers.

    \b
    Example:
      insikt load seed_data && insikt stats
    """
    reset_settings()  # each invocation reads the environment afresh (CliRunner changes it)
    ctx.obj = Ctx(backend, store)


def print_stats(stats: Stats, fmt: str) -> None:
    if fmt == "json":
        click.echo(json.dumps({"labels": stats.labels, "relationships": stats.relationships,
                               "nodes_total": stats.node_total,
                               "relationships_total": stats.relationship_total}, indent=2))
        return
    click.echo(f"Nodes ({stats.node_total})")
    for label, n in stats.labels.items():
        click.echo(f"  {label:<16}{n:>8}")
    click.echo(f"Relationships ({stats.relationship_total})")
    for rel, n in stats.relationships.items():
        click.echo(f"  {rel:<16}{n:>8}")


@cli.command()
@click.argument("path", type=click.Path(file_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Report as text or as JSON (for tools).")
def validate(path: str, fmt: str) -> None:
    """Check a dataset folder and report every problem in one run.

    Each problem names the file, the entry, the field, what is wrong and a hint.
    Exit code 0 when valid, 2 when not. Nothing is written.

    \b
    Example:
      insikt validate seed_data
    """
    _, problems = validate_dataset(dataset_folder(path))
    if fmt == "json":
        click.echo(json.dumps({"path": path, "valid": not problems,
                               "problems": [p.__dict__ for p in problems]},
                              ensure_ascii=False, indent=2))
    elif problems:
        noun = "problem" if len(problems) == 1 else "problems"
        click.secho(f"{path}: {len(problems)} {noun}", fg="red", err=True)
        for p in problems:
            click.echo(f"  {p}", err=True)
    else:
        click.secho(f"{path}: valid", fg="green")
    if problems:
        sys.exit(2)


@cli.command()
@click.argument("path", type=click.Path(file_okay=False))
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
@pass_ctx
def load(obj: Ctx, path: str, quiet: bool) -> None:
    """Validate a dataset folder and load it into the graph.

    Loading is idempotent: the same dataset twice gives the same graph. Reloading an
    edited dataset replaces its content; nodes that other datasets define stay.
    Invalid data is reported and nothing is written (exit code 2).

    \b
    Example:
      insikt load seed_data
      insikt --backend neo4j load seed_data
    """
    with obj.store() as st, LoadProgress(path) as progress:
        res = load_dataset(st, dataset_folder(path), None if quiet else progress)
        if not quiet:
            click.echo(f"Loaded dataset '{res.dataset}' into {st.describe()}: {res.nodes} nodes, "
                       f"{res.relationships} relationships in {res.seconds:.2f} s.")


@cli.command()
@click.argument("dataset_id")
@pass_ctx
def unload(obj: Ctx, dataset_id: str) -> None:
    """Remove one dataset's content; keep what other datasets define.

    \b
    Example:
      insikt unload seed
    """
    with obj.store() as st:
        res = st.unload(dataset_id)
        click.echo(f"Unloaded '{dataset_id}': removed {res.removed_nodes} nodes and "
                   f"{res.removed_relationships} relationships.")


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="Output format.")
@pass_ctx
def datasets(obj: Ctx, fmt: str) -> None:
    """List the loaded datasets with their counts and load times.

    \b
    Example:
      insikt datasets
    """
    with obj.store() as st:
        infos = st.datasets()
    if fmt == "json":
        click.echo(json.dumps([i.__dict__ for i in infos], ensure_ascii=False, indent=2))
        return
    if not infos:
        click.echo("No datasets loaded. Try: insikt load seed_data")
        return
    click.echo(f"{'id':<20}{'nodes':>8}{'rels':>8}  {'loaded at':<26}title")
    for i in infos:
        click.echo(f"{i.id:<20}{i.nodes:>8}{i.relationships:>8}  {i.loaded_at:<26}{i.title}")


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="Output format.")
@pass_ctx
def stats(obj: Ctx, fmt: str) -> None:
    """Print node counts per label and relationship counts per type.

    \b
    Example:
      insikt stats
      insikt --backend neo4j stats --format json
    """
    with obj.store() as st:
        print_stats(st.stats(), fmt)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="json",
              show_default=True, help="File format.")
@click.option("-o", "--output", required=True, type=click.Path(),
              help="File to write (a folder for neo4j-admin).")
@pass_ctx
def export(obj: Ctx, fmt: str, output: str) -> None:
    """Write the whole graph to a file.

    \b
    Example:
      insikt export --format graphml -o graph.graphml
    """
    with obj.store() as st:
        path = export_graph(st.to_networkx(), fmt, output)
    click.echo(f"Wrote {path}")


@cli.command("import-register")
@click.argument("path", type=click.Path(dir_okay=False), required=False)
@pass_ctx
def import_register_cmd(obj: Ctx, path: str | None) -> None:
    """Import ESV's agency register (JSON) as Agency nodes, and summarise its quirks.

    Ids are slugs of the Swedish names. An agency already loaded with the same org nr
    under another id is updated under that id. Ended agencies are kept and marked.
    Without PATH, the file named by INSIKT_REGISTER is read.

    \b
    Example:
      insikt import-register ../shared/data/agency-register/esv.json
    """
    register = Path(path) if path else require_path(
        "register_path", get_settings().register_path, "the agency register (esv.json)")
    with obj.store() as st, LoadProgress("register") as progress:
        report = import_register(st, register, progress)
    click.echo(report.summary())


@cli.command("settings")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "markdown"]), default="table",
              show_default=True, help="table: every setting with its current value; json: the "
              "same for tools; markdown: the README's table of defaults.")
def settings_cmd(fmt: str) -> None:
    """List every setting: its environment variable, default, current value and help.

    Secrets (the Neo4j password, a password inside NEO4J_URI) are masked. The list is the
    one in graph/settings.py, which is also the README's table.

    \b
    Example:
      insikt settings
      NEO4J_URI=bolt://127.0.0.1:7688 insikt settings --format json
    """
    if fmt == "markdown":
        click.echo(markdown_table(), nl=False)
        return
    rows = setting_rows()
    if fmt == "json":
        click.echo(json.dumps([r.__dict__ for r in rows], ensure_ascii=False, indent=2))
        return
    print_rows(("env", "default", "current", "help"),
               [{"env": r.env, "default": r.default, "current": r.current, "help": r.help}
                for r in rows], "table", width=200, count=False)


from insikt_cli.query_cmds import queries_cmd, query_cmd  # noqa: E402

cli.add_command(queries_cmd)
cli.add_command(query_cmd)

from insikt_cli.neo4j_cmds import cypher, neo4j_group  # noqa: E402

cli.add_command(neo4j_group, "neo4j")
cli.add_command(cypher)

from insikt_cli.dashboard_cmd import dashboard  # noqa: E402

cli.add_command(dashboard)


from insikt_cli.action_cmds import register_action_commands  # noqa: E402

register_action_commands(cli)


def main() -> None:
    cli(prog_name="insikt")


if __name__ == "__main__":
    main()
