"""Reading dataset files (YAML and CSV) into raw entries that remember where they came from."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from graph.errors import Problem

from .limits import Limits, read_text_file, shorten, too_big_hint
from .schema import CSV_LIST_FIELDS, CSV_NESTED_FIELDS

_CParser: Any = getattr(getattr(yaml, "cyaml", None), "CParser", None)  # libyaml, 9x faster
_Parsing: tuple[type, ...] = ((_CParser,) if _CParser is not None else
                              (yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser))


class YamlLimitError(yaml.MarkedYAMLError):
    """A YAML file went over a limit (depth, string length, alias expansion, entries)."""


class _Loader(*_Parsing, yaml.composer.Composer, yaml.constructor.SafeConstructor,  # type: ignore[misc]
              yaml.resolver.Resolver):
    """Safe YAML, composed by us from libyaml's events so that limits hold while parsing.

    No implicit timestamps (a date stays the text the person wrote). Composing in Python
    lets us count what aliases expand to (an alias bomb is refused before it is built),
    refuse a recursive alias, bound the nesting depth before Python's recursion limit, cap
    the length of every text, and hand out a top-level list one entry at a time, so the node
    tree of the whole file never exists at once.
    """

    def __init__(self, text: str, limits: Limits) -> None:
        if _CParser is not None:
            _CParser.__init__(self, text)
        else:
            yaml.reader.Reader.__init__(self, text)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)
        yaml.constructor.SafeConstructor.__init__(self)
        yaml.resolver.Resolver.__init__(self)
        self.limits = limits
        self._depth = 0
        self._nodes = 0  # nodes composed so far, aliases counted at their expanded size
        self._alias_nodes = 0
        self._anchor_size: dict[str, int] = {}

    def _limit(self, what: str, mark: Any) -> YamlLimitError:
        return YamlLimitError(None, None, what, mark)

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            size = self._anchor_size.get(str(event.anchor))
            if size is None and event.anchor in self.anchors:
                raise self._limit("an alias used inside its own anchor (a recursive "
                                  "structure)", event.start_mark)
            self._alias_nodes += size or 0
            if self._alias_nodes > self.limits.max_yaml_aliases:
                raise self._limit(f"aliases expand to more than {self.limits.max_yaml_aliases} "
                                  "nodes (INSIKT_MAX_YAML_ALIASES)", event.start_mark)
            return super().compose_node(parent, index)
        if isinstance(event, yaml.ScalarEvent) and len(event.value) > self.limits.max_string:
            raise self._limit(f"a text of {len(event.value)} characters, over the limit of "
                              f"{self.limits.max_string} (INSIKT_MAX_STRING)", event.start_mark)
        self._depth += 1
        if self._depth > self.limits.max_depth:
            raise self._limit(f"nested deeper than {self.limits.max_depth} levels "
                              "(INSIKT_MAX_DEPTH)", event.start_mark)
        before, aliases_before = self._nodes, self._alias_nodes
        self._nodes += 1
        try:
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        if event.anchor is not None:
            self._anchor_size[event.anchor] = (self._nodes - before
                                               + self._alias_nodes - aliases_before)
        return node

    def items(self) -> Any:
        """Yield ('list', item node) for each item of a top-level list, or one ('doc', node)
        for any other document, or nothing for an empty stream. One document only."""
        self.get_event()  # stream start
        if self.check_event(yaml.StreamEndEvent):
            self.get_event()
            return
        first = self.get_event()  # document start
        head = self.peek_event()
        if isinstance(head, yaml.SequenceStartEvent) and head.anchor is None and (
                head.tag is None or head.tag == "!"):
            self.get_event()
            self._depth = 1
            count = 0
            while not self.check_event(yaml.SequenceEndEvent):
                count += 1
                if count > self.limits.max_entries:
                    raise self._limit(f"more than {self.limits.max_entries} entries "
                                      "(INSIKT_MAX_ENTRIES)", self.peek_event().start_mark)
                yield "list", self.compose_node(None, count - 1)
            self.get_event()
            self._depth = 0
        else:
            yield "doc", self.compose_node(None, None)
        self.get_event()  # document end
        if not self.check_event(yaml.StreamEndEvent):
            event = self.get_event()
            raise yaml.composer.ComposerError("expected a single document in the stream",
                                              first.start_mark, "but found another document",
                                              event.start_mark)
        self.get_event()


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
                    shown = value if len(value) <= 80 else f"{value[:80]}… ({len(value)} chars)"
                    return f"{key} '{shown}'" if key != "id" else f"'{shown}'"
        if self.is_csv:
            return f"row {self.line}"
        return f"entry {self.index + 1} (line {self.line})"


def parse_yaml(text: str, file: str,
               limits: Limits | None = None) -> tuple[Any, list[int], list[Problem]]:
    """Parse YAML and return (data, start line of each top-level item, problems).

    A top-level list is composed and constructed one item at a time (see `_Loader`); any
    other document is returned whole. Limits come from the settings unless given.
    """
    loader = _Loader(text, limits or Limits.current())
    try:
        lines: list[int] = []
        problems: list[Problem] = []
        items: list[Any] = []
        data: Any = None
        for kind, node in loader.items():
            problems += _duplicate_keys(node, file)
            try:
                value = loader.construct_document(node)
            except (ValueError, TypeError, ArithmeticError, LookupError, AttributeError) as exc:
                # PyYAML's constructors on hostile scalars: an integer of 5,000 digits,
                # `!!timestamp 2020-99-99`, `!!int ''` (IndexError), `!!float abc`
                mark = node.start_mark
                return None, [], [Problem(
                    file, f"line {mark.line + 1}, column {mark.column + 1}", "",
                    f"a value YAML cannot read: {shorten(str(exc))}",
                    "write the number or date as text in quotes, or fix the tag")]
            if kind == "doc":
                data = value
            else:
                lines.append(node.start_mark.line + 1)
                items.append(value)
                data = items
        return data, lines, problems
    except YamlLimitError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "-"
        return None, [], [Problem(file, where, "", f"refused: {exc.problem}",
                                  "see docs/reliability.md for the limits and how to raise "
                                  "them")]
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
            if not isinstance(key_node, yaml.ScalarNode):
                continue  # a complex key; the schema refuses it
            key = key_node.value
            if key in seen:
                problems.append(Problem(
                    file, f"line {key_node.start_mark.line + 1}", key,
                    "the key appears twice in one entry", "keep one of them"))
            seen.add(key)
    return problems


def read_yaml_entries(path: Path, file: str, root: Path | None = None,
                      limits: Limits | None = None) -> tuple[list[RawEntry], list[Problem]]:
    """The entries of a YAML dataset file, or the problems that kept them from being read."""
    lim = limits or Limits.current()
    text, bad = read_text_file(path, file, "save the file as UTF-8", root=root,
                               max_bytes=lim.max_file_bytes)
    if text is None:
        return [], bad
    data, lines, problems = parse_yaml(text, file, lim)
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


def read_csv_entries(path: Path, file: str, root: Path | None = None,
                     limits: Limits | None = None) -> tuple[list[RawEntry], list[Problem]]:
    """The rows of a CSV dataset file as entries, or the problems that kept them from being
    read (a cell over the string limit, a broken quote, too many rows)."""
    lim = limits or Limits.current()
    text, bad = read_text_file(path, file, "save the file as UTF-8 (in Excel: 'CSV UTF-8')",
                               root=root, max_bytes=lim.max_file_bytes)
    if text is None:
        return [], bad
    entries: list[RawEntry] = []
    old_limit = csv.field_size_limit()
    csv.field_size_limit(lim.max_string)  # process-wide in the csv module: restored below
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    try:
        if not reader.fieldnames:
            return [], []
        for i, row in enumerate(reader):
            if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
                continue
            if len(entries) >= lim.max_entries:
                return [], [Problem(file, f"row {reader.line_num}", "",
                                    f"refused: more than {lim.max_entries} rows "
                                    "(INSIKT_MAX_ENTRIES)", too_big_hint("INSIKT_MAX_ENTRIES"))]
            entries.append(RawEntry(file, i, reader.line_num, csv_row_to_entry(row),
                                    is_csv=True))
    except csv.Error as exc:
        line = reader.line_num + 1  # the row being read when it failed
        why = str(exc)
        if "field larger than field limit" in why:
            return [], [Problem(file, f"row {line}", "",
                                f"refused: a cell longer than {lim.max_string} characters "
                                "(INSIKT_MAX_STRING)", too_big_hint("INSIKT_MAX_STRING"))]
        return [], [Problem(file, f"row {line}", "", f"CSV error: {why}",
                            "check the quotes on that row: a quoted cell must end with a "
                            "quote, and a quote inside it is written twice")]
    finally:
        csv.field_size_limit(old_limit)
    return entries, []
