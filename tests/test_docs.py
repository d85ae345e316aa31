"""Docs test: every CLI command has help text with an example; the README shows the commands."""

from __future__ import annotations

import re

import click

from insikt_cli.main import cli
from tests.conftest import ROOT


def all_commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    """Every command under `group`, lazily loaded ones included (as `insikt CMD` finds them)."""
    out = []
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        cmd = group.get_command(ctx, name)
        assert cmd is not None, name
        full = f"{prefix}{name}"
        out.append((full, cmd))
        if isinstance(cmd, click.Group):
            out.extend(all_commands(cmd, full + " "))
    return out


def test_every_command_has_help_with_example() -> None:
    missing = []
    for name, cmd in all_commands(cli):
        text = cmd.help or ""
        if len(text.strip()) < 20 or "Example" not in text or "insikt " not in text:
            missing.append(name)
        for param in cmd.params:
            if isinstance(param, click.Option) and not param.help:
                missing.append(f"{name} {param.opts[0]}")
    assert not missing, f"commands/options without help text or example: {missing}"


def test_readme_mentions_every_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, _ in all_commands(cli):
        assert f"insikt {name}" in readme, f"README lacks a reference for 'insikt {name}'"


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    blocks = re.findall(r"```(?:sh|bash)\n(.*?)```", readme, flags=re.S)
    assert len(blocks) >= 2, "README must start with its two commands in sh blocks"
    test_command = blocks[1].strip().splitlines()[-1].strip()
    assert test_command in ci.splitlines(), f"'.ci/run' must call '{test_command}' unchanged"


def test_every_saved_query_has_help_and_is_documented() -> None:
    from queries.catalog import all_queries

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for q in all_queries():
        assert q.title_sv and q.title_en, q.name
        assert len(q.description.split()) >= 8, f"{q.name}: describe what it answers"
        assert all(len(p.help.split()) >= 2 for p in q.params), f"{q.name}: parameter help"
        assert all(p.name in q.example for p in q.params if p.required), \
            f"{q.name}: the example must give every required parameter"
        assert f"`{q.name}`" in readme, f"README lacks the saved query '{q.name}'"
