"""Options shared by every command, and the decorator that hands them over."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click

from graph.backends import open_store
from graph.store import GraphStore


class Ctx:
    """Options shared by every command."""

    def __init__(self, backend: str | None, store: str | None) -> None:
        self.backend = backend
        self.store_path = store

    @contextmanager
    def store(self) -> Iterator[GraphStore]:
        st = open_store(self.backend, self.store_path,
                        notify=lambda message: click.echo(message, err=True))
        try:
            yield st
        finally:
            st.close()


pass_ctx: Callable[[Callable[..., Any]], Callable[..., Any]] = click.make_pass_decorator(Ctx)
