"""`insikt diff`, `insikt load --dry-run`, `insikt history` and `insikt show` as people use
them: the entry changes a folder (or package) would make, written nowhere; the versions with
who loaded them; a node with the dataset of each value."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from insikt_cli.main import cli
from tests.conftest import TINY


def run(runner: CliRunner, store: Path, *args: str) -> tuple[int, str, str]:
    res = runner.invoke(cli, ["--backend", "embedded", "--store", str(store), *args])
    return res.exit_code, res.stdout, res.stderr


def edited_tiny(tmp_path: Path) -> Path:
    folder = tmp_path / "edited" / "tiny"
    shutil.copytree(TINY, folder)
    p = folder / "principles.yaml"
    p.write_text(p.read_text(encoding="utf-8").replace("name_en: Once only",
                                                       "name_en: Once-only principle"),
                 encoding="utf-8")
    text = (folder / "insights.yaml").read_text(encoding="utf-8")
    (folder / "insights.yaml").write_text(text[:text.index("- id: gammal-insikt")],
                                          encoding="utf-8")
    return folder


def test_diff_and_dry_run_name_every_change_and_write_nothing(runner: CliRunner,
                                                              store_path: Path,
                                                              tmp_path: Path) -> None:
    assert run(runner, store_path, "load", str(TINY), "-q")[0] == 0
    before = store_path.read_bytes()
    edited = edited_tiny(tmp_path)
    code, out, err = run(runner, store_path, "diff", str(edited))
    assert code == 0, err
    assert "1 nodes added" not in out and "1 removed, 1 changed" in out
    assert "~ node         Principle:en-gang  (name_en, search_text)" in out
    assert "- node         Insight:gammal-insikt" in out
    assert "- relationship SUPERSEDED_BY Insight:gammal-insikt -> Insight:intyg-till-banken" in out
    code, out2, _ = run(runner, store_path, "load", str(edited), "--dry-run")
    assert code == 0 and out2 == out + "Dry run: nothing was written.\n"
    code, out3, _ = run(runner, store_path, "diff", str(edited), "--format", "json")
    doc = json.loads(out3)
    assert doc["summary"]["removed_nodes"] == 1 and doc["summary"]["changed_nodes"] == 1
    assert {"kind": "node", "action": "changed", "key": "Principle:en-gang",
            "fields": ["name_en", "search_text"]} in doc["changes"]
    assert store_path.read_bytes() == before  # diff and dry run wrote nothing
    code, out, _ = run(runner, store_path, "diff", str(TINY))
    assert code == 0 and "Nothing would change." in out


def test_history_lists_versions_with_who_and_what_changed(runner: CliRunner, store_path: Path,
                                                          tmp_path: Path) -> None:
    assert run(runner, store_path, "load", str(TINY), "-q", "--by", "anna")[0] == 0
    assert run(runner, store_path, "load", str(edited_tiny(tmp_path)), "-q", "--by", "bo")[0] == 0
    code, out, _ = run(runner, store_path, "history", "tiny", "--format", "json")
    rows = json.loads(out)
    assert code == 0 and [(r["version"], r["by"]) for r in rows] == [(1, "anna"), (2, "bo")]
    assert rows[1]["summary"]["removed_nodes"] == 1 and rows[1]["removed_nodes"] == 1
    code, out, _ = run(runner, store_path, "history")
    lines = out.splitlines()
    assert code == 0 and lines[0].split()[:5] == ["version", "dataset", "action", "at", "by"]
    assert lines[2].split()[4] == "anna" and lines[3].split()[4] == "bo"
    code, out, _ = run(runner, store_path, "history", "nothing-like-it")
    assert code == 0 and "No loads recorded." in out


def test_show_prints_each_value_with_its_dataset(runner: CliRunner, store_path: Path) -> None:
    assert run(runner, store_path, "load", str(TINY), "-q")[0] == 0
    code, out, _ = run(runner, store_path, "show", "agency", "skatteverket")
    assert code == 0 and out.startswith("Agency skatteverket (datasets: tiny (curated))")
    assert any(line.split()[:2] == ["name", "Skatteverket"] and line.split()[-1] == "tiny"
               for line in out.splitlines())
    code, out, _ = run(runner, store_path, "show", "Agency", "skatteverket", "--format", "json")
    doc = json.loads(out)
    assert doc["properties"]["name"] == {"value": "Skatteverket", "dataset": "tiny"}
    assert doc["entries"]["tiny"]["name"] == "Skatteverket"
    code, _, err = run(runner, store_path, "show", "agency", "no-such-agency")
    assert code != 0 and "no agency 'no-such-agency'" in err
    code, _, err = run(runner, store_path, "show", "planet", "x")
    assert code != 0 and "life-event" in err


def test_diff_of_a_package_before_and_after_importing_it(runner: CliRunner, store_path: Path,
                                                         tmp_path: Path) -> None:
    from graph.embedded import EmbeddedStore
    from loaders.package import export_package, import_package

    source = EmbeddedStore(tmp_path / "source.db")
    run(runner, tmp_path / "source.db", "load", str(TINY), "-q")
    pkg = export_package(source.to_networkx(), "all", tmp_path / "all.zip").path
    source.close()
    code, out, err = run(runner, store_path, "diff", str(pkg), "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["summary"]["added_nodes"] == 19 and doc["header_changed"]
    st = EmbeddedStore(store_path)
    import_package(st, pkg)
    st.close()
    code, out, _ = run(runner, store_path, "diff", str(pkg))
    assert code == 0 and "Nothing would change." in out
