"""The fuzz suite's fixed hypothesis profile, its shared fixtures, and the case count it
prints at the end of the run.

Profile `insikt-ci` (the default) is derandomized: the same cases every run, no example
database, no deadline, so CI is repeatable and never flaky on a slow machine. Set
INSIKT_FUZZ_PROFILE=insikt-deep for a longer randomized search while hunting bugs, and
INSIKT_FUZZ_SCALE=N to multiply every test's number of examples.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from _pytest.terminal import TerminalReporter
from click.testing import CliRunner
from hypothesis import HealthCheck, settings

from graph.settings import reset_settings
from insikt_cli.main import cli
from tests.conftest import TINY
from tests.fuzz.harness import Store, snapshot, summary

settings.register_profile(
    "insikt-ci", derandomize=True, deadline=None, database=None, print_blob=True,
    suppress_health_check=list(HealthCheck))
settings.register_profile(
    "insikt-deep", derandomize=False, deadline=None, database=None, print_blob=True,
    suppress_health_check=list(HealthCheck))
settings.load_profile(os.environ.get("INSIKT_FUZZ_PROFILE", "insikt-ci"))


@pytest.fixture(scope="session", autouse=True)
def default_limits() -> Iterator[None]:
    """The fuzz suite runs with the default limits, whatever the environment says."""
    saved = {k: v for k, v in os.environ.items() if k.startswith("INSIKT_MAX_")}
    for k in saved:
        del os.environ[k]
    reset_settings()
    yield
    os.environ.update(saved)
    reset_settings()


def _loaded_store(folder: Path) -> Store:
    path = folder / "graph.db"  # the embedded store's file (JSON today; any format works)
    res = CliRunner().invoke(cli, ["--store", str(path), "load", "-q", str(TINY)])
    assert res.exit_code == 0, res.output
    return Store(folder, path, snapshot(folder))


@pytest.fixture(scope="session")
def fuzz_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """A store holding the tiny dataset; every case must leave it as it was."""
    return _loaded_store(tmp_path_factory.mktemp("fuzz-store"))


@pytest.fixture(scope="session")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the cases write their inputs (one fresh subfolder per case)."""
    return tmp_path_factory.mktemp("fuzz-work")


@pytest.fixture(scope="session")
def package_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The members of a valid package of the tiny dataset, by name."""
    import zipfile

    folder = tmp_path_factory.mktemp("fuzz-package")
    store = _loaded_store(folder / "store")
    out = folder / "tiny.zip"
    res = CliRunner().invoke(cli, ["--store", str(store.path), "package", "export", "--all",
                                   "-o", str(out)])
    assert res.exit_code == 0, res.output
    with zipfile.ZipFile(out) as zf:
        files = {name: zf.read(name) for name in zf.namelist()}
    # The same bytes on every run, so that the fixed profile gives the same outcomes: pin the
    # creation time (in the manifest and the README) and checksum the README again.
    created = json.loads(files["manifest.json"])["created"].encode()
    files = {n: b.replace(created, b"2026-01-01T00:00:00Z") for n, b in files.items()}
    manifest = json.loads(files["manifest.json"])
    for item in manifest["files"]:
        item["sha256"] = hashlib.sha256(files[item["path"]]).hexdigest()
    files["manifest.json"] = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode()
    return Members(files)


class Members(dict[str, bytes]):
    """Package members; shown by name only when hypothesis prints a failing case."""

    def __repr__(self) -> str:
        return f"Members({sorted(self)})"


@pytest.fixture(scope="session")
def register_json(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A two-agency register in the ESV format, so notes cases do not depend on ../shared."""
    path = tmp_path_factory.mktemp("fuzz-register") / "esv.json"
    path.write_text(json.dumps({
        "Skatteverket": {"org_nr": "202100-5448", "short_name": "SKV", "name_en":
                         "Swedish Tax Agency", "old_names": []},
        "Migrationsverket": {"org_nr": "202100-2163", "name_en": "Swedish Migration Agency",
                             "old_names": ["Statens invandrarverk"]},
    }, ensure_ascii=False), encoding="utf-8")
    return path


def pytest_terminal_summary(terminalreporter: TerminalReporter) -> None:
    for line in summary():
        terminalreporter.write_line(line)
