import pytest

from graph.ids import fold, is_slug, luhn_ok, org_nr_problem, slugify


def test_slugify_swedish_letters() -> None:
    assert slugify("Myndigheten för digital förvaltning") == "myndigheten-for-digital-forvaltning"
    assert slugify("Länsstyrelsen i Västra Götalands län") == "lansstyrelsen-i-vastra-gotalands-lan"
    assert slugify("Havs- och vattenmyndigheten") == "havs-och-vattenmyndigheten"
    assert slugify("Å Ä Ö é") == "a-a-o-e"


def test_is_slug() -> None:
    assert is_slug("nar-nagon-har-dott")
    for bad in ("När", "a--b", "-a", "a-", "a_b", "", "A"):
        assert not is_slug(bad), bad


def test_org_nr_luhn() -> None:
    # Real numbers from the register.
    for nr in ("202100-5448", "202100-5521", "202100-6255", "202100-6883"):
        assert org_nr_problem(nr) is None, nr
    assert "check digit" in (org_nr_problem("202100-5447") or "")
    assert "NNNNNN-NNNN" in (org_nr_problem("2021005448") or "")
    assert "third digit" in (org_nr_problem("191212-1212") or "")
    assert luhn_ok("2021005448") and not luhn_ok("2021005449")


@pytest.mark.parametrize("nr", [
    "２０２１００-５５２１",  # full-width digits (python-stdnum alone accepts these)
    "٢٠٢١٠٠-٥٥٢١",  # Arabic-Indic digits
    "۲۰۲۱۰۰-۵۵۲۱",  # extended Arabic-Indic digits
    "202100-５５２１",  # mixed
    "202100‐5521",  # a Unicode hyphen instead of '-'
    "202100-5521\n", " 202100-5521", "202100 5521", "202100.5521", "",
])
def test_org_nr_only_ascii_digits_count(nr: str) -> None:
    assert org_nr_problem("202100-5521") is None
    assert "NNNNNN-NNNN" in (org_nr_problem(nr) or ""), nr
    assert not luhn_ok(nr.replace("-", ""))


def test_fold_ignores_case_and_diacritics() -> None:
    assert fold("Försäkringskassan") == fold("FORSAKRINGSKASSAN")
