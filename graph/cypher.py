"""Every Cypher statement outside the saved queries: Neo4j's schema, the load algorithm and
the reads the Neo4j store makes, in one place.

Both writers of Cypher use it: `graph.neo4j_store` (parameterised, against a server) and the
`cypher` export in `graph.formats` (literal rows, for `cypher-shell -f`). They build their
constraints and UNWIND … MERGE statements from the same functions, so a change to the schema or
to how nodes are merged cannot reach one and miss the other. Saved queries keep their Cypher
next to their networkx twin in `queries.saved`.

Labels, types and index names here are our own plain identifiers; `quoted` backquotes them
anyway (the store's habit), `bare` only when needed (the export's, so the script reads well).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from .model import SEARCH_FIELD, TEXT_FIELDS, Label

Quote = Callable[[str], str]

META_LABEL = "InsiktDataset"
"""Label of the nodes that hold dataset metadata (not part of the graph)."""
PROJECTION_LABEL = "InsiktProjection"
"""Label of the agency–problem projection rows (graph.projection): derived, not part of the
graph, so no reader of the graph (stats, export, to_networkx) sees them."""
PAIR_LABEL = "InsiktPair"
"""Label of the pair table the projection keeps for the unfiltered overlap (derived too)."""
LOCK_LABEL = "InsiktLock"
LOCK_ID = "#load-lock"
"""The one node every load and unload locks first, so that writes run one after another and
the cross-dataset rules (org nr, shared nodes' `datasets`) are checked on what the previous
write committed. It also carries META_LABEL, so every graph read already leaves it out; its id
is not a slug, so no dataset can have it."""

TEXT_INDEX_SV = "insikt_text_sv"
TEXT_INDEX_EN = "insikt_text_en"
SEARCH_INDEX = "insikt_search"
"""Full-text index over the derived `search_text` (whitespace analyzer; the `search` query)."""

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_ESCAPES = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def quoted(name: str) -> str:
    """A label, type or index name in backquotes."""
    return "`" + name.replace("`", "``") + "`"


def bare(name: str) -> str:
    """A name as it is when it is a plain identifier, else in backquotes."""
    return name if _IDENT.match(name) else quoted(name)


def literal(value: Any) -> str:
    """A Cypher literal for a property value (text, number, boolean, list or map)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return "'" + "".join(_ESCAPES.get(ch, ch) for ch in value) + "'"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{bare(k)}: {literal(v)}" for k, v in value.items()) + "}"
    return literal(str(value))


# -- schema -------------------------------------------------------------------------------

def id_constraint(label: str, quote: Quote = quoted) -> str:
    """The uniqueness constraint on `id` of one label (the store and the export share names,
    so running the export's script on a store's database adds nothing twice)."""
    return (f"CREATE CONSTRAINT insikt_{label.lower()}_id IF NOT EXISTS FOR (n:{quote(label)}) "
            "REQUIRE n.id IS UNIQUE")


def _text_index_fields(english: bool) -> tuple[list[str], list[str]]:
    """Labels and properties of one language's full-text index, from graph.model.TEXT_FIELDS."""
    labels: list[str] = []
    fields: list[str] = []
    for label, (sv, en) in TEXT_FIELDS.items():
        own = en if english else sv
        if own:
            labels.append(label.value)
            fields.extend(f for f in own if f not in fields)
    return labels, fields


def schema_statements() -> dict[str, str]:
    """Name → idempotent statement for every constraint and index the store and queries need."""
    out: dict[str, str] = {}
    for label in [*(lbl.value for lbl in Label), META_LABEL]:
        out[f"insikt_{label.lower()}_id"] = id_constraint(label)
    for label, prop in ((Label.AGENCY, "org_nr"), (Label.INSIGHT, "kind"),
                        (Label.INSIGHT, "status"), (Label.JOURNEY_STEP, "life_event")):
        name = f"insikt_{label.value.lower()}_{prop}"
        out[name] = f"CREATE INDEX {name} IF NOT EXISTS FOR (n:{quoted(label.value)}) ON (n.{prop})"
    for name, english, analyzer in ((TEXT_INDEX_SV, False, "swedish"),
                                    (TEXT_INDEX_EN, True, "english")):
        labels, fields = _text_index_fields(english)
        out[name] = (
            f"CREATE FULLTEXT INDEX {name} IF NOT EXISTS FOR (n:{'|'.join(map(quoted, labels))}) "
            f"ON EACH [{', '.join('n.' + f for f in fields)}] "
            f"OPTIONS {{indexConfig: {{`fulltext.analyzer`: '{analyzer}'}}}}")
    all_labels = "|".join(quoted(lbl.value) for lbl in Label)
    out[SEARCH_INDEX] = (
        f"CREATE FULLTEXT INDEX {SEARCH_INDEX} IF NOT EXISTS FOR (n:{all_labels}) "
        f"ON EACH [n.{SEARCH_FIELD}] OPTIONS {{indexConfig: {{`fulltext.analyzer`: 'whitespace'}}}}")
    return out


SHOW_INDEXES = "SHOW INDEXES YIELD name, state"
EXPLAIN_PREFIX = "EXPLAIN "
"""Put before a query to have the server plan it without running it."""
AWAIT_INDEXES = "CALL db.awaitIndexes(60)"


# -- writing: the load algorithm (graph.store.apply_graph_data) ----------------------------

OWN_PROP = "_own"
"""Bookkeeping on every node and relationship the store writes: JSON text of each dataset's
own properties ({dataset: props}), from which the effective properties are merged
(graph.changes.merge_entries). Left out of the networkx form, exports and query results."""
HASHES_PROP = "_hashes"
"""Bookkeeping: a list of `dataset=hash` texts, each dataset's entry hash (graph.changes)."""
BOOKKEEPING = (OWN_PROP, HASHES_PROP)
VERSION_LABEL = "InsiktVersion"
"""Label (with META_LABEL) of the nodes that record each load and unload: the history."""

KEY_SEP = "\u001f"
"""Separates the parts of a relationship key in DATASET_REL_HASHES (never in an id)."""
DATASET_NODE_HASHES = (
    f"MATCH (n) WHERE $ds IN n.datasets AND NOT n:{META_LABEL} "
    "RETURN collect(labels(n)[0] + ':' + n.id) AS keys, "
    f"collect(coalesce([h IN coalesce(n.{HASHES_PROP}, []) WHERE h STARTS WITH $prefix][0], "
    "'')) AS hashes")
"""A dataset's node keys and entry hashes ('' when none), as two aligned lists in one row:
tens of thousands of single-row records cost the client far more than one row of lists."""
DATASET_REL_HASHES = (
    "MATCH (a)-[r]->(b) WHERE $ds IN r.datasets "
    "RETURN collect(type(r) + $sep + labels(a)[0] + ':' + a.id + $sep + labels(b)[0] + ':' "
    "+ b.id) AS keys, "
    f"collect(coalesce([h IN coalesce(r.{HASHES_PROP}, []) WHERE h STARTS WITH $prefix][0], "
    "'')) AS hashes")


def create_nodes(label: str) -> str:
    """UNWIND rows of {id, props}: create the nodes that do not exist with `props` (all
    their properties); return each row's id and the properties of one that existed."""
    return (f"UNWIND $rows AS row OPTIONAL MATCH (old:{quoted(label)} {{id: row.id}}) "
            "WITH row, CASE WHEN old IS NULL THEN null ELSE properties(old) END AS before "
            f"MERGE (n:{quoted(label)} {{id: row.id}}) ON CREATE SET n = row.props "
            "RETURN row.id AS id, before")


def read_nodes(label: str) -> str:
    """UNWIND $ids: the properties of each existing node."""
    return (f"UNWIND $ids AS id MATCH (n:{quoted(label)} {{id: id}}) "
            "RETURN n.id AS id, properties(n) AS before")


def set_nodes(label: str) -> str:
    """UNWIND rows of {id, props}: replace every property of existing nodes."""
    return (f"UNWIND $rows AS row MATCH (n:{quoted(label)} {{id: row.id}}) SET n = row.props "
            "RETURN count(n) AS c")


def delete_nodes(label: str) -> str:
    """UNWIND $ids: delete the nodes with their relationships; return the element ids of the
    relationships deleted with them and the datasets those relationships belonged to."""
    return (f"UNWIND $ids AS id MATCH (n:{quoted(label)} {{id: id}}) "
            "OPTIONAL MATCH (n)-[r]-() "
            "WITH n, collect({e: elementId(r), d: r.datasets}) AS rels "
            "DETACH DELETE n RETURN rels")


def create_rels(rel_type: str, start: str, end: str) -> str:
    """UNWIND rows of {i, start, end, props} between existing nodes: create the missing
    relationships with `props`; return each row's index and the properties of one that
    existed (rows whose nodes do not exist return nothing)."""
    return (f"UNWIND $rows AS row MATCH (a:{quoted(start)} {{id: row.start}}) "
            f"MATCH (b:{quoted(end)} {{id: row.end}}) "
            f"OPTIONAL MATCH (a)-[old:{quoted(rel_type)}]->(b) "
            "WITH a, b, row, CASE WHEN old IS NULL THEN null ELSE properties(old) END AS before "
            f"MERGE (a)-[r:{quoted(rel_type)}]->(b) ON CREATE SET r = row.props "
            "RETURN row.i AS i, before")


def read_rels(rel_type: str, start: str, end: str) -> str:
    """UNWIND rows of {i, start, end}: the properties of each existing relationship."""
    return (f"UNWIND $rows AS row MATCH (a:{quoted(start)} {{id: row.start}})"
            f"-[r:{quoted(rel_type)}]->(b:{quoted(end)} {{id: row.end}}) "
            "RETURN row.i AS i, properties(r) AS before")


def set_rels(rel_type: str, start: str, end: str) -> str:
    """UNWIND rows of {start, end, props}: replace every property of existing relationships."""
    return (f"UNWIND $rows AS row MATCH (a:{quoted(start)} {{id: row.start}})"
            f"-[r:{quoted(rel_type)}]->(b:{quoted(end)} {{id: row.end}}) SET r = row.props "
            "RETURN count(r) AS c")


def delete_rels(rel_type: str, start: str, end: str) -> str:
    """UNWIND rows of {start, end}: delete the relationships."""
    return (f"UNWIND $rows AS row MATCH (a:{quoted(start)} {{id: row.start}})"
            f"-[r:{quoted(rel_type)}]->(b:{quoted(end)} {{id: row.end}}) DELETE r "
            "RETURN count(*) AS c")


MARK_STALE = (f"MATCH (d:{META_LABEL}) WHERE d.id IN $ids AND NOT d:{VERSION_LABEL} "
              "SET d.data_digest = null")
"""Datasets that lost relationships through another dataset's load (their nodes went): the
next load of each compares entry by entry instead of trusting its quick digest."""
CREATE_VERSION = f"CREATE (v:{META_LABEL}:{VERSION_LABEL}) SET v = $v"
NEXT_VERSION = (f"MATCH (l:{LOCK_LABEL} {{id: $id}}) "
                "SET l.versions = coalesce(l.versions, 0) + 1 RETURN l.versions AS v")
LIST_VERSIONS = (f"MATCH (v:{VERSION_LABEL}) WHERE $ds IS NULL OR v.dataset = $ds "
                 "RETURN properties(v) AS v ORDER BY v.version")
LAST_DIFF = (f"MATCH (v:{VERSION_LABEL} {{dataset: $ds, action: 'load'}}) "
             "RETURN v.changes AS changes ORDER BY v.version DESC LIMIT 1")


def read_node(label: Label) -> str:
    """One node's properties (with its bookkeeping), for `insikt show`."""
    return f"MATCH (n:{quoted(Label(label).value)} {{id: $id}}) RETURN properties(n) AS p"


def with_ds(var: str) -> str:
    """The sorted union of `var.datasets` and $ds, so both backends keep the same order."""
    return f"COLLECT {{ UNWIND coalesce({var}.datasets, []) + [$ds] AS d RETURN DISTINCT d ORDER BY d }}"


def merge_nodes(label: str, rows: str = "$rows", *, track_datasets: bool = True,
                sep: str = " ", quote: Quote = quoted) -> str:
    """UNWIND rows of {id, props} and MERGE them as `label` nodes; with `track_datasets`
    (the store) also add $ds to `datasets` and return how many were written."""
    parts = [f"UNWIND {rows} AS row", f"MERGE (n:{quote(label)} {{id: row.id}})",
             "SET n += row.props"]
    if track_datasets:
        parts += [f"SET n.datasets = {with_ds('n')}", "RETURN count(n) AS c"]
    return sep.join(parts)


def merge_rels(rel_type: str, start: str, end: str, rows: str = "$rows", *,
               track_datasets: bool = True, sep: str = " ", quote: Quote = quoted) -> str:
    """UNWIND rows of {start, end, props} and MERGE them as `rel_type` relationships between
    existing nodes; with `track_datasets` (the store) also tag them and count them."""
    parts = [f"UNWIND {rows} AS row", f"MATCH (a:{quote(start)} {{id: row.start}})",
             f"MATCH (b:{quote(end)} {{id: row.end}})", f"MERGE (a)-[r:{quote(rel_type)}]->(b)",
             "SET r += row.props"]
    if track_datasets:
        parts += [f"SET r.datasets = {with_ds('r')}", "RETURN count(r) AS c"]
    return sep.join(parts)


MERGE_DATASET = f"MERGE (d:{META_LABEL} {{id: $id}}) SET d = $meta"
FIND_DATASET = f"MATCH (d:{META_LABEL} {{id: $id}}) RETURN d.id AS id"
DELETE_DATASET = f"MATCH (d:{META_LABEL} {{id: $id}}) DELETE d"


def restore_datasets(rows: str, *, sep: str = "\n", quote: Quote = bare) -> str:
    """UNWIND rows of {id, props} as the store's dataset metadata nodes (META_LABEL), stamped
    as loaded now: the `cypher` export writes them, so a restored graph lists its datasets
    (the store itself writes them with MERGE_DATASET)."""
    return sep.join([f"UNWIND {rows} AS row", f"MERGE (d:{quote(META_LABEL)} {{id: row.id}})",
                     "SET d += row.props, "
                     "d.loaded_at = toString(datetime.truncate('second', datetime()))"])


# -- reading ------------------------------------------------------------------------------

LIST_DATASETS = (f"MATCH (d:{META_LABEL}) WHERE NOT d:{LOCK_LABEL} AND NOT d:{VERSION_LABEL} "
                 "RETURN properties(d) AS m ORDER BY d.id")
COUNT_LABELS = (f"MATCH (n) WHERE NOT n:{META_LABEL} AND NOT n:{PROJECTION_LABEL} "
                f"AND NOT n:{PAIR_LABEL} UNWIND labels(n) AS l RETURN l, count(*) AS c")
COUNT_REL_TYPES = "MATCH ()-[r]->() RETURN type(r) AS t, count(*) AS c"
_DROP = f"{OWN_PROP}: null, {HASHES_PROP}: null"
"""Bookkeeping left on the server when the graph is read: a map projection that nulls it costs
the server nothing and keeps each dataset's own copy of the props off the wire."""
READ_NODES = (f"MATCH (n) WHERE NOT n:{META_LABEL} AND NOT n:{PROJECTION_LABEL} "
              f"AND NOT n:{PAIR_LABEL} "
              "RETURN labels(n)[0] AS label, n {.*, " + _DROP + "} AS props "
              "ORDER BY label, n.id")
READ_RELS = (f"MATCH (a)-[r]->(b) WHERE NOT a:{META_LABEL} AND NOT b:{META_LABEL} "
             "RETURN type(r) AS type, labels(a)[0] AS sl, a.id AS sid, labels(b)[0] AS el, "
             "b.id AS eid, r {.*, " + _DROP + "} AS props ORDER BY type, sl, sid, el, eid")
READ_NODES_OF = ("MATCH (n) WHERE any(l IN labels(n) WHERE l IN $labels) "
                 "RETURN labels(n)[0] AS label, n {.*, " + _DROP + "} AS props "
                 "ORDER BY label, n.id")
READ_RELS_OF = ("MATCH (a)-[r]->(b) WHERE type(r) IN $types "
                "AND any(l IN labels(a) WHERE l IN $labels) "
                "AND any(l IN labels(b) WHERE l IN $labels) "
                "RETURN type(r) AS type, labels(a)[0] AS sl, a.id AS sid, labels(b)[0] AS el, "
                "b.id AS eid, r {.*, " + _DROP + "} AS props ORDER BY type, sl, sid, el, eid")
"""The part of the graph an analysis reads (queries.analytics.ANALYSIS_NEEDS)."""
AGENCIES_WITH_ORG_NR = (
    f"MATCH (a:{Label.AGENCY.value}) WHERE a.org_nr IS NOT NULL AND a.org_nr <> '' "
    "RETURN a.org_nr AS nr, a.id AS id, a.datasets AS datasets ORDER BY a.id")

AGENCY_RECORDS = (
    f"MATCH (a:{Label.AGENCY.value}) RETURN a.id AS id, a.name AS name, a.name_en AS name_en, "
    "a.short_name AS short_name, a.aliases AS aliases, a.org_nr AS org_nr, a.datasets AS datasets "
    "ORDER BY a.id")
"""What agency resolution reads of every Agency (the columns of graph.walk.agency_records)."""
ALIAS_TARGETS = (
    f"MATCH (:{Label.AGENCY_ALIAS.value} {{local_id: $id}})-[:ALIAS_OF]->(a:{Label.AGENCY.value}) "
    "RETURN DISTINCT a.id AS id ORDER BY id")
"""The Agency ids a dataset's own id $id resolved to (graph.walk.alias_targets)."""
AGENCY_EXISTS = f"MATCH (a:{Label.AGENCY.value} {{id: $id}}) RETURN a.id AS id"

TAKE_LOCK = (f"MERGE (l:{META_LABEL}:{LOCK_LABEL} {{id: $id}}) "
             "SET l.writes = coalesce(l.writes, 0) + 1 RETURN l.writes AS c")
READ_LOCK_WRITES = f"MATCH (l:{LOCK_LABEL} {{id: $id}}) RETURN l.writes AS c"


# -- the console's watchdog (Neo4jStore.run_read): our own tagged reads -----------------------
def count_lingering(tag_key: str) -> str:
    """How many of our tagged reads the server still lists after terminating them."""
    return (f"SHOW TRANSACTIONS YIELD metaData, status WHERE metaData.{bare(tag_key)} IS NOT NULL "
            "AND status STARTS WITH 'Terminated' RETURN count(*) AS c")


def find_tagged_transactions(tag_key: str) -> str:
    """The ids of the running transactions that carry our tag $tag."""
    return (f"SHOW TRANSACTIONS YIELD transactionId AS id, metaData "
            f"WHERE metaData.{bare(tag_key)} = $tag RETURN id")


TERMINATE_TRANSACTIONS = "TERMINATE TRANSACTIONS $ids"


def ids_with_label(label: Label) -> str:
    """The ids of every node with a label (to check a parameter's value, "did you mean")."""
    return f"MATCH (n:{quoted(Label(label).value)}) RETURN n.id AS id"


# -- the agency–problem projection (graph.projection) ---------------------------------------

PROJECTION_INDEXES = [
    f"CREATE INDEX insikt_projection_agency IF NOT EXISTS FOR (h:{PROJECTION_LABEL}) "
    "ON (h.agency)",
    f"CREATE INDEX insikt_projection_problem IF NOT EXISTS FOR (h:{PROJECTION_LABEL}) "
    "ON (h.problem)",
    f"CREATE INDEX insikt_projection_pair IF NOT EXISTS FOR (h:{PROJECTION_LABEL}) "
    "ON (h.agency, h.problem)",
    f"CREATE INDEX insikt_pair_rank IF NOT EXISTS FOR (p:{PAIR_LABEL}) ON (p.rank)",
    f"CREATE INDEX insikt_pair_a IF NOT EXISTS FOR (p:{PAIR_LABEL}) ON (p.a)",
    f"CREATE INDEX insikt_pair_b IF NOT EXISTS FOR (p:{PAIR_LABEL}) ON (p.b)",
]
READ_SAME_PROBLEM = (f"MATCH (a:{Label.INSIGHT.value})-[:SAME_PROBLEM]->(b:{Label.INSIGHT.value}) "
                     "RETURN a.id AS a, b.id AS b, a.kind AS a_kind, b.kind AS b_kind")
DROP_PROJECTION = (f"MATCH (h:{PROJECTION_LABEL}) CALL {{ WITH h DETACH DELETE h }} "
                   "IN TRANSACTIONS OF 10000 ROWS")
DROP_PAIRS = (f"MATCH (p:{PAIR_LABEL}) CALL {{ WITH p DETACH DELETE p }} "
              "IN TRANSACTIONS OF 10000 ROWS")
READ_DEFAULT_PROJECTION = (f"MATCH (h:{PROJECTION_LABEL}) "
                           "WHERE ANY(s IN h.via_status WHERE NOT s IN $excluded) "
                           "RETURN h.agency AS agency, h.problem AS problem, h.kind AS kind")
WRITE_PAIRS = (f"UNWIND $rows AS r CREATE (:{PAIR_LABEL} {{a: r.a, b: r.b, shared: r.shared, "
               "specific: r.specific, jaccard: r.jaccard, rank: r.rank, problems: r.problems})")
BUILD_PROJECTION = f"""
MATCH (a:Agency)-[:REPORTS]->(i:Insight)
WITH a, i, coalesce(i.status, 'active') AS st,
     [(i)-[:ARISES_IN]->(le:LifeEvent) | le.id] AS events
MATCH (i)-[:INSTANCE_OF*0..1]->(x:Insight)
WITH a.id AS agency, coalesce($problem[x.id], x.id) AS problem,
     coalesce($kind[x.id], x.kind, '') AS kind, st,
     CASE WHEN size(events) = 0 THEN [''] ELSE events END AS events
UNWIND events AS le
WITH agency, problem, kind, collect(DISTINCT {{s: st, e: le}}) AS via
CALL {{
  WITH agency, problem, kind, via
  CREATE (:{PROJECTION_LABEL} {{agency: agency, problem: problem, kind: kind,
          via_status: [v IN via | v.s], via_event: [v IN via | v.e]}})
}} IN TRANSACTIONS OF 10000 ROWS
"""
ENSURE_LOCK = f"MERGE (l:{META_LABEL}:{LOCK_LABEL} {{id: $id}}) ON CREATE SET l.writes = 0"
COUNT_PROJECTION = f"MATCH (h:{PROJECTION_LABEL}) RETURN count(h) AS c"
START_PROJECTION = (f"MATCH (l:{LOCK_LABEL} {{id: $id}}) SET l.projection_gen = l.writes "
                    "RETURN l.writes AS writes")
"""Marks a refresh for the current write counter as begun (SET locks the lock node)."""
STAMP_PROJECTION = (f"MATCH (l:{LOCK_LABEL} {{id: $id}}) WHERE l.projection_gen = $writes "
                    "SET l.projection_of = $writes")
PROJECTION_FRESH = (f"OPTIONAL MATCH (l:{LOCK_LABEL} {{id: $id}}) "
                    "RETURN coalesce(l.writes, 0) AS writes, l.projection_gen AS gen")
