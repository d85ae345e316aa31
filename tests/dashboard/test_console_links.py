"""The Cypher console on Neo4j (AppTest): a deep link with the query and its typed
parameters fills the console in and runs it; the result comes as a table with CSV and JSON
downloads and as the click-to-explore graph; the URL keeps the link. Expected rows come from
the seed YAML."""

from __future__ import annotations

import urllib.parse
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.i18n import SV
from graph.settings import reset_settings
from tests.conftest import SEED
from tests.dashboard.conftest import APP, network_frames, seed

pytestmark = pytest.mark.neo4j

QUERY = ("MATCH (a:Agency {id: $agency})-[r:REPORTS]->(i:Insight) WHERE i.kind IN $kinds "
         "RETURN a, r, i ORDER BY i.id LIMIT $n")


@pytest.fixture
def neo4j_env(neo4j_store: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    from loaders.load import load_dataset

    load_dataset(neo4j_store, SEED)
    monkeypatch.setenv("INSIKT_BACKEND", "neo4j")
    reset_settings()
    return neo4j_store


def open_console(**params: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params.update(params)
    at.run()
    at.switch_page("views/queries.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def reported(agency: str, kinds: set[str]) -> list[str]:
    return sorted(i["id"] for i in seed("insights") if i.get("kind", "specific") in kinds
                  and any(r["agency"] == agency for r in i.get("reported_by") or []))


def test_a_deep_link_reproduces_the_query_and_its_graph(neo4j_env: Any) -> None:
    at = open_console(**{"cy": QUERY, "cy.agency": "forsakringskassan",
                         "cy.kinds": '["specific", "general"]', "cyt.kinds": "list",
                         "cy.n": "4", "cyt.n": "int"})
    assert not at.error, [e.value for e in at.error]
    assert at.text_area(key="cy_text").value == QUERY
    assert at.number_input(key="cyv_n").value == 4 and at.selectbox(key="cyt_n").value == "int"
    df = next(d.value for d in at.dataframe if list(d.value.columns) == ["a", "r", "i"])
    want = reported("forsakringskassan", {"specific", "general"})[:4]
    assert [c.split("(")[-1].rstrip(")") for c in df["i"]] == want
    assert all(c.startswith("Agency: Försäkringskassan") for c in df["a"])
    keys = {b.proto.id.split("-")[-1] for b in at.get("download_button")}
    assert {"dl_cy_result", "dl_json_cy_result", "dl_html_cypher"} <= keys
    frame = next(f for f in network_frames(at) if "Agency:forsakringskassan" in f["nodes"]
                 and len(f["nodes"]) == 5)
    assert set(frame["nodes"]) == {"Agency:forsakringskassan", *(f"Insight:{i}" for i in want)}
    # a node clicked in that graph is offered to the network page as its focus
    at.session_state["cy_selected"] = "Agency:forsakringskassan"
    at.run()
    link = next(e.proto for e in at.get("page_link"))
    assert "Försäkringskassan" in link.label and link.page.endswith("natverk")
    assert urllib.parse.parse_qs(link.query_string) == {"focus": ["Agency:forsakringskassan"]}
    # the link stays in the URL, next to the saved query's own parameters
    assert at.query_params["cy"] == QUERY and at.query_params["cy.n"] == "4"
    assert at.query_params["query"]


def test_typed_inputs_and_bad_values(neo4j_env: Any) -> None:
    at = open_console(**{"cy": "RETURN $flag AS flag, $x AS x", "cyt.flag": "bool",
                         "cy.flag": "true", "cyt.x": "float", "cy.x": "not-a-number"})
    assert any("x" in w.value for w in at.warning), [w.value for w in at.warning]
    assert at.checkbox(key="cyv_flag").value is True
    at.number_input(key="cyv_x").set_value(2.5).run()
    at.button(key="cy_run").click().run()
    df = next(d.value for d in at.dataframe if list(d.value.columns) == ["flag", "x"])
    assert df.iloc[0].tolist() == [True, "2,5"]  # the table writes decimals the Swedish way
    assert at.query_params["cy.x"] == "2.5" and at.query_params["cyt.x"] == "float"
    # a write stays refused behind the read-only guard, parameters or not
    at.text_area(key="cy_text").input("MATCH (a:Agency {id: $id}) SET a.x = 1 RETURN a").run()
    at.text_input(key="cyv_id").input("skatteverket").run()
    at.button(key="cy_run").click().run()
    assert any(SV["error.kind.cypher_not_read_only"] in w.value.replace("\\", "")
               for w in at.warning), [
        w.value for w in at.warning]
