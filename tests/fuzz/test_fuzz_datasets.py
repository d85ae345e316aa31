"""Fuzzing `insikt load` with mutated copies of the tiny dataset: bytes, encodings, value
types, nesting, YAML anchors and aliases, CSV quoting, and files that are not files.

Each case must end in exit 2 with located problems and an unchanged store, or, when the
mutation happened to leave the dataset valid, in a load that the validator agrees with.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import Result
from hypothesis import given
from hypothesis import strategies as st

from loaders.dataset import validate_dataset
from tests.conftest import TINY
from tests.fuzz.harness import Store, byte_mutation, dataset_ids, examples, fresh, run_case, texts, values

FILES = sorted(p.name for p in TINY.iterdir())
ENTITY_FILES = [f for f in FILES if f != "dataset.yaml"]
TINY_BYTES = {name: (TINY / name).read_bytes() for name in FILES}
TINY_DATA: dict[str, Any] = {name: yaml.safe_load(body) for name, body in TINY_BYTES.items()}

pytestmark = pytest.mark.fuzz


def dataset(work: Path, changes: dict[str, bytes | None]) -> Path:
    """A copy of tiny with some files replaced (bytes) or removed (None)."""
    folder = fresh(work, "case")
    for name, body in TINY_BYTES.items():
        if name not in changes:
            (folder / name).write_bytes(body)
    for name, new in changes.items():
        if new is not None:
            (folder / name).write_bytes(new)
    return folder


def loaded(store: Store, folder: Path) -> Any:
    """For a case that exits 0: the validator must agree that the dataset is valid, and the
    store must now hold it."""
    def check(result: Result) -> None:
        parsed, problems = validate_dataset(folder)
        assert problems == [] and parsed is not None, problems[:3]
        assert parsed.meta.id in dataset_ids(store)

    return check


def load(category: str, store: Store, folder: Path) -> Result:
    return run_case(category, store, ["load", "-q", str(folder)], loaded(store, folder))


def dump(data: Any) -> bytes:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8")


@examples(320)
@given(name=st.sampled_from(FILES),
       ops=st.lists(st.tuples(st.sampled_from(["flip", "insert", "delete", "replace"]),
                              st.floats(0, 1), st.integers(0, 255)), min_size=1, max_size=6))
def test_byte_mutations(fuzz_store: Store, work: Path, name: str,
                        ops: list[tuple[str, float, int]]) -> None:
    body = bytearray(TINY_BYTES[name])
    for op, where, byte in ops:
        i = byte_mutation(body, op, where, byte)
        if i is not None and body:  # set: overwrite the byte at i
            body[i] = byte
    load("dataset: bytes", fuzz_store, dataset(work, {name: bytes(body)}))


@examples(160)
@given(name=st.sampled_from(FILES),
       encoding=st.sampled_from(["utf-16", "utf-16-be", "utf-32", "latin-1", "cp1252", "cp437",
                                 "mac-roman", "utf-7", "shift_jis", "utf-8-sig"]),
       junk=st.sampled_from([b"", b"\xff", b"\xc0\xaf", b"\xed\xa0\x80", b"\xf8\x88\x80\x80",
                             b"\x80", b"\xe2\x82", b"\x00\x00\xfe\xff"]),
       where=st.floats(0, 1))
def test_encodings(fuzz_store: Store, work: Path, name: str, encoding: str, junk: bytes,
                   where: float) -> None:
    text = TINY_BYTES[name].decode("utf-8")
    body = text.encode(encoding, errors="replace")
    i = int(where * len(body))
    load("dataset: encodings", fuzz_store, dataset(work, {name: body[:i] + junk + body[i:]}))


@examples(360)
@given(name=st.sampled_from(FILES), index=st.integers(0, 10),
       key=st.one_of(st.sampled_from(["id", "title", "name", "kind", "year", "org_nr",
                                      "reported_by", "sources", "steps", "agencies", "date",
                                      "instance_of", "illustrative", "note", "status",
                                      "domain", "life_event", "version", "applied_by"]), texts),
       value=values, whole=st.sampled_from(["field", "field", "field", "entry", "file",
                                            "nested"]))
def test_wrong_types(fuzz_store: Store, work: Path, name: str, index: int, key: str, value: Any,
                     whole: str) -> None:
    data = TINY_DATA[name]
    data = dict(data) if isinstance(data, dict) else [dict(e) for e in data]
    if whole == "file":
        data = value
    elif isinstance(data, dict):
        data[key] = value
    elif whole == "entry":
        data[index % len(data)] = value
    else:
        entry = data[index % len(data)]
        if whole == "nested":  # inside a list of mappings (reported_by, steps, agencies)
            lists = [k for k, v in entry.items() if isinstance(v, list) and v
                     and isinstance(v[0], dict)]
            if lists:
                items = [dict(x) for x in entry[lists[0]]]
                items[index % len(items)][key] = value
                entry[lists[0]] = items
            else:
                entry[key] = value
        else:
            entry[key] = value
    load("dataset: types", fuzz_store, dataset(work, {name: dump(data)}))


@examples(160)
@given(name=st.sampled_from(ENTITY_FILES), depth=st.one_of(st.integers(1, 40),
                                                           st.integers(40, 5000)),
       kind=st.sampled_from(["list", "map", "mixed", "block"]), key=st.sampled_from(
           ["note", "sources", "reported_by", "title", "extra"]))
def test_nesting(fuzz_store: Store, work: Path, name: str, depth: int, kind: str,
                 key: str) -> None:
    data = [dict(e) for e in TINY_DATA[name]]
    data[0][key] = "__NEST__"
    if kind == "list":
        nest = "[" * depth + "x" + "]" * depth
    elif kind == "map":
        nest = "{a: " * depth + "x" + "}" * depth
    elif kind == "mixed":
        nest = "[{a: " * depth + "x" + "}]" * depth
    else:  # block style, one level per line
        depth = min(depth, 400)
        nest = "".join("\n" + "  " * (i + 2) + "- " for i in range(depth)) + "x"
    text = dump(data).decode("utf-8").replace("'__NEST__'", nest).replace("__NEST__", nest)
    load("dataset: nesting", fuzz_store, dataset(work, {name: text.encode("utf-8")}))


def _bomb(breadth: int, levels: int) -> str:
    lines = ["- id: bomb", "  title: bomb", "  kind: general", '  x0: &a0 ["lol", "lol"]']
    for i in range(1, levels + 1):
        lines.append(f"  x{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * breadth) + "]")
    return "\n".join(lines) + "\n"


@examples(200)
@given(shape=st.sampled_from(["bomb", "bomb", "recursive", "recursive-map", "undefined",
                              "duplicate", "key", "merge", "entry", "shared-list", "tagged"]),
       breadth=st.integers(2, 12), levels=st.integers(1, 12),
       name=st.sampled_from(["insights.yaml", "sources.yaml", "agencies.yaml"]))
def test_aliases_and_anchors(fuzz_store: Store, work: Path, shape: str, breadth: int,
                             levels: int, name: str) -> None:
    base = TINY_BYTES[name].decode("utf-8")
    if shape == "bomb":
        text = base + _bomb(breadth, levels)
    elif shape == "recursive":
        text = base + "- &r [*r]\n"
    elif shape == "recursive-map":
        text = base + "- &m {id: loop, title: t, kind: general, note: *m}\n"
    elif shape == "undefined":
        text = base + "- {id: u, title: *nope}\n"
    elif shape == "duplicate":
        text = base + "- &d {id: d1}\n- &d {id: d2}\n"
    elif shape == "key":
        text = base + "- &k id\n- {*k : x, title: t}\n"
    elif shape == "merge":
        text = "- &m " + base.split("\n", 1)[0].removeprefix("- ") + "\n" + \
            base.split("\n", 1)[1] + "- <<: *m\n"
    elif shape == "entry":  # an alias of a whole entry: a duplicate id
        lines = base.split("\n")
        text = "- &e " + lines[0].removeprefix("- ") + "\n" + "\n".join(lines[1:]) + "- *e\n"
    elif shape == "tagged":
        text = "!!set\n" + base if breadth % 2 else base + "- !!python/object:os.system x\n"
    else:  # anchors shared between entries: valid YAML and a valid dataset
        text = base.replace("sources: [forum-2017]", "sources: &s [forum-2017]", 1)
    load("dataset: aliases", fuzz_store, dataset(work, {name: text.encode("utf-8")}))


@examples(160)
@given(tag=st.sampled_from(["!!int", "!!float", "!!timestamp", "!!binary", "!!set", "!!omap",
                            "!!pairs", "!!str", "!!null", "!!bool", "!!seq", "!!map", "!foo",
                            "!!python/tuple", "!<tag:yaml.org,2002:int>", ""]),
       text=st.one_of(texts, st.sampled_from(["9" * 5000, "-" + "1" * 4301, "0x" + "f" * 4000,
                                              "0b" + "1" * 20000, "2020-99-99", "1e99999",
                                              ".nan", "0o777", "1_000", "=", "<<",
                                              "[1, 2]", "{a: 1}", "!!!", "AAAA====",
                                              "2001-12-14t21:59:43.10-05:00"])),
       name=st.sampled_from(["insights.yaml", "sources.yaml", "dataset.yaml"]),
       key=st.sampled_from(["year", "date", "title", "note", "version", "sources"]))
def test_tags_and_scalars(fuzz_store: Store, work: Path, tag: str, text: str, name: str,
                          key: str) -> None:
    """Explicit tags and scalars that YAML's constructors cannot turn into values (an
    integer over Python's 4,300 digits, an impossible timestamp, bad base64)."""
    value = f"{tag} {text}" if tag else text
    if name == "dataset.yaml":
        body = TINY_BYTES[name].decode("utf-8") + f"{key}: {value}\n"
    else:
        lines = TINY_BYTES[name].decode("utf-8").split("\n")
        body = "\n".join([lines[0], f"  {key}: {value}", *lines[1:]])
    load("dataset: tags", fuzz_store, dataset(work, {name: body.encode("utf-8")}))


def _csv_text(rows: list[dict[str, Any]], quoting: Any, delimiter: str) -> str:
    fields = list(dict.fromkeys(k for r in rows for k in r))
    buf = io.StringIO()
    w = csv.writer(buf, quoting=quoting, delimiter=delimiter, lineterminator="\r\n",
                   escapechar="\\" if quoting == csv.QUOTE_NONE else None)
    w.writerow(fields)
    for r in rows:
        cells = []
        for f in fields:
            v = r.get(f, "")
            if isinstance(v, list):
                v = ";".join(":".join(str(x) for x in i.values()) if isinstance(i, dict)
                             else str(i) for i in v)
            cells.append("" if v is None else str(v))
        w.writerow(cells)
    return buf.getvalue()


@examples(260)
@given(stem=st.sampled_from(["agencies", "insights"]),
       quoting=st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC,
                                csv.QUOTE_NONE]),
       delimiter=st.sampled_from([",", ",", ";", "\t"]),
       damage=st.sampled_from(["none", "quote", "quote-end", "nul", "huge", "extra", "cr",
                               "bom", "header", "empty-header", "dup-header", "year", "parts",
                               "both"]),
       where=st.floats(0, 1), cell=texts)
def test_csv_quoting(fuzz_store: Store, work: Path, stem: str, quoting: Any, delimiter: str,
                     damage: str, where: float, cell: str) -> None:
    rows = [dict(e) for e in TINY_DATA[f"{stem}.yaml"]]
    text = _csv_text(rows, quoting, delimiter)
    i = int(where * len(text))
    if damage == "quote":
        text = text[:i] + '"' + text[i:]
    elif damage == "quote-end":
        text = text + '"unterminated,' + cell
    elif damage == "nul":
        text = text[:i] + "\x00" + text[i:]
    elif damage == "huge":
        text = text[:i] + "x" * 131_073 + text[i:]
    elif damage == "extra":
        text = text.replace("\r\n", f"{delimiter}{cell}{delimiter}extra\r\n", 2)
    elif damage == "cr":
        text = text.replace("\r\n", "\r")
    elif damage == "bom":
        text = "\ufeff\ufeff" + text
    elif damage == "header":
        text = cell + text
    elif damage == "empty-header":
        text = delimiter + text
    elif damage == "dup-header":
        text = "id," + text
    elif damage == "year":
        text = text.replace("2017", "２０１７").replace("2020", "2_020")
    elif damage == "parts":
        text = text.replace("forum-2017", "forum-2017:x:y:z:w")
    changes: dict[str, bytes | None] = {f"{stem}.csv": text.encode("utf-8")}
    if damage != "both":
        changes[f"{stem}.yaml"] = None
    load("dataset: csv", fuzz_store, dataset(work, changes))


@examples(120)
@given(name=st.sampled_from(FILES),
       kind=st.sampled_from(["folder", "fifo", "dev-zero", "outside", "broken", "inside",
                             "empty", "sparse-200mb", "unknown-file", "missing", "dev-null",
                             "socket-path"]))
def test_file_kinds(fuzz_store: Store, work: Path, name: str, kind: str) -> None:
    folder = dataset(work, {name: None})
    target = folder / name
    if kind == "folder":
        target.mkdir()
        (target / "x.yaml").write_text("- id: x\n")
    elif kind == "fifo":
        os.mkfifo(target)
    elif kind == "dev-zero":
        target.symlink_to("/dev/zero")
    elif kind == "dev-null":
        target.symlink_to("/dev/null")
    elif kind == "outside":
        outside = work / "outside.yaml"
        outside.write_bytes(TINY_BYTES[name])
        target.symlink_to(outside)
    elif kind == "broken":
        target.symlink_to(folder / "nowhere.yaml")
    elif kind == "inside":  # a link within the dataset folder is fine
        (folder / "sub").mkdir()
        (folder / "sub" / name).write_bytes(TINY_BYTES[name])
        target.symlink_to(Path("sub") / name)
    elif kind == "empty":
        target.write_bytes(b"")
    elif kind == "sparse-200mb":
        with target.open("wb") as fh:
            fh.truncate(200 * 1024 * 1024)
    elif kind == "unknown-file":
        target.write_bytes(TINY_BYTES[name])
        (folder / "insight.yaml").write_bytes(b"- id: x\n")
    elif kind == "socket-path":
        target.write_bytes(TINY_BYTES[name])
        shutil.rmtree(folder)  # the dataset folder itself is gone
    # "missing": the file is simply absent
    load("dataset: file kinds", fuzz_store, folder)
