"""The embedded store: the graph in one SQLite database (stdlib `sqlite3`, WAL mode, no server).

Why SQLite and not a JSON file rewritten whole: a load is one `BEGIN IMMEDIATE` transaction, so
two concurrent loads queue up instead of overwriting each other, readers always see a whole
load (WAL snapshots), and a kill -9 leaves the database at the old or the new version.

The tables keep the semantics of `graph.store.apply_graph_data`/`remove_dataset` exactly, and
a load writes only what changed (graph.changes; docs/architecture.md, "The write path"):

- `nodes(key, label, id, props)`: one row per node, keyed `Label:id`; `props` is the JSON of the
  effective properties, the merge of every dataset's entry by precedence
  (graph.changes.merge_entries).
- `node_datasets(node, dataset, props, hash)`: which datasets define a node, each with the
  properties *it* gave and their entry hash (what reloads compare and merges read; NULL for
  records migrated from the old JSON store, which did not keep them).
- `rels(id, start_key, end_key, type, props)` and `rel_datasets(rel, dataset, props, hash)`:
  the same for relationships (one per start, end and type, as in the networkx MultiDiGraph).
- `datasets`: the metadata `insikt datasets` lists; `dataset_precedence` and `dataset_digest`
  (the quick digest of the loaded records: equal means unchanged); `load_versions` and
  `load_diffs`: one row per load, unload or migration (content hash, time, who, counts, and
  what it added, removed and changed), the history `insikt history` lists.
- `meta`: format, schema version and `generation`, a counter every write bumps; the networkx
  graph that queries walk is rebuilt only when it changes.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import shutil
import sqlite3
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import networkx as nx

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: migrations are not locked
    fcntl = None  # type: ignore[assignment]

from .changes import (
    DEFAULT_PRECEDENCE,
    ChangeSet,
    Entries,
    compute_changes,
    data_digest,
    entries_of,
    merge_entries,
    name_fields,
)
from .errors import BadStoreFile, InsiktError, NotFound, QueryRefused, StoreError
from .model import GraphData, Label, node_key
from .plan import QueryPlan
from .settings import get_settings
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

STORE_FORMAT = "insiktsgrafen-store"
SCHEMA_VERSION = 1
"""Version of the SQLite schema below; a store of another version is refused, not guessed at."""
LEGACY_VERSION = 1
"""Version of the old JSON store format that is migrated."""
DEFAULT_STORE = Path(".insikt") / "graph.db"
SQLITE_MAGIC = b"SQLite format 3\x00"
ORPHAN_GLOB = ".graph-*.tmp"
"""Temp files the old JSON store left behind when it was killed during a save."""
WAITING = "waiting for another load to finish…"
NO_CYPHER = (
    "Cypher needs the Neo4j backend, and this is the embedded store: start the local server with "
    "`insikt neo4j start`, load your datasets into it with `insikt --backend neo4j load PATH`, "
    "then use `insikt --backend neo4j cypher ...`; the saved queries run on both backends")

SQL_CHUNK = 5000
"""Keys per SQL statement of a load (bounded statements, memory flat in the delta)."""
DIFF_KEPT = 2000
"""Entry changes kept per load in `load_diffs` (the summary counts them all)."""
T = TypeVar("T")

Notify = Callable[[str], None]
"""Receives one-line messages for people (migration, waiting for a lock); never prints itself."""

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS nodes (
    key TEXT PRIMARY KEY, label TEXT NOT NULL, id TEXT NOT NULL, props TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS nodes_label ON nodes (label);
CREATE TABLE IF NOT EXISTS node_datasets (
    node TEXT NOT NULL, dataset TEXT NOT NULL, props TEXT, hash TEXT,
    PRIMARY KEY (node, dataset)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS node_datasets_by_dataset ON node_datasets (dataset, node);
CREATE TABLE IF NOT EXISTS rels (
    id INTEGER PRIMARY KEY, start_key TEXT NOT NULL, end_key TEXT NOT NULL, type TEXT NOT NULL,
    props TEXT NOT NULL, UNIQUE (start_key, end_key, type)
);
CREATE INDEX IF NOT EXISTS rels_by_end ON rels (end_key);
CREATE TABLE IF NOT EXISTS rel_datasets (
    rel INTEGER NOT NULL, dataset TEXT NOT NULL, props TEXT, hash TEXT,
    PRIMARY KEY (rel, dataset)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS rel_datasets_by_dataset ON rel_datasets (dataset, rel);
CREATE TABLE IF NOT EXISTS load_versions (
    version INTEGER PRIMARY KEY AUTOINCREMENT, dataset TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('load', 'unload', 'migrate')),
    content_hash TEXT, at TEXT NOT NULL, by TEXT NOT NULL,
    nodes INTEGER NOT NULL, relationships INTEGER NOT NULL,
    removed_nodes INTEGER NOT NULL, removed_relationships INTEGER NOT NULL,
    labels TEXT NOT NULL, path TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS load_versions_by_dataset ON load_versions (dataset, version);
CREATE TABLE IF NOT EXISTS dataset_precedence (
    dataset TEXT PRIMARY KEY, precedence TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS dataset_digest (
    dataset TEXT PRIMARY KEY, digest TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS load_diffs (
    version INTEGER PRIMARY KEY, summary TEXT NOT NULL, changes TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS datasets (
    id TEXT PRIMARY KEY, title TEXT NOT NULL, description TEXT NOT NULL, version TEXT NOT NULL,
    path TEXT NOT NULL, loaded_at TEXT NOT NULL, nodes INTEGER NOT NULL,
    relationships INTEGER NOT NULL, labels TEXT NOT NULL, load_version INTEGER
) WITHOUT ROWID;
"""
TEMP_SCHEMA = """
CREATE TEMP TABLE IF NOT EXISTS gone_nodes (key TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TEMP TABLE IF NOT EXISTS gone_rels (id INTEGER PRIMARY KEY);
CREATE TEMP TABLE IF NOT EXISTS touched_nodes (key TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TEMP TABLE IF NOT EXISTS touched_rels (id INTEGER PRIMARY KEY);
CREATE TEMP TABLE IF NOT EXISTS incoming_rels (
    idx INTEGER PRIMARY KEY, start_key TEXT, end_key TEXT, type TEXT);
"""


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def os_user() -> str:
    """Who ran the load, for the load history (the OS user; never a secret)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return f"uid {os.getuid()}" if hasattr(os, "getuid") else "unknown"


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def _dumps(value: Any) -> str:
    return _ENCODER.encode(value)


def content_hash(data: GraphData, entries: Entries) -> str:
    """One hash of what a load writes: the dataset header (not its path; its precedence when
    not the default) and every entry's key and hash (graph.changes), in key order."""
    ds = data.dataset
    header: list[Any] = [ds.id, ds.title, ds.description, ds.version]
    if ds.precedence != DEFAULT_PRECEDENCE:
        header.append(ds.precedence)
    return entries.digest(header)


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    return "locked" in str(exc) or "busy" in str(exc)


class EmbeddedStore:
    """The graph in an SQLite file; every load and unload is one write transaction."""

    backend = "embedded"
    runs_cypher = False
    local = True

    def __init__(self, path: str | Path | None = None, *, busy_timeout: float | None = None,
                 notify: Notify | None = None) -> None:
        settings = get_settings()
        self.path = Path(path or settings.store or DEFAULT_STORE)
        self.busy_timeout = settings.store_busy_timeout if busy_timeout is None else busy_timeout
        if self.busy_timeout <= 0:
            raise StoreError(f"the store's busy timeout must be positive, not {self.busy_timeout:g} s")
        self._notify = notify
        self._lock = threading.RLock()
        self._conn: sqlite3.Connection | None = None
        self._wal = False
        self._graph: nx.MultiDiGraph | None = None
        self._graph_generation: int | None = None
        self._graph_unchanged = False
        """Set inside a write when it changed nothing a query sees (no generation bump)."""
        self._remove_orphans()
        self._open_existing()

    def describe(self) -> str:
        return f"embedded store {self.path}"

    def _say(self, message: str) -> None:
        if self._notify:
            self._notify(message)

    # -- opening, checking and migrating the file -----------------------------------------
    def _remove_orphans(self) -> None:
        """Delete the temp files a killed save of the old JSON store left (`.graph-*.tmp`)."""
        folder = self.path.parent
        if not folder.is_dir():
            return
        removed = 0
        for tmp in folder.glob(ORPHAN_GLOB):
            if tmp.is_symlink() or tmp.is_file():
                with contextlib.suppress(OSError):
                    tmp.unlink()
                    removed += 1
        if removed:
            self._say(f"removed {removed} orphan temp file{'s' if removed != 1 else ''} "
                      f"({ORPHAN_GLOB}) that an interrupted save of the old store left in {folder}")

    def _open_existing(self) -> None:
        """Check the file (or migrate an old JSON store); a missing file stays missing."""
        if self._legacy() is not None:
            with self._migration_lock():
                legacy = self._legacy()  # again: another process may have migrated it
                if legacy is not None:
                    self._migrate(legacy, in_place=legacy == self.path)
        if not self.path.exists():
            return
        if not self.path.is_file():
            raise self._foreign("it is not a regular file")
        head = self._head()
        if head == SQLITE_MAGIC:
            with self._lock, self._errors("open"):
                self._check_length()
                self._check_schema(self._connect())
        elif head:  # (an empty file is an empty database to SQLite)
            raise self._foreign("it is neither an SQLite database nor the old JSON store")

    def _head(self) -> bytes:
        try:
            with self.path.open("rb") as fh:
                return fh.read(len(SQLITE_MAGIC))
        except OSError as exc:
            raise StoreError(f"cannot read the store {self.path}: {exc.strerror or exc}. Check "
                             "its permissions, or point --store/INSIKT_STORE elsewhere.") from exc

    def _legacy(self) -> Path | None:
        """The old JSON store to migrate: the store path itself, or `<name>.json` beside a
        store file that does not exist yet."""
        if self.path.is_file():
            return self.path if _looks_like_json(self.path) else None
        if self.path.exists():
            return None
        legacy = self.path.with_suffix(".json")
        if self.path.suffix != ".json" and legacy.is_file() and _looks_like_json(legacy):
            return legacy
        return None

    @contextlib.contextmanager
    def _migration_lock(self) -> Iterator[None]:
        """One migration at a time: two processes opening an old store at once must not both
        put a database in place (the second would replace the first's later loads)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock = self.path.parent / f".{self.path.name}.migrate-lock"
        with lock.open("a") as fh:
            if fcntl is not None:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
            yield

    def _foreign(self, why: str) -> StoreError:
        return BadStoreFile(
            f"{self.path} is not an Insiktsgrafen store: {why}. Move it away (or point "
            "--store/INSIKT_STORE at another file) and load your datasets again.")

    def _check_schema(self, conn: sqlite3.Connection) -> None:
        try:
            rows = dict(conn.execute("SELECT key, value FROM meta WHERE key IN "
                                     "('format', 'schema_version')").fetchall())
        except sqlite3.OperationalError as exc:
            if "no such table" in str(exc):
                if conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()[0] == 0:
                    return  # an empty database (e.g. a first load was interrupted)
                raise self._foreign("it is an SQLite database of another program") from exc
            raise
        if rows.get("format") != STORE_FORMAT:
            raise self._foreign("it is an SQLite database of another program")
        version = rows.get("schema_version", "")
        if version != str(SCHEMA_VERSION):
            raise BadStoreFile(
                f"{self.path} is an Insiktsgrafen store of schema version {version or '?'}, and "
                f"this Insiktsgrafen reads version {SCHEMA_VERSION}. Use the Insiktsgrafen "
                "that wrote it (e.g. to `insikt export --format json`), or move it away and "
                "load your datasets again.")

    def _check_length(self) -> None:
        """A truncated file: its header promises more pages than the file holds.

        Read from the raw header, and only while no process has the file open (no -wal or
        -journal beside it): a writer may legitimately extend the file or keep new pages in
        the WAL, and SQLite reports damage it meets later anyway (as a StoreError)."""
        if any(Path(f"{self.path}{s}").exists() for s in ("-wal", "-journal")):
            return
        with self.path.open("rb") as fh:
            header = fh.read(100)
            size = os.fstat(fh.fileno()).st_size
        if len(header) < 100:
            raise BadStoreFile(f"{self.path} is damaged: it is shorter than an SQLite header "
                             "(truncated). Restore it from a backup, or move it away and load "
                             "your datasets again.")
        page_size = int.from_bytes(header[16:18], "big")
        page_size = 65536 if page_size == 1 else page_size
        pages = int.from_bytes(header[28:32], "big")
        valid = header[24:28] == header[92:96] and pages > 0
        if valid and size < page_size * pages:
            raise BadStoreFile(f"{self.path} is damaged: it is shorter than its header says "
                             "(truncated). Restore it from a backup, or move it away and load "
                             "your datasets again.")

    def _migrate(self, legacy: Path, *, in_place: bool) -> None:
        """Copy an old JSON store into a new SQLite store once; keep the JSON as a backup."""
        doc = _read_legacy(legacy)
        backup = legacy.with_name(legacy.name + ".bak")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=".insikt-migrate-", suffix=".db",
                                        dir=self.path.parent)
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            conn = sqlite3.connect(tmp, isolation_level=None)
            try:
                conn.executescript(SCHEMA)
                conn.execute("BEGIN IMMEDIATE")
                _init_meta(conn)
                _write_legacy(conn, doc)
                conn.execute("COMMIT")
                conn.execute("PRAGMA journal_mode=WAL")
            finally:
                conn.close()
            if in_place:
                shutil.copy2(legacy, backup)
            os.replace(tmp, self.path)
            if not in_place:
                os.replace(legacy, backup)
        except (OSError, sqlite3.Error) as exc:
            tmp.unlink(missing_ok=True)
            raise StoreError(f"cannot migrate the old JSON store {legacy} to {self.path}: {exc}. "
                             "It is unchanged; check the folder's permissions and space.") from exc
        self._say(f"migrated the old JSON store {legacy} to the SQLite store {self.path} "
                  f"({len(doc['nodes'])} nodes, {len(doc['edges'])} relationships, "
                  f"{len(doc['datasets'])} datasets); the JSON file is kept as {backup}")

    # -- connections and transactions ------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        if self._conn is None:
            conn = sqlite3.connect(self.path, timeout=self.busy_timeout, isolation_level=None,
                                   check_same_thread=False)
            conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout * 1000)}")
            self._conn = conn
        return self._conn

    @contextlib.contextmanager
    def _errors(self, action: str) -> Iterator[None]:
        """sqlite3 errors as StoreErrors that name the file and what to do."""
        try:
            yield
        except InsiktError:
            raise
        except sqlite3.OperationalError as exc:
            if _is_busy(exc):
                raise StoreError(
                    f"cannot {action} the store {self.path}: another process has it locked "
                    f"(for more than {self.busy_timeout:g} s, or in a way that cannot be waited "
                    "for). Try again when its load has finished; INSIKT_STORE_BUSY_TIMEOUT "
                    "sets how long to wait.") from exc
            raise StoreError(f"cannot {action} the store {self.path}: {exc}. Check the file "
                             "and its folder (permissions, free space).") from exc
        except json.JSONDecodeError as exc:
            raise BadStoreFile(f"cannot {action} the store {self.path}: a stored value is not "
                               f"JSON ({exc}); the file was changed outside Insiktsgrafen. "
                               "Restore it from a backup, or move it away and load your "
                               "datasets again.") from exc
        except sqlite3.DatabaseError as exc:
            raise BadStoreFile(f"cannot {action} the store {self.path}: it is damaged ({exc}). "
                               "Restore it from a backup, or move it away and load your "
                               "datasets again.") from exc
        except OSError as exc:
            raise StoreError(f"cannot {action} the store {self.path}: "
                             f"{exc.strerror or exc}") from exc

    @contextlib.contextmanager
    def _reading(self, action: str) -> Iterator[sqlite3.Connection | None]:
        """One read transaction (a consistent snapshot); None when there is no store yet."""
        with self._lock, self._errors(action):
            if not self.path.exists() or self.path.stat().st_size == 0:
                yield None
                return
            conn = self._connect()
            conn.execute("BEGIN")
            try:
                yield conn if _has_schema(conn) else None
            except (ValueError, TypeError, KeyError) as exc:  # rows this code never writes
                raise BadStoreFile(
                    f"cannot {action} the store {self.path}: its content is damaged "
                    f"({type(exc).__name__}: {str(exc)[:200]}). Restore it from a backup, or "
                    "move it away and load your datasets again.") from exc
            finally:
                if conn.in_transaction:
                    conn.execute("COMMIT")

    @contextlib.contextmanager
    def _writing(self, action: str) -> Iterator[sqlite3.Connection]:
        """One `BEGIN IMMEDIATE` transaction: commit on success, roll back on any error."""
        with self._lock, self._errors(action):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = self._connect()
            self._ensure_wal(conn)
            self._begin_immediate(conn)
            try:
                for statement in _statements(SCHEMA + TEMP_SCHEMA):
                    conn.execute(statement)
                if not _has_meta(conn):
                    _init_meta(conn)
                else:
                    self._check_schema(conn)
                self._graph_unchanged = False
                yield conn
                if not self._graph_unchanged:
                    conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 "
                                 "WHERE key = 'generation'")
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            self._checkpoint(conn)

    def _ensure_wal(self, conn: sqlite3.Connection) -> None:
        """Switch a new database to WAL (readers never wait for a load). The switch needs a
        moment alone with the file; if another process is using it, the next write tries
        again (rollback-journal mode is just as safe, only readers wait longer)."""
        if self._wal:
            return
        try:
            mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()
        except sqlite3.OperationalError as exc:
            if not _is_busy(exc):
                raise
            return
        self._wal = bool(mode) and str(mode[0]).lower() == "wal"

    def _begin_immediate(self, conn: sqlite3.Connection) -> None:
        """Take the write lock; if another load holds it, say so and wait up to the timeout."""
        conn.execute("PRAGMA busy_timeout = 0")
        try:
            conn.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as exc:
            if not _is_busy(exc):
                raise
        finally:
            conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout * 1000)}")
        self._say(WAITING)
        started = time.monotonic()
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if not _is_busy(exc) or time.monotonic() - started < self.busy_timeout * 0.9:
                raise
            raise StoreError(
                f"cannot write to the store {self.path}: another load has held it for more than "
                f"{self.busy_timeout:g} s. Try again when it has finished, or allow more time "
                "with INSIKT_STORE_BUSY_TIMEOUT.") from exc

    def _checkpoint(self, conn: sqlite3.Connection) -> None:
        """Copy the committed load into the main file now (best effort, never waits long), so
        the file alone holds the latest version and later reads leave it byte-identical."""
        conn.execute("PRAGMA busy_timeout = 100")
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        except sqlite3.OperationalError:
            pass
        finally:
            conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout * 1000)}")

    # -- the store protocol ----------------------------------------------------------------
    def load(self, data: GraphData, progress: Progress | None = None,
             check: LoadCheck | None = None, *, by: str | None = None) -> LoadResult:
        """Make the store hold `data` as the dataset's content, in one transaction that
        writes only what changed (graph.changes): unchanged entries are not touched, and an
        unchanged dataset only gets a new row in its history.

        `check` runs inside the transaction, after the write lock is taken, with the org nrs
        as they are then; it raises (e.g. ValidationFailed) to refuse the load. Every node a
        change touches gets the merge of all its datasets' entries by precedence."""
        started = time.perf_counter()
        total = len(data.nodes) + len(data.relationships)
        ds = data.dataset
        quick = data_digest(data)
        with self._writing(f"load dataset '{ds.id}' into") as conn:
            if check is not None:
                check(_org_nr_owners(conn))
            if progress:
                progress("write", 0, total)
            old_precedence = _precedences(conn).get(ds.id)
            previous = conn.execute(
                "SELECT v.content_hash, d.title, d.description, d.version, d.path FROM datasets d "
                "LEFT JOIN load_versions v ON v.version = d.load_version WHERE d.id = ?",
                (ds.id,)).fetchone()
            stored = conn.execute("SELECT digest FROM dataset_digest WHERE dataset = ?",
                                  (ds.id,)).fetchone()
            if previous is not None and previous[0] and stored is not None and stored[0] == quick:
                # the same records as the loaded version: nothing to compare or write
                cs, removed_nodes, removed_rels, digest = ChangeSet(ds.id), 0, 0, previous[0]
            else:
                new = entries_of(data)
                cs = _changes(conn, ds.id, new)
                _fill_fields(conn, ds.id, cs, new)
                conn.execute("INSERT OR REPLACE INTO dataset_precedence (dataset, precedence) "
                             "VALUES (?, ?)", (ds.id, ds.precedence))
                removed_nodes, removed_rels = _apply(
                    conn, ds.id, cs, new, all_touched=old_precedence not in (None, ds.precedence))
                digest = content_hash(data, new)
                conn.execute("INSERT OR REPLACE INTO dataset_digest (dataset, digest) "
                             "VALUES (?, ?)", (ds.id, quick))
            if progress and data.nodes:
                progress("write", len(data.nodes), total)
            cs.header_changed = previous is None or tuple(previous[1:]) != (
                ds.title, ds.description, ds.version, ds.path) or old_precedence != ds.precedence
            if cs.empty and not cs.header_changed:
                self._graph_unchanged = True
            loaded_at = now_iso()
            labels = _dumps(data.label_counts())
            cur = conn.execute(
                "INSERT INTO load_versions (dataset, action, content_hash, at, by, nodes, "
                "relationships, removed_nodes, removed_relationships, labels, path) "
                "VALUES (?, 'load', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (ds.id, digest, loaded_at, by or os_user(), len(data.nodes),
                 len(data.relationships), removed_nodes, removed_rels, labels, ds.path))
            conn.execute("INSERT INTO load_diffs (version, summary, changes) VALUES (?, ?, ?)",
                         (cur.lastrowid, _dumps(cs.summary()),
                          _dumps(cs.as_dict(limit=DIFF_KEPT)["changes"])))
            conn.execute(
                "INSERT OR REPLACE INTO datasets (id, title, description, version, path, "
                "loaded_at, nodes, relationships, labels, load_version) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (ds.id, ds.title, ds.description, ds.version, ds.path, loaded_at,
                 len(data.nodes), len(data.relationships), labels, cur.lastrowid))
        if progress:
            progress("write", total, total)
        return LoadResult(ds.id, len(data.nodes), len(data.relationships), removed_nodes,
                          removed_rels, time.perf_counter() - started, changes=cs)

    def changes(self, data: GraphData) -> ChangeSet:
        """What loading `data` would add, remove and change (changed fields named); writes
        nothing (`insikt diff`, `insikt load --dry-run`)."""
        new = entries_of(data)
        with self._reading("compare a dataset with") as conn:
            if conn is None or not _has_table(conn, "node_datasets"):
                cs = compute_changes(data.dataset.id, {}, {}, new)
                cs.header_changed = True
                return cs
            cs = _changes(conn, data.dataset.id, new)
            _fill_fields(conn, data.dataset.id, cs, new)
            row = conn.execute("SELECT title, description, version, path FROM datasets "
                               "WHERE id = ?", (data.dataset.id,)).fetchone()
            ds = data.dataset
            cs.header_changed = row is None or tuple(row) != (
                ds.title, ds.description, ds.version, ds.path) or (
                _precedences(conn).get(ds.id, ds.precedence) != ds.precedence)
            return cs

    def node_entries(self, label: str, node_id: str) -> list[tuple[str, str, dict[str, Any]]]:
        """Every dataset's own properties of one node: (dataset, precedence, props), so that
        `insikt show` can say where each effective value comes from (graph.changes)."""
        with self._reading("read a node of") as conn:
            if conn is None:
                return []
            precedence = _precedences(conn)
            rows = conn.execute(
                "SELECT d.dataset, coalesce(d.props, n.props) FROM node_datasets d "
                "LEFT JOIN nodes n ON n.key = d.node WHERE d.node = ? ORDER BY d.dataset",
                (node_key(label, node_id),)).fetchall()
            return [(ds, precedence.get(ds, DEFAULT_PRECEDENCE), json.loads(props or "{}"))
                    for ds, props in rows]

    def unload(self, dataset_id: str, *, by: str | None = None) -> LoadResult:
        started = time.perf_counter()
        with self._writing(f"unload dataset '{dataset_id}' from") as conn:
            if conn.execute("SELECT 1 FROM datasets WHERE id = ?", (dataset_id,)).fetchone() is None:
                raise NotFound(f"no dataset '{dataset_id}' is loaded (see 'insikt datasets')")
            cs = _changes(conn, dataset_id, Entries({}, {}))
            removed_nodes, removed_rels = _apply(conn, dataset_id, cs, Entries({}, {}))
            conn.execute("DELETE FROM datasets WHERE id = ?", (dataset_id,))
            conn.execute("DELETE FROM dataset_precedence WHERE dataset = ?", (dataset_id,))
            conn.execute("DELETE FROM dataset_digest WHERE dataset = ?", (dataset_id,))
            cur = conn.execute(
                "INSERT INTO load_versions (dataset, action, content_hash, at, by, nodes, "
                "relationships, removed_nodes, removed_relationships, labels, path) "
                "VALUES (?, 'unload', NULL, ?, ?, 0, 0, ?, ?, '{}', '')",
                (dataset_id, now_iso(), by or os_user(), removed_nodes, removed_rels))
            conn.execute("INSERT INTO load_diffs (version, summary, changes) VALUES (?, ?, ?)",
                         (cur.lastrowid, _dumps(cs.summary()),
                          _dumps(cs.as_dict(limit=DIFF_KEPT)["changes"])))
        return LoadResult(dataset_id, 0, 0, removed_nodes, removed_rels,
                          time.perf_counter() - started)

    def datasets(self) -> list[DatasetInfo]:
        with self._reading("list the datasets of") as conn:
            if conn is None:
                return []
            rows = conn.execute(
                "SELECT id, title, version, loaded_at, path, nodes, relationships, description, "
                "labels FROM datasets ORDER BY id").fetchall()
            return [DatasetInfo(id=r[0], title=r[1], version=r[2], loaded_at=r[3], path=r[4],
                                nodes=r[5], relationships=r[6], description=r[7],
                                labels=json.loads(r[8])) for r in rows]

    def stats(self) -> Stats:
        """Counts per label and relationship type, from SQL (the graph is not built)."""
        with self._reading("count") as conn:
            if conn is None:
                return Stats({}, {})
            labels = dict(conn.execute(
                "SELECT label, count(*) FROM nodes GROUP BY label ORDER BY label").fetchall())
            rels = dict(conn.execute(
                "SELECT type, count(*) FROM rels GROUP BY type ORDER BY type").fetchall())
        return Stats(labels, rels)

    def data_version(self) -> int:
        """The write counter: it changes with every load and unload, by any process."""
        with self._reading("read") as conn:
            return _generation(conn) if conn is not None else 0

    def to_networkx(self) -> nx.MultiDiGraph:
        """The whole graph in the shared networkx form, rebuilt only after a write, with the
        loaded datasets' metadata as the graph attribute DATASETS_ATTR (graph.store).

        The same object is returned until the next write; callers must not change it."""
        with self._reading("read the graph from") as conn:
            generation = _generation(conn) if conn is not None else 0
            if self._graph is not None and self._graph_generation == generation:
                return self._graph
            g = _build_graph(conn) if conn is not None else nx.MultiDiGraph()
        g.graph.setdefault(DATASETS_ATTR, {})
        self._graph, self._graph_generation = g, generation
        return g

    def read_part(self, labels: list[str] | None,
                  rel_types: list[str] | None) -> nx.MultiDiGraph:
        """The whole graph: it is built once per write and already in memory, so a part
        would cost more to cut out than it saves."""
        return self.to_networkx()

    @property
    def graph(self) -> nx.MultiDiGraph:
        """The graph as `to_networkx()` gives it (kept for callers of the old store)."""
        return self.to_networkx()

    def agencies_by_org_nr(self) -> OrgNrOwners:
        with self._reading("read the agencies of") as conn:
            return _org_nr_owners(conn) if conn is not None else {}

    def load_versions(self, dataset_id: str | None = None) -> list[dict[str, Any]]:
        """The recorded loads, unloads and migrations, oldest first (optionally of one dataset)."""
        with self._reading("read the load history of") as conn:
            if conn is None:
                return []
            diffs = _has_table(conn, "load_diffs")
            sql = ("SELECT v.version, v.dataset, v.action, v.content_hash, v.at, v.by, v.nodes, "
                   "v.relationships, v.removed_nodes, v.removed_relationships, v.labels, v.path, "
                   + ("d.summary" if diffs else "NULL AS summary") + " FROM load_versions v "
                   + ("LEFT JOIN load_diffs d ON d.version = v.version" if diffs else ""))
            args: tuple[str, ...] = ()
            if dataset_id is not None:
                sql += " WHERE v.dataset = ?"
                args = (dataset_id,)
            cur = conn.execute(sql + " ORDER BY v.version", args)
            names = [d[0] for d in cur.description]
            out = [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
            for row in out:
                row["labels"] = json.loads(row["labels"])
                row["summary"] = json.loads(row["summary"]) if row["summary"] else None
            return out

    def last_diff(self, dataset_id: str) -> list[dict[str, Any]]:
        """The entry changes of the dataset's latest load (up to DIFF_KEPT of them)."""
        with self._reading("read the last diff of") as conn:
            if conn is None or not _has_table(conn, "load_diffs"):
                return []
            row = conn.execute(
                "SELECT d.changes FROM load_diffs d JOIN load_versions v ON v.version = d.version "
                "WHERE v.dataset = ? AND v.action = 'load' ORDER BY d.version DESC LIMIT 1",
                (dataset_id,)).fetchone()
            return list(json.loads(row[0])) if row else []

    def explain(self, cypher: str, params: dict[str, Any] | None = None, *,
                timeout: float = 10.0) -> QueryPlan:
        raise QueryRefused(NO_CYPHER)

    def run_read(self, cypher: str, params: dict[str, Any] | None = None, *,
                 timeout: float = 10.0, row_cap: int | None = None,
                 max_bytes: int | None = None, max_values: int | None = None,
                 ) -> tuple[list[str], list[dict[str, Any]], bool]:
        raise QueryRefused(NO_CYPHER)

    def answer(self, query: AnswerableQuery, params: dict[str, Any], *,
               cypher_params: dict[str, Any] | None = None,
               timeout: float = 30.0) -> list[dict[str, Any]]:
        """Saved queries run their networkx twin here (this store has no Cypher)."""
        return query.embedded(self.to_networkx(), params)

    def refresh_projection(self) -> int:
        """Nothing to write (returns 0): the projection (graph.projection) derives from the
        networkx form, which this store rebuilds after every write, on its first use. Building
        it here would make every load build the whole graph."""
        return 0

    def ensure_projection(self) -> None:
        """Always fresh here (see `refresh_projection`)."""

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                with contextlib.suppress(sqlite3.Error):
                    self._conn.close()
                self._conn = None


# -- SQL helpers (each runs inside the caller's transaction) ----------------------------------

def _statements(script: str) -> list[str]:
    """A script as single statements: `executescript` would commit the open transaction."""
    return [s.strip() for s in script.split(";") if s.strip()]


def _has_schema(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'meta'"
                        ).fetchone() is not None


def _has_meta(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM meta WHERE key = 'format'").fetchone() is not None


def _init_meta(conn: sqlite3.Connection) -> None:
    conn.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                     [("format", STORE_FORMAT), ("schema_version", str(SCHEMA_VERSION)),
                      ("generation", "0"), ("created_at", now_iso())])


def _generation(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
    return int(row[0]) if row else 0


def _org_nr_owners(conn: sqlite3.Connection) -> OrgNrOwners:
    out: OrgNrOwners = {}
    rows = conn.execute(
        "SELECT n.id, json_extract(n.props, '$.org_nr') AS nr, "
        "(SELECT json_group_array(dataset) FROM (SELECT dataset FROM node_datasets "
        " WHERE node = n.key ORDER BY dataset)) "
        "FROM nodes n WHERE n.label = ? AND nr IS NOT NULL AND nr <> '' ORDER BY n.id",
        (Label.AGENCY.value,)).fetchall()
    for node_id, nr, datasets in rows:
        out.setdefault(str(nr), []).append((node_id, json.loads(datasets)))
    return out


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?",
                        (name,)).fetchone() is not None


def _precedences(conn: sqlite3.Connection) -> dict[str, str]:
    """dataset → precedence (datasets loaded before precedence existed count as curated)."""
    if not _has_table(conn, "dataset_precedence"):
        return {}
    return dict(conn.execute("SELECT dataset, precedence FROM dataset_precedence").fetchall())


def _chunks(items: list[T], size: int = SQL_CHUNK) -> Iterator[list[T]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _changes(conn: sqlite3.Connection, dataset_id: str, new: Entries) -> ChangeSet:
    """The dataset's stored entry hashes against its new entries (graph.changes)."""
    nodes = dict(conn.execute("SELECT node, hash FROM node_datasets WHERE dataset = ?",
                              (dataset_id,)).fetchall())
    rels = {(t, a, b): h for t, a, b, h in conn.execute(
        "SELECT r.type, r.start_key, r.end_key, d.hash FROM rel_datasets d "
        "JOIN rels r ON r.id = d.rel WHERE d.dataset = ?", (dataset_id,))}
    return compute_changes(dataset_id, nodes, rels, new)


def _fill_fields(conn: sqlite3.Connection, dataset_id: str, cs: ChangeSet, new: Entries) -> None:
    """Name the changed fields of the changed entries, from their stored own properties."""
    old_nodes: dict[str, dict[str, Any] | None] = {}
    for keys in _chunks(cs.changed_nodes):
        for key, props in conn.execute(
                "SELECT node, props FROM node_datasets WHERE dataset = ? AND node IN "
                "(SELECT value FROM json_each(?))", (dataset_id, _dumps(keys))):
            old_nodes[key] = json.loads(props) if props else None
    old_rels: dict[tuple[str, str, str], dict[str, Any] | None] = {}
    if cs.changed_rels:  # (a read transaction has not made the temp tables yet)
        for statement in _statements(TEMP_SCHEMA):
            conn.execute(statement)
    for chunk in _chunks(cs.changed_rels):
        conn.execute("DELETE FROM incoming_rels")
        conn.executemany("INSERT INTO incoming_rels (idx, start_key, end_key, type) "
                         "VALUES (?, ?, ?, ?)", [(i, a, b, t) for i, (t, a, b) in enumerate(chunk)])
        for idx, props in conn.execute(
                "SELECT i.idx, d.props FROM incoming_rels i JOIN rels r ON r.start_key = "
                "i.start_key AND r.end_key = i.end_key AND r.type = i.type "
                "JOIN rel_datasets d ON d.rel = r.id AND d.dataset = ?", (dataset_id,)):
            old_rels[chunk[idx]] = json.loads(props) if props else None
    name_fields(cs, new, old_nodes, old_rels)


def _rel_ids(conn: sqlite3.Connection, keys: list[tuple[str, str, str]]) -> dict[
        tuple[str, str, str], int]:
    out: dict[tuple[str, str, str], int] = {}
    for chunk in _chunks(keys):
        conn.execute("DELETE FROM incoming_rels")
        conn.executemany("INSERT INTO incoming_rels (idx, start_key, end_key, type) "
                         "VALUES (?, ?, ?, ?)", [(i, a, b, t) for i, (t, a, b) in enumerate(chunk)])
        for t, a, b, rid in conn.execute(
                "SELECT r.type, r.start_key, r.end_key, r.id FROM incoming_rels i JOIN rels r "
                "ON r.start_key = i.start_key AND r.end_key = i.end_key AND r.type = i.type"):
            out[(t, a, b)] = rid
    return out


def _merge_node_rows(conn: sqlite3.Connection, keys: list[str],
                     precedence: dict[str, str]) -> list[str]:
    """Rewrite the effective properties of `keys` from their datasets' entries; delete the
    nodes no dataset defines any more and return their keys."""
    dead: list[str] = []
    for chunk in _chunks(keys):
        own: dict[str, list[tuple[str, str, dict[str, Any]]]] = {k: [] for k in chunk}
        # an entry migrated from the old JSON store has no props of its own: it keeps the
        # node's current properties
        for key, ds, props in conn.execute(
                "SELECT d.node, d.dataset, coalesce(d.props, n.props) FROM node_datasets d "
                "LEFT JOIN nodes n ON n.key = d.node WHERE d.node IN "
                "(SELECT value FROM json_each(?))", (_dumps(chunk),)):
            own[key].append((ds, precedence.get(ds, DEFAULT_PRECEDENCE),
                             json.loads(props or "{}")))
        upserts = []
        for key, entries in own.items():
            if not entries:
                dead.append(key)
                continue
            label, node_id = key.split(":", 1)
            upserts.append((key, label, node_id, _dumps(merge_entries(entries).props)))
        conn.executemany("INSERT INTO nodes (key, label, id, props) VALUES (?, ?, ?, ?) "
                         "ON CONFLICT (key) DO UPDATE SET props = excluded.props "
                         "WHERE props IS NOT excluded.props", upserts)
    for chunk in _chunks(dead):
        conn.execute("DELETE FROM nodes WHERE key IN (SELECT value FROM json_each(?))",
                     (_dumps(chunk),))
    return dead


def _merge_rel_rows(conn: sqlite3.Connection, ids: list[int],
                    precedence: dict[str, str]) -> int:
    """Rewrite the effective properties of the relationships `ids`; delete those no dataset
    defines any more and return how many."""
    dead: list[int] = []
    for chunk in _chunks(ids):
        own: dict[int, list[tuple[str, str, dict[str, Any]]]] = {i: [] for i in chunk}
        for rid, ds, props in conn.execute(
                "SELECT d.rel, d.dataset, coalesce(d.props, r.props) FROM rel_datasets d "
                "JOIN rels r ON r.id = d.rel WHERE d.rel IN "
                "(SELECT value FROM json_each(?))", (_dumps(chunk),)):
            own[rid].append((ds, precedence.get(ds, DEFAULT_PRECEDENCE),
                             json.loads(props or "{}")))
        updates = []
        for rid, entries in own.items():
            if entries:
                updates.append((_dumps(merge_entries(entries).props), rid))
            else:
                dead.append(rid)
        conn.executemany("UPDATE rels SET props = ? WHERE id = ? AND props IS NOT ?",
                         [(p, i, p) for p, i in updates])
    for chunk in _chunks(dead):
        conn.execute("DELETE FROM rels WHERE id IN (SELECT value FROM json_each(?))",
                     (_dumps(chunk),))
    return len(dead)


def _apply(conn: sqlite3.Connection, dataset_id: str, cs: ChangeSet, new: Entries, *,
           all_touched: bool = False) -> tuple[int, int]:
    """Write a ChangeSet: the dataset's entries, then the effective properties of every node
    and relationship they touch; nothing else is written. Returns the (nodes, relationships)
    that disappeared (with the relationships of disappeared nodes, as networkx drops them)."""
    precedence = _precedences(conn)
    conn.executemany("DELETE FROM node_datasets WHERE node = ? AND dataset = ?",
                     [(k, dataset_id) for k in cs.removed_nodes])
    rows = []
    for k in [*cs.added_nodes, *cs.changed_nodes]:
        own = _dumps(new.nodes[k])
        rows.append((k, dataset_id, own, new.node_hashes()[k]))
    conn.executemany("INSERT OR REPLACE INTO node_datasets (node, dataset, props, hash) "
                     "VALUES (?, ?, ?, ?)", rows)
    touched = [*cs.added_nodes, *cs.changed_nodes, *cs.removed_nodes]
    if all_touched:
        touched = list(dict.fromkeys([*touched, *new.nodes]))
    dead = _merge_node_rows(conn, touched, precedence)
    dead_set = set(dead)
    for rkey in new.rels:
        if rkey[1] in dead_set or rkey[2] in dead_set:
            raise StoreError(f"dataset '{dataset_id}': a relationship refers to a node that "
                             f"does not exist ({rkey[0]} from {rkey[1]} to {rkey[2]}); nothing "
                             "was written")
    removed_rels = 0
    if dead:
        cascade: list[int] = []
        for dead_chunk in _chunks(dead):
            cascade += [r for (r,) in conn.execute(
                "SELECT id FROM rels WHERE start_key IN (SELECT value FROM json_each(?1)) "
                "OR end_key IN (SELECT value FROM json_each(?1))", (_dumps(dead_chunk),))]
        for id_chunk in _chunks(cascade):
            # datasets that lose relationships this way compare entry by entry next time
            conn.execute("DELETE FROM dataset_digest WHERE dataset IN (SELECT dataset FROM "
                         "rel_datasets WHERE rel IN (SELECT value FROM json_each(?)))",
                         (_dumps(id_chunk),))
            conn.execute("DELETE FROM rel_datasets WHERE rel IN (SELECT value FROM json_each(?))",
                         (_dumps(id_chunk),))
            removed_rels += conn.execute(
                "DELETE FROM rels WHERE id IN (SELECT value FROM json_each(?))",
                (_dumps(id_chunk),)).rowcount
    gone = _rel_ids(conn, cs.removed_rels)
    conn.executemany("DELETE FROM rel_datasets WHERE rel = ? AND dataset = ?",
                     [(rid, dataset_id) for rid in gone.values()])
    writes = [*cs.added_rels, *cs.changed_rels]
    if writes:
        conn.execute("DELETE FROM incoming_rels")
        conn.executemany("INSERT INTO incoming_rels (idx, start_key, end_key, type) "
                         "VALUES (?, ?, ?, ?)", [(i, a, b, t) for i, (t, a, b) in enumerate(writes)])
        dangling = conn.execute(
            "SELECT type, start_key, end_key, count(*) OVER () FROM incoming_rels i "
            "WHERE NOT EXISTS (SELECT 1 FROM nodes WHERE key = i.start_key) "
            "OR NOT EXISTS (SELECT 1 FROM nodes WHERE key = i.end_key) ORDER BY idx").fetchone()
        if dangling:
            rel_type, start, end, count = dangling
            raise StoreError(f"dataset '{dataset_id}': {count} relationships refer to nodes "
                             f"that do not exist (the first: {rel_type} from {start} to {end}); "
                             "nothing was written")
        conn.execute("INSERT INTO rels (start_key, end_key, type, props) "
                     "SELECT start_key, end_key, type, '{}' FROM incoming_rels WHERE true "
                     "ON CONFLICT (start_key, end_key, type) DO NOTHING")
    ids = _rel_ids(conn, writes)
    conn.executemany("INSERT OR REPLACE INTO rel_datasets (rel, dataset, props, hash) "
                     "VALUES (?, ?, ?, ?)",
                     [(ids[k], dataset_id, _dumps(new.rels[k]), new.rel_hashes()[k])
                      for k in writes])
    touched_rels = [*ids.values(), *gone.values()]
    if all_touched:
        touched_rels = list(dict.fromkeys([*touched_rels, *_rel_ids(conn, list(new.rels)).values()]))
    removed_rels += _merge_rel_rows(conn, touched_rels, precedence)
    return len(dead), removed_rels


def _build_graph(conn: sqlite3.Connection) -> nx.MultiDiGraph:
    """The networkx form, in the order the old JSON store read back: nodes by key, edges by
    (start, end, type), each node's attributes `label, id, datasets, *props`."""
    node_ds: dict[str, list[str]] = {}
    for node, ds in conn.execute("SELECT node, dataset FROM node_datasets ORDER BY node, dataset"):
        node_ds.setdefault(node, []).append(ds)
    rel_ds: dict[int, list[str]] = {}
    for rel, ds in conn.execute("SELECT rel, dataset FROM rel_datasets ORDER BY rel, dataset"):
        rel_ds.setdefault(rel, []).append(ds)
    g = nx.MultiDiGraph()
    for key, label, node_id, props in conn.execute(
            "SELECT key, label, id, props FROM nodes ORDER BY key"):
        g.add_node(key, label=label, id=node_id, datasets=node_ds.get(key, []),
                   **json.loads(props))
    for rid, start, end, rel_type, props in conn.execute(
            "SELECT id, start_key, end_key, type, props FROM rels "
            "ORDER BY start_key, end_key, type"):
        g.add_edge(start, end, key=rel_type, type=rel_type, datasets=rel_ds.get(rid, []),
                   **json.loads(props))
    cur = conn.execute("SELECT id, title, description, version, path, nodes, relationships, "
                       "labels FROM datasets ORDER BY id")
    columns = [d[0] for d in cur.description]
    g.graph[DATASETS_ATTR] = dataset_versions(dict(zip(columns, row, strict=True))
                                              for row in cur.fetchall())
    return g


# -- the old JSON store -------------------------------------------------------------------------

def _looks_like_json(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            head = fh.read(64).lstrip()
    except OSError:
        return False
    return head.startswith(b"{")


def _read_legacy(path: Path) -> dict[str, Any]:
    """The old JSON store, checked: a clear StoreError for anything that is not one."""
    def foreign(why: str) -> StoreError:
        return BadStoreFile(f"{path} is not an Insiktsgrafen store: {why}. Move it away (or point "
                          "--store/INSIKT_STORE at another file) and load your datasets again.")

    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise foreign(f"it cannot be read as the old JSON store ({type(exc).__name__})") from exc
    if not isinstance(doc, dict) or doc.get("format") != STORE_FORMAT:
        raise foreign("it is a JSON file of another kind")
    if doc.get("version") != LEGACY_VERSION:
        raise foreign(f"it is an old JSON store of unknown version {doc.get('version')!r:.40}")
    nodes, edges, datasets = doc.get("nodes"), doc.get("edges"), doc.get("datasets", {})
    if not isinstance(nodes, list) or not isinstance(edges, list) or not isinstance(datasets, dict):
        raise foreign("its nodes, edges or datasets are missing")
    for i, n in enumerate(nodes):
        if not (isinstance(n, dict) and isinstance(n.get("key"), str)
                and isinstance(n.get("attrs"), dict)
                and isinstance(n["attrs"].get("label"), str)
                and isinstance(n["attrs"].get("id"), str)
                and isinstance(n["attrs"].get("datasets"), list)):
            raise foreign(f"node {i + 1} is malformed")
    keys = {n["key"] for n in nodes}
    for i, e in enumerate(edges):
        if not (isinstance(e, dict) and all(isinstance(e.get(k), str)
                                            for k in ("start", "end", "type"))
                and isinstance(e.get("attrs"), dict)
                and isinstance(e["attrs"].get("datasets"), list)
                and e["start"] in keys and e["end"] in keys):
            raise foreign(f"relationship {i + 1} is malformed")
    for ds_id, m in datasets.items():
        if not isinstance(m, Mapping):
            raise foreign(f"the metadata of dataset {ds_id!r:.40} is malformed")
    return doc


def _write_legacy(conn: sqlite3.Connection, doc: dict[str, Any]) -> None:
    """The old store's graph, as it was: merged properties, tags (without per-dataset
    properties, which it never kept), metadata, and one 'migrate' version per dataset."""
    node_rows: list[tuple[str, str, str, str]] = []
    node_tags: list[tuple[str, str, None, None]] = []
    for n in doc["nodes"]:
        attrs = dict(n["attrs"])
        label, node_id, datasets = attrs.pop("label"), attrs.pop("id"), attrs.pop("datasets")
        node_rows.append((n["key"], label, node_id, _dumps(attrs)))
        node_tags.extend((n["key"], str(d), None, None) for d in dict.fromkeys(datasets))
    conn.executemany("INSERT OR REPLACE INTO nodes (key, label, id, props) VALUES (?, ?, ?, ?)",
                     node_rows)
    conn.executemany("INSERT OR IGNORE INTO node_datasets VALUES (?, ?, ?, ?)", node_tags)
    for e in doc["edges"]:
        attrs = dict(e["attrs"])
        attrs.pop("type", None)
        datasets = attrs.pop("datasets")
        cur = conn.execute("INSERT OR REPLACE INTO rels (start_key, end_key, type, props) "
                           "VALUES (?, ?, ?, ?)", (e["start"], e["end"], e["type"], _dumps(attrs)))
        conn.executemany("INSERT OR IGNORE INTO rel_datasets VALUES (?, ?, NULL, NULL)",
                         [(cur.lastrowid, str(d)) for d in dict.fromkeys(datasets)])
    at, by = now_iso(), os_user()
    for ds_id, m in sorted(doc["datasets"].items()):
        labels = _dumps(m.get("labels") or {})
        cur = conn.execute(
            "INSERT INTO load_versions (dataset, action, content_hash, at, by, nodes, "
            "relationships, removed_nodes, removed_relationships, labels, path) "
            "VALUES (?, 'migrate', NULL, ?, ?, ?, ?, 0, 0, ?, ?)",
            (ds_id, at, by, int(m.get("nodes") or 0), int(m.get("relationships") or 0), labels,
             str(m.get("path") or "")))
        conn.execute(
            "INSERT OR REPLACE INTO datasets (id, title, description, version, path, loaded_at, "
            "nodes, relationships, labels, load_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (ds_id, str(m.get("title") or ""), str(m.get("description") or ""),
             str(m.get("version") or ""), str(m.get("path") or ""), str(m.get("loaded_at") or ""),
             int(m.get("nodes") or 0), int(m.get("relationships") or 0), labels, cur.lastrowid))
