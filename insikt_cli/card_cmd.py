"""`insikt card ID`: the printable insight card (queries.card) as HTML or Markdown."""

from __future__ import annotations

import click

from insikt_cli.context import Ctx, pass_ctx
from insikt_cli.messages import say

CARD_FORMAT_NAMES = ("html", "md")
"""queries.card.CARD_FORMATS, copied so that `--help` imports nothing heavy (a test compares)."""


@click.command("card")
@click.argument("insight_id", metavar="ID")
@click.option("--format", "fmt", type=click.Choice(CARD_FORMAT_NAMES), default="html",
              show_default=True, help="html: one printable, self-contained page; md: Markdown.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="File to write (default: print to stdout).")
@click.option("--lang", type=click.Choice(("sv", "en")), default="sv", show_default=True,
              help="Language of the card's headings and of the names (falling back to "
              "Swedish where the data has no English).")
@pass_ctx
def card(obj: Ctx, insight_id: str, fmt: str, output: str | None, lang: str) -> None:
    """Write the card of one insight: statement, evidence, reporters, principles, journey steps.

    An unknown ID exits with code 6 and the closest ids ("did you mean").

    \b
    Example:
      insikt card kunden-far-agera-kurir -o kurir.html
      insikt card kunden-far-agera-kurir --format md --lang en
    """
    from pathlib import Path

    from queries.card import build_card, render_card

    with obj.store() as st:
        text = render_card(build_card(st.to_networkx(), insight_id, lang), fmt)
    if output is None:
        click.echo(text, nl=False)
        return
    Path(output).write_text(text, encoding="utf-8")
    click.echo(say("card.wrote", id=insight_id, path=output))
