"""The curation page (dashboard/views/curation.py) on two small agencies' datasets: it lists
the proposed insight and the proposed pair, and its forms record decisions in the store."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.i18n import EN, SV
from graph.embedded import EmbeddedStore
from graph.model import Label, node_key
from loaders.curation import stored_decisions
from loaders.load import load_dataset
from tests.dashboard.conftest import APP, use_store, value
from tests.loaders.curation_data import write_both

PAGE = "views/curation.py"


@pytest.fixture
def two_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    db = tmp_path / "graph.db"
    st = EmbeddedStore(db)
    for folder in write_both(tmp_path / "data"):
        load_dataset(st, folder)
    st.close()
    use_store(monkeypatch, db)
    return db


def open_page() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_page_lists_and_records_a_review_decision(two_env: Path) -> None:
    at = open_page()
    proposed = next(df.value for df in at.dataframe if SV["col.suggested"] in df.value.columns)
    assert list(proposed[SV["col.insight"]]) == ["y2"]
    assert list(proposed[SV["col.reported_by"]]) == ["Myndigheten beta"]
    pairs = next(df.value for df in at.dataframe if SV["col.score"] in df.value.columns)
    assert ("x1", "y1") in set(zip(pairs[SV["col.a"]], pairs[SV["col.b"]], strict=True))
    keys = {str(w.key) for w in at.get("download_button")}
    assert {"dl_cu_proposed", "dl_cu_pairs", "dl_json_cu_pairs"} <= keys
    at.radio(key="cu_action").set_value("reject")
    at.text_input(key="cu_by").set_value("anna")
    at.text_area(key="cu_why").set_value("inget kundproblem")
    at.button[0].click().run()  # the first form's submit button
    assert not at.exception, [e.value for e in at.exception]
    assert any(SV["curation.recorded"] in str(value(s)) for s in at.success)
    st = EmbeddedStore(two_env)
    try:
        g = st.to_networkx()
        assert g.nodes[node_key(Label.INSIGHT, "y2")]["status"] == "disputed"
        assert [(d.kind, d.a, d.by, d.why) for d in stored_decisions(g)] == [
            ("reject", "y2", "anna", "inget kundproblem")]
    finally:
        st.close()
    decisions = next(df.value for df in at.dataframe if SV["col.decided_by"] in df.value.columns)
    assert list(decisions[SV["col.decision"]]) == [SV["curation.kind.reject"]]


def test_the_page_records_a_pair_decision_in_english(two_env: Path) -> None:
    at = open_page()
    at.radio(key="lang").set_value("en").run()
    assert any(EN["curation.pairs"] == str(value(h)) for h in at.subheader)
    at.selectbox(key="cu_pair.en").set_value("x1|y1")
    at.radio(key="cu_kind.en").set_value("same")
    at.button[1].click().run()
    assert not at.exception, [e.value for e in at.exception]
    st = EmbeddedStore(two_env)
    try:
        g = st.to_networkx()
        assert g.has_edge(node_key(Label.INSIGHT, "x1"), node_key(Label.INSIGHT, "y1"),
                          "SAME_PROBLEM")
    finally:
        st.close()
