"""Insight packages: a self-contained slice of the graph in one zip, to hand to another
agency or another Insiktsgrafen — the forum's "paketera insikter så att de kan återanvändas".

A package (format version 1) holds:

* `manifest.json`: format and format_version, package id, title, created (UTC), the producing
  tool and version, the selection, the datasets the content came from, counts per type and
  the sha256 and size of every other file;
* `dataset/`: the content as a dataset in format v1 (docs/dataset-format.md);
* `README.md`: what the package holds, in Swedish and English;
* `decisions.yaml` (only when there are any): the curators' decisions about its insights
  (`loaders.curation`), which import records as decisions of its own store.

Import trusts nothing in the zip: member names, sizes, the manifest and every checksum are
checked before anything is extracted, the dataset is validated like any other, and only then
loaded, as its own dataset whose id is the package id.
"""

from __future__ import annotations

import hashlib
import io
import json
import lzma
import os
import re
import stat
import struct
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Annotated, Any, Literal

import networkx as nx
from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr, ValidationError

from graph.errors import InsiktError, NotFound, ValidationFailed
from graph.ids import is_slug
from graph.model import DatasetMeta, GraphData, Label, Rel, node_key
from graph.store import GraphStore, LoadResult
from graph.walk import (
    agency_slice,
    alias_targets,
    all_out,
    display_name,
    in_nodes,
    life_event_slice,
    nodes_of,
    out_nodes,
    reporters,
)

from . import curation
from .dataset import FORMAT_VERSION as DATASET_FORMAT_VERSION
from .dataset import read_dataset
from .limits import Limits, excerpt, json_depth_problem, shorten
from .load import load_checked
from .writer import write_dataset

PACKAGE_FORMAT = "insiktsgrafen-package"
PACKAGE_FORMAT_VERSION = 1
MANIFEST = "manifest.json"
README = "README.md"
DATASET_DIR = "dataset"
SelectionKind = Literal["life_event", "domain", "agency", "all"]
_SELECTION_LABEL: dict[str, Label] = {"life_event": Label.LIFE_EVENT, "domain": Label.DOMAIN,
                                      "agency": Label.AGENCY}


class PackageRefused(InsiktError):
    """A package file was refused before anything was loaded (unsafe, tampered or unknown)."""

    exit_code = 2


@dataclass(frozen=True)
class Selection:
    """What a package holds: one life event, domain or agency (with what belongs to it), or
    everything."""

    kind: SelectionKind
    id: str | None = None

    @classmethod
    def parse(cls, text: str) -> Selection:
        """'all', or 'life_event:ID' / 'domain:ID' / 'agency:ID' ('life-event' works too)."""
        if text == "all":
            return cls("all")
        kind, _, ident = text.partition(":")
        kind = kind.replace("-", "_")
        if kind not in _SELECTION_LABEL or not ident:
            raise InsiktError(f"unknown selection '{text}': use all, life_event:ID, domain:ID "
                              "or agency:ID")
        return cls(kind, ident)  # type: ignore[arg-type]

    @property
    def package_id(self) -> str:
        return "pkg-all" if self.kind == "all" else f"pkg-{self.kind.replace('_', '-')}-{self.id}"

    def describe(self, name: str | None = None) -> tuple[str, str]:
        """(Swedish, English) description of the selection, e.g. 'livshändelsen Få barn
        (fa-barn)'."""
        if self.kind == "all":
            return "hela grafen", "the whole graph"
        sv = {"life_event": "livshändelsen", "domain": "domänen", "agency": "aktören"}[self.kind]
        en = {"life_event": "the life event", "domain": "the domain",
              "agency": "the agency"}[self.kind]
        what = f"{name} ({self.id})" if name and name != self.id else str(self.id)
        return f"{sv} {what}", f"{en} {what}"


@dataclass(frozen=True)
class PackageInfo:
    path: Path
    package_id: str
    title: str
    created: str
    counts: dict[str, dict[str, int]]
    files: tuple[str, ...]
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImportResult:
    package_id: str
    title: str
    created: str
    tool: str
    counts: dict[str, dict[str, int]]
    result: LoadResult


def tool_version() -> str:
    try:
        return version("insiktsgrafen")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0+unknown"


# -- selecting a self-contained subgraph ------------------------------------------------------

def _close(g: nx.MultiDiGraph, nodes: set[str]) -> set[str]:
    """Add everything the chosen nodes refer to until nothing is missing: sources (also of a
    report), publishers, general and superseding insights, domains, and whole journeys with
    the agencies handling their steps."""
    todo = list(nodes)
    done = set(nodes)

    def add(n: str) -> None:
        if n not in done:
            done.add(n)
            todo.append(n)

    source_keys = {a["id"]: n for n, a in nodes_of(g, Label.SOURCE)}
    while todo:
        n = todo.pop()
        label = g.nodes[n]["label"]
        for v, k, a in all_out(g, n):
            if k in (Rel.SUPPORTED_BY, Rel.DEFINED_IN, Rel.PUBLISHED_BY, Rel.INSTANCE_OF,
                     Rel.SUPERSEDED_BY, Rel.IN_DOMAIN, Rel.HANDLED_BY):
                add(v)
            elif k == Rel.REPORTS and v in done and a.get("source") in source_keys:
                add(source_keys[a["source"]])
        if label == Label.INSIGHT:  # a report from an agency already chosen: its source
            for u, a in reporters(g, n):
                if u in done and a.get("source") in source_keys:
                    add(source_keys[a["source"]])
        elif label == Label.JOURNEY_STEP:
            for le in in_nodes(g, n, Rel.HAS_STEP):
                add(le)
                for step in out_nodes(g, le, Rel.HAS_STEP):
                    add(step)
    return done


def select_subgraph(g: nx.MultiDiGraph, selection: Selection) -> nx.MultiDiGraph:
    """The self-contained subgraph a package of `selection` holds (a copy).

    Edges between chosen nodes are kept; edges that lead outside are cut (so a general insight
    keeps only the life events inside the package). Selecting again from the result gives the
    same subgraph, which is what makes export → import → export byte-identical.
    """
    if selection.kind == "all":
        return g.copy()
    assert selection.id is not None
    label = _SELECTION_LABEL[selection.kind]
    key = node_key(label, selection.id)
    if key not in g:
        raise NotFound(f"no {label.value} '{selection.id}' in the graph")
    if selection.kind == "life_event":
        nodes = life_event_slice(g, key)
    elif selection.kind == "domain":
        nodes = {key}
        for le in in_nodes(g, key, Rel.IN_DOMAIN):
            nodes |= life_event_slice(g, le)
    else:
        nodes = agency_slice(g, key)
    return g.subgraph(_close(g, nodes)).copy()


# -- export ----------------------------------------------------------------------------------

def _selected_name(g: nx.MultiDiGraph, selection: Selection) -> str | None:
    if selection.kind == "all":
        return None
    key = node_key(_SELECTION_LABEL[selection.kind], str(selection.id))
    return display_name(g.nodes[key])


def _default_title(g: nx.MultiDiGraph, selection: Selection) -> str:
    return f"Insiktspaket: {_selected_name(g, selection) or 'hela grafen'}"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _names(g: nx.MultiDiGraph, label: Label, limit: int = 40) -> list[str]:
    names = sorted(display_name(a) for _, a in nodes_of(g, label))
    return names if len(names) <= limit else [*names[:limit], f"… (+{len(names) - limit})"]


def _readme(sub: nx.MultiDiGraph, manifest: dict[str, Any], selection: Selection) -> str:
    sv_sel, en_sel = selection.describe(_selected_name(sub, selection))
    nodes = manifest["counts"]["nodes"]
    lines = [f"# {manifest['title']}", "",
             f"Paket-id / package id: `{manifest['package_id']}` · skapat / created "
             f"{manifest['created']} · {manifest['tool']['name']} {manifest['tool']['version']}",
             "", "## Svenska", "",
             f"Det här insiktspaketet innehåller {sv_sel} ur Insiktsgrafen med allt som hör dit: "
             "livshändelser, kundinsikter (konkreta och generella), de aktörer som rapporterar "
             "dem, principer som tar sig an dem och de källor allt vilar på. Innehållet är ett "
             "dataset i format version 1 i mappen `dataset/`; `manifest.json` har en "
             "kontrollsumma (sha256) för varje fil.", "",
             "Läs in det med `insikt package import FIL.zip`. Det blir ett eget dataset med "
             f"id `{manifest['package_id']}`, som kan tas bort igen med "
             f"`insikt unload {manifest['package_id']}`.", "",
             "## English", "",
             f"This insight package holds {en_sel} from Insiktsgrafen with everything that "
             "belongs to it: life events, customer insights (specific and general), the actors "
             "that report them, the principles that address them and the sources it all rests "
             "on. The content is a dataset in format version 1 in `dataset/`; `manifest.json` "
             "has a checksum (sha256) for every file.", "",
             "Load it with `insikt package import FILE.zip`. It becomes a dataset of its own, "
             f"id `{manifest['package_id']}`, which `insikt unload {manifest['package_id']}` "
             "removes again.", "",
             "## Innehåll / Contents", "",
             "| typ / type | antal / count |", "|---|---:|"]
    lines += [f"| {label} | {n} |" for label, n in nodes.items()]
    for label, heading in ((Label.LIFE_EVENT, "Livshändelser / Life events"),
                           (Label.INSIGHT, "Insikter / Insights"),
                           (Label.AGENCY, "Aktörer / Actors"),
                           (Label.PRINCIPLE, "Principer / Principles")):
        names = _names(sub, label)
        if names:
            lines += ["", f"### {heading}", "", *(f"- {n}" for n in names)]
    if manifest["source_datasets"]:
        lines += ["", "Källdataset / source datasets: " +
                  ", ".join(f"`{d}`" for d in manifest["source_datasets"])]
    return "\n".join(lines) + "\n"


def export_package(g: nx.MultiDiGraph, selection: Selection | str, out_zip: str | Path,
                   title: str | None = None) -> PackageInfo:
    """Write the package of `selection` to `out_zip` (atomically) and return what it holds."""
    sel = Selection.parse(selection) if isinstance(selection, str) else selection
    if sel.kind == "agency" and sel.id and node_key(Label.AGENCY, sel.id) not in g:
        targets = alias_targets(g, sel.id)  # a dataset's own id for the agency
        if len(targets) == 1:
            sel = Selection(sel.kind, targets[0])
    sub = select_subgraph(g, sel)
    package_id = sel.package_id
    title = (title or _default_title(g, sel)).strip()
    sv_sel, en_sel = sel.describe(_selected_name(g, sel))
    created = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    header = DatasetMeta(
        id=package_id, title=title, version="1",
        description=(f"Insiktspaket {package_id}: {sv_sel} ur Insiktsgrafen. "
                     f"Insight package {package_id}: {en_sel} from Insiktsgrafen."))
    with tempfile.TemporaryDirectory(prefix="insikt-pkg-") as tmp:
        folder = Path(tmp) / DATASET_DIR
        written = write_dataset(sub, folder, header, validate=False)
        data = read_dataset(folder)  # validates: a package is always a valid dataset
        files = {f"{DATASET_DIR}/{p.name}": p.read_bytes() for p in sorted(folder.iterdir())}
    decisions = curation.decisions_touching(
        g, (a["id"] for _, a in nodes_of(sub, Label.INSIGHT)))
    if decisions:  # the curators' decisions about its insights travel with it
        files[curation.DECISIONS_FILE] = curation.decisions_yaml(decisions).encode("utf-8")
    manifest: dict[str, Any] = {
        "format": PACKAGE_FORMAT, "format_version": PACKAGE_FORMAT_VERSION,
        "package_id": package_id, "title": title, "created": created,
        "tool": {"name": "insiktsgrafen", "version": tool_version()},
        "selection": {"kind": sel.kind, "id": sel.id},
        "dataset_format_version": DATASET_FORMAT_VERSION,
        "source_datasets": sorted({d for _, a in sub.nodes(data=True)
                                   for d in a.get("datasets", ())}),
        "counts": {"nodes": data.label_counts(), "relationships": data.rel_counts()},
    }
    files[README] = _readme(sub, manifest, sel).encode("utf-8")
    manifest["files"] = [{"path": name, "sha256": _sha256(body), "size": len(body)}
                         for name, body in sorted(files.items())]
    members = {MANIFEST: (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
               .encode("utf-8"), **dict(sorted(files.items()))}
    target = Path(out_zip)
    target.parent.mkdir(parents=True, exist_ok=True)
    stamp = datetime.fromisoformat(created.replace("Z", "+00:00")).timetuple()[:6]
    fd, tmp_zip = tempfile.mkstemp(prefix=".pkg-", suffix=".zip", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh, zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, body in members.items():
                info = zipfile.ZipInfo(name, date_time=stamp)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                zf.writestr(info, body)
        os.replace(tmp_zip, target)
    except BaseException:
        Path(tmp_zip).unlink(missing_ok=True)
        raise
    return PackageInfo(target, package_id, title, created, manifest["counts"],
                       tuple(members), tuple(written.warnings))


# -- import ----------------------------------------------------------------------------------

def _unsafe_name(name: str) -> str | None:
    """Why a member name is unsafe to extract, or None."""
    if not name or "\x00" in name:
        return "an empty name"
    if "\\" in name:
        return "a backslash"
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return "an absolute path"
    if any(part in ("..", ".") for part in name.split("/")):
        return "a '..' or '.' path part"
    return None


@dataclass
class VerifiedPackage:
    """A package whose manifest and every checksum have been checked; files by name."""

    manifest: dict[str, Any]
    files: dict[str, bytes] = field(default_factory=dict)


def _refuse(path: Path, why: str) -> PackageRefused:
    return PackageRefused(f"package {path.name} refused: {why}")


# Everything zipfile and its decompressors raise on a corrupt, truncated, encrypted or
# exotic archive (BadZipFile, zlib.error, NotImplementedError for an unknown compression,
# RuntimeError for an encrypted member, EOFError when truncated, LZMAError, OSError from bz2,
# UnicodeDecodeError for a name flagged UTF-8 that is not): all become a refusal.
_ZIP_ERRORS: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, lzma.LZMAError, NotImplementedError,
    RuntimeError, EOFError, OSError, ValueError, struct.error, UnicodeDecodeError)


_Text = Annotated[StrictStr, Field(max_length=1000)]  # shown to people and stored


class _ToolInfo(BaseModel):
    model_config = ConfigDict(extra="allow")

    name: _Text = "?"
    version: _Text = "?"


class _FileItem(BaseModel):
    model_config = ConfigDict(extra="allow")

    path: StrictStr
    sha256: StrictStr
    size: StrictInt | None = None


class _Manifest(BaseModel):
    """The fields of manifest.json that import relies on, with their types: a package is
    hostile input, so a field of the wrong type is refused here, not met by surprise later."""

    model_config = ConfigDict(extra="allow")

    package_id: StrictStr
    title: _Text = ""
    created: _Text = ""
    tool: _ToolInfo = Field(default_factory=_ToolInfo)
    source_datasets: Annotated[list[_Text], Field(max_length=1000)] = Field(
        default_factory=list)
    counts: dict[StrictStr, dict[StrictStr, StrictInt]] = Field(default_factory=dict)
    files: list[_FileItem] = Field(default_factory=list)


def _eocd_entries(path: Path) -> int | None:
    """The member count the zip's end record declares, read before zipfile builds an object
    for every member (a zip of a million empty members would otherwise fill memory)."""
    end_rec = getattr(zipfile, "_EndRecData", None)
    if end_rec is None:
        return None
    with path.open("rb") as fh:
        rec = end_rec(fh)
    return int(rec[4]) if rec else None  # _ECD_ENTRIES_TOTAL


def read_package(zip_path: str | Path, max_member_bytes: int | None = None,
                 max_total_bytes: int | None = None) -> VerifiedPackage:
    """Open and verify a package without extracting it: a regular file, safe member names, no
    links, sizes under the caps, a manifest of a known format version with fields of the
    right types, exactly the files it lists, and a matching sha256 for each. Raises
    PackageRefused with the reason otherwise. The caps default to the settings
    (INSIKT_MAX_FILE_BYTES per member, INSIKT_MAX_PACKAGE_BYTES in all,
    INSIKT_MAX_PACKAGE_MEMBERS)."""
    path = Path(zip_path)
    limits = Limits.current()
    member_cap = limits.max_file_bytes if max_member_bytes is None else max_member_bytes
    total_cap = limits.max_package_bytes if max_total_bytes is None else max_total_bytes
    if not os.path.lexists(path):
        raise NotFound(f"no package file at {path}")
    try:
        st = os.stat(path)
    except OSError as exc:
        raise _refuse(path, f"cannot be read ({exc.strerror or exc})") from exc
    if not stat.S_ISREG(st.st_mode):
        raise _refuse(path, "it is not a regular file (a folder, FIFO or device)")
    if st.st_size > 2 * total_cap:  # zip headers may make a stored package a bit larger
        raise _refuse(path, f"the file is {st.st_size} bytes, over twice the limit of "
                            f"{total_cap} bytes (INSIKT_MAX_PACKAGE_BYTES)")
    max_members = limits.max_package_members
    try:
        declared = _eocd_entries(path)
        if declared is not None and declared > max_members:
            raise _refuse(path, f"{declared} members; a package has at most {max_members} "
                                "(INSIKT_MAX_PACKAGE_MEMBERS)")
        zf = zipfile.ZipFile(path)
    except PackageRefused:
        raise
    except _ZIP_ERRORS as exc:
        raise _refuse(path, f"not a zip file ({excerpt(str(exc))})") from exc
    with zf:
        infos = zf.infolist()
        if len(infos) > max_members:
            raise _refuse(path, f"{len(infos)} members; a package has at most {max_members} "
                                "(INSIKT_MAX_PACKAGE_MEMBERS)")
        members: dict[str, zipfile.ZipInfo] = {}
        declared_total = 0
        for info in infos:
            why = _unsafe_name(info.filename)
            if why:
                raise _refuse(path, f"member name {excerpt(info.filename)} has {why} "
                                    "(path traversal is not allowed)")
            if stat.S_ISLNK(info.external_attr >> 16):
                raise _refuse(path, f"member {excerpt(info.filename)} is a symbolic link")
            if info.is_dir():
                continue
            if info.filename in members:
                raise _refuse(path, f"member {excerpt(info.filename)} appears twice")
            if info.file_size > member_cap:
                raise _refuse(path, f"member {excerpt(info.filename)} is {info.file_size} "
                                    f"bytes, over the limit of {member_cap} bytes per file")
            declared_total += info.file_size
            if declared_total > total_cap:
                raise _refuse(path, f"the members add up to more than {total_cap} bytes")
            members[info.filename] = info

        total = 0

        def read(name: str) -> bytes:
            """At most the cap, whatever the header says (a zip bomb stops at the cap)."""
            nonlocal total
            try:
                with zf.open(members[name]) as fh:
                    body = fh.read(member_cap + 1)
            except _ZIP_ERRORS as exc:
                method = members[name].compress_type
                raise _refuse(path, f"member {excerpt(name)} cannot be read "
                                    f"({excerpt(str(exc))}; compression method {method})"
                              ) from exc
            if len(body) > member_cap:
                raise _refuse(path, f"member {excerpt(name)} is over the limit of {member_cap} "
                                    "bytes per file")
            total += len(body)
            if total > total_cap:
                raise _refuse(path, f"the members add up to more than {total_cap} bytes")
            return body

        if MANIFEST not in members:
            raise _refuse(path, f"no {MANIFEST}; this is not an Insiktsgrafen package")
        try:
            text = read(MANIFEST).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _refuse(path, f"{MANIFEST} is not UTF-8 ({exc.reason} at byte "
                                f"{exc.start})") from exc
        deep = json_depth_problem(text, limits.max_depth)
        if deep:
            raise _refuse(path, f"{MANIFEST} is {deep}")
        try:
            manifest = json.loads(text)
        except ValueError as exc:  # JSONDecodeError, or an integer of too many digits
            raise _refuse(path, f"{MANIFEST} is not valid JSON ({excerpt(str(exc))})") from exc
        if not isinstance(manifest, dict) or manifest.get("format") != PACKAGE_FORMAT:
            raise _refuse(path, f"{MANIFEST} does not describe an Insiktsgrafen package")
        fv = manifest.get("format_version")
        if fv != PACKAGE_FORMAT_VERSION or isinstance(fv, bool):
            raise _refuse(path, f"unknown package format version {excerpt(fv)}; this version "
                                f"of Insiktsgrafen reads version {PACKAGE_FORMAT_VERSION}")
        pid = manifest.get("package_id")
        if not isinstance(pid, str) or not is_slug(pid):
            raise _refuse(path, f"package id {excerpt(pid)} is not a valid id")
        try:
            typed = _Manifest.model_validate(manifest)
        except ValidationError as exc:
            err = exc.errors()[0]
            where = ".".join(str(p) for p in err["loc"])
            raise _refuse(path, f"{MANIFEST}: field '{shorten(where)}': {err['msg']} "
                                f"(got {excerpt(err.get('input'))})") from exc
        listed: dict[str, dict[str, Any]] = {}
        for item in typed.files:
            name = item.path
            why = _unsafe_name(name)
            if why:
                raise _refuse(path, f"{MANIFEST} lists {excerpt(name)}, which has {why}")
            if name not in (README, curation.DECISIONS_FILE) and not re.fullmatch(
                    rf"{DATASET_DIR}/[^/]+", name):
                raise _refuse(path, f"{MANIFEST} lists {excerpt(name)}; a package holds only "
                                    f"{README}, {curation.DECISIONS_FILE} and files directly "
                                    f"under {DATASET_DIR}/")
            listed[name] = {"path": name, "sha256": item.sha256, "size": item.size}
        missing = sorted(set(listed) - set(members))
        if missing:
            raise _refuse(path, f"files listed in {MANIFEST} are missing: "
                                f"{shorten(', '.join(missing), 300)}")
        extra = sorted(set(members) - set(listed) - {MANIFEST})
        if extra:
            raise _refuse(path, f"files not listed in {MANIFEST}: "
                                f"{shorten(', '.join(extra), 300)}")
        if f"{DATASET_DIR}/dataset.yaml" not in listed:
            raise _refuse(path, f"no {DATASET_DIR}/dataset.yaml in the package")
        verified = VerifiedPackage(typed.model_dump())
        for name, entry in sorted(listed.items()):
            body = read(name)
            if _sha256(body) != entry["sha256"]:
                raise _refuse(path, f"checksum mismatch for {name}: the file was changed after "
                                    "the package was made")
            verified.files[name] = body
    return verified


def _extract(verified: VerifiedPackage, root: Path, path: Path) -> Path:
    """Write the verified files under `root`, never outside it."""
    base = root.resolve()
    for name, body in verified.files.items():
        target = (base / name).resolve()
        if not target.is_relative_to(base):  # already refused in read_package; belt and braces
            raise _refuse(path, f"member {excerpt(name)} would be written outside the "
                                "package folder")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(body)
        except (OSError, ValueError) as exc:  # e.g. a name too long for the file system
            raise _refuse(path, f"member {excerpt(name)} cannot be extracted "
                                f"({excerpt(str(exc))})") from exc
    return base / DATASET_DIR


def package_data(zip_path: str | Path, max_member_bytes: int | None = None,
                 max_total_bytes: int | None = None) -> tuple[GraphData, dict[str, Any]]:
    """Verify the package and read its dataset as it would be loaded (the dataset
    `package_id`, its description saying which package it came from, when that was made, by
    which tool and from which datasets); also its manifest, with the curators' decisions it
    carries under `decisions`. Writes nothing to any store."""
    path = Path(zip_path)
    verified = read_package(path, max_member_bytes, max_total_bytes)
    m = verified.manifest
    decisions: list[curation.Decision] = []
    body = verified.files.get(curation.DECISIONS_FILE)
    if body is not None:  # checked before anything is written
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _refuse(path, f"{curation.DECISIONS_FILE} is not UTF-8") from exc
        decisions = curation.parse_decisions(text, f"{path.name} ({curation.DECISIONS_FILE})")
    with tempfile.TemporaryDirectory(prefix="insikt-pkg-") as tmp:
        folder = _extract(verified, Path(tmp), path)
        try:
            data = read_dataset(folder)
        except ValidationFailed as exc:
            raise ValidationFailed(exc.problems, f"{path.name} ({DATASET_DIR}/)") from exc
    if data.dataset.id != m["package_id"]:
        raise _refuse(path, f"its dataset id '{data.dataset.id}' is not the package id "
                            f"'{m['package_id']}'")
    tool = m["tool"]  # typed by _Manifest: name and version are text
    tool_text = f"{tool['name']} {tool['version']}"
    sources = ", ".join(m["source_datasets"]) or "-"
    provenance = (f"Importerat från insiktspaketet {m['package_id']} ({path.name}), skapat "
                  f"{m.get('created', '?')} med {tool_text} ur datasetten {sources}. "
                  f"Imported from the insight package {m['package_id']} ({path.name}), created "
                  f"{m.get('created', '?')} by {tool_text} from the datasets {sources}.")
    description = f"{data.dataset.description}\n{provenance}".strip()
    data = GraphData(replace(data.dataset, description=description, path=str(path)),
                     data.nodes, data.relationships)
    return data, {**m, "tool_text": tool_text, "decisions": decisions}


def import_package(store: GraphStore, zip_path: str | Path,
                   max_member_bytes: int | None = None,
                   max_total_bytes: int | None = None, *, strict: bool = False) -> ImportResult:
    """Verify the package, extract it to a temporary folder, validate its dataset and load it
    as the dataset `package_id` (loading again replaces it): see `package_data`. The
    decisions it carries are recorded after the load."""
    path = Path(zip_path)
    data, m = package_data(path, max_member_bytes, max_total_bytes)
    result = load_checked(store, data, "agencies.yaml", f"{path.name} ({DATASET_DIR}/)",
                          strict=strict)
    if m["decisions"]:
        curation.rebuild_curation(store, m["decisions"])
    return ImportResult(m["package_id"], str(m.get("title", "")), str(m.get("created", "")),
                        m["tool_text"], m.get("counts", {}), result)


def package_bytes(files: dict[str, bytes]) -> bytes:
    """A zip of `files` as-is (for tests and tools that build packages by hand)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in files.items():
            zf.writestr(name, body)
    return buf.getvalue()
