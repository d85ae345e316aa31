"""The curation workflow on the embedded store: review files (`insikt match -o` / --apply),
review actions, the curation dataset across reloads and unloads, packages, and the CLI."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import networkx as nx
import pytest
import yaml
from click.testing import CliRunner

from graph.embedded import EmbeddedStore
from graph.errors import NotFound, ValidationFailed
from graph.model import Label, Rel, node_key
from graph.store import CURATION_DATASET, GraphStore
from graph.walk import nodes_of, rels_of_type
from insikt_cli.main import cli
from loaders.curation import (
    CurationRefused,
    apply_review_file,
    rebuild_curation,
    review_action,
    stored_decisions,
    unload_dataset,
    write_review_file,
)
from loaders.load import load_dataset
from loaders.package import export_package, import_package, package_bytes
from queries.catalog import run_query
from queries.match import MatchOptions, propose
from tests.loaders.curation_data import BETA, write, write_both


@pytest.fixture
def two(tmp_path: Path, store: EmbeddedStore) -> tuple[EmbeddedStore, Path, Path]:
    alfa, beta = write_both(tmp_path / "data")
    load_dataset(store, alfa)
    load_dataset(store, beta)
    return store, alfa, beta


def same_problem(g: nx.MultiDiGraph) -> set[tuple[str, str]]:
    return {(g.nodes[u]["id"], g.nodes[v]["id"]) for u, v, _ in rels_of_type(g, Rel.SAME_PROBLEM)}


def status(g: nx.MultiDiGraph, insight: str) -> str:
    return str(g.nodes[node_key(Label.INSIGHT, insight)].get("status", "active"))


def review_file(store: EmbeddedStore, path: Path, decisions: dict[tuple[str, str], str]) -> Path:
    """A review file as `insikt match -o` writes it, with `decisions` filled in."""
    write_review_file(propose(store.to_networkx(), MatchOptions(min_score=0.0)), path)
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    for e in entries:
        e["decision"] = decisions.get((e["a"], e["b"]), "")
        e["note"] = "samma intyg" if e["decision"] else ""
    path.write_text(yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")
    return path


def test_applying_a_review_file_links_and_records_who_when_why(
        two: tuple[EmbeddedStore, Path, Path], tmp_path: Path) -> None:
    store = two[0]
    g = store.to_networkx()
    assert ("x1", "y1") in {(p.a, p.b) for p in propose(g, MatchOptions())}
    path = review_file(store, tmp_path / "review.yaml", {("x1", "y1"): "same",
                                                         ("x2", "y2"): "different"})
    res = apply_review_file(store, path, by="anna")
    assert len(res.recorded) == 2 and res.links == 1 and res.result is not None
    g = store.to_networkx()
    assert same_problem(g) == {("x1", "y1")}
    edge = g.edges[node_key(Label.INSIGHT, "x1"), node_key(Label.INSIGHT, "y1"), "SAME_PROBLEM"]
    assert edge["decided_by"] == "anna" and edge["datasets"] == [CURATION_DATASET]
    kinds = {(d.kind, d.a, d.b, d.by, d.why) for d in stored_decisions(g)}
    assert kinds == {("same", "x1", "y1", "anna", "samma intyg"),
                     ("different", "x2", "y2", "anna", "samma intyg")}
    assert all(d.at.endswith("+00:00") for d in stored_decisions(g))
    assert {d.id for d in store.datasets()} == {"alfa", "beta", CURATION_DATASET}
    # applying the same file again records nothing new and writes nothing
    again = apply_review_file(store, path, by="bo")
    assert again.recorded == [] and again.result is None and again.links == 1


BAD_FILES = [
    ("- a: x1\n  b: y1\n  decision: samma\n", "entry 1 (line 1)", "decision", "not a decision"),
    ("- a: x1\n  b: nope\n  decision: same\n", "entry 1 (line 1)", "b", "no insight 'nope'"),
    ("- a: x1\n  b: y1\n  decison: same\n", "entry 1 (line 1)", "decison", "unknown key"),
    ("- a: x1\n  b: y1\n  decision: same\n- a: y1\n  b: x1\n  decision: different\n",
     "entry 2 (line 4)", "decision", "decided twice"),
    ("- a: x1\n  b: x1\n  decision: same\n", "entry 1 (line 1)", "b", "two different"),
    ("- [x1, y1]\n", "entry 1 (line 1)", "", "expected a mapping"),
    ("a: x1\n", "-", "", "must be a YAML list"),
    ("- a: x1\n  b: y1\n  decision: same\n  note: " + "x" * 3000 + "\n", "entry 1 (line 1)",
     "note", "at most 2000"),
    ("- &a [*a]\n", "line 1", "", "recursive"),
]


@pytest.mark.parametrize(("text", "entry", "field", "message"), BAD_FILES)
def test_a_bad_review_file_names_file_entry_and_field_and_writes_nothing(
        two: tuple[EmbeddedStore, Path, Path], tmp_path: Path, text: str, entry: str,
        field: str, message: str) -> None:
    store = two[0]
    before = (store.stats(), [d.id for d in store.datasets()])
    path = tmp_path / "review.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValidationFailed) as err:
        apply_review_file(store, path, by="anna")
    problems = err.value.problems
    assert any(p.file == "review.yaml" and p.entry.startswith(entry) and p.field == field
               and message in p.message for p in problems), [str(p) for p in problems]
    assert (store.stats(), [d.id for d in store.datasets()]) == before


def test_decisions_survive_reloads_and_wait_for_missing_insights(
        two: tuple[EmbeddedStore, Path, Path], tmp_path: Path) -> None:
    store, alfa, beta = two
    apply_review_file(store, review_file(store, tmp_path / "r.yaml", {("x1", "y1"): "same"}))
    for folder in (alfa, beta, alfa):
        load_dataset(store, folder)
        assert same_problem(store.to_networkx()) == {("x1", "y1")}
    # y1 leaves beta: the link goes, and no node is left that only the curation holds
    write(tmp_path / "beta2", "beta", [e for e in BETA if e["id"] != "y1"])
    load_dataset(store, tmp_path / "beta2")
    g = store.to_networkx()
    assert same_problem(g) == set() and node_key(Label.INSIGHT, "y1") not in g
    assert all(a["datasets"] != [CURATION_DATASET] for _, a in g.nodes(data=True)
               if a["label"] != Label.DECISION)
    assert len(stored_decisions(g)) == 1  # the decision waits
    load_dataset(store, beta)
    assert same_problem(store.to_networkx()) == {("x1", "y1")}
    unload_dataset(store, "alfa")
    g = store.to_networkx()
    assert same_problem(g) == set() and node_key(Label.INSIGHT, "x1") not in g
    load_dataset(store, alfa)
    assert same_problem(store.to_networkx()) == {("x1", "y1")}


def test_review_actions_set_status_and_survive_a_reload(
        two: tuple[EmbeddedStore, Path, Path]) -> None:
    store, _, beta = two
    assert status(store.to_networkx(), "y2") == "proposed"
    res = review_action(store, "accept", "y2", by="anna", why="set i två workshoppar")
    assert res.statuses == 1 and res.recorded[0].by == "anna"
    load_dataset(store, beta)  # beta still says proposed; the curators' decision wins
    g = store.to_networkx()
    assert status(g, "y2") == "active"
    review_action(store, "reject", "y2", why="inget kundproblem")
    assert status(store.to_networkx(), "y2") == "disputed"  # the latest decision is in force
    review_action(store, "merge", "y2", into="x2", by="bo")
    g = store.to_networkx()
    assert status(g, "y2") == "active" and same_problem(g) == {("y2", "x2")}
    assert [d.kind for d in stored_decisions(g)] == ["accept", "reject", "merge"]
    with pytest.raises(NotFound, match="no insight 'nope'"):
        review_action(store, "accept", "nope")
    with pytest.raises(CurationRefused, match="into itself"):
        review_action(store, "merge", "y2", into="y2")
    with pytest.raises(CurationRefused, match="needs the insight"):
        review_action(store, "merge", "y2")
    with pytest.raises(NotFound):
        review_action(store, "merge", "y2", into="nope")
    with pytest.raises(CurationRefused, match="at most 200"):
        review_action(store, "accept", "y2", by="x" * 201)
    assert [d.kind for d in stored_decisions(store.to_networkx())] == ["accept", "reject",
                                                                        "merge"]


def test_a_rebuild_that_changes_nothing_writes_nothing(
        two: tuple[EmbeddedStore, Path, Path]) -> None:
    store = two[0]
    assert rebuild_curation(store).result is None  # no decisions: no curation dataset
    assert CURATION_DATASET not in {d.id for d in store.datasets()}
    review_action(store, "accept", "y2")
    loaded_at = {d.id: d.loaded_at for d in store.datasets()}
    again = rebuild_curation(store)
    assert again.result is None and again.statuses == 1
    assert {d.id: d.loaded_at for d in store.datasets()} == loaded_at


def test_a_dataset_may_not_call_itself_curation(store: EmbeddedStore, tmp_path: Path) -> None:
    folder = write(tmp_path / "c", CURATION_DATASET, [])
    with pytest.raises(ValidationFailed) as err:
        load_dataset(store, folder)
    assert err.value.problems[0].field == "id" and "reserved" in err.value.problems[0].message
    assert store.stats().node_total == 0


def test_decisions_travel_in_packages(two: tuple[EmbeddedStore, Path, Path], tmp_path: Path,
                                      ) -> None:
    store = two[0]
    review_action(store, "merge", "y1", into="x1", by="anna", why="samma problem")
    info = export_package(store.to_networkx(), "all", tmp_path / "pkg.zip")
    assert "decisions.yaml" in info.files
    fresh = EmbeddedStore(tmp_path / "other" / "graph.db")
    try:
        import_package(fresh, tmp_path / "pkg.zip")
        g = fresh.to_networkx()
        assert same_problem(g) == {("y1", "x1")}
        assert [(d.kind, d.by, d.why) for d in stored_decisions(g)] == [
            ("merge", "anna", "samma problem")]
        import_package(fresh, tmp_path / "pkg.zip")  # again: the same decision, stored once
        assert len(stored_decisions(fresh.to_networkx())) == 1
    finally:
        fresh.close()


def test_a_package_with_a_bad_decision_is_refused_before_anything_is_written(
        two: tuple[EmbeddedStore, Path, Path], tmp_path: Path) -> None:
    import hashlib

    store = two[0]
    review_action(store, "accept", "y2")
    export_package(store.to_networkx(), "all", tmp_path / "pkg.zip")
    with zipfile.ZipFile(tmp_path / "pkg.zip") as zf:
        files = {n: zf.read(n) for n in zf.namelist()}
    files["decisions.yaml"] = files["decisions.yaml"].replace(b"kind: accept", b"kind: delete")
    manifest = json.loads(files["manifest.json"])
    for item in manifest["files"]:
        item["sha256"] = hashlib.sha256(files[item["path"]]).hexdigest()
        item["size"] = len(files[item["path"]])
    files["manifest.json"] = json.dumps(manifest).encode("utf-8")
    (tmp_path / "bad.zip").write_bytes(package_bytes(files))
    fresh = EmbeddedStore(tmp_path / "other" / "graph.db")
    try:
        with pytest.raises(ValidationFailed) as err:
            import_package(fresh, tmp_path / "bad.zip")
        assert err.value.problems[0].field == "kind" and "decisions.yaml" in err.value.source
        assert fresh.stats().node_total == 0
    finally:
        fresh.close()


def cli_run(runner: CliRunner, db: Path, *args: str) -> tuple[int, str]:
    res = runner.invoke(cli, ["--backend", "embedded", "--store", str(db), *args])
    return res.exit_code, res.output


def test_the_cli_writes_applies_and_reviews(two: tuple[EmbeddedStore, Path, Path],
                                            tmp_path: Path, runner: CliRunner) -> None:
    store = two[0]
    db = store.path
    store.close()
    code, out = cli_run(runner, db, "match", "--min-score", "0", "-o", str(tmp_path / "r.yaml"))
    assert code == 0 and "Wrote 2 proposals" in out
    text = (tmp_path / "r.yaml").read_text(encoding="utf-8")
    assert text.startswith("# Insiktsgrafen review file")
    entries = yaml.safe_load(text)
    assert {(e["a"], e["b"]) for e in entries} == {("x1", "y1"), ("x2", "y2")}
    (tmp_path / "r.yaml").write_text(text.replace("decision: ''", "decision: same", 1),
                                     encoding="utf-8")
    code, out = cli_run(runner, db, "match", "--apply", str(tmp_path / "r.yaml"), "--by", "anna")
    assert code == 0 and "Recorded 1 decisions" in out and "1 SAME_PROBLEM links" in out
    code, out = cli_run(runner, db, "review", "--format", "json")
    rows = json.loads(out)
    assert [(r["insight"], r["datasets"], r["reported_by"]) for r in rows] == [
        ("y2", ["beta"], ["beta"])]
    code, out = cli_run(runner, db, "review", "accept", "y2", "--by", "anna", "--why", "ok")
    assert code == 0 and "Accepted 'y2' (by anna" in out
    code, out = cli_run(runner, db, "review")
    assert code == 0 and "No insights with status 'proposed'" in out
    (tmp_path / "bad.yaml").write_text("- a: x1\n  b: y1\n  decision: kanske\n",
                                       encoding="utf-8")
    code, out = cli_run(runner, db, "match", "--apply", str(tmp_path / "bad.yaml"))
    assert code == 2 and "bad.yaml: entry 1 (line 1): decision:" in out and "nothing" in out
    code, out = cli_run(runner, db, "review", "merge", "y2", "--into", "nope")
    assert code == 6 and "no insight 'nope'" in out


def test_same_problem_makes_two_agencies_share_a_problem(
        two: tuple[EmbeddedStore, Path, Path]) -> None:
    """alfa reports x1 and beta y1; after `same` they share one problem more (the linked
    pair, shown by one of its ids), and nothing else changes."""
    store = two[0]

    def pair() -> dict[str, object]:
        rows = run_query(store, "shared-problems", {}).rows
        return next(r for r in rows if {r["agency_a"], r["agency_b"]} == {"alfa", "beta"})

    before = pair()
    assert before["shared"] == ["g-kurir"]
    review_action(store, "merge", "y1", into="x1")
    after = pair()
    added = set(after["shared"]) - set(before["shared"])  # type: ignore[call-overload]
    assert after["shared_count"] == 2 and len(added) == 1 and added <= {"x1", "y1"}
    assert nodes_of(store.to_networkx(), Label.DECISION)


def _neo4j_steps(store: GraphStore, data: Path) -> None:
    """The same decisions and reloads, whichever store (fixed times, so the ids agree)."""
    from loaders.curation import new_decision

    alfa, beta = write_both(data)
    load_dataset(store, alfa)
    load_dataset(store, beta)
    rebuild_curation(store, [
        new_decision("same", "x1", "y1", by="anna", why="samma intyg", at="2026-01-01T10:00:00"),
        new_decision("accept", "y2", by="bo", at="2026-01-01T10:01:00")])
    for folder in (alfa, beta):
        load_dataset(store, folder)


@pytest.mark.neo4j
def test_decisions_apply_and_persist_on_neo4j_as_on_the_embedded_store(
        neo4j_store: object, store: EmbeddedStore, tmp_path: Path) -> None:
    from graph.neo4j_store import Neo4jStore

    assert isinstance(neo4j_store, Neo4jStore)
    _neo4j_steps(neo4j_store, tmp_path / "n")
    _neo4j_steps(store, tmp_path / "e")
    gn, ge = neo4j_store.to_networkx(), store.to_networkx()
    assert same_problem(gn) == {("x1", "y1")} and status(gn, "y2") == "active"
    assert dict(gn.nodes(data=True)) == dict(ge.nodes(data=True))
    assert sorted((u, v, k, sorted(d.items())) for u, v, k, d in gn.edges(keys=True, data=True)) \
        == sorted((u, v, k, sorted(d.items())) for u, v, k, d in ge.edges(keys=True, data=True))
    assert rebuild_curation(neo4j_store).result is None  # nothing to change
    unload_dataset(neo4j_store, "beta")
    g = neo4j_store.to_networkx()
    assert same_problem(g) == set() and node_key(Label.INSIGHT, "y1") not in g
    assert len(stored_decisions(g)) == 2
    load_dataset(neo4j_store, tmp_path / "n" / "beta")
    g = neo4j_store.to_networkx()
    assert same_problem(g) == {("x1", "y1")} and status(g, "y2") == "active"
