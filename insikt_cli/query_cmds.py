"""`insikt queries` and `insikt query`: the saved-query catalog on the current backend."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

import click

from insikt_cli.context import Ctx, pass_ctx
from insikt_cli.messages import say
from insikt_cli.output import FORMATS, print_rows, split_params

if TYPE_CHECKING:  # the catalog is imported inside the commands (a fast --help)
    from queries.types import Param, SavedQuery


def _param_line(p: Param, lang: str) -> str:
    """One parameter: its flag, type, help and whether it is needed (with default or range)."""
    if p.required:
        need = [say("query.required")]
    elif p.default is not None:
        shown = str(p.default).lower() if isinstance(p.default, bool) else str(p.default)
        need = [say("query.default", default=shown)]
    else:
        need = [say("query.no_default")]
    if p.choices is not None:
        need.append(say("query.choices", label=p.choices.value))
    if p.minimum is not None and p.maximum is not None:
        need.append(say("query.range", minimum=f"{p.minimum:g}", maximum=f"{p.maximum:g}"))
    elif p.minimum is not None:
        need.append(say("query.at_least", minimum=f"{p.minimum:g}"))
    elif p.maximum is not None:
        need.append(say("query.at_most", maximum=f"{p.maximum:g}"))
    help_text = p.help_sv if lang == "sv" and p.help_sv else p.help
    return say("query.param", name=p.name, type=p.type, help=help_text, need="; ".join(need))


def _describe(q: SavedQuery, lang: str) -> list[str]:
    """The verbose entry of one query: description, where it runs, parameters, example and
    its Cypher, so that an analyst can read what it does and start their own from it."""
    title = q.title_sv if lang == "sv" else q.title_en
    description = q.description_sv if lang == "sv" and q.description_sv else q.description
    lines = [f"{q.name}  {title}"]
    lines += textwrap.wrap(description, width=96, initial_indent="  ", subsequent_indent="  ")
    if q.path:
        lines.append("  " + say("query.file", path=q.path))
    lines.append("  " + say("query.runs_on",
                            where=say("runs_on.both" if q.has_twin else "runs_on.neo4j")))
    if q.params:
        lines.append("  " + say("query.params"))
        lines += ["    " + _param_line(p, lang) for p in q.params]
    else:
        lines.append("  " + say("query.no_params"))
    example = "".join(f" -p {k}={v}" for k, v in q.example.items())
    lines.append("  " + say("query.example", name=q.name, params=example))
    lines.append("  " + say("query.cypher"))
    lines += ["    " + line if line.strip() else "" for line in q.cypher.strip("\n").splitlines()]
    return lines


@click.command("queries")
@click.option("--lang", type=click.Choice(["sv", "en"]), default="sv", show_default=True,
              help="Language of the titles, descriptions and parameter help.")
@click.option("--verbose", "-v", is_flag=True,
              help="Also show each query's description, parameters (type, default, help), an "
              "example and its Cypher.")
def queries_cmd(lang: str, verbose: bool) -> None:
    """List the saved-query catalog: names, titles and where each runs.

    The catalog is the built-in queries, the query files in queries/library/ and your
    own (one NAME.yaml per query in the folder INSIKT_QUERY_DIR names). A query file
    that cannot be read is left out with a warning on stderr; the rest are listed.

    \b
    Example:
      insikt queries -v
      INSIKT_QUERY_DIR=~/insikt-queries insikt queries --lang en
    """
    from queries.catalog import all_queries, catalog_problems

    for problem in catalog_problems():
        key = "query.left_out" if problem.entry.startswith("line") else "query.problem"
        click.secho(say("warning", warning=say(key, problem=problem)), fg="yellow", err=True)
    queries = all_queries()
    if verbose:
        for i, q in enumerate(queries):
            if i:
                click.echo("")
            click.echo("\n".join(_describe(q, lang)))
        return
    rows = [{"name": q.name, "title": q.title_sv if lang == "sv" else q.title_en,
             "runs_on": say("runs_on.both" if q.has_twin else "runs_on.neo4j"),
             "origin": say(f"origin.{q.origin}")} for q in queries]
    print_rows(("name", "title", "runs_on", "origin"), rows, "table", width=72, count=False,
               headers=[say("col.name"), say("col.title"), say("col.runs_on"), say("col.from")])


@click.command("query")
@click.argument("name")
@click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE",
              help="A parameter of the query; repeat for several.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
              help="Output format.")
@pass_ctx
def query_cmd(obj: Ctx, name: str, params: tuple[str, ...], fmt: str) -> None:
    """Run a saved query on the current backend (embedded or Neo4j).

    See `insikt queries -v` for the catalog and each query's parameters. An unknown
    parameter, or an id that is not in the graph, stops with "did you mean" and a
    non-zero exit code. Query files without a networkx twin run on Neo4j only.

    \b
    Example:
      insikt query shared-problems -p life_event=nar-nagon-har-dott
      insikt query journey -p life_event=ga-i-pension --format csv
    """
    from queries.catalog import get_query, run_query

    q = get_query(name)
    example = next((f"{k}={v}" for k, v in q.example.items()), "name=value")
    raw = split_params(params, example)
    with obj.store() as st:
        result = run_query(st, name, raw, check_ids=True)
    print_rows(result.columns, result.rows, fmt)
    if result.total is not None:  # a paged query: say how much there is (stderr, like hints)
        offset = int(result.params.get("offset") or 0)
        click.echo(say("query.page", shown=len(result.rows), total=result.total,
                       first=offset + 1 if result.rows else 0, last=offset + len(result.rows)),
                   err=True)
    if result.truncated:
        click.secho(say("warning", warning=say("query.truncated", message=result.message)),
                    fg="yellow", err=True)
