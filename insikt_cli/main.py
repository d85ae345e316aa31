"""The `insikt` command line: a thin edge over graph/, loaders/ and queries/.

Every command calls the same library functions as the dashboard; errors are the library's
own (`InsiktError`) and are only turned into words and exit codes here.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from graph.backends import BACKENDS
from graph.errors import InsiktError, ValidationFailed
from graph.export import EXPORT_FORMATS, export_graph
from graph.store import Stats
from insikt_cli.context import Ctx, pass_ctx
from loaders.dataset import validate_dataset
from loaders.load import load_dataset
from loaders.register import import_register

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




def progress_printer(label: str) -> Any:
    """Progress on stderr for long loads: one line per stage, updated in place on a tty."""
    tty = sys.stderr.isatty()
    last: dict[str, int] = {}

    def progress(stage: str, done: int, total: int) -> None:
        if total < 500 and done not in (0, total):
            return
        pct = 100 if total == 0 else int(done * 100 / total)
        if not tty and last.get(stage, -1) // 25 == pct // 25 and done != total:
            return
        last[stage] = pct
        end = "\n" if (done >= total or not tty) else "\r"
        click.echo(f"{label}: {stage} {done}/{total} ({pct}%)", err=True, nl=False)
        click.echo(end, err=True, nl=False)

    return progress


@click.group(cls=InsiktGroup, epilog=EPILOG,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--backend", type=click.Choice(BACKENDS), envvar="INSIKT_BACKEND",
              default=None, help="Graph store: embedded (default, no server) or neo4j. "
              "Env: INSIKT_BACKEND.")
@click.option("--store", "store", envvar="INSIKT_STORE", default=None,
              help="Embedded store file, SQLite (default .insikt/graph.db). Env: INSIKT_STORE.")
@click.version_option(package_name="insiktsgrafen")
@click.pass_context
def cli(ctx: click.Context, backend: str | None, store: str | None) -> None:
    """Insiktsgrafen: a shared knowledge graph of what Swedish agencies know about
    their customers.

    \b
    Example:
      insikt load seed_data && insikt stats
    """
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
    _, problems = validate_dataset(path)
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
    with obj.store() as st:
        res = load_dataset(st, path, None if quiet else progress_printer(path))
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
@click.argument("path", type=click.Path(dir_okay=False))
@pass_ctx
def import_register_cmd(obj: Ctx, path: str) -> None:
    """Import ESV's agency register (JSON) as Agency nodes, and summarise its quirks.

    Ids are slugs of the Swedish names. An agency already loaded with the same org nr
    under another id is updated under that id. Ended agencies are kept and marked.

    \b
    Example:
      insikt import-register ../shared/data/agency-register/esv.json
    """
    with obj.store() as st:
        report = import_register(st, path, progress_printer("register"))
    click.echo(report.summary())


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
