"""The curators' decisions: review files from `insikt match`, `insikt review accept|merge|reject`,
and the curation dataset they become (docs/matching.md).

A decision is a `Decision` node (id, kind, a, b, by, at, why) in the dataset `curation`
(`graph.store.CURATION_DATASET`, precedence "curation"). Decisions are never edited or
removed; a later decision about the same pair (or, for review decisions, the same insight)
takes the place of an earlier one, so a curator can change their mind and the history stays.

What the decisions in force mean, written into the curation dataset next to them:

* pair `same` (a, b): `(a)-[:SAME_PROBLEM]->(b)`;
* pair `related` or `different`: nothing in the graph; the pair is not proposed again;
* `accept` a: a's status becomes `active`;
* `merge` a into b: `(a)-[:SAME_PROBLEM]->(b)` and a's status `active` (a is kept, not
  `superseded`: its reporters then count as reporting b's problem, which a superseded insight
  would not, since the overlap leaves superseded insights out by default);
* `reject` a: a's status becomes `disputed`.

The curation dataset is rebuilt from the stored decisions after each `--apply`, review action
and load of another dataset (`loaders.load` calls `rebuild_curation`), with SAME_PROBLEM links
and statuses only for insights that some other dataset defines at that moment: a decision
about an insight that is gone waits, and comes back into force when its dataset is loaded
again. A status is a partial Insight record ({status}) in the curation dataset; the
curation dataset is written last, and its precedence ("curation") wins for shared nodes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

import networkx as nx
from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StrictInt, StrictStr, ValidationError

from graph.embedded import os_user
from graph.errors import InsiktError, NotFound, Problem, ValidationFailed
from graph.model import DatasetMeta, GraphData, Label, NodeRecord, Rel, RelRecord, node_key
from graph.store import CURATION_DATASET, GraphStore, LoadResult
from graph.walk import nodes_of, rels_of_type, reporters
from queries.match import Proposal, home_datasets

from .limits import Limits, excerpt, shorten
from .reader import read_yaml_entries

PAIR_KINDS = ("same", "related", "different")
REVIEW_KINDS = ("accept", "merge", "reject")
KINDS = (*PAIR_KINDS, *REVIEW_KINDS)
STATUS_OF = {"accept": "active", "merge": "active", "reject": "disputed"}
MAX_NOTE = 2000
MAX_NAME = 200
CURATION_META = DatasetMeta(
    id=CURATION_DATASET, title="Kurering / Curation",
    description="Kuratorernas beslut (insikt match --apply, insikt review) och vad de innebär: "
                "SAME_PROBLEM-länkar och status. The curators' decisions and what they imply.",
    version="1", precedence="curation")


class CurationRefused(InsiktError):
    """A review action that cannot be recorded (an unknown or unsuitable insight)."""

    exit_code = 2


@dataclass(frozen=True)
class Decision:
    """One decision of a curator, as stored (a `Decision` node)."""

    id: str
    kind: str
    a: str
    b: str
    by: str
    at: str
    why: str = ""

    def props(self) -> dict[str, Any]:
        return {"kind": self.kind, "a": self.a, "b": self.b, "by": self.by, "at": self.at,
                "why": self.why}

    @property
    def pair(self) -> frozenset[str] | None:
        """The pair a pair decision (or a merge) is about."""
        return frozenset((self.a, self.b)) if self.kind in (*PAIR_KINDS, "merge") else None


def now_iso() -> str:
    """When a decision is made, to the microsecond: two decisions about one insight in the
    same second still have an order (the later one is in force)."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def new_decision(kind: str, a: str, b: str = "", *, by: str | None = None, why: str = "",
                 at: str | None = None) -> Decision:
    """A decision with its id: a hash of what it says, so that applying the same decision
    twice (or importing it from a package again) stores it once."""
    if kind not in KINDS:
        raise CurationRefused(f"unknown decision '{shorten(kind, 40)}': use one of "
                              + ", ".join(KINDS))
    who = (by or "").strip() or os_user()
    if len(who) > MAX_NAME or len(why) > MAX_NOTE:
        raise CurationRefused(f"who decides is at most {MAX_NAME} characters and why at most "
                              f"{MAX_NOTE} (got {len(who)} and {len(why)})")
    when = at or now_iso()
    digest = hashlib.blake2b("\x1f".join((kind, a, b, who, when, why)).encode("utf-8"),
                             digest_size=8).hexdigest()
    return Decision(f"dec-{digest}", kind, a, b, who, when, why)


def stored_decisions(g: nx.MultiDiGraph) -> list[Decision]:
    """Every Decision node of the graph, oldest first (by time, then id)."""
    out = [Decision(str(a["id"]), str(a.get("kind", "")), str(a.get("a", "")),
                    str(a.get("b", "")), str(a.get("by", "")), str(a.get("at", "")),
                    str(a.get("why", "")))
           for _, a in nodes_of(g, Label.DECISION)]
    return sorted(out, key=lambda d: (d.at, d.id))


def in_force(decisions: Iterable[Decision]) -> tuple[dict[frozenset[str], Decision],
                                                     dict[str, Decision]]:
    """The latest decision per pair, and the latest review decision per insight (a merge is
    both: it decides the pair and the insight's status)."""
    pairs: dict[frozenset[str], Decision] = {}
    reviews: dict[str, Decision] = {}
    for d in sorted(decisions, key=lambda d: (d.at, d.id)):
        if d.pair is not None:
            pairs[d.pair] = d
        if d.kind in REVIEW_KINDS:
            reviews[d.a] = d
    return pairs, reviews


def existing_insights(g: nx.MultiDiGraph) -> set[str]:
    """Insights that a dataset other than the curation dataset defines."""
    return {str(a["id"]) for _, a in nodes_of(g, Label.INSIGHT) if home_datasets(a)}


def curation_data(g: nx.MultiDiGraph, decisions: Sequence[Decision]) -> GraphData:
    """The curation dataset for `decisions` over the insights `g` holds now."""
    data = GraphData(CURATION_META)
    present = existing_insights(g)
    by_id = {d.id: d for d in decisions}
    for d in sorted(by_id.values(), key=lambda d: d.id):
        data.nodes.append(NodeRecord(Label.DECISION, d.id, d.props()))
    pairs, reviews = in_force(by_id.values())
    links: dict[tuple[str, str], Decision] = {}
    for d in pairs.values():
        if d.kind in ("same", "merge") and d.a in present and d.b in present and d.a != d.b:
            links[(d.a, d.b)] = d
    statuses = {a: STATUS_OF[d.kind] for a, d in reviews.items() if a in present}
    for a in sorted({x for pair in links for x in pair} | set(statuses)):
        props = {"status": statuses[a]} if a in statuses else {}
        data.nodes.append(NodeRecord(Label.INSIGHT, a, props))
    for (a, b), d in sorted(links.items()):
        data.relationships.append(RelRecord(Rel.SAME_PROBLEM, Label.INSIGHT, a, Label.INSIGHT,
                                            b, {"decided_by": d.by, "decided_at": d.at}))
    return data


_DECISION_KEYS = ("kind", "a", "b", "by", "at", "why")


def _current(g: nx.MultiDiGraph) -> tuple[set[tuple[str, Any]], set[tuple[str, str, Any]]]:
    """What the curation dataset holds now, to skip a rebuild that would change nothing."""
    nodes = {(n, tuple(sorted((k, v) for k, v in a.items()
                              if k in (_DECISION_KEYS if a["label"] == Label.DECISION
                                       else ("status",)))))
             for n, a in g.nodes(data=True) if CURATION_DATASET in a.get("datasets", ())}
    rels = {(u, v, tuple(sorted((k, d[k]) for k in ("decided_by", "decided_at") if k in d)))
            for u, v, d in rels_of_type(g, Rel.SAME_PROBLEM)
            if CURATION_DATASET in d.get("datasets", ())}
    return nodes, rels


def _planned(data: GraphData, g: nx.MultiDiGraph
             ) -> tuple[set[tuple[str, Any]], set[tuple[str, str, Any]]]:
    nodes = set()
    for n in data.nodes:
        props = dict(n.props)
        # a link end without a status of ours: whatever status it has now stays
        if (n.label == Label.INSIGHT and "status" not in props and n.key in g
                and "status" in g.nodes[n.key]
                and CURATION_DATASET in g.nodes[n.key]["datasets"]):
            props["status"] = g.nodes[n.key]["status"]
        nodes.add((n.key, tuple(sorted(props.items()))))
    rels = {(r.start_key, r.end_key, tuple(sorted(r.props.items())))
            for r in data.relationships}
    return nodes, rels


@dataclass
class CurationResult:
    """What a rebuild wrote: decisions stored, links and statuses in force, decisions waiting
    for an insight that is not loaded, and the load (None when nothing changed)."""

    decisions: int = 0
    links: int = 0
    statuses: int = 0
    waiting: int = 0
    recorded: list[Decision] = field(default_factory=list)
    result: LoadResult | None = None

    def summary(self) -> str:
        text = (f"Curation: {self.decisions} decisions stored, {self.links} SAME_PROBLEM links "
                f"and {self.statuses} statuses in force")
        if self.waiting:
            text += f", {self.waiting} waiting for insights that are not loaded"
        return text + "."


def rebuild_curation(store: GraphStore, new: Sequence[Decision] = ()) -> CurationResult:
    """Write the curation dataset from the stored decisions (and `new` ones), for the insights
    the store holds now. Idempotent; writes nothing when nothing would change, and nothing at
    all while there are no decisions."""
    if not new and not any(d.id == CURATION_DATASET for d in store.datasets()):
        return CurationResult()  # no decisions yet: nothing to read or write
    g = store.to_networkx()
    decisions = [*stored_decisions(g), *new]
    if not decisions:
        return CurationResult()
    data = curation_data(g, decisions)
    present = existing_insights(g)
    pairs, reviews = in_force(decisions)
    waiting = sum(1 for d in {*pairs.values(), *reviews.values()}
                  if d.a not in present or (d.kind in ("same", "merge") and d.b not in present))
    out = CurationResult(
        decisions=sum(1 for n in data.nodes if n.label == Label.DECISION),
        links=len(data.relationships),
        statuses=sum(1 for n in data.nodes if n.label == Label.INSIGHT and "status" in n.props),
        waiting=waiting, recorded=list(new))
    if _current(g) != _planned(data, g) or any(node_key(Label.DECISION, d.id) not in g
                                               for d in new):
        out.result = store.load(data)
        store.refresh_projection()  # matched problems and statuses changed the overlap
    return out


# -- recording decisions ------------------------------------------------------------------------

def _insight_attrs(g: nx.MultiDiGraph, insight: str) -> dict[str, Any]:
    key = node_key(Label.INSIGHT, insight)
    if key not in g or not home_datasets(g.nodes[key]):
        raise NotFound(f"no insight '{shorten(insight, 80)}' in the graph (see `insikt review` "
                       "or `insikt query search -p q=…`)")
    return dict(g.nodes[key])


def review_action(store: GraphStore, action: str, insight: str, *, into: str | None = None,
                  by: str | None = None, why: str = "") -> CurationResult:
    """Record `accept`, `merge` (into `into`) or `reject` of an insight, then rebuild."""
    if action not in REVIEW_KINDS:
        raise CurationRefused(f"unknown review action '{shorten(action, 40)}': use accept, "
                              "merge or reject")
    if len(why) > MAX_NOTE:
        raise CurationRefused(f"the reason (--why) is {len(why)} characters; at most {MAX_NOTE}")
    g = store.to_networkx()
    _insight_attrs(g, insight)
    target = ""
    if action == "merge":
        if not into:
            raise CurationRefused("merge needs the insight to merge into (--into ID)")
        if into == insight:
            raise CurationRefused(f"cannot merge '{insight}' into itself")
        _insight_attrs(g, into)
        target = into
    elif into:
        raise CurationRefused(f"--into belongs to merge, not to {action}")
    return rebuild_curation(store, [new_decision(action, insight, target, by=by, why=why)])


# -- review files ---------------------------------------------------------------------------------

REVIEW_HEADER = """\
# Insiktsgrafen review file (insikt match -o): pairs of insights from different datasets
# that may describe the same customer problem. For each pair, set `decision` to
#   same       the two describe one problem (they are linked as SAME_PROBLEM),
#   related    they are related but not the same problem,
#   different  they are different problems,
# or leave it empty to decide later. `note` says why (optional). Then record the decisions:
#   insikt match --apply FILE [--by NAME]
# Only a, b, decision and note are read; score, reason and the titles are there to help.
"""

_Id = Annotated[StrictStr, Field(min_length=1, max_length=200)]
_Text = Annotated[StrictStr, Field(max_length=MAX_NOTE)]


class ReviewEntry(BaseModel):
    """One pair in a review file."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    a: _Id
    b: _Id
    decision: Literal["same", "related", "different", ""] | None = None
    note: _Text | None = None
    score: StrictFloat | StrictInt | None = None
    reason: _Text | None = None
    a_title: _Text | None = None
    b_title: _Text | None = None


def write_review_file(proposals: Sequence[Proposal], path: str | Path) -> Path:
    """A review file of `proposals` (decision empty), for a curator to fill in."""
    from .writer import dump_yaml

    rows = [{"a": p.a, "b": p.b, "decision": "", "note": "", "score": round(p.score, 4),
             "reason": p.reason, "a_title": p.a_title, "b_title": p.b_title} for p in proposals]
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(REVIEW_HEADER + (dump_yaml(rows) if rows else "[]\n"), encoding="utf-8")
    return target


def read_review_file(path: str | Path, g: nx.MultiDiGraph) -> list[ReviewEntry]:
    """The entries of a review file, checked against the graph; ValidationFailed names the
    file, the entry and the field of every problem."""
    file = Path(path)
    name = file.name
    if not file.exists():
        raise NotFound(f"no review file at {file}")
    entries, problems = read_yaml_entries(file, name, root=file.parent, limits=Limits.current())
    present = existing_insights(g)
    out: list[ReviewEntry] = []
    seen: dict[frozenset[str], str] = {}
    for raw in entries:
        if not isinstance(raw.data, dict):
            problems.append(Problem(name, raw.where(), "", f"expected a mapping (a: …, b: …), "
                                    f"got {type(raw.data).__name__} {excerpt(raw.data)}",
                                    "write each pair as '- a: ID' with 'b:' and 'decision:' "
                                    "below"))
            continue
        where = f"entry {raw.index + 1} (line {raw.line})"
        try:
            entry = ReviewEntry.model_validate(raw.data)
        except ValidationError as exc:
            for err in exc.errors():
                fld = ".".join(str(p) for p in err["loc"])
                hint = ""
                if err["type"] == "extra_forbidden":
                    msg = "unknown key"
                    hint = "keys: " + ", ".join(ReviewEntry.model_fields)
                elif err["type"] == "literal_error":
                    msg = f"{excerpt(err.get('input'))} is not a decision"
                    hint = "use same, related or different, or leave it empty"
                else:
                    msg = str(err["msg"])
                problems.append(Problem(name, where, shorten(fld, 80), msg, hint))
            continue
        for fld in ("a", "b"):
            value = getattr(entry, fld)
            if value not in present:
                problems.append(Problem(name, where, fld, f"no insight {excerpt(value)} in the "
                                        "graph", "use the ids `insikt match` wrote, and load "
                                        "their datasets first"))
        if entry.a == entry.b:
            problems.append(Problem(name, where, "b", "a pair needs two different insights", ""))
        pair = frozenset((entry.a, entry.b))
        if entry.decision and pair in seen:
            problems.append(Problem(name, where, "decision", "this pair is decided twice in "
                                    "the file", f"keep one of this and {seen[pair]}"))
        if entry.decision:
            seen.setdefault(pair, where)
        out.append(entry)
    if problems:
        raise ValidationFailed(problems, str(file))
    return out


def apply_review_file(store: GraphStore, path: str | Path, *, by: str | None = None
                      ) -> CurationResult:
    """Record the decided pairs of a review file (all or nothing), then rebuild. A pair whose
    decision (and note) is already in force is not recorded again."""
    g = store.to_networkx()
    entries = read_review_file(path, g)
    pairs, _ = in_force(stored_decisions(g))
    at = now_iso()
    new = []
    for e in entries:
        current = pairs.get(frozenset((e.a, e.b)))
        if not e.decision or (current is not None and current.kind == e.decision
                              and current.why == (e.note or "")):
            continue  # undecided, or already in force: applying a file twice adds nothing
        new.append(new_decision(e.decision, e.a, e.b, by=by, why=e.note or "", at=at))
    return rebuild_curation(store, new)


# -- what the review lists ------------------------------------------------------------------------

def proposed_rows(g: nx.MultiDiGraph, proposals: Sequence[Mapping[str, Any]],
                  status: str = "proposed") -> list[dict[str, Any]]:
    """The insights of `status` with their provenance (datasets, sources, reporters) and the
    proposals (`Proposal.as_row()`) that involve them (`insikt review`, the curation page)."""
    from graph.walk import out_nodes

    rows = []
    for key, a in sorted(nodes_of(g, Label.INSIGHT), key=lambda t: str(t[1]["id"])):
        if a.get("status", "active") != status or not home_datasets(a):
            continue
        ident = str(a["id"])
        matches = [(str(p["b"] if p["a"] == ident else p["a"]), float(p["score"]))
                   for p in proposals if ident in (p["a"], p["b"])]
        rows.append({
            "insight": ident, "title": a.get("title"), "title_en": a.get("title_en"),
            "kind": a.get("kind"), "datasets": list(home_datasets(a)),
            "sources": sorted(str(g.nodes[s]["id"]) for s in out_nodes(g, key, Rel.SUPPORTED_BY)),
            "reported_by": sorted(str(g.nodes[u]["id"]) for u, _ in reporters(g, key)),
            "suggested": [m for m, _ in matches],
            "suggested_scores": [round(s, 4) for _, s in matches],
        })
    return rows


def decisions_touching(g: nx.MultiDiGraph, insights: Iterable[str]) -> list[Decision]:
    """The stored decisions about any of `insights` (what a package of them carries)."""
    wanted = set(insights)
    return [d for d in stored_decisions(g) if d.a in wanted or (d.b and d.b in wanted)]


# -- decisions in packages -----------------------------------------------------------------------

DECISIONS_FILE = "decisions.yaml"


class DecisionEntry(BaseModel):
    """A stored decision as a package carries it (all fields required, typed, bounded)."""

    model_config = ConfigDict(extra="forbid")

    id: Annotated[StrictStr, Field(pattern=r"^dec-[0-9a-f]{16}$")]
    kind: Literal["same", "related", "different", "accept", "merge", "reject"]
    a: _Id
    b: Annotated[StrictStr, Field(max_length=200)]
    by: Annotated[StrictStr, Field(min_length=1, max_length=200)]
    at: Annotated[StrictStr, Field(min_length=1, max_length=40)]
    why: _Text = ""


def decisions_yaml(decisions: Sequence[Decision]) -> str:
    from .writer import dump_yaml

    return dump_yaml([{"id": d.id, "kind": d.kind, "a": d.a, "b": d.b, "by": d.by, "at": d.at,
                       "why": d.why} for d in decisions])


def parse_decisions(text: str, file: str) -> list[Decision]:
    """Decisions from a package's decisions.yaml; ValidationFailed names entry and field."""
    from .reader import parse_yaml

    data, lines, problems = parse_yaml(text, file, Limits.current())
    if not problems and not isinstance(data, list):
        problems.append(Problem(file, "-", "", "must be a YAML list of decisions", ""))
    out: list[Decision] = []
    for i, item in enumerate(data if isinstance(data, list) and not problems else []):
        where = f"entry {i + 1} (line {lines[i] if i < len(lines) else '?'})"
        try:
            e = DecisionEntry.model_validate(item)
        except ValidationError as exc:
            for err in exc.errors():
                problems.append(Problem(file, where, ".".join(str(p) for p in err["loc"]),
                                        str(err["msg"]), ""))
            continue
        needs_b = e.kind in (*PAIR_KINDS, "merge")
        if needs_b != bool(e.b):
            problems.append(Problem(file, where, "b", f"a '{e.kind}' decision "
                                    + ("needs" if needs_b else "has no") + " b", ""))
            continue
        out.append(Decision(e.id, e.kind, e.a, e.b, e.by, e.at, e.why))
    if problems:
        raise ValidationFailed(problems, file)
    return out


def refuse_reserved_id(data: GraphData, source: str) -> None:
    """A dataset may not call itself `curation`: loading it would replace the decisions."""
    if data.dataset.id == CURATION_DATASET:
        raise ValidationFailed([Problem(
            "dataset.yaml", "-", "id", f"the dataset id '{CURATION_DATASET}' is reserved for "
            "the curators' decisions", "give the dataset another id")], source)


def unload_dataset(store: GraphStore, dataset_id: str) -> LoadResult:
    """Unload a dataset, then rebuild the curation dataset (its links and statuses for the
    insights that went with it wait until they are loaded again)."""
    result = store.unload(dataset_id)
    if dataset_id != CURATION_DATASET:
        rebuild_curation(store)
    store.refresh_projection()
    return result
