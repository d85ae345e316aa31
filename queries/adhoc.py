"""Ad-hoc Cypher from analysts, treated as untrusted: read-only, time-limited, row-capped.

Defences, in layers, so that one gap is not enough:

1. a text screen: no `LOAD CSV` (it reads files and URLs), no `CALL` of any procedure outside a
   small read-only allow-list, no transaction killing, no `USE` of another database, and no
   `SHOW` beyond indexes, constraints, procedures and functions;
2. Neo4j's own plan: `EXPLAIN` must say the query is read-only (query type 'r'), which also
   catches writes hidden in `CALL { ... }` subqueries and schema or admin commands;
3. the run itself: a read transaction in a read-only session with read routing, a server-side
   time limit and a row cap, so even a bypass cannot write or run for ever.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from graph.errors import QueryRefused
from graph.store import GraphStore

DEFAULT_TIMEOUT = 10.0
DEFAULT_ROW_CAP = 1000
EXAMPLE = "MATCH (a:Agency) RETURN a.id AS id, a.name AS name LIMIT 25"
"""What the dashboard's Cypher console starts with."""

ALLOWED_PROCEDURES = (
    "db.labels",
    "db.relationshipTypes",
    "db.propertyKeys",
    "db.schema.visualization",
    "db.schema.nodeTypeProperties",
    "db.schema.relTypeProperties",
    "db.index.fulltext.queryNodes",
)
"""The procedures ad-hoc Cypher may CALL: read-only schema and full-text search."""
_ALLOWED_LOWER = frozenset(p.lower() for p in ALLOWED_PROCEDURES)

ALLOWED_SHOW = frozenset({"index", "indexes", "constraint", "constraints", "procedure",
                          "procedures", "function", "functions"})

READ_ONLY_HINT = "Ad-hoc Cypher is read-only; use `insikt load` to change data."

_LOAD_CSV = re.compile(r"\bLOAD\s+CSV\b", re.IGNORECASE)
_TERMINATE = re.compile(r"\bTERMINATE\s+TRANSACTIONS?\b", re.IGNORECASE)
_USE = re.compile(r"(?:^|[{;])\s*USE\s+\S", re.IGNORECASE)
_SHOW = re.compile(r"^\s*SHOW\s+((?:[A-Za-z_]+\s+){0,3}[A-Za-z_]+)", re.IGNORECASE)
_LEADING_MODE = re.compile(r"^\s*(EXPLAIN|PROFILE)\b", re.IGNORECASE)
_CALL = re.compile(r"\bCALL\b", re.IGNORECASE)
_NAME_PART = r"(?:`[^`]*`|[A-Za-z_][A-Za-z0-9_]*)"
_PROC_NAME = re.compile(rf"{_NAME_PART}(?:\s*\.\s*{_NAME_PART})*")
_RAW_CALL = re.compile(rf"\bCALL\s+({_NAME_PART}(?:\s*\.\s*{_NAME_PART})*)\s*\(", re.IGNORECASE)
_WRITE_CLAUSE = re.compile(r"\b(DETACH\s+DELETE|CREATE|MERGE|SET|DELETE|REMOVE|FOREACH)\b",
                           re.IGNORECASE)


@dataclass(frozen=True)
class AdhocResult:
    """What an ad-hoc query returned, and a note for people when rows were cut off."""

    columns: list[str]
    rows: list[dict[str, Any]] = field(default_factory=list)
    truncated: bool = False
    message: str = ""


def code_only(text: str) -> str:
    """The query with string literals emptied and comments blanked, for keyword scanning.

    Comments become a space so that `LOAD/**/CSV` still reads as two words.
    """
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in "'\"":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            out.append(c + c)
            i = j + 1
        elif c == "`":
            j = text.find("`", i + 1)
            j = n if j < 0 else j
            out.append(text[i:j + 1])
            i = j + 1
        elif text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
            out.append(" ")
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            i = n if j < 0 else j + 2
            out.append(" ")
        else:
            out.append(c)
            i += 1
    return "".join(out)


def _proc_name(raw: str) -> str:
    return re.sub(r"[\s`]", "", raw)


def screen(text: str) -> None:
    """Layer 1: refuse what the text alone shows to be unsafe (raises QueryRefused)."""
    code = code_only(text)
    if not code.strip():
        raise QueryRefused("refused: the query is empty")
    if _LOAD_CSV.search(code) or _LOAD_CSV.search(text):
        raise QueryRefused("refused: LOAD CSV reads files and URLs on the server and is not "
                           f"allowed. {READ_ONLY_HINT}")
    if _LEADING_MODE.match(code):
        raise QueryRefused("refused: EXPLAIN and PROFILE are not supported here; give the "
                           "query itself")
    if _TERMINATE.search(code):
        raise QueryRefused("refused: TERMINATE TRANSACTIONS stops other people's work and is "
                           "not allowed")
    if _USE.search(code):
        raise QueryRefused("refused: USE (another database) is not allowed; ad-hoc Cypher runs "
                           "on the configured database (NEO4J_DATABASE)")
    show = _SHOW.match(code)
    if show and not set(show.group(1).lower().split()) & ALLOWED_SHOW:
        raise QueryRefused(f"refused: SHOW {show.group(1).split()[0].upper()} is an "
                           "administration command; only SHOW INDEXES, CONSTRAINTS, "
                           "PROCEDURES and FUNCTIONS are allowed")
    names: list[str] = []
    for m in _CALL.finditer(code):
        rest = code[m.end():].lstrip()
        if not rest or rest[0] in "{(":
            continue  # a subquery, CALL { ... } or CALL (x) { ... }: checked by the plan
        proc = _PROC_NAME.match(rest)
        names.append(_proc_name(proc.group(0)) if proc else rest.split()[0])
    names.extend(_proc_name(m.group(1)) for m in _RAW_CALL.finditer(text))
    for name in names:
        if name.lower() not in _ALLOWED_LOWER:
            raise QueryRefused(
                f"refused: CALL {name} is not allowed. Ad-hoc Cypher may call only "
                f"{', '.join(ALLOWED_PROCEDURES)}. {READ_ONLY_HINT}")


def write_clause(text: str) -> str:
    """The first write clause in the query, to name it in the refusal ('' if none is seen)."""
    m = _WRITE_CLAUSE.search(code_only(text))
    return re.sub(r"\s+", " ", m.group(1).upper()) if m else ""


def check_plan(query_type: str, text: str) -> None:
    """Layer 2: Neo4j's plan must be read-only ('r')."""
    if query_type == "r":
        return
    if query_type == "s":
        raise QueryRefused("refused: the query is a schema or administration command (such as "
                           f"CREATE INDEX, DROP CONSTRAINT or CREATE USER). {READ_ONLY_HINT}")
    if query_type in ("w", "rw"):
        clause = write_clause(text)
        what = f"the query writes ({clause})" if clause else "the query writes"
        raise QueryRefused(f"refused: {what}. {READ_ONLY_HINT}")
    raise QueryRefused(f"refused: Neo4j could not confirm that the query only reads "
                       f"(query type '{query_type or 'unknown'}'). {READ_ONLY_HINT}")


def run_cypher(store: GraphStore, text: str, params: dict[str, Any] | None = None,
               timeout: float = DEFAULT_TIMEOUT, row_cap: int = DEFAULT_ROW_CAP) -> AdhocResult:
    """Run an analyst's Cypher on Neo4j behind the three layers in this module's docstring."""
    if row_cap < 1:
        raise QueryRefused(f"refused: the row limit must be at least 1, not {row_cap}")
    if timeout <= 0:
        raise QueryRefused(f"refused: the timeout must be positive, not {timeout:g} s")
    params = dict(params or {})
    screen(text)
    check_plan(store.explain(text, params, timeout=timeout), text)
    columns, rows, truncated = store.run_read(text, params, timeout=timeout, row_cap=row_cap)
    message = ""
    if truncated:
        message = f"showing the first {row_cap:,} rows; add LIMIT to the query to choose which"
    return AdhocResult(columns, rows, truncated, message)
