"""Workshop notes: parsing, agency matching through the register and the store, the dataset
they become, and refusals that leave the store unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph import walk
from graph.embedded import EmbeddedStore
from graph.errors import InsiktError, ValidationFailed
from graph.settings import reset_settings
from loaders.load import load_dataset
from loaders.notes import AgencyCandidate, AgencyMatcher, import_notes, parse_notes, split_bullet
from tests.conftest import DATA, REGISTER, SEED

NOTES = DATA / "notes"
EFTERLEVANDE = NOTES / "efterlevande-workshop.md"
NY_I_SVERIGE = NOTES / "ny-i-sverige-workshop.md"


def test_parse_front_lines_and_bullets() -> None:
    p = parse_notes(EFTERLEVANDE.read_text(encoding="utf-8"))
    assert p.title == "Workshop: efterlevandes kontakter med myndigheter"
    assert p.date == "2023-10-12" and p.organiser == "Pensionsmyndigheten"
    assert len(p.participants) == 5 and p.participants[-1] == "Fonus begravningsbyrå"
    assert len(p.insights) == 4  # the 'Bakgrund' bullets are not insights
    assert p.insights[3].endswith("Beskedet kommer per brev några veckor senare.")
    q = parse_notes(NY_I_SVERIGE.read_text(encoding="utf-8"))
    assert q.date == "2018-02-20"  # '20 februari 2018', bold front lines
    assert q.organiser == "Migrationsverket" and "CSN" in q.participants
    assert len(q.insights) == 3 and "olika ord för samma sak" in q.insights[1]
    assert not p.problems and not q.problems


@pytest.fixture
def seeded(store: EmbeddedStore) -> EmbeddedStore:
    load_dataset(store, SEED)
    return store


def test_import_into_the_seed(seeded: EmbeddedStore) -> None:
    before = dict(seeded.to_networkx().nodes["Agency:statskontoret"])
    report = import_notes(seeded, EFTERLEVANDE, REGISTER)
    assert report.unmatched == ["Fonus begravningsbyrå"]
    assert report.matched["Ekonomistyrningsverket"] == "statskontoret"  # an old name
    assert report.organiser_agency == "pensionsmyndigheten"
    assert report.dataset_id == "notes-workshop-efterlevandes-kontakter-med-myndigheter"
    g = seeded.to_networkx()
    src = g.nodes[f"Source:{report.source_id}"]
    assert src["kind"] == "workshop" and src["date"] == "2023-10-12"
    assert EFTERLEVANDE.name in src["note"]
    assert g.has_edge(f"Source:{report.source_id}", "Agency:pensionsmyndigheten", "PUBLISHED_BY")
    participants = {"pensionsmyndigheten", "skatteverket", "forsakringskassan", "statskontoret"}
    # The participants took part in the workshop (the source); they report nothing by that.
    assert {u.split(":", 1)[1] for u in walk.in_nodes(g, f"Source:{report.source_id}",
                                                      "ATTENDED")} == participants
    named = [{"pensionsmyndigheten", "skatteverket"}, {"forsakringskassan"}, {"skatteverket"},
             set()]  # only the agencies named on each bullet, by name, short name or folded
    assert len(report.insights) == 4
    for i, expected in zip(report.insights, named, strict=True):
        a = g.nodes[f"Insight:{i}"]
        assert a["status"] == "proposed" and a["kind"] == "specific"
        assert EFTERLEVANDE.name in a["note"]
        assert g.has_edge(f"Insight:{i}", f"Source:{report.source_id}", "SUPPORTED_BY")
        reporters = {u.split(":", 1)[1]: d for u, d in walk.reporters(g, f"Insight:{i}")}
        assert set(reporters) == expected == set(report.reporters[i])
        assert all(d["year"] == 2023 and d["source"] == report.source_id
                   for d in reporters.values())
    notes_reports = [e for e in walk.rels_of_type(g, "REPORTS")
                     if report.dataset_id in e[2]["datasets"]]
    assert len(notes_reports) == 4  # was 16: every participant on every insight
    first, second, third = (f"Insight:{i}" for i in report.insights[:3])
    assert g.nodes[first]["title"] == "De anhöriga vet inte vilka avtal som finns"
    assert g.nodes[first]["statement"].startswith("Banker, försäkringsbolag")
    assert g.nodes[first]["statement"].endswith("ingen samlad lista finns.")  # tags cut off
    assert walk.generals(g, first) == ["Insight:svart-att-veta-vem-som-gor-vad"]
    assert walk.out_nodes(g, first, "ARISES_IN") == ["LifeEvent:nar-nagon-har-dott"]
    assert walk.generals(g, second) == ["Insight:kunden-far-agera-kurir"]  # by canonical key
    assert walk.out_nodes(g, second, "ARISES_IN") == ["LifeEvent:nar-nagon-har-dott"]
    assert g.nodes[third]["title"].endswith("(se bilagan)")  # an aside stays text
    assert "Fonus begravningsbyrå" in report.unmatched
    after = dict(g.nodes["Agency:statskontoret"])
    assert {k: v for k, v in after.items() if k != "datasets"} == {
        k: v for k, v in before.items() if k != "datasets"}  # the seed's agency is untouched
    assert sorted(after["datasets"]) == sorted([*before["datasets"], report.dataset_id])


def test_import_with_the_register_only_and_again(store: EmbeddedStore) -> None:
    report = import_notes(store, NY_I_SVERIGE, REGISTER)
    assert report.unmatched == ["Malmö stad"]
    assert report.matched["CSN"] == "centrala-studiestodsnamnden"  # a short name
    g = store.to_networkx()
    csn = g.nodes["Agency:centrala-studiestodsnamnden"]
    assert csn["org_nr"] == "202100-1819" and csn["name"] == "Centrala studiestödsnämnden"
    stats = store.stats()
    again = import_notes(store, NY_I_SVERIGE, REGISTER)
    assert again.insights == report.insights and store.stats() == stats  # idempotent


def test_default_register_and_a_missing_one(seeded: EmbeddedStore, tmp_path: Path) -> None:
    report = import_notes(seeded, NY_I_SVERIGE)  # ../shared register when present, else store
    assert report.matched["CSN"] == "centrala-studiestodsnamnden"
    with pytest.raises(Exception, match="no register file"):
        import_notes(seeded, NY_I_SVERIGE, tmp_path / "missing.json")


@pytest.mark.parametrize("text,needle", [
    ("# Titel\nDatum: 2020-01-01\n\nInga insikter här.\n", "no insights"),
    ("Datum: 2020-01-01\n## Insikter\n- En insikt\n", "no '# Title' line"),
    ("# Titel\nDatum: i våras\n## Insikter\n- En insikt\n", "'i våras' is not a date"),
])
def test_bad_notes_are_refused(seeded: EmbeddedStore, tmp_path: Path, text: str,
                               needle: str) -> None:
    path = tmp_path / "notes.md"
    path.write_text(text, encoding="utf-8")
    before = seeded.stats()
    with pytest.raises(ValidationFailed) as err:
        import_notes(seeded, path, REGISTER)
    assert any(needle in str(p) for p in err.value.problems)
    assert seeded.stats() == before


@pytest.mark.parametrize("text,agencies,life_events,generals,problems,rest", [
    ("Text (A, B)", ["A", "B"], [], [], 0, "Text"),
    ("Text [generell: kurir] (A) [livshändelse: När någon har dött]", ["A"],
     ["När någon har dött"], ["kurir"], 0, "Text"),
    ("Text (aside) (A)", ["A"], [], [], 0, "Text (aside)"),
    ("Text [av: A; B] [by: C]", ["A", "B", "C"], [], [], 0, "Text"),
    ("Se [rapporten](https://example.org/a)", [], [], [], 0, "Se [rapporten](https://example.org/a)"),
    ("Text (A))", [], [], [], 0, "Text (A))"),  # unbalanced: text
    ("Text [färg: blå]", [], [], [], 1, "Text"),
    ("Text [utan kolon]", [], [], [], 1, "Text"),
    ("Bara text.", [], [], [], 0, "Bara text."),
])
def test_bullet_tags(text: str, agencies: list[str], life_events: list[str],
                     generals: list[str], problems: int, rest: str) -> None:
    b = split_bullet(text)
    assert (b.text, b.agencies, b.life_events, b.generals, len(b.problems)) == (
        rest, agencies, life_events, generals, problems)


def test_unknown_tags_and_targets_are_refused(seeded: EmbeddedStore, tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_text("# Titel\nDatum: 2020-01-01\n## Insikter\n- Ett (FK) [färg: blå]\n"
                    "- Två [livshändelse: När någon har dog]\n- Tre [generell: kurirr]\n",
                    encoding="utf-8")
    before = seeded.stats()
    with pytest.raises(ValidationFailed) as err:
        import_notes(seeded, path, REGISTER)
    got = {(p.entry, p.field): p for p in err.value.problems}
    assert set(got) == {("line 4", "tags"), ("line 5", "life event"), ("line 6", "general")}
    assert "nar-nagon-har-dott" in got[("line 5", "life event")].hint
    assert "kunden-far-agera-kurir" in got[("line 6", "general")].hint
    assert seeded.stats() == before


def test_ambiguous_names_are_not_guessed() -> None:
    m = AgencyMatcher()
    m.add(AgencyCandidate("a", {"id": "a", "name": "A"}, True), ["Verket A"], ["VA"], ["Gamla"])
    m.add(AgencyCandidate("b", {"id": "b", "name": "B"}, True), ["Verket B"], ["VB"], ["Gamla"])
    exact, _ = m.match("VERKET A")
    assert exact is not None and exact.id == "a"
    found, why = m.match("gamla")
    assert found is None and "a, b" in why


def test_the_register_setting_is_named_when_its_file_is_missing(
        seeded: EmbeddedStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INSIKT_REGISTER", str(tmp_path / "gone.json"))
    reset_settings()  # the `seeded` fixture has read the settings already
    with pytest.raises(InsiktError, match=r"gone\.json \(set in INSIKT_REGISTER\)"):
        import_notes(seeded, NY_I_SVERIGE)
    monkeypatch.delenv("INSIKT_REGISTER")
    reset_settings()
    assert import_notes(seeded, NY_I_SVERIGE).matched["CSN"] == "centrala-studiestodsnamnden"
