"""Saved queries as files: a query file joins the catalog from INSIKT_QUERY_DIR, a bad one is
reported (file, line, field) without breaking the rest, names cannot be taken twice, the
embedded store refuses a Cypher-only file with advice, and on Neo4j a file's Cypher runs behind
the read-only guard."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from graph.embedded import EmbeddedStore
from graph.errors import NotFound, Problem, QueryRefused
from graph.model import Label
from graph.neo4j_store import Neo4jStore
from loaders.load import load_dataset
from queries.catalog import (
    LIBRARY,
    all_queries,
    catalog_problems,
    check_choices,
    get_query,
    run_query,
)
from queries.files import (
    MAX_FILE_BYTES,
    QueryFileError,
    cypher_parameters,
    query_files,
    read_query_file,
)
from queries.twins import TWINS
from tests.conftest import TINY

GOOD = """\
name: reporters-of
title_sv: Vem rapporterar insikten
title_en: Who reports the insight
description_sv: Aktörerna som rapporterar en viss insikt, med året.
description_en: The actors that report a given insight, with the year.
params:
  - name: insight
    type: str
    required: true
    choices: Insight
    help_sv: insikten (id)
    help_en: the insight (id)
  - name: since
    type: int
    default: 2000
    minimum: 1900
    help_sv: bara rapporter från det här året
    help_en: only reports from this year on
example:
  insight: kurir
cypher: |
  MATCH (a:Agency)-[r:REPORTS]->(:Insight {id: $insight})
  WHERE coalesce(r.year, 9999) >= $since
  RETURN a.id AS agency, r.year AS year, '$not_a_param' AS note
  ORDER BY agency
"""


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture
def qdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An analyst's query folder, named by INSIKT_QUERY_DIR."""
    folder = tmp_path / "my-queries"
    folder.mkdir()
    monkeypatch.setenv("INSIKT_QUERY_DIR", str(folder))
    return folder


def problems_for(path: Path) -> list[Problem]:
    with pytest.raises(QueryFileError) as exc:
        read_query_file(path, "user", shown=path.name)
    return exc.value.problems


# -- reading one file ---------------------------------------------------------------------------

def test_a_good_file_becomes_a_typed_saved_query(tmp_path: Path) -> None:
    q = read_query_file(write(tmp_path, "reporters-of.yaml", GOOD), "user")
    assert (q.name, q.title_sv, q.title_en, q.origin, q.has_twin) == (
        "reporters-of", "Vem rapporterar insikten", "Who reports the insight", "user", False)
    assert q.description.startswith("The actors") and q.description_sv.startswith("Aktörerna")
    insight, since = q.params
    assert (insight.type, insight.required, insight.choices, insight.help_sv) == (
        "str", True, Label.INSIGHT, "insikten (id)")
    assert (since.type, since.default, since.minimum, since.help) == (
        "int", 2000, 1900, "only reports from this year on")
    assert q.example == {"insight": "kurir"}
    assert q.columns == () and q.order_by == ()  # they come from the Cypher
    assert q.bind({"insight": "kurir", "since": "2019"}) == {"insight": "kurir", "since": 2019}
    with pytest.raises(QueryRefused, match="at least 1900"):
        q.bind({"insight": "kurir", "since": "1800"})


@pytest.mark.parametrize(("text", "entry", "field", "phrase"), [
    (GOOD.replace("type: int", "type: integer"), "line 14", "params[1].type",
     "unknown parameter type 'integer'; use one of str, int, float, bool"),
    (GOOD.replace("title_en: Who reports the insight\n", ""), "line 1", "title_en", "is missing"),
    (GOOD.replace("title_sv:", "colour: red\ntitle_sv:"), "line 2", "colour",
     "is not a known key"),
    (GOOD.replace("    help_sv: insikten (id)\n", "    help_sv: insikten (id)\n    colour: 1\n"),
     "line 12", "params[0].colour", "is not a known key"),
    (GOOD.replace("choices: Insight", "choices: Myndighet"), "line 10", "params[0].choices",
     "unknown label 'Myndighet'"),
    (GOOD.replace("default: 2000", "default: '2000'"), "line 13", "params[1]",
     "default '2000' is not of type int"),
    (GOOD.replace("    default: 2000\n", "    default: 2000\n    required: true\n"), "line 13",
     "params[1]", "a required parameter has no default"),
    (GOOD.replace("WHERE coalesce(r.year, 9999) >= $since",
                  "WHERE coalesce(r.year, 9999) >= $since AND a.kind = $kind"), "line 23", "cypher",
     "uses $kind, which params does not declare"),
    (GOOD.replace("  WHERE coalesce(r.year, 9999) >= $since\n", ""), "line 13", "params[1].name",
     "declares 'since', but the Cypher never uses $since"),
    (GOOD.replace("name: reporters-of", "name: someone-else"), "line 1", "name",
     "must be the file's name (someone-else.yaml)"),
    (GOOD.replace("title_sv: Vem", "title_sv: [Vem"), "line 3", "", "is not valid YAML"),
    (GOOD.replace("title_en: Who reports the insight", "title_en: &t Who\ntitle_x: *t"), "line 3",
     "", "anchors and aliases"),
    (GOOD + "title_sv: again\n", "line 26", "title_sv", "the key appears twice"),
    (GOOD.replace("example:\n  insight: kurir\n", "example:\n  insight: 5\n"), "line 1", "",
     "example insight 5 is not of type str"),
    ("- just\n- a list\n", "line 1", "", "must be a mapping"),
])
def test_a_bad_file_is_reported_with_file_line_and_field(tmp_path: Path, text: str, entry: str,
                                                         field: str, phrase: str) -> None:
    problems = problems_for(write(tmp_path, "reporters-of.yaml", text))
    found = [p for p in problems if phrase in p.message]
    assert found, problems
    assert (found[0].file, found[0].entry, found[0].field) == ("reporters-of.yaml", entry, field)


def test_a_huge_or_binary_file_is_refused_unread(tmp_path: Path) -> None:
    big = write(tmp_path, "big.yaml", "name: big\n# " + "x" * MAX_FILE_BYTES + "\n")
    assert "at most" in problems_for(big)[0].message
    binary = tmp_path / "bin.yaml"
    binary.write_bytes(b"name: \xff\xfe\n")
    assert "not UTF-8" in problems_for(binary)[0].message


def test_cypher_parameters_skip_strings_comments_and_quoted_names() -> None:
    text = ("MATCH (n {id: $id}) // $commented\n"
            "WHERE n.x = '$quoted' AND n.`$odd` = $`spaced name` /* $block */ AND n.y = $0\n"
            "RETURN \"$dq\" AS s, $id AS again")
    assert [name for name, _ in cypher_parameters(text)] == ["id", "spaced name", "0", "id"]


# -- the catalog --------------------------------------------------------------------------------

def test_a_file_in_the_user_folder_joins_the_catalog(qdir: Path) -> None:
    write(qdir, "reporters-of.yaml", GOOD)
    q = get_query("reporters-of")
    assert q.origin == "user" and q.path == str(qdir / "reporters-of.yaml")
    names = [q.name for q in all_queries()]
    assert names.index("reporters-of") == len(names) - 1  # built-ins and the library first
    assert catalog_problems() == []


def test_a_broken_file_is_reported_and_the_rest_still_load(qdir: Path) -> None:
    write(qdir, "reporters-of.yaml", GOOD)
    write(qdir, "broken.yaml", GOOD.replace("reporters-of", "broken")
          .replace("type: int", "type: number"))
    write(qdir, "syntax.yaml", "name: syntax\ncypher: [unclosed\n")
    names = {q.name for q in all_queries()}
    assert {"reporters-of", "shared-problems", "insights-per-year"} <= names
    assert not {"broken", "syntax"} & names
    files = {(Path(p.file).name, p.entry) for p in catalog_problems()}
    assert ("broken.yaml", "line 14") in files
    assert any(f == "syntax.yaml" for f, _ in files)
    assert all(p.file.startswith(str(qdir)) for p in catalog_problems())
    with pytest.raises(NotFound, match=r"query file for 'broken' is invalid.*unknown parameter type"):
        get_query("broken")


def test_a_file_cannot_take_a_built_in_or_a_library_name(qdir: Path) -> None:
    write(qdir, "journey.yaml", GOOD.replace("reporters-of", "journey"))
    write(qdir, "insights-per-year.yaml", GOOD.replace("reporters-of", "insights-per-year"))
    write(qdir, "reporters-of.yaml", GOOD)
    write(qdir, "reporters-of.yml", GOOD)
    problems = {Path(p.file).name: p.message for p in catalog_problems()}
    assert "built-in query 'journey'" in problems["journey.yaml"]
    assert "queries/library/insights-per-year.yaml" in problems["insights-per-year.yaml"]
    assert f"{qdir}/reporters-of.yaml" in problems["reporters-of.yml"]
    assert get_query("journey").origin == "builtin"
    assert get_query("insights-per-year").origin == "library"
    assert get_query("reporters-of").path.endswith(".yaml")


def test_a_missing_user_folder_is_a_problem_not_a_crash(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INSIKT_QUERY_DIR", str(tmp_path / "nope"))
    assert "shared-problems" in {q.name for q in all_queries()}
    (problem,) = catalog_problems()
    assert str(problem) == f"{tmp_path / 'nope'}: INSIKT_QUERY_DIR: is not a folder"


def test_the_catalog_rereads_a_changed_file(qdir: Path) -> None:
    path = write(qdir, "reporters-of.yaml", GOOD)
    assert get_query("reporters-of").title_en == "Who reports the insight"
    path.write_text(GOOD.replace("Who reports the insight", "Reporters"), encoding="utf-8")
    assert get_query("reporters-of").title_en == "Reporters"
    path.unlink()
    with pytest.raises(NotFound, match="no saved query 'reporters-of'"):
        get_query("reporters-of")


def test_the_shipped_library_loads_cleanly_with_a_twin_for_every_file() -> None:
    files = query_files(LIBRARY)
    assert len(files) >= 3 and catalog_problems() == []
    assert {p.stem for p in files} == set(TWINS)
    for path in files:
        q = get_query(path.stem)
        assert q.origin == "library" and q.has_twin, q.name
        assert q.description_sv and q.description and q.description_sv != q.description
        assert all(p.help_sv and p.help and p.help_sv != p.help for p in q.params), q.name
        assert {c.lstrip("-") for c in q.order_by} <= set(q.columns)


def test_unknown_parameter_names_get_a_did_you_mean() -> None:
    with pytest.raises(QueryRefused, match=r"no parameter lifeevent \(did you mean life_event\?\)"):
        get_query("shared-problems").bind({"lifeevent": "x"})
    with pytest.raises(NotFound, match=r"did you mean shared-problems\?"):
        get_query("shared-problem")


# -- running ------------------------------------------------------------------------------------

def test_on_the_embedded_store_a_cypher_only_file_says_it_needs_neo4j(
        qdir: Path, store: EmbeddedStore) -> None:
    write(qdir, "reporters-of.yaml", GOOD)
    load_dataset(store, TINY)
    with pytest.raises(QueryRefused) as exc:
        run_query(store, "reporters-of", {"insight": "kurir"})
    for phrase in ("runs on Neo4j", "insikt neo4j start", "load your data", "--backend neo4j",
                   "reporters-of.yaml"):
        assert phrase in str(exc.value)
    # the library's files have twins: they answer here
    assert run_query(store, "insights-per-year").rows


def test_ids_of_parameters_with_choices_are_checked(store: EmbeddedStore) -> None:
    load_dataset(store, TINY)
    q = get_query("shared-problems")
    check_choices(store, q, {"life_event": "nar-nagon-har-dott"})
    with pytest.raises(NotFound, match=r"no LifeEvent with id 'nar-nagon-har-dot'.*did you mean "
                                       r"nar-nagon-har-dott\?"):
        check_choices(store, q, {"life_event": "nar-nagon-har-dot"})
    with pytest.raises(NotFound, match=r"finns-inte.*the ids include .*nar-nagon-har-dott"):
        run_query(store, "shared-problems", {"life_event": "finns-inte"}, check_ids=True)
    assert run_query(store, "shared-problems", {"life_event": "finns-inte"}).rows == []


@pytest.mark.neo4j
def test_a_user_file_runs_on_neo4j_behind_the_read_only_guard(qdir: Path,
                                                              neo4j_store: Neo4jStore) -> None:
    load_dataset(neo4j_store, TINY)
    write(qdir, "reporters-of.yaml", GOOD)
    res = run_query(neo4j_store, "reporters-of", {"insight": "intyg-till-banken"})
    assert res.columns == ("agency", "year", "note")
    assert [(r["agency"], r["year"]) for r in res.rows] == [
        ("forsakringskassan", 2021), ("skatteverket", 2020)]
    assert res.rows[0]["note"] == "$not_a_param" and not res.truncated
    assert run_query(neo4j_store, "reporters-of", {"insight": "intyg-till-banken",
                                                   "since": 2021}).rows == [
        {"agency": "forsakringskassan", "year": 2021, "note": "$not_a_param"}]
    with pytest.raises(NotFound, match=r"no Insight with id 'kurr'.*did you mean kurir"):
        run_query(neo4j_store, "reporters-of", {"insight": "kurr"}, check_ids=True)
    # a file that writes is refused like ad-hoc Cypher, and nothing is written
    write(qdir, "rename.yaml", """\
        name: rename
        title_sv: Byt namn
        title_en: Rename
        description_sv: Skriver, vilket en sparad fråga inte får göra.
        description_en: Writes, which a saved query may not do.
        cypher: MATCH (a:Agency) SET a.name = 'x' RETURN a.id AS id
        """)
    before = neo4j_store.stats()
    with pytest.raises(QueryRefused, match="writes"):
        run_query(neo4j_store, "rename")
    assert neo4j_store.stats() == before
    names = {r["name"] for r in run_query(neo4j_store, "search", {"q": "skatteverket"}).rows}
    assert "x" not in names
    # the row cap holds for files too, with a message
    capped = run_query(neo4j_store, "reporters-of", {"insight": "intyg-till-banken"}, row_cap=1)
    assert capped.truncated and len(capped.rows) == 1 and capped.message


def test_the_pure_python_yaml_reader_gives_the_same_problems(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where libyaml is missing, PyYAML's own SafeLoader reads the files: same lines."""
    import yaml

    from queries import files

    bad = write(tmp_path, "reporters-of.yaml", GOOD.replace("type: int", "type: integer"))
    with_c = [(p.entry, p.field) for p in problems_for(bad)]
    monkeypatch.setattr(files, "_Loader", yaml.SafeLoader)
    assert [(p.entry, p.field) for p in problems_for(bad)] == with_c == [("line 14",
                                                                           "params[1].type")]
    assert read_query_file(write(tmp_path, "reporters-of.yaml", GOOD), "user").params[1].default \
        == 2000


def test_a_user_file_never_gets_a_twin(tmp_path: Path) -> None:
    """Twins are Python; only the shipped library is matched with them, by name."""
    from queries.files import read_folder

    write(tmp_path, "insights-per-year.yaml", GOOD.replace("reporters-of", "insights-per-year"))
    (q,) = read_folder(tmp_path, "user", {}).queries
    assert not q.has_twin and q.columns == ()
    (lib,) = read_folder(tmp_path, "library", {}, twins=TWINS).queries
    assert lib.has_twin
