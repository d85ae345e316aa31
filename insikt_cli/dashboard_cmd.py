"""`insikt dashboard`: start the Streamlit dashboard on this machine (offline, local only)."""

from __future__ import annotations

import errno
import os
import socket
import sys
from importlib import resources
from pathlib import Path

import click

from insikt_cli.context import Ctx, pass_ctx
from insikt_cli.messages import say


def app_path() -> Path:
    """The Streamlit entry point, wherever the `dashboard` package is installed (found when
    needed, so that `insikt dashboard --help` imports nothing of the dashboard)."""
    return Path(str(resources.files("dashboard") / "app.py"))


def streamlit_command(address: str, port: int) -> list[str]:
    """The `streamlit run` command line: headless, no usage statistics, no development mode,
    and a minimal toolbar (no "Deploy" button, which points at Streamlit's cloud). Flags
    rather than a .streamlit/config.toml, which Streamlit only reads from the working
    directory."""
    return [sys.executable, "-m", "streamlit", "run", str(app_path()),
            "--server.address", address, "--server.port", str(port),
            "--server.headless", "true", "--browser.gatherUsageStats", "false",
            "--global.developmentMode", "false", "--client.toolbarMode", "minimal"]


class PortUnusable(Exception):
    """The dashboard's port cannot be listened on; `message` says why and what to do."""


def bind_port(address: str, port: int) -> int:
    """Listen on (address, port) for a moment, as Streamlit's server will (SO_REUSEADDR), and
    give the port back: `port` itself, or the one the system chose for port 0. Raises OSError
    when that is not possible (EADDRINUSE: another server has it)."""
    family, kind, proto, _, sockaddr = socket.getaddrinfo(address, port,
                                                          type=socket.SOCK_STREAM)[0]
    with socket.socket(family, kind, proto) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(sockaddr)
        s.listen(1)
        return int(s.getsockname()[1])


def usable_port(address: str, port: int) -> int:
    """The port to serve on, checked before anything is printed or loaded: a busy port stops
    with a hint (the next free port, or --port 0), not with Streamlit failing after our
    "Dashboard on …" line."""
    try:
        return bind_port(address, port)
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:
            reason = exc.strerror or str(exc)
            raise PortUnusable(say("dashboard.bad_address", address=address, port=port,
                                   reason=reason)) from None
    suggestion = 0
    for candidate in range(port + 1, min(port + 50, 65536)):
        try:
            suggestion = bind_port(address, candidate)
            break
        except OSError:
            continue
    raise PortUnusable(say("dashboard.port_busy", port=port, address=address,
                           suggestion=suggestion))


@click.command("dashboard")
@click.option("--port", type=click.IntRange(0, 65535), default=8501, show_default=True,
              help="Port for the dashboard's web server; 0 takes any free port. A port in use "
              "stops the command (exit code 2) before anything is loaded.")
@click.option("--address", default="127.0.0.1", show_default=True,
              help="Address to bind to. The default serves this machine only; use 0.0.0.0 "
              "only on a trusted network.")
@click.option("--no-load", is_flag=True,
              help="Do not load the seed data when the store is empty.")
@pass_ctx
def dashboard(obj: Ctx, port: int, address: str, no_load: bool) -> None:
    """Start the Streamlit dashboard (Swedish, with an English switch).

    When the store is empty, the seed data is loaded first (unless --no-load). The
    server binds to 127.0.0.1 and sends no usage statistics; the pages need no internet.

    \b
    Example:
      insikt dashboard
      insikt --backend neo4j dashboard --port 8600 --no-load
      insikt dashboard --port 0
    """
    try:
        port = usable_port(address, port)
    except PortUnusable as exc:
        click.secho(say("error", error=exc), fg="red", err=True)
        click.get_current_context().exit(2)
    # The app reads its settings from its environment: hand over the global options.
    from loaders.load import load_dataset
    from loaders.seed import seed_dir

    env = dict(os.environ)
    if obj.backend:
        env["INSIKT_BACKEND"] = obj.backend
    if obj.store_path:
        env["INSIKT_STORE"] = str(Path(obj.store_path).resolve())
    with obj.store() as st:
        if not no_load and st.stats().node_total == 0:
            res = load_dataset(st, seed_dir())
            click.echo(say("dashboard.loaded_seed", dataset=res.dataset, nodes=res.nodes,
                           relationships=res.relationships, where=st.describe()))
        click.echo(say("dashboard.on", address=address, port=port, where=st.describe()))
    cmd = streamlit_command(address, port)
    sys.stdout.flush()
    os.execve(cmd[0], cmd, env)
