"""Each malformed input an outside probe once turned into a traceback, a hang or a memory
blow-up, and each limit: a located one-line message, exit 2, nothing written.

(The fuzz suite in tests/fuzz tries thousands of variations; these are the named cases, with
the exact messages people see.)
"""

from __future__ import annotations

import io
import json
import os
import struct
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.settings import reset_settings
from insikt_cli.main import cli
from loaders.dataset import validate_dataset
from loaders.limits import excerpt
from loaders.package import package_bytes
from tests.conftest import TINY


@pytest.fixture(autouse=True)
def fresh_settings() -> Iterator[None]:
    """Limits are settings: re-read them after a test changed the environment."""
    reset_settings()
    yield
    reset_settings()


SetLimit = Callable[[str, int], None]


@pytest.fixture
def limit(monkeypatch: pytest.MonkeyPatch) -> SetLimit:
    def set_limit(name: str, value: int) -> None:
        monkeypatch.setenv(name, str(value))
        reset_settings()

    return set_limit


def load(runner: CliRunner, store: Path, *args: str) -> tuple[int, str]:
    res = runner.invoke(cli, ["--store", str(store), *args])
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    assert "Traceback" not in res.output
    return res.exit_code, res.output


def empty(runner: CliRunner, store: Path) -> bool:
    """Nothing was written: the store holds no dataset (asked through the CLI, so that this
    holds for a JSON file and for a database that opening may create)."""
    res = runner.invoke(cli, ["--store", str(store), "datasets", "--format", "json"])
    return res.exit_code == 0 and json.loads(res.stdout) == []


def problems(folder: Path) -> list[str]:
    return [str(p) for p in validate_dataset(folder)[1]]


# -- what the probe found ----------------------------------------------------------------------

def test_dataset_yaml_not_utf8(runner: CliRunner, tiny_copy: Path, store_path: Path) -> None:
    (tiny_copy / "dataset.yaml").write_bytes("id: tiny\ntitle: Gr\u00e4ns\n".encode("latin-1"))
    code, out = load(runner, store_path, "load", str(tiny_copy))
    assert code == 2 and empty(runner, store_path)
    assert "dataset.yaml: line 2: not UTF-8 text (invalid continuation byte at byte 18)" in out


def test_entity_file_is_a_folder(runner: CliRunner, tiny_copy: Path, store_path: Path) -> None:
    (tiny_copy / "sources.yaml").unlink()
    (tiny_copy / "sources.yaml").mkdir()
    code, out = load(runner, store_path, "load", str(tiny_copy))
    assert code == 2 and "sources.yaml: -: is a folder, not a file" in out


def test_csv_cell_over_the_csv_module_limit(tiny_copy: Path) -> None:
    (tiny_copy / "agencies.yaml").unlink()
    (tiny_copy / "agencies.csv").write_text("id,name\nx," + "n" * 131_073 + "\n",
                                            encoding="utf-8")
    assert problems(tiny_copy)[0] == (
        "agencies.csv: row 2: refused: a cell longer than 100000 characters (INSIKT_MAX_STRING) "
        "(hint: split the input, or raise INSIKT_MAX_STRING if it is meant to be this large)")


def test_csv_broken_quote_is_located(tiny_copy: Path) -> None:
    (tiny_copy / "agencies.yaml").unlink()
    (tiny_copy / "agencies.csv").write_text('id,name\nx,"a"b\n', encoding="utf-8")
    first = problems(tiny_copy)[0]
    assert first.startswith("agencies.csv: row 2: CSV error: ")


@pytest.mark.timeout(30)  # a FIFO used to block forever
def test_fifo_is_refused_without_blocking(tiny_copy: Path) -> None:
    (tiny_copy / "insights.yaml").unlink()
    os.mkfifo(tiny_copy / "insights.yaml")
    assert "insights.yaml: -: is not a regular file (a FIFO, device or socket); refusing to " \
        "read it" in problems(tiny_copy)[0]


def test_symlinks_must_stay_in_the_dataset_folder(tiny_copy: Path, tmp_path: Path) -> None:
    (tiny_copy / "sources.yaml").rename(tmp_path / "elsewhere.yaml")
    (tiny_copy / "sources.yaml").symlink_to(tmp_path / "elsewhere.yaml")
    (tiny_copy / "domains.yaml").unlink()
    (tiny_copy / "domains.yaml").symlink_to("/dev/zero")
    found = problems(tiny_copy)
    assert "domains.yaml: -: is a symbolic link that leads outside the dataset folder " \
        "(hint: copy the file into the dataset folder instead of linking to it)" in found
    assert any(p.startswith("sources.yaml: -: is a symbolic link that leads outside") for p in found)
    # a link inside the folder is an ordinary file
    (tiny_copy / "sources.yaml").unlink()
    (tiny_copy / "domains.yaml").unlink()
    (tiny_copy / "parts").mkdir()
    (tiny_copy / "parts" / "domains.yaml").write_bytes((TINY / "domains.yaml").read_bytes())
    (tiny_copy / "domains.yaml").symlink_to(Path("parts") / "domains.yaml")
    (tmp_path / "elsewhere.yaml").rename(tiny_copy / "sources.yaml")
    assert problems(tiny_copy) == []


def test_a_broken_symlink_is_not_skipped_in_silence(tiny_copy: Path) -> None:
    (tiny_copy / "principles.yaml").unlink()
    (tiny_copy / "principles.yaml").symlink_to(tiny_copy / "gone.yaml")
    assert problems(tiny_copy) == ["principles.yaml: -: is a broken symbolic link "
                                   "(hint: point it at an existing file)"]


def test_200_mb_file_is_refused_at_once(tiny_copy: Path) -> None:
    with (tiny_copy / "sources.yaml").open("wb") as fh:  # sparse: no disk, no memory
        fh.truncate(200 * 1024 * 1024)
    assert problems(tiny_copy)[0].startswith(
        "sources.yaml: -: is 209715200 bytes, over the limit of 67108864 bytes (hint: split "
        "the input, or raise INSIKT_MAX_FILE_BYTES")


def test_alias_bomb_is_refused_with_a_short_message(runner: CliRunner, tiny_copy: Path,
                                                    store_path: Path) -> None:
    lines = ['- id: bomb', '  title: bomb', '  kind: general', '  a0: &a0 ["lol","lol"]']
    lines += [f"  a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    bomb = "\n".join(lines) + "\n"
    assert len(bomb) < 600
    (tiny_copy / "insights.yaml").write_text(bomb, encoding="utf-8")
    code, out = load(runner, store_path, "load", str(tiny_copy))
    assert code == 2 and len(out) < 3000
    assert "refused: aliases expand to more than 10000 nodes (INSIKT_MAX_YAML_ALIASES)" in out
    assert "insights.yaml: line 8, column 24: refused" in out  # a4 already stands for 19,683


def test_aliases_within_the_limit_still_work(tiny_copy: Path) -> None:
    text = (TINY / "insights.yaml").read_text(encoding="utf-8")
    text = text.replace("sources: [forum-2017]", "sources: &forum [forum-2017]", 1)
    text = text.replace("sources: [forum-2017]", "sources: *forum")
    (tiny_copy / "insights.yaml").write_text(text, encoding="utf-8")
    assert "*forum" in text and problems(tiny_copy) == []


def test_recursive_alias(tiny_copy: Path) -> None:
    (tiny_copy / "insights.yaml").write_text("- &r [*r]\n", encoding="utf-8")
    assert problems(tiny_copy)[0].startswith(
        "insights.yaml: line 1, column 7: refused: an alias used inside its own anchor")


def test_deep_nesting_is_refused_before_python_recurses(tiny_copy: Path) -> None:
    (tiny_copy / "insights.yaml").write_text("- " + "[" * 50 + "]" * 50 + "\n",
                                             encoding="utf-8")
    assert problems(tiny_copy)[0] == (
        "insights.yaml: line 1, column 22: refused: nested deeper than 20 levels "
        "(INSIKT_MAX_DEPTH) (hint: see docs/reliability.md for the limits and how to raise them)")
    # far deeper: libyaml's own bound (1,000) speaks first; either way, one located line
    (tiny_copy / "insights.yaml").write_text("- " + "[" * 100_000 + "]" * 100_000 + "\n",
                                             encoding="utf-8")
    assert problems(tiny_copy)[0].startswith("insights.yaml: line 1, column 1002: YAML syntax "
                                             "error: exceeded maximum nesting depth")


def test_limits_are_settings(tiny_copy: Path, limit: SetLimit) -> None:
    set_limit = limit
    assert problems(tiny_copy) == []
    set_limit("INSIKT_MAX_STRING", 30)
    assert problems(tiny_copy)[0].startswith(
        "insights.yaml: line 3, column 13: refused: a text of 34 characters, over the limit of "
        "30 (INSIKT_MAX_STRING)")
    set_limit("INSIKT_MAX_STRING", 100_000)
    set_limit("INSIKT_MAX_ENTRIES", 4)
    assert problems(tiny_copy)[0].startswith(
        "insights.yaml: line 34, column 3: refused: more than 4 entries (INSIKT_MAX_ENTRIES)")
    set_limit("INSIKT_MAX_ENTRIES", 100)
    set_limit("INSIKT_MAX_FILE_BYTES", 1000)
    assert problems(tiny_copy)[0].startswith(
        "insights.yaml: -: is 1244 bytes, over the limit of 1000 bytes")
    set_limit("INSIKT_MAX_FILE_BYTES", 10_000)
    set_limit("INSIKT_MAX_DEPTH", 3)
    assert "refused: nested deeper than 3 levels" in problems(tiny_copy)[0]


def test_values_in_messages_are_bounded_excerpts(tiny_copy: Path) -> None:
    (tiny_copy / "domains.yaml").write_text(f"- id: {'X' * 90_000}\n  name: n\n",
                                            encoding="utf-8")
    found = problems(tiny_copy)
    assert found and max(len(p) for p in found) < 1000
    assert "'XXXX" in found[0] and "… (90000 chars)" in found[0]
    assert excerpt("a" * 100) == repr("a" * 80) + "… (100 chars)"
    assert excerpt(["x"] * 10**6) == "a list of 1000000 items"
    # an integer whose decimal text Python refuses to build (over 4,300 digits)
    assert excerpt(int("f" * 4000, 16)) == "an integer of 16000 bits"
    text = (TINY / "domains.yaml").read_text(encoding="utf-8")
    (tiny_copy / "domains.yaml").write_text(text.replace("name: Arbete", "name: !!int 0x"
                                                         + "f" * 4000), encoding="utf-8")
    assert "name: expected text, got int an integer of 16000 bits" in problems(tiny_copy)[0]


def test_years_and_dates_take_ascii_digits_only(tiny_copy: Path) -> None:
    text = (TINY / "insights.yaml").read_text(encoding="utf-8")
    (tiny_copy / "insights.yaml").write_text(text.replace("year: 2017", "year: '２０１７'"),
                                             encoding="utf-8")
    src = (TINY / "sources.yaml").read_text(encoding="utf-8")
    (tiny_copy / "sources.yaml").write_text(src.replace("2017-05-09", "２０１７-05-09"),
                                            encoding="utf-8")
    found = problems(tiny_copy)
    assert any("reported_by[0].year: '２０１７' is not a year: write four digits" in p
               for p in found), found
    assert any("date: '２０１７-05-09' is not a date" in p for p in found), found


# -- packages ------------------------------------------------------------------------------------

@pytest.fixture
def package(runner: CliRunner, tmp_path: Path) -> Path:
    store = tmp_path / "src" / "graph.json"
    assert runner.invoke(cli, ["--store", str(store), "load", "-q", str(TINY)]).exit_code == 0
    out = tmp_path / "tiny.zip"
    res = runner.invoke(cli, ["--store", str(store), "package", "export", "--all", "-o",
                              str(out)])
    assert res.exit_code == 0, res.output
    return out


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def _import(runner: CliRunner, store: Path, body: bytes, tmp_path: Path) -> str:
    path = tmp_path / "case.zip"
    path.write_bytes(body)
    code, out = load(runner, store, "package", "import", str(path))
    assert code == 2 and empty(runner, store), out
    return out


def test_package_errors_are_refusals(runner: CliRunner, package: Path, tmp_path: Path,
                                     store_path: Path) -> None:
    good = package.read_bytes()
    files = _members(package)
    out = _import(runner, store_path, good[: len(good) // 2], tmp_path)  # BadZipFile
    assert "package case.zip refused: not a zip file" in out
    # a corrupt deflate stream behind valid headers: zlib.error
    info = zipfile.ZipFile(package).getinfo("dataset/insights.yaml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    broken = bytearray(good)
    broken[start:start + 8] = b"\xff" * 8
    out = _import(runner, store_path, bytes(broken), tmp_path)
    assert "refused: member 'dataset/insights.yaml' cannot be read (" in out
    # an unknown compression method: NotImplementedError
    unknown = bytearray(good)
    struct.pack_into("<H", unknown, info.header_offset + 8, 99)
    cd = good.rfind(b"PK\x05\x06")
    offset = struct.unpack("<I", good[cd + 16:cd + 20])[0]
    pos = good.find(b"dataset/insights.yaml", offset) - 46
    struct.pack_into("<H", unknown, pos + 10, 99)
    out = _import(runner, store_path, bytes(unknown), tmp_path)
    assert "member 'dataset/insights.yaml' cannot be read ('That compression method is not " \
        "supported'; compression method 99)" in out
    # a deeply nested manifest: RecursionError
    deep = {**files, "manifest.json": b'{"format": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"}
    out = _import(runner, store_path, package_bytes(deep), tmp_path)
    assert "manifest.json is nested deeper than 20 levels (INSIKT_MAX_DEPTH)" in out
    # wrongly typed manifest fields: AttributeError / TypeError
    manifest = json.loads(files["manifest.json"])
    for field, value, what in (("tool", "x", "tool"), ("source_datasets", [1], "source_datasets.0"),
                               ("files", [7], "files.0"), ("files", "abc", "files"),
                               ("counts", {"nodes": []}, "counts.nodes")):
        typed = {**files, "manifest.json": json.dumps({**manifest, field: value}).encode()}
        out = _import(runner, store_path, package_bytes(typed), tmp_path)
        assert f"refused: manifest.json: field '{what}'" in out, out


def test_package_limits(runner: CliRunner, package: Path, tmp_path: Path, store_path: Path,
                        limit: SetLimit) -> None:
    files = _members(package)
    limit("INSIKT_MAX_PACKAGE_MEMBERS", 5)
    out = _import(runner, store_path, package.read_bytes(), tmp_path)
    assert "10 members; a package has at most 5 (INSIKT_MAX_PACKAGE_MEMBERS)" in out
    limit("INSIKT_MAX_PACKAGE_MEMBERS", 100)
    # a zip bomb: 50 MB of zeros in a 50 kB member, declared as 10 bytes
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in files.items():
            zf.writestr(name, body)
        zf.writestr("dataset/bomb.txt", b"\0" * 50_000_000)
    raw = bytearray(buf.getvalue())
    limit("INSIKT_MAX_PACKAGE_BYTES", 1_000_000)
    out = _import(runner, store_path, bytes(raw), tmp_path)
    assert "the members add up to more than 1000000 bytes" in out


def test_package_path_must_be_a_regular_file(runner: CliRunner, tmp_path: Path,
                                             store_path: Path) -> None:
    os.mkfifo(tmp_path / "fifo.zip")
    code, out = load(runner, store_path, "package", "import", str(tmp_path / "fifo.zip"))
    assert code == 2 and "refused: it is not a regular file" in out


# -- notes ---------------------------------------------------------------------------------------

def test_notes_files_that_are_not_notes(runner: CliRunner, tmp_path: Path,
                                        store_path: Path) -> None:
    bad = tmp_path / "latin1.md"
    bad.write_bytes("# Möte\n## Insikter\n- Kunden väntar\n".encode("latin-1"))
    code, out = load(runner, store_path, "import-notes", str(bad))
    assert code == 2 and "latin1.md: line 1: not UTF-8 text" in out
    (tmp_path / "zero.md").symlink_to("/dev/zero")
    code, out = load(runner, store_path, "import-notes", str(tmp_path / "zero.md"))
    assert code == 2 and "zero.md: -: is not a regular file" in out
    assert empty(runner, store_path)


def test_notes_bullet_limit(runner: CliRunner, tmp_path: Path, store_path: Path,
                            limit: SetLimit) -> None:
    notes = tmp_path / "many.md"
    notes.write_text("# Möte\n## Insikter\n" + "- en insikt\n" * 30, encoding="utf-8")
    limit("INSIKT_MAX_NOTES_BULLETS", 20)
    code, out = load(runner, store_path, "import-notes", str(notes))
    assert code == 2 and "many.md: line 22: insights: refused: more than 20 insight bullets " \
        "(INSIKT_MAX_NOTES_BULLETS)" in out
    limit("INSIKT_MAX_NOTES_BULLETS", 30)
    code, out = load(runner, store_path, "import-notes", str(notes))
    assert code == 0 and "Imported 30 proposed insights" in out


def test_notes_with_one_title_many_times_get_distinct_ids(runner: CliRunner, tmp_path: Path,
                                                          store_path: Path) -> None:
    """Equal titles are numbered in one pass (this was quadratic: 10,000 took 64 s)."""
    notes = tmp_path / "same.md"
    notes.write_text("# Möte\n## Insikter\n" + "- Samma insikt.\n" * 500, encoding="utf-8")
    code, out = load(runner, store_path, "import-notes", str(notes))
    assert code == 0, out
    res = runner.invoke(cli, ["--store", str(store_path), "stats", "--format", "json"])
    assert json.loads(res.stdout)["labels"]["Insight"] == 500


# -- settings and the register -------------------------------------------------------------------

def test_a_limit_that_is_not_a_number(runner: CliRunner, limit: SetLimit,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INSIKT_MAX_DEPTH", "twenty")
    reset_settings()
    res = runner.invoke(cli, ["validate", str(TINY)])
    assert res.exit_code == 2 and isinstance(res.exception, SystemExit)
    assert "invalid setting: INSIKT_MAX_DEPTH='twenty': Input should be a valid " \
        "integer" in res.output and "Traceback" not in res.output


def test_register_with_wrong_types(runner: CliRunner, tmp_path: Path, store_path: Path) -> None:
    reg = tmp_path / "esv.json"
    reg.write_text(json.dumps({"Skatteverket": {"org_nr": 2021005448, "old_names": "SKV",
                                                "end": "２０２０-01-01"}}), encoding="utf-8")
    code, out = load(runner, store_path, "import-register", str(reg))
    assert code == 2 and empty(runner, store_path)
    assert "esv.json: 'Skatteverket': org_nr: expected text, got 2021005448" in out
    assert "esv.json: 'Skatteverket': old_names: expected a list of names" in out


def test_a_path_too_long_for_the_file_system(runner: CliRunner, store_path: Path) -> None:
    code, out = load(runner, store_path, "load", "a" * 5000)
    assert code == 2 and "… (5000 chars): -: cannot be read (File name too long)" in out
