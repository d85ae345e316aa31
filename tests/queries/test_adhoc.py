"""Ad-hoc Cypher: every layer of defence refuses what it should, reads still work, rows are
capped and runaway queries stop. The graph must be unchanged after every refusal."""

from __future__ import annotations

from typing import Any

import pytest

from graph.embedded import EmbeddedStore
from graph.errors import QueryFailed, QueryRefused
from graph.export import graph_document
from graph.neo4j_store import Neo4jStore
from loaders.dataset import read_dataset
from queries.adhoc import check_plan, code_only, run_cypher, screen, write_clause
from tests.conftest import TINY

RUNAWAY = "UNWIND range(1, 100000000) AS x WITH x WHERE x % 7 = 0 RETURN count(*)"

# (query, a phrase the refusal must contain)
REFUSED: list[tuple[str, str]] = [
    ("CREATE (n:Agency {id: 'ny'}) RETURN n", "writes (CREATE)"),
    ("MERGE (n:Agency {id: 'skatteverket'}) RETURN n", "writes (MERGE)"),
    ("MATCH (n:Agency) SET n.name = 'x' RETURN n", "writes (SET)"),
    ("MATCH (n:Agency) REMOVE n.name RETURN n", "writes (REMOVE)"),
    ("MATCH (n:Insight) DETACH DELETE n", "writes (DETACH DELETE)"),
    ("MATCH ()-[r:NEXT]->() DELETE r", "writes (DELETE)"),
    ("MATCH (n) FOREACH (x IN [1] | CREATE (:X))", "writes"),
    ("CALL { CREATE (n:X) RETURN n } RETURN n", "writes (CREATE)"),
    ("CALL () { MATCH (a:Agency) SET a.x = 1 RETURN a } RETURN count(a)", "writes (SET)"),
    ("LOAD CSV FROM 'file:///x' AS r RETURN r", "LOAD CSV"),
    ("load   csv with headers from 'https://example.org/x.csv' AS r RETURN r", "LOAD CSV"),
    ("CALL dbms.components()", "CALL dbms.components is not allowed"),
    ("CALL dbms.security.listUsers()", "CALL dbms.security.listUsers is not allowed"),
    ("call `dbms`.`components`() YIELD name RETURN name", "not allowed"),
    ("CALL /* hidden */ dbms.components()", "not allowed"),
    ("CALL db.createLabel('X')", "CALL db.createLabel is not allowed"),
    ("CREATE INDEX x IF NOT EXISTS FOR (n:X) ON (n.y)", "schema or administration"),
    ("DROP CONSTRAINT insikt_agency_id", "schema or administration"),
    ("CREATE USER mallory SET PASSWORD 'secret-secret'", "schema or administration"),
    ("TERMINATE TRANSACTIONS 'neo4j-transaction-1'", "TERMINATE TRANSACTIONS"),
    ("SHOW SETTINGS", "SHOW SETTINGS"),
    ("USE system SHOW USERS", "USE"),
]


def snapshot(st: Neo4jStore) -> tuple[Any, dict[str, Any]]:
    return st.stats(), graph_document(st.to_networkx())


@pytest.mark.parametrize(("query", "reason"), [
    ("LOAD CSV FROM 'file:///etc/passwd' AS r RETURN r", "LOAD CSV"),
    ("LOAD/**/CSV FROM 'file:///x' AS r RETURN r", "LOAD CSV"),
    ("MATCH (n) // comment\nLOAD CSV FROM 'file:///x' AS r RETURN r", "LOAD CSV"),
    ("CALL dbms.components()", "not allowed"),
    ("CALL dbms.components", "not allowed"),
    ("call `dbms` . `components`()", "not allowed"),
    ("CALL apoc.help('x')", "not allowed"),
    ("RETURN 'it\\'s' AS a UNION CALL dbms.components() YIELD name RETURN name AS a",
     "not allowed"),
    ("EXPLAIN MATCH (n) RETURN n", "EXPLAIN and PROFILE"),
    ("TERMINATE TRANSACTION 'x'", "TERMINATE"),
    ("SHOW TRANSACTIONS", "administration command"),
    ("  ", "empty"),
])
def test_screen_refuses(query: str, reason: str) -> None:
    with pytest.raises(QueryRefused, match=reason):
        screen(query)


@pytest.mark.parametrize("query", [
    "MATCH (n) RETURN n LIMIT 1",
    "CALL db.labels()",
    "CALL db.labels() YIELD label RETURN label",
    "CALL db.index.fulltext.queryNodes('insikt_text_sv', 'kurir') YIELD node RETURN node",
    "CALL { MATCH (n) RETURN n } RETURN n",
    "MATCH (n) WHERE n.name = 'call center' RETURN n",
    "SHOW INDEXES",
    "WITH 'load' AS x RETURN x",
])
def test_screen_allows_reads(query: str) -> None:
    screen(query)


def test_code_only_blanks_strings_and_comments() -> None:
    assert code_only("RETURN 'a\\'b' /* x */ // y\n").split() == ["RETURN", "''"]
    assert write_clause("MATCH (n) DETACH  DELETE n") == "DETACH DELETE"
    check_plan("r", "MATCH (n) RETURN n")
    with pytest.raises(QueryRefused, match="could not confirm"):
        check_plan("", "MATCH (n) RETURN n")


def test_embedded_store_is_refused_with_advice(store: EmbeddedStore) -> None:
    with pytest.raises(QueryRefused, match="--backend neo4j") as info:
        run_cypher(store, "MATCH (n) RETURN n")
    assert "saved queries" in str(info.value)


@pytest.mark.neo4j
def test_writes_and_admin_are_refused_and_change_nothing(neo4j_store: Neo4jStore) -> None:
    neo4j_store.load(read_dataset(TINY))
    before = snapshot(neo4j_store)
    for query, reason in REFUSED:
        with pytest.raises(QueryRefused) as info:
            run_cypher(neo4j_store, query)
        assert reason in str(info.value), query
        assert str(info.value).startswith("refused:"), query
    assert snapshot(neo4j_store) == before
    _, rows, _ = neo4j_store.run_read("SHOW CONSTRAINTS YIELD name", {})
    assert {"name": "insikt_agency_id"} in rows


@pytest.mark.neo4j
def test_read_session_blocks_a_write_that_passed_the_screens(neo4j_store: Neo4jStore) -> None:
    before = snapshot(neo4j_store)
    with pytest.raises(QueryRefused, match="read-only"):
        neo4j_store.run_read("CREATE (n:X) RETURN n", {})
    assert snapshot(neo4j_store) == before


@pytest.mark.neo4j
def test_reads_with_parameters_and_allowed_procedures(neo4j_store: Neo4jStore) -> None:
    neo4j_store.load(read_dataset(TINY))
    res = run_cypher(neo4j_store, "MATCH (i:Insight {kind: $kind}) RETURN i.id AS id ORDER BY id",
                     {"kind": "general"})
    assert res.columns == ["id"] and res.rows == [{"id": "kurir"}, {"id": "vem-gor-vad"}]
    assert not res.truncated and res.message == ""
    labels = run_cypher(neo4j_store, "CALL db.labels() YIELD label RETURN label ORDER BY label")
    assert {"label": "Agency"} in labels.rows
    hits = run_cypher(neo4j_store, "CALL db.index.fulltext.queryNodes('insikt_text_en', $q) "
                      "YIELD node RETURN node.id AS id", {"q": "courier"})
    assert {"id": "kurir"} in hits.rows
    with pytest.raises(QueryRefused, match="-p name=value"):
        run_cypher(neo4j_store, "MATCH (a:Agency {id: $id}) RETURN a")


@pytest.mark.neo4j
def test_row_cap_truncates_with_a_message(neo4j_store: Neo4jStore) -> None:
    res = run_cypher(neo4j_store, "UNWIND range(1, 1500) AS x RETURN x")
    assert len(res.rows) == 1000 and res.truncated and res.rows[-1] == {"x": 1000}
    assert "showing the first 1,000 rows; add LIMIT" in res.message
    exact = run_cypher(neo4j_store, "UNWIND range(1, 10) AS x RETURN x", row_cap=10)
    assert len(exact.rows) == 10 and not exact.truncated and exact.message == ""


@pytest.mark.neo4j
def test_runaway_query_stops_at_the_timeout(neo4j_store: Neo4jStore) -> None:
    with pytest.raises(QueryFailed, match="stopped after 1 s"):
        run_cypher(neo4j_store, RUNAWAY, timeout=1.0)
