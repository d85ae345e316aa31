"""Choose and open a graph store from options or the environment."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .errors import InsiktError
from .settings import get_settings
from .store import GraphStore

BACKENDS = ("embedded", "neo4j")


def backend_name(backend: str | None = None) -> str:
    name = (backend or get_settings().backend or "embedded").strip().lower()
    if name not in BACKENDS:
        raise InsiktError(f"unknown backend '{name}': use one of {', '.join(BACKENDS)}")
    return name


def open_store(backend: str | None = None, store_path: str | Path | None = None,
               notify: Callable[[str], None] | None = None) -> GraphStore:
    """The store to use: `--backend`/`INSIKT_BACKEND`, default embedded (no server).

    `notify` receives the embedded store's messages for people (a migration of the old JSON
    store, waiting for another load)."""
    name = backend_name(backend)
    if name == "neo4j":
        from .neo4j_store import Neo4jStore

        store: GraphStore = Neo4jStore.from_env()
        return store
    from .embedded import EmbeddedStore

    return EmbeddedStore(store_path, notify=notify)
