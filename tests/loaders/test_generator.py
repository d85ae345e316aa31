"""The generator (`insikt generate`, loaders.generator): valid, repeatable, skewed datasets,
with the register's agencies or made-up ones, and several datasets that name agencies
differently. Scales stay small (1–3) to keep the suite fast."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from graph.embedded import EmbeddedStore
from graph.errors import InsiktError, ValidationFailed
from graph.ids import org_nr_problem
from insikt_cli.main import cli
from loaders.dataset import read_dataset, validate_dataset
from loaders.generator import (
    GENERAL,
    MAPPING_FILE,
    SEED_SPECIFIC_INSIGHTS,
    SYNTHETIC_AGENCIES,
    generate,
    generate_entries,
)
from loaders.load import load_dataset
from loaders.register import read_register, register_graph
from loaders.writer import CHUNK, FIELDS, dump_yaml, write_entries
from tests.conftest import REGISTER, ROOT

needs_register = pytest.mark.skipif(not REGISTER.exists(), reason="../shared register not present")


def entries(folder: Path, stem: str) -> list[dict[str, Any]]:
    items = yaml.safe_load((folder / f"{stem}.yaml").read_text(encoding="utf-8"))
    assert isinstance(items, list)
    return items


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def reporter_counts(folder: Path) -> list[int]:
    return [len(x["reported_by"]) for x in entries(folder, "insights") if x["kind"] == "specific"]


def test_same_seed_same_bytes_other_seed_other_content(tmp_path: Path) -> None:
    a = generate(tmp_path / "a", scale=2, seed=11, datasets=2).folders[0].parent
    b = tmp_path / "b"  # another process, with another hash seed for str and set order
    subprocess.run([sys.executable, "-m", "insikt_cli.main", "generate", "--scale", "2",
                    "--seed", "11", "--datasets", "2", "--synthetic-agencies", "-o", str(b)],
                   cwd=ROOT, env={**os.environ, "PYTHONHASHSEED": "4711"}, check=True,
                   capture_output=True, timeout=120)
    c = generate(tmp_path / "c", scale=2, seed=12, datasets=2).folders[0].parent
    assert files(a) == files(b)
    assert len(files(a)) == 2 * 8 + 1  # two dataset folders of eight files, and the mapping
    assert files(a)["generated-1/insights.yaml"] != files(c)["generated-1/insights.yaml"]


@pytest.mark.parametrize("scale", [1, 3])
def test_valid_at_small_scales_without_a_register(tmp_path: Path, scale: int) -> None:
    folder = tmp_path / "d"
    report = generate(folder, scale=scale, seed=7)
    assert report.folders == [folder]  # one dataset: the folder itself
    assert validate_dataset(folder)[1] == []
    counts = report.counts["generated"]
    specific = [x for x in entries(folder, "insights") if x["kind"] == "specific"]
    assert len(specific) == SEED_SPECIFIC_INSIGHTS * scale
    assert counts["insights"] == len(specific) + len(GENERAL)
    assert counts["agencies"] == SYNTHETIC_AGENCIES
    labels = read_dataset(folder).label_counts()
    assert labels["Insight"] == counts["insights"] and labels["Agency"] == SYNTHETIC_AGENCIES
    for stem in ("domains", "life_events", "sources", "principles", "journeys"):
        assert counts[stem] > 0, stem
    journeys = entries(folder, "journeys")
    assert all(len(j["steps"]) >= 3 for j in journeys)
    assert any(s.get("customer_carries") for j in journeys for s in j["steps"])
    principles = entries(folder, "principles")
    assert any(p.get("addresses") for p in principles)
    assert any(p.get("applied_by") for p in principles)
    assert any(not p.get("applied_by") for p in principles)  # an action gap to find


@needs_register
@pytest.mark.parametrize("scale", [1, 2])
def test_valid_with_the_register_and_its_ids(tmp_path: Path, scale: int) -> None:
    report = generate(tmp_path / "d", scale=scale, seed=3, register=REGISTER)
    assert validate_dataset(tmp_path / "d")[1] == []
    agencies = entries(tmp_path / "d", "agencies")
    register_ids, _ = register_graph(read_register(REGISTER), {})
    # The same ids `insikt import-register` gives, so a register import and a generated
    # dataset meet on one node per agency.
    assert {a["id"] for a in agencies} == {n.id for n in register_ids.nodes
                                           if n.label == "Agency"}
    by_name = read_register(REGISTER)
    for a in agencies:
        assert a["name"] in by_name
        assert not a.get("illustrative")  # real names and org nrs, with their source
        assert a["source"] == "esv-myndighetsregister"
        if "org_nr" in a:
            assert a["org_nr"] == by_name[a["name"]]["org_nr"]
    assert report.register and report.heaviest_agency in {a["id"] for a in agencies}


def test_made_up_agencies_look_real_and_have_valid_org_nrs(tmp_path: Path) -> None:
    generate(tmp_path / "d", scale=1, seed=5)
    agencies = entries(tmp_path / "d", "agencies")
    names = [a["name"] for a in agencies]
    assert len(set(names)) == len(names) == SYNTHETIC_AGENCIES
    assert all(org_nr_problem(a["org_nr"]) is None and a["org_nr"].startswith("2999")
               for a in agencies)
    assert all(a["illustrative"] and a.get("name_en") and a.get("short_name") for a in agencies)
    if REGISTER.exists():  # no made-up agency takes a real one's name or org nr
        real = read_register(REGISTER)
        assert not set(names) & set(real)
        assert not {a["org_nr"] for a in agencies} & {e.get("org_nr") for e in real.values()}


@pytest.mark.parametrize("seed", [1, 7, 42])
def test_a_few_problems_are_shared_by_many_most_by_few(tmp_path: Path, seed: int) -> None:
    counts = sorted(reporter_counts(generate(tmp_path / "d", scale=3, seed=seed).folders[0]),
                    reverse=True)
    top = counts[: max(1, len(counts) // 20)]  # the top 5 %
    median = statistics.median(counts)
    assert median <= 2
    assert statistics.mean(top) >= 4 * median
    assert sum(1 for c in counts if c <= 2) >= len(counts) / 2


def test_everything_but_register_facts_is_marked_illustrative(tmp_path: Path) -> None:
    folder = generate(tmp_path / "d", scale=1, seed=7).folders[0]
    for stem in ("life_events", "sources", "insights", "principles", "journeys"):
        assert all(x.get("illustrative") is True and x.get("note") for x in entries(folder, stem)), \
            stem


def test_several_datasets_name_the_same_agency_differently(tmp_path: Path) -> None:
    report = generate(tmp_path / "out", scale=2, seed=7, datasets=3)
    assert [f.name for f in report.folders] == ["generated-1", "generated-2", "generated-3"]
    for folder in report.folders:
        assert validate_dataset(folder)[1] == [], folder.name
    total = sum(len(reporter_counts(f)) for f in report.folders)
    assert total == 2 * SEED_SPECIFIC_INSIGHTS  # the world is split, not copied
    mapping = json.loads((tmp_path / "out" / MAPPING_FILE).read_text(encoding="utf-8"))
    local = {f.name: {a["id"]: a for a in entries(f, "agencies")} for f in report.folders}
    renamed_with_nr = renamed_without_nr = 0
    for canonical, per_dataset in mapping["agencies"].items():
        assert per_dataset["generated-1"] == {"id": canonical, "style": "canonical"}
        for ds, named in per_dataset.items():
            entry = local[ds][named["id"]]  # every mapped id is in that dataset
            if named["id"] != canonical:
                renamed_with_nr += "org_nr" in entry
                renamed_without_nr += "org_nr" not in entry
    assert renamed_with_nr > 0 and renamed_without_nr > 0
    general = {g[0] for g in GENERAL}
    for folder in report.folders:  # the shared concepts keep their ids everywhere
        assert general <= {x["id"] for x in entries(folder, "insights")}


def test_datasets_load_alone_and_together_resolve_to_the_mapping(tmp_path: Path) -> None:
    """Each dataset loads on its own; together, every agency of every dataset resolves to
    the agency the generator's mapping says it is (agency resolution, issue 10), and
    `strict` keeps the old refusal of an org nr under another id."""
    report = generate(tmp_path / "out", scale=1, seed=7, datasets=3)
    alone = EmbeddedStore(tmp_path / "alone.db")
    assert load_dataset(alone, report.folders[1]).nodes > 0
    alone.close()
    mapping = json.loads((tmp_path / "out" / MAPPING_FILE).read_text(encoding="utf-8"))
    truth = {(ds, naming["id"]): agency for agency, per in mapping["agencies"].items()
             for ds, naming in per.items()}
    st = EmbeddedStore(tmp_path / "both.db")
    got: dict[tuple[str, str], str] = {}
    for folder in report.folders:
        res = load_dataset(st, folder)
        got |= {(res.dataset, r.local_id): r.agency_id for r in res.resolutions}
    assert got == truth
    assert st.stats().labels["Agency"] == len(mapping["agencies"])
    strict = EmbeddedStore(tmp_path / "strict.db")
    load_dataset(strict, report.folders[0])
    with pytest.raises(ValidationFailed) as err:
        load_dataset(strict, report.folders[1], strict=True)
    assert err.value.problems and all(p.field == "org_nr" for p in err.value.problems)
    st.close()
    strict.close()


def test_chunked_writing_gives_the_text_of_one_dump(tmp_path: Path) -> None:
    part = generate_entries(scale=30, seed=7)[0]  # over one chunk of insights
    assert len(part.entries["insights"]) > CHUNK
    write_entries(tmp_path / "a", part.meta, part.entries, validate=False)
    for stem in FIELDS:
        one_dump = dump_yaml(list(part.entries.get(stem, [])))
        assert (tmp_path / "a" / f"{stem}.yaml").read_text(encoding="utf-8") == one_dump, stem


def test_refuses_a_folder_that_is_not_empty_and_bad_arguments(tmp_path: Path) -> None:
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "mine.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(InsiktError, match="not an empty folder"):
        generate(tmp_path / "full", scale=1)
    assert [p.name for p in (tmp_path / "full").iterdir()] == ["mine.txt"]
    with pytest.raises(InsiktError, match="scale"):
        generate(tmp_path / "a", scale=0)
    with pytest.raises(InsiktError, match="not a valid id"):
        generate(tmp_path / "b", scale=1, dataset_id="Not An Id")
    with pytest.raises(InsiktError, match="no register file"):
        generate(tmp_path / "c", scale=1, register=tmp_path / "missing.json")
    assert not any((tmp_path / n).exists() for n in ("a", "b", "c"))


def test_cli_generates_a_valid_dataset_and_prints_counts(runner: CliRunner, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("INSIKT_REGISTER", raising=False)
    out = tmp_path / "gen"
    res = runner.invoke(cli, ["generate", "--scale", "1", "--seed", "3", "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "made-up agencies" in res.stdout and "365 agencies" in res.stdout
    assert "43 insights" in res.stdout  # 38 specific and the five general ones
    assert "validating" in res.stderr  # progress on stderr
    check = runner.invoke(cli, ["validate", str(out)])
    assert check.exit_code == 0 and "valid" in check.output
    again = runner.invoke(cli, ["generate", "-o", str(out)])
    assert again.exit_code == 1 and "not an empty folder" in again.stderr


@needs_register
def test_cli_takes_the_register_from_the_setting(runner: CliRunner, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INSIKT_REGISTER", str(REGISTER))
    res = runner.invoke(cli, ["generate", "-o", str(tmp_path / "a")])
    assert res.exit_code == 0, res.output
    assert "ESV's register" in res.stdout
    names = {a["name"] for a in entries(tmp_path / "a", "agencies")}
    assert names == set(read_register(REGISTER))
    made_up = runner.invoke(cli, ["generate", "--synthetic-agencies", "-o", str(tmp_path / "b")])
    assert made_up.exit_code == 0 and "made-up agencies" in made_up.stdout
    both = runner.invoke(cli, ["generate", "--synthetic-agencies", "--register", str(REGISTER),
                               "-o", str(tmp_path / "c")])
    assert both.exit_code == 2 and not (tmp_path / "c").exists()
