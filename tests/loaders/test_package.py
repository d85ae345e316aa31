"""Insight packages: what goes in, the byte-identical round trip, and every way a package file
is refused (with the store left as it was)."""

from __future__ import annotations

import hashlib
import json
import zipfile
from datetime import datetime
from importlib.metadata import version
from pathlib import Path

import networkx as nx
import pytest

from graph import walk
from graph.embedded import EmbeddedStore
from graph.errors import NotFound
from graph.model import DatasetMeta, GraphData, node_key
from graph.store import apply_graph_data
from loaders.dataset import read_dataset, validate_dataset
from loaders.load import load_dataset
from loaders.package import (
    PackageRefused,
    Selection,
    export_package,
    import_package,
    package_bytes,
    read_package,
    select_subgraph,
)
from loaders.register import import_register
from loaders.writer import write_dataset
from tests.conftest import REGISTER, SEED, TINY


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    st = EmbeddedStore(tmp_path_factory.mktemp("seeded") / "graph.json")
    load_dataset(st, SEED)
    return st


@pytest.fixture(scope="module")
def package(seeded: EmbeddedStore, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pkg") / "dodsfall.zip"
    export_package(seeded.to_networkx(), "life_event:nar-nagon-har-dott", out)
    return out


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def dataset_files(path: Path) -> dict[str, bytes]:
    return {n: b for n, b in members(path).items() if n.startswith("dataset/")}


@pytest.mark.parametrize("selection", ["life_event:nar-nagon-har-dott", "domain:foretagande",
                                       "agency:skatteverket", "all"])
def test_round_trip_is_byte_identical(seeded: EmbeddedStore, tmp_path: Path,
                                      selection: str) -> None:
    first = export_package(seeded.to_networkx(), selection, tmp_path / "a.zip")
    empty = EmbeddedStore(tmp_path / "empty.json")
    res = import_package(empty, first.path)
    assert res.package_id == first.package_id == Selection.parse(selection).package_id
    second = export_package(empty.to_networkx(), selection, tmp_path / "b.zip")
    a, b = dataset_files(first.path), dataset_files(second.path)
    assert a and a == b
    assert second.counts == first.counts


def test_manifest_checksums_counts_and_readme(package: Path, tmp_path: Path) -> None:
    files = members(package)
    manifest = json.loads(files["manifest.json"])
    assert manifest["format_version"] == 1 and manifest["format"] == "insiktsgrafen-package"
    assert manifest["package_id"] == "pkg-life-event-nar-nagon-har-dott"
    assert manifest["tool"] == {"name": "insiktsgrafen", "version": version("insiktsgrafen")}
    assert datetime.fromisoformat(manifest["created"].replace("Z", "+00:00")).utcoffset() is not None
    assert manifest["selection"] == {"kind": "life_event", "id": "nar-nagon-har-dott"}
    listed = {f["path"]: f for f in manifest["files"]}
    assert set(listed) | {"manifest.json"} == set(files)
    for name, item in listed.items():
        assert item["sha256"] == hashlib.sha256(files[name]).hexdigest()
        assert item["size"] == len(files[name])
    folder = tmp_path / "dataset"
    folder.mkdir()
    for name, body in files.items():
        if name.startswith("dataset/"):
            (folder / name.split("/", 1)[1]).write_bytes(body)
    assert validate_dataset(folder)[1] == []  # self-contained and valid
    data = read_dataset(folder)
    assert manifest["counts"] == {"nodes": data.label_counts(),
                                  "relationships": data.rel_counts()}
    readme = files["README.md"].decode("utf-8")
    assert "## Svenska" in readme and "## English" in readme
    assert "När någon har dött" in readme and "insikt package import" in readme


def test_life_event_selection_holds_what_belongs_to_it(seeded: EmbeddedStore) -> None:
    g = seeded.to_networkx()
    sub = select_subgraph(g, Selection("life_event", "nar-nagon-har-dott"))
    le = node_key("LifeEvent", "nar-nagon-har-dott")
    expected = {le}
    for u, v, k in g.edges(keys=True):
        if v == le and k in ("ARISES_IN", "TAKES_PART_IN"):
            expected.add(u)
        if u == le and k in ("HAS_STEP", "IN_DOMAIN"):
            expected.add(v)
    assert expected <= set(sub)
    other_events = {n for n, a in sub.nodes(data=True) if a["label"] == "LifeEvent"}
    assert other_events == {le}  # general insights keep only this life event's edge
    for n, a in sub.nodes(data=True):  # every reference resolves inside the slice
        if a["label"] == "JourneyStep":
            assert walk.out_nodes(sub, n, "HANDLED_BY")
    with pytest.raises(NotFound, match="no LifeEvent 'nope'"):
        select_subgraph(g, Selection("life_event", "nope"))


def test_import_keeps_provenance(package: Path, tmp_path: Path) -> None:
    st = EmbeddedStore(tmp_path / "g.json")
    import_package(st, package)
    manifest = json.loads(members(package)["manifest.json"])
    (info,) = st.datasets()
    assert info.id == manifest["package_id"]
    assert manifest["created"] in info.description and package.name in info.description
    assert "seed" in info.description and info.path == str(package)
    import_package(st, package)  # loading again replaces, it does not duplicate
    assert [d.id for d in st.datasets()] == [manifest["package_id"]]


def _rezip(path: Path, out: Path, change: dict[str, bytes | None]) -> Path:
    files: dict[str, bytes] = members(path)
    for name, body in change.items():
        if body is None:
            files.pop(name, None)
        else:
            files[name] = body
    out.write_bytes(package_bytes(files))
    return out


def _with_manifest(path: Path, **fields: object) -> bytes:
    manifest = json.loads(members(path)["manifest.json"])
    manifest.update(fields)
    return json.dumps(manifest).encode("utf-8")


@pytest.mark.parametrize("case,needle", [
    ("tampered", "checksum mismatch for dataset/insights.yaml"),
    ("traversal", "path traversal"),
    ("absolute", "absolute path"),
    ("backslash", "backslash"),
    ("version", "unknown package format version 2"),
    ("missing", "missing: dataset/principles.yaml"),
    ("extra", "not listed in manifest.json: dataset/extra.yaml"),
    ("no-manifest", "no manifest.json"),
    ("listed-traversal", "has a '..'"),
])
def test_refused_packages(package: Path, tmp_path: Path, case: str, needle: str) -> None:
    files = members(package)
    changes: dict[str, dict[str, bytes | None]] = {
        "tampered": {"dataset/insights.yaml": files["dataset/insights.yaml"] + b"\n# edited\n"},
        "traversal": {"../evil.yaml": b"x"},
        "absolute": {"/etc/evil.yaml": b"x"},
        "backslash": {"dataset\\evil.yaml": b"x"},
        "version": {"manifest.json": _with_manifest(package, format_version=2)},
        "missing": {"dataset/principles.yaml": None},
        "extra": {"dataset/extra.yaml": b"[]\n"},
        "no-manifest": {"manifest.json": None},
        "listed-traversal": {"manifest.json": _with_manifest(
            package, files=[{"path": "dataset/../../x", "sha256": "0" * 64}])},
    }
    change = changes[case]
    bad = _rezip(package, tmp_path / f"{case}.zip", change)
    st = EmbeddedStore(tmp_path / "g.json")
    with pytest.raises(PackageRefused, match="refused") as err:
        import_package(st, bad)
    assert needle in str(err.value)
    assert st.datasets() == [] and st.to_networkx().number_of_nodes() == 0
    assert not (tmp_path / "evil.yaml").exists()


def test_oversized_members_are_refused(package: Path, tmp_path: Path) -> None:
    biggest = max(len(b) for b in members(package).values())
    with pytest.raises(PackageRefused, match="over the limit"):
        read_package(package, max_member_bytes=biggest - 1)
    with pytest.raises(PackageRefused, match="add up to more than"):
        read_package(package, max_total_bytes=biggest)
    assert read_package(package).manifest["format_version"] == 1


def test_not_a_zip_and_missing_file(tmp_path: Path) -> None:
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"not a zip at all")
    with pytest.raises(PackageRefused, match="not a zip file"):
        read_package(junk)
    with pytest.raises(NotFound):
        read_package(tmp_path / "absent.zip")


def test_unknown_selection() -> None:
    with pytest.raises(Exception, match="unknown selection"):
        Selection.parse("municipality:x")
    assert Selection.parse("life-event:fa-barn") == Selection("life_event", "fa-barn")


@pytest.mark.skipif(not REGISTER.exists(), reason="../shared register not present")
def test_round_trip_with_the_register(tmp_path: Path) -> None:
    """The register has one org nr on two agencies; v1 allows one, so the package keeps it on
    the first, notes why on the other, and still round-trips exactly."""
    st = EmbeddedStore(tmp_path / "a.json")
    load_dataset(st, SEED)
    import_register(st, REGISTER)
    first = export_package(st.to_networkx(), "all", tmp_path / "a.zip")
    assert any("left out" in w for w in first.warnings)
    assert first.counts["nodes"]["Agency"] == st.stats().labels["Agency"]
    other = EmbeddedStore(tmp_path / "b.json")
    import_package(other, first.path)
    second = export_package(other.to_networkx(), "all", tmp_path / "b.zip")
    assert dataset_files(first.path) == dataset_files(second.path) and not second.warnings


@pytest.mark.parametrize("folder", [TINY, SEED], ids=["tiny", "seed"])
def test_writer_inverts_to_graph_data(folder: Path, tmp_path: Path) -> None:
    """Dataset → graph → writer → dataset gives the same nodes and relationships."""
    original = read_dataset(folder)
    g = nx.MultiDiGraph()
    apply_graph_data(g, original)
    result = write_dataset(g, tmp_path / "out", DatasetMeta("copy", "Kopia"))
    assert result.warnings == [] and validate_dataset(tmp_path / "out")[1] == []
    again = read_dataset(tmp_path / "out")

    def content(data: GraphData) -> tuple[set[str], set[str]]:
        nodes = {json.dumps([n.label, n.id, n.props], sort_keys=True) for n in data.nodes}
        rels = {json.dumps([r.type, r.start_id, r.end_id, r.props], sort_keys=True)
                for r in data.relationships}
        return nodes, rels

    assert content(again) == content(original)
    text = (tmp_path / "out" / "agencies.yaml").read_text(encoding="utf-8")
    assert "search_text" not in text and "datasets" not in text
