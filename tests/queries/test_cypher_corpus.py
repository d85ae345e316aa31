"""The hostile query corpus (tests/data/cypher_corpus.yaml) against the real Neo4j: every
hostile query is refused and changes nothing, every legitimate read runs, and the server's
own configuration blocks LOAD CSV even for the store's write path."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from neo4j.exceptions import Neo4jError

from graph.errors import QueryRefused
from graph.export import graph_document
from graph.neo4j_store import Neo4jStore
from loaders.dataset import read_dataset
from queries.adhoc import run_cypher
from tests.conftest import DATA, TINY

CORPUS_FILE = DATA / "cypher_corpus.yaml"
HOSTILE_CLASSES = {"load_csv", "show", "terminate", "admin", "use", "procedure", "write",
                   "schema", "size"}
# Parameters the hostile queries may refer to ($url, $ids).
HOSTILE_PARAMS = {"url": "file:///proc/self/environ", "ids": ["neo4j-transaction-1"]}


def corpus(path: Path = CORPUS_FILE) -> dict[str, list[dict[str, Any]]]:
    with path.open(encoding="utf-8") as f:
        data: dict[str, list[dict[str, Any]]] = yaml.safe_load(f)
    return data


def server_state(st: Neo4jStore) -> dict[str, Any]:
    """Everything a hostile query might change: graph, schema, users, settings."""
    with st.driver.session(database=st.database) as s:
        indexes = sorted(r["name"] for r in s.run("SHOW INDEXES YIELD name"))
        constraints = sorted(r["name"] for r in s.run("SHOW CONSTRAINTS YIELD name"))
        settings = {r["name"]: r["value"] for r in s.run(
            "SHOW SETTINGS YIELD name, value WHERE name STARTS WITH 'db.' "
            "OR name STARTS WITH 'dbms.' RETURN name, value")}
    with st.driver.session(database="system") as s:
        users = sorted(r["user"] for r in s.run("SHOW USERS YIELD user"))
        databases = sorted(r["name"] for r in s.run("SHOW DATABASES YIELD name"))
    return {"stats": st.stats(), "graph": graph_document(st.to_networkx()),
            "indexes": indexes, "constraints": constraints, "users": users,
            "databases": databases, "settings": settings}


def test_the_corpus_covers_every_class() -> None:
    data = corpus()
    classes = Counter(e["class"] for e in data["hostile"])
    assert set(classes) == HOSTILE_CLASSES
    assert len(data["hostile"]) >= 150 and min(classes.values()) >= 5
    assert len(data["legit"]) >= 50
    queries = [e["query"] for e in data["hostile"]]
    for trick in ("\r", "/**/", "CYPHER runtime=", "EXPLAIN ", "PROFILE ", "IN TRANSACTIONS",
                  "UNION ALL", "\uff2c", "\\u002F", "USE system"):
        assert any(trick in q for q in queries), trick
    legit = " ".join(e["query"] for e in data["legit"])
    for name in ("n.call", "AS call", "{use: 1", "n.load", "n.show", "'LOAD CSV'"):
        assert name in legit, name


@pytest.mark.neo4j
def test_hostile_queries_are_all_refused_and_change_nothing(neo4j_store: Neo4jStore) -> None:
    neo4j_store.load(read_dataset(TINY))
    data = corpus()
    before = server_state(neo4j_store)
    allowed: list[str] = []
    badly_worded: list[str] = []
    for entry in data["hostile"]:
        try:
            run_cypher(neo4j_store, entry["query"], HOSTILE_PARAMS, timeout=5.0)
        except QueryRefused as exc:
            if not str(exc).startswith("refused:"):
                badly_worded.append(f"{entry['query']!r}: {exc}")
        else:
            allowed.append(repr(entry["query"]))
    assert allowed == []
    assert badly_worded == []
    for entry in data["harmless"]:  # the server reads the payload as part of a // comment
        res = run_cypher(neo4j_store, entry["query"], timeout=5.0)
        assert res.rows == entry["rows"], entry["query"]
    assert server_state(neo4j_store) == before


@pytest.mark.neo4j
def test_legitimate_reads_are_never_refused(neo4j_store: Neo4jStore) -> None:
    neo4j_store.load(read_dataset(TINY))
    failures: list[str] = []
    for entry in corpus()["legit"]:
        try:
            run_cypher(neo4j_store, entry["query"], entry.get("params") or {}, timeout=5.0)
        except Exception as exc:  # any failure of a legitimate read is a false refusal
            failures.append(f"{entry['query']!r}: {exc}")
    assert failures == []
    hits = run_cypher(neo4j_store, "MATCH (n) WHERE n.title CONTAINS 'kurir' OR "
                      "n.title CONTAINS 'LOAD CSV' RETURN n.id AS id ORDER BY id")
    assert hits.rows and all("id" in r for r in hits.rows)


@pytest.mark.neo4j
def test_the_server_itself_blocks_load_csv_on_the_write_path(neo4j_store: Neo4jStore) -> None:
    """Even the store's own (write, unguarded) session cannot read files or fetch URLs."""
    port = neo4j_store.uri.rsplit(":", 1)[-1]
    blocked = {
        "LOAD CSV FROM 'file:///proc/self/environ' AS l RETURN l":
            "dbms.security.allow_csv_import_from_file_urls",
        "LOAD CSV FROM 'file:///etc/passwd' AS l RETURN l":
            "dbms.security.allow_csv_import_from_file_urls",
        f"LOAD CSV FROM 'http://127.0.0.1:{port}/' AS l RETURN l": "cypher_ip_blocklist",
        "LOAD CSV FROM 'http://[::1]:7687/' AS l RETURN l": "cypher_ip_blocklist",
    }
    for query, setting in blocked.items():
        with neo4j_store.driver.session(database=neo4j_store.database) as s, \
                pytest.raises(Neo4jError) as info:
            s.run(query).consume()
        assert setting in str(info.value.message), query


@pytest.mark.neo4j
def test_the_launchers_security_settings_are_in_force(neo4j_store: Neo4jStore) -> None:
    with neo4j_store.driver.session(database=neo4j_store.database) as s:
        values = {r["name"]: r["value"] for r in s.run("SHOW SETTINGS YIELD name, value")}
    assert values["dbms.security.allow_csv_import_from_file_urls"] == "false"
    assert values["server.directories.import"].endswith("import-empty")
    assert Path(values["server.directories.import"]).is_dir()
    assert not any(Path(values["server.directories.import"]).iterdir())
    # internal.dbms.cypher_ip_blocklist is internal, so SHOW SETTINGS does not list it; the
    # write-path test above shows it in force for 127.0.0.1 and ::1.
    allow = values["dbms.security.procedures.allowlist"]
    assert "db.index.fulltext.queryNodes" in allow and "db.awaitIndexes" in allow
    assert "*" not in allow and "apoc" not in allow
    assert values["db.transaction.timeout"] not in ("0s", "0")
    assert values["db.memory.transaction.max"] not in ("0B", "0")
    assert values["dbms.memory.transaction.total.max"] not in ("0B", "0")
