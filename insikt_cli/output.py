"""Printing result rows as a table, CSV or JSON (shared by `insikt query` and `insikt cypher`)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

import click

from graph.errors import QueryRefused

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


def rows_to_table(columns: Sequence[str], rows: Sequence[dict[str, Any]], width: int = 48) -> str:
    texts = [[cell(r.get(c)) for c in columns] for r in rows]
    texts = [[t if len(t) <= width else t[: width - 1] + "…" for t in row] for row in texts]
    widths = [max([len(c), *(len(row[i]) for row in texts)]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(t.ljust(w) for t, w in zip(row, widths, strict=True)).rstrip()
              for row in texts]
    return "\n".join(lines)


def print_rows(columns: Sequence[str], rows: Sequence[dict[str, Any]], fmt: str, *,
               full: Any = None, width: int = 48, count: bool = True) -> None:
    """Rows as a table or CSV; JSON prints `full` (every detail) when given, else the rows."""
    if fmt == "json":
        doc = full if full is not None else [{c: r.get(c) for c in columns} for r in rows]
        click.echo(json.dumps(doc, ensure_ascii=False, indent=2, default=str))
    elif fmt == "csv":
        click.echo(rows_to_csv(columns, rows), nl=False)
    else:
        click.echo(rows_to_table(columns, rows, width))
        if count:
            click.echo(f"({len(rows)} rows)")


def split_params(items: tuple[str, ...], example: str) -> dict[str, str]:
    """`-p key=value` pairs, as text; callers type the values."""
    out: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise QueryRefused(f"parameter '{item}' must look like key=value, e.g. -p {example}")
        out[key.strip()] = value
    return out
