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
    "resolved": "Agencies of '{dataset}' ({n}), as resolved to the graph's nodes:",
    "col.local_id": "dataset id",
    "col.agency_id": "agency",
    "col.how": "resolved by",
    "col.origin": "from",
    "col.matched": "matched",
    "how.org nr": "org nr",
    "how.name": "name",
    "how.short name": "short name",
    "how.alias": "alias",
    "how.same id": "same id",
    "how.new": "new",
    "strict_help": "Refuse an agency whose org nr belongs to another id, as before agency "
                   "resolution (no matching by org nr, name or alias).",
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
    # similar, communities, packages
    "similar.summary": "({shown} of {pairs} pairs that share something; {agencies} agencies "
                       "report insights)",
    "communities.summary": "(modularity {modularity:.4f}; {agencies} agencies; seed {seed})",
    "note_in_parens": "({note})",
    "package.wrote": "Wrote package '{package}' to {path}: {nodes}.",
    "package.note": "  note: {note}",
    "package.loaded": "Loaded package '{package}' ({title}, created {created} by {tool}) as "
                      "dataset '{package}': {nodes} nodes, {relationships} relationships.",
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
    "query.page": "showing {shown} of {total} (rows {first}–{last}; -p offset=N -p limit=N "
                  "for other pages)",
    "param_format": "parameter '{item}' must look like key=value, e.g. -p {example}",
    # neo4j start (--load), card
    "neo4j.starting": "Starting the local Neo4j (the first start builds it with Maven and can "
                      "take a few minutes) ...",
    "neo4j.loading": "Loading '{id}' from {path} ...",
    "neo4j.loaded": "Loaded '{id}' ({kind}) into Neo4j: {nodes} nodes, {relationships} "
                    "relationships.",
    "neo4j.nothing_to_load": "The embedded store holds no datasets: nothing was loaded.",
    "neo4j.export_intro": "To use it, export:",
    "neo4j.password_hint": "  (and NEO4J_PASSWORD, if it is not set already; "
                           "--show-password prints it)",
    "card.wrote": "Wrote the card of '{id}' to {path}",
    # dashboard
    "dashboard.loaded_seed": "The store was empty: loaded '{dataset}' ({nodes} nodes, "
                             "{relationships} relationships) into {where}.",
    "dashboard.on": "Dashboard on http://{address}:{port}/ using {where}. Stop it with Ctrl+C.",
    "dashboard.port_busy": "Port {port} on {address} is already in use (another dashboard, or "
                           "another server?). Choose another port with --port {suggestion}, or "
                           "--port 0 to take any free one.",
    "dashboard.bad_address": "Cannot listen on {address}:{port}: {reason}. Check --address "
                             "(e.g. 127.0.0.1) and --port.",
    # match, review
    "match.wrote": "Wrote {n} proposals to {path}: set each decision to same, related or "
                   "different, then run insikt match --apply {path}",
    "match.applied": "Recorded {n} decisions from {file}.",
    "review.none": "No insights with status '{status}'.",
    "review.accept": "Accepted '{insight}' (by {by}, {at}).",
    "review.merge": "Merged '{insight}' into '{into}' (by {by}, {at}).",
    "review.reject": "Rejected '{insight}' (by {by}, {at}).",
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
