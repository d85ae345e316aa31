"""Fuzzing `insikt import-notes` with generated and mutated workshop notes: Markdown from a
small grammar (titles, front lines, headings, bullets, junk), bytes, encodings, lines built
to make a backtracking parser slow, limits, and files that are not files.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import DATA
from tests.fuzz.harness import Store, byte_mutation, dataset_ids, examples, fresh, run_case

NOTES = {p.name: p.read_bytes() for p in sorted((DATA / "notes").glob("*.md"))}

words = st.sampled_from(["Kunden", "får", "vänta", "intyg", "**fet**", "`kod`", "__x__", "(",
                         ")", ":", "-", "#", "2021", "２０２１", "Skatteverket", "och", "&",
                         "Migrationsverket", "\t", "\u00a0", "\u2028", "ä", "e\u0301", "…",
                         "1.", "*", ">", "[länk](http://x)", "<b>", "&amp;", "\x00"])
phrase = st.lists(words, min_size=0, max_size=8).map(" ".join)
dates = st.sampled_from(["2023-10-12", "2023", "2023-02", "9 maj 2017", "9 May 2017",
                         "31 februari 2020", "２０２３-１０-１２", "12/10/2023", "", "igår",
                         "2023-13-01", "99 maj 2017", "9 maj ２０１７"])
front = st.one_of(
    st.tuples(st.sampled_from(["Datum", "Date", "**Datum:**", "- Datum"]), dates).map(
        lambda t: f"{t[0]}: {t[1]}" if not t[0].endswith(":**") else f"{t[0]} {t[1]}"),
    st.tuples(st.sampled_from(["Arrangör", "Organiser", "**Arrangör:**"]), phrase).map(
        lambda t: f"{t[0]}: {t[1]}"),
    st.lists(st.sampled_from(["Skatteverket", "Migrationsverket", "SKV", "Okänd byrå",
                              "Skatteverket och Migrationsverket", "Statens invandrarverk",
                              "X (Skatteverket)", "", " ", "(((("]), max_size=5).map(
        lambda ps: "Deltagare: " + ", ".join(ps)),
)
bullet = st.tuples(st.sampled_from(["- ", "* ", "+ ", "1. ", "2) ", "  - ", "    ", "-", ""]),
                   phrase, st.sampled_from(["", "", "\n  fortsättning", "\n\n  efter tom rad",
                                            "\n  - underpunkt"])).map(
    lambda t: t[0] + t[1] + t[2])
heading = st.sampled_from(["## Insikter", "## Insights", "## Kundinsikter", "### Insikter:",
                           "## Övrigt", "# Ny titel", "##Insikter", "## Insikter ##",
                           "####### Insikter"])
line = st.one_of(front, heading, bullet, phrase)

pytestmark = pytest.mark.fuzz


def imported(store: Store) -> Any:
    """For a case that exits 0: a notes dataset is now in the store."""
    def check(result: Result) -> None:
        assert any(i.startswith("notes-") for i in dataset_ids(store)), result.output
        assert "Imported" in result.output

    return check


def run(category: str, store: Store, work: Path, body: bytes | None, register: Path,
        may_pass: bool = True, name: str = "notes.md") -> Result:
    path = fresh(work, "notes") / name
    if body is not None:
        path.write_bytes(body)
    return run_case(category, store, ["import-notes", str(path), "--register", str(register)],
                    imported(store) if may_pass else None)


@examples(300)
@given(title=st.one_of(st.none(), phrase), lines=st.lists(line, max_size=14))
def test_generated_notes(fuzz_store: Store, work: Path, register_json: Path,
                         title: str | None, lines: list[str]) -> None:
    text = ([f"# {title}"] if title is not None else []) + lines
    run("notes: generated", fuzz_store, work, "\n".join(text).encode("utf-8"), register_json)


@examples(150)
@given(name=st.sampled_from(sorted(NOTES)),
       ops=st.lists(st.tuples(st.sampled_from(["flip", "insert", "delete", "dup-line"]),
                              st.floats(0, 1), st.integers(0, 255)), min_size=1, max_size=6))
def test_notes_bytes(fuzz_store: Store, work: Path, register_json: Path, name: str,
                     ops: list[tuple[str, float, int]]) -> None:
    body = bytearray(NOTES[name])
    for op, where, byte in ops:
        i = byte_mutation(body, op, where, byte)
        if i is not None:  # dup-line: repeat the line at i
            start = body.rfind(b"\n", 0, i) + 1
            end = body.find(b"\n", i)
            body[start:start] = body[start:end if end >= 0 else len(body)] + b"\n"
    run("notes: bytes", fuzz_store, work, bytes(body), register_json)


@examples(80)
@given(name=st.sampled_from(sorted(NOTES)),
       encoding=st.sampled_from(["utf-16", "utf-32", "latin-1", "cp1252", "cp437",
                                 "mac-roman", "utf-8-sig"]),
       junk=st.sampled_from([b"", b"\xff\xfe", b"\xc3", b"\xed\xb2\x80", b"\x80\x80"]),
       where=st.floats(0, 1))
def test_notes_encodings(fuzz_store: Store, work: Path, register_json: Path, name: str,
                         encoding: str, junk: bytes, where: float) -> None:
    body = NOTES[name].decode("utf-8").encode(encoding, errors="replace")
    i = int(where * len(body))
    run("notes: encodings", fuzz_store, work, body[:i] + junk + body[i:], register_json)


@examples(90)
@given(shape=st.sampled_from(["spaces-front", "spaces-heading", "parens", "bold", "bullets",
                              "long-bullet", "long-title", "colons", "digits", "cr-only",
                              "many-headings", "nested"]),
       n=st.integers(1, 5))
def test_hostile_notes(fuzz_store: Store, work: Path, register_json: Path, shape: str,
                       n: int) -> None:
    """Lines that make a backtracking regex quadratic, and inputs over the limits: each must
    finish (the suite's time is the proof) and be refused or imported."""
    head = "# Workshop\nDatum: 2023-10-12\nDeltagare: Skatteverket\n\n## Insikter\n"
    big = 20_000 * n
    may_pass = True
    if shape == "spaces-front":
        text = "# W\nDatum" + " " * big + "x\n## Insikter\n- a\n"
    elif shape == "spaces-heading":
        text = "# W" + " " * big + "#" * n + "x\n## Insikter\n- a\n"
    elif shape == "parens":
        text = "# W\nDeltagare: " + "(" * big + "\n## Insikter\n- a\n"
    elif shape == "bold":
        text = head + "- **" + "*" * big + "\n"
    elif shape == "bullets":  # over INSIKT_MAX_NOTES_BULLETS (default 10,000)
        text = head + "- samma insikt\n" * (10_000 + n)
        may_pass = False
    elif shape == "long-bullet":  # over INSIKT_MAX_STRING (default 100,000)
        text = head + "- " + "ord " * (25_000 + big) + "\n"
        may_pass = False
    elif shape == "long-title":
        text = "# " + "T" * (1000 + n) + "\n## Insikter\n- a\n"
        may_pass = False
    elif shape == "colons":
        text = "# W\n" + ":" * big + "\n## Insikter\n- a\n"
    elif shape == "digits":
        text = "# W\n## Insikter\n" + "1" * big + "x\n- a\n"
    elif shape == "cr-only":
        text = head.replace("\n", "\r") + "- a\r- b\r"
    elif shape == "many-headings":
        text = "# W\n" + "## Insikter\n- samma\n" * (200 * n)
    else:
        text = head + "- a\n" + "".join("  " * i + "- b\n" for i in range(1, 2000))
    run("notes: hostile", fuzz_store, work, text.encode("utf-8"), register_json, may_pass)


@examples(40)
@given(kind=st.sampled_from(["folder", "fifo", "dev-zero", "missing", "empty", "sparse",
                             "broken-link"]))
def test_notes_file_kinds(fuzz_store: Store, work: Path, register_json: Path,
                          kind: str) -> None:
    folder = fresh(work, "notes-kind")
    path = folder / "notes.md"
    if kind == "folder":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "dev-zero":
        path.symlink_to("/dev/zero")
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "sparse":
        with path.open("wb") as fh:
            fh.truncate(200 * 1024 * 1024)
    elif kind == "broken-link":
        path.symlink_to(folder / "nowhere.md")
    run_case("notes: file kinds", fuzz_store, ["import-notes", str(path), "--register",
                                                str(register_json)])
