"""One root exception type, so that the edges (CLI, dashboard) can catch everything we raise.

Library code raises these with precise, structured details; only the CLI and the dashboard
turn them into prose for people.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType


def close_matches(word: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    """The candidates that look most like `word`, best first, for a "did you mean" hint.

    None for a very long word: no sensible suggestion exists, and difflib is quadratic in the
    length (a hostile value must not make an error message slow)."""
    if len(word) > 200:
        return []
    return difflib.get_close_matches(word, list(candidates), n=n, cutoff=0.6)


class InsiktError(Exception):
    """Root of every error Insiktsgrafen raises on purpose.

    The message (`str(exc)`) is English, for logs and the CLI. `kind` names the case in a
    stable word (e.g. "param_type") and `details` holds its facts (e.g. {"name": "limit"}), so
    that an edge can say the same in another language without parsing the message: the
    dashboard has a text per class and per kind (dashboard/i18n.py `error_text`). A raise
    without a kind still gets its class's text there, with the message as its detail."""

    exit_code = 1
    kind: str = ""
    details: Mapping[str, object] = MappingProxyType({})

    def __init__(self, *args: object, kind: str = "", **details: object) -> None:
        super().__init__(*args)
        if kind:
            self.kind = kind
        if details:
            self.details = MappingProxyType(dict(details))


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a dataset, located as precisely as we can."""

    file: str
    entry: str
    field: str
    message: str
    hint: str = ""

    def __post_init__(self) -> None:
        # One line per problem, and never a huge one, whatever the input held: each part is
        # flattened onto one line and cut to a bounded length (docs/reliability.md).
        for name in ("file", "entry", "field", "message", "hint"):
            object.__setattr__(self, name, _one_line(str(getattr(self, name))))

    def __str__(self) -> str:
        where = f"{self.file}: {self.entry}"
        if self.field:
            where += f": {self.field}"
        text = f"{where}: {self.message}"
        if self.hint:
            text += f" (hint: {self.hint})"
        return text


PROBLEM_PART_MAX = 400


def _one_line(text: str, limit: int = PROBLEM_PART_MAX) -> str:
    """`text` on one line (control characters become spaces), at most `limit` characters."""
    if len(text) > 4 * limit:
        text = text[: 4 * limit]  # enough to cut from, without scanning a huge text
        more = True
    else:
        more = False
    if not text.isprintable():
        text = "".join(ch if ch.isprintable() else " " for ch in text)
    if len(text) > limit or more:
        text = text[:limit] + "…"
    return text


class ValidationFailed(InsiktError):
    """A dataset is invalid; nothing was written. Carries every problem found."""

    exit_code = 2

    def __init__(self, problems: list[Problem], source: str = "") -> None:
        self.problems = list(problems)
        self.source = source
        noun = "problem" if len(problems) == 1 else "problems"
        super().__init__(f"{source or 'dataset'} has {len(problems)} {noun}")


class SettingError(InsiktError):
    """A setting (an environment variable such as NEO4J_URI) has a value that cannot be used."""

    exit_code = 2


class BackendUnavailable(InsiktError):
    """The configured graph backend cannot be reached (e.g. Neo4j is down)."""

    exit_code = 3


class QueryRefused(InsiktError):
    """An ad-hoc or saved query was refused before it ran (writes, admin calls, bad params)."""

    exit_code = 4


class CypherSyntaxError(QueryRefused):
    """The server cannot parse (or make sense of) an analyst's Cypher. The position is in the
    analyst's own text, as they wrote it: `offset` counts characters from its start (0-based),
    `line` and `column` count from 1, lines end at "\\n". `reason` is the server's message
    without its position; `excerpt()` is the line with a caret under the column."""

    def __init__(self, reason: str, query: str, offset: int) -> None:
        self.reason = reason
        self.query = query
        self.offset = max(0, min(offset, len(query)))
        self.line = query.count("\n", 0, self.offset) + 1
        self.column = self.offset - (query.rfind("\n", 0, self.offset) + 1) + 1
        text = (f"refused: Neo4j cannot run this query: {reason} (line {self.line}, column "
                f"{self.column} (offset: {self.offset}))")
        super().__init__(f"{text}\n{self.excerpt(indent='  ')}")

    def excerpt(self, width: int = 120, indent: str = "") -> str:
        """The analyst's line (at most `width` characters around the column) and a caret
        under the column; tabs are kept and wide characters count double, so the caret
        lines up in a terminal or a code block. Control characters are shown as '?'."""
        start = self.offset - (self.column - 1)
        end = self.query.find("\n", start)
        line = self.query[start:] if end < 0 else self.query[start:end]
        line = line.rstrip("\r")
        col = self.column - 1
        first = max(0, min(col - width // 2, len(line) - width))
        shown = "".join(ch if ch.isprintable() or ch == "\t" else "?"
                        for ch in line[first:first + width])
        pad = "".join("\t" if ch == "\t" else " " * _cells(ch) for ch in shown[:col - first])
        return f"{indent}{shown}\n{indent}{pad}^"


def _cells(ch: str) -> int:
    """Terminal cells a character takes: two for East Asian wide and full-width ones."""
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


class QueryFailed(InsiktError):
    """A query ran but failed, e.g. it hit its timeout."""

    exit_code = 5


class StoreError(InsiktError):
    """The local store file is unreadable or a store operation cannot be done."""

    exit_code = 1


class BadStoreFile(StoreError):
    """The store file is not an Insiktsgrafen store, is damaged, or has another schema
    version: bad input, like an invalid dataset (exit 2); nothing was written."""

    exit_code = 2


class NotFound(InsiktError):
    """A named thing (dataset, query, node) does not exist."""

    exit_code = 6


def exit_codes() -> dict[int, list[type[InsiktError]]]:
    """Every exit code the error classes define, with the classes that use it (every class
    imported so far: `InsiktError` and its subclasses, wherever they are declared). The CLI's
    help lists exactly these, so a new code cannot be left out of it."""
    found: dict[int, list[type[InsiktError]]] = {}
    todo: list[type[InsiktError]] = [InsiktError]
    while todo:
        cls = todo.pop(0)
        found.setdefault(cls.exit_code, []).append(cls)
        todo.extend(cls.__subclasses__())
    return dict(sorted(found.items()))
