"""The CLI through click's runner: exit codes, messages and the store it leaves."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from insikt_cli.main import cli
from tests.conftest import BROKEN, REGISTER, TINY


def run(runner: CliRunner, store: Path, *args: str) -> tuple[int, str, str]:
    res = runner.invoke(cli, ["--backend", "embedded", "--store", str(store), *args])
    return res.exit_code, res.stdout, res.stderr


def test_validate_ok_and_invalid(runner: CliRunner, store_path: Path) -> None:
    code, out, _ = run(runner, store_path, "validate", str(TINY))
    assert code == 0 and "valid" in out
    code, _, err = run(runner, store_path, "validate", str(BROKEN))
    assert code == 2
    assert "4 problems" in err
    for needle in ("agencies.yaml: 'skatteverket': org_nr", "insights.yaml: 'vem-gor-vad': id",
                   "principles.yaml: line 6", "journeys.yaml: life_event 'nar-nagon-har-dott'"):
        assert needle in err
    code, out, _ = run(runner, store_path, "validate", str(BROKEN), "--format", "json")
    assert code == 2 and len(json.loads(out)["problems"]) == 4


def test_load_stats_datasets_unload(runner: CliRunner, store_path: Path) -> None:
    code, out, _ = run(runner, store_path, "load", str(TINY))
    assert code == 0 and "Loaded dataset 'tiny'" in out
    code, out, _ = run(runner, store_path, "stats", "--format", "json")
    stats = json.loads(out)
    assert stats["labels"]["Insight"] == 5 and stats["nodes_total"] == 19
    assert run(runner, store_path, "load", str(TINY))[0] == 0
    assert run(runner, store_path, "stats", "--format", "json")[1] == out
    code, out, _ = run(runner, store_path, "datasets")
    assert "tiny" in out and "19" in out
    code, out, _ = run(runner, store_path, "unload", "tiny")
    assert code == 0 and "removed 19 nodes" in out
    code, _, err = run(runner, store_path, "unload", "tiny")
    assert code == 6 and "no dataset 'tiny'" in err


def test_load_invalid_leaves_store_unchanged(runner: CliRunner, store_path: Path) -> None:
    run(runner, store_path, "load", str(TINY))
    before = store_path.read_bytes()
    code, _, err = run(runner, store_path, "load", str(BROKEN))
    assert code == 2 and "nothing was written" in err
    assert store_path.read_bytes() == before


def test_import_register_prints_quirks(runner: CliRunner, store_path: Path) -> None:
    code, out, _ = run(runner, store_path, "import-register", str(REGISTER))
    assert code == 0
    assert "Imported 365 register entries" in out and "without org nr" in out


def test_export(runner: CliRunner, store_path: Path, tmp_path: Path) -> None:
    run(runner, store_path, "load", str(TINY))
    target = tmp_path / "out.graphml"
    code, _, _ = run(runner, store_path, "export", "--format", "graphml", "-o", str(target))
    assert code == 0 and target.exists() and "graphml" in target.read_text(encoding="utf-8")


def test_missing_folder(runner: CliRunner, store_path: Path, tmp_path: Path) -> None:
    code, _, err = run(runner, store_path, "load", str(tmp_path / "nope"))
    assert code == 2 and "is not a folder" in err


def test_a_long_load_shows_progress_on_stderr(runner: CliRunner, store_path: Path,
                                              tmp_path: Path) -> None:
    from loaders.synthetic import build_large_dataset

    folder = build_large_dataset(tmp_path / "large", None, insights=200)
    code, out, err = run(runner, store_path, "load", str(folder))
    assert code == 0, err
    assert "Loaded dataset 'large'" in out and "write" not in out  # progress is on stderr
    lines = [ln for ln in err.splitlines() if ln.strip()]
    # not a terminal: click prints the bar's label once, then the stage's closing count
    total = int(lines[0].rsplit("(", 1)[1].rstrip(")"))
    assert lines[0] == f"{folder}: write ({total})" and total >= 500
    assert lines[-1] == f"{folder}: write {total}/{total}"
    quiet = run(runner, store_path, "load", str(folder), "--quiet")
    assert quiet[0] == 0 and quiet[1] == "" and quiet[2] == ""


def test_load_seed_data_outside_a_checkout(runner: CliRunner, store_path: Path, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no seed_data folder here: the packaged seed is loaded
    code, out, err = run(runner, store_path, "load", "seed_data")
    assert code == 0, err
    assert "Loaded dataset 'seed'" in out


def test_import_register_path_from_the_setting(runner: CliRunner, store_path: Path,
                                               tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "esv.json"
    res = runner.invoke(cli, ["--store", str(store_path), "import-register"],
                        env={"INSIKT_REGISTER": None})
    assert res.exit_code == 1 and "set INSIKT_REGISTER" in res.stderr
    res = runner.invoke(cli, ["--store", str(store_path), "import-register"],
                        env={"INSIKT_REGISTER": str(missing)})
    assert res.exit_code == 1 and str(missing) in res.stderr
    assert not store_path.exists()  # nothing was written
