"""Parity that cannot drift: every saved query and every analysis gives the same answer on the
embedded store and on a real Neo4j, for every id of every parameter's choice list (not a
sample), on three datasets: the seed, the tests' large synthetic dataset, and a random dataset
generated here (other ids, shapes the others lack: one insight reported by many agencies,
principles on general insights, steps taken by actors, agency terms).

Each dataset is loaded once per module (the fixture is parametrised at module scope, so pytest
runs all tests of one dataset together). Floats compare to 1e-9.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

import neo4j
import pytest
import yaml

from graph.embedded import EmbeddedStore
from graph.model import Label
from graph.neo4j_store import Neo4jStore, to_plain
from loaders.load import load_dataset
from queries import analytics as an
from queries.catalog import SavedQuery, all_queries, normalise, run_query, sort_rows
from tests.conftest import REGISTER, SEED, wipe_neo4j

DATASETS = ("seed", "large", "random")
UNKNOWN = "finns-inte"  # an id no dataset has: both backends must return nothing


def same(a: Any, b: Any) -> bool:
    """Equal, with floats compared to 1e-9 (relative or absolute)."""
    if isinstance(a, float) or isinstance(b, float):
        return (isinstance(a, int | float) and isinstance(b, int | float)
                and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b) and type(a) is type(b)


def random_dataset(folder: Path, seed: int = 2026) -> Path:
    """A valid, seeded random dataset with its own ids (never demo data)."""
    rnd = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)

    def dump(name: str, data: Any) -> None:
        (folder / f"{name}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True),
                                             encoding="utf-8")

    dump("dataset", {"id": "slump", "title": "Slumpgraf", "version": "3"})
    kinds = ["statlig", "statlig", "statlig", "region", "kommun", "annan"]
    agencies = [f"aktor-{i}" for i in range(40)]
    dump("agencies", [{"id": a, "name": f"Aktör {i}", "kind": rnd.choice(kinds)}
                      for i, a in enumerate(agencies)])
    dump("domains", [{"id": f"omrade-{i}", "name": f"Område {i}"} for i in range(4)])
    sources = [f"underlag-{i}" for i in range(12)]
    dump("sources", [{"id": s, "title": f"Underlag {i}", "kind": "report",
                      "url": f"https://example.org/{i}" if i % 2 else None,
                      "publisher": rnd.choice(agencies), "illustrative": True}
                     for i, s in enumerate(sources)])
    events = [f"handelse-{i}" for i in range(10)]
    dump("life_events", [{"id": e, "name": f"Händelse {i}", "domain": f"omrade-{i % 4}",
                          "kind": rnd.choice(["life", "business"]),
                          "agencies": [{"agency": a, "role": "roll"}
                                       for a in rnd.sample(agencies, 3)]}
                         for i, e in enumerate(events)])
    generals = [("allman-vem", {"canonical": "who-does-what", "title": "Vem?"}),
                ("allman-projekt", {"title": "kunden blir sin egen PROJEKTLEDARE"}),
                ("allman-sprak", {"title_en": "It is impossible to learn 'officialese'",
                                  "title": "Språket"}),
                ("allman-kurir", {"canonical": "courier", "title": "Kurir"}),
                ("allman-sen", {"title": "Får veta först i efterhand att man gjort fel"}),
                ("allman-ovrigt", {"title": "Övrigt"})]
    insights: list[dict[str, Any]] = [
        {"id": g, "kind": "general", "sources": [rnd.choice(sources)], **extra}
        for g, extra in generals]
    few = agencies[:8]  # a small pool, so agencies often report the same specific insight
    for i in range(120):
        pool = few if i % 3 == 0 else agencies
        reporters = list(dict.fromkeys(rnd.choices(pool, k=rnd.randint(0, 5))))
        insights.append({
            "id": f"fynd-{i}", "title": f"Fynd {i}", "kind": "specific",
            "instance_of": rnd.sample([g for g, _ in generals], rnd.choice([0, 1, 1, 2])),
            "life_events": rnd.sample(events, rnd.randint(0, 3)),
            "reported_by": [{"agency": a, **({"source": rnd.choice(sources)} if rnd.random() < .7
                                             else {}),
                             **({"year": rnd.randint(2015, 2025)} if rnd.random() < .8
                                else {})} for a in reporters],
            "sources": rnd.sample(sources, rnd.randint(0, 2)),
            "status": rnd.choice(["active", "active", "proposed", "superseded"])})
    dump("insights", insights)
    ids = [x["id"] for x in insights]
    dump("principles", [{"id": f"regel-{i}", "name": f"Regel {i}",
                         **({"source": rnd.choice(sources)} if i % 4 else {}),
                         "addresses": rnd.sample(ids[:6] + ids[6:], rnd.randint(0, 12)),
                         "applied_by": [{"agency": a, "status": rnd.choice(["adopted", "planned"])}
                                        for a in rnd.sample(agencies, rnd.randint(0, 10))]}
                        for i in range(10)])
    journeys = []
    for i, e in enumerate(events[:8]):
        steps = [{"id": f"moment-{i}-{k}", "agency": rnd.choice(agencies[:15]),
                  "action": f"Moment {k}",
                  "customer_carries": rnd.sample(["Intyg", "Blankett", "Pass"], rnd.randint(0, 2)),
                  "feedback": rnd.choice(["immediate", "delayed", "none"]),
                  **({"taken_by": "actor"} if rnd.random() < .3 else {}),
                  **({"agency_terms": ["term"]} if rnd.random() < .3 else {})}
                 for k in range(rnd.randint(1, 7))]
        journeys.append({"life_event": e, "steps": steps})
    dump("journeys", journeys)
    return folder


@pytest.fixture(scope="module", params=DATASETS)
def stores(request: pytest.FixtureRequest, neo4j_connection: Neo4jStore,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, EmbeddedStore,
                                                                      Neo4jStore]]:
    name = str(request.param)
    if name == "seed":
        folder = SEED
    elif name == "large":
        from loaders.synthetic import build_large_dataset

        if not REGISTER.exists():
            pytest.skip("../shared register not present")
        folder = build_large_dataset(tmp_path_factory.mktemp("large"), REGISTER)
    else:
        folder = random_dataset(tmp_path_factory.mktemp("random"))
    wipe_neo4j(neo4j_connection)
    embedded = EmbeddedStore(tmp_path_factory.mktemp(f"parity-{name}") / "graph.json")
    for st in (embedded, neo4j_connection):
        load_dataset(st, folder)
    an.clear_cache()
    yield name, embedded, neo4j_connection
    wipe_neo4j(neo4j_connection)


def neo4j_rows(neo: Neo4jStore, q: SavedQuery,
               sweep: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The rows `run_query` gives on Neo4j for each parameter set, run as one batch: every
    case in one read transaction (one session instead of one per case), then the catalog's
    own normalising and ordering."""
    bound = [q.bind(p) for p in sweep]
    full = [{**b, **(q.prepare(b) if q.prepare else {})} for b in bound]
    if q.uses_projection:  # as run_query does (a restored graph has none yet)
        neo.ensure_projection()

    def work(tx: neo4j.ManagedTransaction) -> list[list[dict[str, Any]]]:
        return [[{k: to_plain(v) for k, v in zip(rec.keys(), rec.values(), strict=True)}
                 for rec in tx.run(q.cypher, p)] for p in full]

    with neo.driver.session(database=neo.database, default_access_mode=neo4j.READ_ACCESS) as s:
        raw = s.execute_read(work)
    return [sort_rows([{c: normalise(r.get(c)) for c in q.columns} for r in rows], q.order_by)
            for rows in raw]


def cases(q: SavedQuery, ids: dict[str, list[str]], words: list[str]) -> list[dict[str, Any]]:
    """Every parameter set to try: no parameters (when that is allowed), then for each
    parameter with a choice list every id of it plus one unknown id; other typed parameters
    at a few values; search over words from the graph's own names."""
    out: list[dict[str, Any]] = []
    if not any(p.required for p in q.params):
        out.append({})
    # A query with a required parameter and others (e.g. shares-most-with: agency, then
    # life_event …) sweeps the others with the required one set: to its example when the
    # dataset has that id, else to the dataset's first id of its label.
    base: dict[str, Any] = {}
    for p in q.params:
        if p.required and p.choices is not None and ids[p.choices.value]:
            known = ids[p.choices.value]
            base[p.name] = q.example.get(p.name) if q.example.get(p.name) in known else known[0]
    for p in q.params:
        fixed = {k: v for k, v in base.items() if k != p.name}
        if p.choices is not None:
            out += [{**fixed, p.name: i} for i in [*ids[p.choices.value], UNKNOWN]]
        elif p.type == "int" and p.name != "limit":
            low = 2 if p.minimum is None else int(p.minimum)
            out += [{**fixed, p.name: n} for n in (low, low + 1)]
        elif p.type == "bool":
            out += [{**fixed, p.name: True}, {**fixed, p.name: False}]
        elif p.name == "include_status":  # (with each required parameter at a few ids)
            needed = [r for r in q.params if r.required and r.choices is not None]
            bases = [dict(zip([r.name for r in needed], vals, strict=True))
                     for vals in zip(*(ids[r.choices.value][:5] for r in needed if r.choices),
                                     strict=True)] if needed else [{}]
            out += [{**b, p.name: v} for b in bases
                    for v in ("all", "proposed", "superseded,disputed")]
        elif p.name == "agencies":
            out += [{p.name: ",".join([*ids["Agency"][::7][:12], UNKNOWN])}]
    if any(p.name == "limit" for p in q.params) and any(p.name == "offset" for p in q.params):
        out += [{"limit": 3}, {"limit": 5, "offset": 4}, {"offset": 10**6},
                {"limit": 7, "include_status": "all"}]
    if q.name == "shared-problems":  # the agency's pairs on the other filters too
        some = ids["Agency"][:3]
        out += [{"agency": a, "include_status": "all", "min_shared": 2} for a in some]
        out += [{"agency": a, "life_event": e, "limit": 4}
                for a in some for e in ids["LifeEvent"][:3]]
    if q.name == "search":
        searches: list[dict[str, Any]] = [{"q": w} for w in words]
        searches += [{"q": w, "label": lb} for w in words[:5] for lb in ("Insight", "Agency")]
        searches.append({"q": words[0], "limit": 3})
        out = searches
    return out


@pytest.mark.neo4j
def test_saved_query_parity(stores: tuple[str, EmbeddedStore, Neo4jStore]) -> None:
    name, embedded, neo = stores
    g = embedded.to_networkx()
    ids = {lb.value: sorted(a["id"] for _, a in g.nodes(data=True) if a["label"] == lb)
           for lb in Label}
    words = sorted({w for _, a in g.nodes(data=True) if a["label"] in ("Agency", "Insight")
                    for w in str(a.get("name") or a.get("title") or "").split()[:1]})[:25]
    mismatches, total, empty = [], 0, 0
    for q in all_queries():
        if not q.has_twin:
            continue  # a query file without a networkx twin runs on Neo4j only
        sweep = cases(q, ids, words)
        on_neo = neo4j_rows(neo, q, sweep)
        # the batched run is run_query's own answer (checked on the first case)
        assert run_query(neo, q.name, sweep[0]).rows == on_neo[0], q.name
        for params, b in zip(sweep, on_neo, strict=True):
            a = run_query(embedded, q.name, params)
            total += 1
            empty += not a.rows
            if not same(a.rows, b):
                mismatches.append((q.name, params))
    print(f"parity {name}: {total} cases, {len(mismatches)} mismatches, {empty} empty")
    assert not mismatches, mismatches[:20]
    # Guards the guard: the sweep covers every id, and most cases return rows.
    choice_ids = sum(len(ids[p.choices.value]) + 1 for q in all_queries() for p in q.params
                     if p.choices is not None)
    assert total >= choice_ids > 0
    assert empty < total / 2


@pytest.mark.neo4j
def test_analysis_parity(stores: tuple[str, EmbeddedStore, Neo4jStore]) -> None:
    _, embedded, neo = stores
    ge, gn = embedded.to_networkx(), neo.to_networkx()
    # the same graph on both (node and edge attributes; their order may differ)
    assert dict(ge.nodes(data=True)) == dict(gn.nodes(data=True))
    assert sorted((u, v, k, sorted(d.items())) for u, v, k, d in ge.edges(keys=True, data=True)) \
        == sorted((u, v, k, sorted(d.items())) for u, v, k, d in gn.edges(keys=True, data=True))

    def run(g: Any) -> dict[str, Any]:
        an.clear_cache()
        return {
            "similarity": asdict(an.similarity(g, top=10**6)),
            "communities": asdict(an.communities(g)),
            "reach": [asdict(r) for r in an.reach(g)],
            "bridges": asdict(an.bridges(g)),
            "burden": [asdict(b) for b in an.burden(g)],
            "burden_table": an.burden_table(an.burden(g)),
        }

    a, b = run(ge), run(gn)
    assert a.keys() == b.keys()
    for key in a:
        assert same(a[key], b[key]), key
    assert a["burden"] and a["reach"] and a["similarity"]["pairs"]


@pytest.mark.neo4j
def test_stats_and_datasets_agree(stores: tuple[str, EmbeddedStore, Neo4jStore]) -> None:
    _, embedded, neo = stores
    assert neo.stats() == embedded.stats()
    keep = ("id", "title", "version", "nodes", "relationships", "labels")
    assert ([{k: getattr(d, k) for k in keep} for d in neo.datasets()]
            == [{k: getattr(d, k) for k in keep} for d in embedded.datasets()])


def test_every_saved_query_is_swept() -> None:
    """A new saved query joins the sweep on its own; this fails only if one cannot be run."""
    ids = {lb.value: ["x"] for lb in Label}
    for q in all_queries():
        assert cases(q, ids, ["ord"]), q.name
