"""A click group that imports a command's module only when that command is used.

`insikt --help` lists every command by name and short help from a small table, so it
imports none of them; `insikt CMD …` (or `insikt CMD --help`) imports CMD's module alone.
Together with the command modules importing the library inside their functions, this keeps
start-up at a bare Python start plus click (tests/insikt_cli/test_fast_cli.py checks which
modules `--help` imports).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

import click


@dataclass(frozen=True)
class LazyCommand:
    """Where a command lives (`module:attribute`) and the short help shown in the listing
    (the first sentence of its help; a test checks that the two agree)."""

    target: str
    short_help: str

    def load(self) -> click.Command:
        module, _, attr = self.target.partition(":")
        cmd = getattr(importlib.import_module(module), attr)
        if not isinstance(cmd, click.Command):
            raise TypeError(f"{self.target} is not a click command")
        return cmd


class LazyGroup(click.Group):
    """A group whose commands are partly named in `lazy` and imported on first use."""

    def __init__(self, *args: Any, lazy: dict[str, LazyCommand] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy: dict[str, LazyCommand] = dict(lazy or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy:
            self.add_command(self.lazy[cmd_name].load(), cmd_name)
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The listing, as click writes it, but lazy commands' help comes from the table."""
        names = [n for n in self.list_commands(ctx)
                 if n in self.lazy or not self.commands[n].hidden]
        if not names:
            return
        limit = formatter.width - 6 - max(len(n) for n in names)
        rows = []
        for name in names:
            loaded = self.commands.get(name)
            # A stand-in command shortens the table's text the way click shortens help.
            shown = loaded or click.Command(name, help=self.lazy[name].short_help)
            text = shown.get_short_help_str(limit)
            rows.append((name, text))
        with formatter.section("Commands"):
            formatter.write_dl(rows)
