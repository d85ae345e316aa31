"""Saved queries as files: one YAML file per query, `NAME.yaml`, read into a `SavedQuery`.

Analysts add queries without Python: the project ships its own in `queries/library/`, and the
folder named by `INSIKT_QUERY_DIR` adds more (`queries.catalog` puts them together). A file is
text from outside, so it is read defensively: a size limit, safe YAML without anchors or
aliases, duplicate keys refused, and a pydantic model that refuses unknown keys and checks
types. Every problem names the file, the line and the field; a bad file is left out and the
others still load. The Cypher is not trusted either: `queries.catalog` runs it behind the
ad-hoc guard (`queries.adhoc.run_cypher`, read-only), never with write access.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

import networkx as nx
import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

from graph.errors import Problem
from graph.model import Label

from .types import PARAM_TYPES, Param, QueryOrigin, Row, SavedQuery, needs_neo4j

MAX_FILE_BYTES = 64 * 1024
"""A query file is a page of text; anything bigger is refused unread."""
SUFFIXES = (".yaml", ".yml")
NAME_PATTERN = r"^[a-z0-9][a-z0-9-]{0,62}$"
PARAM_PATTERN = r"^[a-z][a-z0-9_]{0,39}$"
KEYS = ("name", "title_sv", "title_en", "description_sv", "description_en", "params", "cypher",
        "example")
"""The keys a query file may have, in the order a file shows them (`example` is optional)."""

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class ParamSpec(BaseModel):
    """One entry of `params`: the same types and options as a built-in `Param`."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    name: str = Field(pattern=PARAM_PATTERN)
    type: Literal["str", "int", "float", "bool"]
    help_sv: Text
    help_en: Text
    default: str | int | float | bool | None = None
    required: bool = False
    choices: Label | None = Field(None, strict=False)
    """A label (e.g. LifeEvent): the value must be the id of such a node."""
    minimum: float | None = None
    maximum: float | None = None

    @model_validator(mode="after")
    def _consistent(self) -> ParamSpec:
        if self.default is not None:
            _check_value(self.type, self.default, "default")
        if self.required and self.default is not None:
            raise ValueError("a required parameter has no default; drop one of the two")
        if self.choices is not None and self.type != "str":
            raise ValueError("choices (a label whose node ids are the values) needs type str")
        if (self.minimum is not None or self.maximum is not None) and \
                self.type not in ("int", "float"):
            raise ValueError("minimum and maximum apply to int and float parameters only")
        if self.minimum is not None and self.maximum is not None and self.minimum > self.maximum:
            raise ValueError(f"minimum {self.minimum:g} is above maximum {self.maximum:g}")
        if isinstance(self.default, int | float) and not isinstance(self.default, bool):
            if self.minimum is not None and self.default < self.minimum:
                raise ValueError(f"default {self.default} is below minimum {self.minimum:g}")
            if self.maximum is not None and self.default > self.maximum:
                raise ValueError(f"default {self.default} is above maximum {self.maximum:g}")
        return self

    def to_param(self) -> Param:
        default = float(self.default) if self.type == "float" and self.default is not None \
            else self.default
        return Param(self.name, self.type, self.help_en, default=default,
                     required=self.required, choices=self.choices, minimum=self.minimum,
                     maximum=self.maximum, help_sv=self.help_sv)


class QueryFile(BaseModel):
    """The whole file: names, texts in both languages, parameters and Cypher."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    name: str = Field(pattern=NAME_PATTERN)
    title_sv: Title
    title_en: Title
    description_sv: Text
    description_en: Text
    params: list[ParamSpec] = Field(default_factory=list, max_length=20)
    cypher: str = Field(min_length=1, max_length=20_000)
    example: dict[str, str | int | float | bool] = Field(default_factory=dict)
    """Values for `insikt queries -v` to show (every required parameter needs one)."""

    @model_validator(mode="after")
    def _params(self) -> QueryFile:
        names = [p.name for p in self.params]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ValueError(f"parameter {', '.join(twice)} is declared twice")
        unknown = sorted(set(self.example) - set(names))
        if unknown:
            raise ValueError(f"example gives {', '.join(unknown)}, which params does not declare")
        for p in self.params:
            if p.name in self.example:
                _check_value(p.type, self.example[p.name], f"example {p.name}")
        return self


def _check_value(kind: str, value: Any, what: str) -> None:
    """A YAML value must already be of the parameter's type (1 is a fine float, not a bool)."""
    ok = {"str": isinstance(value, str),
          "bool": isinstance(value, bool),
          "int": isinstance(value, int) and not isinstance(value, bool),
          "float": isinstance(value, int | float) and not isinstance(value, bool)}[kind]
    if not ok:
        raise ValueError(f"{what} {value!r} is not of type {kind}")


# -- the Cypher's $parameters ------------------------------------------------------------------

_PARAM = re.compile(r"\$(?:([A-Za-z_][A-Za-z0-9_]*)|`([^`]*)`|(\d+))")


def cypher_parameters(text: str) -> list[tuple[str, int]]:
    """Every `$name` in Cypher with its offset, outside strings, comments and quoted names.

    Only for checking a file against its declared params (a mistake, not an attack, is what
    this catches); what the query may do is decided by the read-only guard and the server.
    """
    found: list[tuple[str, int]] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in "'\"":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            i = j + 1
        elif c == "`":
            j = text.find("`", i + 1)
            i = n if j < 0 else j + 1
        elif text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            i = n if j < 0 else j + 2
        elif c == "$":
            m = _PARAM.match(text, i)
            if m:
                found.append((m.group(1) or m.group(2) or m.group(3), i))
                i = m.end()
            else:
                i += 1
        else:
            i += 1
    return found


# -- reading one file ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Twin:
    """A networkx twin for a shipped query file: it lets the embedded store answer too."""

    embedded: Callable[[nx.MultiDiGraph, dict[str, Any]], list[Row]]
    columns: tuple[str, ...]
    order_by: tuple[str, ...]
    node_columns: Mapping[str, Label]


class QueryFileError(Exception):
    """Problems with one query file (internal: the catalog collects them, nothing raises)."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


def _line(node: yaml.Node | None) -> int:
    return node.start_mark.line + 1 if node is not None else 1


def _entry(line: int) -> str:
    return f"line {line}"


def _walk(root: yaml.Node, loc: tuple[Any, ...], *,
          value: bool = False) -> tuple[yaml.Node, tuple[Any, ...]]:
    """The deepest YAML node on the path `loc` (pydantic's error location), and what is left.

    A path that ends at a key gives the key's node (its line is where the problem is), or
    with `value` the value's node."""
    node = root
    for i, part in enumerate(loc):
        nxt: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if isinstance(k, yaml.ScalarNode) and k.value == str(part):
                    nxt = v if value or i < len(loc) - 1 else k
                    break
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) \
                and 0 <= part < len(node.value):
            nxt = node.value[part]
        if nxt is None:
            return node, loc[i:]
        node = nxt
    return node, ()


def _field(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _located(root: yaml.Node, loc: tuple[Any, ...], missing: bool) -> tuple[yaml.Node, str]:
    """The YAML node of a pydantic error and the field to name. pydantic's location may end
    in a union member's type (e.g. `default.str`), which is not in the file: the path is cut
    where the file ends, except that a missing key is named although the file lacks it."""
    node, rest = _walk(root, loc)
    kept = loc[: len(loc) - len(rest)]
    if missing and rest:
        kept = (*kept, rest[0])
    return node, _field(kept)


def _duplicate_keys(node: yaml.Node, where: str = "") -> Iterator[tuple[str, yaml.Node]]:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for k, v in node.value:
            key = str(k.value)
            if key in seen:
                yield (f"{where}.{key}" if where else key), k
            seen.add(key)
            yield from _duplicate_keys(v, f"{where}.{key}" if where else key)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            yield from _duplicate_keys(item, f"{where}[{i}]")


def _parse(path: Path, shown: str) -> tuple[Any, yaml.Node]:
    """Read the file safely: (data, its YAML node tree for line numbers)."""
    def fail(message: str, line: int = 1, field: str = "", hint: str = "") -> QueryFileError:
        return QueryFileError([Problem(shown, _entry(line), field, message, hint)])

    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise fail(f"the file has {size:,} bytes; a query file may have at most "
                       f"{MAX_FILE_BYTES:,}")
        raw = path.read_bytes()[: MAX_FILE_BYTES + 1]
    except OSError as exc:
        raise fail(f"cannot be read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise fail(f"is not UTF-8 text (byte {exc.start})") from None
    try:
        documents = 0
        for event in yaml.parse(text, Loader=_Loader):
            line = event.start_mark.line + 1 if event.start_mark is not None else 1
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise fail("anchors and aliases (&name, *name) are not allowed in query files",
                           line)
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise fail("holds more than one YAML document; a query file is one query",
                               line)
        node = yaml.compose(text, Loader=_Loader)
        data = yaml.load(text, Loader=_Loader)  # a safe loader (CSafeLoader or SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        what = exc.problem or exc.context or "unreadable"
        if exc.context and exc.problem and exc.context_mark is not None:
            what = f"{exc.context} (from line {exc.context_mark.line + 1}): {exc.problem}"
        raise fail(f"is not valid YAML: {what}", line,
                   hint="check the indentation and quote text that contains ': '") from None
    except yaml.YAMLError as exc:
        raise fail(f"is not valid YAML: {exc}") from None
    if node is None or not isinstance(data, dict):
        raise fail("must be a mapping with the keys " + ", ".join(KEYS[:-1]),
                   hint="see the files in queries/library/ for the form")
    dups = list(_duplicate_keys(node))
    if dups:
        raise QueryFileError([Problem(shown, _entry(_line(k)), key, "the key appears twice")
                              for key, k in dups])
    return data, node


def read_query_file(path: Path, origin: QueryOrigin, *, shown: str | None = None,
                    twins: Mapping[str, Twin] | None = None,
                    taken: Mapping[str, str] | None = None) -> SavedQuery:
    """One query file as a `SavedQuery`; raises `QueryFileError` with every problem found.

    `shown` is how the file is named in problems (default: its path). A twin is looked up by
    the query's name in `twins` (only the shipped library passes them: a user's file cannot
    bring Python). `taken` maps names already in the catalog to where they come from, so that
    a file cannot replace a built-in query or another file's query."""
    shown = shown or str(path)
    data, root = _parse(path, shown)
    try:
        spec = QueryFile.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = tuple(err["loc"])
            node, field = _located(root, loc, err["type"] == "missing")
            message = err["msg"].removeprefix("Value error, ")
            if err["type"] == "missing":
                message = "is missing"
            elif err["type"] == "extra_forbidden":
                allowed = KEYS if len(loc) == 1 else tuple(ParamSpec.model_fields)
                message = f"is not a known key (known: {', '.join(allowed)})"
            elif err["type"] == "literal_error" and loc[-1:] == ("type",):
                message = (f"unknown parameter type {err.get('input')!r}; use one of "
                           f"{', '.join(PARAM_TYPES)}")
            elif err["type"] == "enum" and loc[-1:] == ("choices",):
                message = (f"unknown label {err.get('input')!r}; use one of "
                           f"{', '.join(label.value for label in Label)}")
            problems.append(Problem(shown, _entry(_line(node)), field, message))
        raise QueryFileError(sorted(set(problems), key=lambda p: (int(p.entry.split()[1]),
                                                                   p.field))) from None
    problems = []
    stem = path.name.rsplit(".", 1)[0]
    name_line = _entry(_line(_walk(root, ("name",))[0]))
    if spec.name != stem:
        problems.append(Problem(shown, name_line, "name",
                                f"'{spec.name}' must be the file's name ({spec.name}.yaml)"))
    elif taken and spec.name in taken:
        problems.append(Problem(shown, name_line, "name",
                                f"the name '{spec.name}' is taken by {taken[spec.name]}",
                                "rename the query and its file"))
    problems += _check_cypher_params(spec, root, shown)
    missing = [p.name for p in spec.params if p.required and p.name not in spec.example]
    if missing and origin != "user":
        problems.append(Problem(shown, _entry(_line(root)), "example",
                                f"give an example value for {', '.join(missing)}"))
    if problems:
        raise QueryFileError(problems)
    twin = (twins or {}).get(spec.name)
    return SavedQuery(
        name=spec.name, title_sv=spec.title_sv.strip(), title_en=spec.title_en.strip(),
        description=" ".join(spec.description_en.split()),
        description_sv=" ".join(spec.description_sv.split()),
        params=tuple(p.to_param() for p in spec.params),
        cypher=spec.cypher.strip() + "\n",
        embedded=twin.embedded if twin else needs_neo4j(spec.name, shown),
        columns=twin.columns if twin else (),
        order_by=twin.order_by if twin else (),
        node_columns=dict(twin.node_columns) if twin else {},
        example={k: _example_text(v) for k, v in spec.example.items()},
        origin=origin, path=str(path), has_twin=twin is not None)


def _example_text(value: str | int | float | bool) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _check_cypher_params(spec: QueryFile, root: yaml.Node, shown: str) -> list[Problem]:
    """The Cypher uses exactly the declared parameters: none undeclared, none unused."""
    node = _walk(root, ("cypher",), value=True)[0]
    first = _line(node) + (1 if isinstance(node, yaml.ScalarNode) and node.style == "|" else 0)
    literal = isinstance(node, yaml.ScalarNode) and node.style == "|"
    declared = [p.name for p in spec.params]
    used = cypher_parameters(spec.cypher)
    problems = []
    reported: set[str] = set()
    for name, offset in used:
        if name in declared or name in reported:
            continue
        reported.add(name)
        line = first + spec.cypher.count("\n", 0, offset) if literal else _line(node)
        problems.append(Problem(shown, _entry(line), "cypher",
                                f"uses ${name}, which params does not declare",
                                f"declare it under params, e.g. - {{name: {name}, type: str, "
                                "help_sv: …, help_en: …}" if name.isidentifier() else ""))
    names_used = {n for n, _ in used}
    params_node = _walk(root, ("params",), value=True)[0]
    for i, p in enumerate(spec.params):
        if p.name not in names_used:
            where = _walk(params_node, (i,))[0] if isinstance(params_node, yaml.SequenceNode) \
                else params_node
            problems.append(Problem(shown, _entry(_line(where)), f"params[{i}].name",
                                    f"declares '{p.name}', but the Cypher never uses ${p.name}"))
    return problems


# -- a folder ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FolderResult:
    queries: list[SavedQuery]
    problems: list[Problem]


def query_files(folder: Path) -> list[Path]:
    """The query files in a folder (not its subfolders), by name."""
    return sorted(p for p in folder.iterdir() if p.suffix in SUFFIXES and p.is_file()
                  and not p.name.startswith("."))


def read_folder(folder: Path, origin: QueryOrigin, taken: Mapping[str, str], *,
                label: str | None = None, twins: Mapping[str, Twin] | None = None,
                ) -> FolderResult:
    """Every query file in `folder`; a bad one is reported and left out, the rest load.

    `taken` maps names already in the catalog to where they come from, so that a file cannot
    replace a built-in query or another file's query. `label` names the folder in problems
    (e.g. 'queries/library'), else its path is used."""
    where = label or str(folder)
    entry = "INSIKT_QUERY_DIR" if origin == "user" else "folder"
    try:
        if not folder.is_dir():
            return FolderResult([], [Problem(where, entry, "", "is not a folder")])
        paths = query_files(folder)
    except OSError as exc:
        return FolderResult([], [Problem(where, entry, "", f"cannot be read: "
                                         f"{exc.strerror or exc}")])
    names = dict(taken)
    queries: list[SavedQuery] = []
    problems: list[Problem] = []
    for path in paths:
        shown = f"{where}/{path.name}"
        try:
            q = read_query_file(path, origin, shown=shown, twins=twins, taken=names)
        except QueryFileError as exc:
            problems.extend(exc.problems)
            continue
        names[q.name] = shown
        queries.append(q)
    return FolderResult(queries, problems)
