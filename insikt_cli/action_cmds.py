"""CLI commands for going from insight to action: `insikt analyze …`, `insikt package …`,
`insikt report` and `insikt import-notes`.

They use the shared options (`Ctx`, `pass_ctx`, `obj.store()`) from insikt_cli.context, so this
module does not import insikt_cli.main; the `insikt` group finds these commands through its
LAZY_COMMANDS table. The library modules are imported inside the commands, which keeps
`insikt --help` and `insikt analyze --help` fast. Errors are the
library's own; the root group turns them into messages and exit codes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

import click

from insikt_cli.context import Ctx, pass_ctx
from insikt_cli.messages import say
from insikt_cli.output import FORMATS, echo_resolutions, print_rows

_FORMAT_HELP = "Output: an aligned table, CSV, or JSON with every detail."


def _emit(columns: Sequence[str], rows: Sequence[dict[str, Any]], fmt: str,
          full: Any = None, width: int = 60) -> None:
    print_rows(columns, rows, fmt, full=full, width=width, count=False)


def _format_option(f: Any) -> Any:
    return click.option("--format", "fmt", type=click.Choice(FORMATS), default="table",
                        show_default=True, help=_FORMAT_HELP)(f)


# -- insikt analyze ------------------------------------------------------------------------------

@click.group("analyze")
def analyze() -> None:
    """Collaboration analytics: who shares which customer problems, who should meet,
    which insights reach furthest, who bridges the others, and how heavy each journey is.

    An agency's insight set is what it reports, each specific insight counting also
    through its general insight(s).

    \b
    Example:
      insikt analyze similarity --top 10
      insikt analyze communities --format json
    """


@analyze.command("similarity")
@click.option("--top", default=20, show_default=True, type=click.IntRange(min=0),
              help="How many agency pairs to show.")
@_format_option
@pass_ctx
def similarity_cmd(obj: Ctx, top: int, fmt: str) -> None:
    """The most similar agency pairs (Jaccard over their insight sets) and what they share.

    \b
    Example:
      insikt analyze similarity --top 10 --format csv
    """
    from queries.analytics import analysis_graph, similarity

    with obj.store() as st:
        res = similarity(analysis_graph(st, "similarity"), top)
    rows = [{"a": p.a, "b": p.b, "score": round(p.score, 4), "shared_count": len(p.shared),
             "shared": list(p.shared)} for p in res.pairs]
    _emit(["a", "b", "score", "shared_count", "shared"], rows, fmt, asdict(res))
    if fmt == "table":
        click.echo(say("similar.summary", shown=len(rows), pairs=res.overlapping_pairs,
                       agencies=res.agencies))


@analyze.command("communities")
@click.option("--seed", default=42, show_default=True, help="Random seed for Louvain.")
@click.option("--agenda", default=3, show_default=True, type=click.IntRange(min=0),
              help="Shared problems and agenda principles to show per community (table/CSV).")
@_format_option
@pass_ctx
def communities_cmd(obj: Ctx, seed: int, agenda: int, fmt: str) -> None:
    """Suggested networks: Louvain communities of agencies that share problems, with the
    problems they share and the principles only some of them apply (their agenda).

    \b
    Example:
      insikt analyze communities --agenda 5
    """
    from queries.analytics import analysis_graph, communities

    with obj.store() as st:
        res = communities(analysis_graph(st, "communities"), seed)
    rows = [{"community": c.number, "size": len(c.members), "members": list(c.members),
             "shared_problems": [f"{p.insight} ({p.members})" for p in c.shared_problems[:agenda]],
             "agenda": [a.principle for a in c.agenda[:agenda]]} for c in res.communities]
    _emit(["community", "size", "members", "shared_problems", "agenda"], rows, fmt,
          asdict(res), width=90)
    if fmt == "table":
        click.echo(say("communities.summary", modularity=res.modularity, agencies=res.agencies,
                       seed=res.seed))


@analyze.command("reach")
@click.option("--top", default=20, show_default=True, type=click.IntRange(min=0),
              help="How many insights to show (0 = all).")
@click.option("--kind", type=click.Choice(["all", "general", "specific"]), default="all",
              show_default=True, help="Only general or only specific insights.")
@_format_option
@pass_ctx
def reach_cmd(obj: Ctx, top: int, kind: str, fmt: str) -> None:
    """How far each insight reaches: agencies reporting it (for a general insight, also
    its instances), life events and domains. Ranked.

    \b
    Example:
      insikt analyze reach --kind specific --top 10
    """
    from queries.analytics import analysis_graph, reach

    with obj.store() as st:
        res = [r for r in reach(analysis_graph(st, "reach")) if kind in ("all", r.kind)]
    res = res[:top] if top else res
    rows = [{"insight": r.insight, "kind": r.kind, "agencies": r.agencies,
             "life_events": r.life_events, "domains": r.domains, "title": r.title} for r in res]
    _emit(["insight", "kind", "agencies", "life_events", "domains", "title"], rows, fmt,
          [asdict(r) for r in res])


@analyze.command("bridges")
@click.option("--top", default=20, show_default=True, type=click.IntRange(min=0),
              help="How many agencies to show (0 = all).")
@click.option("--sample-above", default=300, show_default=True, type=click.IntRange(min=1),
              help="Estimate from 200 sampled sources when more agencies than this report.")
@click.option("--seed", default=42, show_default=True, help="Random seed (sampling, Louvain).")
@_format_option
@pass_ctx
def bridges_cmd(obj: Ctx, top: int, sample_above: int, seed: int, fmt: str) -> None:
    """Agencies that bridge the others: betweenness centrality on the agency projection,
    along the strongest shared-problem ties.

    \b
    Example:
      insikt analyze bridges --top 10
    """
    from queries.analytics import analysis_graph, bridges

    with obj.store() as st:
        res = bridges(analysis_graph(st, "bridges"), sample_above, seed)
    shown = res.agencies[:top] if top else res.agencies
    rows = [{"agency": b.agency, "betweenness": round(b.betweenness, 4), "partners": b.partners,
             "communities_linked": b.communities_linked, "name": b.name} for b in shown]
    _emit(["agency", "betweenness", "partners", "communities_linked", "name"], rows, fmt,
          {**asdict(res), "agencies": [asdict(b) for b in shown], "note": res.note})
    if fmt == "table":
        click.echo(say("note_in_parens", note=res.note))


@analyze.command("burden")
@_format_option
@pass_ctx
def burden_cmd(obj: Ctx, fmt: str) -> None:
    """The journey burden index per life event, ranked, with its five terms: one per
    general insight of the eSam forum (who-does-what, own-project-manager, myndighetska,
    courier, late-feedback). Each column is the term's raw count; the JSON also gives
    each term's points, which add up to the index, and its definition.

    \b
    Example:
      insikt analyze burden --format json
    """
    from queries.analytics import (
        BURDEN_DEFINITIONS,
        BURDEN_FORMULA,
        BURDEN_WEIGHTS,
        analysis_graph,
        burden,
        burden_table,
    )

    with obj.store() as st:
        res = burden(analysis_graph(st, "burden"))
    names = list(BURDEN_WEIGHTS)
    rows = burden_table(res)
    _emit(["rank", "life_event", "index", "steps", *names], rows, fmt,
          {"formula": BURDEN_FORMULA, "weights": BURDEN_WEIGHTS,
           "definitions": BURDEN_DEFINITIONS, "life_events": [asdict(b) for b in res]})
    if fmt == "table":
        click.echo(BURDEN_FORMULA)


# -- insikt package --------------------------------------------------------------------------------

@click.group("package")
def package() -> None:
    """Insight packages: a self-contained slice of the graph in one zip (dataset, manifest
    with checksums, README in Swedish and English) to share and load elsewhere.

    \b
    Example:
      insikt package export --life-event nar-nagon-har-dott -o dodsfall.zip
      insikt package import dodsfall.zip
    """


@package.command("export")
@click.option("--life-event", "life_event", default=None,
              help="Package one life event with its insights, actors and journey.")
@click.option("--domain", default=None, help="Package every life event of one domain.")
@click.option("--agency", default=None,
              help="Package what one agency reports, applies and takes part in.")
@click.option("--all", "everything", is_flag=True, help="Package the whole graph.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="The zip file to write.")
@click.option("--title", default=None, help="Package title (default: from the selection).")
@pass_ctx
def package_export(obj: Ctx, life_event: str | None, domain: str | None, agency: str | None,
                   everything: bool, output: str, title: str | None) -> None:
    """Write an insight package of one life event, domain or agency, or of everything.

    \b
    Example:
      insikt package export --domain familj -o familj.zip
    """
    from loaders.package import Selection, export_package

    chosen = [(k, v) for k, v in (("life_event", life_event), ("domain", domain),
                                  ("agency", agency)) if v]
    if len(chosen) + int(everything) != 1:
        raise click.UsageError("choose exactly one of --life-event, --domain, --agency, --all")
    sel = Selection.parse("all" if everything else f"{chosen[0][0]}:{chosen[0][1]}")
    with obj.store() as st:
        info = export_package(st.to_networkx(), sel, output, title)
    nodes = ", ".join(f"{n} {label}" for label, n in info.counts["nodes"].items())
    click.echo(say("package.wrote", package=info.package_id, path=info.path, nodes=nodes))
    for w in info.warnings:
        click.echo(say("package.note", note=w), err=True)


@package.command("import")
@click.argument("zip_path", metavar="FILE.zip", type=click.Path(dir_okay=False))
@click.option("--max-member-mb", default=None, type=click.IntRange(min=1),
              help="Refuse a package with a file larger than this (MB). Default: "
                   "INSIKT_MAX_FILE_BYTES (64 MiB); the whole package is capped by "
                   "INSIKT_MAX_PACKAGE_BYTES.")
@click.option("--strict", is_flag=True, help=say("strict_help"))
@pass_ctx
def package_import(obj: Ctx, zip_path: str, max_member_mb: int | None, strict: bool) -> None:
    """Verify an insight package (manifest, checksums, safe names, sizes) and load it as
    its own dataset, named by the package id.

    \b
    Example:
      insikt package import dodsfall.zip
    """
    from loaders.package import import_package
    from loaders.resolve import resolution_rows

    cap = None if max_member_mb is None else max_member_mb * 1024 * 1024
    with obj.store() as st:
        res = import_package(st, zip_path, max_member_bytes=cap, strict=strict)
    echo_resolutions(res.package_id, resolution_rows(getattr(res.result, "resolutions", ())))
    click.echo(say("package.loaded", package=res.package_id, title=res.title,
                   created=res.created, tool=res.tool, nodes=res.result.nodes,
                   relationships=res.result.relationships))


# -- insikt report / import-notes -----------------------------------------------------------------

@click.command("report")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="File to write: .html (self-contained page) or .md (Markdown).")
@click.option("--lang", type=click.Choice(["sv", "en"]), default="sv", show_default=True,
              help="The report's language: its words and the names of agencies, insights "
                   "and the rest.")
@pass_ctx
def report_cmd(obj: Ctx, output: str, lang: str) -> None:
    """Write the governance report: overlap between agencies, most shared problems,
    suggested networks with agendas, principle and action gaps, the journey burden ranking
    and where the data comes from, in Swedish or English.

    \b
    Example:
      insikt report -o report.html
      insikt report --lang en -o report-en.md
    """
    from queries.report import write_report

    with obj.store() as st:
        path = write_report(st.to_networkx(), output, lang=lang)
    click.echo(say("wrote", path=path))


@click.command("import-notes")
@click.argument("notes", metavar="NOTES.md", type=click.Path(dir_okay=False))
@click.option("--register", "register", default=None, type=click.Path(dir_okay=False),
              help="ESV register (esv.json) for matching agency names (default: the file "
                   "in INSIKT_REGISTER; without one, only the loaded agencies).")
@click.option("--strict", is_flag=True, help=say("strict_help"))
@pass_ctx
def import_notes_cmd(obj: Ctx, notes: str, register: str | None, strict: bool) -> None:
    """Load workshop notes (Markdown: '# Title', 'Datum:', 'Arrangör:', 'Deltagare:' and
    bullets under '## Insikter') as proposed insights, reported by the participating
    agencies and traced to the notes. Names that match no agency are listed.

    \b
    Example:
      insikt import-notes tests/data/notes/ny-i-sverige-workshop.md
    """
    from loaders.notes import import_notes
    from loaders.resolve import resolution_rows

    with obj.store() as st:
        report = import_notes(st, notes, register, strict=strict)
    if report.result is not None:
        echo_resolutions(report.dataset_id,
                         resolution_rows(getattr(report.result, "resolutions", ())))
    click.echo(report.summary())
    for why in report.notes:
        click.echo(f"  {why}", err=True)
