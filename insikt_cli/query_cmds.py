"""`insikt queries` and `insikt query`: the saved-query catalog on the current backend."""

from __future__ import annotations

import click

from insikt_cli.context import Ctx, pass_ctx
from insikt_cli.output import FORMATS, print_rows, split_params


@click.command("queries")
@click.option("--lang", type=click.Choice(["sv", "en"]), default="sv", show_default=True,
              help="Language of the titles.")
@click.option("--verbose", "-v", is_flag=True, help="Also show descriptions and parameters.")
def queries_cmd(lang: str, verbose: bool) -> None:
    """List the saved-query catalog: names, titles and parameters.

    \b
    Example:
      insikt queries -v
    """
    from queries.catalog import all_queries

    for q in all_queries():
        title = q.title_sv if lang == "sv" else q.title_en
        click.echo(f"{q.name:<20}{title}")
        if verbose:
            click.echo(f"{'':<20}{q.description}")
            for p in q.params:
                need = "required" if p.required else f"default {p.default!r}"
                click.echo(f"{'':<22}-p {p.name}=<{p.type}>  {p.help} ({need})")
            example = " ".join(f"-p {k}={v}" for k, v in q.example.items())
            click.echo(f"{'':<20}e.g. insikt query {q.name} {example}".rstrip())
            click.echo("")


@click.command("query")
@click.argument("name")
@click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE",
              help="A parameter of the query; repeat for several.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
              help="Output format.")
@pass_ctx
def query_cmd(obj: Ctx, name: str, params: tuple[str, ...], fmt: str) -> None:
    """Run a saved query on the current backend (embedded or Neo4j).

    See `insikt queries -v` for the catalog and each query's parameters.

    \b
    Example:
      insikt query shared-problems -p life_event=nar-nagon-har-dott
      insikt query journey -p life_event=ga-i-pension --format csv
    """
    from queries.catalog import run_query

    with obj.store() as st:
        result = run_query(st, name, split_params(params, "agency=skatteverket"))
    print_rows(result.columns, result.rows, fmt)
