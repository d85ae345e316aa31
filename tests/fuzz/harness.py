"""What every fuzz case checks, and the counts the run prints at the end.

A case runs one `insikt` command in-process (click's CliRunner) against a store that already
holds the tiny dataset, then asserts: no exception escaped (only `SystemExit`), no
"Traceback" in the output, exit code 2 (or 0 when the mutation happened to stay valid), and
the store directory byte-identical afterwards (or, after a valid load, holding the dataset
the load names; it is then put back so the next case starts from the same bytes).

The store is snapshotted as a whole directory, so the check holds for the JSON store and for
an SQLite store with -wal/-shm files alike.
"""

from __future__ import annotations

import json
import os
import shutil
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

from click.testing import CliRunner, Result
from hypothesis import settings
from hypothesis import strategies as st

from insikt_cli.main import cli

CASES: Counter[str] = Counter()  # category -> cases run
OUTCOMES: Counter[str] = Counter()  # "category: exit N" -> cases
SCALE = int(os.environ.get("INSIKT_FUZZ_SCALE", "1"))
MAX_LINE = 2000  # no message line may be longer (values are shown as bounded excerpts)


def examples(n: int) -> settings:
    """This test's number of examples (times INSIKT_FUZZ_SCALE), on the loaded profile."""
    return settings(max_examples=n * SCALE)


def byte_mutation(body: bytearray, op: str, where: float, byte: int) -> int | None:
    """Apply the shared byte operations (flip a bit, insert or delete a byte) at the position
    `where` (0–1) picks. Returns None when `op` was one of them, else that position, for the
    caller's own operations."""
    i = min(int(where * len(body)), max(len(body) - 1, 0))
    if op == "flip" and body:
        body[i] ^= 1 << (byte % 8)
    elif op == "insert":
        body[i:i] = bytes([byte])
    elif op == "delete" and body:
        del body[i]
    else:
        return i
    return None


def fresh(work: Path, name: str) -> Path:
    """An empty folder for one case."""
    folder = work / name
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    return folder


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (recursively) by relative path, with its bytes."""
    out: dict[str, bytes] = {}
    for root, _, files in os.walk(folder):
        for name in files:
            p = Path(root) / name
            out[str(p.relative_to(folder))] = p.read_bytes()
    return out


def restore(folder: Path, snap: dict[str, bytes]) -> None:
    """Put `folder` back to `snap`: same files, same bytes, nothing else."""
    if folder.exists():
        shutil.rmtree(folder)
    for rel, body in snap.items():
        p = folder / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(body)


class Store:
    """A store directory holding the tiny dataset, and its bytes."""

    def __init__(self, folder: Path, path: Path, snap: dict[str, bytes]) -> None:
        self.folder = folder
        self.path = path  # what --store points at
        self.snap = snap

    def __repr__(self) -> str:  # hypothesis prints the arguments of a failing case
        return f"Store({self.path})"


def run_case(category: str, store: Store, args: Sequence[str],
             valid_check: Callable[[Result], None] | None = None) -> Result:
    """Run `insikt --store STORE ARGS…` and assert the invariants above."""
    CASES[category] += 1
    result = CliRunner().invoke(cli, ["--store", str(store.path), *args], catch_exceptions=True)
    OUTCOMES[f"{category}: exit {result.exit_code}"] += 1
    output = result.output  # stdout and stderr, interleaved as on a terminal
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{category}: {type(result.exception).__name__}: {result.exception}\n{output[:3000]}")
    assert "Traceback" not in output, output[:3000]
    assert result.exit_code in (0, 2), f"{category}: exit {result.exit_code}\n{output[:3000]}"
    longest = max((len(line) for line in output.splitlines()), default=0)
    if result.exit_code == 2:
        assert longest <= MAX_LINE, f"{category}: a {longest}-character line in the output"
        assert any(w in output for w in ("nothing was written", "problem", "refused",
                                         "Error:")), output[:3000]
        after = snapshot(store.folder)
        if after != store.snap:
            restore(store.folder, store.snap)  # so that only this case is reported
            changed = sorted(k for k in set(after) | set(store.snap)
                             if after.get(k) != store.snap.get(k))
            raise AssertionError(f"{category}: exit 2 but the store changed ({changed})\n"
                                 f"{output[:3000]}")
    else:
        try:
            assert valid_check is not None, f"{category}: exit 0 for a case that must fail"
            valid_check(result)
        finally:
            restore(store.folder, store.snap)
    return result


def dataset_ids(store: Store) -> list[str]:
    """The datasets the store holds now, through the CLI (whatever the backend)."""
    res = CliRunner().invoke(cli, ["--store", str(store.path), "datasets", "--format", "json"])
    assert res.exit_code == 0, res.output
    return [d["id"] for d in json.loads(res.stdout)]


def summary() -> list[str]:
    """Lines for the end of the test run: cases per category and their outcomes."""
    if not CASES:
        return []
    lines = [f"fuzz: {sum(CASES.values())} cases in {len(CASES)} categories"]
    for category, n in sorted(CASES.items()):
        exits = ", ".join(f"exit {k.rsplit(' ', 1)[1]}: {v}" for k, v in sorted(OUTCOMES.items())
                          if k.startswith(category + ":"))
        lines.append(f"  {category:<32}{n:>6}  ({exits})")
    return lines


# -- values of every type, for the type mutations ----------------------------------------------

texts = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", " ", "２０２１", "٢٠٢١", "2021", "2_021", "1e3", "0x10", "yes", "null",
                     "~", "202100-5448", "２０２１００-５５２１", "kurir", "Kurir", "a" * 300,
                     "skatteverket", "nar-nagon-har-dott", "general", "specific", "\u2028",
                     "\x00", "\ufeff", "-", "--", "a--b", "2021-02-30", "2021-13", "!!python/x"]),
)
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.integers(-2**70, 2**70),
                    st.floats(allow_nan=True, allow_infinity=True), texts)
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(texts, inner, max_size=4)), max_leaves=12)
