"""Loading a dataset into a store: validate everything first, write nothing when invalid.

The org-nr rule (one org nr is one Agency node) is checked twice: once before the store is
opened for writing, so a refused load never waits for another load, and again inside the
store's write transaction (`GraphStore.load(check=...)`), so that concurrent loads cannot both
pass it.
"""

from __future__ import annotations

from pathlib import Path

from graph.errors import Problem, ValidationFailed
from graph.model import GraphData, Label
from graph.store import GraphStore, LoadCheck, LoadResult, OrgNrOwners, Progress

from .dataset import read_dataset


def org_nr_problems(known: OrgNrOwners, data: GraphData, agencies_file: str) -> list[Problem]:
    """A dataset agency whose org nr already belongs to another agency id in `known`.

    One organisation must be one node, so instead of guessing we say which id to use.
    """
    dataset_ids = {n.id for n in data.nodes if n.label == Label.AGENCY}
    problems = []
    for node in data.nodes:
        if node.label != Label.AGENCY or "org_nr" not in node.props:
            continue
        owners = known.get(node.props["org_nr"], [])
        if any(i == node.id for i, _ in owners):
            continue
        owners = [(i, ds) for i, ds in owners
                  if i not in dataset_ids and ds != [data.dataset.id]]
        if owners:
            other, datasets = owners[0]
            problems.append(Problem(
                agencies_file, f"'{node.id}'", "org_nr",
                f"org nr {node.props['org_nr']} already belongs to agency '{other}' "
                f"(dataset {', '.join(datasets)})",
                f"use id: {other}, so that both are one agency"))
    return problems


def org_nr_conflicts(store: GraphStore, data: GraphData, agencies_file: str) -> list[Problem]:
    """`org_nr_problems` against what the store holds now (outside any transaction)."""
    return org_nr_problems(store.agencies_by_org_nr(), data, agencies_file)


def org_nr_check(data: GraphData, agencies_file: str, source: str) -> LoadCheck:
    """The org-nr rule as a check that the store runs inside its write transaction."""
    def check(known: OrgNrOwners) -> None:
        problems = org_nr_problems(known, data, agencies_file)
        if problems:
            raise ValidationFailed(problems, source)

    return check


def load_checked(store: GraphStore, data: GraphData, agencies_file: str, source: str,
                 progress: Progress | None = None, *, by: str | None = None) -> LoadResult:
    """Write `data` if the org-nr rule holds, before and inside the write transaction; the
    load's history version names `by` (default: the OS user)."""
    conflicts = org_nr_conflicts(store, data, agencies_file)
    if conflicts:
        raise ValidationFailed(conflicts, source)
    return store.load(data, progress, check=org_nr_check(data, agencies_file, source), by=by)


def load_dataset(store: GraphStore, path: str | Path,
                 progress: Progress | None = None, *, by: str | None = None) -> LoadResult:
    """Validate the dataset at `path`, check it against the store, then write it."""
    data = read_dataset(path)
    agencies_file = "agencies.csv" if (Path(path) / "agencies.csv").exists() else "agencies.yaml"
    return load_checked(store, data, agencies_file, str(path), progress, by=by)
