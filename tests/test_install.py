"""A non-editable install works outside the checkout: `pip install .` into a fresh venv, then,
from a folder that is not the checkout, `insikt load seed_data` (the packaged seed),
`insikt stats`, `insikt neo4j status` (the shipped launcher) and `insikt dashboard` serving its
page over HTTP.

To stay fast it reuses this venv's installed dependencies: the fresh venv gets this venv's
site-packages on its path through a `.pth` line, which adds the folder but does not run the
`.pth` files inside it, so the editable finder of this checkout stays off. Nothing is
downloaded (`--no-index`, `--no-deps`, `--no-build-isolation`).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import tomllib
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from loaders.dataset import read_dataset
from tests.conftest import ROOT, SEED

pytestmark = pytest.mark.install

IGNORE = shutil.ignore_patterns(".git", ".venv", "build", "dist", "*.egg-info", "__pycache__",
                                ".insikt", "artifacts", "target", "run", ".pytest_cache",
                                ".mypy_cache", ".ruff_cache", "tests", "benchmarks", "node_modules")


@dataclass(frozen=True)
class Installed:
    venv: Path
    outside: Path  # the working directory: not the checkout, no seed_data folder
    env: dict[str, str]
    src: Path  # the copy of the checkout that was installed
    site: Path  # the fresh venv's site-packages

    def run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(self.venv / "bin" / "insikt"), *args], cwd=self.outside,
                              env=self.env, capture_output=True, text=True, timeout=timeout,
                              check=False)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    tmp = tmp_path_factory.mktemp("install")
    src = tmp / "src"
    shutil.copytree(ROOT, src, ignore=IGNORE)  # a copy: the build leaves the checkout alone
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True,
                   timeout=120)
    py = venv / "bin" / "python"
    site = Path(subprocess.run([str(py), "-c", "import sysconfig; "
                                "print(sysconfig.get_paths()['purelib'])"], check=True,
                               capture_output=True, text=True).stdout.strip())
    deps = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (site / "_insikt_test_deps.pth").write_text("\n".join(sorted(deps)) + "\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("INSIKT_", "NEO4J_", "PYTHON", "PIP_", "VIRTUAL_ENV"))}
    env |= {"PIP_NO_INDEX": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1", "HOME": str(tmp)}
    proc = subprocess.run([str(py), "-m", "pip", "install", "--quiet", "--no-deps",
                           "--no-build-isolation", "--ignore-installed", str(src)],
                          cwd=tmp, env=env, capture_output=True, text=True, timeout=300,
                          check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    outside = tmp / "elsewhere"
    outside.mkdir()
    return Installed(venv, outside, env, src, site)


def test_the_installed_copy_is_imported(installed: Installed) -> None:
    code = ("import json, graph, loaders, queries, dashboard, insikt_cli, seed_data; "
            "from importlib.metadata import distribution; "
            "print(json.dumps([m.__file__ for m in (graph, loaders, queries, dashboard, "
            "insikt_cli, seed_data)] + [str(distribution('insiktsgrafen')._path)]))")
    proc = subprocess.run([str(installed.venv / "bin" / "python"), "-c", code],
                          cwd=installed.outside, env=installed.env, capture_output=True,
                          text=True, timeout=60, check=True)
    files = [Path(f).resolve() for f in json.loads(proc.stdout)]
    venv = installed.venv.resolve()
    assert all(venv in f.parents for f in files), files
    assert not any(ROOT in f.parents for f in files), files


def test_every_file_of_every_package_is_installed(installed: Installed) -> None:
    cfg = tomllib.loads((installed.src / "pyproject.toml").read_text(encoding="utf-8"))
    mapped = cfg["tool"]["setuptools"].get("package-dir", {})
    missing = []
    for package in cfg["tool"]["setuptools"]["packages"]:
        folder = installed.src / mapped.get(package, package.replace(".", "/"))
        target = installed.site / package.replace(".", "/")
        for f in folder.rglob("*"):  # the copy has no build output (target/, run/)
            if f.is_file() and "__pycache__" not in f.parts:
                rel = f.relative_to(folder)
                if not (target / rel).is_file():
                    missing.append(f"{package}: {rel}")
    assert not missing, missing


def test_load_seed_and_stats_outside_the_checkout(installed: Installed) -> None:
    load = installed.run("load", "seed_data")
    assert load.returncode == 0, load.stderr
    assert "Loaded dataset 'seed'" in load.stdout
    assert (installed.outside / ".insikt").is_dir()  # the default store, here
    stats = installed.run("stats", "--format", "json")
    assert stats.returncode == 0, stats.stderr
    expected = read_dataset(SEED).label_counts()
    assert json.loads(stats.stdout)["labels"] == expected


def test_the_neo4j_launcher_is_shipped(installed: Installed) -> None:
    env = {**installed.env, "INSIKT_NEO4J_HOME": str(installed.outside / "neo4j"),
           "INSIKT_NEO4J_PORT": "1"}
    proc = subprocess.run([str(installed.venv / "bin" / "insikt"), "neo4j", "status"],
                          cwd=installed.outside, env=env, capture_output=True, text=True,
                          timeout=60, check=False)
    assert proc.returncode == 3 and "not running" in proc.stdout, proc.stdout + proc.stderr
    assert "missing" not in proc.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=5) as resp:
        return resp.status, resp.read().decode("utf-8", "replace")


@pytest.fixture
def dashboard(installed: Installed) -> Iterator[tuple[subprocess.Popen[str], int]]:
    port = _free_port()
    proc = subprocess.Popen([str(installed.venv / "bin" / "insikt"), "dashboard", "--port",
                             str(port)], cwd=installed.outside, env=installed.env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        yield proc, port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=20)


def test_the_dashboard_serves_its_page(installed: Installed,
                                       dashboard: tuple[subprocess.Popen[str], int]) -> None:
    proc, port = dashboard
    deadline = time.monotonic() + 90
    health = ""
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            status, health = _get(f"http://127.0.0.1:{port}/_stcore/health")
            if status == 200:
                break
        except OSError:
            time.sleep(0.3)
    assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
    assert health == "ok"
    status, page = _get(f"http://127.0.0.1:{port}/")
    assert status == 200 and '<div id="root">' in page
    # the process (exec'd into streamlit) runs the installed app, not the checkout's
    cmdline = Path(f"/proc/{proc.pid}/cmdline").read_bytes().split(b"\0")
    app = next(Path(a.decode()) for a in cmdline if a.endswith(b"app.py"))
    assert installed.venv.resolve() in app.resolve().parents, app


def test_the_installed_app_renders_the_seed(installed: Installed) -> None:
    """The page itself (not only the server): the installed app.py run by Streamlit's AppTest
    in the fresh venv, on the seed loaded into the default store (idempotent)."""
    assert installed.run("load", "seed_data", "--quiet").returncode == 0
    code = ("import json, dashboard; from pathlib import Path; "
            "from streamlit.testing.v1 import AppTest; "
            "app = Path(dashboard.__file__).parent / 'app.py'; "
            "at = AppTest.from_file(str(app), default_timeout=60).run(); "
            "print(json.dumps({'app': str(app), 'exceptions': [str(e.value) for e in at.exception], "
            "'metrics': [m.label for m in at.metric]}))")
    proc = subprocess.run([str(installed.venv / "bin" / "python"), "-c", code],
                          cwd=installed.outside, env=installed.env, capture_output=True,
                          text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert installed.venv.resolve() in Path(result["app"]).resolve().parents
    assert result["exceptions"] == []
    assert len(result["metrics"]) >= 2, result  # the overview's figures: data is shown
