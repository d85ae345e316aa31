"""The journey burden index, hand-checked: on the seed and on a second dataset whose five
general insights have other ids (tests/data/burden-other), linked by `canonical` or by title.

Every expected figure below was counted by hand from the YAML files, step by step, and is
written out as arithmetic; nothing is recomputed with the code under test.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from graph.canonical import Canonical, canonical_of, title_key
from graph.errors import ValidationFailed
from graph.store import apply_graph_data
from loaders.dataset import read_dataset
from queries import analytics as an
from tests.conftest import DATA, SEED, TINY

OTHER = DATA / "burden-other"
WHO, OWN, LANG, COURIER, LATE = (c.value for c in Canonical)


def graph_of(*folders: Path) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    for f in folders:
        apply_graph_data(g, read_dataset(f))
    return g


def figures(g: nx.MultiDiGraph) -> dict[str, tuple[float, dict[str, int]]]:
    return {b.life_event: (b.index, {c.name: c.count for c in b.components})
            for b in an.burden(g)}


def test_weights_and_definitions_cover_the_five() -> None:
    assert list(an.BURDEN_WEIGHTS) == [WHO, OWN, LANG, COURIER, LATE]
    assert set(an.BURDEN_DEFINITIONS) == set(an.BURDEN_WEIGHTS)


def test_seed_burden_by_hand() -> None:
    got = figures(graph_of(SEED))
    # seed_data/journeys.yaml, person steps = steps without `taken_by: actor`.
    # När någon har dött: 11 steps; actor steps 1 (region), 2 (Skatteverket registers),
    # 6 (employer reports), 7 (Pensionsmyndigheten checks) → person steps 3, 4, 5, 8, 9, 10, 11.
    #   who-does-what: begravningsbyrån, banken, företagen, Skatteverket, Pensionsmyndigheten = 5
    #   own-project-manager: 7 person steps = 7
    #   myndighetska: steps 3, 8, 11 carry agency_terms = 3
    #   courier: dödsfallsintyg (3) + bouppteckning (8) = 2
    #   late-feedback: person steps delayed/none: 5, 8, 10, 11 = 4
    #   B = 1·5 + 1·7 + 1·3 + 2·2 + 1.5·4 = 25
    assert got["nar-nagon-har-dott"] == (1 * 5 + 1 * 7 + 1 * 3 + 2 * 2 + 1.5 * 4, {
        WHO: 5, OWN: 7, LANG: 3, COURIER: 2, LATE: 4})
    assert got["nar-nagon-har-dott"][0] == 25
    # Bli arbetslös: actor step 2 (signal to the a-kassa) → person steps 1, 3, 4, 5, 6
    #   actors: Arbetsförmedlingen, arbetsgivaren, a-kassan = 3; terms: 3, 5, 6 = 3;
    #   documents: arbetsgivarintyg = 1; late: 4, 5, 6 = 3 → 3 + 5 + 3 + 2 + 4.5 = 17.5
    assert got["bli-arbetslos"] == (3 + 5 + 3 + 2 * 1 + 1.5 * 3, {
        WHO: 3, OWN: 5, LANG: 3, COURIER: 1, LATE: 3})
    # Starta företag: actor steps 2 (bank issues the certificate), 4 (registration)
    #   person 1, 3, 5: banken, Bolagsverket, Skatteverket = 3; terms: 1, 5 = 2;
    #   documents: stiftelseurkund, bolagsordning (1) + bankintyg (2) = 3; late: 3, 5 = 2
    #   → 3 + 3 + 2 + 6 + 3 = 17
    assert got["starta-foretag"] == (3 + 3 + 2 + 2 * 3 + 1.5 * 2, {
        WHO: 3, OWN: 3, LANG: 2, COURIER: 3, LATE: 2})
    # Flytta till Sverige: actor step 4 → person 1, 2, 3: Migrationsverket, Skatteverket = 2;
    #   terms: 1, 2 = 2; documents: pass + familjebevis = 2; late: 1, 2, 3 = 3
    #   → 2 + 3 + 2 + 4 + 4.5 = 15.5
    assert got["flytta-till-sverige"] == (2 + 3 + 2 + 2 * 2 + 1.5 * 3, {
        WHO: 2, OWN: 3, LANG: 2, COURIER: 2, LATE: 3})
    # Bli sjuk: actor steps 2 (sick pay), 4 (employer reports) → person 1, 3, 5:
    #   arbetsgivaren, regionen, Försäkringskassan = 3; terms: 5 = 1; documents: läkarintyg = 1;
    #   late: 5 = 1 → 3 + 3 + 1 + 2 + 1.5 = 10.5
    assert got["bli-sjuk"] == (3 + 3 + 1 + 2 * 1 + 1.5 * 1, {
        WHO: 3, OWN: 3, LANG: 1, COURIER: 1, LATE: 1})
    # Gå i pension: both steps by the person, two actors, terms on 2, both delayed
    #   → 2 + 2 + 1 + 0 + 3 = 8
    assert got["ga-i-pension"] == (2 + 2 + 1 + 0 + 1.5 * 2, {
        WHO: 2, OWN: 2, LANG: 1, COURIER: 0, LATE: 2})
    # Få barn: steps 1, 3, 4 are the care provider and familjerätten acting → only step 2
    #   (confirm parenthood, immediate, terms) → 1 + 1 + 1 + 0 + 0 = 3
    assert got["fa-barn"] == (1 + 1 + 1 + 0 + 0, {WHO: 1, OWN: 1, LANG: 1, COURIER: 0, LATE: 0})
    ranking = [b.life_event for b in an.burden(graph_of(SEED))]
    assert ranking == ["nar-nagon-har-dott", "bli-arbetslos", "starta-foretag",
                       "flytta-till-sverige", "bli-sjuk", "ga-i-pension", "fa-barn"]


def test_seed_terms_link_to_the_seed_general_insights() -> None:
    (b, *_) = an.burden(graph_of(SEED))
    assert {c.name: c.insight for c in b.components} == {
        WHO: "svart-att-veta-vem-som-gor-vad", OWN: "kunden-blir-sin-egen-projektledare",
        LANG: "omojligt-att-lara-sig-myndighetska", COURIER: "kunden-far-agera-kurir",
        LATE: "far-veta-forst-i-efterhand"}
    assert all(c.insight_in_graph and c.measured for c in b.components)


def test_other_ids_link_all_five_and_hand_check() -> None:
    g = graph_of(OTHER)
    res = an.burden(g)
    links = {c.name: c.insight for c in res[0].components}
    # g-vem: upper-case Swedish title; g-projekt: English title with a full stop;
    # g-sprak: no accents and double quotes; g-bud and g-efterhand: the canonical field.
    assert links == {WHO: "g-vem", OWN: "g-projekt", LANG: "g-sprak", COURIER: "g-bud",
                     LATE: "g-efterhand"}
    got = figures(g)
    # le-1: s1 A person (terms, carries 1, immediate); s2 B actor; s3 bank person (carries 2,
    # none); s4 A person (delayed); s5 kommun actor (delayed: not the person's step).
    #   who-does-what: A, bank = 2; own: s1, s3, s4 = 3; myndighetska: s1 = 1;
    #   courier: 1 + 2 = 3; late: s3 (none), s4 (delayed) = 2
    #   B = 2 + 3 + 1 + 2·3 + 1.5·2 = 15
    assert got["le-1"] == (2 + 3 + 1 + 2 * 3 + 1.5 * 2, {
        WHO: 2, OWN: 3, LANG: 1, COURIER: 3, LATE: 2})
    # le-2: t1, t2 both by the person at B; t2 has terms and is delayed
    #   B = 1 + 2 + 1 + 0 + 1.5 = 5.5
    assert got["le-2"] == (1 + 2 + 1 + 0 + 1.5, {WHO: 1, OWN: 2, LANG: 1, COURIER: 0, LATE: 1})
    assert [b.life_event for b in res] == ["le-1", "le-2"]


def test_parts_add_up_to_the_index_in_every_table() -> None:
    for g in (graph_of(SEED), graph_of(OTHER), graph_of(TINY)):
        res = an.burden(g)
        for b, row in zip(res, an.burden_table(res), strict=True):
            assert sum(c.points for c in b.components) == pytest.approx(b.index)
            assert sum(row[f"{n}_points"] for n in an.BURDEN_WEIGHTS) == pytest.approx(
                row["index"])
            assert all(c.points == c.weight * c.count for c in b.components)


def test_tiny_links_by_title_and_reports_myndighetska_as_not_measured() -> None:
    (b,) = an.burden(graph_of(TINY))
    c = b.component(COURIER)
    assert c.insight == "kurir" and c.insight_in_graph  # titled "Kunden får agera kurir"
    assert b.component(WHO).insight == "vem-gor-vad"
    own = b.component(OWN)
    assert not own.insight_in_graph and own.insight_title == "Kunden blir sin egen projektledare"
    assert not b.component(LANG).measured  # no step in tiny gives agency_terms
    # tiny: 3 person steps (no taken_by) at Skatteverket, Skatteverket, banken; the first has
    # feedback none, the third delayed; one document → 2 + 3 + 0 + 2 + 1.5·2 = 10
    assert b.index == 2 + 3 + 0 + 2 * 1 + 1.5 * 2


@pytest.mark.parametrize(("title", "expected"), [
    ("Svårt att veta vem som gör vad", Canonical.WHO_DOES_WHAT),
    ("  svart att veta VEM som gor vad!  ", Canonical.WHO_DOES_WHAT),
    ("Det är omöjligt att lära sig ’myndighetska’", Canonical.MYNDIGHETSKA),
    ("It is impossible to learn 'officialese'", Canonical.MYNDIGHETSKA),
    ("«Kunden får agera kurir»", Canonical.COURIER),
    ("Får veta först i efterhand att man gjort fel", Canonical.LATE_FEEDBACK),
    ("Kunden blir sin egen projektledare", Canonical.OWN_PROJECT_MANAGER),
    ("Kunden blir sin egen projektledare ibland", None),
])
def test_title_matching(title: str, expected: Canonical | None) -> None:
    assert canonical_of({"kind": "general", "title": title}) == expected
    assert canonical_of({"kind": "specific", "title": title}) is None
    assert title_key(title) == title_key(title.upper())


def test_canonical_is_validated(tiny_copy: Path) -> None:
    ins = tiny_copy / "insights.yaml"
    text = ins.read_text(encoding="utf-8")
    ins.write_text(text.replace("  kind: general\n", "  kind: general\n  canonical: courier\n")
                   .replace("- id: intyg-till-banken\n",
                            "- id: intyg-till-banken\n  canonical: kurir\n"),
                   encoding="utf-8")
    with pytest.raises(ValidationFailed) as err:
        read_dataset(tiny_copy)
    problems = err.value.problems
    assert all(p.file == "insights.yaml" and p.field == "canonical" for p in problems)
    text = " ".join(str(p) for p in problems)
    assert "'courier' is already insight 'kurir'" in text  # two generals claim the same one
    assert "not one of the five general insights" in text  # 'kurir' is not a canonical value
