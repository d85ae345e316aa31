"""`insikt dashboard`: start the Streamlit dashboard on this machine (offline, local only)."""

from __future__ import annotations

import os
import sys
from importlib import resources
from pathlib import Path

import click

from insikt_cli.context import Ctx, pass_ctx
from loaders.load import load_dataset
from loaders.seed import seed_dir

APP = Path(str(resources.files("dashboard") / "app.py"))
"""The Streamlit entry point, wherever the `dashboard` package is installed."""


def streamlit_command(address: str, port: int) -> list[str]:
    """The `streamlit run` command line: headless, no usage statistics, no development mode,
    and a minimal toolbar (no "Deploy" button, which points at Streamlit's cloud). Flags
    rather than a .streamlit/config.toml, which Streamlit only reads from the working
    directory."""
    return [sys.executable, "-m", "streamlit", "run", str(APP),
            "--server.address", address, "--server.port", str(port),
            "--server.headless", "true", "--browser.gatherUsageStats", "false",
            "--global.developmentMode", "false", "--client.toolbarMode", "minimal"]


@click.command("dashboard")
@click.option("--port", type=int, default=8501, show_default=True,
              help="Port for the dashboard's web server.")
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
    """
    # The app reads its settings from its environment: hand over the global options.
    env = dict(os.environ)
    if obj.backend:
        env["INSIKT_BACKEND"] = obj.backend
    if obj.store_path:
        env["INSIKT_STORE"] = str(Path(obj.store_path).resolve())
    with obj.store() as st:
        if not no_load and st.stats().node_total == 0:
            res = load_dataset(st, seed_dir())
            click.echo(f"The store was empty: loaded '{res.dataset}' ({res.nodes} nodes, "
                       f"{res.relationships} relationships) into {st.describe()}.")
        click.echo(f"Dashboard on http://{address}:{port}/ using {st.describe()}. "
                   "Stop it with Ctrl+C.")
    cmd = streamlit_command(address, port)
    sys.stdout.flush()
    os.execve(cmd[0], cmd, env)
