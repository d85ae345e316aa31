"""The Neo4j store, the graph of record, through the official `neo4j` driver (6.x).

It writes exactly the records the embedded store writes, with the same algorithm as
`graph.store.apply_graph_data` (incrementally: only what changed, graph.changes), so both
backends hold the same graph and give the same statistics and exports. Dataset metadata and
the load history live on `InsiktDataset` / `InsiktVersion` nodes, which are not part of the
graph: `stats()` and `to_networkx()` leave them out; each node's and relationship's
per-dataset bookkeeping (`_own`, `_hashes`) is left out of the networkx form and of query
results.
"""

from __future__ import annotations

import json
import logging
import re
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any, TypeVar

import neo4j
import networkx as nx
from neo4j import Driver, GraphDatabase, ManagedTransaction
from neo4j.exceptions import (
    AuthError,
    ConfigurationError,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
)

from . import cypher, projection
from .changes import (
    DEFAULT_PRECEDENCE,
    ChangeSet,
    Entries,
    Props,
    compute_changes,
    data_digest,
    dumps,
    entries_of,
    entry_hash,
    merge_entries,
    name_fields,
    split,
)
from .cypher import EXPLAIN_PREFIX
from .cypher import META_LABEL as META_LABEL  # re-exported: callers know these names from here
from .cypher import SEARCH_INDEX as SEARCH_INDEX
from .cypher import TEXT_INDEX_EN as TEXT_INDEX_EN
from .cypher import TEXT_INDEX_SV as TEXT_INDEX_SV
from .cypher import schema_statements as schema_statements
from .embedded import DIFF_KEPT, content_hash, now_iso, os_user
from .errors import (
    BackendUnavailable,
    CypherSyntaxError,
    InsiktError,
    NotFound,
    QueryFailed,
    QueryRefused,
    SettingError,
    StoreError,
)
from .model import GraphData, Label, node_key
from .plan import QueryPlan, operators_of
from .settings import current_settings
from .store import (
    DATASETS_ATTR,
    AnswerableQuery,
    DatasetInfo,
    LoadCheck,
    LoadResult,
    OrgNrOwners,
    Progress,
    Stats,
    dataset_versions,
)
from .uri import check_uri, mask_uri

DEFAULT_URI = "bolt://127.0.0.1:7687"
DEFAULT_USER = "neo4j"
DEFAULT_PASSWORD = "insikt-dev-password"  # the local launcher's documented default
DEFAULT_DATABASE = "neo4j"
DEFAULT_BATCH = 1000
PAIR_BATCH = 10_000
"""Rows per UNWIND when the projection writes its pair table."""
DEFAULT_TX_ENTRIES = 20_000

HOW_TO_START = (
    "Start the local server with `make neo4j-up` (or `insikt neo4j start`) and set NEO4J_URI, "
    "NEO4J_USER, NEO4J_PASSWORD and NEO4J_DATABASE to match it, or use --backend embedded."
)
TIMEOUT_CODES = frozenset({
    "Neo.ClientError.Transaction.TransactionTimedOut",
    "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration",
    "Neo.TransientError.Transaction.LockClientStopped",
    "Neo.ClientError.Transaction.LockClientStopped",
})
WRITE_IN_READ_CODES = frozenset({
    "Neo.ClientError.Statement.AccessMode",
    "Neo.ClientError.Security.Forbidden",
})

# The driver logs connection failures as warnings; without a handler Python prints them on
# stderr next to our own message. Applications that configure logging still receive them.
logging.getLogger("neo4j").addHandler(logging.NullHandler())

T = TypeVar("T")
Row = dict[str, Any]


def _batches(items: list[T], size: int) -> Iterator[list[T]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _by_label(keys: list[str]) -> dict[str, list[str]]:
    """Node keys grouped by label, as ids (one Cypher statement per label)."""
    out: dict[str, list[str]] = {}
    for key in keys:
        label, node_id = key.split(":", 1)
        out.setdefault(label, []).append(node_id)
    return out


def _rels_by_type(keys: list[tuple[str, str, str]]) -> dict[tuple[str, str, str],
                                                            list[tuple[str, str, str]]]:
    """Relationship keys grouped by (type, start label, end label)."""
    out: dict[tuple[str, str, str], list[tuple[str, str, str]]] = {}
    for k in keys:
        out.setdefault((k[0], k[1].split(":", 1)[0], k[2].split(":", 1)[0]), []).append(k)
    return out


_NOT_OWN = frozenset({"id", DATASETS_ATTR, *cypher.BOOKKEEPING})


def _own_of(stored: Row, *, node: bool) -> dict[str, Props]:
    """Each dataset's own properties of a stored element, from its `_own` bookkeeping; an
    element written without it (by an older version, or the `cypher` export) counts its
    current properties as every one of its datasets' own."""
    text = stored.get(cypher.OWN_PROP)
    if isinstance(text, str):
        own = json.loads(text)
        if isinstance(own, dict):
            return {str(k): dict(v) for k, v in own.items()}
    props = {k: v for k, v in stored.items() if k not in _NOT_OWN or (not node and k == "id")}
    return {str(d): dict(props) for d in stored.get(DATASETS_ATTR) or []}


def _element_props(own: dict[str, Props], precedence: dict[str, str], *,
                   node_id: str | None = None) -> Row:
    """Every property an element gets: the merge of its datasets' entries, its `datasets`,
    and the bookkeeping (`_own`, `_hashes`)."""
    merged = merge_entries((d, precedence.get(d, DEFAULT_PRECEDENCE), p) for d, p in own.items())
    out: Row = {} if node_id is None else {"id": node_id}
    out.update(merged.props)
    out[DATASETS_ATTR] = sorted(own)
    out[cypher.OWN_PROP] = dumps(own)
    out[cypher.HASHES_PROP] = [f"{d}={entry_hash(p)}" for d, p in sorted(own.items())]
    return out


def to_plain(value: Any) -> Any:
    """Driver values as plain Python (JSON-friendly), so callers never see driver types."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, neo4j.graph.Node):
        labels = sorted(value.labels)
        out: dict[str, Any] = {"label": labels[0] if labels else None}
        if len(labels) > 1:
            out["labels"] = labels
        out.update({k: to_plain(v) for k, v in value.items() if k not in cypher.BOOKKEEPING})
        return out
    if isinstance(value, neo4j.graph.Relationship):
        def end(n: neo4j.graph.Node | None) -> dict[str, Any] | None:
            if n is None:
                return None
            return {"label": min(n.labels) if n.labels else None, "id": n.get("id")}

        rel = {"type": value.type, "start": end(value.start_node), "end": end(value.end_node)}
        rel.update({k: to_plain(v) for k, v in value.items() if k not in cypher.BOOKKEEPING})
        return rel
    if isinstance(value, neo4j.graph.Path):
        return {"nodes": [to_plain(n) for n in value.nodes],
                "relationships": [to_plain(r) for r in value.relationships]}
    if isinstance(value, dict):
        return {str(k): to_plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_plain(v) for v in value]
    if isinstance(value, bytes | bytearray):
        return bytes(value).hex()
    iso = getattr(value, "iso_format", None)
    if callable(iso):  # neo4j.time Date, Time, DateTime, Duration
        return str(iso())
    return str(value)


class Neo4jStore:
    """The graph in a Neo4j 5 database; same semantics as EmbeddedStore."""

    backend = "neo4j"
    runs_cypher = True
    local = False

    def __init__(self, uri: str = DEFAULT_URI, user: str = DEFAULT_USER,
                 password: str = DEFAULT_PASSWORD, database: str = DEFAULT_DATABASE,
                 batch_size: int = DEFAULT_BATCH, connection_timeout: float = 5.0,
                 tx_entries: int = DEFAULT_TX_ENTRIES) -> None:
        if batch_size < 1:
            raise InsiktError(f"the Neo4j batch size must be at least 1, not {batch_size}")
        self.uri = uri
        self.user = user
        self._password = password
        self.database = database
        self.batch_size = batch_size
        self.tx_entries = max(1, tx_entries)
        self.connection_timeout = connection_timeout
        self._driver: Driver | None = None
        self._schema_ready = False
        self.last_counters: dict[str, int] = {}
        """The write counters (graph elements created, deleted, properties set) of the last
        load's or unload's graph writes, summed from the server's summaries (tests read
        them)."""

    @property
    def shown_uri(self) -> str:
        """The URI as it may be shown to people and logs: credentials masked."""
        return mask_uri(self.uri)

    def __repr__(self) -> str:
        return f"Neo4jStore({self.shown_uri!r}, database={self.database!r})"

    @classmethod
    def from_env(cls) -> Neo4jStore:
        """A connected store configured by the settings (NEO4J_URI/USER/PASSWORD/DATABASE,
        INSIKT_NEO4J_BATCH), read fresh so that a changed environment is seen at once.

        Connecting here means a stopped server is reported before a command does any work.
        """
        cfg = current_settings()
        store = cls(uri=cfg.neo4j_uri, user=cfg.neo4j_user,
                    password=cfg.neo4j_password.get_secret_value(),
                    database=cfg.neo4j_database, batch_size=cfg.neo4j_batch,
                    tx_entries=cfg.neo4j_tx_entries)
        store.connect()
        return store

    def describe(self) -> str:
        return f"Neo4j {self.shown_uri} (database {self.database})"

    # -- connection and errors ------------------------------------------------------------
    def _unavailable(self, reason: str) -> BackendUnavailable:
        return BackendUnavailable(f"cannot use Neo4j at {self.shown_uri} (database "
                                  f"{self.database}): {reason}. {HOW_TO_START}",
                                  kind="neo4j_unavailable", uri=self.shown_uri,
                                  database=self.database)

    @contextmanager
    def _errors(self, action: str) -> Iterator[None]:
        """Turn driver errors into InsiktErrors; messages name the URI, never the password."""
        try:
            yield
        except InsiktError:
            raise
        except AuthError as exc:
            raise self._unavailable(f"the server refused the credentials of user '{self.user}' "
                                    "(check NEO4J_USER and NEO4J_PASSWORD)") from exc
        except (ServiceUnavailable, SessionExpired) as exc:
            raise self._unavailable("the server is not reachable") from exc
        except Neo4jError as exc:
            if exc.code and exc.code.startswith("Neo.ClientError.Database.DatabaseNotFound"):
                raise self._unavailable(f"there is no database '{self.database}' "
                                        "(check NEO4J_DATABASE)") from exc
            raise StoreError(f"Neo4j failed to {action}: {self._scrub(exc.message or str(exc))}"
                             ) from exc
        except (DriverError, OSError, ValueError) as exc:
            raise self._unavailable(f"the driver failed ({type(exc).__name__})") from exc

    def _scrub(self, text: str) -> str:
        """A server or driver message with the URI masked and the password (if echoed) hidden."""
        if self.uri:
            text = text.replace(self.uri, self.shown_uri)
        if self._password:
            text = text.replace(self._password, "***")
        return text

    @property
    def driver(self) -> Driver:
        """The connected driver (connecting and preparing the schema on first use)."""
        self.connect()
        assert self._driver is not None
        return self._driver

    def connect(self) -> None:
        """Open the driver, check the server answers, and create the schema once."""
        if self._driver is None:
            check_uri(self.uri)
            try:
                driver = GraphDatabase.driver(
                    self.uri, auth=(self.user, self._password),
                    connection_timeout=self.connection_timeout,
                    connection_acquisition_timeout=self.connection_timeout * 2,
                    max_transaction_retry_time=10.0,
                    notifications_min_severity="OFF")
            except (ConfigurationError, ValueError) as exc:
                raise SettingError(
                    f"NEO4J_URI '{self.shown_uri}' is not a valid Neo4j URI: "
                    f"{self._scrub(str(exc))[:200]} (use bolt://HOST:PORT or neo4j://HOST:PORT "
                    "in NEO4J_URI)") from None
            try:
                with self._errors("connect"):
                    driver.verify_connectivity()
            except BaseException:
                driver.close()
                raise
            self._driver = driver
        if not self._schema_ready:
            self._ensure_schema()

    def _ensure_schema(self) -> None:
        """Constraints, indexes and full-text indexes, created idempotently on first use."""
        assert self._driver is not None
        wanted = schema_statements()
        with self._errors("prepare the schema"), self._driver.session(database=self.database) as s:
            have = {r["name"]: r["state"] for r in s.run(cypher.SHOW_INDEXES)}
            missing = [stmt for name, stmt in wanted.items() if name not in have]
            for stmt in missing:
                s.run(stmt).consume()
            if missing or any(have.get(n) != "ONLINE" for n in wanted):
                s.run(cypher.AWAIT_INDEXES).consume()
        self._schema_ready = True

    def _write(self, work: Callable[[ManagedTransaction], T], action: str) -> T:
        with self._errors(action), self.driver.session(database=self.database) as s:
            return s.execute_write(work)

    def _read(self, work: Callable[[ManagedTransaction], T], action: str) -> T:
        with self._errors(action), self.driver.session(
                database=self.database, default_access_mode=neo4j.READ_ACCESS) as s:
            return s.execute_read(work)

    # -- the store protocol -------------------------------------------------------------
    def load(self, data: GraphData, progress: Progress | None = None,
             check: LoadCheck | None = None, *, by: str | None = None) -> LoadResult:
        """Make Neo4j hold `data` as the dataset's content, writing only what changed
        (graph.changes), in one transaction: queries see the old or the new version.

        The transaction first locks the load-lock node, then runs `check` on the org nrs as
        they are then: a concurrent load waits, so both cannot pass a cross-dataset rule. An
        unchanged dataset (same content hash as the loaded version) is not read entry by entry
        and nothing of the graph is written, only a new history version. Otherwise the stored
        entry hashes are compared, and the delta is written in UNWIND batches of `batch_size`
        rows. The driver may retry the whole function on a transient error; it starts from
        scratch, and a failed transaction leaves the previous version, which the next run
        compares against (so it repairs what the failed one did not write)."""
        started = time.perf_counter()
        ds = data.dataset
        quick = data_digest(data)
        meta: dict[str, Any] = {"id": ds.id, "title": ds.title, "description": ds.description,
                "version": ds.version, "path": ds.path, "loaded_at": now_iso(),
                "nodes": len(data.nodes), "relationships": len(data.relationships),
                "labels": json.dumps(data.label_counts(), ensure_ascii=False),
                "precedence": ds.precedence, "data_digest": quick}
        total = len(data.nodes) + len(data.relationships)

        state: dict[str, Any] = {}

        def work(tx: ManagedTransaction) -> tuple[ChangeSet, int, int] | None:
            self._take_lock(tx)
            if check is not None:
                check(self._org_nr_owners(tx))
            self.last_counters = {}
            if progress:
                progress("write", 0, total)
            metas = self._metas(tx)
            precedence = {i: str(m.get("precedence") or DEFAULT_PRECEDENCE)
                          for i, m in metas.items()}
            old = metas.get(ds.id)
            old_precedence = precedence.get(ds.id) if old is not None else None
            precedence[ds.id] = ds.precedence
            header_changed = old is None or any(
                old.get(k) != meta[k] for k in ("title", "description", "version", "path",
                                                "precedence"))
            if old is not None and old.get("data_digest") == quick and old.get("content_hash"):
                # the same records as the loaded version: nothing to read, compare or write
                cs, removed = ChangeSet(ds.id), (0, 0)
                meta["content_hash"] = old["content_hash"]
            else:
                new = entries_of(data)
                meta["content_hash"] = content_hash(data, new)
                cs = self._changes(tx, ds.id, new)
                all_touched = old_precedence not in (None, ds.precedence)
                if sum(cs.summary().values()) + (len(new.nodes) + len(new.rels)
                                                 if all_touched else 0) > self.tx_entries:
                    # too large for one transaction: written in parts (see load_in_parts)
                    if old is not None:
                        tx.run(cypher.MARK_STALE, ids=[ds.id]).consume()
                    state.update(cs=cs, new=new, precedence=precedence,
                                 all_touched=all_touched, header_changed=header_changed)
                    return None
                removed = self._apply(tx, ds.id, cs, new, precedence, progress, total=total,
                                      all_touched=all_touched)
            cs.header_changed = header_changed
            meta["load_version"] = self._record(tx, ds.id, "load", meta["content_hash"], by, meta,
                                                cs, removed)
            tx.run(cypher.MERGE_DATASET, id=ds.id, meta=meta).consume()
            return cs, removed[0], removed[1]

        done = self._write(work, f"load dataset '{ds.id}'")
        if done is None:
            done = self._load_in_parts(ds.id, state, meta, by, progress, total)
        cs, removed_nodes, removed_rels = done
        if progress:
            progress("write", total, total)
        return LoadResult(ds.id, len(data.nodes), len(data.relationships), removed_nodes,
                          removed_rels, time.perf_counter() - started, changes=cs)

    def _load_in_parts(self, dataset_id: str, state: dict[str, Any], meta: dict[str, Any],
                       by: str | None, progress: Progress | None,
                       total: int) -> tuple[ChangeSet, int, int]:
        """Write a delta larger than `tx_entries` in parts, one transaction each (the server
        bounds one transaction's memory), then record the version in a last one.

        Each part takes the load lock and writes whole entries with their bookkeeping, so
        the graph is consistent entry by entry. Until the last part commits, the dataset's
        quick digest is cleared: if a part fails, the next load compares entry by entry and
        writes what is missing. Readers may see a dataset that is partly loaded meanwhile;
        a delta up to `tx_entries` is one transaction (all or nothing)."""
        cs: ChangeSet = state["cs"]
        new: Entries = state["new"]
        apply = cs
        if state["all_touched"]:  # a new precedence: every entry of the dataset re-merges
            apply = ChangeSet(dataset_id, list(cs.added_nodes), list(cs.removed_nodes),
                              [k for k in new.nodes if k not in set(cs.added_nodes)],
                              list(cs.added_rels), list(cs.removed_rels),
                              [k for k in new.rels if k not in set(cs.added_rels)])
        removed = [0, 0]
        done = 0
        for part in split(apply, self.tx_entries):
            def write_part(tx: ManagedTransaction, part: ChangeSet = part) -> tuple[int, int]:
                self._take_lock(tx)
                return self._apply(tx, dataset_id, part, new, state["precedence"])

            gone = self._write(write_part, f"load dataset '{dataset_id}' (part)")
            removed[0] += gone[0]
            removed[1] += gone[1]
            cs.fields.update(part.fields)
            done += sum(part.summary().values())
            if progress:
                progress("write", min(done, total), total)
        cs.header_changed = state["header_changed"]

        def finish(tx: ManagedTransaction) -> None:
            self._take_lock(tx)
            meta["load_version"] = self._record(tx, dataset_id, "load", meta["content_hash"], by,
                                                meta, cs, (removed[0], removed[1]))
            tx.run(cypher.MERGE_DATASET, id=dataset_id, meta=meta).consume()

        self._write(finish, f"load dataset '{dataset_id}'")
        return cs, removed[0], removed[1]

    def _run(self, tx: ManagedTransaction, query: str, **params: Any) -> list[Row]:
        """Run one write statement; add its counters to `last_counters`."""
        result = tx.run(query, **params)
        rows = [r.data() for r in result]
        c = result.consume().counters
        for name in ("nodes_created", "nodes_deleted", "relationships_created",
                     "relationships_deleted", "properties_set"):
            self.last_counters[name] = self.last_counters.get(name, 0) + getattr(c, name)
        return rows

    @staticmethod
    def _metas(tx: ManagedTransaction) -> dict[str, dict[str, Any]]:
        return {str(m["id"]): m for m in (dict(r["m"]) for r in tx.run(cypher.LIST_DATASETS))}

    def _record(self, tx: ManagedTransaction, dataset_id: str, action: str, digest: str | None,
                by: str | None, meta: dict[str, Any], cs: ChangeSet,
                removed: tuple[int, int]) -> int:
        """Add a version to the history; return its number (one counter for all datasets)."""
        rec = tx.run(cypher.NEXT_VERSION, id=cypher.LOCK_ID).single()
        number = int(rec["v"]) if rec else 1
        version: dict[str, Any] = {
            "id": f"{dataset_id}#{number}", "version": number, "dataset": dataset_id,
            "action": action, "content_hash": digest, "at": now_iso(), "by": by or os_user(),
            "nodes": meta.get("nodes", 0), "relationships": meta.get("relationships", 0),
            "removed_nodes": removed[0], "removed_relationships": removed[1],
            "labels": meta.get("labels", "{}"), "path": meta.get("path", ""),
            "summary": dumps(cs.summary()),
            "changes": dumps(cs.as_dict(limit=DIFF_KEPT)["changes"])}
        tx.run(cypher.CREATE_VERSION, v=version).consume()
        return number

    def _changes(self, tx: ManagedTransaction, dataset_id: str, new: Entries) -> ChangeSet:
        """The dataset's stored entry hashes (`_hashes`) against its new entries."""
        prefix = dataset_id + "="
        cut = len(prefix)
        rec = tx.run(cypher.DATASET_NODE_HASHES, ds=dataset_id, prefix=prefix).single()
        nodes: dict[str, str | None] = {}
        if rec is not None:
            nodes = {k: (h[cut:] if h else None)
                     for k, h in zip(rec["keys"], rec["hashes"], strict=True)}
        rec = tx.run(cypher.DATASET_REL_HASHES, ds=dataset_id, prefix=prefix,
                     sep=cypher.KEY_SEP).single()
        rels: dict[tuple[str, str, str], str | None] = {}
        if rec is not None:
            for k, h in zip(rec["keys"], rec["hashes"], strict=True):
                t, a, b = k.split(cypher.KEY_SEP)
                rels[(t, a, b)] = h[cut:] if h else None
        return compute_changes(dataset_id, nodes, rels, new)

    def _read_before(self, tx: ManagedTransaction, node_keys: list[str],
                     rel_keys: list[tuple[str, str, str]]) -> tuple[
                         dict[str, Row], dict[tuple[str, str, str], Row]]:
        """The stored properties (with bookkeeping) of existing nodes and relationships."""
        nodes: dict[str, Row] = {}
        for label, ids in _by_label(node_keys).items():
            for batch in _batches(ids, self.batch_size):
                for r in tx.run(cypher.read_nodes(label), ids=batch):
                    nodes[node_key(label, r["id"])] = dict(r["before"])
        rels: dict[tuple[str, str, str], Row] = {}
        for (t, sl, el), keys in _rels_by_type(rel_keys).items():
            for rbatch in _batches(keys, self.batch_size):
                rows = [{"i": i, "start": k[1].split(":", 1)[1], "end": k[2].split(":", 1)[1]}
                        for i, k in enumerate(rbatch)]
                for r in tx.run(cypher.read_rels(t, sl, el), rows=rows):
                    rels[rbatch[r["i"]]] = dict(r["before"])
        return nodes, rels

    def _apply(self, tx: ManagedTransaction, dataset_id: str, cs: ChangeSet, new: Entries,
               precedence: dict[str, str], progress: Progress | None = None, *,
               all_touched: bool = False, total: int = 0) -> tuple[int, int]:
        """Write a ChangeSet: create what is new, re-merge (graph.changes.merge_entries) and
        set every node and relationship whose entries changed, delete what no dataset
        defines any more. Returns the (nodes, relationships) that disappeared."""
        total = total or sum(cs.summary().values())
        done = 0

        def step(n: int) -> None:
            nonlocal done
            done += n
            if progress:
                progress("write", min(done, total), total)

        old_own_nodes: dict[str, Props | None] = {}
        old_own_rels: dict[tuple[str, str, str], Props | None] = {}
        # nodes: create the new ones; merge the ones that exist
        node_sets: dict[str, list[Row]] = {}
        for label, ids in _by_label([*cs.added_nodes, *cs.changed_nodes]).items():
            for batch in _batches(ids, self.batch_size):
                rows = [{"id": i, "props": _element_props(
                    {dataset_id: new.nodes[node_key(label, i)]}, precedence, node_id=i)}
                        for i in batch]
                for r in self._run(tx, cypher.create_nodes(label), rows=rows):
                    if r["before"] is None:
                        continue
                    key = node_key(label, r["id"])
                    own = _own_of(r["before"], node=True)
                    old_own_nodes[key] = own.get(dataset_id)
                    own[dataset_id] = new.nodes[key]
                    node_sets.setdefault(label, []).append(
                        {"id": r["id"], "props": _element_props(own, precedence, node_id=r["id"])})
                step(len(batch))
        others = list(cs.removed_nodes)
        if all_touched:
            others += [k for k in new.nodes if k not in set(cs.added_nodes) | set(cs.changed_nodes)]
        before_nodes, _ = self._read_before(tx, others, [])
        dead: list[str] = []
        for key, before in before_nodes.items():
            own = _own_of(before, node=True)
            if key in new.nodes:
                own[dataset_id] = new.nodes[key]
            else:
                own.pop(dataset_id, None)
            if not own:
                dead.append(key)
                continue
            label, node_id = key.split(":", 1)
            node_sets.setdefault(label, []).append(
                {"id": node_id, "props": _element_props(own, precedence, node_id=node_id)})
        for label, rows in node_sets.items():
            for row_batch in _batches(rows, self.batch_size):
                self._run(tx, cypher.set_nodes(label), rows=row_batch)
        step(len(cs.removed_nodes))
        dead_set = set(dead)
        for rkey in new.rels:
            if rkey[1] in dead_set or rkey[2] in dead_set:
                raise StoreError(f"dataset '{dataset_id}': a relationship refers to a node that "
                                 f"does not exist ({rkey[0]} from {rkey[1]} to {rkey[2]}); "
                                 "nothing was written")
        # relationships the dataset no longer has (or, on a precedence change, all of them)
        others_r = list(cs.removed_rels)
        if all_touched:
            others_r += [k for k in new.rels if k not in set(cs.added_rels) | set(cs.changed_rels)]
        _, before_rels = self._read_before(tx, [], others_r)
        rel_sets: dict[tuple[str, str, str], list[Row]] = {}
        rel_drops: dict[tuple[str, str, str], list[Row]] = {}
        removed_rels = 0
        for rkey, before in before_rels.items():
            own = _own_of(before, node=False)
            if rkey in new.rels:
                own[dataset_id] = new.rels[rkey]
            else:
                own.pop(dataset_id, None)
            group = (rkey[0], rkey[1].split(":", 1)[0], rkey[2].split(":", 1)[0])
            ends = {"start": rkey[1].split(":", 1)[1], "end": rkey[2].split(":", 1)[1]}
            if own:
                rel_sets.setdefault(group, []).append(
                    {**ends, "props": _element_props(own, precedence)})
            else:
                rel_drops.setdefault(group, []).append(ends)
        for (t, sl, el), rows in rel_drops.items():
            for row_batch in _batches(rows, self.batch_size):
                rec = self._run(tx, cypher.delete_rels(t, sl, el), rows=row_batch)
                removed_rels += int(rec[0]["c"]) if rec else 0
        step(len(cs.removed_rels))
        # nodes no dataset defines any more, with their relationships
        stale: set[str] = set()
        gone_rels: set[str] = set()
        for label, ids in _by_label(dead).items():
            for batch in _batches(ids, self.batch_size):
                for r in self._run(tx, cypher.delete_nodes(label), ids=batch):
                    for rel in r["rels"]:
                        if rel["e"] is not None:
                            gone_rels.add(rel["e"])
                            stale.update(d for d in rel["d"] or [] if d != dataset_id)
        removed_rels += len(gone_rels)
        if stale:
            self._run(tx, cypher.MARK_STALE, ids=sorted(stale))
        # new and changed relationships
        for (t, sl, el), keys in _rels_by_type([*cs.added_rels, *cs.changed_rels]).items():
            for rbatch in _batches(keys, self.batch_size):
                rel_rows: list[Row] = [
                    {"i": i, "start": k[1].split(":", 1)[1], "end": k[2].split(":", 1)[1],
                     "props": _element_props({dataset_id: new.rels[k]}, precedence)}
                    for i, k in enumerate(rbatch)]
                answered = self._run(tx, cypher.create_rels(t, sl, el), rows=rel_rows)
                if len(answered) != len(rbatch):
                    raise StoreError(
                        f"dataset '{dataset_id}': {len(rbatch) - len(answered)} {t} "
                        f"relationships from {sl} to {el} refer to nodes that do not exist; "
                        "nothing was written")
                for r in answered:
                    if r["before"] is None:
                        continue
                    k = rbatch[r["i"]]
                    own = _own_of(r["before"], node=False)
                    old_own_rels[k] = own.get(dataset_id)
                    own[dataset_id] = new.rels[k]
                    rel_sets.setdefault((t, sl, el), []).append(
                        {"start": rel_rows[r["i"]]["start"], "end": rel_rows[r["i"]]["end"],
                         "props": _element_props(own, precedence)})
                step(len(rbatch))
        for (t, sl, el), rows in rel_sets.items():
            for row_batch in _batches(rows, self.batch_size):
                self._run(tx, cypher.set_rels(t, sl, el), rows=row_batch)
        name_fields(cs, new, old_own_nodes, old_own_rels)
        return len(dead), removed_rels

    def changes(self, data: GraphData) -> ChangeSet:
        """What loading `data` would add, remove and change (changed fields named); writes
        nothing (`insikt diff`, `insikt load --dry-run`)."""
        ds = data.dataset
        new = entries_of(data)

        def work(tx: ManagedTransaction) -> ChangeSet:
            cs = self._changes(tx, ds.id, new)
            before_nodes, before_rels = self._read_before(tx, cs.changed_nodes, cs.changed_rels)
            name_fields(cs, new,
                        {k: _own_of(b, node=True).get(ds.id) for k, b in before_nodes.items()},
                        {k: _own_of(b, node=False).get(ds.id) for k, b in before_rels.items()})
            old = self._metas(tx).get(ds.id)
            cs.header_changed = old is None or any(
                old.get(k) != v for k, v in (("title", ds.title), ("description", ds.description),
                                             ("version", ds.version), ("path", ds.path),
                                             ("precedence", ds.precedence)))
            return cs

        return self._read(work, f"compare dataset '{ds.id}'")

    def node_entries(self, label: str, node_id: str) -> list[tuple[str, str, dict[str, Any]]]:
        """Every dataset's own properties of one node: (dataset, precedence, props)."""
        def work(tx: ManagedTransaction) -> tuple[Row | None, dict[str, dict[str, Any]]]:
            rec = tx.run(cypher.read_node(Label(label)), id=node_id).single()
            return (dict(rec["p"]) if rec else None), self._metas(tx)

        props, metas = self._read(work, "read a node")
        if props is None:
            return []
        own = _own_of(props, node=True)
        return [(d, str((metas.get(d) or {}).get("precedence") or DEFAULT_PRECEDENCE), p)
                for d, p in sorted(own.items())]

    def load_versions(self, dataset_id: str | None = None) -> list[dict[str, Any]]:
        """The recorded loads and unloads, oldest first (optionally of one dataset)."""
        def work(tx: ManagedTransaction) -> list[Row]:
            return [dict(r["v"]) for r in tx.run(cypher.LIST_VERSIONS, ds=dataset_id)]

        out = []
        for v in self._read(work, "read the load history"):
            v.pop("changes", None)
            v.pop("id", None)
            v["labels"] = json.loads(v.get("labels") or "{}")
            v["summary"] = json.loads(v["summary"]) if v.get("summary") else None
            out.append(v)
        return out

    def last_diff(self, dataset_id: str) -> list[dict[str, Any]]:
        """The entry changes of the dataset's latest load (up to DIFF_KEPT of them)."""
        def work(tx: ManagedTransaction) -> str | None:
            rec = tx.run(cypher.LAST_DIFF, ds=dataset_id).single()
            return str(rec["changes"]) if rec and rec["changes"] else None

        text = self._read(work, "read the last diff")
        return list(json.loads(text)) if text else []

    @staticmethod
    def _take_lock(tx: ManagedTransaction) -> int:
        """Lock the load-lock node until the transaction ends; the write counter after it."""
        rec = tx.run(cypher.TAKE_LOCK, id=cypher.LOCK_ID).single()
        return int(rec["c"]) if rec else 0

    @staticmethod
    def _org_nr_owners(tx: ManagedTransaction) -> OrgNrOwners:
        out: OrgNrOwners = {}
        for r in tx.run(cypher.AGENCIES_WITH_ORG_NR):
            out.setdefault(r["nr"], []).append((r["id"], list(r["datasets"] or [])))
        return out

    def unload(self, dataset_id: str, *, by: str | None = None) -> LoadResult:
        started = time.perf_counter()

        def work(tx: ManagedTransaction) -> tuple[int, int] | None:
            self._take_lock(tx)
            self.last_counters = {}
            metas = self._metas(tx)
            if dataset_id not in metas:
                return None
            precedence = {i: str(m.get("precedence") or DEFAULT_PRECEDENCE)
                          for i, m in metas.items()}
            empty = Entries({}, {})
            cs = self._changes(tx, dataset_id, empty)
            removed = self._apply(tx, dataset_id, cs, empty, precedence)
            self._record(tx, dataset_id, "unload", None, by, {}, cs, removed)
            tx.run(cypher.DELETE_DATASET, id=dataset_id).consume()
            return removed

        removed = self._write(work, f"unload dataset '{dataset_id}'")
        if removed is None:
            raise NotFound(f"no dataset '{dataset_id}' is loaded (see 'insikt datasets')")
        return LoadResult(dataset_id, 0, 0, removed[0], removed[1], time.perf_counter() - started)

    def datasets(self) -> list[DatasetInfo]:
        def work(tx: ManagedTransaction) -> list[dict[str, Any]]:
            res = tx.run(cypher.LIST_DATASETS)
            return [dict(r["m"]) for r in res]

        out = []
        for m in self._read(work, "list datasets"):
            try:
                labels = json.loads(m.get("labels") or "{}")
            except json.JSONDecodeError:
                labels = {}
            out.append(DatasetInfo(
                id=m["id"], title=m.get("title", ""), version=m.get("version", ""),
                loaded_at=m.get("loaded_at", ""), path=m.get("path", ""),
                nodes=m.get("nodes", 0), relationships=m.get("relationships", 0),
                description=m.get("description", ""), labels=labels))
        return out

    def stats(self) -> Stats:
        def work(tx: ManagedTransaction) -> Stats:
            labels = {r["l"]: r["c"] for r in tx.run(cypher.COUNT_LABELS)}
            rels = {r["t"]: r["c"] for r in tx.run(cypher.COUNT_REL_TYPES)}
            return Stats(dict(sorted(labels.items())), dict(sorted(rels.items())))

        return self._read(work, "count the graph")

    def to_networkx(self) -> nx.MultiDiGraph:
        """Read the whole graph (one read transaction) into the shared networkx form."""
        return self.read_part(None, None)

    def read_part(self, labels: list[str] | None,
                  rel_types: list[str] | None) -> nx.MultiDiGraph:
        """The nodes of `labels` and the relationships of `rel_types` between them (None:
        all), in the shared networkx form: what an analysis reads, and no more."""
        def work(tx: ManagedTransaction) -> tuple[list[Row], list[Row], list[Row]]:
            metas = [dict(r["m"]) for r in tx.run(cypher.LIST_DATASETS)]
            if labels is None or rel_types is None:
                nodes = [r.data() for r in tx.run(cypher.READ_NODES)]
                rels = [r.data() for r in tx.run(cypher.READ_RELS)]
            else:
                nodes = [r.data() for r in tx.run(cypher.READ_NODES_OF, labels=labels)]
                rels = [r.data() for r in tx.run(cypher.READ_RELS_OF, labels=labels,
                                                 types=rel_types)]
            return nodes, rels, metas

        nodes, rels, metas = self._read(work, "read the graph")
        g = nx.MultiDiGraph()
        g.graph[DATASETS_ATTR] = dataset_versions(metas)
        for n in nodes:
            props = dict(n["props"])
            node_id = props.pop("id", None)
            datasets = props.pop("datasets", [])
            for name in cypher.BOOKKEEPING:
                props.pop(name, None)
            g.add_node(node_key(n["label"], node_id), label=n["label"], id=node_id,
                       datasets=list(datasets), **props)
        for r in rels:
            props = dict(r["props"])
            datasets = props.pop("datasets", [])
            for name in cypher.BOOKKEEPING:
                props.pop(name, None)
            g.add_edge(node_key(r["sl"], r["sid"]), node_key(r["el"], r["eid"]), key=r["type"],
                       type=r["type"], datasets=list(datasets), **props)
        return g

    def agencies_by_org_nr(self) -> OrgNrOwners:
        return self._read(self._org_nr_owners, "read agencies")

    def data_version(self) -> int:
        """The write counter on the load-lock node: it changes with every load and unload."""
        def work(tx: ManagedTransaction) -> int:
            rec = tx.run(cypher.READ_LOCK_WRITES, id=cypher.LOCK_ID).single()
            return int(rec["c"] or 0) if rec else 0

        return self._read(work, "read the version")

    def refresh_projection(self) -> int:
        """Rebuild the agency–problem projection (graph.projection) from the graph, and the
        ranked pair table of the unfiltered overlap from it. Returns the number of rows.

        In batches of bounded size (`CALL … IN TRANSACTIONS`, UNWIND batches), so the memory
        a transaction needs stays flat at any scale (one transaction at 100× already needed
        more than the 256 MiB the local server allows one). The load lock's write counter is
        noted when the refresh starts (`projection_gen`) and stamped when it ends
        (`projection_of`); a load in between makes the next query refresh again. While a
        refresh runs, overlap queries may read a partial projection."""
        with self._errors("refresh the agency-problem projection"), \
                self.driver.session(database=self.database) as s:
            for statement in cypher.PROJECTION_INDEXES:
                s.run(statement).consume()
            s.run(cypher.ENSURE_LOCK, id=cypher.LOCK_ID).consume()

            def start(tx: ManagedTransaction) -> tuple[int, list[dict[str, Any]]]:
                rec = tx.run(cypher.START_PROJECTION, id=cypher.LOCK_ID).single()
                links = [r.data() for r in tx.run(cypher.READ_SAME_PROBLEM)]
                return (int(rec["writes"]) if rec else 0), links

            writes, links = s.execute_write(start)
            problem, kind = projection.same_problem_params(links)
            s.run(cypher.DROP_PROJECTION).consume()
            s.run(cypher.DROP_PAIRS).consume()
            s.run(cypher.BUILD_PROJECTION, problem=problem, kind=kind).consume()
            held = [(r["agency"], r["problem"], r["kind"]) for r in s.run(
                cypher.READ_DEFAULT_PROJECTION, excluded=list(projection.EXCLUDABLE_STATUSES))]
            for batch in _batches(projection.default_pairs(held), PAIR_BATCH):
                s.run(cypher.WRITE_PAIRS, rows=batch).consume()
            s.run(cypher.STAMP_PROJECTION, id=cypher.LOCK_ID, writes=writes).consume()
            rec = s.run(cypher.COUNT_PROJECTION).single()
            return int(rec["c"]) if rec else 0

    def ensure_projection(self) -> None:
        """Rebuild the projection when a write happened since it was made or begun (one read
        when not)."""
        def work(tx: ManagedTransaction) -> bool:
            rec = tx.run(cypher.PROJECTION_FRESH, id=cypher.LOCK_ID).single()
            return rec is not None and rec["gen"] is not None and rec["gen"] == rec["writes"]

        if not self._read(work, "check the agency-problem projection"):
            self.refresh_projection()

    def close(self) -> None:
        if self._driver is not None:
            self._driver.close()
            self._driver = None

    # -- queries --------------------------------------------------------------------------
    def answer(self, query: AnswerableQuery, params: dict[str, Any], *,
               cypher_params: dict[str, Any] | None = None,
               timeout: float = 30.0) -> list[Row]:
        """Saved queries run their Cypher here, read-only and time-limited (`run_read`)."""
        _, rows, _ = self.run_read(query.cypher, {**params, **(cypher_params or {})},
                                   timeout=timeout)
        return rows

    def explain(self, cypher: str, params: dict[str, Any] | None = None, *,
                timeout: float = 10.0) -> QueryPlan:
        """The server's plan for `cypher` (query type, database, every operator), not run.

        A query the server cannot parse raises QueryRefused with the server's message, its
        line/column/offset mapped back to `cypher` (without the EXPLAIN prefix).
        """
        if timeout <= 0:
            raise QueryRefused(f"the timeout must be positive, not {timeout:g} s")

        def work(s: neo4j.Session, tag: str) -> QueryPlan:
            summary = s.run(neo4j.Query(EXPLAIN_PREFIX + cypher, timeout=timeout,
                                        metadata={QUERY_TAG: tag}), params or {}).consume()
            database = str(summary.database or self.database)
            return QueryPlan(query_type=str(summary.query_type or ""), database=database,
                             operators=operators_of(summary.plan, database))

        try:
            return self._bounded(work, timeout, "plan the query")
        except _ServerRejected as rejected:
            exc = rejected.error
            code = exc.code or ""
            if (code.startswith("Neo.ClientError.") and code not in TIMEOUT_CODES
                    and not code.startswith("Neo.ClientError.Security.")):
                raise _unprefixed(self._scrub(exc.message or code), cypher) from None
            raise self._query_error(exc, timeout) from None

    def _query_error(self, exc: Neo4jError, timeout: float) -> InsiktError:
        """A clear InsiktError for a query that the server rejected or stopped."""
        if isinstance(exc, AuthError):
            return self._unavailable(f"the server refused the credentials of user '{self.user}'")
        code = exc.code or ""
        message = self._scrub(exc.message or "")
        if code in TIMEOUT_CODES:
            return QueryFailed(f"the query timed out after {timeout:g} s (its time limit) and was "
                               "stopped. Narrow it with WHERE or LIMIT, or allow more time with "
                               "--timeout.", kind="timeout", seconds=timeout)
        if code in MEMORY_CODES:
            return QueryFailed("the query was stopped: it needed more memory than the server "
                               f"allows one transaction ({message[:300]}). Narrow it with WHERE "
                               "or LIMIT.", kind="memory")
        if code in WRITE_IN_READ_CODES:
            return QueryRefused("refused: the query tries to write, and queries run read-only. "
                                "Use `insikt load` to change data.", kind="cypher_not_read_only")
        if code == "Neo.ClientError.Statement.ParameterMissing":
            return QueryRefused(f"the query needs a parameter that was not given: {message} "
                                "(pass it as -p name=value)")
        if code.startswith(("Neo.ClientError.Statement.", "Neo.ClientError.Procedure.")):
            return QueryFailed(f"the query is not valid here: {message or code}")
        if code.startswith("Neo.ClientError.Database.DatabaseNotFound"):
            return self._unavailable(f"there is no database '{self.database}'")
        return QueryFailed(f"the query failed ({code}): {message or exc}")

    def run_read(self, cypher: str, params: dict[str, Any] | None = None, *,
                 timeout: float = 10.0, row_cap: int | None = None,
                 max_bytes: int | None = None, max_values: int | None = None,
                 ) -> tuple[list[str], list[dict[str, Any]], bool]:
        """Run a read query: read routing, read-only session, a server-side time limit.

        Returns (columns, rows as plain Python dicts, truncated). With `row_cap`, at most that
        many rows are fetched (one more is looked at to know whether there were more). With
        `max_bytes`, a result whose Bolt messages exceed that size is cut off as it streams
        (the connection is closed, which stops the server sending) and QueryFailed says so;
        `max_values` bounds the number of values (list elements, map entries, properties).
        The transaction is never retried; a client-side watchdog gives up shortly after
        `timeout`, terminates the transaction server-side and reports a timeout.
        """
        if timeout <= 0:
            raise QueryRefused(f"the timeout must be positive, not {timeout:g} s")
        rows: list[dict[str, Any]] = []

        def work(s: neo4j.Session, tag: str) -> tuple[list[str], list[dict[str, Any]], bool]:
            with s.begin_transaction(timeout=timeout, metadata={QUERY_TAG: tag}) as tx:
                result = tx.run(cypher, params or {})
                columns = list(result.keys())
                truncated = False
                values = 0
                for record in result:
                    if row_cap is not None and len(rows) >= row_cap:
                        truncated = True
                        break
                    row = {k: to_plain(v) for k, v in zip(columns, record.values(), strict=True)}
                    if max_values is not None:
                        values += _count_values(row)
                    if max_values is not None and values > max_values:
                        raise QueryFailed(
                            f"the result has more than {max_values:,} values (the size limit); "
                            f"it was cut off after {len(rows):,} complete rows. Return fewer "
                            "or smaller values (LIMIT, fewer properties, no huge lists).")
                    rows.append(row)
                if not truncated:
                    result.consume()
                return columns, rows, truncated

        try:
            return self._bounded(work, timeout, "run the query", max_bytes=max_bytes,
                                 rows=rows)
        except _ServerRejected as rejected:
            raise self._query_error(rejected.error, timeout) from None

    def _bounded(self, work: Callable[[neo4j.Session, str], T], timeout: float, action: str, *,
                 max_bytes: int | None = None, rows: list[dict[str, Any]] | None = None) -> T:
        """Run `work` in a read session on a worker thread, bounded in time and bytes.

        The worker's transaction is tagged; if it has not finished `WATCHDOG_GRACE` seconds
        after `timeout` (the server did not stop it, e.g. a parser stack overflow that never
        answers, or an expression that does not check for termination), the transaction is
        terminated from a second session, the worker's socket is shut down and QueryFailed
        reports the timeout. Server errors come back as _ServerRejected.
        """
        driver = self.driver  # connects (and reports a stopped server) on the caller's thread
        tag = uuid.uuid4().hex
        guard = _ReceiveGuard(max_bytes)
        box: dict[str, Any] = {}
        done = threading.Event()

        def run() -> None:
            _RECEIVE.guard = guard
            try:
                with driver.session(database=self.database,
                                    default_access_mode=neo4j.READ_ACCESS) as s:
                    box["value"] = work(s, tag)
            except BaseException as exc:  # handed to the caller's thread below
                box["error"] = exc
            finally:
                _RECEIVE.guard = None
                done.set()

        worker = threading.Thread(target=run, name="insikt-neo4j-read", daemon=True)
        worker.start()
        if not done.wait(timeout + WATCHDOG_GRACE):
            guard.cancelled = True
            still_running = self._terminate(tag)
            guard.shutdown()
            after = (" Neo4j marked it terminated but is still computing it (it cannot interrupt "
                     "some expressions); the server may stay busy for a while."
                     if still_running else "")
            raise QueryFailed(f"the query timed out after {timeout:g} s (its time limit); the "
                              f"client gave up and had the server terminate it.{after} Narrow "
                              "it with WHERE or LIMIT, or allow more time with --timeout.",
                              kind="timeout", seconds=timeout)
        if "value" in box:
            return box["value"]  # type: ignore[no-any-return]
        exc = box.get("error")
        if guard.exceeded:
            got = len(rows) if rows is not None else 0
            raise QueryFailed(
                f"the result is larger than {_mib(max_bytes)} (the size limit); it was cut off "
                f"after {got:,} complete rows. Return fewer or smaller values (LIMIT, fewer "
                "properties, no huge lists).") from None
        if isinstance(exc, InsiktError):
            raise exc
        if isinstance(exc, Neo4jError) and not isinstance(exc, AuthError):
            raise _ServerRejected(exc)
        if isinstance(exc, ServiceUnavailable | SessionExpired) and self._driver is not None:
            raise BackendUnavailable(
                f"the connection to Neo4j at {self.shown_uri} was lost while the query ran "
                f"({type(exc).__name__}); the server may have closed it. {HOW_TO_START}"
            ) from None
        assert isinstance(exc, BaseException)
        with self._errors(action):
            raise exc
        raise AssertionError("unreachable")  # pragma: no cover

    def lingering_queries(self) -> int:
        """How many of our own timed-out reads the server still computes after TERMINATE.

        Neo4j cannot interrupt some expressions (docs/security.md); the console refuses new
        queries while too many such transactions linger, so one user cannot pile them up.
        """
        def work(tx: ManagedTransaction) -> int:
            rec = tx.run(cypher.count_lingering(QUERY_TAG)).single()
            return int(rec["c"]) if rec else 0

        return self._read(work, "list running queries")

    def _terminate(self, tag: str) -> bool:
        """Ask the server to stop the tagged transaction (best effort, bounded in time).

        True if the server still lists it afterwards (terminated, but still computing).
        """
        driver = self._driver
        if driver is None:
            return False
        found: list[bool] = []
        find = cypher.find_tagged_transactions(QUERY_TAG)

        def run() -> None:
            try:
                with driver.session(database=self.database) as s:
                    ids = [r["id"] for r in s.run(find, tag=tag)]
                    if ids:
                        s.run(cypher.TERMINATE_TRANSACTIONS, ids=ids).consume()
                        time.sleep(0.5)
                        found.append(bool(list(s.run(find, tag=tag))))
            except (Neo4jError, DriverError, OSError) as exc:
                logging.getLogger(__name__).info("could not terminate a timed-out query: %s",
                                                 type(exc).__name__)

        helper = threading.Thread(target=run, name="insikt-neo4j-terminate", daemon=True)
        helper.start()
        helper.join(TERMINATE_WAIT)
        if found and found[0]:
            logging.getLogger(__name__).info(
                "a timed-out query is still running on Neo4j after TERMINATE TRANSACTIONS")
        return bool(found and found[0])


QUERY_TAG = "insikt_query"
"""Transaction metadata key that tags our own reads, so a timed-out one can be terminated."""
WATCHDOG_GRACE = 2.0
"""Seconds after the time limit before the client gives up on a query the server did not stop."""
TERMINATE_WAIT = 3.0
MEMORY_CODES = frozenset({
    "Neo.TransientError.General.MemoryPoolOutOfMemoryError",
    "Neo.TransientError.General.TransactionMemoryLimit",
    "Neo.TransientError.General.OutOfMemoryError",
})
_POSITION = re.compile(r"\(line (\d+), column (\d+) \(offset: (\d+)\)\)")


class _ServerRejected(Exception):
    """The server answered the query with an error (carried to the caller's thread)."""

    def __init__(self, error: Neo4jError) -> None:
        super().__init__(error.code)
        self.error = error


def _count_values(value: Any) -> int:
    """How many values a plain result value holds (a scalar is 1; containers add their items)."""
    count, stack = 0, [value]
    while stack:
        item = stack.pop()
        count += 1
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return count


def _mib(n: int | None) -> str:
    return f"{(n or 0) / 2**20:g} MiB"


def _unprefixed(message: str, cypher: str) -> QueryRefused:
    """A server message about `EXPLAIN <cypher>` as an error about `cypher` itself.

    The server counts its offset in UTF-16 code units (Java strings) of the prefixed text;
    it is turned into a character offset in the analyst's own text, from which
    `CypherSyntaxError` derives the line and column (so a leading comment, blank lines, tabs,
    CRLF line ends and characters outside the BMP all land where the analyst sees them). The
    server's echo of the prefixed text is dropped; the error carries the analyst's line with a
    caret instead. A message without a position stays as the server's first line.
    """
    first = message.split("\n", 1)[0]
    m = _POSITION.search(first)
    if not m:
        return QueryRefused(f"refused: Neo4j cannot run this query: {first}")
    reason = (first[:m.start()] + first[m.end():]).strip()
    return CypherSyntaxError(reason, cypher,
                             _char_offset(EXPLAIN_PREFIX + cypher, int(m.group(3)))
                             - len(EXPLAIN_PREFIX))


def _char_offset(text: str, utf16_offset: int) -> int:
    """The index in `text` of the character at `utf16_offset` UTF-16 code units."""
    units = 0
    for i, ch in enumerate(text):
        if units >= utf16_offset:
            return i
        units += 2 if ord(ch) > 0xFFFF else 1
    return len(text)


@dataclass
class _ReceiveGuard:
    """Per-query byte budget and cancel switch, seen by the receive hook on the worker thread."""

    limit: int | None
    received: int = 0
    exceeded: bool = False
    cancelled: bool = False
    sock: Any = None

    def shutdown(self) -> None:
        """Shut the worker's socket down, which wakes its blocked read and tells the server."""
        raw = getattr(self.sock, "_socket", self.sock)
        if isinstance(raw, socket.socket):
            with suppress(OSError):
                raw.shutdown(socket.SHUT_RDWR)


_RECEIVE = threading.local()


def _install_receive_hook() -> bool:
    """Count the bytes of Bolt messages as they arrive (the driver offers no size limit).

    Wraps the driver's `receive_into_buffer`; only threads with a `_ReceiveGuard` are
    affected. Returns False (and leaves the driver alone) if this driver version differs.
    """
    try:
        from neo4j._sync.io._bolt import _common as bolt_common
    except ImportError:  # pragma: no cover - another driver layout
        return False
    original = getattr(bolt_common, "receive_into_buffer", None)
    if original is None or getattr(original, "_insikt_hook", False):
        return original is not None

    def receive_into_buffer(sock: Any, buffer: Any, n_bytes: int) -> None:
        guard: _ReceiveGuard | None = getattr(_RECEIVE, "guard", None)
        if guard is not None:
            guard.sock = sock
            if guard.cancelled:
                raise OSError("the client gave up on the query")
            if guard.limit is not None:
                guard.received += n_bytes
                if guard.received > guard.limit:
                    guard.exceeded = True
                    raise OSError("the result is larger than the size limit")
        original(sock, buffer, n_bytes)

    receive_into_buffer._insikt_hook = True  # type: ignore[attr-defined]
    bolt_common.receive_into_buffer = receive_into_buffer
    return True


SIZE_LIMIT_ACTIVE = _install_receive_hook()
"""Whether result sizes are bounded as they stream (see _install_receive_hook)."""
