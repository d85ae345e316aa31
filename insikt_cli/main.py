"""The `insikt` command line: a thin edge over graph/, loaders/ and queries/.

Every command calls the same library functions as the dashboard; errors are the library's
own (`InsiktError`) and are only turned into words and exit codes here.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from graph.errors import InsiktError, ValidationFailed
from insikt_cli.context import Ctx, pass_ctx
from insikt_cli.lazy import LazyCommand, LazyGroup

if TYPE_CHECKING:
    from graph.store import Stats

# The library is imported inside the commands, and the commands of the other modules are
# found through LAZY_COMMANDS, so that `insikt --help` and `insikt CMD --help` import nothing
# heavy (no pydantic, networkx, neo4j, …; tests/insikt_cli/test_fast_cli.py). The few facts
# the option declarations need are copied here, and a test checks that they match the
# library's (graph.backends.BACKENDS, graph.export.EXPORT_FORMATS, graph.settings help).
BACKEND_NAMES = ("embedded", "neo4j")
EXPORT_FORMAT_NAMES = ("json", "graphml", "neo4j-admin", "cypher", "jsonld")
GLOBAL_OPTION_HELP = {
    "backend": "Graph store: embedded (default, no server) or neo4j. Env: INSIKT_BACKEND.",
    "store": "Embedded store file, an SQLite database (default .insikt/graph.db). Env: "
             "INSIKT_STORE.",
}
"""`graph.settings.option_help(name)` of the settings the global options override."""

LAZY_COMMANDS = {
    "queries": LazyCommand("insikt_cli.query_cmds:queries_cmd",
                           "List the saved-query catalog: names, titles and where each runs."),
    "query": LazyCommand("insikt_cli.query_cmds:query_cmd",
                         "Run a saved query on the current backend (embedded or Neo4j)."),
    "neo4j": LazyCommand("insikt_cli.neo4j_cmds:neo4j_group",
                         "Start, stop or check the local Neo4j 5.26 server (Java 17 and Maven "
                         "needed)."),
    "cypher": LazyCommand("insikt_cli.neo4j_cmds:cypher",
                          "Run a read-only Cypher query on Neo4j (QUERY '-' reads it from "
                          "stdin)."),
    "dashboard": LazyCommand("insikt_cli.dashboard_cmd:dashboard",
                             "Start the Streamlit dashboard (Swedish, with an English switch)."),
    "analyze": LazyCommand("insikt_cli.action_cmds:analyze",
                           "Collaboration analytics: who shares which customer problems, who "
                           "should meet, which insights reach furthest, who bridges the "
                           "others, and how heavy each journey is."),
    "package": LazyCommand("insikt_cli.action_cmds:package",
                           "Insight packages: a self-contained slice of the graph in one zip "
                           "(dataset, manifest with checksums, README in Swedish and English) "
                           "to share and load elsewhere."),
    "report": LazyCommand("insikt_cli.action_cmds:report_cmd",
                          "Write the governance report: overlap between agencies, most shared "
                          "problems, suggested networks with agendas, principle and action "
                          "gaps, the journey burden ranking and where the data comes from, "
                          "in Swedish or English."),
    "import-notes": LazyCommand("insikt_cli.action_cmds:import_notes_cmd",
                                "Load workshop notes (Markdown: '# Title', 'Datum:', "
                                "'Arrangör:', 'Deltagare:' and bullets under '## Insikter') "
                                "as proposed insights, reported by the participating agencies "
                                "and traced to the notes."),
    "match": LazyCommand("insikt_cli.curation_cmds:match_cmd",
                         "Propose pairs of insights from different datasets that describe the "
                         "same customer problem, or record a curator's decisions on them "
                         "(--apply)."),
    "review": LazyCommand("insikt_cli.curation_cmds:review_group",
                          "List the proposed insights with their provenance and suggested "
                          "matches, and accept, merge or reject them."),
    "card": LazyCommand("insikt_cli.card_cmd:card",
                        "Write the card of one insight: statement, evidence, reporters, "
                        "principles, journey steps."),
    "diff": LazyCommand("insikt_cli.history_cmds:diff_cmd",
                        "Show what loading a dataset folder (or package .zip) would add, "
                        "remove and change."),
    "history": LazyCommand("insikt_cli.history_cmds:history_cmd",
                           "List the recorded loads and unloads (of one dataset, or of all)."),
    "show": LazyCommand("insikt_cli.history_cmds:show_cmd",
                        "Print one node with each property's value and the dataset it comes "
                        "from."),
    "generate": LazyCommand("insikt_cli.generate_cmd:generate",
                            "Write a synthetic dataset (or several) at a chosen scale, for "
                            "tests and benchmarks."),
}
"""Commands defined in other modules: imported when used (their help included)."""

from insikt_cli.messages import count, epilog, say  # noqa: E402  (small, no library)


class InsiktGroup(LazyGroup):
    """Turns library errors into one clear message and a distinct exit code; its help ends
    with every exit code the error classes define (worked out when the help is shown)."""

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        self.epilog = epilog()
        super().format_epilog(ctx, formatter)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ValidationFailed as exc:
            report_problems(exc.source, exc.problems)
            ctx.exit(exc.exit_code)
        except InsiktError as exc:
            click.secho(say("error", error=exc), fg="red", err=True)
            ctx.exit(exc.exit_code)


def report_problems(source: str, problems: list[Any]) -> None:
    click.secho(say("nothing_written", source=source, problems=count(len(problems), "problems")),
                fg="red", err=True)
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
            self._bar = click.progressbar(length=total, label=say("progress", label=self.label,
                                                                  stage=stage, total=total),
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
            click.echo(say("progress_done", label=self.label, stage=self._stage, done=self._pos,
                           total=self._total), err=True)

    def __enter__(self) -> LoadProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@click.group(cls=InsiktGroup, lazy=LAZY_COMMANDS,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--backend", type=click.Choice(BACKEND_NAMES), default=None,
              help=GLOBAL_OPTION_HELP["backend"])
@click.option("--store", "store", default=None, help=GLOBAL_OPTION_HELP["store"])
@click.version_option(package_name="insiktsgrafen")
@click.pass_context
def cli(ctx: click.Context, backend: str | None, store: str | None) -> None:
    """Insiktsgrafen: a shared knowledge graph of what Swedish agencies know about
    their customers.

    \b
    Example:
      insikt load seed_data && insikt stats
    """
    # Each invocation reads the environment afresh (CliRunner changes it). Settings not yet
    # read need no reset, and importing them (pydantic) would slow down every `--help`.
    settings = sys.modules.get("graph.settings")
    if settings is not None:
        settings.reset_settings()
    ctx.obj = Ctx(backend, store)


def print_stats(stats: Stats, fmt: str) -> None:
    if fmt == "json":
        click.echo(json.dumps({"labels": stats.labels, "relationships": stats.relationships,
                               "nodes_total": stats.node_total,
                               "relationships_total": stats.relationship_total}, indent=2))
        return
    names = [*stats.labels, *stats.relationships]
    w = max([16, *(len(n) + 2 for n in names)])
    counts = [*stats.labels.values(), *stats.relationships.values()]
    nw = max([8, *(len(str(n)) + 2 for n in counts)])
    click.echo(say("stats.nodes", n=stats.node_total))
    for label, n in stats.labels.items():
        click.echo(f"  {label:<{w}}{n:>{nw}}")
    click.echo(say("stats.relationships", n=stats.relationship_total))
    for rel, n in stats.relationships.items():
        click.echo(f"  {rel:<{w}}{n:>{nw}}")


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
    from loaders.dataset import validate_dataset
    from loaders.seed import dataset_folder

    _, problems = validate_dataset(dataset_folder(path))
    if fmt == "json":
        click.echo(json.dumps({"path": path, "valid": not problems,
                               "problems": [p.__dict__ for p in problems]},
                              ensure_ascii=False, indent=2))
    elif problems:
        click.secho(say("invalid", path=path, problems=count(len(problems), "problems")),
                    fg="red", err=True)
        for p in problems:
            click.echo(f"  {p}", err=True)
    else:
        click.secho(say("valid", path=path), fg="green")
    if problems:
        sys.exit(2)


@cli.command()
@click.argument("path", type=click.Path(file_okay=False))
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
@click.option("--strict", is_flag=True, help=say("strict_help"))
@click.option("--dry-run", is_flag=True,
              help="Print what the load would add, remove and change, and write nothing.")
@click.option("--by", default=None, help="Who loads, for the history (default: the OS user).")
@pass_ctx
def load(obj: Ctx, path: str, quiet: bool, strict: bool, dry_run: bool, by: str | None) -> None:
    """Validate a dataset folder and load it into the graph.

    Loading is idempotent: the same dataset twice gives the same graph. Reloading an
    edited dataset writes only what changed; nodes that other datasets define stay.
    Each agency resolves to one node (by org nr, name, short name or alias; see
    docs/combining-datasets.md) and the table says how; ambiguous or conflicting
    agencies, like any invalid data, are reported and nothing is written (exit code 2).
    Every load is recorded (`insikt history`).

    \b
    Example:
      insikt load seed_data
      insikt load seed_data --dry-run
      insikt load --strict tests/data/combine/kfm
      insikt --backend neo4j load seed_data
    """
    from loaders.load import load_dataset
    from loaders.resolve import resolution_rows
    from loaders.seed import dataset_folder

    from .output import echo_resolutions

    if dry_run:
        from insikt_cli.history_cmds import print_changes
        from loaders.history import diff_path

        with obj.store() as st:
            print_changes(diff_path(st, path), "text")
        click.echo(say("dry_run"))
        return
    with obj.store() as st, LoadProgress(path) as progress:
        res = load_dataset(st, dataset_folder(path), None if quiet else progress, strict=strict,
                           by=by)
        if not quiet:
            echo_resolutions(res.dataset, resolution_rows(res.resolutions))
            click.echo(say("loaded", dataset=res.dataset, where=st.describe(), nodes=res.nodes,
                           relationships=res.relationships, seconds=res.seconds))


@cli.command()
@click.argument("dataset_id")
@pass_ctx
def unload(obj: Ctx, dataset_id: str) -> None:
    """Remove one dataset's content; keep what other datasets define.

    \b
    Example:
      insikt unload seed
    """
    from loaders.curation import unload_dataset

    with obj.store() as st:
        res = unload_dataset(st, dataset_id)
        click.echo(say("unloaded", dataset=dataset_id, nodes=res.removed_nodes,
                       relationships=res.removed_relationships))


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
        click.echo(say("no_datasets"))
        return
    from insikt_cli.output import print_rows

    columns = ("id", "nodes", "relationships", "loaded_at", "title")
    print_rows(columns, [i.__dict__ for i in infos], "table", width=80, count=False,
               headers=[say(f"col.{c}") for c in ("id", "nodes", "rels", "loaded_at", "title")])


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
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMAT_NAMES), default="json",
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
    from graph.export import export_graph

    with obj.store() as st:
        path = export_graph(st.to_networkx(), fmt, output)
    click.echo(say("wrote", path=path))


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
    from graph.settings import get_settings, require_path
    from loaders.register import import_register

    register = Path(path) if path else require_path(
        "register_path", get_settings().register_path, say("what.register"))
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
    from graph.settings import markdown_table, setting_rows
    from insikt_cli.output import print_rows

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


def main() -> None:
    cli(prog_name="insikt")


if __name__ == "__main__":
    main()
