"""Loading a dataset into a store: validate everything first, write nothing when invalid.

Every agency of the dataset is resolved to one Agency node first (`loaders.resolve`: by org
nr, name, short name or alias; ambiguous or conflicting matches are refused). The org-nr rule
(one org nr is one Agency node) is then checked again inside the store's write transaction
(`GraphStore.load(check=...)`), so that concurrent loads cannot both pass it: when a rival
load changed the agencies since the resolution, the load resolves again (`ATTEMPTS` times)
and then refuses with a hint to retry. `strict` keeps the rule as a plain refusal that names
the id to use (checked before the write, so a refused load never waits, and inside it).
"""

from __future__ import annotations

from pathlib import Path

from graph.errors import Problem, StoreError, ValidationFailed
from graph.model import GraphData, Label
from graph.store import GraphStore, LoadCheck, OrgNrOwners, Progress

from .curation import rebuild_curation, refuse_reserved_id
from .dataset import read_dataset
from .resolve import ResolvedLoad, configured_register, plan, store_agencies, with_resolutions

ATTEMPTS = 3
"""How often a load resolves again when a concurrent load changed the agencies meanwhile."""


class ResolutionChanged(StoreError):
    """Inside the write transaction, the org nrs differ from those the resolution saw."""


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


def org_nr_check(data: GraphData, agencies_file: str, source: str) -> LoadCheck:
    """The org-nr rule as a refusal (`--strict`), run inside the write transaction."""
    def check(known: OrgNrOwners) -> None:
        problems = org_nr_problems(known, data, agencies_file)
        if problems:
            raise ValidationFailed(problems, source)

    return check


def resolved_check(data: GraphData, agencies_file: str, source: str) -> LoadCheck:
    """Inside the write transaction: the resolved dataset still keeps the org-nr rule on the
    org nrs as they are now, else a rival load changed them since the resolution."""
    def check(known: OrgNrOwners) -> None:
        problems = org_nr_problems(known, data, agencies_file)
        if problems:
            raise ResolutionChanged(
                f"{source}: another load changed the agencies while this one was resolved ("
                + "; ".join(p.message for p in problems) + "); nothing was written")

    return check


def load_checked(store: GraphStore, data: GraphData, agencies_file: str, source: str,
                  progress: Progress | None = None, *, strict: bool = False,
                  register_path: Path | None = None, by: str | None = None) -> ResolvedLoad:
    """Resolve the dataset's agencies (or, `strict`, refuse any org nr of another id), then
    write it with the org-nr rule re-checked inside the write transaction; afterwards the
    curators' decisions are laid over the insights there are now, and the agency–problem
    projection is brought up to date. The load's history version names `by` (default: the
    OS user)."""
    refuse_reserved_id(data, source)
    if strict:
        conflicts = org_nr_conflicts(store, data, agencies_file)
        if conflicts:
            raise ValidationFailed(conflicts, source)
        result = store.load(data, progress, check=org_nr_check(data, agencies_file, source),
                            by=by)
        after_write(store)
        return with_resolutions(result, [])
    register = register_path if register_path is not None else configured_register()
    last: ResolutionChanged | None = None
    for _ in range(ATTEMPTS):
        p = plan(store_agencies(store), data, agencies_file, source, register)
        try:
            result = store.load(p.data, progress,
                                check=resolved_check(p.data, agencies_file, source), by=by)
        except ResolutionChanged as exc:
            last = exc
            continue
        after_write(store)
        return with_resolutions(result, p.resolutions)
    raise StoreError(f"{last}; tried {ATTEMPTS} times while other loads were running: "
                     "run the load again")


def after_write(store: GraphStore) -> None:
    """What every load ends with: the curation dataset rebuilt over the insights there are now,
    then the projection brought up to date, once: a rebuild that wrote has refreshed it
    already (on Neo4j a refresh reads the whole overlap again)."""
    if rebuild_curation(store).result is None:
        refresh_projection(store)


def refresh_projection(store: GraphStore) -> None:
    """Bring the agency–problem projection (graph.projection) up to date after a write: every
    load and unload, and a curation decision, end with it."""
    store.refresh_projection()


def org_nr_conflicts(store: GraphStore, data: GraphData, agencies_file: str) -> list[Problem]:
    """`org_nr_problems` against what the store holds now (outside any transaction)."""
    return org_nr_problems(store.agencies_by_org_nr(), data, agencies_file)


def load_dataset(store: GraphStore, path: str | Path, progress: Progress | None = None, *,
                 strict: bool = False, by: str | None = None) -> ResolvedLoad:
    """Validate the dataset at `path`, resolve its agencies against the store, then write it."""
    data = read_dataset(path)
    agencies_file = "agencies.csv" if (Path(path) / "agencies.csv").exists() else "agencies.yaml"
    return load_checked(store, data, agencies_file, str(path), progress, strict=strict, by=by)
