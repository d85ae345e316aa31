"""Round trips through the exports into a real Neo4j 5.26: the `cypher` script run on the test
server, and the `neo4j-admin` CSV folder imported by Neo4j's own `neo4j-admin database import
full` (from the launcher's classpath) into a fresh home that the launcher then serves. Both
must give the original's counts, datasets and answers to every saved query."""

from __future__ import annotations

import os
import shlex
import shutil
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.embedded import EmbeddedStore
from graph.formats import split_cypher_statements, write_cypher, write_neo4j_admin
from graph.model import Label
from graph.neo4j_store import Neo4jStore
from graph.store import DatasetInfo
from loaders.load import load_dataset
from queries.catalog import all_queries, run_query
from tests.conftest import DATA, ROOT, SEED
from tests.queries.test_parity import cases, neo4j_rows, same

LAUNCHER = ROOT / "scripts" / "neo4j" / "neo4j.sh"
CLASSPATH = ROOT / "scripts" / "neo4j" / "target" / "classpath.txt"
ADMIN_MAIN = "org.neo4j.cli.AdminTool"  # the main class of neo4j-admin (neo4j-command-line)


@pytest.fixture(scope="module")
def original(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedStore]:
    """The seed and a second dataset (two datasets, so both must be listed after restore)."""
    st = EmbeddedStore(tmp_path_factory.mktemp("original") / "graph.json")
    load_dataset(st, SEED)
    load_dataset(st, DATA / "burden-other")
    yield st
    st.close()


def dataset_rows(infos: list[DatasetInfo]) -> list[tuple[object, ...]]:
    return [(d.id, d.title, d.version, d.description, d.nodes, d.relationships, d.labels)
            for d in infos]


def assert_same_answers(original: EmbeddedStore, restored: Neo4jStore) -> None:
    assert restored.stats() == original.stats()
    assert dataset_rows(restored.datasets()) == dataset_rows(original.datasets())
    g = original.to_networkx()
    ids = {lb.value: sorted(a["id"] for _, a in g.nodes(data=True) if a["label"] == lb)
           for lb in Label}
    mismatches = []
    for q in all_queries():
        sweep = cases(q, ids, ["dodsfall", "kurir", "myndighet"])
        for params, b in zip(sweep, neo4j_rows(restored, q, sweep), strict=True):
            if not same(run_query(original, q.name, params).rows, b):
                mismatches.append((q.name, params))
    assert not mismatches, mismatches[:10]


@pytest.mark.neo4j
def test_cypher_export_restores_graph_and_datasets(original: EmbeddedStore,
                                                   neo4j_store: Neo4jStore,
                                                   tmp_path: Path) -> None:
    script = write_cypher(original.to_networkx(), tmp_path / "graph.cypher")
    statements = split_cypher_statements(script.read_text(encoding="utf-8"))
    assert any("InsiktDataset" in s for s in statements)
    with neo4j_store.driver.session(database=neo4j_store.database) as s:
        for stmt in statements:
            s.run(stmt).consume()
    assert [d.id for d in neo4j_store.datasets()] == ["burden-other", "seed"]
    assert_same_answers(original, neo4j_store)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.neo4j
@pytest.mark.slow
def test_neo4j_admin_import_round_trip(original: EmbeddedStore, tmp_path: Path) -> None:
    """Slow but essential (about a minute: the import, then a server start on the new home).
    The port is INSIKT_ADMIN_TEST_PORT or a free one; the password is a fresh one."""
    if not CLASSPATH.exists() or shutil.which("java") is None:
        pytest.skip("the Neo4j launcher has not been built (run scripts/neo4j/neo4j.sh start)")
    out = write_neo4j_admin(original.to_networkx(), tmp_path / "export")
    # The command the export's README gives, run as written with neo4j-admin = Neo4j's AdminTool.
    readme = (out / "README.md").read_text(encoding="utf-8")
    (line,) = [x for x in readme.splitlines() if x.startswith("neo4j-admin ")]
    args = shlex.split(line)[1:]
    assert args[:4] == ["database", "import", "full", "neo4j"]  # the database name first (5.19+)
    project_readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert " ".join(shlex.split(line)[:8]) in " ".join(shlex.split(
        next(x for x in project_readme.splitlines() if x.strip().startswith("neo4j-admin "))))
    home = tmp_path / "home"
    (home / "conf").mkdir(parents=True)
    (home / "conf" / "neo4j.conf").write_text("", encoding="utf-8")
    env = {**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf")}
    classpath = CLASSPATH.read_text(encoding="utf-8").strip()
    done = subprocess.run(["java", "-Xmx512m", "-cp", classpath, ADMIN_MAIN, *args], cwd=out,
                          env=env, capture_output=True, text=True, timeout=240, check=False)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "IMPORT DONE" in done.stdout
    port = int(os.environ.get("INSIKT_ADMIN_TEST_PORT") or _free_port())
    password = "admin-roundtrip-" + os.urandom(6).hex()
    server_env = {**os.environ, "INSIKT_NEO4J_HOME": str(home),
                  "INSIKT_NEO4J_PORT": str(port), "NEO4J_PASSWORD": password}
    started = subprocess.run(["bash", str(LAUNCHER), "start"], env=server_env,
                             capture_output=True, text=True, timeout=300, check=False)
    try:
        assert started.returncode == 0, started.stdout[-2000:] + started.stderr[-2000:]
        restored = Neo4jStore(uri=f"bolt://127.0.0.1:{port}", password=password)
        try:
            assert_same_answers(original, restored)
        finally:
            restored.close()
    finally:
        subprocess.run(["bash", str(LAUNCHER), "stop"], env=server_env, capture_output=True,
                       text=True, timeout=120, check=False)
