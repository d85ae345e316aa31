"""Concurrent loads on both backends end equal to the sequential result, the org-nr rule holds
under concurrency, and a kill -9 during an embedded load leaves the old or the new version.

The loads run in separate processes (forked workers, each with its own store connection), and
start together: each worker reports ready, then all are released by one event.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing as mp
import os
import random
import signal
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.synchronize import Event
from pathlib import Path
from typing import Any

import pytest

from graph.embedded import EmbeddedStore
from graph.errors import ValidationFailed
from graph.store import GraphStore
from loaders.dataset import read_dataset
from loaders.load import load_checked, load_dataset
from tests.conftest import wipe_neo4j
from tests.storekit import org_nr_rival, scaled_tiny, state, tiny_variant

REPETITIONS = 20
SIZES = (2, 4, 8)
KILLS = 50
FORK = mp.get_context("fork")


def _open(backend: str, store_path: str) -> GraphStore:
    if backend == "neo4j":
        from graph.neo4j_store import Neo4jStore

        return Neo4jStore.from_env()
    return EmbeddedStore(store_path)


def _worker(backend: str, pipe: Connection, start: Event) -> None:
    """Load what the parent says, when it says so; report 'ok', 'refused' or 'error'."""
    neo = _open(backend, "") if backend == "neo4j" else None
    while True:
        msg = pipe.recv()
        if msg is None:
            break
        store_path, folder, strict = msg
        st = neo or EmbeddedStore(store_path)
        pipe.send("ready")
        start.wait()
        try:
            res = load_dataset(st, folder, strict=strict)
            pipe.send(("ok", res.dataset))
        except ValidationFailed as exc:
            pipe.send(("refused", [p.hint for p in exc.problems]))
        except Exception as exc:  # reported to the parent, which fails the test
            pipe.send(("error", f"{type(exc).__name__}: {exc} (cause: {exc.__cause__!r})"))
        if neo is None:
            st.close()
    if neo is not None:
        neo.close()


@dataclass
class Pool:
    """Eight long-lived load workers of one backend (no fork or connect per run)."""

    backend: str
    workers: list[tuple[Any, Connection]]
    start: Event

    def run(self, store_path: Path, folders: list[Path], strict: bool = False) -> list[Any]:
        """Load `folders` at once, one per worker (`strict`: no agency resolution); the
        workers' outcomes."""
        active = self.workers[:len(folders)]
        for (_, pipe), folder in zip(active, folders, strict=True):
            pipe.send((str(store_path), str(folder), strict))
        for _, pipe in active:
            assert pipe.recv() == "ready"
        self.start.set()
        try:
            return [pipe.recv() for _, pipe in active]
        finally:
            self.start.clear()

    def close(self) -> None:
        for proc, pipe in self.workers:
            pipe.send(None)
            proc.join(10)


@pytest.fixture(scope="module")
def variants(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Eight distinct tiny datasets that share the four agencies (with their org nrs)."""
    base = tmp_path_factory.mktemp("variants")
    return [tiny_variant(base, n) for n in range(max(SIZES))]


def _pool(backend: str) -> Iterator[Pool]:
    start = FORK.Event()
    workers = []
    for _ in range(max(SIZES)):
        parent, child = FORK.Pipe()
        proc = FORK.Process(target=_worker, args=(backend, child, start), daemon=True)
        proc.start()
        workers.append((proc, parent))
    pool = Pool(backend, workers, start)
    yield pool
    pool.close()


@pytest.fixture(scope="module")
def embedded_pool() -> Iterator[Pool]:
    yield from _pool("embedded")


@pytest.fixture(scope="module")
def neo4j_pool(neo4j_connection: Any) -> Iterator[Pool]:
    yield from _pool("neo4j")


def _digest(st: GraphStore) -> str:
    return hashlib.sha256(json.dumps(state(st), sort_keys=True).encode()).hexdigest()


Fresh = Callable[[], tuple[Path, GraphStore]]
"""An empty store: (its file for the workers, the parent's handle)."""


def _sequential(fresh: Fresh, folders: list[Path]) -> str:
    _, st = fresh()
    for folder in folders:
        load_dataset(st, folder)
    return _digest(st)


def _concurrent_runs(pool: Pool, fresh: Fresh, variants: list[Path], n: int,
                     mode: str) -> dict[str, int]:
    """n concurrent loads, REPETITIONS times; the counts for the record."""
    counts = {"runs": 0, "lost_datasets": 0}
    folders = variants[:n] if mode == "different" else [variants[0]] * n
    expected = _sequential(fresh, list(dict.fromkeys(folders)))
    for rep in range(REPETITIONS):
        path, fresh_store = fresh()  # empties Neo4j; a new file when embedded
        outcomes = pool.run(path, folders)
        assert all(o[0] == "ok" for o in outcomes), (n, mode, rep, outcomes)
        st = EmbeddedStore(path) if pool.backend == "embedded" else fresh_store
        loaded = {d.id for d in st.datasets()}
        counts["lost_datasets"] += len({f.name for f in folders} - loaded)
        assert _digest(st) == expected, (n, mode, rep, loaded)
        counts["runs"] += 1
        if pool.backend == "embedded":
            st.close()
    return counts


RUNS = [pytest.param(n, mode, id=f"{n}-{mode}") for n in SIZES for mode in ("different", "same")]


@pytest.mark.parametrize(("n", "mode"), RUNS)
def test_concurrent_embedded_loads_equal_sequential(embedded_pool: Pool, variants: list[Path],
                                                    tmp_path: Path, n: int, mode: str) -> None:
    paths = (tmp_path / f"run-{i}" / "graph.db" for i in range(10_000))

    def fresh() -> tuple[Path, GraphStore]:
        path = next(paths)
        return path, EmbeddedStore(path)

    counts = _concurrent_runs(embedded_pool, fresh, variants, n, mode)
    assert counts == {"runs": REPETITIONS, "lost_datasets": 0}


@pytest.mark.neo4j
@pytest.mark.parametrize(("n", "mode"), RUNS)
def test_concurrent_neo4j_loads_equal_sequential(neo4j_pool: Pool, neo4j_connection: Any,
                                                 variants: list[Path], tmp_path: Path, n: int,
                                                 mode: str) -> None:
    def fresh() -> tuple[Path, GraphStore]:
        wipe_neo4j(neo4j_connection)
        return tmp_path / "unused.db", neo4j_connection

    counts = _concurrent_runs(neo4j_pool, fresh, variants, n, mode)
    assert counts == {"runs": REPETITIONS, "lost_datasets": 0}


def _rival_runs(pool: Pool, fresh: Callable[[], GraphStore], tmp_path: Path) -> None:
    """n strict loads give one org nr to n different agency ids: one wins, the others are
    refused with the winner's id as the hint."""
    rivals = [org_nr_rival(tmp_path / "rivals", n) for n in range(max(SIZES))]
    for n in SIZES:
        for rep in range(REPETITIONS // 2):
            path = tmp_path / f"rival-{n}-{rep}" / "graph.db"
            st = fresh() if pool.backend == "neo4j" else EmbeddedStore(path)
            outcomes = pool.run(path, rivals[:n], strict=True)
            winners = [o[1] for o in outcomes if o[0] == "ok"]
            refused = [o[1] for o in outcomes if o[0] == "refused"]
            assert len(winners) == 1 and len(refused) == n - 1, (n, rep, outcomes)
            winner = winners[0].replace("rival-", "rival-agency-")
            assert all(hints == [f"use id: {winner}, so that both are one agency"]
                       for hints in refused)
            if pool.backend == "embedded":
                st = EmbeddedStore(path)
            owners = st.agencies_by_org_nr()["202100-0001"]
            assert [i for i, _ in owners] == [winner]


def _resolving_rival_runs(pool: Pool, fresh: Callable[[], GraphStore], tmp_path: Path,
                          reps: int = REPETITIONS // 4) -> None:
    """n loads (agency resolution on) give one org nr and one name to n different ids: every
    load succeeds, the first to write creates the node, and the others resolve onto it, some
    only after the in-transaction check saw the winner's write (they resolve again)."""
    rivals = [org_nr_rival(tmp_path / "rivals", n, name="Rivalmyndigheten")
              for n in range(max(SIZES))]
    for n in SIZES:
        for rep in range(reps):
            path = tmp_path / f"same-{n}-{rep}" / "graph.db"
            st = fresh() if pool.backend == "neo4j" else EmbeddedStore(path)
            outcomes = pool.run(path, rivals[:n])
            assert all(o[0] == "ok" for o in outcomes), (n, rep, outcomes)
            if pool.backend == "embedded":
                st = EmbeddedStore(path)
            owners = st.agencies_by_org_nr()["202100-0001"]
            assert len(owners) == 1 and len(owners[0][1]) == n, (n, rep, owners)
            assert st.stats().labels.get("AgencyAlias", 0) == n - 1


def test_org_nr_rule_holds_under_concurrent_embedded_loads(embedded_pool: Pool,
                                                           tmp_path: Path) -> None:
    _rival_runs(embedded_pool, lambda: EmbeddedStore(tmp_path / "x.db"), tmp_path)


def test_concurrent_embedded_loads_resolve_onto_one_agency(embedded_pool: Pool,
                                                           tmp_path: Path) -> None:
    _resolving_rival_runs(embedded_pool, lambda: EmbeddedStore(tmp_path / "x.db"), tmp_path)


@pytest.mark.neo4j
def test_org_nr_rule_holds_under_concurrent_neo4j_loads(neo4j_pool: Pool, neo4j_connection: Any,
                                                        tmp_path: Path) -> None:
    def fresh() -> GraphStore:
        wipe_neo4j(neo4j_connection)
        return neo4j_connection  # type: ignore[no-any-return]

    _rival_runs(neo4j_pool, fresh, tmp_path)


@pytest.mark.neo4j
def test_concurrent_neo4j_loads_resolve_onto_one_agency(neo4j_pool: Pool, neo4j_connection: Any,
                                                        tmp_path: Path) -> None:
    def fresh() -> GraphStore:
        wipe_neo4j(neo4j_connection)
        return neo4j_connection  # type: ignore[no-any-return]

    _resolving_rival_runs(neo4j_pool, fresh, tmp_path, reps=2)  # a Neo4j wipe is slow


# -- kill -9 during an embedded load -------------------------------------------------------------

def _fingerprint(path: Path) -> str:
    """Everything the store file holds about the graph and its datasets (not load times)."""
    conn = sqlite3.connect(path)
    h = hashlib.sha256()
    for sql in ("SELECT key, label, id, props FROM nodes ORDER BY key",
                "SELECT node, dataset, props FROM node_datasets ORDER BY node, dataset",
                "SELECT start_key, end_key, type, props FROM rels ORDER BY 1, 2, 3",
                "SELECT r.start_key, r.end_key, r.type, d.dataset, d.props FROM rel_datasets d "
                "JOIN rels r ON r.id = d.rel ORDER BY 1, 2, 3, 4",
                "SELECT id, title, nodes, relationships, labels FROM datasets ORDER BY id"):
        for row in conn.execute(sql):
            h.update(repr(row).encode())
    conn.close()
    return h.hexdigest()


def _load_then_exit(store_path: str, data: Any) -> None:
    st = EmbeddedStore(store_path)
    load_checked(st, data, "agencies.yaml", "big")
    os._exit(0)


def test_kill_9_during_a_load_leaves_the_old_or_the_new_version(tmp_path: Path) -> None:
    """Two versions of one large dataset; each round a child loads the version the store is
    not at and is killed at a random moment of its load. The store is then at one of the two
    versions exactly (graph, datasets, counts), passes SQLite's integrity check, and the next
    load works."""
    old = read_dataset(scaled_tiny(tmp_path / "a", copies=200, first=0))
    new = read_dataset(scaled_tiny(tmp_path / "b", copies=200, first=1))
    path = tmp_path / "store" / "graph.db"
    digests = {}
    for name, data in (("new", new), ("old", old)):
        st = EmbeddedStore(path)
        started = time.perf_counter()
        st.load(data)
        seconds = time.perf_counter() - started
        st.close()
        digests[name] = _fingerprint(path)
    assert digests["old"] != digests["new"]
    # how long a child takes from its start to its exit, unkilled (store at "old" again after)
    window = 0.0
    for data in (new, old):
        child = FORK.Process(target=_load_then_exit, args=(str(path), data))
        started = time.perf_counter()
        child.start()
        child.join()
        window = max(window, time.perf_counter() - started)
    assert _fingerprint(path) == digests["old"]
    rnd = random.Random(9)
    at, outcomes = "old", {"kept": 0, "switched": 0}
    for _ in range(KILLS):
        target = "new" if at == "old" else "old"
        child = FORK.Process(target=_load_then_exit,
                             args=(str(path), new if target == "new" else old))
        child.start()
        time.sleep(rnd.uniform(0.0, window * 1.1))
        os.kill(child.pid or 0, signal.SIGKILL)
        child.join()
        EmbeddedStore(path).close()  # opens as a store, with SQLite's recovery of the WAL
        digest = _fingerprint(path)
        assert digest in (digests["old"], digests["new"])
        now = "old" if digest == digests["old"] else "new"
        outcomes["kept" if now == at else "switched"] += 1
        at = now
        conn = sqlite3.connect(path)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.close()
    # both outcomes happened, so the kills did land before and after commits
    assert outcomes["kept"] > 0 and outcomes["switched"] > 0, outcomes
    st = EmbeddedStore(path)
    st.load(new)
    st.close()
    assert _fingerprint(path) == digests["new"]
    print(f"kill -9 outcomes over {KILLS} kills (load {seconds:.2f} s, child {window:.2f} s): "
          f"{outcomes}")


def _alternate_loads(store_path: str, versions: list[Any], rounds: int) -> None:
    st = EmbeddedStore(store_path)
    for i in range(rounds):
        st.load(versions[i % 2])
    os._exit(0)


def test_readers_never_see_half_a_load(tmp_path: Path) -> None:
    """While another process reloads two versions of a large dataset back and forth, every
    graph a reader builds is exactly one of the two versions."""
    old = read_dataset(scaled_tiny(tmp_path / "a", copies=60, first=0))
    new = read_dataset(scaled_tiny(tmp_path / "b", copies=60, first=1))
    path = tmp_path / "store" / "graph.db"
    expected = set()
    for data in (new, old):
        st = EmbeddedStore(path)
        st.load(data)
        expected.add(_graph_digest(st))
        st.close()
    writer = FORK.Process(target=_alternate_loads, args=(str(path), [new, old], 6))
    writer.start()
    reader = EmbeddedStore(path)
    seen: set[str] = set()
    reads = 0
    while writer.is_alive():
        digest = _graph_digest(reader)
        assert digest in expected
        seen.add(digest)
        reads += 1
    writer.join()
    assert writer.exitcode == 0 and reads > 0
    assert _graph_digest(EmbeddedStore(path)) in expected


def _graph_digest(st: EmbeddedStore) -> str:
    from graph.export import graph_document

    doc = graph_document(st.to_networkx())  # one read transaction: one snapshot
    return hashlib.sha256(json.dumps(doc, sort_keys=True).encode()).hexdigest()


@pytest.mark.neo4j
def test_neo4j_load_retried_after_a_transient_error_is_exact(neo4j_store: Any,
                                                             monkeypatch: pytest.MonkeyPatch,
                                                             variants: list[Path]) -> None:
    """The driver reruns the whole transaction function after a transient error; a load
    interrupted after its lock, check and delta writes gives the same result as one clean
    load."""
    from neo4j.exceptions import TransientError

    from graph.neo4j_store import Neo4jStore

    load_dataset(neo4j_store, variants[1])
    clean_path = variants[0]
    original = Neo4jStore._apply
    calls = {"n": 0}

    def flaky(self: Any, *args: Any, **kwargs: Any) -> tuple[int, int]:
        result = original(self, *args, **kwargs)
        calls["n"] += 1
        if calls["n"] == 1:
            raise TransientError("simulated deadlock")
        return result

    monkeypatch.setattr(Neo4jStore, "_apply", flaky)
    load_dataset(neo4j_store, clean_path)
    monkeypatch.undo()
    assert calls["n"] == 2
    got = state(neo4j_store)
    wipe_neo4j(neo4j_store)
    load_dataset(neo4j_store, variants[1])
    load_dataset(neo4j_store, clean_path)
    assert got == state(neo4j_store)


def _open_old_then_load(store_path: str, folder: str, start: Event, pipe: Connection) -> None:
    messages: list[str] = []
    start.wait()
    st = EmbeddedStore(store_path, notify=messages.append)
    load_dataset(st, folder)
    pipe.send(messages)
    os._exit(0)


def test_processes_opening_an_old_json_store_at_once_migrate_it_once(tmp_path: Path,
                                                                     variants: list[Path]) -> None:
    """Four processes open an old JSON store at the same moment and each loads a dataset:
    one migrates, and the migrated datasets and all four loads are there afterwards."""
    import networkx as nx

    from graph.store import apply_graph_data
    from tests.conftest import TINY
    from tests.storekit import legacy_document

    g = nx.MultiDiGraph()
    apply_graph_data(g, read_dataset(TINY))
    meta = {"tiny": {"id": "tiny", "title": "Liten testgraf", "version": "1", "path": "",
                     "loaded_at": "2026-01-01T00:00:00+00:00", "nodes": 19,
                     "relationships": 38, "labels": {}}}
    for rep in range(3):
        folder = tmp_path / f"old-{rep}"
        folder.mkdir()
        (folder / "graph.json").write_text(json.dumps(legacy_document(g, meta)),
                                           encoding="utf-8")
        start = FORK.Event()
        pipes, procs = [], []
        for folder_n in variants[:4]:
            parent, child = FORK.Pipe()
            proc = FORK.Process(target=_open_old_then_load,
                                args=(str(folder / "graph.db"), str(folder_n), start, child))
            proc.start()
            procs.append(proc)
            pipes.append(parent)
        start.set()
        messages = [m for pipe in pipes for m in pipe.recv()]
        for proc in procs:
            proc.join()
        assert sum("migrated the old JSON store" in m for m in messages) == 1, messages
        st = EmbeddedStore(folder / "graph.db")
        assert {d.id for d in st.datasets()} == {"tiny", *(v.name for v in variants[:4])}
        assert (folder / "graph.json.bak").exists() and not (folder / "graph.json").exists()


def _import_or_load(backend: str, store_path: str, what: str, arg: str, start: Event,
                    pipe: Connection) -> None:
    from loaders.register import import_register

    st = _open(backend, store_path)
    start.wait()
    try:
        if what == "register":
            import_register(st, arg)
        else:
            load_dataset(st, arg)
        pipe.send("ok")
    except ValidationFailed:
        pipe.send("refused")
    except Exception as exc:  # reported to the parent, which fails the test
        pipe.send(f"error {type(exc).__name__}: {exc}")
    st.close()
    os._exit(0)


def _register_races(backend: str, fresh: Fresh, tmp_path: Path) -> list[str]:
    """The register import runs at the same time as loads that give the register's org nrs
    to other ids. Afterwards every org nr belongs to one agency (except the one the register
    itself gives to two entries), whoever came first."""
    from tests.conftest import REGISTER

    if not REGISTER.exists():
        pytest.skip("../shared register not present")
    rivals = [tiny_variant(tmp_path / "renamed", n, rename_agencies=True) for n in range(3)]
    outcomes: list[str] = []
    for _ in range(4):
        path, st = fresh()
        start = FORK.Event()
        jobs = [("register", str(REGISTER)), *(("load", str(r)) for r in rivals)]
        pipes, procs = [], []
        for what, arg in jobs:
            parent, child = FORK.Pipe()
            proc = FORK.Process(target=_import_or_load,
                                args=(backend, str(path), what, arg, start, child))
            proc.start()
            pipes.append(parent)
            procs.append(proc)
        start.set()
        got = [p.recv() for p in pipes]
        for proc in procs:
            proc.join()
        assert got[0] == "ok" and all(g in ("ok", "refused") for g in got[1:]), got
        outcomes.extend(got[1:])
        st = EmbeddedStore(path) if backend == "embedded" else st
        shared = {nr: ids for nr, ids in st.agencies_by_org_nr().items() if len(ids) > 1}
        assert set(shared) <= {"202100-4169"}, shared
    return outcomes


def test_register_import_and_rival_loads_at_once_embedded(tmp_path: Path) -> None:
    paths = iter(range(100))

    def fresh() -> tuple[Path, GraphStore]:
        path = tmp_path / f"reg-{next(paths)}" / "graph.db"
        return path, EmbeddedStore(path)

    _register_races("embedded", fresh, tmp_path)


@pytest.mark.neo4j
def test_register_import_and_rival_loads_at_once_neo4j(neo4j_connection: Any,
                                                       tmp_path: Path) -> None:
    def fresh() -> tuple[Path, GraphStore]:
        wipe_neo4j(neo4j_connection)
        return tmp_path / "unused.db", neo4j_connection

    _register_races("neo4j", fresh, tmp_path)
