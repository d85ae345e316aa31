"""Reading files a user hands over, safely: regular files only, bounded in size, and with
problems instead of exceptions.

Every dataset file, notes file and package goes through `read_regular` before it is parsed,
so that a FIFO never blocks, a device or a symlink to `/dev/zero` is never read, a symlink
cannot lead out of a dataset folder, and nothing larger than the configured limit is loaded
into memory. The limits themselves live in `graph.settings` (see docs/reliability.md).
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph.errors import Problem
from graph.settings import get_settings

EXCERPT_CHARS = 80


@dataclass(frozen=True)
class Limits:
    """The input limits in force (a snapshot of the settings, so one read uses one set)."""

    max_file_bytes: int
    max_entries: int
    max_string: int
    max_yaml_aliases: int
    max_depth: int
    max_package_members: int
    max_package_bytes: int
    max_notes_bullets: int

    @classmethod
    def current(cls) -> Limits:
        s = get_settings()
        return cls(s.max_file_bytes, s.max_entries, s.max_string, s.max_yaml_aliases,
                   s.max_depth, s.max_package_members, s.max_package_bytes,
                   s.max_notes_bullets)


def excerpt(value: Any, limit: int = EXCERPT_CHARS) -> str:
    """A value as it may appear in a message: its repr, cut to `limit` characters.

    Messages must stay short whatever the input holds (a 500-byte YAML alias bomb once made
    a 312 MB message), so a long value shows its start and its length only. Containers are
    summarised without building their full repr.
    """
    if isinstance(value, str):
        if len(value) <= limit:
            return repr(value)
        return repr(value[:limit]) + f"… ({len(value)} chars)"
    if isinstance(value, dict | list | tuple | set):
        kind = type(value).__name__
        return f"a {kind} of {len(value)} items"
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 256:
        return f"an integer of {value.bit_length()} bits"  # repr() of it may even fail
    text = repr(value) if isinstance(value, int | float | bool | None) else type(value).__name__
    return text if len(text) <= limit else text[:limit] + f"… ({len(text)} chars)"


def shorten(text: str, limit: int = EXCERPT_CHARS) -> str:
    """A text as it may appear inside a message (no quotes): cut to `limit` characters."""
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text)} chars)"


def too_big_hint(setting: str) -> str:
    return f"split the input, or raise {setting} if it is meant to be this large"


def read_regular(path: Path, file: str, max_bytes: int, *,
                 root: Path | None = None) -> tuple[bytes | None, list[Problem]]:
    """The bytes of `path` when it is a regular file of at most `max_bytes`, else problems.

    `root`, when given, is the folder the file must stay in: a symlink may point to another
    file of the same folder tree, never outside it. The file is opened non-blocking (a FIFO
    swapped in after the check cannot block) and checked again on the open descriptor, and
    at most `max_bytes + 1` bytes are ever read.
    """
    def bad(message: str, hint: str = "") -> tuple[None, list[Problem]]:
        return None, [Problem(file, "-", "", message, hint)]

    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return bad("does not exist")
    except OSError as exc:
        return bad(f"cannot be read ({exc.strerror or exc})")
    real = path
    if stat.S_ISLNK(st.st_mode):
        real = Path(os.path.realpath(path))
        if root is not None and not real.is_relative_to(Path(os.path.realpath(root))):
            return bad("is a symbolic link that leads outside the dataset folder",
                       "copy the file into the dataset folder instead of linking to it")
        try:
            st = os.stat(real)
        except OSError:
            return bad("is a broken symbolic link", "point it at an existing file")
    if stat.S_ISDIR(st.st_mode):
        return bad("is a folder, not a file", "dataset files are YAML or CSV files")
    if not stat.S_ISREG(st.st_mode):
        return bad("is not a regular file (a FIFO, device or socket); refusing to read it",
                   "save the content as an ordinary file")
    if st.st_size > max_bytes:
        return bad(f"is {st.st_size} bytes, over the limit of {max_bytes} bytes",
                   too_big_hint("INSIKT_MAX_FILE_BYTES"))
    try:
        fd = os.open(real, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0)
                     | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        return bad(f"cannot be opened ({exc.strerror or exc})")
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # swapped after the check
            return bad("is not a regular file; refusing to read it")
        try:
            data = fh.read(max_bytes + 1)
        except OSError as exc:
            return bad(f"cannot be read ({exc.strerror or exc})")
    if len(data) > max_bytes:
        return bad(f"is over the limit of {max_bytes} bytes",
                   too_big_hint("INSIKT_MAX_FILE_BYTES"))
    return data, []


def decode_utf8(data: bytes, file: str, hint: str) -> tuple[str | None, list[Problem]]:
    """UTF-8 text (with or without BOM; CRLF, CR and LF all become LF), or a located problem."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return None, [Problem(file, f"line {line}", "",
                              f"not UTF-8 text ({exc.reason} at byte {exc.start})", hint)]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


def read_text_file(path: Path, file: str, hint: str, *, root: Path | None = None,
                   max_bytes: int | None = None) -> tuple[str | None, list[Problem]]:
    """`read_regular` then `decode_utf8`: the text of a file a user gave, or its problems."""
    limit = Limits.current().max_file_bytes if max_bytes is None else max_bytes
    data, problems = read_regular(path, file, limit, root=root)
    if data is None:
        return None, problems
    return decode_utf8(data, file, hint)


def json_depth_problem(text: str, max_depth: int) -> str | None:
    """Why a JSON text nests too deeply, or None. Scans brackets outside strings, so a
    manifest of 100,000 '[' is refused before the JSON parser recurses on it."""
    depth = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > max_depth:
                return f"nested deeper than {max_depth} levels (INSIKT_MAX_DEPTH)"
        elif ch in "]}":
            depth -= 1
    return None
