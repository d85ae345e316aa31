"""The dashboard never shows a password: not in the sidebar's backend line, not in the error
shown when the URI is refused or the server is unreachable."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from streamlit.testing.v1 import AppTest

from graph.neo4j_store import Neo4jStore
from tests.dashboard.conftest import APP

SECRET = "Zebra-Secret-9181"
PROBE_USER = "insikt_dash_probe"
PROBE_PASSWORD = "Zebra-Secret-9181-dash"


def all_text(at: AppTest) -> str:
    """Every text element the app rendered, main area and sidebar (markdown-escaped)."""
    parts: list[str] = []
    for kind in ("markdown", "caption", "title", "subheader", "info", "warning", "error",
                 "success", "text", "code", "exception"):
        parts += [str(getattr(e, "value", e)) for e in at.get(kind)]
        parts += [str(getattr(e, "value", e)) for e in at.sidebar.get(kind)]
    return "\n".join(parts)


@pytest.mark.parametrize(("uri", "shown"), [
    (f"bolt://neo4j:{SECRET}@127.0.0.1:1", "bolt://***@127.0.0.1:1"),
    ("bolt://127.0.0.1:1", "bolt://127.0.0.1:1"),
    ("bolt://127.0.0.1:notaport", "the port is not a number"),
])
def test_a_failing_neo4j_backend_shows_no_secret(monkeypatch: pytest.MonkeyPatch, uri: str,
                                                shown: str) -> None:
    monkeypatch.setenv("INSIKT_BACKEND", "neo4j")
    monkeypatch.setenv("NEO4J_URI", uri)
    monkeypatch.setenv("NEO4J_PASSWORD", SECRET)
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    text = all_text(at).replace("\\", "")  # the messages are markdown-escaped
    assert at.error and shown in text
    assert SECRET not in text


@pytest.fixture
def probe_env(neo4j_store: Neo4jStore, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    with neo4j_store.driver.session(database="system") as s:
        s.run(f"CREATE OR REPLACE USER {PROBE_USER} SET PLAINTEXT PASSWORD $pw "
              "CHANGE NOT REQUIRED", pw=PROBE_PASSWORD).consume()
    monkeypatch.setenv("INSIKT_BACKEND", "neo4j")
    monkeypatch.setenv("NEO4J_URI", neo4j_store.uri)
    monkeypatch.setenv("NEO4J_USER", PROBE_USER)
    monkeypatch.setenv("NEO4J_PASSWORD", PROBE_PASSWORD)
    monkeypatch.setenv("NEO4J_DATABASE", neo4j_store.database)
    yield neo4j_store.uri
    with neo4j_store.driver.session(database="system") as s:
        s.run(f"DROP USER {PROBE_USER} IF EXISTS").consume()


@pytest.mark.neo4j
def test_the_sidebar_names_the_server_but_not_the_password(probe_env: str) -> None:
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    sidebar = "\n".join(str(c.value) for c in at.sidebar.caption)
    assert f"Neo4j {probe_env}" in sidebar.replace("\\", "")
    assert PROBE_PASSWORD not in all_text(at).replace("\\", "")
