"""Diff, history and provenance for people: what a folder or package would change before it
is loaded (`insikt diff`, `insikt load --dry-run`), and where each value of a node comes from
(`insikt show`). The change computation itself is graph.changes, shared with the stores."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph.changes import ChangeSet, merge_entries
from graph.errors import NotFound
from graph.model import GraphData, Label
from graph.store import GraphStore

from .dataset import read_dataset
from .seed import dataset_folder


def dataset_data(path: str | Path) -> GraphData:
    """The records that loading `path` would write: a dataset folder, or an insight package
    (`.zip`, read and verified as `insikt package import` reads it). Validation errors are
    raised as for a load; nothing is written."""
    p = Path(path)
    if p.suffix.lower() == ".zip" and p.is_file():
        from .package import package_data

        return package_data(p)[0]
    return read_dataset(dataset_folder(str(path)))


def diff_path(store: GraphStore, path: str | Path) -> ChangeSet:
    """What loading `path` would add, remove and change in `store`, entry by entry: its
    agencies resolved against the store first, as the load resolves them (loaders.resolve),
    so the diff shows the records the load would really write."""
    from .resolve import configured_register, plan, store_agencies

    data = dataset_data(path)
    p = Path(path)
    agencies_file = "agencies.csv" if (p / "agencies.csv").exists() else "agencies.yaml"
    resolved = plan(store_agencies(store), data, agencies_file, str(path),
                    configured_register())
    return store.changes(resolved.data)


def label_of(kind: str) -> Label:
    """A node kind as people type it (`agency`, `life-event`, `LifeEvent` …) as its label."""
    folded = kind.replace("-", "").replace("_", "").lower()
    for label in Label:
        if label.value.lower() == folded:
            return label
    raise NotFound(f"unknown kind '{kind[:40]}': use one of "
                   + ", ".join(_kind(lbl) for lbl in Label))


def _kind(label: Label) -> str:
    """`LifeEvent` → `life-event`."""
    return "".join(f"-{c.lower()}" if c.isupper() and i else c.lower()
                   for i, c in enumerate(label.value))


@dataclass(frozen=True)
class NodeView:
    """A node's effective properties with the dataset each came from, and every dataset's
    own entry (the precedence rule decides; see docs/dataset-format.md)."""

    label: str
    id: str
    properties: dict[str, Any]
    provenance: dict[str, str]
    entries: dict[str, dict[str, Any]]
    precedence: dict[str, str]

    def as_dict(self) -> dict[str, Any]:
        return {"label": self.label, "id": self.id, "datasets": sorted(self.entries),
                "properties": {k: {"value": v, "dataset": self.provenance.get(k, "")}
                               for k, v in self.properties.items()},
                "entries": self.entries, "precedence": self.precedence}


def show_node(store: GraphStore, kind: str, node_id: str) -> NodeView:
    """The node KIND ID with its provenance; NotFound when no dataset defines it."""
    label = label_of(kind)
    entries = store.node_entries(label.value, node_id)
    if not entries:
        raise NotFound(f"no {_kind(label)} '{node_id[:80]}' in the graph (ids are the "
                       "datasets' own: see `insikt query search -p q=...`)")
    merged = merge_entries(entries)
    return NodeView(label.value, node_id, merged.props, merged.provenance,
                    {ds: props for ds, _, props in entries},
                    {ds: prec for ds, prec, _ in entries})
