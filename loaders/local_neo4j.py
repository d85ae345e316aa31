"""The embedded default → the local Neo4j in one step (`insikt neo4j start --load`, and the
console's button): start the server through the project's launcher (scripts/neo4j/neo4j.sh,
installed as the package `insikt_neo4j_launcher`), then load into it the same datasets the
embedded store holds, each from the path it was loaded from (`insikt datasets`), with the
loader that made it (dataset folder, insight package, workshop notes, ESV's register).

Everything here is a library call that raises `InsiktError`s; the CLI and the dashboard word
the results. No secret is ever part of a result: the password stays in the settings.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

from graph.errors import BackendUnavailable, InsiktError, NotFound
from graph.settings import get_settings
from graph.store import REGISTER_DATASET, DatasetInfo, GraphStore, LoadResult

LAUNCHER_PACKAGE = "insikt_neo4j_launcher"
"""scripts/neo4j, installed as this (namespace) package by pyproject's package-dir mapping."""
DEFAULT_PORT = 7687


def find_launcher() -> Path | None:
    """Where `neo4j.sh` is: the installed launcher package (editable or not), else None.

    It is a namespace package (scripts/neo4j has no __init__.py), which
    `importlib.resources.files` cannot read on Python 3.11, so its folder comes from the
    import system's search locations instead."""
    spec = importlib.util.find_spec(LAUNCHER_PACKAGE)
    for folder in (spec.submodule_search_locations or []) if spec else []:
        candidate = Path(folder) / "neo4j.sh"
        if candidate.is_file():
            return candidate
    return None


def _local_port(uri: str) -> int | None:
    parts = urlsplit(uri)
    try:
        port = parts.port
    except ValueError:
        return None
    return port if parts.hostname in ("127.0.0.1", "localhost") and port else None


def launcher_port() -> int:
    """The port the launcher uses: INSIKT_NEO4J_PORT, else that of a local NEO4J_URI, else
    7687 (so `insikt neo4j start` starts the server `--backend neo4j` talks to)."""
    cfg = get_settings()
    return cfg.neo4j_port or _local_port(cfg.neo4j_uri) or DEFAULT_PORT


def launcher_env() -> dict[str, str]:
    """The environment for the launcher: this process's, with the run folder made absolute
    (relative to where the command runs, not the launcher) and the port of `launcher_port`
    when one is configured."""
    env = dict(os.environ)
    cfg = get_settings()
    if cfg.neo4j_home is not None:
        env["INSIKT_NEO4J_HOME"] = str(cfg.neo4j_home.resolve())
    port = cfg.neo4j_port or _local_port(cfg.neo4j_uri)
    if port is not None:
        env["INSIKT_NEO4J_PORT"] = str(port)
    return env


def local_uri() -> str:
    """The Bolt URI of the server the launcher starts: NEO4J_URI when it is that server
    (same local port), else bolt://127.0.0.1:PORT."""
    cfg = get_settings()
    port = launcher_port()
    return cfg.neo4j_uri if _local_port(cfg.neo4j_uri) == port else f"bolt://127.0.0.1:{port}"


@dataclass(frozen=True)
class LauncherRun:
    """What `bash neo4j.sh COMMAND` said and its exit code."""

    command: str
    returncode: int
    stdout: str
    stderr: str


def check_launcher(script: Path | None, command: str = "start") -> tuple[str, Path]:
    """(bash, the launcher) or an InsiktError saying what is missing and what to do."""
    if script is None or not script.is_file():
        where = script or f"neo4j.sh of the package {LAUNCHER_PACKAGE}"
        raise InsiktError(f"the local Neo4j launcher ({where}) is missing; reinstall "
                          "Insiktsgrafen (it ships the launcher as the package "
                          f"{LAUNCHER_PACKAGE}) or run your own Neo4j 5 and set NEO4J_URI")
    bash = shutil.which("bash")
    if bash is None:
        raise InsiktError("bash is needed to run the local Neo4j launcher and was not found")
    if command == "start":
        missing = [tool for tool in ("java", "mvn") if shutil.which(tool) is None]
        if missing:
            raise InsiktError(
                "starting the local Neo4j needs Java 17+ and Maven on PATH; not found: "
                f"{', '.join(missing)}. Install them (e.g. `apt-get install openjdk-17-jdk "
                "maven`) or point NEO4J_URI at a Neo4j 5 server you run yourself.")
    return bash, script


def run_launcher(command: str, script: Path | None = None) -> LauncherRun:
    """Run `bash neo4j.sh COMMAND` (start, stop, status, restart) and return what it said."""
    bash, path = check_launcher(script if script is not None else find_launcher(), command)
    proc = subprocess.run([bash, str(path), command], env=launcher_env(), cwd=path.parent,
                          capture_output=True, text=True, check=False)
    return LauncherRun(command, proc.returncode, proc.stdout, proc.stderr)


# -- the same datasets, into Neo4j ----------------------------------------------------------------

@dataclass(frozen=True)
class Copied:
    """One dataset loaded into Neo4j: its id, where it came from, how, and what was written."""

    id: str
    path: str
    kind: str
    nodes: int
    relationships: int


def dataset_kind(info: DatasetInfo) -> str:
    """Which loader made a dataset, from its id and the path it was loaded from: `register`
    (ESV's register), `folder` (a dataset folder), `package` (an insight package, .zip) or
    `notes` (workshop notes, any other file)."""
    path = Path(info.path)
    if info.id == REGISTER_DATASET:
        return "register"
    if path.is_dir():
        return "folder"
    if path.suffix.lower() == ".zip":
        return "package"
    return "notes"


def _located(info: DatasetInfo, bases: Sequence[Path]) -> DatasetInfo:
    """The dataset with its path made absolute: a relative path (as typed at `insikt load`)
    is looked up from the working folder, then from the folder that holds the store's
    `.insikt/` (the project the store belongs to). Unchanged when found nowhere."""
    path = Path(info.path)
    if not info.path or path.is_absolute():
        return info
    for base in bases:
        if os.path.lexists(base / path):
            return replace(info, path=str((base / path).resolve()))
    return info


def datasets_to_copy(source: GraphStore) -> list[DatasetInfo]:
    """The source store's datasets in the order they were loaded (later ones may refer to
    the agencies of earlier ones), after checking that every path still exists: a missing
    one is a NotFound that names each dataset and path, before anything is started or
    written."""
    bases = [Path.cwd()]
    store_file = getattr(source, "path", None)
    if isinstance(store_file, Path):
        bases.append(store_file.resolve().parent.parent)
    # Load times have a resolution of one second; within one second, notes go after the
    # folders and packages whose life events, general insights and agencies they name.
    infos = [_located(d, bases) for d in sorted(
        source.datasets(), key=lambda d: (d.loaded_at, dataset_kind(d) == "notes"))]
    missing = [d for d in infos if not d.path or not os.path.lexists(d.path)]
    if missing:
        listed = "; ".join(f"{d.id} ({d.path or 'no path recorded'})" for d in missing)
        raise NotFound(f"cannot load the same datasets into Neo4j: the path of {listed} is "
                       "gone. Load it again into the embedded store from where it is now, or "
                       "`insikt unload` it, then retry.")
    return infos


def copy_datasets(infos: Sequence[DatasetInfo], target: GraphStore,
                  progress: Callable[[DatasetInfo], None] | None = None) -> list[Copied]:
    """Load each dataset into `target` from its path, with the loader that made it. Loads
    are idempotent, so copying into a server that already holds them changes nothing."""
    from graph.settings import get_settings as settings
    from loaders.load import load_dataset
    from loaders.notes import import_notes
    from loaders.package import import_package
    from loaders.register import import_register

    done = []
    for info in infos:
        if progress is not None:
            progress(info)
        kind = dataset_kind(info)
        res: LoadResult | None
        if kind == "register":
            res = import_register(target, info.path).result
        elif kind == "folder":
            res = load_dataset(target, info.path)
        elif kind == "package":
            res = import_package(target, info.path).result
        else:
            res = import_notes(target, info.path, settings().register_path).result
        done.append(Copied(info.id, info.path, kind, res.nodes if res else 0,
                           res.relationships if res else 0))
    return done


@dataclass(frozen=True)
class StartedNeo4j:
    """The outcome of `start_and_load`: the launcher's run, the server's URI (no secrets) and
    the datasets loaded into it."""

    launcher: LauncherRun
    uri: str
    copied: list[Copied] = field(default_factory=list)


def open_local(uri: str | None = None) -> GraphStore:
    """A connected Neo4j store for the local server (the other settings as configured)."""
    from graph.neo4j_store import Neo4jStore

    cfg = get_settings()
    store = Neo4jStore(uri=uri or local_uri(), user=cfg.neo4j_user,
                       password=cfg.neo4j_password.get_secret_value(),
                       database=cfg.neo4j_database, batch_size=cfg.neo4j_batch)
    store.connect()
    return store


def start_and_load(source: GraphStore, *, script: Path | None = None,
                   progress: Callable[[DatasetInfo], None] | None = None,
                   start: Callable[[], LauncherRun] | None = None) -> StartedNeo4j:
    """Start the local Neo4j (a no-op when it runs) and load the source store's datasets into
    it. The datasets' paths are checked first, so nothing starts when one is gone. `start`
    replaces the launcher (tests give a server they started themselves)."""
    infos = datasets_to_copy(source)
    run = start() if start is not None else run_launcher("start", script)
    if run.returncode != 0:
        said = (run.stderr or run.stdout).strip().splitlines()
        raise BackendUnavailable("the local Neo4j did not start (launcher exit code "
                                 f"{run.returncode}): {said[-1] if said else 'no output'}")
    uri = local_uri()
    target = open_local(uri)
    try:
        copied = copy_datasets(infos, target, progress)
    finally:
        target.close()
    return StartedNeo4j(run, uri, copied)
