"""The Datasets page: a dataset's versions (who, when, what each load changed) and the entry
changes of its latest load, in both languages, from a store the test loads itself."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from graph.embedded import EmbeddedStore
from loaders.load import load_dataset
from tests.conftest import TINY
from tests.dashboard.conftest import APP, use_store


@pytest.fixture
def history_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "tiny"
    shutil.copytree(TINY, folder)
    path = tmp_path / "graph.db"
    st = EmbeddedStore(path)
    load_dataset(st, folder, by="anna")
    principles = folder / "principles.yaml"
    principles.write_text(principles.read_text(encoding="utf-8").replace(
        "name_en: Once only", "name_en: Once-only principle"), encoding="utf-8")
    load_dataset(st, folder, by="bo")
    st.close()
    use_store(monkeypatch, path)
    return path


@pytest.mark.parametrize(("lang", "by_col", "fields_col", "changed"),
                         [("sv", "Av", "Ändrade fält", "ändrad"),
                          ("en", "By", "Changed fields", "changed")])
def test_versions_and_last_diff(history_store: Path, lang: str, by_col: str, fields_col: str,
                                changed: str) -> None:
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    at.switch_page("views/datasets.py").run()
    if lang == "en":
        at.radio(key="lang").set_value("en").run()
    assert not at.exception, [e.value for e in at.exception]
    versions, diff = (df.value for df in at.dataframe)
    assert list(versions[by_col]) == ["bo", "anna"]  # latest first
    assert list(versions.iloc[:, 8]) == [1, 0]  # changed entries per version
    assert list(versions.iloc[:, 6]) == [0, 19 + 38]  # added: the first load added all
    assert diff.to_dict("records") == [{diff.columns[0]: changed, diff.columns[1]: diff.iloc[0, 1],
                                        diff.columns[2]: "Principle:en-gang",
                                        fields_col: "name_en, search_text"}]
    assert {str(b.key) for b in at.get("download_button")} >= {"dl_ds_versions", "dl_ds_diff"}
