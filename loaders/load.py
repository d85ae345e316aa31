"""Loading a dataset into a store: validate everything first, write nothing when invalid."""

from __future__ import annotations

from pathlib import Path

from graph.errors import Problem, ValidationFailed
from graph.model import GraphData, Label
from graph.store import GraphStore, LoadResult, Progress

from .dataset import read_dataset


def org_nr_conflicts(store: GraphStore, data: GraphData, agencies_file: str) -> list[Problem]:
    """A dataset agency whose org nr already belongs to another agency id in the store.

    One organisation must be one node, so instead of guessing we say which id to use.
    """
    known = store.agencies_by_org_nr()
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


def load_dataset(store: GraphStore, path: str | Path,
                 progress: Progress | None = None) -> LoadResult:
    """Validate the dataset at `path`, check it against the store, then write it."""
    data = read_dataset(path)
    agencies_file = "agencies.csv" if (Path(path) / "agencies.csv").exists() else "agencies.yaml"
    conflicts = org_nr_conflicts(store, data, agencies_file)
    if conflicts:
        raise ValidationFailed(conflicts, str(path))
    return store.load(data, progress)
