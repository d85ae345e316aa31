"""Small text and table helpers of the pages: escaping for Streamlit markdown, shortening,
name lists, and rows as tables, CSV and JSON downloads."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Sequence
from typing import Any

import pandas as pd

from graph.model import Label
from queries import texts
from queries.views import Names

Row = dict[str, Any]

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>$:])")

def escape_md(text: Any) -> str:
    """Data made inert for st.markdown / st.caption / st.subheader: HTML special characters
    become entities and markdown punctuation is backslash-escaped (no links, images, HTML)."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(str(text), quote=False))

def short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"

def name_list(names: Sequence[str], limit: int = 5) -> tuple[str, int]:
    """The names sorted case-insensitively and joined by ", ": all of them when there are at
    most `limit` + 1 (no "and 1 more"), else the first `limit`; and how many were left out."""
    ordered = sorted(names, key=str.casefold)
    if len(ordered) <= limit + 1:
        return ", ".join(ordered), 0
    return ", ".join(ordered[:limit]), len(ordered) - limit

def cell(value: Any) -> Any:
    """Lists become '; '-joined text, so tables and CSV show them in one cell."""
    if isinstance(value, list | tuple | set):
        return "; ".join(str(v) for v in value)
    return value

def frame(rows: Sequence[Row], columns: Sequence[str]) -> pd.DataFrame:
    return pd.DataFrame([{c: cell(r.get(c)) for c in columns} for r in rows], columns=list(columns))

def to_csv(df: pd.DataFrame) -> bytes:
    """CSV with a BOM, so that spreadsheet programs read å, ä and ö right."""
    buf = io.StringIO()
    df.to_csv(buf, index=False, quoting=csv.QUOTE_MINIMAL)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")

def to_json(rows: Sequence[Row]) -> bytes:
    return json.dumps(list(rows), ensure_ascii=False, indent=2, default=str).encode("utf-8")

def journey_lanes(rows: Sequence[Row], names: Names, lang: str) -> pd.DataFrame:
    """The journey as a step → actor lane frame for a chart: one row per step, with the
    actor's lane position in order of first appearance."""
    lanes: dict[str, int] = {}
    out = []
    for r in rows:
        lanes.setdefault(r["agency"], len(lanes))
        action = r.get("action_en") if lang == "en" and r.get("action_en") else r.get("action")
        out.append({"step": int(r["step_order"]), "actor": names.get(Label.AGENCY, r["agency"]),
                    "lane": lanes[r["agency"]], "action": str(action or ""),
                    "documents": len(r.get("carries") or []),
                    "feedback": str(r.get("feedback") or "immediate"),
                    "handoff": bool(r.get("handoff"))})
    return pd.DataFrame(out, columns=["step", "actor", "lane", "action", "documents", "feedback",
                                      "handoff"])


def number(value: float | int, lang: str, decimals: int = 3) -> str:
    """A number written the language's way (Babel, `queries.texts.number`): 0,158 in Swedish."""
    return texts.number(value, lang, decimals)


def percent(share: float, lang: str, decimals: int = 1) -> str:
    return texts.percent(share, lang, decimals)


def localize_numbers(df: pd.DataFrame, lang: str, decimals: int = 3) -> pd.DataFrame:
    """The frame as the page shows it: every column of decimal numbers written the language's
    way (0,158 in Swedish), as text right-aligned by the table. Whole numbers and the CSV
    download (made from the unformatted frame) stay numbers."""
    out = df.copy()
    for i, dtype in enumerate(out.dtypes):
        if pd.api.types.is_float_dtype(dtype):
            out.isetitem(i, [("" if pd.isna(v) else number(float(v), lang, decimals))
                             for v in out.iloc[:, i]])
    return out
