"""`queries.match` on the labelled fixture (tests/queries/matching_fixture.py): precision and
recall of the proposals, and what a proposal says; `insikt match` in JSON."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from graph.embedded import EmbeddedStore
from insikt_cli.main import cli
from loaders.curation import new_decision, rebuild_curation
from queries.match import DEFAULT_MIN_SCORE, MatchOptions, precision_recall, propose
from tests.queries.matching_fixture import (
    DATASETS,
    MatchingFixture,
    build_insights,
    loaded_store,
    measure,
)


@pytest.fixture(scope="module")
def matching(tmp_path_factory: pytest.TempPathFactory
             ) -> Iterator[tuple[EmbeddedStore, MatchingFixture, Path]]:
    root = tmp_path_factory.mktemp("matching")
    store, fixture = loaded_store(root)
    yield store, fixture, root / "graph.db"
    store.close()


@pytest.fixture(scope="module")
def graph(matching: tuple[EmbeddedStore, MatchingFixture, Path]) -> nx.MultiDiGraph:
    return matching[0].to_networkx()


def test_the_fixture_is_as_large_and_as_hard_as_promised() -> None:
    per, truth, hard = build_insights()
    assert sum(len(v) for v in per.values()) >= 150
    assert len(truth) >= 30 and len(set(truth)) == len(truth)
    assert {a[:1] for a, _ in truth} == {"a"} and {b[:1] for _, b in truth} == {"b", "c"}
    sides = {e["id"]: e for v in per.values() for e in v}
    # some sides have no English at all, some no Swedish statement
    assert any("title_en" not in sides[b] for _, b in truth)
    assert any("statement" not in sides[b] for _, b in truth)
    # a hard negative shares its life event and general insight with a true pair
    for h in hard:
        assert any(sides[h]["life_events"] == sides[a]["life_events"]
                   and sides[h]["instance_of"] == sides[a]["instance_of"] for a, _ in truth)


def test_precision_and_recall_on_the_fixture(
        matching: tuple[EmbeddedStore, MatchingFixture, Path], graph: nx.MultiDiGraph) -> None:
    fixture = matching[1]
    got = propose(graph, MatchOptions(min_score=DEFAULT_MIN_SCORE))
    precision, recall, hits, n = precision_recall(got, fixture.true_pairs)
    print(f"matching: {n} proposals, {hits} of {len(fixture.true_pairs)} true pairs, "
          f"precision {precision:.3f}, recall {recall:.3f}")
    assert precision >= 0.8 and recall >= 0.8, (precision, recall)
    # the same computation as the figures in docs/matching.md
    row = next(r for r in measure((DEFAULT_MIN_SCORE,)))
    assert (row["precision"], row["recall"]) == (round(precision, 3), round(recall, 3))
    doc = (Path(__file__).resolve().parents[2] / "docs" / "matching.md").read_text("utf-8")
    assert f"| {DEFAULT_MIN_SCORE:.2f} | {n} | {hits} | {precision:.3f} | {recall:.3f} |" in doc


def test_a_proposal_pairs_two_datasets_and_says_why(graph: nx.MultiDiGraph) -> None:
    got = propose(graph, MatchOptions(min_score=0.3))
    assert got
    datasets = {a["id"]: a["datasets"] for _, a in graph.nodes(data=True)}
    seen: set[tuple[str, str]] = set()
    for p in got:
        assert not set(datasets[p.a]) & set(datasets[p.b])
        assert 0.0 <= p.score <= 1.0 and p.reason.startswith("text ")
        # one partner per insight and other dataset
        for x, y in ((p.a, p.b), (p.b, p.a)):
            assert (x, datasets[y][0]) not in seen
            seen.add((x, datasets[y][0]))
    assert [p.score for p in got] == sorted((p.score for p in got), reverse=True)
    best = got[0]
    assert best.shared_life_events and best.shared_generals
    assert "same life event" in best.reason and "same general insight" in best.reason


def test_options_narrow_the_proposals(graph: nx.MultiDiGraph) -> None:
    all_ = propose(graph, MatchOptions(min_score=0.3))
    assert len(propose(graph, MatchOptions(min_score=0.3, limit=5))) == 5
    ab = propose(graph, MatchOptions(min_score=0.3, datasets=["match-a", "match-b"]))
    assert ab and all({p.a[:1], p.b[:1]} == {"a", "b"} for p in ab)
    one = propose(graph, MatchOptions(min_score=0.0, insight="a-07"))
    assert one and all("a-07" in (p.a, p.b) for p in one)
    assert len(propose(graph, MatchOptions(min_score=0.9))) < len(all_)


def test_decided_pairs_are_not_proposed_again(tmp_path: Path) -> None:
    store, _ = loaded_store(tmp_path)
    try:
        g = store.to_networkx()
        first = propose(g, MatchOptions())[0]
        rebuild_curation(store, [new_decision("different", first.a, first.b, by="t")])
        g = store.to_networkx()
        assert (first.a, first.b) not in {(p.a, p.b) for p in propose(g, MatchOptions())}
        again = propose(g, MatchOptions(include_decided=True))
        assert (first.a, first.b) in {(p.a, p.b) for p in again}
    finally:
        store.close()


def test_match_json_from_the_cli(matching: tuple[EmbeddedStore, MatchingFixture, Path],
                                 runner: CliRunner) -> None:
    _, fixture, db = matching
    res = runner.invoke(cli, ["--backend", "embedded", "--store", str(db), "match",
                              "--format", "json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.output)
    assert rows and {"a", "b", "score", "reason"} <= set(rows[0])
    precision, _, _, _ = precision_recall(
        propose(matching[0].to_networkx(), MatchOptions()), fixture.true_pairs)
    true = {frozenset(p) for p in fixture.true_pairs}
    assert sum(frozenset((r["a"], r["b"])) in true for r in rows) / len(rows) == precision
    assert set(DATASETS) >= {d for r in rows for d in r["a_datasets"] + r["b_datasets"]}
    table = runner.invoke(cli, ["--backend", "embedded", "--store", str(db), "match",
                                "--limit", "3"])
    assert table.exit_code == 0 and "(3 rows)" in table.output
