"""Options shared by every command, and the decorator that hands them over.

The store is opened lazily (graph.backends is imported inside `Ctx.store`), so that a command
that never opens one, and every `--help`, imports no backend (see insikt_cli/lazy.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from graph.store import GraphStore


class Ctx:
    """Options shared by every command."""

    def __init__(self, backend: str | None, store: str | None) -> None:
        self.backend = backend
        self.store_path = store

    @contextmanager
    def store(self) -> Iterator[GraphStore]:
        from graph.backends import open_store

        st = open_store(self.backend, self.store_path,
                        notify=lambda message: click.echo(message, err=True))
        try:
            yield st
        finally:
            st.close()


pass_ctx: Callable[[Callable[..., Any]], Callable[..., Any]] = click.make_pass_decorator(Ctx)
