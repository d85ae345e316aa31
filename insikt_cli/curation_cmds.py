"""CLI commands for matching and curation: `insikt match` (proposals, review files, --apply)
and `insikt review` (the proposed insights; accept, merge, reject).

The library does the work (`queries.match`, `loaders.curation`); these commands parse options
and print. Library imports stay inside the functions, so `insikt --help` stays light.
"""

from __future__ import annotations

import click

from insikt_cli.context import Ctx, pass_ctx
from insikt_cli.messages import say
from insikt_cli.output import FORMATS, print_rows

MATCH_COLUMNS = ("a", "b", "score", "reason", "a_title", "b_title")
REVIEW_COLUMNS = ("insight", "title", "datasets", "sources", "reported_by", "suggested")
_BY_HELP = "Who decides (default: the OS user)."
_WHY_HELP = "Why: a note stored with the decision."


def _datasets(text: str | None) -> list[str] | None:
    if not text:
        return None
    return [d.strip() for d in text.split(",") if d.strip()] or None


@click.command("match")
@click.option("--min-score", default=None, type=click.FloatRange(0.0, 1.0),
              help="Propose only pairs scoring at least this (0–1; default 0.54, chosen on "
                   "the labelled fixture, docs/matching.md).")
@click.option("--limit", default=None, type=click.IntRange(min=1),
              help="At most this many proposals (best first).")
@click.option("--datasets", default=None,
              help="Only insights of these datasets, comma-separated (e.g. seed,notes).")
@click.option("--insight", default=None, help="Only pairs with this insight (id).")
@click.option("--include-decided", is_flag=True,
              help="Also propose pairs a curator has already decided on.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table",
              show_default=True, help="table, CSV, or JSON (a list of {a, b, score, reason, …}).")
@click.option("-o", "--output", default=None, type=click.Path(dir_okay=False),
              help="Write the proposals to a review file (YAML) for a curator to mark.")
@click.option("--apply", "apply_file", default=None, type=click.Path(dir_okay=False),
              help="Record the decisions of a filled-in review file instead of proposing.")
@click.option("--by", default=None, help=_BY_HELP)
@pass_ctx
def match_cmd(obj: Ctx, min_score: float | None, limit: int | None, datasets: str | None,
              insight: str | None, include_decided: bool, fmt: str, output: str | None,
              apply_file: str | None, by: str | None) -> None:
    """Propose pairs of insights from different datasets that describe the same customer
    problem, or record a curator's decisions on them (--apply).

    Each proposal has a score (0–1) and a reason: text similarity of the Swedish and
    English titles and statements (TF-IDF over words and character n-grams, plus shared
    word stems), and the life events and general insights the two share. A review file
    (-o) lists the pairs with an empty `decision` to set to same, related or different;
    --apply records them with who and when. `same` links the two as one problem
    (SAME_PROBLEM). See docs/matching.md.

    \b
    Example:
      insikt match --datasets seed,workshop --format json
      insikt match -o review.yaml && insikt match --apply review.yaml --by anna
    """
    from loaders.curation import apply_review_file, write_review_file
    from queries.match import DEFAULT_MIN_SCORE, MatchOptions, propose

    with obj.store() as st:
        if apply_file:
            res = apply_review_file(st, apply_file, by=by)
            click.echo(say("match.applied", n=len(res.recorded), file=apply_file))
            click.echo(res.summary())
            return
        options = MatchOptions(min_score=DEFAULT_MIN_SCORE if min_score is None else min_score,
                               limit=limit, datasets=_datasets(datasets), insight=insight,
                               include_decided=include_decided)
        proposals = propose(st.to_networkx(), options)
    rows = [p.as_row() for p in proposals]
    if output:
        path = write_review_file(proposals, output)
        click.echo(say("match.wrote", n=len(rows), path=path))
        return
    print_rows(MATCH_COLUMNS, rows, fmt, full=rows, width=60)


@click.group("review", invoke_without_command=True)
@click.option("--status", default="proposed", show_default=True,
              type=click.Choice(["proposed", "disputed", "superseded", "active"]),
              help="Which insights to list.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table",
              show_default=True, help="table, CSV, or JSON with every detail.")
@click.pass_context
def review_group(ctx: click.Context, status: str, fmt: str) -> None:
    """List the proposed insights with their provenance and suggested matches, and accept,
    merge or reject them.

    Provenance is the datasets that define an insight, its sources and its reporters;
    suggestions are the `insikt match` proposals that involve it. Each decision is stored
    with who (--by, default the OS user), when and why (--why), survives reloads and
    travels in packages: accept makes the insight active, merge links it to another as the
    same problem (SAME_PROBLEM) and makes it active, reject marks it disputed.

    \b
    Example:
      insikt review
      insikt review accept ny-i-sverige-1 --why "seen in two workshops"
      insikt review merge ny-i-sverige-2 --into flyttanmalan-oklar --by anna
      insikt review reject ny-i-sverige-3 --why "not a customer problem"
    """
    if ctx.invoked_subcommand is not None:
        return
    from loaders.curation import proposed_rows
    from queries.match import MatchOptions, propose

    obj = ctx.find_object(Ctx)
    assert obj is not None
    with obj.store() as st:
        g = st.to_networkx()
    rows = proposed_rows(g, [p.as_row() for p in propose(g, MatchOptions())], status)
    if not rows and fmt == "table":
        click.echo(say("review.none", status=status))
        return
    print_rows(REVIEW_COLUMNS, rows, fmt, full=rows, width=50)


def _decide(obj: Ctx, action: str, insight: str, into: str | None, by: str | None,
            why: str) -> None:
    from loaders.curation import review_action

    with obj.store() as st:
        res = review_action(st, action, insight, into=into, by=by, why=why)
    decision = res.recorded[0]
    click.echo(say(f"review.{action}", insight=insight, into=into or "", by=decision.by,
                   at=decision.at))
    click.echo(res.summary())


@review_group.command("accept")
@click.argument("insight")
@click.option("--by", default=None, help=_BY_HELP)
@click.option("--why", default="", help=_WHY_HELP)
@pass_ctx
def review_accept(obj: Ctx, insight: str, by: str | None, why: str) -> None:
    """Accept a proposed insight: it becomes active and counts in the overlap.

    \b
    Example:
      insikt review accept ny-i-sverige-1 --why "confirmed by two agencies"
    """
    _decide(obj, "accept", insight, None, by, why)


@review_group.command("merge")
@click.argument("insight")
@click.option("--into", "into", required=True, help="The insight it is the same problem as.")
@click.option("--by", default=None, help=_BY_HELP)
@click.option("--why", default="", help=_WHY_HELP)
@pass_ctx
def review_merge(obj: Ctx, insight: str, into: str, by: str | None, why: str) -> None:
    """Merge an insight into another: linked as the same problem (SAME_PROBLEM), and active.

    \b
    Example:
      insikt review merge ny-i-sverige-2 --into flyttanmalan-oklar --by anna
    """
    _decide(obj, "merge", insight, into, by, why)


@review_group.command("reject")
@click.argument("insight")
@click.option("--by", default=None, help=_BY_HELP)
@click.option("--why", default="", help=_WHY_HELP)
@pass_ctx
def review_reject(obj: Ctx, insight: str, by: str | None, why: str) -> None:
    """Reject a proposed insight: it is marked disputed and left out of the overlap.

    \b
    Example:
      insikt review reject ny-i-sverige-3 --why "not a customer problem"
    """
    _decide(obj, "reject", insight, None, by, why)
