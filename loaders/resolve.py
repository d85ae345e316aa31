"""Agency resolution: each agency of an incoming dataset becomes one Agency node of the graph.

Contributors do not know each other's ids. A dataset that calls Kronofogden `kronofogden`
with its correct org nr means the node the seed calls `kronofogdemyndigheten`; refusing it
(as the loader once did) makes every contributor learn every other dataset's ids first. So
each incoming agency is resolved, in this order:

1. by org nr: the Agency node in the graph that has it, else the entry of ESV's register
   (setting `INSIKT_REGISTER`) that has it, under the register's id (the slug of its name,
   as `insikt import-register` would create it). The names must agree: one of the entry's
   names (name, short name, English name, aliases) must be one of the node's or one the
   register lists for that org nr (names, short names, old names). Otherwise the org nr is
   probably wrong, and the load is refused (a *conflict*).
2. by name: the entry's names (name, short name, English name, aliases) against the nodes'
   (and the register's) names, short names and aliases (with English and old names), folded
   for case and accents (`graph.ids.fold`). The candidate that matches the most of the
   entry's names wins, then the one matched in the strongest tier (name, then short name,
   then alias); a tie is *ambiguous* and refused. A name match whose org nr differs from
   the entry's is a conflict (two org nrs under one name); by short name or alias alone it
   means another organisation (short names repeat), and that candidate is left out.
3. by id: an Agency node with the entry's own id (today's rule: same id, same node).
4. new: the entry keeps its id.

Nodes that only the incoming dataset defines are left out of the candidates (a reload
resolves as the first load did). The dataset keeps its own ids: its references are rewritten
to the resolved node ids, and for every id that changed the dataset gets an alias record,
`(:AgencyAlias {id: "alias:<dataset>:<local id>", dataset_id, local_id, resolved_by})
-[:ALIAS_OF]->(:Agency)`, inside its own GraphData, so reload and unload handle the alias
table like the rest of the dataset. An entry aliased onto a node that other datasets define
keeps that node's names and org nr (`keep_identity`); its own names join the aliases. Saved
queries map an alias to its node before they run
(`queries.catalog.resolve_agency_id`), so `pm` and `pensionsmyndigheten` answer the same.

The org-nr rule (one org nr, one node) is re-checked inside the store's write transaction
(`GraphStore.load(check=...)`) on the org nrs as they are then: if a concurrent load changed
them since the resolution, the resolution is done again (a few times), then refused with a
hint to retry. `strict` keeps the old behaviour: no resolution, a refusal that names the id to
use.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from graph.cypher import AGENCY_RECORDS
from graph.errors import Problem, ValidationFailed
from graph.ids import fold, org_nr_problem, slugify
from graph.model import SEARCH_FIELD, GraphData, Label, NodeRecord, Rel, RelRecord, search_text
from graph.settings import env_var, get_settings
from graph.store import GraphStore, LoadResult
from graph.walk import agency_records

from .register import read_register

HOW_ORG_NR = "org nr"
HOW_NAME = "name"
HOW_SHORT_NAME = "short name"
HOW_ALIAS = "alias"
HOW_ID = "same id"
HOW_NEW = "new"
TIERS = (HOW_NAME, HOW_SHORT_NAME, HOW_ALIAS)


@dataclass(frozen=True)
class Resolution:
    """How one agency of a dataset was resolved: its own id, the node id it became, how
    (org nr / name / short name / alias / same id / new), where the match came from
    ("graph" or "register") and what matched (the org nr or the name)."""

    local_id: str
    agency_id: str
    how: str
    origin: str = ""
    matched: str = ""
    name: str = ""

    @property
    def aliased(self) -> bool:
        """Whether the dataset's id differs from the node's (an alias record is stored)."""
        return self.local_id != self.agency_id

    def describe(self) -> str:
        """One line for people, e.g. "kronofogden → kronofogdemyndigheten (by org nr …)"."""
        if self.how == HOW_NEW:
            return f"{self.local_id}: new agency"
        via = f" in the {self.origin}" if self.origin else ""
        what = f" {self.matched}" if self.matched else ""
        return f"{self.local_id} → {self.agency_id} (by {self.how}{what}{via})"


@dataclass(frozen=True)
class ResolvedLoad(LoadResult):
    """A LoadResult with the agency resolution table (for the CLI and the dashboard)."""

    resolutions: tuple[Resolution, ...] = ()


def with_resolutions(result: LoadResult, resolutions: Sequence[Resolution]) -> ResolvedLoad:
    return ResolvedLoad(result.dataset, result.nodes, result.relationships,
                        result.removed_nodes, result.removed_relationships, result.seconds,
                        result.changes, tuple(resolutions))


def resolution_rows(resolutions: Iterable[Resolution]) -> list[dict[str, str]]:
    """The resolution table as rows (columns: local_id, agency_id, how, origin, matched)."""
    return [{"local_id": r.local_id, "agency_id": r.agency_id, "how": r.how,
             "origin": r.origin, "matched": r.matched} for r in resolutions]


# -- candidates ---------------------------------------------------------------------------

def _key(text: Any) -> str:
    return fold(" ".join(str(text).split())) if isinstance(text, str) else ""


def _texts(*values: Any) -> list[str]:
    out: list[str] = []
    for v in values:
        if isinstance(v, str):
            out.append(v)
        elif isinstance(v, list | tuple):
            out.extend(str(x) for x in v if isinstance(x, str))
    return [t for t in out if t.strip()]


@dataclass
class Candidate:
    """An agency that an incoming one may resolve to: a node of the graph, or a register
    entry not yet in the graph. Names are kept folded, per tier."""

    id: str
    origin: str  # "graph" or "register"
    name: str
    org_nr: str | None
    datasets: tuple[str, ...] = ()
    tiers: dict[str, set[str]] = field(default_factory=dict)
    record: dict[str, Any] = field(default_factory=dict)
    """A graph node's names and org nr as the store has them (AGENCY_RECORD_FIELDS)."""

    def add(self, tier: str, texts: Iterable[str]) -> None:
        self.tiers.setdefault(tier, set()).update(k for k in map(_key, texts) if k)

    def all_names(self) -> set[str]:
        return set().union(*self.tiers.values()) if self.tiers else set()


@dataclass
class AgencyIndex:
    """Every candidate by id, by org nr and by folded name per tier."""

    candidates: dict[str, Candidate] = field(default_factory=dict)
    by_org_nr: dict[str, list[str]] = field(default_factory=dict)
    by_name: dict[str, dict[str, set[str]]] = field(default_factory=dict)

    def finish(self) -> AgencyIndex:
        self.by_org_nr.clear()
        self.by_name.clear()
        for c in self.candidates.values():
            if c.org_nr:
                self.by_org_nr.setdefault(c.org_nr, []).append(c.id)
            for tier, keys in c.tiers.items():
                for k in keys:
                    self.by_name.setdefault(tier, {}).setdefault(k, set()).add(c.id)
        return self

    def match_name(self, texts: Iterable[str], org_nr: str | None = None,
                   ) -> tuple[str, list[Candidate]]:
        """The candidates that best explain `texts` (an entry's names): the most of its
        names matched, then the strongest tier matched (name, short name, alias). Returns
        that tier and the best candidates (several: ambiguous; none: no match). With the
        entry's `org_nr`, a candidate of another org nr matched only by short name or alias
        is another organisation (short names repeat: RFV is two agencies) and left out."""
        keys = {k for k in map(_key, texts) if k}
        score: dict[str, tuple[int, int]] = {}
        for cid in {c for tier in TIERS for k in keys
                    for c in self.by_name.get(tier, {}).get(k, ())}:
            c = self.candidates[cid]
            names = c.all_names()
            best = min(i for i, tier in enumerate(TIERS) if keys & c.tiers.get(tier, set()))
            if org_nr and c.org_nr and c.org_nr != org_nr and TIERS[best] != HOW_NAME:
                continue
            score[cid] = (-len(keys & names), best)
        if not score:
            return "", []
        top = min(score.values())
        return TIERS[top[1]], [self.candidates[c] for c in sorted(score) if score[c] == top]

_register_cache: dict[tuple[str, int, int], dict[str, dict[str, Any]]] = {}


def _register(path: Path, where: str) -> dict[str, dict[str, Any]]:
    """The register, read once per file version (every load consults it)."""
    try:
        st = os.stat(path)
        key = (str(path), st.st_mtime_ns, st.st_size)
    except OSError:
        return read_register(path, where)  # its own clear error
    if key not in _register_cache:
        _register_cache.clear()
        _register_cache[key] = read_register(path, where)
    return _register_cache[key]


def store_agencies(store: GraphStore) -> list[dict[str, Any]]:
    """Every Agency node's names, org nr and datasets (graph.walk.AGENCY_RECORD_FIELDS)."""
    if store.runs_cypher:
        _, rows, _ = store.run_read(AGENCY_RECORDS, timeout=60.0)
        return rows
    return agency_records(store.to_networkx())


def build_index(agencies: Iterable[dict[str, Any]], dataset_id: str,
                register_path: Path | None = None) -> AgencyIndex:
    """Candidates from the graph's agencies (leaving out those only `dataset_id` defines)
    and, with a register, from its entries; a register entry whose org nr a graph node has
    lends that node its names and old names (the names the register lists as aliases)."""
    index = AgencyIndex()
    for a in agencies:
        datasets = tuple(a.get("datasets") or ())
        if datasets and set(datasets) <= {dataset_id}:
            continue
        c = Candidate(str(a["id"]), "graph", str(a.get("name") or a["id"]),
                      a.get("org_nr") or None, datasets, record=dict(a))
        c.add(HOW_NAME, _texts(a.get("name")))
        c.add(HOW_SHORT_NAME, _texts(a.get("short_name")))
        c.add(HOW_ALIAS, _texts(a.get("aliases"), a.get("name_en")))
        index.candidates[c.id] = c
    if register_path is not None:
        graph_by_nr: dict[str, list[str]] = {}
        for c in index.candidates.values():
            if c.org_nr:
                graph_by_nr.setdefault(c.org_nr, []).append(c.id)
        setting = f" (set in {env_var('register_path')})"
        for name, item in sorted(_register(register_path, setting).items()):
            nr = item.get("org_nr") or None
            if nr and org_nr_problem(nr):
                nr = None
            old = [o.replace("_x000D_", "").strip() for o in item.get("old_names") or []]
            en = (item.get("name_en") or "").strip()
            en = "" if en == "?" else en
            owners = graph_by_nr.get(nr, []) if nr else []
            if len(owners) == 1:  # the graph's node: the register's names are its aliases
                target = index.candidates[owners[0]]
                target.add(HOW_ALIAS, _texts(name, item.get("short_name"), old, en))
                continue
            node_id = slugify(name)
            if node_id in index.candidates or not node_id:
                continue  # the graph's node of that id wins
            c = Candidate(node_id, "register", name, nr)
            c.add(HOW_NAME, [name])
            c.add(HOW_SHORT_NAME, _texts(item.get("short_name")))
            c.add(HOW_ALIAS, _texts(old, en))
            index.candidates[c.id] = c
    return index.finish()


# -- resolving a dataset ------------------------------------------------------------------

def _incoming_names(props: dict[str, Any]) -> list[str]:
    return _texts(props.get("name"), props.get("short_name"), props.get("name_en"),
                  props.get("aliases"))


def _label(c: Candidate) -> str:
    nr = f", org nr {c.org_nr}" if c.org_nr else ""
    return f"'{c.id}' ({c.name}{nr}, {'register' if c.origin == 'register' else 'in the graph'})"


def resolve_agency(index: AgencyIndex, node: NodeRecord, agencies_file: str,
                   ) -> Resolution | Problem:
    """One incoming agency: its Resolution, or the Problem (ambiguous or conflicting)."""
    props = node.props
    entry = f"'{node.id}'"
    names = _incoming_names(props)
    keys = {_key(t) for t in names}
    nr = props.get("org_nr") or None
    shown = props.get("name") or node.id
    if nr and nr in index.by_org_nr:
        found = [index.candidates[i] for i in index.by_org_nr[nr]]
        fitting = [c for c in found if keys & c.all_names()] or (
            found if not keys else [])
        if len(fitting) == 1:
            c = fitting[0]
            return Resolution(node.id, c.id, HOW_ORG_NR, c.origin, nr, c.name)
        if not fitting and len(found) == 1:
            c = found[0]
            return Problem(
                agencies_file, entry, "org_nr",
                f"org nr {nr} belongs to agency {_label(c)}, which does not go by the name "
                f"'{shown}' (conflict)",
                f"if it is the same agency, list its name among the entry's aliases "
                f"(aliases: [{c.name}]) or use id: {c.id}; else correct the org nr")
        return Problem(
            agencies_file, entry, "org_nr",
            f"org nr {nr} fits several agencies: "
            + "; ".join(_label(c) for c in (fitting or found)) + " (ambiguous)",
            "give the entry the name of one of them, or use its id")
    tier, found = index.match_name(names, nr)
    if len(found) > 1:
        return Problem(
            agencies_file, entry, "name",
            f"'{shown}' fits several agencies by {tier}: "
            + "; ".join(_label(c) for c in found) + " (ambiguous)",
            "add the agency's org nr (org_nr: NNNNNN-NNNN) to say which one, or use its id")
    if found:
        c = found[0]
        if nr and c.org_nr and c.org_nr != nr:
            return Problem(
                agencies_file, entry, "org_nr",
                f"'{shown}' is the name of agency {_label(c)}, but this entry gives org nr "
                f"{nr} (conflict: two org nrs under one name)",
                f"correct the org nr (the register and the graph say {c.org_nr}), or give "
                "the entry a name of its own if it is another organisation")
        matched = next((t for t in names if _key(t) in c.tiers.get(tier, set())), "")
        return Resolution(node.id, c.id, tier, c.origin, matched, c.name)
    same = index.candidates.get(node.id)
    if same is not None and same.origin == "graph":
        if nr and same.org_nr and same.org_nr != nr:
            return Problem(
                agencies_file, entry, "org_nr",
                f"agency '{node.id}' is already in the graph with org nr {same.org_nr}, not "
                f"{nr} (conflict)", "correct the org nr, or give the entry another id")
        return Resolution(node.id, node.id, HOW_ID, "graph", node.id, same.name)
    return Resolution(node.id, node.id, HOW_NEW, name=str(shown))


@dataclass(frozen=True)
class Plan:
    """A dataset with its agencies resolved: the data to write and the resolution table."""

    data: GraphData
    resolutions: tuple[Resolution, ...]


def alias_id(dataset_id: str, local_id: str) -> str:
    """The id of the alias record of a dataset's own agency id."""
    return f"alias:{dataset_id}:{local_id}"


IDENTITY_FIELDS = ("name", "short_name", "name_en", "org_nr")


def keep_identity(props: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """An aliased entry's properties on a node that other datasets define: the node keeps
    its name, short name, English name and org nr (else each load would rename it, and the
    next resolution would see the dataset's own names), and the entry's other names join
    its aliases, so that search finds the node by them too."""
    out = dict(props)
    extra: list[str] = []
    for f in IDENTITY_FIELDS:
        if node.get(f) not in (None, "", []):
            if f != "org_nr" and isinstance(props.get(f), str) and props[f] != node[f]:
                extra.append(props[f])
            out[f] = node[f]
    names = {_key(node.get(f)) for f in IDENTITY_FIELDS if f != "org_nr"}
    aliases = list(dict.fromkeys(_texts(node.get("aliases"), props.get("aliases"), extra)))
    aliases = [a for a in aliases if _key(a) not in names]
    if aliases:
        out["aliases"] = aliases
    return out


def rewrite(data: GraphData, resolutions: Sequence[Resolution],
            nodes_now: dict[str, dict[str, Any]] | None = None) -> GraphData:
    """The dataset with every agency reference on its resolved node id, plus its alias
    records (one per agency whose id changed). An aliased agency onto a node in the graph
    (`nodes_now`: id → its record) keeps the node's identity (`keep_identity`)."""
    nodes_now = nodes_now or {}
    mapping = {r.local_id: r.agency_id for r in resolutions if r.aliased}
    if not mapping:
        return data
    ds = data.dataset.id
    nodes: list[NodeRecord] = []
    for n in data.nodes:
        if n.label == Label.AGENCY and n.id in mapping:
            new_id = mapping[n.id]
            props = (keep_identity(n.props, nodes_now[new_id]) if new_id in nodes_now
                     else dict(n.props))
            if SEARCH_FIELD in props:
                props.pop(SEARCH_FIELD)
                props[SEARCH_FIELD] = search_text(Label.AGENCY, props, new_id)
            nodes.append(NodeRecord(Label.AGENCY, new_id, props))
        else:
            nodes.append(n)
    rels: list[RelRecord] = []
    for r in data.relationships:
        start = mapping.get(r.start_id, r.start_id) if r.start_label == Label.AGENCY else r.start_id
        end = mapping.get(r.end_id, r.end_id) if r.end_label == Label.AGENCY else r.end_id
        rels.append(r if (start, end) == (r.start_id, r.end_id) else
                    replace(r, start_id=start, end_id=end))
    by_local = {r.local_id: r for r in resolutions}
    for local, target in sorted(mapping.items()):
        aid = alias_id(ds, local)
        nodes.append(NodeRecord(Label.AGENCY_ALIAS, aid, {
            "dataset_id": ds, "local_id": local, "resolved_by": by_local[local].how}))
        rels.append(RelRecord(Rel.ALIAS_OF, Label.AGENCY_ALIAS, aid, Label.AGENCY, target))
    return GraphData(data.dataset, nodes, rels)


def plan(agencies: Iterable[dict[str, Any]], data: GraphData, agencies_file: str, source: str,
         register_path: Path | None = None) -> Plan:
    """Resolve every agency of `data` against `agencies` (and the register), or raise
    ValidationFailed with every ambiguous or conflicting one (nothing is written)."""
    index = build_index(agencies, data.dataset.id, register_path)
    resolutions: list[Resolution] = []
    problems: list[Problem] = []
    taken: dict[str, str] = {}
    incoming = [n for n in data.nodes if n.label == Label.AGENCY]
    own_ids = {n.id for n in incoming}
    for node in incoming:
        got = resolve_agency(index, node, agencies_file)
        if isinstance(got, Problem):
            problems.append(got)
            continue
        other = taken.get(got.agency_id)
        if other is None and got.aliased and got.agency_id in own_ids:
            other = got.agency_id  # the dataset has an entry of that id of its own
        if other is not None and other != node.id:
            problems.append(Problem(
                agencies_file, f"'{node.id}'", "id",
                f"resolves to agency '{got.agency_id}' (by {got.how}), as does entry "
                f"'{other}' of this dataset",
                "one organisation is one agency: merge the two entries"))
            continue
        taken[got.agency_id] = node.id
        resolutions.append(got)
    if problems:
        raise ValidationFailed(problems, source)
    nodes_now = {r.agency_id: index.candidates[r.agency_id].record for r in resolutions
                 if r.aliased and r.origin == "graph"}
    return Plan(rewrite(data, resolutions, nodes_now), tuple(resolutions))


def configured_register() -> Path | None:
    """The register that resolution consults: the setting INSIKT_REGISTER, when it names a
    file that is there (an absent file is `insikt import-register`'s error to report)."""
    path = get_settings().register_path
    return path if path is not None and os.path.isfile(path) else None
