"""What a load changes, entry by entry, and how several datasets' values make one node.

Pure functions, used by both stores (incremental reloads: write only the delta), by
`insikt diff` / `insikt load --dry-run` (show the delta, write nothing) and by the reference
algorithm `graph.store.apply_graph_data`.

An *entry* is what one dataset says about one node or relationship: its own properties.
Entries are compared by a content hash of those properties (`entry_hash`); a node entry is
keyed by `Label:id` (`graph.model.node_key`), a relationship entry by (type, start key, end
key). When several datasets define the same node, `merge_entries` makes the effective node
by precedence (`PRECEDENCE`), not by load order.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .model import SEARCH_FIELD, GraphData

NodeKey = str
"""`Label:id` (graph.model.node_key)."""
RelKey = tuple[str, str, str]
"""(relationship type, start node key, end node key)."""
Props = dict[str, Any]

PRECEDENCE: dict[str, int] = {"curation": 0, "curated": 1, "register": 2}
"""Whose value wins for a field of a shared node: lower rank wins. Between datasets of the
same rank the one whose id sorts first wins (dataset id order: the same answer whatever
order the datasets were loaded in)."""
DEFAULT_PRECEDENCE = "curated"

_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def dumps(value: Any) -> str:
    """Compact JSON, keys in their given order (the stores keep props as this text)."""
    return _ENCODER.encode(value)


def entry_hash(props: Mapping[str, Any]) -> str:
    """The content hash of one entry's own properties, in their order.

    Hashed from `repr` (stable for the text, number, boolean and list values an entry holds,
    and several times faster than JSON on a large dataset's tens of thousands of entries)."""
    return hashlib.blake2b(repr(props).encode("utf-8"), digest_size=16).hexdigest()


def rank(precedence: str) -> int:
    """The sort rank of a precedence name; an unknown name counts as curated."""
    return PRECEDENCE.get(precedence, PRECEDENCE[DEFAULT_PRECEDENCE])


def rel_key_text(key: RelKey) -> str:
    """A relationship key as one line for people: `TYPE Label:a -> Label:b`."""
    return f"{key[0]} {key[1]} -> {key[2]}"


def data_digest(data: GraphData) -> str:
    """A quick hash of everything a dataset would write, header and records in their order:
    equal to the loaded version's, the dataset is unchanged and its entries need not be
    compared (one `repr` over the records, far cheaper than hashing each entry)."""
    ds = data.dataset
    # `_value_` is the member's plain attribute: `.value` is a descriptor call per record
    text = repr(([ds.id, ds.title, ds.description, ds.version, ds.path, ds.precedence],
                 [(n.label._value_, n.id, n.props) for n in data.nodes],
                 [(r.type._value_, r.start_label._value_, r.start_id, r.end_label._value_,
                   r.end_id, r.props) for r in data.relationships]))
    return hashlib.blake2b(text.encode("utf-8"), digest_size=20).hexdigest()


@dataclass
class Entries:
    """A dataset's entries: own properties per node key and per relationship key (with their
    hashes, computed once)."""

    nodes: dict[NodeKey, Props]
    rels: dict[RelKey, Props]
    _node_hashes: dict[NodeKey, str] | None = field(default=None, repr=False)
    _rel_hashes: dict[RelKey, str] | None = field(default=None, repr=False)

    def node_hashes(self) -> dict[NodeKey, str]:
        if self._node_hashes is None:
            self._node_hashes = {k: entry_hash(p) for k, p in self.nodes.items()}
        return self._node_hashes

    def rel_hashes(self) -> dict[RelKey, str]:
        if self._rel_hashes is None:
            self._rel_hashes = {k: entry_hash(p) for k, p in self.rels.items()}
        return self._rel_hashes

    def digest(self, header: list[Any]) -> str:
        """One hash of the dataset: its header and every entry's key and hash, in key order."""
        lines = [f"n\t{key}\t{value}" for key, value in self.node_hashes().items()]
        lines += [f"r\t{k[0]}\t{k[1]}\t{k[2]}\t{value}" for k, value in self.rel_hashes().items()]
        lines.sort()
        h = hashlib.sha256(dumps(header).encode("utf-8"))
        h.update("\n".join(lines).encode("utf-8"))
        return h.hexdigest()


def entries_of(data: GraphData) -> Entries:
    """The entries of a dataset; a record given twice is merged as dict.update does. The
    records' own property dicts are shared, not copied (a large load holds them once)."""
    nodes: dict[NodeKey, Props] = {}
    for n in data.nodes:
        key = n.label._value_ + ":" + n.id  # graph.model.node_key, without Enum lookups
        prev = nodes.get(key)
        nodes[key] = n.props if prev is None else {**prev, **n.props}
    rels: dict[RelKey, Props] = {}
    for r in data.relationships:
        rkey = (r.type._value_, r.start_label._value_ + ":" + r.start_id,
                r.end_label._value_ + ":" + r.end_id)
        rprev = rels.get(rkey)
        rels[rkey] = r.props if rprev is None else {**rprev, **r.props}
    return Entries(nodes, rels)


@dataclass(frozen=True)
class Change:
    """One entry that a load adds, removes or changes (with the fields that differ)."""

    kind: str  # "node" or "relationship"
    action: str  # "added", "removed" or "changed"
    key: str  # node key, or `rel_key_text`
    fields: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "action": self.action, "key": self.key,
                "fields": list(self.fields)}


@dataclass
class ChangeSet:
    """What loading a dataset would change, relative to what the store holds of it."""

    dataset: str
    added_nodes: list[NodeKey] = field(default_factory=list)
    removed_nodes: list[NodeKey] = field(default_factory=list)
    changed_nodes: list[NodeKey] = field(default_factory=list)
    added_rels: list[RelKey] = field(default_factory=list)
    removed_rels: list[RelKey] = field(default_factory=list)
    changed_rels: list[RelKey] = field(default_factory=list)
    fields: dict[NodeKey | RelKey, tuple[str, ...]] = field(default_factory=dict)
    """Changed field names per changed entry (filled by `name_fields`)."""
    header_changed: bool = False
    """The dataset's header (title, version, precedence …) differs from the loaded one."""

    @property
    def empty(self) -> bool:
        return not (self.added_nodes or self.removed_nodes or self.changed_nodes
                    or self.added_rels or self.removed_rels or self.changed_rels)

    def summary(self) -> dict[str, int]:
        return {"added_nodes": len(self.added_nodes), "removed_nodes": len(self.removed_nodes),
                "changed_nodes": len(self.changed_nodes), "added_relationships": len(self.added_rels),
                "removed_relationships": len(self.removed_rels),
                "changed_relationships": len(self.changed_rels)}

    def changes(self) -> list[Change]:
        """Every entry change, nodes first, each group in key order."""
        out: list[Change] = []
        for action, keys in (("added", self.added_nodes), ("removed", self.removed_nodes),
                             ("changed", self.changed_nodes)):
            out += [Change("node", action, k, self.fields.get(k, ())) for k in sorted(keys)]
        for action, rkeys in (("added", self.added_rels), ("removed", self.removed_rels),
                              ("changed", self.changed_rels)):
            out += [Change("relationship", action, rel_key_text(k), self.fields.get(k, ()))
                    for k in sorted(rkeys)]
        return out

    def as_dict(self, limit: int | None = None) -> dict[str, Any]:
        """JSON-friendly: the dataset, the summary and (up to `limit`) the entry changes."""
        changes = self.changes()
        shown = changes if limit is None else changes[:limit]
        return {"dataset": self.dataset, "summary": self.summary(),
                "header_changed": self.header_changed,
                "changes": [c.as_dict() for c in shown],
                "truncated": len(shown) < len(changes)}


def compute_changes(dataset_id: str, current_nodes: Mapping[NodeKey, str | None],
                    current_rels: Mapping[RelKey, str | None], new: Entries) -> ChangeSet:
    """Compare the stored hashes of a dataset's entries with its new entries.

    A stored hash of None (an entry migrated without its own properties) counts as changed."""
    cs = ChangeSet(dataset_id)
    for key, digest in new.node_hashes().items():
        if key not in current_nodes:
            cs.added_nodes.append(key)
        elif current_nodes[key] != digest:
            cs.changed_nodes.append(key)
    cs.removed_nodes = [k for k in current_nodes if k not in new.nodes]
    for rkey, rdigest in new.rel_hashes().items():
        if rkey not in current_rels:
            cs.added_rels.append(rkey)
        elif current_rels[rkey] != rdigest:
            cs.changed_rels.append(rkey)
    cs.removed_rels = [k for k in current_rels if k not in new.rels]
    return cs


def changed_fields(old: Mapping[str, Any] | None, new: Mapping[str, Any]) -> tuple[str, ...]:
    """The names of the fields whose value differs (added, removed or changed), sorted."""
    old = old or {}
    return tuple(sorted(k for k in {*old, *new} if old.get(k) != new.get(k) or
                        (k in old) != (k in new)))


def name_fields(cs: ChangeSet, new: Entries, old_nodes: Mapping[NodeKey, Props | None],
                old_rels: Mapping[RelKey, Props | None]) -> ChangeSet:
    """Fill `cs.fields` for the changed entries from their old own properties."""
    for key in cs.changed_nodes:
        cs.fields[key] = changed_fields(old_nodes.get(key), new.nodes[key])
    for rkey in cs.changed_rels:
        cs.fields[rkey] = changed_fields(old_rels.get(rkey), new.rels[rkey])
    return cs


@dataclass(frozen=True)
class Merged:
    """The effective properties of a node or relationship, and where each field came from."""

    props: Props
    provenance: dict[str, str]


def merge_entries(entries: Iterable[tuple[str, str, Mapping[str, Any]]]) -> Merged:
    """The effective properties from every dataset's (dataset id, precedence, own props).

    Each field takes the value of the dataset with the best precedence that gives it (ties:
    the lowest dataset id). `search_text` is the union of every dataset's tokens, so an alias
    from one dataset and an English name from another both find the node; its provenance is
    every contributing dataset, comma-separated. Fields are ordered as the winning datasets
    give them, best first."""
    ordered = sorted(entries, key=lambda e: (rank(e[1]), e[0]))
    props: Props = {}
    provenance: dict[str, str] = {}
    tokens: dict[str, None] = {}
    searched: list[str] = []
    for ds, _, own in ordered:
        for name, value in own.items():
            if name == SEARCH_FIELD:
                if isinstance(value, str):
                    tokens.update(dict.fromkeys(value.split()))
                    searched.append(ds)
                if SEARCH_FIELD not in props:
                    props[SEARCH_FIELD] = ""
                continue
            if name not in props:
                props[name] = value
                provenance[name] = ds
    if SEARCH_FIELD in props:
        props[SEARCH_FIELD] = " ".join(tokens)
        provenance[SEARCH_FIELD] = ",".join(searched)
    return Merged(props, provenance)


def split(cs: ChangeSet, size: int) -> list[ChangeSet]:
    """A ChangeSet as parts of at most `size` entries, in the order a store must write them:
    new and changed nodes, then removed relationships, removed nodes, and new and changed
    relationships (whose nodes the earlier parts made)."""
    parts: list[ChangeSet] = []
    for attr in ("added_nodes", "changed_nodes", "removed_rels", "removed_nodes", "added_rels",
                 "changed_rels"):
        keys: list[Any] = getattr(cs, attr)
        for i in range(0, len(keys), size):
            part = ChangeSet(cs.dataset)
            setattr(part, attr, keys[i:i + size])
            parts.append(part)
    return parts
