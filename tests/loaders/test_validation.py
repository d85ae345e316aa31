"""Every kind of validation problem, with its message and location."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.errors import Problem
from loaders.dataset import validate_dataset
from tests.conftest import BROKEN, TINY


def problems_for(folder: Path) -> list[Problem]:
    return validate_dataset(folder)[1]


def write(folder: Path, name: str, text: str) -> None:
    (folder / name).write_text(text, encoding="utf-8")


def one(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, "\n".join(map(str, problems))
    return problems[0]


def test_tiny_is_valid() -> None:
    assert problems_for(TINY) == []


def test_broken_reports_all_four_mistakes() -> None:
    got = {(p.file, p.entry, p.field) for p in problems_for(BROKEN)}
    assert got == {
        ("agencies.yaml", "'skatteverket'", "org_nr"),
        ("insights.yaml", "'vem-gor-vad'", "id"),
        ("principles.yaml", "line 6, column 13", ""),
        ("journeys.yaml", "life_event 'nar-nagon-har-dott'", "steps[2].agency"),
    }


def test_dangling_reference_has_did_you_mean(tiny_copy: Path) -> None:
    text = (tiny_copy / "life_events.yaml").read_text(encoding="utf-8")
    write(tiny_copy, "life_events.yaml", text.replace("domain: arbete", "domain: arbet"))
    p = one(problems_for(tiny_copy))
    assert (p.file, p.entry, p.field) == ("life_events.yaml", "'bli-arbetslos'", "domain")
    assert "unknown domain 'arbet'" in p.message and "did you mean 'arbete'" in p.hint


def test_unknown_key_has_did_you_mean(tiny_copy: Path) -> None:
    write(tiny_copy, "domains.yaml",
          "- id: familj\n  nmae: Familj\n  name: Familj\n- id: arbete\n  name: Arbete\n")
    p = one(problems_for(tiny_copy))
    assert p.field == "nmae" and "unknown key" in p.message and "'name'" in p.hint


def test_unknown_nested_key(tiny_copy: Path) -> None:
    text = (tiny_copy / "principles.yaml").read_text(encoding="utf-8")
    write(tiny_copy, "principles.yaml", text.replace("status: planned", "statsu: planned"))
    p = one(problems_for(tiny_copy))
    assert p.field == "applied_by[1].statsu" and "'status'" in p.hint


def test_bad_slug_and_enum_and_date(tiny_copy: Path) -> None:
    write(tiny_copy, "sources.yaml",
          "- id: Forum_2017\n  title: X\n  kind: blog\n  date: 2017-13-01\n"
          "- id: guide\n  title: Y\n  kind: report\n  date: 2020\n")
    found = {p.field: p for p in problems_for(tiny_copy) if p.file == "sources.yaml"}
    assert set(found) == {"id", "kind", "date"}
    assert "not a valid id" in found["id"].message
    assert "'blog' is not an allowed value" in found["kind"].message
    assert "'article'" in found["kind"].hint
    assert "YYYY-MM-DD" in found["date"].message


def test_wrong_types(tiny_copy: Path) -> None:
    write(tiny_copy, "domains.yaml",
          "- id: familj\n  name: 12\n- id: arbete\n  name: Arbete\n  name_en: [x]\n")
    got = {(p.entry, p.field): p.message for p in problems_for(tiny_copy)}
    assert got[("'familj'", "name")].startswith("expected text, got int")
    assert got[("'arbete'", "name_en")].startswith("expected text, got list")


def test_missing_required_field(tiny_copy: Path) -> None:
    write(tiny_copy, "domains.yaml", "- id: familj\n- id: arbete\n  name: Arbete\n")
    p = one(problems_for(tiny_copy))
    assert (p.entry, p.field, p.message) == ("'familj'", "name", "required field is missing")


def test_non_list_file_and_non_mapping_entry(tiny_copy: Path) -> None:
    write(tiny_copy, "domains.yaml", "id: familj\nname: Familj\n")
    probs = problems_for(tiny_copy)
    assert any(p.file == "domains.yaml" and "must be a YAML list" in p.message for p in probs)
    write(tiny_copy, "domains.yaml", "- just text\n- id: arbete\n  name: Arbete\n")
    probs = [p for p in problems_for(tiny_copy) if p.file == "domains.yaml"]
    assert probs[0].entry == "entry 1 (line 1)" and "expected a mapping" in probs[0].message


def test_empty_file_is_fine(tiny_copy: Path) -> None:
    write(tiny_copy, "principles.yaml", "")
    assert problems_for(tiny_copy) == []


def test_yaml_syntax_error_has_line(tiny_copy: Path) -> None:
    write(tiny_copy, "domains.yaml", "- id: familj\n  name: [Familj\n")
    p = one(problems_for(tiny_copy))
    assert p.file == "domains.yaml" and p.entry.startswith("line ")
    assert "YAML syntax error" in p.message


def test_duplicate_key_in_entry(tiny_copy: Path) -> None:
    write(tiny_copy, "domains.yaml", "- id: familj\n  name: A\n  name: B\n- id: arbete\n  name: C\n")
    p = one(problems_for(tiny_copy))
    assert (p.entry, p.field) == ("line 3", "name") and "twice" in p.message


def test_bom_and_crlf_are_accepted(tiny_copy: Path) -> None:
    raw = (tiny_copy / "insights.yaml").read_text(encoding="utf-8")
    (tiny_copy / "insights.yaml").write_bytes(b"\xef\xbb\xbf" + raw.replace("\n", "\r\n")
                                              .encode("utf-8"))
    assert problems_for(tiny_copy) == []


def test_yaml_and_csv_for_one_type_is_an_error(tiny_copy: Path) -> None:
    write(tiny_copy, "agencies.csv", "id,name\nx,X\n")
    probs = problems_for(tiny_copy)
    assert any(p.file == "agencies.csv" and "both agencies.yaml and agencies.csv" in p.message
               for p in probs)


def test_unknown_file_gets_hint(tiny_copy: Path) -> None:
    write(tiny_copy, "insight.yaml", "[]")
    p = one(problems_for(tiny_copy))
    assert p.file == "insight.yaml" and "insights.yaml" in p.hint


def test_instance_of_must_be_general(tiny_copy: Path) -> None:
    text = (tiny_copy / "insights.yaml").read_text(encoding="utf-8")
    write(tiny_copy, "insights.yaml",
          text.replace("instance_of: [vem-gor-vad]", "instance_of: [intyg-till-banken]"))
    p = one(problems_for(tiny_copy))
    assert p.field == "instance_of[0]" and "not a general one" in p.message


def test_duplicate_org_nr_and_step_ids(tiny_copy: Path) -> None:
    text = (tiny_copy / "agencies.yaml").read_text(encoding="utf-8")
    write(tiny_copy, "agencies.yaml", text.replace("org_nr: 202100-5521", "org_nr: 202100-5448"))
    text = (tiny_copy / "journeys.yaml").read_text(encoding="utf-8")
    write(tiny_copy, "journeys.yaml", text.replace("id: visa-intyg-for-banken", "id: bestall-intyg"))
    got = {(p.file, p.field) for p in problems_for(tiny_copy)}
    assert got == {("agencies.yaml", "org_nr"), ("journeys.yaml", "steps[2].id")}


@pytest.mark.parametrize("bad", ["2021005448", "202100-5449", "121212-1212"])
def test_bad_org_nr_variants(tiny_copy: Path, bad: str) -> None:
    text = (tiny_copy / "agencies.yaml").read_text(encoding="utf-8")
    write(tiny_copy, "agencies.yaml", text.replace("202100-5448", bad))
    p = one(problems_for(tiny_copy))
    assert p.field == "org_nr" and "not a valid org nr" in p.message


def test_csv_agencies_and_insights(tiny_copy: Path) -> None:
    (tiny_copy / "agencies.yaml").unlink()
    (tiny_copy / "insights.yaml").unlink()
    write(tiny_copy, "agencies.csv",
          "\ufeffid,name,name_en,short_name,org_nr,kind,url,aliases,illustrative\r\n"
          "skatteverket,Skatteverket,Swedish Tax Agency,SKV,202100-5448,,,Skattemyndigheten;RSV,\r\n"
          "forsakringskassan,Försäkringskassan,,,202100-5521,statlig,,,\r\n"
          "pensionsmyndigheten,Pensionsmyndigheten,,,202100-6255,,,,\r\n"
          "banken,Banken,The bank,,,annan,,,ja\r\n")
    write(tiny_copy, "insights.csv",
          "id,title,kind,instance_of,life_events,reported_by,sources\n"
          "kurir,Kunden får agera kurir,general,,,pensionsmyndigheten:forum-2017:2017,forum-2017\n"
          "vem-gor-vad,Svårt att veta vem som gör vad,general,,,,\n"
          "intyg-till-banken,Intyg,specific,kurir,nar-nagon-har-dott,"
          "skatteverket:guide:2020;forsakringskassan::2021,guide\n"
          "foretag-far-inte-veta,Företag,specific,vem-gor-vad,nar-nagon-har-dott,"
          "skatteverket::2020,guide\n")
    # principles.yaml refers to an insight the CSV lacks: one precise problem.
    probs = problems_for(tiny_copy)
    assert [(p.file, p.field) for p in probs] == []
    write(tiny_copy, "insights.csv",
          "id,title,kind,reported_by\nkurir,K,general,pensionsmyndigheten:forum-2017:tjugo\n"
          "vem-gor-vad,V,special,\n")
    got = {(p.file, p.entry, p.field) for p in problems_for(tiny_copy)}
    assert ("insights.csv", "'kurir'", "reported_by[0].year") in got
    assert ("insights.csv", "'vem-gor-vad'", "kind") in got


def test_csv_row_location_without_id(tiny_copy: Path) -> None:
    (tiny_copy / "agencies.yaml").unlink()
    write(tiny_copy, "agencies.csv", "id,name,colour\nskatteverket,S,\n,Nameless,\n")
    entries = {(p.entry, p.field) for p in problems_for(tiny_copy) if p.file == "agencies.csv"}
    assert ("row 3", "id") in entries


def test_non_utf8_file_is_a_located_problem(tiny_copy: Path) -> None:
    (tiny_copy / "domains.yaml").write_bytes("- id: familj\n  name: Försäkring\n".encode("latin-1"))
    p = one([p for p in problems_for(tiny_copy) if p.file == "domains.yaml"])
    assert "not UTF-8" in p.message and "UTF-8" in p.hint
