"""The settings table: one list, read from the environment, shown masked, and the README's copy
generated from it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.backends import backend_name
from graph.errors import InsiktError, SettingError
from graph.settings import (
    MASK,
    Settings,
    env_var,
    get_settings,
    markdown_table,
    reset_settings,
    setting_rows,
)
from graph.uri import mask_uri
from insikt_cli.main import cli
from tests.conftest import ROOT

SECRET = "s3cret-Sentinel-9"


def test_readme_table_is_the_generated_one() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(r"<!-- settings-table:start -->\n(.*?)<!-- settings-table:end -->", readme,
                      flags=re.S)
    assert found, "README lacks the settings table markers"
    assert found.group(1) == markdown_table(), \
        "README's settings table drifted: paste `insikt settings --format markdown` into it"


def test_every_field_has_an_env_var_and_help() -> None:
    envs = [env_var(name) for name in Settings.model_fields]
    assert len(set(envs)) == len(envs)
    for name, field in Settings.model_fields.items():
        assert re.fullmatch(r"(INSIKT|NEO4J)_[A-Z0-9_]+", env_var(name)), name
        assert len((field.description or "").split()) >= 3, f"{name}: say what it sets"


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch,
                                            tmp_path: Path) -> None:
    monkeypatch.setenv("INSIKT_BACKEND", "neo4j")
    monkeypatch.setenv("INSIKT_NEO4J_BATCH", "25")
    monkeypatch.setenv("INSIKT_REGISTER", str(tmp_path / "esv.json"))
    cfg = get_settings()
    assert (cfg.backend, cfg.neo4j_batch, cfg.register_path) == ("neo4j", 25,
                                                                 tmp_path / "esv.json")
    assert backend_name() == "neo4j"
    assert get_settings() is cfg  # read once ...
    monkeypatch.setenv("INSIKT_BACKEND", "embedded")
    assert backend_name() == "neo4j"
    reset_settings()  # ... until reset
    assert backend_name() == "embedded"


def test_a_bad_value_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INSIKT_NEO4J_BATCH", "many")
    with pytest.raises(SettingError, match=r"INSIKT_NEO4J_BATCH='many'.*integer"):
        get_settings()
    monkeypatch.setenv("INSIKT_NEO4J_BATCH", "0")
    reset_settings()
    with pytest.raises(InsiktError, match="INSIKT_NEO4J_BATCH='0'"):
        get_settings()


def test_an_empty_variable_counts_as_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    for env in ("INSIKT_STORE", "INSIKT_BACKEND", "INSIKT_NEO4J_PORT", "INSIKT_NEO4J_BATCH",
                "INSIKT_REGISTER"):
        monkeypatch.setenv(env, "")
    cfg = get_settings()
    assert cfg.store is None and cfg.backend == "embedded" and cfg.neo4j_port is None
    assert cfg.neo4j_batch == 1000 and cfg.register_path is None


def test_a_bad_value_is_a_clear_cli_error(runner: CliRunner, tmp_path: Path) -> None:
    res = runner.invoke(cli, ["--store", str(tmp_path / "g.json"), "stats"],
                        env={"INSIKT_NEO4J_PORT": "seventy"})
    assert res.exit_code == 2 and "INSIKT_NEO4J_PORT='seventy'" in res.stderr
    assert "Traceback" not in res.output


def test_insikt_settings_masks_secrets(runner: CliRunner) -> None:
    env = {"NEO4J_PASSWORD": SECRET, "NEO4J_URI": f"neo4j://reader:{SECRET}@db.example:7687",
           "INSIKT_NEO4J_BATCH": "77"}
    res = runner.invoke(cli, ["settings", "--format", "json"], env=env)
    assert res.exit_code == 0, res.output
    assert SECRET not in res.output
    rows = {r["env"]: r for r in json.loads(res.stdout)}
    assert set(rows) == {env_var(n) for n in Settings.model_fields}
    assert rows["NEO4J_PASSWORD"]["current"] == MASK
    assert rows["NEO4J_URI"]["current"] == "neo4j://***@db.example:7687"
    assert rows["INSIKT_NEO4J_BATCH"]["current"] == "77"
    assert rows["INSIKT_NEO4J_BATCH"]["default"] == "1000"
    table = runner.invoke(cli, ["settings"], env=env)
    assert table.exit_code == 0 and SECRET not in table.output
    assert "INSIKT_REGISTER" in table.output
    for name, field in Settings.model_fields.items():  # every help text whole, none cut
        assert (field.description or "") in table.output, name


def test_settings_show_uris_masked(monkeypatch: pytest.MonkeyPatch) -> None:
    """The settings table masks a URI with the one masking function (graph.uri.mask_uri)."""
    assert mask_uri("bolt://127.0.0.1:7687") == "bolt://127.0.0.1:7687"
    assert mask_uri("bolt://u:pw-4711@h") == "bolt://***@h"
    assert "pw-4711" not in mask_uri("bolt://u:pw-4711@h:99999")
    monkeypatch.setenv("NEO4J_URI", "bolt://u:pw-4711@h:7687")
    reset_settings()
    shown = {r.env: r.current for r in setting_rows()}
    assert shown["NEO4J_URI"] == "bolt://***@h:7687"


def test_cli_help_comes_from_the_settings(runner: CliRunner) -> None:
    res = runner.invoke(cli, ["--help"])
    for name in ("backend", "store"):
        words = (Settings.model_fields[name].description or "").split()
        assert " ".join(words[:3]) in " ".join(res.output.split()), name
        assert env_var(name) in res.output
