"""What the Neo4j load lock and the in-transaction org-nr check prevent: the concurrency runs of
tests/graph/test_concurrency.py with both switched off (the pre-check before the write stays,
as in the code before them). Needs NEO4J_URI etc.; it wipes that database.

    .venv/bin/python -m benchmarks.store_neo4j_without_lock     # from the repository root
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from graph.neo4j_store import Neo4jStore
from graph.store import GraphStore


def main() -> None:
    Neo4jStore._take_lock = staticmethod(lambda tx: 0)  # type: ignore[method-assign]
    original = Neo4jStore.load

    def load_without_check(self: Neo4jStore, data: Any, progress: Any = None,
                           check: Any = None, **kwargs: Any) -> Any:
        return original(self, data, progress, None, **kwargs)

    Neo4jStore.load = load_without_check  # type: ignore[method-assign]
    import tests.graph.test_concurrency as tc
    from tests.conftest import wipe_neo4j
    from tests.storekit import org_nr_rival, tiny_variant

    tmp = Path(tempfile.mkdtemp(prefix="neo4j-without-lock-"))
    variants = [tiny_variant(tmp, n) for n in range(8)]
    conn = Neo4jStore.from_env()
    pools = tc._pool("neo4j")
    pool = next(pools)

    def fresh() -> tuple[Path, GraphStore]:
        wipe_neo4j(conn)
        return tmp / "unused.db", conn

    for n in (2, 4, 8):
        expected = tc._sequential(fresh, variants[:n])
        differ = 0
        for _ in range(10):
            _, st = fresh()
            pool.run(tmp / "unused.db", variants[:n])
            differ += tc._digest(st) != expected
        print(f"{n} different datasets at once: {differ} of 10 runs differ from sequential")
    rivals = [org_nr_rival(tmp / "rivals", n) for n in range(8)]
    for n in (2, 4, 8):
        shared = 0
        for _ in range(10):
            _, st = fresh()
            pool.run(tmp / "unused.db", rivals[:n])
            shared += len(st.agencies_by_org_nr().get("202100-0001", [])) > 1
        print(f"{n} rivals for one org nr: {shared} of 10 runs left it on more than one agency")
    pool.close()
    conn.close()


if __name__ == "__main__":
    main()
