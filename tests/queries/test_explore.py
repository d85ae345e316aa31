"""Click-to-explore's graph logic (queries.explore) and the console's parameter tokenizer
(queries.cypher_params), on the seed data. Expected answers come from the seed YAML or from
networkx itself, not from the functions under test."""

from __future__ import annotations

import math
from typing import Any

import networkx as nx
import pytest
import yaml

from graph.embedded import EmbeddedStore
from graph.errors import QueryRefused
from loaders.load import load_dataset
from queries import explore, subgraph
from queries.cypher_params import parameter_names, parse_value, suggested_types, value_text
from tests.conftest import SEED

FK = "Agency:forsakringskassan"
ALL = list(subgraph.LABEL_ORDER)


@pytest.fixture(scope="module")
def g(tmp_path_factory: pytest.TempPathFactory) -> nx.MultiDiGraph:
    st = EmbeddedStore(tmp_path_factory.mktemp("explore") / "graph.db")
    load_dataset(st, SEED)
    graph = st.to_networkx()
    st.close()
    return graph


def seed(name: str) -> list[dict[str, Any]]:
    return list(yaml.safe_load((SEED / f"{name}.yaml").read_text(encoding="utf-8")) or [])


def around(g: nx.MultiDiGraph, n: str) -> set[str]:
    return set(nx.all_neighbors(g, n)) - {n}


# -- the view -------------------------------------------------------------------------------

def test_expanding_adds_exactly_the_neighbours_and_keeps_the_rest(g: nx.MultiDiGraph) -> None:
    base = explore.explore_view(g, FK, 1, ALL)
    assert set(base.nodes) == around(g, FK) | {FK}
    x = next(n for n in base.nodes if n != FK and around(g, n) - set(base.nodes))
    grown = explore.explore_view(g, FK, 1, ALL, expanded=[x])
    assert grown.nodes[:len(base.nodes)] == base.nodes  # nothing drawn before is lost
    assert set(grown.nodes) == set(base.nodes) | around(g, x)
    # every edge among the drawn nodes is drawn, and no other
    want = {(u, v, k) for u, v, k in g.edges(keys=True) if u in set(grown.nodes)
            and v in set(grown.nodes)}
    assert {(e.start, e.end, e.type) for e in grown.edges} == want
    # collapsing it again gives the first view back
    assert explore.explore_view(g, FK, 1, ALL, expanded=[]).nodes == base.nodes


def test_hiding_and_the_label_filter(g: nx.MultiDiGraph) -> None:
    base = explore.explore_view(g, FK, 1, ALL)
    x = base.nodes[-1]
    hidden = explore.explore_view(g, FK, 1, ALL, hidden=[x, FK])  # the focus cannot be hidden
    assert set(hidden.nodes) == set(base.nodes) - {x} and FK in hidden.nodes
    assert all(x not in (e.start, e.end) for e in hidden.edges)
    # an expansion adds only nodes of the chosen labels
    only = ["Agency", "Insight"]
    ins = next(n for n in base.nodes if g.nodes[n]["label"] == "Insight")
    view = explore.explore_view(g, FK, 1, only, expanded=[ins])
    assert {g.nodes[n]["label"] for n in view.nodes} <= set(only)
    assert set(view.nodes) >= {n for n in around(g, ins) if g.nodes[n]["label"] in only}


def test_expansions_share_the_cap(g: nx.MultiDiGraph) -> None:
    base = explore.explore_view(g, FK, 1, ALL)
    x = next(n for n in base.nodes if len(around(g, n) - set(base.nodes)) >= 3)
    capped = explore.explore_view(g, FK, 1, ALL, expanded=[x], cap=len(base.nodes) + 2)
    assert len(capped.nodes) == len(base.nodes) + 2
    assert capped.cut_total == len(around(g, x) - set(base.nodes)) - 2


def test_labels_stay_readable_at_depth_two(g: nx.MultiDiGraph) -> None:
    small = explore.explore_view(g, FK, 1, ALL)
    assert explore.labelled(g, small) == set(small.nodes) or len(small.nodes) > 40
    deep = explore.explore_view(g, "LifeEvent:nar-nagon-har-dott", 2, ALL)
    assert len(deep.nodes) > 40
    keep = [deep.nodes[-1]]
    shown = explore.labelled(g, deep, keep=keep, hubs=10)
    assert "LifeEvent:nar-nagon-har-dott" in shown and keep[0] in shown
    assert len(shown) <= 12
    degree = {n: sum(1 for e in deep.edges if n in (e.start, e.end)) for n in deep.nodes}
    hubs = shown - {deep.focus, *keep}
    assert hubs and min(degree[n] for n in hubs) >= sorted(degree.values())[-10]


def test_known_positions_are_kept_and_new_nodes_start_near_them(g: nx.MultiDiGraph) -> None:
    base = explore.explore_view(g, FK, 1, ALL)
    known = {n: (float(i * 50), float(-i * 30)) for i, n in enumerate(base.nodes)}
    x = next(n for n in base.nodes if around(g, n) - set(base.nodes))
    grown = explore.explore_view(g, FK, 1, ALL, expanded=[x])
    start = explore.initial_positions(grown, known)
    assert all(start[n] == known[n] for n in base.nodes)
    for n in set(grown.nodes) - set(base.nodes):
        anchors = [known[m] for m in around(g, n) if m in known]
        cx, cy = (sum(p[0] for p in anchors) / len(anchors), sum(p[1] for p in anchors)
                  / len(anchors))
        assert 100 < math.dist(start[n], (cx, cy)) < 400
        # … on the far side of its anchor, seen from the middle of the view
        mx = sum(p[0] for p in known.values()) / len(known)
        my = sum(p[1] for p in known.values()) / len(known)
        assert math.dist(start[n], (mx, my)) > math.dist((cx, cy), (mx, my))


# -- the side panel ---------------------------------------------------------------------------

def test_node_details_list_the_relationships_of_the_data(g: nx.MultiDiGraph) -> None:
    d = explore.node_details(g, FK, "sv")
    assert d is not None and d.name == "Försäkringskassan" and d.label == "Agency"
    reported = {i["id"] for i in seed("insights")
                for r in i.get("reported_by") or [] if r["agency"] == "forsakringskassan"}
    assert {lk.id for lk in d.links if lk.rel == "REPORTS" and lk.outgoing} == reported
    assert len(d.links) == g.in_degree(FK) + g.out_degree(FK)
    agency = next(a for a in seed("agencies") if a["id"] == "forsakringskassan")
    assert ("org_nr", str(agency["org_nr"])) in d.fields
    ins = next(i for i in seed("insights") if i.get("statement"))
    di = explore.node_details(g, f"Insight:{ins['id']}", "sv")
    assert di is not None and di.text == ins["statement"].strip()
    assert explore.node_details(g, "Agency:finns-inte", "sv") is None


# -- the graph in an ad-hoc result ----------------------------------------------------------

def plain_node(label: str, nid: str) -> dict[str, Any]:
    return {"label": label, "id": nid, "name": "x"}


def test_result_graph_reads_nodes_relationships_and_paths(g: nx.MultiDiGraph) -> None:
    ins = "kunden-far-agera-kurir"
    reporters = sorted(r["agency"] for i in seed("insights") if i["id"] == ins
                       for r in i.get("reported_by") or [])
    rel = {"type": "REPORTS", "start": {"label": "Agency", "id": reporters[0]},
           "end": {"label": "Insight", "id": ins}, "year": 2024}
    path = {"nodes": [plain_node("Agency", reporters[0]), plain_node("Insight", ins)],
            "relationships": [rel]}
    rows: list[dict[str, Any]] = [
        {"p": path, "n": 3}, {"others": [plain_node("Agency", a) for a in reporters[1:]]},
        {"ghost": plain_node("Agency", "finns-inte"), "text": "Agency"}]
    assert explore.has_graph(rows) and not explore.has_graph([{"n": 1, "m": {"a": [2]}}])
    view = explore.result_graph(g, rows)
    assert set(view.nodes) == {f"Agency:{a}" for a in reporters} | {f"Insight:{ins}"}
    assert [(e.start, e.end, e.type) for e in view.edges] == [
        (f"Agency:{reporters[0]}", f"Insight:{ins}", "REPORTS")]
    # nodes only: the graph's own edges among them
    only = explore.result_graph(g, [{"a": plain_node("Agency", a)} for a in reporters]
                                + [{"i": plain_node("Insight", ins)}])
    assert {(e.start, e.end) for e in only.edges} == {(f"Agency:{a}", f"Insight:{ins}")
                                                       for a in reporters}
    assert explore.cell_text(rel) == f"({reporters[0]})-[REPORTS]->({ins})"
    assert explore.cell_text(plain_node("Agency", "a"), {"Agency": {"a": "A"}}) == "Agency: A (a)"
    assert explore.cell_text(7) == 7


# -- $parameters ------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "names"), [
    ("MATCH (a {id: $id}) RETURN a LIMIT $n", ["id", "n"]),
    ("RETURN '$notme', \"$nor \\\" $me\", $yes", ["yes"]),
    ("RETURN 1 // $comment\nAS x, $after", ["after"]),
    ("RETURN /* $a\n $b */ $c, $c", ["c"]),
    ("RETURN $`odd name`, $`tick``tock`, $0, `$quoted`", ["odd name", "tick`tock", "0"]),
    ("RETURN 'it\\'s $x' + $åäö_1", ["åäö_1"]),
    ("RETURN $ AS x, 'unclosed $y", []),
])
def test_parameter_names(text: str, names: list[str]) -> None:
    assert parameter_names(text) == names


def test_suggested_types() -> None:
    text = ("MATCH (a {id: $id}) RETURN a SKIP $from LIMIT\n  $n UNION RETURN 'LIMIT' + $s "
            "LIMIT toInteger($m)")
    assert suggested_types(text) == {"id": "str", "from": "int", "n": "int", "s": "str",
                                     "m": "str"}
    assert list(suggested_types(text)) == parameter_names(text)


def test_parse_value_is_typed_and_strict() -> None:
    assert parse_value("int", " 42 ") == 42 and parse_value("int", "-3") == -3
    assert parse_value("float", "2.5") == 2.5
    assert parse_value("bool", "TRUE") is True and parse_value("bool", "false") is False
    assert parse_value("list", "a, b ,,c") == ["a", "b", "c"]
    assert parse_value("list", '[1, "x", true, null]') == [1, "x", True, None]
    assert parse_value("str", " as is ") == " as is "
    for kind, bad in [("int", "4.2"), ("int", "١٢"), ("int", "9" * 25), ("float", "nan"),
                      ("float", "inf"), ("bool", "yes"), ("list", '[{"a": 1}]'),
                      ("list", "[1,"), ("date", "x")]:
        with pytest.raises(QueryRefused):
            parse_value(kind, bad)
    for kind, v in [("int", 5), ("float", 1.5), ("bool", True), ("list", ["a", 1]),
                    ("str", "x")]:
        assert parse_value(kind, value_text(v)) == v


@pytest.mark.neo4j
def test_the_tokenizer_agrees_with_the_server(neo4j_store: Any) -> None:
    """The server's own list of missing parameters (EXPLAIN without values) is the oracle."""
    texts = ["MATCH (a {id: $id}) WHERE a.n > $`we ird` RETURN a LIMIT $lim",
             "RETURN '$no' AS a, $yes AS b // $comment",
             "RETURN /* $x */ $y AS y, \"$z\" AS z, $`a b` AS w",
             "UNWIND $list AS x RETURN x, $0 AS zero"]
    for text in texts:
        # the store's sessions turn notifications off; this one asks for warnings
        with neo4j_store.driver.session(database=neo4j_store.database,
                                        notifications_min_severity="WARNING") as s:
            summary = s.run("EXPLAIN " + text).consume()
        missing: set[str] = set()
        for status in summary.gql_status_objects:
            if status.gql_status == "01N60":  # parameter missing: $`a`, $`b` and $`c`
                desc = status.status_description
                i = 0
                while (i := desc.find("$`", i)) >= 0:
                    j, name = i + 2, []
                    while not (desc[j] == "`" and desc[j + 1:j + 2] != "`"):
                        name.append(desc[j])
                        j += 2 if desc[j] == "`" else 1
                    missing.add("".join(name))
                    i = j + 1
        assert missing == set(parameter_names(text)), (text, missing)

