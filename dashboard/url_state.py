"""A saved query and its parameters in the page's URL, so that a view can be linked to."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

QUERY_KEY = "query"

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

def params_to_url(query: str, values: Mapping[str, Any]) -> dict[str, str]:
    """What the URL should hold for a query and its parameter values (None is left out)."""
    out = {QUERY_KEY: query}
    for name, value in values.items():
        if value is None or value == "":
            continue
        out[name] = ("true" if value else "false") if isinstance(value, bool) else str(value)
    return out
