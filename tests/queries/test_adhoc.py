"""Ad-hoc Cypher: the plan-based guard refuses what it should, reads still work, results are
bounded in rows, values and bytes, and a query the server does not stop still ends on time.
The graph must be unchanged after every refusal. (The full hostile corpus is in
test_cypher_corpus.py.)"""

from __future__ import annotations

import time
from typing import Any

import pytest

from graph.embedded import EmbeddedStore
from graph.errors import QueryFailed, QueryRefused, SettingError
from graph.export import graph_document
from graph.neo4j_store import Neo4jStore, _unprefixed
from graph.plan import PlanOperator, QueryPlan, operators_of
from loaders.dataset import read_dataset
from queries.adhoc import check_plan, check_size, run_cypher
from tests.conftest import TINY

RUNAWAY = "UNWIND range(1, 100000000) AS x WITH x WHERE x % 7 = 0 RETURN count(*)"

# (query, a phrase the refusal must contain)
REFUSED: list[tuple[str, str]] = [
    ("CREATE (n:Agency {id: 'ny'}) RETURN n", "writes (CREATE)"),
    ("MERGE (n:Agency {id: 'skatteverket'}) RETURN n", "writes (MERGE)"),
    ("MATCH (n:Agency) SET n.name = 'x' RETURN n", "writes (SET)"),
    ("MATCH (n:Agency) REMOVE n:Agency RETURN n", "writes (REMOVE)"),
    ("MATCH (n:Agency) REMOVE n.name RETURN n", "writes (SET)"),  # planned as SET n.name = null
    ("MATCH (n:Insight) DETACH DELETE n", "writes (DETACH DELETE)"),
    ("MATCH ()-[r:NEXT]->() DELETE r", "writes (DELETE)"),
    ("MATCH (n) FOREACH (x IN [1] | CREATE (:X))", "writes (FOREACH)"),
    ("CALL { CREATE (n:X) RETURN n } RETURN n", "writes (CREATE)"),
    ("CALL () { MATCH (a:Agency) SET a.x = 1 RETURN a } RETURN count(a)", "writes (SET)"),
    ("CALL { CREATE (:X) } IN TRANSACTIONS", "IN TRANSACTIONS"),
    ("LOAD CSV FROM 'file:///x' AS r RETURN r", "LOAD CSV"),
    ("RETURN 1 AS l // x\rUNION ALL LOAD/**/CSV FROM 'file:///proc/self/environ' AS l RETURN l",
     "LOAD CSV"),
    ("CALL dbms.components()", "CALL dbms.components is not allowed"),
    ("call `db`.`info`() YIELD id RETURN id", "CALL db.info is not allowed"),
    ("CALL /* hidden */ db.stats.retrieve('GRAPH COUNTS')", "CALL db.stats.retrieve is not"),
    ("CALL db.createLabel('X')", "CALL db.createLabel is not allowed"),
    ("CREATE INDEX x IF NOT EXISTS FOR (n:X) ON (n.y)", "schema or administration"),
    ("DROP CONSTRAINT insikt_agency_id", "schema or administration"),
    ("CREATE USER mallory SET PASSWORD 'secret-secret'", "schema or administration"),
    ("TERMINATE TRANSACTIONS 'neo4j-transaction-1'", "TERMINATE TRANSACTIONS"),
    ("CYPHER runtime=slotted SHOW SETTINGS", "SHOW SETTINGS is an administration command"),
    ("CYPHER SHOW TRANSACTIONS YIELD currentQuery", "SHOW TRANSACTIONS is an administration"),
    ("USE system CALL db.labels()", "USE of another database (system)"),
    ("USE system SHOW USERS", "USE"),
]


def snapshot(st: Neo4jStore) -> tuple[Any, dict[str, Any]]:
    return st.stats(), graph_document(st.to_networkx())


def op(name: str, database: str = "neo4j", details: str = "") -> PlanOperator:
    return PlanOperator(name=name, database=database, details=details)


def plan(*ops: PlanOperator, query_type: str = "r", database: str = "neo4j") -> QueryPlan:
    return QueryPlan(query_type=query_type, database=database, operators=list(ops))


def test_size_limits_refuse_empty_long_and_deep_texts() -> None:
    for text in ("", "  \n\t"):
        with pytest.raises(QueryRefused, match="empty"):
            check_size(text)
    with pytest.raises(QueryRefused, match="101 characters long; at most 100"):
        check_size("RETURN " + "1" * 94, max_chars=100)
    with pytest.raises(QueryRefused, match="nests brackets 6 deep; at most 5"):
        check_size("RETURN " + "([{" * 2 + "1" + "}])" * 2, max_nesting=5)
    check_size("RETURN " + "(" * 5 + "1" + ")" * 5, max_nesting=5)


def test_the_plan_decides_not_the_text() -> None:
    read = [op("ProduceResults"), op("Expand(All)"), op("AllNodesScan")]
    check_plan(plan(*read), "neo4j")
    check_plan(plan(op("ProduceResults"), op("ProcedureCall",
                    details="db.labels() :: (label :: STRING)")), "neo4j")
    cases = [
        (plan(op("ProduceResults"), op("SomeOperatorNeo4jAddsLater")), "not on the console's list"),
        (plan(op("ProduceResults"), op("LoadCSV")), "LOAD CSV"),
        (plan(op("EmptyResult"), op("SetNodeProperties")), "writes (SET)"),
        (plan(op("ProduceResults"), op("ProcedureCall", details="db.info() :: (id :: STRING)")),
         "CALL db.info is not allowed"),
        (plan(op("ProduceResults"), op("ShowSettings")), "SHOW SETTINGS is an administration"),
        (plan(op("ProduceResults", "system"), op("ProcedureCall", "system",
              details="db.labels() :: (label :: STRING)"), database="system"), "(system)"),
        (plan(*read, database="other"), "USE of another database (other)"),
        (plan(op("AdministrationCommand", "system"), query_type="s"), "schema or administration"),
        (plan(*read, query_type="rw"), "could not confirm"),
        (plan(), "no plan"),
    ]
    for bad, reason in cases:
        with pytest.raises(QueryRefused, match=reason.replace("(", r"\(").replace(")", r"\)")):
            check_plan(bad, "neo4j")


def test_plan_tree_is_walked_into_every_child() -> None:
    tree = {"operatorType": "ProduceResults@neo4j", "args": {"Details": "x"}, "children": [
        {"operatorType": "Union@neo4j", "children": [
            {"operatorType": "Projection@neo4j", "children": []},
            {"operatorType": "Apply@neo4j", "children": [
                {"operatorType": "Argument@neo4j"},
                {"operatorType": "LoadCSV@neo4j", "args": {"Details": "l"}}]}]}]}
    names = [(o.name, o.database) for o in operators_of(tree)]
    assert names == [("ProduceResults", "neo4j"), ("Union", "neo4j"), ("Projection", "neo4j"),
                     ("Apply", "neo4j"), ("Argument", "neo4j"), ("LoadCSV", "neo4j")]
    assert op("VarLengthExpand(Pruning,BFS,All)").base == "VarLengthExpand"
    assert op("ProcedureCall", details="db.index.fulltext.queryNodes($a, $b) :: (node :: NODE)"
              ).procedure == "db.index.fulltext.queryNodes"


def test_server_positions_are_mapped_to_the_analysts_text() -> None:
    msg = ("Invalid input 'x': expected an expression (line 1, column 20 (offset: 19))\n"
           '"EXPLAIN RETURN 1 + x"\n                   ^')
    out = _unprefixed(msg, "RETURN 1 + x")
    assert out.splitlines()[0].endswith("(line 1, column 12 (offset: 11))")
    assert out.splitlines()[1:] == ["  RETURN 1 + x", "             ^"]
    second = _unprefixed("bad (line 2, column 3 (offset: 18))", "MATCH (n)\nRE x")
    assert "(line 2, column 3 (offset: 10))" in second and second.endswith("\n    ^")


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
def test_unparsable_query_is_refused_with_the_servers_message(neo4j_store: Neo4jStore) -> None:
    with pytest.raises(QueryRefused) as info:
        run_cypher(neo4j_store, "MATCH (n)\nRETURN n.x +")
    text = str(info.value)
    assert text.startswith("refused: Neo4j cannot run this query: Invalid input")
    assert "(line 2, column 13 (offset: 22))" in text and "EXPLAIN" not in text
    assert text.endswith("  RETURN n.x +\n              ^")


@pytest.mark.neo4j
def test_read_session_blocks_a_write_that_passed_the_guard(neo4j_store: Neo4jStore) -> None:
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
def test_results_are_bounded_by_size_not_only_rows(neo4j_store: Neo4jStore,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    # 300 rows of 2,000 numbers each (about 2.4 MB of Bolt) against a 1 MiB limit.
    with pytest.raises(QueryFailed, match=r"larger than 1 MiB .* cut off after \d+ complete"):
        run_cypher(neo4j_store, "UNWIND range(1, 300) AS x RETURN range(1, 2000) AS r",
                   max_bytes=2**20)
    # One row holding one list of 200,000 numbers (under the byte limit): over 100,000 values.
    monkeypatch.setenv("INSIKT_CYPHER_MAX_RESULT_VALUES", "100000")
    with pytest.raises(QueryFailed, match="more than 100,000 values"):
        run_cypher(neo4j_store, "RETURN range(1, 200000) AS r")
    small = run_cypher(neo4j_store, "RETURN range(1, 1000) AS r", max_bytes=2**20)
    assert small.rows == [{"r": list(range(1, 1001))}]
    assert neo4j_store.run_read("RETURN 1 AS one", {})[1] == [{"one": 1}]  # still connected


@pytest.mark.neo4j
def test_runaway_query_is_reported_as_a_timeout(neo4j_store: Neo4jStore) -> None:
    with pytest.raises(QueryFailed, match="timed out after 1 s"):
        run_cypher(neo4j_store, RUNAWAY, timeout=1.0)


@pytest.mark.neo4j
def test_a_query_the_server_never_answers_still_ends(neo4j_store: Neo4jStore,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """3,000 nested parentheses overflow the server parser's stack; Neo4j 5.26 then usually
    never answers, and sometimes answers "Unexpected expression" (it depends on the server
    thread's stack). Either way the call must end, as a QueryFailed, and the store must
    still work; with the nesting limit raised, it is the watchdog that ends the silent case."""
    monkeypatch.setenv("INSIKT_CYPHER_MAX_NESTING", "5000")
    started = time.monotonic()
    with pytest.raises(QueryFailed, match=r"timed out after 1 s|Unexpected expression"):
        run_cypher(neo4j_store, "RETURN " + "(" * 3000 + "1" + ")" * 3000 + " AS x",
                   timeout=1.0)
    assert time.monotonic() - started < 30  # ends (the server never answers); not a speed check
    assert neo4j_store.run_read("RETURN 1 AS one", {})[1] == [{"one": 1}]


def test_a_bad_limit_setting_is_a_setting_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INSIKT_CYPHER_MAX_CHARS", "lots")
    with pytest.raises(SettingError, match="INSIKT_CYPHER_MAX_CHARS") as info:
        check_size("RETURN 1")
    assert info.value.exit_code == 2
    monkeypatch.setenv("INSIKT_CYPHER_MAX_CHARS", "5")
    with pytest.raises(QueryRefused, match="at most 5 are accepted"):
        check_size("RETURN 1")


class LingeringStore:
    """Only what run_cypher asks before planning: how many timed-out queries still run."""

    def __init__(self, lingering: int) -> None:
        self.lingering = lingering
        self.planned = 0

    def lingering_queries(self) -> int:
        return self.lingering

    def explain(self, cypher: str, params: dict[str, Any] | None = None, *,
                timeout: float = 10.0) -> QueryPlan:
        self.planned += 1
        raise QueryRefused("refused: planned")


def test_new_queries_wait_while_timed_out_ones_linger_on_the_server() -> None:
    busy = LingeringStore(2)
    with pytest.raises(QueryRefused, match="still computing 2 earlier queries"):
        run_cypher(busy, "RETURN 1")  # type: ignore[arg-type]
    assert busy.planned == 0
    calm = LingeringStore(1)
    with pytest.raises(QueryRefused, match="planned"):
        run_cypher(calm, "RETURN 1")  # type: ignore[arg-type]
    assert calm.planned == 1


@pytest.mark.neo4j
def test_no_query_lingers_after_the_ones_the_server_stops(neo4j_store: Neo4jStore) -> None:
    with pytest.raises(QueryFailed, match="timed out"):
        run_cypher(neo4j_store, RUNAWAY, timeout=1.0)
    deadline = time.monotonic() + 20
    while neo4j_store.lingering_queries() and time.monotonic() < deadline:
        time.sleep(0.5)
    assert neo4j_store.lingering_queries() == 0
