"""`insikt analyze|package|report|import-notes` through click's runner: formats, files written,
and error exit codes."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from insikt_cli.main import cli
from tests.conftest import DATA, REGISTER, SEED


def run(runner: CliRunner, store: Path, *args: str) -> tuple[int, str, str]:
    res = runner.invoke(cli, ["--backend", "embedded", "--store", str(store), *args])
    return res.exit_code, res.stdout, res.stderr


@pytest.fixture
def loaded(runner: CliRunner, store_path: Path) -> Path:
    code, _, err = run(runner, store_path, "load", str(SEED), "-q")
    assert code == 0, err
    return store_path


@pytest.mark.parametrize("command", ["similarity", "communities", "reach", "bridges", "burden"])
def test_analyze_in_every_format(runner: CliRunner, loaded: Path, command: str) -> None:
    code, table, err = run(runner, loaded, "analyze", command)
    assert code == 0, err
    assert table.splitlines()[1].startswith("--")
    code, out, _ = run(runner, loaded, "analyze", command, "--format", "json")
    assert code == 0 and json.loads(out)
    code, out, _ = run(runner, loaded, "analyze", command, "--format", "csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert code == 0 and len(rows) >= 2 and rows[0] == table.splitlines()[0].split()


def test_analyze_details(runner: CliRunner, loaded: Path) -> None:
    code, out, _ = run(runner, loaded, "analyze", "burden", "--format", "json")
    doc = json.loads(out)
    assert code == 0 and len(doc["life_events"]) == 7 and doc["formula"].startswith("B =")
    code, out, _ = run(runner, loaded, "analyze", "similarity", "--top", "3", "--format", "json")
    assert len(json.loads(out)["pairs"]) == 3
    code, out, _ = run(runner, loaded, "analyze", "bridges", "--sample-above", "5")
    assert code == 0 and "sampled" in out
    code, out, _ = run(runner, loaded, "analyze", "reach", "--kind", "general", "--format", "json")
    assert {r["kind"] for r in json.loads(out)} == {"general"} and len(json.loads(out)) == 5


def test_package_export_and_import(runner: CliRunner, loaded: Path, tmp_path: Path) -> None:
    target = tmp_path / "familj.zip"
    code, out, err = run(runner, loaded, "package", "export", "--domain", "familj", "-o",
                         str(target))
    assert code == 0, err
    assert "pkg-domain-familj" in out and zipfile.is_zipfile(target)
    other = tmp_path / "other.json"
    code, out, err = run(runner, other, "package", "import", str(target))
    assert code == 0, err
    assert "as dataset 'pkg-domain-familj'" in out
    code, out, _ = run(runner, other, "datasets", "--format", "json")
    assert [d["id"] for d in json.loads(out)] == ["pkg-domain-familj"]


def test_package_errors(runner: CliRunner, loaded: Path, tmp_path: Path) -> None:
    target = tmp_path / "p.zip"
    code, _, err = run(runner, loaded, "package", "export", "-o", str(target))
    assert code == 2 and "exactly one" in err
    code, _, err = run(runner, loaded, "package", "export", "--all", "--agency", "skatteverket",
                       "-o", str(target))
    assert code == 2 and "exactly one" in err
    code, _, err = run(runner, loaded, "package", "export", "--life-event", "nope", "-o",
                       str(target))
    assert code == 6 and "no LifeEvent 'nope'" in err
    run(runner, loaded, "package", "export", "--agency", "skatteverket", "-o", str(target))
    with zipfile.ZipFile(target) as zf:
        files = {n: zf.read(n) for n in zf.namelist()}
    files["dataset/agencies.yaml"] += b"# changed\n"
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(bad, "w") as zf:
        for name, body in files.items():
            zf.writestr(name, body)
    code, _, err = run(runner, tmp_path / "x.json", "package", "import", str(bad))
    assert code == 2 and "checksum mismatch for dataset/agencies.yaml" in err


def test_report(runner: CliRunner, loaded: Path, tmp_path: Path) -> None:
    for name in ("r.html", "r.md"):
        code, _, err = run(runner, loaded, "report", "-o", str(tmp_path / name))
        assert code == 0 and (tmp_path / name).stat().st_size > 1000, err
    code, _, err = run(runner, loaded, "report", "-o", str(tmp_path / "r.pdf"))
    assert code == 1 and ".html or .md" in err
    code, _, err = run(runner, loaded, "report", "--lang", "en", "-o", str(tmp_path / "en.md"))
    text = (tmp_path / "en.md").read_text(encoding="utf-8")
    assert code == 0 and "## Suggested networks" in text and "Föreslagna nätverk" not in text
    code, _, err = run(runner, loaded, "report", "--lang", "de", "-o", str(tmp_path / "de.md"))
    assert code == 2 and not (tmp_path / "de.md").exists()


def test_import_notes(runner: CliRunner, loaded: Path) -> None:
    notes = DATA / "notes" / "efterlevande-workshop.md"
    code, out, err = run(runner, loaded, "import-notes", str(notes), "--register", str(REGISTER))
    assert code == 0, err
    assert "Imported 4 proposed insights" in out and "unmatched: Fonus begravningsbyrå" in out
    code, _, err = run(runner, loaded, "import-notes", str(DATA / "notes" / "absent.md"))
    assert code == 2 and "absent.md: -: does not exist" in err
