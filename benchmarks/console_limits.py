"""Benchmark: how long the Cypher console takes to stop expensive queries (docs/security.md).

For each query: how long until `run_cypher` returns or raises (client side), and how long
until the server no longer lists the transaction (polled with SHOW TRANSACTIONS, up to
--wait seconds). Needs the local test server:

    NEO4J_URI=bolt://127.0.0.1:7687 NEO4J_PASSWORD=... .venv/bin/python benchmarks/console_limits.py
    ... --reduce    # also the reduce() case, which keeps one server core busy for many minutes
                    # after the client gave up; restart the server afterwards
"""

from __future__ import annotations

import argparse
import time

from graph.errors import InsiktError
from graph.neo4j_store import Neo4jStore
from queries.adhoc import run_cypher

QUERIES = {
    "parens": "RETURN " + "(" * 3000 + "1" + ")" * 3000 + " AS x",
    "sum": "RETURN " + "+".join(["1"] * 20000) + " AS x",
    "range": "RETURN range(1, 100000000) AS r",
    "values": "RETURN range(1, 3000000) AS r",
}
REDUCE = "RETURN reduce(s = '', x IN range(1, 5000000) | s + 'xx') AS s"


def server_gone_after(st: Neo4jStore, query: str, started: float, wait: float) -> float | None:
    """Seconds from `started` until the server stops listing `query`, or None (still there)."""
    deadline = started + wait
    while time.monotonic() < deadline:
        with st.driver.session(database=st.database) as s:
            rows = list(s.run("SHOW TRANSACTIONS YIELD currentQuery WHERE currentQuery "
                              "STARTS WITH $p RETURN currentQuery", p=query[:40]))
        if not rows:
            return time.monotonic() - started
        time.sleep(1)
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=10.0)
    parser.add_argument("--wait", type=float, default=60.0)
    parser.add_argument("--reduce", action="store_true")
    args = parser.parse_args()
    queries = dict(QUERIES, **({"reduce": REDUCE} if args.reduce else {}))
    st = Neo4jStore.from_env()
    for name, query in queries.items():
        started = time.monotonic()
        try:
            run_cypher(st, query, timeout=args.timeout)
            outcome = "ran"
        except InsiktError as exc:
            outcome = f"{type(exc).__name__}: {str(exc)[:90]}"
        client = time.monotonic() - started
        gone = server_gone_after(st, query, started, args.wait)
        server = f"{gone:.1f} s" if gone is not None else f"> {args.wait:g} s (still running)"
        print(f"{name:7} client {client:5.1f} s  server {server:28}  {outcome}", flush=True)
    st.close()


if __name__ == "__main__":
    main()
