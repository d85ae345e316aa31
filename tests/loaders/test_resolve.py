"""Agency resolution (loaders/resolve.py): a second agency's dataset that names the seed's
agencies under ids of its own loads onto the same nodes, queries by either id answer the
same on both backends, ambiguous and conflicting names are refused with their candidates,
`strict` keeps the old refusal, and a rival load between resolution and write is caught."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from graph.embedded import EmbeddedStore
from graph.errors import StoreError, ValidationFailed
from graph.model import GraphData
from graph.settings import reset_settings
from graph.store import GraphStore, LoadCheck, LoadResult, Progress
from insikt_cli.main import cli
from loaders.load import load_dataset
from loaders.package import export_package, import_package
from loaders.resolve import HOW_ALIAS, HOW_NAME, HOW_NEW, HOW_ORG_NR, HOW_SHORT_NAME
from queries.catalog import run_query
from tests.conftest import DATA, REGISTER, SEED

KFM = DATA / "combine" / "kfm"
EXPECTED = {  # the test dataset's own id → (the seed's id, how)
    "kronofogden": ("kronofogdemyndigheten", HOW_ORG_NR),
    "pm": ("pensionsmyndigheten", HOW_ORG_NR),
    "fk": ("forsakringskassan", HOW_NAME),
    "skv": ("skatteverket", HOW_SHORT_NAME),
    "esv": ("statskontoret", HOW_ALIAS),
    "inkassobolaget": ("inkassobolaget", HOW_NEW),
}


@pytest.fixture
def no_register(monkeypatch: pytest.MonkeyPatch) -> None:
    """Resolution against the graph alone (the register is tested on its own)."""
    monkeypatch.delenv("INSIKT_REGISTER", raising=False)
    reset_settings()  # a fixture before this one may have read the settings


def _kfm_copy(tmp_path: Path) -> Path:
    dest = tmp_path / "kfm"
    shutil.copytree(KFM, dest)
    return dest


def _edit_agencies(folder: Path, change: dict[str, dict[str, Any]]) -> None:
    path = folder / "agencies.yaml"
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    for e in entries:
        e.update(change.get(e["id"], {}))
        for k, v in list(e.items()):
            if v is None:
                del e[k]
    path.write_text(yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")


def _how(res: Any) -> dict[str, tuple[str, str]]:
    return {r.local_id: (r.agency_id, r.how) for r in res.resolutions}


def test_a_second_dataset_resolves_onto_the_seed_agencies(store: EmbeddedStore,
                                                          no_register: None) -> None:
    load_dataset(store, SEED)
    agencies_before = store.stats().labels["Agency"]
    res = load_dataset(store, KFM)
    assert _how(res) == EXPECTED
    g = store.graph
    assert store.stats().labels["Agency"] == agencies_before + 1  # only inkassobolaget is new
    assert not any(f"Agency:{local}" in g for local in ("kronofogden", "pm", "fk", "skv", "esv"))
    assert g.nodes["Agency:kronofogdemyndigheten"]["datasets"] == ["kfm-kundinsikter", "seed"]
    assert g.has_edge("Agency:forsakringskassan", "Insight:skuldsatta-bar-beslut-mellan-myndigheter")
    assert g.has_edge("Source:kfm-intervjuer", "Agency:kronofogdemyndigheten")  # PUBLISHED_BY
    assert g.nodes["AgencyAlias:alias:kfm-kundinsikter:pm"]["local_id"] == "pm"
    assert g.has_edge("AgencyAlias:alias:kfm-kundinsikter:pm", "Agency:pensionsmyndigheten")
    # idempotent, and an unload takes the alias table with it
    stats = store.stats()
    assert _how(load_dataset(store, KFM)) == EXPECTED
    assert store.stats() == stats
    store.unload("kfm-kundinsikter")
    assert "AgencyAlias" not in store.stats().labels
    assert store.stats().labels["Agency"] == agencies_before


@pytest.mark.parametrize("query", ["shared-problems", "agency-profile"])
def test_queries_by_either_id_answer_the_same(store: EmbeddedStore, no_register: None,
                                              query: str) -> None:
    load_dataset(store, SEED)
    load_dataset(store, KFM)
    for local, (node, _) in EXPECTED.items():
        by_local = run_query(store, query, {"agency": local}, check_ids=True)
        by_node = run_query(store, query, {"agency": node}, check_ids=True)
        assert by_local.rows == by_node.rows and by_node.rows, (query, local)


def test_the_register_resolves_before_the_seed_is_loaded(store: EmbeddedStore, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    if not REGISTER.exists():
        pytest.skip("../shared register not present")
    monkeypatch.setenv("INSIKT_REGISTER", str(REGISTER))
    reset_settings()
    # An empty graph: the register gives the ids. It does not list "Kronofogden" as a name of
    # Kronofogdemyndigheten, so that org nr under that name is a conflict, until the entry
    # says so (the seed, which lists the alias, is not loaded yet).
    with pytest.raises(ValidationFailed) as info:
        load_dataset(store, KFM)
    (p,) = info.value.problems
    assert p.entry == "'kronofogden'" and "register" in p.message and "conflict" in p.message
    folder = _kfm_copy(tmp_path)
    _edit_agencies(folder, {"kronofogden": {"aliases": ["Kronofogdemyndigheten"]}})
    res = load_dataset(store, folder)
    how = {r.local_id: (r.agency_id, r.how, r.origin) for r in res.resolutions}
    assert how["kronofogden"] == ("kronofogdemyndigheten", HOW_ORG_NR, "register")
    assert how["pm"] == ("pensionsmyndigheten", HOW_ORG_NR, "register")
    assert how["fk"] == ("forsakringskassan", HOW_NAME, "register")
    load_dataset(store, SEED)  # the seed then meets the same nodes
    assert store.graph.nodes["Agency:pensionsmyndigheten"]["datasets"] == [
        "kfm-kundinsikter", "seed"]


def test_strict_refuses_as_before(store: EmbeddedStore, no_register: None) -> None:
    load_dataset(store, SEED)
    with pytest.raises(ValidationFailed) as info:
        load_dataset(store, KFM, strict=True)
    assert {(p.entry, p.hint) for p in info.value.problems} == {
        ("'kronofogden'", "use id: kronofogdemyndigheten, so that both are one agency"),
        ("'pm'", "use id: pensionsmyndigheten, so that both are one agency")}
    assert [d.id for d in store.datasets()] == ["seed"]


def test_conflicting_org_nr_and_name_are_refused_with_candidates(
        store: EmbeddedStore, no_register: None, tmp_path: Path) -> None:
    load_dataset(store, SEED)
    folder = _kfm_copy(tmp_path)
    # Försäkringskassan's name with Skatteverket's org nr; and a name no seed alias knows
    # under Kronofogden's org nr.
    _edit_agencies(folder, {"fk": {"org_nr": "202100-5448", "name": "Försäkringskassan"},
                            "kronofogden": {"name": "Indrivningsverket"}})
    before = store.stats()
    with pytest.raises(ValidationFailed) as info:
        load_dataset(store, folder)
    problems = {p.entry: p for p in info.value.problems}
    assert set(problems) == {"'fk'", "'kronofogden'"}
    assert all((p.file, p.field) == ("agencies.yaml", "org_nr") for p in problems.values())
    assert "'skatteverket'" in problems["'fk'"].message
    assert "conflict" in problems["'fk'"].message
    assert "'kronofogdemyndigheten'" in problems["'kronofogden'"].message
    assert "aliases: [Kronofogdemyndigheten]" in problems["'kronofogden'"].hint
    assert store.stats() == before  # nothing written
    # A different org nr under Försäkringskassan's own name: two org nrs under one name.
    _edit_agencies(folder, {"fk": {"org_nr": "202100-0001"},
                            "kronofogden": {"name": "Kronofogden"}})
    with pytest.raises(ValidationFailed) as info:
        load_dataset(store, folder)
    (p,) = info.value.problems
    assert p.entry == "'fk'" and "two org nrs under one name" in p.message
    assert "202100-5521" in p.hint


def test_ambiguous_name_is_refused_with_candidates(store: EmbeddedStore, no_register: None,
                                                   tmp_path: Path) -> None:
    load_dataset(store, SEED)
    other = tmp_path / "other"
    other.mkdir()
    (other / "dataset.yaml").write_text("id: other\n", encoding="utf-8")
    (other / "agencies.yaml").write_text(yaml.safe_dump([
        {"id": "fk-2", "name": "Fk-verket", "short_name": "FKV", "kind": "annan",
         "illustrative": True}]), encoding="utf-8")
    load_dataset(store, other)
    folder = _kfm_copy(tmp_path)
    _edit_agencies(folder, {"fk": {"name": "FK-kontoret", "short_name": None,
                                   "aliases": ["fk", "fkv"]}})
    with pytest.raises(ValidationFailed) as info:
        load_dataset(store, folder)
    (p,) = info.value.problems
    assert (p.entry, p.field) == ("'fk'", "name") and "ambiguous" in p.message
    assert "'forsakringskassan'" in p.message and "'fk-2'" in p.message
    assert "org nr" in p.hint
    # The org nr says which one.
    _edit_agencies(folder, {"fk": {"org_nr": "202100-5521"}})
    assert _how(load_dataset(store, folder))["fk"] == ("forsakringskassan", HOW_ORG_NR)


def test_two_entries_onto_one_node_are_refused(store: EmbeddedStore, no_register: None,
                                               tmp_path: Path) -> None:
    load_dataset(store, SEED)
    folder = _kfm_copy(tmp_path)
    _edit_agencies(folder, {"skv": {"name": "Kronofogdemyndigheten"}})
    with pytest.raises(ValidationFailed) as info:
        load_dataset(store, folder)
    (p,) = info.value.problems
    assert p.entry == "'skv'" and "kronofogdemyndigheten" in p.message
    assert "merge" in p.hint


def test_a_package_from_another_graph_resolves_too(store: EmbeddedStore, no_register: None,
                                                   tmp_path: Path) -> None:
    elsewhere = EmbeddedStore(tmp_path / "elsewhere.db")
    load_dataset(elsewhere, KFM)  # their graph knows the agencies by the dataset's ids
    zip_path = tmp_path / "kfm.zip"
    export_package(elsewhere.graph, "all", zip_path)
    elsewhere.close()
    load_dataset(store, SEED)
    agencies = store.stats().labels["Agency"]
    res = import_package(store, zip_path)
    how = _how(res.result)
    assert how["kronofogden"] == ("kronofogdemyndigheten", HOW_ORG_NR)
    assert how["fk"] == ("forsakringskassan", HOW_NAME)
    assert store.stats().labels["Agency"] == agencies + 1
    with pytest.raises(ValidationFailed):
        import_package(store, zip_path, strict=True)
    # a package of one agency by a dataset's own id is the node's package; the alias table
    # is bookkeeping and not written
    info = export_package(store.graph, "agency:kronofogden", tmp_path / "one.zip")
    assert info.package_id == "pkg-agency-kronofogdemyndigheten"
    assert not any("AgencyAlias" in w for w in info.warnings)


class RivalFirst:
    """A store whose next write is preceded by a rival load (another process, in effect):
    the rival commits after the resolution read and before the write transaction."""

    def __init__(self, inner: EmbeddedStore, rival: Path, times: int = 1) -> None:
        self.inner, self.rival, self.times = inner, rival, times

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def load(self, data: GraphData, progress: Progress | None = None,
             check: LoadCheck | None = None, *, by: str | None = None) -> LoadResult:
        if self.times > 0:
            self.times -= 1
            load_dataset(self.inner, self.rival)
        return self.inner.load(data, progress, check, by=by)


def _rival(tmp_path: Path, n: int, name: str = "Kronofogden") -> Path:
    folder = tmp_path / f"rival-{n}"
    folder.mkdir()
    (folder / "dataset.yaml").write_text(f"id: rival-{n}\n", encoding="utf-8")
    (folder / "agencies.yaml").write_text(yaml.safe_dump([
        {"id": f"kfm-{n}", "name": name, "org_nr": "202100-5646"}], allow_unicode=True),
        encoding="utf-8")
    return folder


def test_a_rival_load_between_resolution_and_write_is_caught(
        store: EmbeddedStore, no_register: None, tmp_path: Path) -> None:
    # The rival gives Kronofogden's org nr to its own id after our resolution said "new";
    # inside the write the rule catches it, and the load resolves again onto the rival's node.
    st: GraphStore = RivalFirst(store, _rival(tmp_path, 1))
    res = load_dataset(st, KFM)
    assert _how(res)["kronofogden"] == ("kfm-1", HOW_ORG_NR)
    assert [i for i, _ in store.agencies_by_org_nr()["202100-5646"]] == ["kfm-1"]
    # A rival before every attempt, each taking the org nr from the one before: refused
    # with a hint to retry, and nothing of ours written.
    fresh = EmbeddedStore(tmp_path / "fresh.db")
    rivals = [_rival(tmp_path, n) for n in (2, 3, 4)]

    class EveryTime(RivalFirst):
        def load(self, data: GraphData, progress: Progress | None = None,
                 check: LoadCheck | None = None, *, by: str | None = None) -> LoadResult:
            if len(rivals) < 3:
                self.inner.unload(f"rival-{4 - len(rivals)}")
            load_dataset(self.inner, rivals.pop(0))
            return self.inner.load(data, progress, check, by=by)

    every: GraphStore = EveryTime(fresh, rivals[0])
    with pytest.raises(StoreError, match="run the load again"):
        load_dataset(every, _only_kronofogden(tmp_path))
    assert [d.id for d in fresh.datasets()] == ["rival-4"]
    fresh.close()


def _only_kronofogden(tmp_path: Path) -> Path:
    folder = tmp_path / "only-kfm"
    folder.mkdir()
    (folder / "dataset.yaml").write_text("id: only-kfm\n", encoding="utf-8")
    (folder / "agencies.yaml").write_text(yaml.safe_dump([
        {"id": "kronofogden", "name": "Kronofogden", "org_nr": "202100-5646"}]),
        encoding="utf-8")
    return folder


def test_cli_prints_the_resolution_table_and_strict_refuses(
        runner: CliRunner, tmp_path: Path, no_register: None) -> None:
    env = {"INSIKT_STORE": str(tmp_path / "cli.db"), "INSIKT_BACKEND": "embedded"}
    assert runner.invoke(cli, ["load", str(SEED), "-q"], env=env).exit_code == 0
    out = runner.invoke(cli, ["load", str(KFM)], env=env)
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    assert any(ln.split()[:3] == ["kronofogden", "kronofogdemyndigheten", "org"] for ln in lines)
    assert any(ln.split()[:3] == ["esv", "statskontoret", "alias"] for ln in lines)
    assert any(ln.split()[:3] == ["inkassobolaget", "inkassobolaget", "new"] for ln in lines)
    env2 = {**env, "INSIKT_STORE": str(tmp_path / "cli2.db")}
    runner.invoke(cli, ["load", str(SEED), "-q"], env=env2)
    refused = runner.invoke(cli, ["load", "--strict", str(KFM)], env=env2)
    assert refused.exit_code == 2
    assert "use id: kronofogdemyndigheten" in refused.output


@pytest.mark.neo4j
def test_resolution_and_alias_queries_have_parity_on_neo4j(
        neo4j_store: Any, store: EmbeddedStore, no_register: None) -> None:
    results = {}
    for st in (store, neo4j_store):
        load_dataset(st, SEED)
        results[st.backend] = _how(load_dataset(st, KFM))
    assert results["neo4j"] == results[store.backend] == EXPECTED
    assert neo4j_store.stats() == store.stats()
    for query, local in (("shared-problems", "kronofogden"), ("agency-profile", "fk"),
                         ("agency-profile", "esv")):
        node = EXPECTED[local][0]
        a = run_query(neo4j_store, query, {"agency": local}, check_ids=True).rows
        assert a and a == run_query(neo4j_store, query, {"agency": node}).rows
        assert a == run_query(store, query, {"agency": local}).rows
    neo4j_store.unload("kfm-kundinsikter")
    with pytest.raises(ValidationFailed) as info:
        load_dataset(neo4j_store, KFM, strict=True)
    assert {p.entry for p in info.value.problems} == {"'kronofogden'", "'pm'"}
