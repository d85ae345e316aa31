"""The insight card (queries.card, `insikt card`) on the hand-made governance dataset
(tests/governdata.py): what it shows, in both languages, escaped, offline and printable, on
both backends; an unknown id is NotFound with "did you mean"."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.embedded import EmbeddedStore
from graph.errors import NotFound
from graph.neo4j_store import Neo4jStore
from insikt_cli.main import cli
from loaders.load import load_dataset
from queries.card import build_card, md, render_card_html, render_card_markdown
from tests.conftest import wipe_neo4j
from tests.governdata import write_governance_dataset


@pytest.fixture
def gov(tmp_path: Path) -> EmbeddedStore:
    st = EmbeddedStore(tmp_path / "graph.db")
    load_dataset(st, write_governance_dataset(tmp_path / "styrning"))
    return st


def test_card_holds_statement_evidence_reporters_principles_and_steps(gov: EmbeddedStore) -> None:
    card = build_card(gov.to_networkx(), "s1", "sv", generated="2026-01-01")
    assert card.title == "Specifik 1" and card.generals == ["Generell 1"]
    assert card.statement == "Kunden <script>bär</script> intyg & papper."
    assert [(r.name, r.year, r.source) for r in card.reporters] == [
        ("Aktör X", "2019", "Källa <b>ett</b>"), ("Aktör P", "2020", "")]
    assert [(s.title, s.url) for s in card.sources] == [("Källa <b>ett</b>",
                                                         "https://example.org/kalla")]
    (pr,) = card.principles
    assert (pr.name, pr.via, pr.adopted_by, pr.planned_by) == (
        "Princip ett", "Generell 1", ["Aktör X"], ["Aktör P"])
    (journey,) = card.journeys
    assert journey.life_event == "Händelse"
    # x reports s1 and handles step 1; q handles step 2 but does not report s1
    assert [(s.order, s.action, s.agency, s.reports_it) for s in journey.steps] == [
        (1, "Anmäl", "Aktör X", True), (2, "Ansök", "Aktör Q", False)]
    en = build_card(gov.to_networkx(), "s1", "en")
    assert en.title == "Specific 1" and en.statement == "The customer carries certificates."
    assert [s.action for s in en.journeys[0].steps] == ["Report", "Apply"]
    assert en.reporters[0].name == "Actor x" and en.words["reporters"] == "Who reports it"


def test_card_html_is_escaped_offline_and_printable(gov: EmbeddedStore) -> None:
    page = render_card_html(build_card(gov.to_networkx(), "s1"))
    assert "<script" not in page and "&lt;script&gt;bär&lt;/script&gt;" in page
    assert "<b>ett</b>" not in page and "Källa &lt;b&gt;ett&lt;/b&gt;" in page
    assert "&amp; papper" in page and "@media print" in page and "size:A4" in page
    # nothing is fetched: the only URL is the source's link
    assert re.findall(r"(?:src|href)=\"([^\"]*)\"", page) == ["https://example.org/kalla"]
    assert "<title>Insiktskort: Specifik 1</title>" in page
    for heading in ("Påstående", "Vem rapporterar den", "Belägg", "Principer som tar sig an den",
                    "Steg i kundresorna"):
        assert f"<h2>{heading}</h2>" in page


def test_card_markdown(gov: EmbeddedStore) -> None:
    text = render_card_markdown(build_card(gov.to_networkx(), "s1", "en"))
    assert text.startswith("# Specific 1\n")
    assert "- Actor x (year 2019) · source: Källa &lt;b&gt;ett&lt;/b&gt;" in text
    assert "- Källa &lt;b&gt;ett&lt;/b&gt; <https://example.org/kalla>" in text
    assert "- 1\\. Report · Actor x ★" in text and "- 2\\. Apply · Actor q\n" in text
    assert "applied by: Actor x · planned by: Actor p" in text
    general = render_card_markdown(build_card(gov.to_networkx(), "g2", "en"))
    assert "No actor reports it." in general and "No principle addresses it." in general
    # nobody reports g2 itself, but x and q report its instances s2 and s5
    assert "**Through specific examples:**\n\n- Actor q (year 2021) · Specific 5\n" \
        "- Actor x (year 2020) · Specific 2\n" in general
    assert "status: active" in general
    old = build_card(gov.to_networkx(), "s7", "sv")
    assert old.status == "ersatt" and old.instance_reporters == []


def test_markdown_escaping_keeps_data_text_inert() -> None:
    assert md("[x](javascript:alert(1))") == "\\[x\\](javascript:alert(1))"
    assert md("# not a heading") == "\\# not a heading" and md("1. not a list") == "1\\. not a list"
    assert md("<img src=x onerror=y>") == "&lt;img src=x onerror=y&gt;"
    assert md("*a* `b` | c\n\nd") == "\\*a\\* \\`b\\` \\| c d"


def test_unknown_insight_says_did_you_mean(gov: EmbeddedStore) -> None:
    with pytest.raises(NotFound, match=r"no insight with id 'specifik-1'") as info:
        build_card(gov.to_networkx(), "specifik-1")
    assert "insikt query search" in str(info.value)
    with pytest.raises(NotFound, match=r"did you mean s1"):
        build_card(gov.to_networkx(), "s1x")


def test_card_cli(gov: EmbeddedStore, runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "kort.md"
    res = runner.invoke(cli, ["--store", str(gov.path), "card", "s1", "--format", "md",
                              "-o", str(out)])
    assert res.exit_code == 0 and str(out) in res.stdout
    assert out.read_text(encoding="utf-8").startswith("# Specifik 1\n")
    res = runner.invoke(cli, ["--store", str(gov.path), "card", "s1", "--lang", "en"])
    assert res.exit_code == 0 and res.stdout.startswith("<!DOCTYPE html>")
    assert "<h1>Specific 1</h1>" in res.stdout
    res = runner.invoke(cli, ["--store", str(gov.path), "card", "s1x"])
    assert res.exit_code == 6 and "did you mean s1" in res.stderr


@pytest.mark.neo4j
def test_card_is_the_same_on_neo4j(gov: EmbeddedStore, neo4j_store: Neo4jStore,
                                   tmp_path: Path) -> None:
    load_dataset(neo4j_store, write_governance_dataset(tmp_path / "again"))
    for lang in ("sv", "en"):
        assert build_card(neo4j_store.to_networkx(), "s1", lang, generated="x") == \
            build_card(gov.to_networkx(), "s1", lang, generated="x")
    wipe_neo4j(neo4j_store)


def test_cli_copy_of_the_card_formats_matches() -> None:
    from insikt_cli.card_cmd import CARD_FORMAT_NAMES
    from queries.card import CARD_FORMATS

    assert CARD_FORMAT_NAMES == CARD_FORMATS
