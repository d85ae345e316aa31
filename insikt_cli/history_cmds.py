"""`insikt diff`, `insikt history` and `insikt show`: what a load would change, what each
load changed, and where a node's values come from. The work is in loaders.history and the
stores; this module only prints."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import click

from insikt_cli.context import Ctx, pass_ctx
from insikt_cli.messages import say

if TYPE_CHECKING:
    from graph.changes import ChangeSet

DIFF_SHOWN = 200
"""Entry changes printed as text (the JSON has them all); the summary counts every one."""


def print_changes(cs: ChangeSet, fmt: str) -> None:
    """A ChangeSet as text (summary, then one line per entry) or JSON."""
    if fmt == "json":
        click.echo(json.dumps(cs.as_dict(), ensure_ascii=False, indent=2))
        return
    s = cs.summary()
    click.echo(say("diff.summary", dataset=cs.dataset, **s))
    if cs.empty:
        click.echo(say("diff.none") if not cs.header_changed else say("diff.header_only"))
        return
    changes = cs.changes()
    marks = {"added": "+", "removed": "-", "changed": "~"}
    for c in changes[:DIFF_SHOWN]:
        fields = f"  ({', '.join(c.fields)})" if c.fields else ""
        click.echo(f"  {marks[c.action]} {c.kind:<12} {c.key}{fields}")
    if len(changes) > DIFF_SHOWN:
        click.echo(say("diff.more", n=len(changes) - DIFF_SHOWN))


@click.command("diff")
@click.argument("path", type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text for people, json for tools.")
@pass_ctx
def diff_cmd(obj: Ctx, path: str, fmt: str) -> None:
    """Show what loading a dataset folder (or package .zip) would add, remove and change.

    Compared with what is loaded of the same dataset, entry by entry: each node and
    relationship added, removed or changed, with the changed fields named. Nothing is
    written (the same as `insikt load --dry-run`).

    \b
    Example:
      insikt diff seed_data
      insikt diff seed_data --format json
    """
    from loaders.history import diff_path

    with obj.store() as st:
        print_changes(diff_path(st, path), fmt)


@click.command("history")
@click.argument("dataset", required=False)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="Output format.")
@pass_ctx
def history_cmd(obj: Ctx, dataset: str | None, fmt: str) -> None:
    """List the recorded loads and unloads (of one dataset, or of all).

    Each version has its content hash, time, who loaded it (`insikt load --by`, default
    the OS user), its counts and what it added, removed and changed.

    \b
    Example:
      insikt history seed
      insikt history --format json
    """
    from insikt_cli.output import print_rows

    with obj.store() as st:
        rows = st.load_versions(dataset)
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo(say("history.none"))
        return
    shown: list[dict[str, Any]] = []
    for r in rows:
        s = r.get("summary") or {}
        shown.append({
            "version": r["version"], "dataset": r["dataset"], "action": r["action"],
            "at": r["at"], "by": r["by"], "nodes": r["nodes"], "relationships": r["relationships"],
            "added": s.get("added_nodes", 0) + s.get("added_relationships", 0) if s else None,
            "removed": s.get("removed_nodes", 0) + s.get("removed_relationships", 0) if s else None,
            "changed": s.get("changed_nodes", 0) + s.get("changed_relationships", 0) if s else None,
            "hash": (r.get("content_hash") or "")[:12]})
    columns = ("version", "dataset", "action", "at", "by", "nodes", "relationships", "added",
               "removed", "changed", "hash")
    print_rows(columns, shown, "table", width=40, count=False,
               headers=[say(f"history.col.{c}") for c in columns])


@click.command("show")
@click.argument("kind")
@click.argument("node_id", metavar="ID")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text for people, json for tools.")
@pass_ctx
def show_cmd(obj: Ctx, kind: str, node_id: str, fmt: str) -> None:
    """Print one node with each property's value and the dataset it comes from.

    When several datasets define a node, each field takes the value of the dataset with
    the best precedence (curation > curated > register; ties: the lower dataset id).

    \b
    Example:
      insikt show agency kronofogdemyndigheten
      insikt show insight langa-handlaggningstider --format json
    """
    from insikt_cli.output import cell
    from loaders.history import show_node

    with obj.store() as st:
        view = show_node(st, kind, node_id)
    if fmt == "json":
        click.echo(json.dumps(view.as_dict(), ensure_ascii=False, indent=2))
        return
    click.echo(say("show.head", label=view.label, id=view.id,
                   datasets=", ".join(f"{d} ({view.precedence[d]})" for d in sorted(view.entries))))
    width = max([8, *(len(k) for k in view.properties)])
    for name, value in view.properties.items():
        text = cell(value)
        text = text if len(text) <= 60 else text[:59] + "…"
        click.echo(f"  {name:<{width}}  {text:<60}  {view.provenance.get(name, '')}")
