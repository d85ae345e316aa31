"""Printing rows as a table, CSV or JSON: the one table printer of every command.

Column widths come from the widest cell (so long ids do not push the columns out of line),
numbers are right-aligned, and long cells are cut with '…' at `width` characters."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

import click

from graph.errors import QueryRefused
from insikt_cli.messages import count as count_of
from insikt_cli.messages import say

FORMATS = ("table", "csv", "json")


def cell(value: Any) -> str:
    """One value as text: lists joined with '; ', None as empty."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(cell(v) for v in value)
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def rows_to_csv(columns: Sequence[str], rows: Sequence[dict[str, Any]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    for r in rows:
        writer.writerow([cell(r.get(c)) for c in columns])
    return buf.getvalue()


def _numeric(values: list[Any]) -> bool:
    present = [v for v in values if v is not None]
    return bool(present) and all(isinstance(v, int | float) and not isinstance(v, bool)
                                 for v in present)


def rows_to_table(columns: Sequence[str], rows: Sequence[dict[str, Any]], width: int = 48, *,
                  headers: Sequence[str] | None = None) -> str:
    """An aligned text table; `headers` (default: the column names) head the columns."""
    heads = list(headers) if headers is not None else list(columns)
    texts = [[cell(r.get(c)) for c in columns] for r in rows]
    texts = [[t if len(t) <= width else t[: width - 1] + "…" for t in row] for row in texts]
    widths = [max([len(h), *(len(row[i]) for row in texts)]) for i, h in enumerate(heads)]
    right = [_numeric([r.get(c) for r in rows]) for c in columns]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(t.rjust(w) if r else t.ljust(w)
                         for t, w, r in zip(cells, widths, right, strict=True)).rstrip()

    lines = [line(heads), "  ".join("-" * w for w in widths)]
    lines += [line(row) for row in texts]
    return "\n".join(lines)


def print_rows(columns: Sequence[str], rows: Sequence[dict[str, Any]], fmt: str, *,
               full: Any = None, width: int = 48, count: bool = True,
               headers: Sequence[str] | None = None) -> None:
    """Rows as a table or CSV; JSON prints `full` (every detail) when given, else the rows."""
    if fmt == "json":
        doc = full if full is not None else [{c: r.get(c) for c in columns} for r in rows]
        click.echo(json.dumps(doc, ensure_ascii=False, indent=2, default=str))
    elif fmt == "csv":
        click.echo(rows_to_csv(columns, rows), nl=False)
    else:
        click.echo(rows_to_table(columns, rows, width, headers=headers))
        if count:
            click.echo(count_of(len(rows), "rows"))


def split_params(items: tuple[str, ...], example: str) -> dict[str, str]:
    """`-p key=value` pairs, as text; callers type the values."""
    out: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise QueryRefused(say("param_format", item=item, example=example))
        out[key.strip()] = value
    return out


RESOLUTION_COLUMNS = ("local_id", "agency_id", "how", "origin", "matched")


def echo_resolutions(dataset: str, rows: Sequence[dict[str, Any]]) -> None:
    """The agency resolution table of a load (loaders.resolve.resolution_rows)."""
    if not rows:
        return
    shown = [{**r, "how": say(f"how.{r['how']}")} for r in rows]
    click.echo(say("resolved", dataset=dataset, n=len(rows)))
    click.echo(rows_to_table(RESOLUTION_COLUMNS, shown,
                             headers=[say(f"col.{c}") for c in RESOLUTION_COLUMNS]))
