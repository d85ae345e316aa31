"""Fuzzing `insikt package import` with mutated copies of a valid package of the tiny dataset:
zip bytes, zip structure, manifest values and types, compression methods and flags, and the
dataset inside (with checksums that match, so that the dataset checks are reached).
"""

from __future__ import annotations

import hashlib
import io
import json
import struct
import warnings
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.harness import Store, byte_mutation, dataset_ids, examples, fresh, run_case, values

MANIFEST = "manifest.json"

pytestmark = pytest.mark.fuzz


def zip_of(files: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED,
           modes: dict[str, int] | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as zf:
        for name, body in files.items():
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = method
            info.external_attr = (modes or {}).get(name, 0o644) << 16
            zf.writestr(info, body)
    return buf.getvalue()


def rehash(files: dict[str, bytes]) -> dict[str, bytes]:
    """Make the manifest's checksums and sizes match the (changed) files again."""
    manifest = json.loads(files[MANIFEST])
    manifest["files"] = [{"path": n, "sha256": hashlib.sha256(b).hexdigest(), "size": len(b)}
                         for n, b in sorted(files.items()) if n != MANIFEST]
    return {**files, MANIFEST: json.dumps(manifest).encode("utf-8")}


def imported(store: Store, files: dict[str, bytes]) -> Any:
    """For a case that exits 0: the package id is now a dataset of the store."""
    def check(result: Result) -> None:
        package_id = json.loads(files[MANIFEST])["package_id"]
        assert package_id in dataset_ids(store), result.output

    return check


def run(category: str, store: Store, work: Path, body: bytes,
        files: dict[str, bytes] | None = None) -> Result:
    path = fresh(work, "pkg") / "package.zip"
    path.write_bytes(body)
    return run_case(category, store, ["package", "import", str(path)],
                    imported(store, files) if files is not None else None)


def _patch_headers(data: bytes, method: int | None, flag_bits: int) -> bytes:
    """Set the compression method and OR general-purpose flag bits in every local and central
    header of a zip (what a hand-made or hostile archive may declare)."""
    out = bytearray(data)
    end = data.rfind(b"PK\x05\x06")
    count, _, offset = struct.unpack("<HII", data[end + 10:end + 20])
    pos = offset
    for _ in range(count):
        flags, = struct.unpack("<H", out[pos + 8:pos + 10])
        struct.pack_into("<H", out, pos + 8, flags | flag_bits)
        if method is not None:
            struct.pack_into("<H", out, pos + 10, method)
        local, = struct.unpack("<I", out[pos + 42:pos + 46])
        lflags, = struct.unpack("<H", out[local + 6:local + 8])
        struct.pack_into("<H", out, local + 6, lflags | flag_bits)
        if method is not None:
            struct.pack_into("<H", out, local + 8, method)
        n, m, k = struct.unpack("<HHH", out[pos + 28:pos + 34])
        pos += 46 + n + m + k
    return bytes(out)


@examples(260)
@given(ops=st.lists(st.tuples(st.sampled_from(["flip", "insert", "delete", "truncate",
                                               "zero"]),
                              st.floats(0, 1), st.integers(0, 255)), min_size=1, max_size=5))
def test_zip_bytes(fuzz_store: Store, work: Path, package_files: dict[str, bytes],
                   ops: list[tuple[str, float, int]]) -> None:
    body = bytearray(zip_of(package_files))
    for op, where, byte in ops:
        i = min(int(where * len(body)), max(len(body) - 1, 0))
        if op == "flip" and body:
            body[i] ^= 1 << (byte % 8)
        elif op == "insert":
            body[i:i] = bytes([byte]) * (1 + byte % 7)
        elif op == "delete" and body:
            del body[i:i + 1 + byte % 9]
        elif op == "truncate":
            del body[i:]
        elif body:
            body[i:i + 4] = b"\x00\x00\x00\x00"
    run("package: zip bytes", fuzz_store, work, bytes(body), package_files)


NAMES = st.sampled_from([
    "../evil.yaml", "/etc/evil", "dataset\\x.yaml", "dataset/../../x", "C:/x", "dataset/",
    "dataset/sub/insights.yaml", "dataset/extra.yaml", "dataset/" + "a" * 300 + ".yaml",
    "dataset/ins\u0131ghts.yaml", "README.md", "dataset/dataset.yaml", "", "./manifest.json",
    "dataset/x\x00.yaml", "dataset/.hidden", "dataset/agencies.csv", "dataset/insights.yaml",
    "MANIFEST.JSON", "dataset//insights.yaml", "dataset/\u202egnp.yaml"])


@examples(200)
@given(op=st.sampled_from(["drop", "add", "rename", "duplicate", "symlink", "many",
                           "dir-entry", "listed-add", "empty-zip", "stored"]),
       index=st.integers(0, 20), name=NAMES, body=st.binary(max_size=40))
def test_zip_structure(fuzz_store: Store, work: Path, package_files: dict[str, bytes],
                       op: str, index: int, name: str, body: bytes) -> None:
    files = dict(package_files)
    names = sorted(files)
    pick = names[index % len(names)]
    modes: dict[str, int] = {}
    raw: bytes | None = None
    if op == "drop":
        files.pop(pick)
    elif op == "add":
        files[name] = body
    elif op == "rename":
        files[name] = files.pop(pick)
    elif op == "duplicate":
        buf = io.BytesIO(zip_of(files))
        with zipfile.ZipFile(buf, "a") as zf, warnings.catch_warnings():
            warnings.simplefilter("ignore")  # zipfile warns of the duplicate made on purpose
            zf.writestr(pick, body)
        raw = buf.getvalue()
    elif op == "symlink":
        modes[pick] = 0o120777
    elif op == "many":
        files.update({f"dataset/f{i}.txt": b"" for i in range(150 + index)})
    elif op == "dir-entry":
        files[name.rstrip("/") + "/"] = b""
    elif op == "listed-add":  # listed in the manifest, with a matching checksum
        files[name] = body
        files = rehash(files)
    elif op == "empty-zip":
        files = {}
    if raw is None:
        raw = zip_of(files, zipfile.ZIP_STORED if op == "stored" else zipfile.ZIP_DEFLATED,
                     modes)
    # Some of these stay valid (a stored zip, a folder entry, a listed extra file that the
    # dataset reader ignores): then the package must have been imported.
    run("package: zip structure", fuzz_store, work, raw, files if MANIFEST in files else None)


@examples(300)
@given(key=st.sampled_from(["format", "format_version", "package_id", "title", "created",
                            "tool", "source_datasets", "counts", "files", "selection",
                            "dataset_format_version", "extra"]),
       value=values,
       shape=st.sampled_from(["value", "value", "value", "deep", "json-junk", "not-utf8",
                              "big-int", "files-item", "tool-field", "top-level", "nan"]),
       depth=st.integers(1, 50_000))
def test_manifest_types(fuzz_store: Store, work: Path, package_files: dict[str, bytes],
                        key: str, value: Any, shape: str, depth: int) -> None:
    manifest = json.loads(package_files[MANIFEST])
    text: str | bytes
    if shape == "value":
        manifest[key] = value
        text = json.dumps(manifest, allow_nan=True)
    elif shape == "deep":
        manifest[key] = "__DEEP__"
        deep = 21 + depth  # over the default limit of 20 levels
        text = json.dumps(manifest).replace('"__DEEP__"', "[" * deep + "]" * deep)
    elif shape == "json-junk":
        text = json.dumps(manifest)[: depth % 400] + "}{,"
    elif shape == "not-utf8":
        text = json.dumps(manifest, ensure_ascii=False).encode("utf-16")
    elif shape == "big-int":
        manifest[key] = "__BIG__"
        text = json.dumps(manifest).replace('"__BIG__"', "9" * (5000 + depth % 20_000))
    elif shape == "files-item":
        manifest["files"] = [*manifest["files"][: depth % 9], value]
        text = json.dumps(manifest, allow_nan=True)
    elif shape == "tool-field":
        manifest["tool"] = {"name": value, "version": value}
        text = json.dumps(manifest, allow_nan=True)
    elif shape == "top-level":
        text = json.dumps(value, allow_nan=True)
    else:
        manifest[key] = float("nan")
        text = json.dumps(manifest, allow_nan=True)
    body = text.encode("utf-8") if isinstance(text, str) else text
    files = {**package_files, MANIFEST: body}
    # A value of the right type keeps the package valid; then it must have been imported.
    may_pass = shape in ("value", "tool-field", "files-item", "nan", "top-level")
    run("package: manifest types", fuzz_store, work, zip_of(files),
        files if may_pass else None)


@examples(160)
@given(method=st.one_of(st.sampled_from([1, 2, 3, 4, 5, 6, 7, 9, 10, 14, 18, 19, 93, 95, 96,
                                         97, 98, 99, 0xFFFF]), st.integers(0, 0xFFFF)),
       flag_bits=st.sampled_from([0, 0, 1, 8, 0x40, 0x800, 0x2000]),
       real=st.sampled_from([None, None, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA,
                             zipfile.ZIP_STORED]))
def test_compression_methods(fuzz_store: Store, work: Path, package_files: dict[str, bytes],
                             method: int, flag_bits: int, real: int | None) -> None:
    if real is not None:  # a real method zipfile can read, perhaps with odd flags
        body = _patch_headers(zip_of(package_files, real), None, flag_bits)
    else:
        body = _patch_headers(zip_of(package_files), method, flag_bits)
    # Only a method zipfile knows can pass (then the package must have been imported); an
    # unknown method, or an encrypted flag, must be refused.
    known = real is not None or method in (0, 8, 12, 14)
    run("package: compression", fuzz_store, work, body,
        package_files if known and not flag_bits & 1 else None)


@examples(200)
@given(name=st.sampled_from(["dataset/dataset.yaml", "dataset/insights.yaml",
                             "dataset/agencies.yaml", "dataset/journeys.yaml",
                             "dataset/sources.yaml"]),
       ops=st.lists(st.tuples(st.sampled_from(["flip", "insert", "delete", "alias-bomb",
                                               "deep", "id"]),
                              st.floats(0, 1), st.integers(0, 255)), min_size=1, max_size=4))
def test_dataset_inside(fuzz_store: Store, work: Path, package_files: dict[str, bytes],
                        name: str, ops: list[tuple[str, float, int]]) -> None:
    body = bytearray(package_files[name])
    for op, where, byte in ops:
        i = byte_mutation(body, op, where, byte)
        if i is None:
            continue
        if op == "alias-bomb":
            body += b"\n- &a [x, x, x, x, x, x, x, x, x]\n" + b"".join(
                b"- &a%d [*a%s, *a%s, *a%s, *a%s, *a%s, *a%s, *a%s, *a%s, *a%s]\n"
                % ((k,) + (str(k - 1).encode() if k > 1 else b"",) * 9) for k in range(1, 12))
        elif op == "deep":
            body += b"\n- " + b"[" * (100 + byte * 40) + b"]" * (100 + byte * 40) + b"\n"
        elif name == "dataset/dataset.yaml":  # another dataset id: refused, not the package
            body = bytearray(bytes(body).replace(b"pkg-all", b"pkg-other"))
    files = rehash({**package_files, name: bytes(body)})
    run("package: dataset inside", fuzz_store, work, zip_of(files), files)
