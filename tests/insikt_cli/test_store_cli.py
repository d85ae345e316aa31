"""The embedded store as people meet it through the CLI: one-line messages for a migration,
for waiting on another load and for a damaged store file (exit 2, no traceback)."""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from graph.embedded import WAITING, EmbeddedStore
from graph.store import apply_graph_data
from insikt_cli.main import cli
from loaders.dataset import read_dataset
from tests.conftest import SEED, TINY
from tests.storekit import legacy_document


def run(runner: CliRunner, store: Path, *args: str) -> tuple[int, str, str]:
    res = runner.invoke(cli, ["--backend", "embedded", "--store", str(store), *args])
    return res.exit_code, res.stdout, res.stderr


def test_old_json_store_is_migrated_with_a_message(runner: CliRunner, tmp_path: Path) -> None:
    g = nx.MultiDiGraph()
    apply_graph_data(g, read_dataset(TINY))
    meta = {"tiny": {"id": "tiny", "title": "Liten testgraf", "version": "1", "path": str(TINY),
                     "loaded_at": "2026-01-01T00:00:00+00:00", "nodes": 19,
                     "relationships": 30, "labels": {}}}
    folder = tmp_path / ".insikt"
    folder.mkdir()
    (folder / "graph.json").write_text(json.dumps(legacy_document(g, meta)), encoding="utf-8")
    code, out, err = run(runner, folder / "graph.db", "datasets")
    assert code == 0 and "tiny" in out
    assert "migrated the old JSON store" in err and "graph.json.bak" in err
    code, out, err = run(runner, folder / "graph.db", "stats", "--format", "json")
    assert code == 0 and err == "" and json.loads(out)["labels"]["Agency"] == 4


def test_load_waits_for_another_load_and_says_so(runner: CliRunner, store_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    assert run(runner, store_path, "load", str(TINY), "-q")[0] == 0
    holder = sqlite3.connect(store_path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    # The rival lets go once the load has said it waits (not after a fixed delay, which a
    # busy machine can outlast before the load even reaches the store).
    waiting = threading.Event()
    say = EmbeddedStore._say

    def noting(self: EmbeddedStore, message: str) -> None:
        if message == WAITING:
            waiting.set()
        say(self, message)

    monkeypatch.setattr(EmbeddedStore, "_say", noting)
    releaser = threading.Thread(target=lambda: (waiting.wait(60), holder.execute("COMMIT")))
    releaser.start()
    code, out, err = run(runner, store_path, "load", str(SEED))
    releaser.join()
    holder.close()
    assert waiting.is_set()
    assert code == 0, err
    assert "waiting for another load to finish…" in err and "Loaded dataset 'seed'" in out


def test_damaged_store_is_one_clear_line(runner: CliRunner, store_path: Path) -> None:
    store_path.parent.mkdir(parents=True)
    store_path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 300)
    code, out, err = run(runner, store_path, "stats")
    assert code == 2 and out == ""  # bad input, like an invalid dataset
    assert str(store_path) in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
