"""The dashboard asks the store for its version once per script run (issue 13): on Neo4j each
ask is a Bolt transaction, and one Collaboration rerun used to make 13,423 of them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from graph.embedded import EmbeddedStore
from graph.store import DatasetInfo
from tests.dashboard.conftest import APP


@pytest.mark.parametrize("page", ["views/overview.py", "views/overlap.py",
                                  "views/collaboration.py"])
def test_the_store_is_asked_once_per_run(seed_env: Path, page: str,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = EmbeddedStore.datasets

    def counted(self: EmbeddedStore) -> list[DatasetInfo]:
        calls.append(1)
        return real(self)

    monkeypatch.setattr(EmbeddedStore, "datasets", counted)
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    calls.clear()
    at.run()  # a rerun, as a click makes
    assert not at.exception
    # the sidebar lists the datasets (one ask), graph_version asks once for everything else
    assert 1 <= len(calls) <= 2, len(calls)


def test_the_include_proposed_switch_is_on_the_overlap_pages(seed_env: Path) -> None:
    for page, key in (("views/overview.py", "overview_include_status"),
                      ("views/overlap.py", "ov_include_status"),
                      ("views/collaboration.py", "co_include_status")):
        at = AppTest.from_file(str(APP), default_timeout=60).run()
        at.switch_page(page).run()
        toggles: list[Any] = [w for w in at.toggle if w.key == key]
        assert len(toggles) == 1, page
        toggles[0].set_value(True).run()
        assert not at.exception, [e.value for e in at.exception]
