"""What the page's URL holds, so that a view can be linked to and survives a reload: the
language on every page (`lang=sv|en`), and on the Queries page a saved query and its
parameters. Values from a URL are text someone else may have written: anything that is not a
known language is ignored, and parameters are parsed by their typed `Param`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

QUERY_KEY = "query"
LANG_KEY = "lang"


def lang_from_url(url: Mapping[str, Any], known: Iterable[str]) -> str | None:
    """The language the URL asks for, if it is one of `known` (else None: ignored)."""
    value = url.get(LANG_KEY)
    if isinstance(value, list):
        value = value[-1] if value else None
    return value if isinstance(value, str) and value in set(known) else None


def params_from_url(param_names: Iterable[str], url: Mapping[str, Any]) -> dict[str, str]:
    """The raw (text) values of a query's parameters found in the URL's query string."""
    out = {}
    for name in param_names:
        value = url.get(name)
        if isinstance(value, list):
            value = value[-1] if value else None
        if value is not None and value != "":
            out[name] = str(value)
    return out


def params_to_url(query: str, values: Mapping[str, Any], lang: str | None = None
                  ) -> dict[str, str]:
    """What the URL should hold for a query and its parameter values (None is left out), and
    the language, which every page's URL keeps."""
    out = {QUERY_KEY: query}
    for name, value in values.items():
        if value is None or value == "" or name in (QUERY_KEY, LANG_KEY):
            continue
        out[name] = ("true" if value else "false") if isinstance(value, bool) else str(value)
    if lang is not None:
        out[LANG_KEY] = lang
    return out
