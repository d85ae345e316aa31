"""The server's own plan of a query (from `EXPLAIN`), as plain data for the console guard.

`queries.adhoc` decides what an analyst's Cypher may do from this, never from the text: Neo4j
has parsed the query, resolved comments, escapes, prefixes and subqueries, and names every
operator it would run (with the database it runs on) and every procedure it would call.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class PlanOperator:
    """One operator of the plan: `Expand(All)` has name 'Expand(All)' and base 'Expand'."""

    name: str
    database: str
    details: str = ""

    @property
    def base(self) -> str:
        """The operator without its variant, e.g. 'VarLengthExpand' for 'VarLengthExpand(All)'."""
        return self.name.split("(", 1)[0].strip()

    @property
    def procedure(self) -> str:
        """For a ProcedureCall: the procedure's qualified name as the server resolved it."""
        return self.details.split("(", 1)[0].strip()


@dataclass(frozen=True)
class QueryPlan:
    """What the server plans for a query: its type ('r', 'w', 'rw', 's'), database, operators."""

    query_type: str
    database: str
    operators: list[PlanOperator] = field(default_factory=list)


def operators_of(plan: Mapping[str, Any] | None, default_database: str = "") -> list[PlanOperator]:
    """Every operator of a driver plan dict, depth first, children of subqueries included."""
    return list(_walk(plan, default_database)) if plan else []


def _walk(plan: Mapping[str, Any], default_database: str) -> Iterator[PlanOperator]:
    op_type = str(plan.get("operatorType") or "")
    name, sep, database = op_type.rpartition("@")
    if not sep:  # servers before 5 do not name the database in the operator
        name, database = op_type, default_database
    args = plan.get("args") or {}
    details = args.get("Details", "") if isinstance(args, Mapping) else ""
    yield PlanOperator(name=name, database=database, details=str(details or ""))
    for child in plan.get("children") or []:
        if isinstance(child, Mapping):
            yield from _walk(child, default_database)
