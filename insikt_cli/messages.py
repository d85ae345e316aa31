"""The words the CLI prints itself, in one catalog, so that a later session can translate them.

Library errors bring their own text (the `InsiktError` family); the CLI only adds the frame
("Error: …") and the exit code. Everything else a command says to people is a key here:
`say("key", name=value)` fills the placeholders (str.format), `count(n, "key")` picks the
singular or plural form. The exit codes in the help come from the error classes themselves
(`graph.errors.exit_codes`); `EXIT_MEANINGS` gives each one its words.
"""

from __future__ import annotations

from typing import Any

from graph.errors import exit_codes

MESSAGES: dict[str, str] = {
    # the frame around library errors
    "error": "Error: {error}",
    "warning": "Warning: {warning}",
    "nothing_written": "{source}: {problems}; nothing was written.",
    "problems.one": "{n} problem",
    "problems.many": "{n} problems",
    "rows.one": "({n} row)",
    "rows.many": "({n} rows)",
    # validate, load, unload
    "invalid": "{path}: {problems}",
    "valid": "{path}: valid",
    "loaded": "Loaded dataset '{dataset}' into {where}: {nodes} nodes, {relationships} "
              "relationships in {seconds:.2f} s.",
    "unloaded": "Unloaded '{dataset}': removed {nodes} nodes and {relationships} relationships.",
    "progress": "{label}: {stage} ({total})",
    "dry_run": "Dry run: nothing was written.",
    # diff, history, show
    "diff.summary": "Dataset '{dataset}': {added_nodes} nodes added, {removed_nodes} removed, "
                    "{changed_nodes} changed; {added_relationships} relationships added, "
                    "{removed_relationships} removed, {changed_relationships} changed.",
    "diff.none": "Nothing would change.",
    "diff.header_only": "Only the dataset's header (title, version, path or precedence) differs.",
    "diff.more": "  … and {n} more (see --format json)",
    "history.none": "No loads recorded.",
    "history.col.version": "version",
    "history.col.dataset": "dataset",
    "history.col.action": "action",
    "history.col.at": "at",
    "history.col.by": "by",
    "history.col.nodes": "nodes",
    "history.col.relationships": "rels",
    "history.col.added": "added",
    "history.col.removed": "removed",
    "history.col.changed": "changed",
    "history.col.hash": "hash",
    "show.head": "{label} {id} (datasets: {datasets})",
    "progress_done": "{label}: {stage} {done}/{total}",
    # datasets, stats, export, register
    "no_datasets": "No datasets loaded. Try: insikt load seed_data",
    "col.id": "id",
    "col.nodes": "nodes",
    "col.rels": "rels",
    "col.loaded_at": "loaded at",
    "col.title": "title",
    "col.label": "label",
    "col.type": "type",
    "col.count": "count",
    "col.name": "name",
    "col.runs_on": "runs on",
    "col.from": "from",
    "stats.nodes": "Nodes ({n})",
    "stats.relationships": "Relationships ({n})",
    "wrote": "Wrote {path}",
    "what.register": "the agency register (esv.json)",
    # queries, query
    "runs_on.both": "embedded, neo4j",
    "runs_on.neo4j": "neo4j only",
    "origin.builtin": "built in",
    "origin.library": "queries/library",
    "origin.user": "your folder",
    "query.file": "File: {path}",
    "query.runs_on": "Runs on: {where}",
    "query.params": "Parameters:",
    "query.no_params": "Parameters: none",
    "query.param": "-p {name}=<{type}>  {help} ({need})",
    "query.required": "required",
    "query.default": "default {default}",
    "query.no_default": "optional",
    "query.choices": "{label} id",
    "query.range": "from {minimum} to {maximum}",
    "query.at_least": "at least {minimum}",
    "query.at_most": "at most {maximum}",
    "query.example": "Example: insikt query {name}{params}",
    "query.cypher": "Cypher:",
    "query.problem": "{problem}",
    "query.left_out": "{problem} (the file was left out of the catalog)",
    "query.truncated": "{message}",
    "param_format": "parameter '{item}' must look like key=value, e.g. -p {example}",
    # dashboard
    "dashboard.loaded_seed": "The store was empty: loaded '{dataset}' ({nodes} nodes, "
                             "{relationships} relationships) into {where}.",
    "dashboard.on": "Dashboard on http://{address}:{port}/ using {where}. Stop it with Ctrl+C.",
    "dashboard.port_busy": "Port {port} on {address} is already in use (another dashboard, or "
                           "another server?). Choose another port with --port {suggestion}, or "
                           "--port 0 to take any free one.",
    "dashboard.bad_address": "Cannot listen on {address}:{port}: {reason}. Check --address "
                             "(e.g. 127.0.0.1) and --port.",
    # the help's epilog
    "epilog": "Docs: README.md and docs/dataset-format.md. Exit codes: {codes}.",
}

EXIT_MEANINGS: dict[int, str] = {
    0: "ok",
    1: "other error",
    2: "invalid data, setting or option",
    3: "backend unreachable",
    4: "query refused",
    5: "query failed",
    6: "not found",
}
"""The words for each exit code; the codes themselves are the error classes' `exit_code`."""


def say(key: str, **values: Any) -> str:
    """The message `key` with its placeholders filled."""
    return MESSAGES[key].format(**values)


def count(n: int, key: str) -> str:
    """'1 problem' or '3 problems': the singular or plural form of `key` (key.one/key.many)."""
    return say(f"{key}.one" if n == 1 else f"{key}.many", n=n)


def exit_code_text() -> str:
    """'0 ok, 1 other error, 2 …': every exit code the error classes define, with its words
    (a code without words here is described by its first error class's docstring)."""
    codes = exit_codes()
    parts = [f"0 {EXIT_MEANINGS[0]}"]
    for code, classes in sorted(codes.items()):
        words = EXIT_MEANINGS.get(code) or (classes[0].__doc__ or classes[0].__name__) \
            .strip().splitlines()[0].rstrip(".")
        parts.append(f"{code} {words}")
    return ", ".join(parts)


def epilog() -> str:
    return say("epilog", codes=exit_code_text())
