"""Ad-hoc Cypher from analysts, treated as hostile: decided on the server's own parse.

The text is never screened for keywords: comments (`//…\\r`, `/**/`), escapes, look-alike
characters and `CYPHER`/`EXPLAIN` prefixes make a text screen unsound. Instead, in layers:

1. **Size limits** (not a security screen): the text may be at most `INSIKT_CYPHER_MAX_CHARS`
   characters and nest ( [ { at most `INSIKT_CYPHER_MAX_NESTING` deep, because the server's
   parser overflows its stack (and never answers) on deep nesting and plans huge texts slowly.
2. **The server's plan.** `EXPLAIN` makes Neo4j parse and plan the query without running it;
   a query it cannot parse is refused with its own message, positioned in the analyst's text.
   Every operator of the plan tree (subqueries, UNION branches and `CALL {}` included) must be
   on `READ_OPERATORS`, an allow-list of read operators: an operator we do not know is
   refused. So are `LoadCSV`, every write (Create, Merge, Set*, Delete*, Remove*, Foreach,
   `CALL {} IN TRANSACTIONS`), SHOW and TERMINATE commands other than SHOW INDEXES /
   CONSTRAINTS / PROCEDURES / FUNCTIONS, administration and schema commands, procedure calls
   whose resolved name is not on `ALLOWED_PROCEDURES`, and any operator or summary that names
   a database other than the configured one (`USE`).
3. **The run itself** (graph.neo4j_store.run_read): the same text and parameters, in a read
   transaction of a read-only session, never retried, with a server-side time limit, a row
   cap and a byte limit that cuts the result off as it streams; a watchdog gives up shortly
   after the time limit and terminates the transaction server-side.
4. **The server's own configuration** (scripts/neo4j/security.conf): no file URLs for LOAD
   CSV, an empty import directory, all IP addresses blocked for LOAD CSV, a procedure
   allow-list, and transaction time and memory limits. See docs/security.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graph.errors import QueryRefused
from graph.plan import PlanOperator, QueryPlan
from graph.settings import current_settings
from graph.store import GraphStore

DEFAULT_TIMEOUT = 10.0
DEFAULT_ROW_CAP = 1000
EXAMPLE = "MATCH (a:Agency) RETURN a.id AS id, a.name AS name LIMIT 25"
"""What the dashboard's Cypher console starts with."""

ALLOWED_PROCEDURES = (
    "db.labels",
    "db.relationshipTypes",
    "db.propertyKeys",
    "db.schema.visualization",
    "db.schema.nodeTypeProperties",
    "db.schema.relTypeProperties",
    "db.index.fulltext.queryNodes",
)
"""The procedures ad-hoc Cypher may CALL: read-only schema and full-text search."""

ALLOWED_SHOW = frozenset({"ShowIndexes", "ShowConstraints", "ShowProcedures", "ShowFunctions"})
"""SHOW commands that only describe the schema and the callable procedures/functions."""

_DIRECTED = ("Directed", "Undirected")
_REL_LEAVES = ("RelationshipByIdSeek", "RelationshipByElementIdSeek", "RelationshipIndexSeek",
               "RelationshipUniqueIndexSeek", "RelationshipIndexSeekByRange",
               "RelationshipUniqueIndexSeekByRange", "RelationshipIndexScan",
               "RelationshipIndexContainsScan", "RelationshipIndexEndsWithScan",
               "RelationshipTypeScan", "AllRelationshipsScan", "UnionRelationshipTypesScan")

READ_OPERATORS = frozenset({
    # leaves: find start nodes and relationships
    "AllNodesScan", "NodeByLabelScan", "NodeByIdSeek", "NodeByElementIdSeek", "NodeIndexSeek",
    "NodeUniqueIndexSeek", "NodeIndexSeekByRange", "NodeUniqueIndexSeekByRange",
    "NodeIndexContainsScan", "NodeIndexEndsWithScan", "NodeIndexScan", "MultiNodeIndexSeek",
    "AssertingMultiNodeIndexSeek", "AssertingMultiRelationshipIndexSeek",
    "IntersectionNodeByLabelsScan", "UnionNodeByLabelsScan", "SubtractionNodeByLabelsScan",
    "NodeCountFromCountStore", "RelationshipCountFromCountStore", "Argument", "ArgumentTracker",
    "EmptyRow",
    *(d + leaf for d in _DIRECTED for leaf in _REL_LEAVES),
    # one input
    "ProduceResults", "EmptyResult", "Filter", "Projection", "Unwind", "Limit", "ExhaustiveLimit",
    "Skip", "Sort", "PartialSort", "Top", "PartialTop", "Distinct", "OrderedDistinct",
    "EagerAggregation", "OrderedAggregation", "Aggregation", "Eager", "CacheProperties",
    "Expand", "OptionalExpand", "VarLengthExpand", "BFSPruningVarLengthExpand", "ShortestPath",
    "StatefulShortestPath", "Trail", "Repeat", "NullifyMetadata", "ProjectEndpoints", "Optional",
    "PreserveOrder", "AssertSameNode", "AssertSameRelationship", "TriadicSelection",
    "TriadicBuild", "TriadicFilter", "ProcedureCall",
    # two inputs
    "Apply", "SemiApply", "AntiSemiApply", "LetSemiApply", "LetAntiSemiApply",
    "SelectOrSemiApply", "SelectOrAntiSemiApply", "LetSelectOrSemiApply",
    "LetSelectOrAntiSemiApply", "ConditionalApply", "AntiConditionalApply", "RollUpApply",
    "CartesianProduct", "NodeHashJoin", "ValueHashJoin", "NodeLeftOuterHashJoin",
    "NodeRightOuterHashJoin", "Union", "OrderedUnion", "Anti",
    *ALLOWED_SHOW,
})
"""Plan operators (without their variant, e.g. `Expand` for `Expand(All)`) that only read.

An allow-list: anything else, including an operator a future Neo4j adds, is refused.
ProcedureCall is allowed here and then checked against ALLOWED_PROCEDURES."""

_WRITE_CLAUSES = (("DetachDelete", "DETACH DELETE"), ("Delete", "DELETE"), ("Create", "CREATE"),
                  ("Merge", "MERGE"), ("Set", "SET"), ("Remove", "REMOVE"),
                  ("Foreach", "FOREACH"), ("SubqueryForeach", "FOREACH"),
                  ("Lock", "a lock"))

_UNKNOWN = "the plan uses the operator"
READ_ONLY_HINT = "Ad-hoc Cypher is read-only; use `insikt load` to change data."


@dataclass(frozen=True)
class AdhocResult:
    """What an ad-hoc query returned, and a note for people when rows were cut off."""

    columns: list[str]
    rows: list[dict[str, Any]] = field(default_factory=list)
    truncated: bool = False
    message: str = ""


def check_size(text: str, max_chars: int | None = None, max_nesting: int | None = None) -> None:
    """Layer 1, size only: refuse an empty, too long or too deeply nested text.

    Nesting counts ( [ { anywhere in the text, strings and comments included: a limit on
    size, not a reading of the query (that is the server's job).
    """
    settings = current_settings()
    max_chars = max_chars or settings.cypher_max_chars
    max_nesting = max_nesting or settings.cypher_max_nesting
    if not text.strip():
        raise QueryRefused("refused: the query is empty", kind="cypher_empty")
    if len(text) > max_chars:
        raise QueryRefused(f"refused: the query is {len(text):,} characters long; at most "
                           f"{max_chars:,} are accepted (INSIKT_CYPHER_MAX_CHARS)",
                           kind="cypher_too_long", length=len(text), limit=max_chars)
    depth = deepest = 0
    for ch in text:
        if ch in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in ")]}":
            depth = max(0, depth - 1)
    if deepest > max_nesting:
        raise QueryRefused(f"refused: the query nests brackets {deepest} deep; at most "
                           f"{max_nesting} are accepted (INSIKT_CYPHER_MAX_NESTING)",
                           kind="cypher_too_deep", depth=deepest, limit=max_nesting)


def check_not_busy(store: GraphStore, most: int) -> None:
    """Refuse while the server still computes `most` or more of our timed-out queries."""
    lingering = getattr(store, "lingering_queries", None)
    if lingering is None:
        return
    count = int(lingering())
    if count >= most:
        raise QueryRefused(f"refused for now: Neo4j is still computing {count} earlier queries "
                           "that timed out (it cannot interrupt some expressions). Try again "
                           "later, or restart the server (`insikt neo4j restart`).",
                           kind="cypher_busy", count=count)


def _write_clause(base: str) -> str:
    for prefix, clause in _WRITE_CLAUSES:
        if base.startswith(prefix):
            return clause
    return ""


def _refusal(op: PlanOperator, query_type: str = "r") -> str:
    """Why one operator may not run in the console ('' if it may)."""
    base = op.base
    if base == "LoadCSV":
        return ("LOAD CSV reads files and URLs on the server and is not allowed. "
                + READ_ONLY_HINT)
    if base.startswith("Transaction"):
        return f"the query writes (CALL {{ … }} IN TRANSACTIONS). {READ_ONLY_HINT}"
    if base == "TerminateTransactions":
        return "TERMINATE TRANSACTIONS stops other people's work and is not allowed"
    if base.startswith("Show") and base not in ALLOWED_SHOW:
        what = "SHOW " + base[4:].upper()
        return (f"{what} is an administration command; only SHOW INDEXES, CONSTRAINTS, "
                "PROCEDURES and FUNCTIONS are allowed")
    if base == "ProcedureCall":
        name = op.procedure
        if name not in ALLOWED_PROCEDURES:
            return (f"CALL {name} is not allowed. Ad-hoc Cypher may call only "
                    f"{', '.join(ALLOWED_PROCEDURES)}. {READ_ONLY_HINT}")
        return ""
    if base in READ_OPERATORS:
        return ""
    clause = _write_clause(base) if query_type != "s" else ""
    if clause:
        return f"the query writes ({clause}). {READ_ONLY_HINT}"
    return (f"{_UNKNOWN} {op.name}, which is not on the console's list of "
            f"read operators (a schema, administration or unknown command). {READ_ONLY_HINT}")


def check_plan(plan: QueryPlan, database: str) -> None:
    """Layer 2: every operator of the server's plan must read, on the configured database."""
    if not plan.operators:
        raise QueryRefused("refused: Neo4j returned no plan for the query, so it cannot be "
                           f"checked. {READ_ONLY_HINT}")
    reasons = [r for r in (_refusal(o, plan.query_type) for o in plan.operators) if r]
    specific = [r for r in reasons if not r.startswith(_UNKNOWN)]
    if specific:
        raise QueryRefused(f"refused: {specific[0]}", kind="cypher_not_read_only")
    schema = ("refused: the query is a schema or administration command (such as CREATE INDEX, "
              f"DROP CONSTRAINT or CREATE USER). {READ_ONLY_HINT}")
    others = sorted(({op.database for op in plan.operators} | {plan.database}) - {database})
    admin = any(op.base == "AdministrationCommand" for op in plan.operators)
    if plan.query_type == "s" and reasons and (admin or not others):
        raise QueryRefused(schema, kind="cypher_schema")
    if others:
        raise QueryRefused(f"refused: USE of another database ({', '.join(others)}) is not "
                           f"allowed; ad-hoc Cypher runs on the configured database "
                           f"'{database}' (NEO4J_DATABASE)", kind="cypher_other_database",
                           databases=", ".join(others), database=database)
    if plan.query_type == "s":
        raise QueryRefused(schema, kind="cypher_schema")
    if reasons:
        raise QueryRefused(f"refused: {reasons[0]}", kind="cypher_not_read_only")
    if plan.query_type != "r":
        raise QueryRefused(f"refused: Neo4j could not confirm that the query only reads "
                           f"(query type '{plan.query_type or 'unknown'}'). {READ_ONLY_HINT}")


def run_cypher(store: GraphStore, text: str, params: dict[str, Any] | None = None,
               timeout: float = DEFAULT_TIMEOUT, row_cap: int = DEFAULT_ROW_CAP,
               max_bytes: int | None = None) -> AdhocResult:
    """Run an analyst's Cypher on Neo4j behind the layers in this module's docstring."""
    if row_cap < 1:
        raise QueryRefused(f"refused: the row limit must be at least 1, not {row_cap}")
    if timeout <= 0:
        raise QueryRefused(f"refused: the timeout must be positive, not {timeout:g} s")
    params = dict(params or {})
    settings = current_settings()
    check_size(text, settings.cypher_max_chars, settings.cypher_max_nesting)
    check_not_busy(store, settings.cypher_max_lingering)
    plan = store.explain(text, params, timeout=timeout)
    database = getattr(store, "database", None)  # the configured one, never the plan's own
    if not isinstance(database, str) or not database:
        raise QueryRefused("refused: the store does not say which database it uses, so the "
                           "plan cannot be checked against it")
    check_plan(plan, database)
    columns, rows, truncated = store.run_read(
        text, params, timeout=timeout, row_cap=row_cap,
        max_bytes=max_bytes or settings.cypher_max_result_bytes,
        max_values=settings.cypher_max_result_values)
    message = ""
    if truncated:
        message = f"showing the first {row_cap:,} rows; add LIMIT to the query to choose which"
    return AdhocResult(columns, rows, truncated, message)
