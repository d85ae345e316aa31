"""The demo seed data and the synthetic larger dataset are valid and meet their minimums."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph.embedded import EmbeddedStore
from loaders.dataset import read_dataset, validate_dataset
from loaders.load import load_dataset
from loaders.register import import_register
from tests.conftest import REGISTER, SEED


def test_seed_is_valid_and_meets_the_minimums() -> None:
    assert validate_dataset(SEED)[1] == []
    data = read_dataset(SEED)
    counts = data.label_counts()
    assert counts["Agency"] >= 20 and counts["LifeEvent"] >= 8 and counts["Principle"] >= 10
    nodes = {(n.label.value, n.id): n for n in data.nodes}
    kinds = [n.props["kind"] for n in data.nodes if n.label == "Insight"]
    assert kinds.count("general") == 5 and kinds.count("specific") >= 30
    with_org = [n for n in data.nodes if n.label == "Agency" and "org_nr" in n.props]
    assert len(with_org) >= 20
    assert {n.props.get("kind") for n in data.nodes if n.label == "Agency"} >= {
        "statlig", "annan", "region", "kommun"}
    domains = {r.end_id for r in data.relationships if r.type == "IN_DOMAIN"}
    assert len(domains) >= 5 and {"halsa", "familj", "pension", "arbete"} <= domains
    journeys = {r.start_id for r in data.relationships if r.type == "HAS_STEP"}
    assert {"nar-nagon-har-dott", "starta-foretag", "flytta-till-sverige",
            "ga-i-pension"} <= journeys
    # Every insight, principle and journey step names a source; every entry is bilingual.
    supported = {r.start_id for r in data.relationships if r.type == "SUPPORTED_BY"}
    defined = {r.start_id for r in data.relationships if r.type == "DEFINED_IN"}
    for (label, node_id), n in nodes.items():
        if label in ("Insight", "JourneyStep"):
            assert node_id in supported, node_id
        if label == "Principle":
            assert node_id in defined, node_id
        english = {"Insight": "title_en", "JourneyStep": "action_en", "Source": None}.get(
            label, "name_en")
        if english:
            assert n.props.get(english), f"{label} {node_id} lacks {english}"


def test_seed_agencies_match_the_register() -> None:
    doc = json.loads(REGISTER.read_text(encoding="utf-8"))
    by_nr = {v["org_nr"]: k for k, v in doc.items() if v.get("org_nr")}
    from graph.ids import slugify

    for n in read_dataset(SEED).nodes:
        if n.label == "Agency" and "org_nr" in n.props:
            assert slugify(by_nr[n.props["org_nr"]]) == n.id


def test_seed_and_register_load_together(store: EmbeddedStore) -> None:
    load_dataset(store, SEED)
    import_register(store, REGISTER)
    assert store.stats().labels["Agency"] == 365 + 9  # the register plus 9 non-register actors


def test_large_dataset_is_valid_and_ten_times_the_seed(large_dataset: Path) -> None:
    seed = read_dataset(SEED).label_counts()
    big = read_dataset(large_dataset).label_counts()
    assert big["Insight"] >= 10 * seed["Insight"] and big["Agency"] == 365


def test_synthetic_dataset_without_a_register_is_valid_and_repeatable(tmp_path: Path) -> None:
    from loaders.synthetic import SYNTHETIC_AGENCIES, build_large_dataset

    a = build_large_dataset(tmp_path / "a", None, insights=60)
    b = build_large_dataset(tmp_path / "b", None, insights=60)
    assert validate_dataset(a)[1] == []
    assert {p.name: p.read_bytes() for p in a.iterdir()} == \
        {p.name: p.read_bytes() for p in b.iterdir()}
    counts = read_dataset(a).label_counts()
    assert counts["Agency"] == SYNTHETIC_AGENCIES
    assert counts["Insight"] == 60 + 5


def test_the_seed_rule_for_dataset_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`seed_data` means ./seed_data when it exists, else the packaged seed."""
    from loaders.seed import dataset_folder, seed_dir

    assert (seed_dir() / "dataset.yaml").read_bytes() == (SEED / "dataset.yaml").read_bytes()
    monkeypatch.chdir(tmp_path)
    assert dataset_folder("seed_data") == seed_dir()
    assert dataset_folder("seed_data/") == seed_dir()
    assert dataset_folder("other") == Path("other")  # validation reports it missing
    (tmp_path / "seed_data").mkdir()
    assert dataset_folder("seed_data") == Path("seed_data")  # a folder here wins
