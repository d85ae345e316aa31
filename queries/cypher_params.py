"""The `$parameters` of an analyst's Cypher, found by a tokenizer, and their typed values.

The console offers one input per parameter. A text search for `$` would also find dollars in
strings, comments and quoted names; this reads the text the way Cypher's lexer does (string
literals with their escapes, backtick names with doubled backticks, `//` and `/* */`
comments) and reports only real parameter tokens: `$name`, `` $`any name` `` and `$0`.
It decides nothing about safety: the server parses and checks every query
(`queries.adhoc.run_cypher`); a parameter this missed only means the server asks for it.
"""

from __future__ import annotations

import json
import math
from typing import Any

from graph.errors import QueryRefused

PARAM_TYPES = ("str", "int", "float", "bool", "list")
MAX_PARAMS = 30


def _ident_start(ch: str) -> bool:
    return ch.isalpha() or ch == "_"


def _ident_part(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def parameter_names(text: str) -> list[str]:
    """The parameter names in `text`, in order of first use, each once."""
    return list(_scan(text))[:MAX_PARAMS]


def suggested_types(text: str) -> dict[str, str]:
    """A first type for each parameter: `int` after LIMIT or SKIP (where Cypher wants a
    whole number), else `str`; the analyst can change it."""
    return {name: ("int" if word in ("LIMIT", "SKIP") else "str")
            for name, word in list(_scan(text).items())[:MAX_PARAMS]}


def _scan(text: str) -> dict[str, str]:
    """Parameter name → the word before its first use (upper case), in order of first use."""
    out: dict[str, str] = {}
    word = ""
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in ("'", '"'):
            i += 1
            while i < n and text[i] != ch:
                i += 2 if text[i] == "\\" else 1
            i += 1
            word = ""
        elif ch == "`":
            i += 1
            while i < n:
                if text[i] == "`":
                    if i + 1 < n and text[i + 1] == "`":
                        i += 2
                        continue
                    break
                i += 1
            i += 1
            word = ""
        elif text.startswith("//", i):
            while i < n and text[i] not in "\r\n":
                i += 1
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
        elif ch == "$" and i + 1 < n:
            j = i + 1
            if text[j] == "`":
                name, j = [], j + 1
                while j < n:
                    if text[j] == "`":
                        if j + 1 < n and text[j + 1] == "`":
                            name.append("`")
                            j += 2
                            continue
                        break
                    name.append(text[j])
                    j += 1
                if j < n and name:
                    out.setdefault("".join(name), word)
                i = j + 1
            elif _ident_start(text[j]):
                while j < n and _ident_part(text[j]):
                    j += 1
                out.setdefault(text[i + 1:j], word)
                i = j
            elif text[j].isdigit():
                while j < n and text[j].isdigit():
                    j += 1
                out.setdefault(text[i + 1:j], word)
                i = j
            else:
                i += 1
            word = ""
        elif _ident_start(ch):
            j = i + 1
            while j < n and _ident_part(text[j]):
                j += 1
            word = text[i:j].upper()
            i = j
        else:
            if not ch.isspace():
                word = ""
            i += 1
    return out


def _scalar(v: Any) -> bool:
    return v is None or isinstance(v, bool | int | str) or (
        isinstance(v, float) and math.isfinite(v))


def parse_value(kind: str, text: str) -> Any:
    """A parameter's value from its text form (the URL's, or a text input's): `str` as it
    is, `int`, `float` (finite), `bool` (true/false), `list` (a JSON list of plain values,
    or comma-separated texts). Raises QueryRefused naming what is wrong."""
    if kind not in PARAM_TYPES:
        raise QueryRefused(f"unknown parameter type {kind!r}; use one of {', '.join(PARAM_TYPES)}")
    if kind == "str":
        return text
    raw = text.strip()
    if kind == "int":
        body = raw[1:] if raw[:1] in "+-" else raw
        if not body or not (body.isascii() and body.isdigit()) or len(body) > 19:
            raise QueryRefused(f"{text!r} is not a whole number")
        value = int(raw)
        if not -(2 ** 63) <= value < 2 ** 63:
            raise QueryRefused(f"{text!r} does not fit in 64 bits")
        return value
    if kind == "float":
        try:
            number = float(raw)
        except ValueError:
            raise QueryRefused(f"{text!r} is not a number") from None
        if not math.isfinite(number):
            raise QueryRefused(f"{text!r} is not a finite number")
        return number
    if kind == "bool":
        if raw.lower() in ("true", "false"):
            return raw.lower() == "true"
        raise QueryRefused(f"{text!r} is not true or false")
    if raw.startswith("["):
        try:
            items = json.loads(raw)
        except ValueError as exc:
            raise QueryRefused(f"the list is not valid JSON: {exc}") from None
        if not isinstance(items, list) or not all(_scalar(v) for v in items):
            raise QueryRefused("the list may hold only texts, numbers, true/false and null")
        return items
    return [part.strip() for part in raw.split(",") if part.strip()] if raw else []


def value_text(value: Any) -> str:
    """The text form `parse_value` reads back (for the URL)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else str(value)
