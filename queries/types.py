"""The saved-query catalog's types and registry: `Param`, `SavedQuery`, `QueryResult`.

Kept apart from the query definitions (`queries.saved`, which registers into `CATALOG`) and
from running them (`queries.catalog`), so that the import order is one way:
`queries.types` ← `queries.saved` ← `queries.catalog`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import networkx as nx

from graph.errors import QueryRefused, close_matches
from graph.model import Label

ParamType = Literal["str", "int", "float", "bool"]
PARAM_TYPES: tuple[ParamType, ...] = ("str", "int", "float", "bool")
QueryOrigin = Literal["builtin", "library", "user"]
"""Where a saved query comes from: `queries.saved` (Python, with a networkx twin), the query
files shipped in `queries/library/`, or the analyst's own folder (`INSIKT_QUERY_DIR`)."""
Row = dict[str, Any]


@dataclass(frozen=True)
class Param:
    """A typed query parameter. `choices` names the label whose node ids are valid values;
    `help` is English, `help_sv` Swedish (query files give both)."""

    name: str
    type: ParamType
    help: str
    default: Any = None
    required: bool = False
    choices: Label | None = None
    minimum: float | None = None
    maximum: float | None = None
    help_sv: str = ""

    def parse(self, raw: Any) -> Any:
        """Turn a value (often text from a CLI flag or URL) into the parameter's type."""
        if raw is None or raw == "":
            return None
        try:
            if self.type == "int":
                value: Any = int(raw)
            elif self.type == "float":
                value = float(raw)
            elif self.type == "bool":
                if isinstance(raw, bool):
                    value = raw
                elif str(raw).strip().lower() in {"1", "true", "yes", "ja", "on"}:
                    value = True
                elif str(raw).strip().lower() in {"0", "false", "no", "nej", "off"}:
                    value = False
                else:
                    raise ValueError(raw)
            else:
                value = str(raw).strip()
        except (TypeError, ValueError) as exc:
            raise QueryRefused(f"parameter '{self.name}' must be {self.type}, got {raw!r}",
                               kind="param_type", name=self.name, type=self.type,
                               value=str(raw)) from exc
        if isinstance(value, int | float) and not isinstance(value, bool):
            if self.minimum is not None and value < self.minimum:
                raise QueryRefused(f"parameter '{self.name}' must be at least {self.minimum}",
                                   kind="param_min", name=self.name, limit=self.minimum)
            if self.maximum is not None and value > self.maximum:
                raise QueryRefused(f"parameter '{self.name}' must be at most {self.maximum}",
                                   kind="param_max", name=self.name, limit=self.maximum)
        return value


def needs_neo4j(name: str, path: str) -> Callable[[nx.MultiDiGraph, dict[str, Any]], list[Row]]:
    """The stand-in twin of a file query that has none: it refuses, saying how to get Neo4j."""

    def refuse(g: nx.MultiDiGraph, params: dict[str, Any]) -> list[Row]:
        raise QueryRefused(
            f"the saved query '{name}' ({path}) is Cypher only and runs on Neo4j, not on the "
            "embedded store: start the local server with `insikt neo4j start`, load your data "
            "into it (e.g. `insikt --backend neo4j load seed_data`) and run the query with "
            "--backend neo4j (or INSIKT_BACKEND=neo4j)", kind="needs_neo4j", name=name)

    return refuse


@dataclass(frozen=True)
class SavedQuery:
    """One named query. `order_by` gives the row order both implementations must follow.

    A query file without a networkx twin has `has_twin` False, no declared `columns` (they
    come from its Cypher's RETURN) and no `order_by` (its Cypher's ORDER BY stands)."""

    name: str
    title_sv: str
    title_en: str
    description: str
    params: tuple[Param, ...]
    cypher: str
    embedded: Callable[[nx.MultiDiGraph, dict[str, Any]], list[Row]]
    columns: tuple[str, ...]
    order_by: tuple[str, ...]
    node_columns: Mapping[str, Label] = field(default_factory=dict)
    example: dict[str, str] = field(default_factory=dict)
    prepare: Callable[[dict[str, Any]], dict[str, Any]] | None = None
    """Derives extra Cypher parameters (e.g. a Lucene query) from the bound ones."""
    description_sv: str = ""
    origin: QueryOrigin = "builtin"
    path: str = ""
    """The query file it was read from ('' for a built-in query)."""
    has_twin: bool = True
    """Whether `embedded` answers on the embedded store (False: the query needs Neo4j)."""
    uses_projection: bool = False
    """It reads the agency–problem projection (graph.projection), which `run_query` makes
    sure is fresh first."""

    @property
    def from_file(self) -> bool:
        """A query file's Cypher is analyst text: it runs behind the ad-hoc guard."""
        return self.origin != "builtin"

    def bind(self, raw: Mapping[str, Any]) -> dict[str, Any]:
        """Validate and type the parameters; unknown or missing ones are refused."""
        known = {p.name: p for p in self.params}
        unknown = sorted(set(raw) - set(known))
        if unknown:
            hints = []
            for u in unknown:
                close = close_matches(u, known, n=1)
                hints.append(f"{u} (did you mean {close[0]}?)" if close else u)
            raise QueryRefused(f"query '{self.name}' has no parameter {', '.join(hints)}; "
                               f"it takes: {', '.join(known) or 'none'}", kind="unknown_param",
                               query=self.name, names=", ".join(hints),
                               known=", ".join(known))
        bound: dict[str, Any] = {}
        for p in self.params:
            value = p.parse(raw.get(p.name)) if p.name in raw else None
            if value is None:
                value = p.default
            if value is None and p.required:
                raise QueryRefused(f"query '{self.name}' needs parameter '{p.name}' ({p.help}); "
                                   f"e.g. -p {p.name}={self.example.get(p.name, '…')}",
                                   kind="missing_param", query=self.name, name=p.name)
            bound[p.name] = value
        return bound


@dataclass(frozen=True)
class QueryResult:
    query: str
    params: dict[str, Any]
    columns: tuple[str, ...]
    rows: list[Row]
    backend: str
    truncated: bool = False
    """Rows were cut at the row cap (query files only; the message says so)."""
    message: str = ""

    @property
    def total(self) -> int | None:
        """For a paged query (a `total` column): how many rows there are in all, of which
        these are one page; None for other queries, or for a page past the end."""
        if "total" not in self.columns:
            return None
        if self.rows:
            return int(self.rows[0]["total"])
        return 0 if not self.params.get("offset") else None


CATALOG: dict[str, SavedQuery] = {}


def register(query: SavedQuery) -> SavedQuery:
    if query.name in CATALOG:
        raise ValueError(f"saved query '{query.name}' is defined twice")
    CATALOG[query.name] = query
    return query


def normalise(value: Any) -> Any:
    """Lists come back sorted (unless a query keeps their order) and floats stay floats."""
    if isinstance(value, tuple):
        value = list(value)
    return value


def sort_rows(rows: list[Row], order_by: tuple[str, ...]) -> list[Row]:
    """The same deterministic order on both backends: `-col` sorts descending; None last."""
    out = list(rows)
    for col in reversed(order_by):
        desc = col.startswith("-")
        name = col.lstrip("-")
        present = [r for r in out if r.get(name) is not None]
        missing = [r for r in out if r.get(name) is None]
        present.sort(key=lambda r: r[name], reverse=desc)
        out = present + missing
    return out
