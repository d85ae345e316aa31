"""HTML from Jinja2 template files, with autoescape on and the templates read as package data.

Every `{{ value }}` is HTML-escaped exactly as `html.escape(str(value), quote=True)` would
(`finalize` does it, so `'` becomes `&#x27;` as it always has); what a template or macro has
already rendered (Markup) passes through. Nothing from the data can open a tag or an attribute.
Templates live in a `templates/` folder of their package and are read through
`importlib.resources`, so they work from a wheel as well as from a checkout.
"""

from __future__ import annotations

import functools
import html
from importlib import resources
from typing import Any

import jinja2
from markupsafe import Markup


def _escaped(value: Any) -> Markup:
    return value if isinstance(value, Markup) else Markup(html.escape(str(value), quote=True))


@functools.cache
def environment(package: str) -> jinja2.Environment:
    """The Jinja2 environment of `package`'s templates/ folder (cached: one per package)."""
    def load(name: str) -> str | None:
        path = resources.files(package).joinpath("templates", name)
        return path.read_text(encoding="utf-8") if path.is_file() else None

    return jinja2.Environment(loader=jinja2.FunctionLoader(load), autoescape=True,
                              finalize=_escaped, undefined=jinja2.StrictUndefined,
                              keep_trailing_newline=True)


def render(package: str, name: str, **context: Any) -> str:
    """Render `package`/templates/`name` with `context`."""
    return environment(package).get_template(name).render(**context)
