"""Reading dataset files (YAML and CSV) into raw entries that remember where they came from."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from graph.errors import Problem

from .schema import CSV_LIST_FIELDS, CSV_NESTED_FIELDS

_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when built with it


class _Loader(_Base):  # type: ignore[misc]
    """Safe YAML without implicit timestamps: a date stays the text the person wrote."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class RawEntry:
    """One entry of a file, before validation."""

    file: str
    index: int  # 0-based position in the file
    line: int | None  # 1-based line where the entry starts
    data: Any
    is_csv: bool = False

    def where(self) -> str:
        """How a person finds this entry: its id when it has one, else its position."""
        if isinstance(self.data, dict):
            for key in ("id", "life_event"):
                value = self.data.get(key)
                if isinstance(value, str) and value:
                    return f"{key} '{value}'" if key != "id" else f"'{value}'"
        if self.is_csv:
            return f"row {self.line}"
        return f"entry {self.index + 1} (line {self.line})"


def read_text(path: Path) -> str:
    """UTF-8 with or without BOM; CRLF and LF both fine."""
    return path.read_text(encoding="utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")


def parse_yaml(text: str, file: str) -> tuple[Any, list[int], list[Problem]]:
    """Parse YAML and return (data, start line of each top-level item, problems)."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, [], []
        problems = _duplicate_keys(node, file)
        data = loader.construct_document(node)
        lines = (
            [item.start_mark.line + 1 for item in node.value]
            if isinstance(node, yaml.SequenceNode)
            else []
        )
        return data, lines, problems
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "unknown line"
        what = exc.problem or exc.context or "syntax error"
        return None, [], [
            Problem(file, where, "", f"YAML syntax error: {what}",
                    "check indentation, colons and quotes on that line and the one above")
        ]
    except yaml.YAMLError as exc:
        return None, [], [Problem(file, "-", "", f"YAML error: {exc}", "")]
    finally:
        loader.dispose()


def _duplicate_keys(node: yaml.Node, file: str) -> list[Problem]:
    """PyYAML silently keeps the last of two equal keys; we call that a mistake."""
    problems: list[Problem] = []
    items = node.value if isinstance(node, yaml.SequenceNode) else [node]
    for item in items:
        if not isinstance(item, yaml.MappingNode):
            continue
        seen: set[str] = set()
        for key_node, _ in item.value:
            key = str(key_node.value)
            if key in seen:
                problems.append(Problem(
                    file, f"line {key_node.start_mark.line + 1}", key,
                    "the key appears twice in one entry", "keep one of them"))
            seen.add(key)
    return problems


def read_checked(path: Path, file: str, hint: str) -> tuple[str | None, list[Problem]]:
    """The file's text, or a problem saying it is not UTF-8."""
    try:
        return read_text(path), []
    except UnicodeDecodeError as exc:
        return None, [Problem(file, "-", "", f"not UTF-8 text ({exc.reason} at byte {exc.start})",
                              hint)]


def read_yaml_entries(path: Path, file: str) -> tuple[list[RawEntry], list[Problem]]:
    text, bad = read_checked(path, file, "save the file as UTF-8")
    if text is None:
        return [], bad
    data, lines, problems = parse_yaml(text, file)
    if problems and data is None:
        return [], problems
    if data is None:
        return [], problems
    if not isinstance(data, list):
        kind = type(data).__name__ if not isinstance(data, dict) else "mapping"
        return [], [*problems, Problem(
            file, "-", "", f"the file must be a YAML list of entries, but it holds a {kind}",
            "start each entry with '- ' (a dash and a space)")]
    entries = [RawEntry(file, i, lines[i] if i < len(lines) else None, item)
               for i, item in enumerate(data)]
    return entries, problems


def _csv_bool(text: str) -> Any:
    low = text.strip().lower()
    if low in {"true", "ja", "yes", "1"}:
        return True
    if low in {"false", "nej", "no", "0"}:
        return False
    return text


def csv_row_to_entry(row: dict[str, str]) -> dict[str, Any]:
    """Turn one CSV row into the same shape as a YAML entry (see the CSV rules in the docs)."""
    out: dict[str, Any] = {}
    for key, raw in row.items():
        if key is None:  # more cells than headers
            out["(extra cells)"] = raw
            continue
        key = key.strip()
        value = (raw or "").strip()
        if value == "":
            continue
        if key in CSV_LIST_FIELDS:
            out[key] = [v.strip() for v in value.split(";") if v.strip()]
        elif key in CSV_NESTED_FIELDS:
            names = CSV_NESTED_FIELDS[key]
            items = []
            for chunk in value.split(";"):
                if not chunk.strip():
                    continue
                parts = [p.strip() for p in chunk.split(":")]
                item: dict[str, Any] = {}
                for name, part in zip(names, parts, strict=False):
                    if part:
                        item[name] = part
                if len(parts) > len(names):
                    item["(extra parts)"] = ":".join(parts[len(names):])
                items.append(item)
            out[key] = items
        elif key == "illustrative":
            out[key] = _csv_bool(value)
        else:
            out[key] = value
    return out


def read_csv_entries(path: Path, file: str) -> tuple[list[RawEntry], list[Problem]]:
    text, bad = read_checked(path, file, "save the file as UTF-8 (in Excel: 'CSV UTF-8')")
    if text is None:
        return [], bad
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if not reader.fieldnames:
        return [], []
    entries: list[RawEntry] = []
    for i, row in enumerate(reader):
        if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
            continue
        entries.append(RawEntry(file, i, reader.line_num, csv_row_to_entry(row), is_csv=True))
    return entries, []
