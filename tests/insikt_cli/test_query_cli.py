"""The CLI's rough edges, each fixed: unknown ids and parameter names get "did you mean" and a
non-zero exit, tables stay aligned with long ids, the help lists every exit code, and query
files show up in `insikt queries` (warnings for broken ones) and run through `insikt query`."""

from __future__ import annotations

import importlib
import itertools
import pkgutil
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.errors import exit_codes
from graph.neo4j_store import Neo4jStore
from insikt_cli.main import cli
from insikt_cli.messages import EXIT_MEANINGS, exit_code_text
from loaders.load import load_dataset
from tests.conftest import ROOT, TINY
from tests.queries.test_query_files import GOOD, write


def run(runner: CliRunner, store: Path, *args: str) -> tuple[int, str, str]:
    res = runner.invoke(cli, ["--backend", "embedded", "--store", str(store), *args])
    return res.exit_code, res.stdout, res.stderr


@pytest.fixture
def tiny_store(runner: CliRunner, store_path: Path) -> Path:
    assert run(runner, store_path, "load", str(TINY), "-q")[0] == 0
    return store_path


def test_an_id_that_is_not_in_the_graph_stops_with_close_ids(runner: CliRunner,
                                                            tiny_store: Path) -> None:
    code, out, err = run(runner, tiny_store, "query", "shared-problems", "-p",
                         "life_event=finns-inte")
    assert code == 6 and out == ""
    assert "no LifeEvent with id 'finns-inte'" in err
    assert "nar-nagon-har-dott" in err and "insikt query search" in err  # what there is
    code, _, err = run(runner, tiny_store, "query", "who-does-what", "-p",
                       "life_event=nar-nagon-har-dot")
    assert code == 6 and "did you mean nar-nagon-har-dott?" in err
    code, out, _ = run(runner, tiny_store, "query", "shared-problems", "-p",
                       "life_event=nar-nagon-har-dott")
    assert code == 0 and "skatteverket" in out


def test_an_unknown_parameter_name_gets_did_you_mean(runner: CliRunner, tiny_store: Path) -> None:
    code, out, err = run(runner, tiny_store, "query", "shared-problems", "-p",
                         "lifeevent=nar-nagon-har-dott")
    assert code == 4 and out == ""
    assert "no parameter lifeevent (did you mean life_event?)" in err
    code, _, err = run(runner, tiny_store, "query", "shared-problem")
    assert code == 6 and "did you mean shared-problems?" in err
    code, _, err = run(runner, tiny_store, "query", "journey", "-p", "life_event")
    assert code == 4 and "-p life_event=nar-nagon-har-dott" in err  # the query's own example


def test_datasets_stay_aligned_with_long_ids(runner: CliRunner, store_path: Path,
                                             tmp_path: Path) -> None:
    long_id = "ett-mycket-langt-dataset-id-som-inte-far-plats-i-tjugo-tecken"
    folder = tmp_path / "long"
    shutil.copytree(TINY, folder)
    manifest = folder / "dataset.yaml"
    manifest.write_text(re.sub(r"(?m)^id: .*$", f"id: {long_id}",
                               manifest.read_text(encoding="utf-8")), encoding="utf-8")
    for path in (TINY, folder):
        assert run(runner, store_path, "load", str(path), "-q")[0] == 0
    code, out, _ = run(runner, store_path, "datasets")
    assert code == 0
    header, rule, *rows = out.splitlines()
    assert len(rows) == 2 and header.split()[:3] == ["id", "nodes", "rels"]
    spans = [m.span() for m in re.finditer(r"-+", rule)]  # each column's place
    for line in (header, *rows):
        for (_, end), (start, _) in itertools.pairwise(spans):
            assert line[end:start].strip() == "", f"a cell spills into the gap: {line!r}"
    ids = {row[slice(*spans[0])].strip() for row in rows}
    assert ids == {"tiny", long_id}
    for row in rows:  # counts right-aligned in their column, the load time where its column is
        assert row[slice(*spans[1])].endswith("19") and row[slice(*spans[1])].strip() == "19"
        assert re.fullmatch(r"20\d\d-\d\d-\d\dT[\d:]+\+00:00\s*", row[slice(*spans[3])])


def test_the_help_lists_every_exit_code_the_error_classes_define(runner: CliRunner) -> None:
    for package in ("graph", "loaders", "queries", "insikt_cli"):  # every error class declared
        for mod in pkgutil.walk_packages([str(ROOT / package)], prefix=f"{package}."):
            importlib.import_module(mod.name)
    codes = exit_codes()
    assert {2, 3, 4, 5, 6} <= set(codes)
    help_text = " ".join(runner.invoke(cli, ["--help"]).stdout.split())
    for code in [0, *codes]:
        assert code in EXIT_MEANINGS, f"exit code {code} has no words in insikt_cli/messages.py"
        assert f"{code} {EXIT_MEANINGS[code]}" in help_text
    assert exit_code_text() in help_text
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert exit_code_text() in readme, "README's exit codes differ from `insikt --help`"


# -- query files --------------------------------------------------------------------------------

@pytest.fixture
def qdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "my-queries"
    write(folder, "reporters-of.yaml", GOOD)
    write(folder, "broken.yaml", GOOD.replace("reporters-of", "broken")
          .replace("type: int", "type: number"))
    monkeypatch.setenv("INSIKT_QUERY_DIR", str(folder))
    return folder


def test_queries_lists_files_and_warns_about_broken_ones(runner: CliRunner, store_path: Path,
                                                         qdir: Path) -> None:
    code, out, err = run(runner, store_path, "queries", "--lang", "en")
    assert code == 0
    lines = {line.split()[0]: line for line in out.splitlines()[2:]}
    assert "Who reports the insight" in lines["reporters-of"]
    assert "neo4j only" in lines["reporters-of"] and "your folder" in lines["reporters-of"]
    assert "embedded, neo4j" in lines["insights-per-year"]
    assert "queries/library" in lines["insights-per-year"]
    assert "built in" in lines["shared-problems"]
    assert "broken" not in lines
    assert "Warning:" in err and "broken.yaml: line 14: params[1].type" in err
    assert "unknown parameter type 'number'" in err


def test_queries_verbose_shows_parameters_and_cypher(runner: CliRunner, store_path: Path,
                                                     qdir: Path) -> None:
    code, out, _ = run(runner, store_path, "queries", "-v")
    assert code == 0
    block = out.split("\nreporters-of  ")[1]
    assert block.startswith("Vem rapporterar insikten")
    assert "Aktörerna som rapporterar" in block  # Swedish by default
    assert f"File: {qdir / 'reporters-of.yaml'}" in block and "Runs on: neo4j only" in block
    assert "-p insight=<str>  insikten (id) (required; Insight id)" in block
    assert "-p since=<int>  bara rapporter från det här året (default 2000; at least 1900)" in block
    assert "Example: insikt query reporters-of -p insight=kurir" in block
    assert "    MATCH (a:Agency)-[r:REPORTS]->(:Insight {id: $insight})" in block
    assert "    ORDER BY specific_count DESC, shared_count DESC, jaccard DESC, agency_a, agency_b" \
        in out  # built-ins show theirs
    english = run(runner, store_path, "queries", "-v", "--lang", "en")[1]
    assert "-p since=<int>  only reports from this year on (default 2000" in english


def test_query_refuses_a_cypher_only_file_on_the_embedded_store(runner: CliRunner,
                                                                tiny_store: Path,
                                                                qdir: Path) -> None:
    code, out, err = run(runner, tiny_store, "query", "reporters-of", "-p",
                         "insight=intyg-till-banken")
    assert code == 4 and out == ""
    assert "insikt neo4j start" in err and "--backend neo4j" in err
    code, _, err = run(runner, tiny_store, "query", "broken")
    assert code == 6 and "broken.yaml" in err and "unknown parameter type" in err
    code, out, _ = run(runner, tiny_store, "query", "insights-per-year")
    assert code == 0 and "2020" in out  # the library's files have twins


@pytest.mark.neo4j
def test_a_dropped_file_runs_on_neo4j_through_the_cli(runner: CliRunner, qdir: Path,
                                                      neo4j_store: Neo4jStore) -> None:
    load_dataset(neo4j_store, TINY)
    res = runner.invoke(cli, ["--backend", "neo4j", "query", "reporters-of", "-p",
                              "insight=intyg-till-banken", "--format", "csv"])
    assert res.exit_code == 0, res.output
    assert res.stdout.splitlines() == ["agency,year,note", "forsakringskassan,2021,$not_a_param",
                                       "skatteverket,2020,$not_a_param"]
    res = runner.invoke(cli, ["--backend", "neo4j", "query", "reporters-of", "-p",
                              "insight=intyg-till-bank"])
    assert res.exit_code == 6 and "did you mean intyg-till-banken?" in res.stderr
