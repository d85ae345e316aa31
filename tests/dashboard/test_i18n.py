"""The dashboard's string catalog: both languages have the same keys, no empty text, the same
placeholders; every error class and every error kind raised anywhere in the code has its words
in both languages (found by reading the code, so a new `kind=` needs its text); and the
language in the URL is read safely."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

from dashboard import i18n, url_state
from dashboard.i18n import EN, SV, error_text
from graph import errors
from graph.errors import InsiktError, NotFound, QueryFailed, QueryRefused
from queries.types import Param
from tests.conftest import ROOT

PACKAGES = ("graph", "queries", "loaders", "dashboard", "insikt_cli")


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_both_languages_have_the_same_keys_and_placeholders() -> None:
    assert set(SV) == set(EN), set(SV) ^ set(EN)
    for key in SV:
        assert SV[key].strip() and EN[key].strip(), key
        assert placeholders(SV[key]) == placeholders(EN[key]), key


def raised_kinds() -> dict[str, set[str]]:
    """Every `kind="…"` given to a call in the packages, with the keywords given beside it."""
    found: dict[str, set[str]] = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.Call):
                    continue
                kinds = [k.value.value for k in node.keywords if k.arg == "kind"
                         and isinstance(k.value, ast.Constant) and isinstance(k.value.value, str)]
                if kinds and _looks_like_an_error(node):
                    found.setdefault(kinds[0], set()).update(
                        k.arg for k in node.keywords if k.arg and k.arg != "kind")
    return found


def _looks_like_an_error(call: ast.Call) -> bool:
    name = call.func.id if isinstance(call.func, ast.Name) else getattr(call.func, "attr", "")
    return name in {c.__name__ for codes in errors.exit_codes().values() for c in codes} or (
        name.endswith(("Error", "Refused", "Failed", "Unavailable", "NotFound")))


def test_every_error_class_and_kind_is_worded_in_both_languages() -> None:
    for cls in (c for codes in errors.exit_codes().values() for c in codes):
        assert i18n.has(f"error.{cls.__name__}") or any(
            i18n.has(f"error.{base.__name__}") for base in cls.__mro__[1:]), cls
    kinds = raised_kinds()
    assert {"param_type", "needs_neo4j", "timeout", "cypher_not_read_only"} <= set(kinds)
    for kind, given in sorted(kinds.items()):
        assert i18n.has(f"error.kind.{kind}"), f"no words for the error kind {kind!r}"
        missing = placeholders(SV[f"error.kind.{kind}"]) - given
        assert not missing, f"error kind {kind!r} is raised without {missing}"


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_an_error_reads_in_one_language(lang: str) -> None:
    with pytest.raises(QueryRefused) as caught:
        Param("limit", "int", "at most this many hits", minimum=1).parse("0")
    message, detail = error_text(caught.value, lang)
    table = SV if lang == "sv" else EN
    assert message == f"{table['error.QueryRefused']}: " + table["error.kind.param_min"].format(
        name="limit", limit="1")
    assert detail == ""
    assert ("refused" in message) == (lang == "en")  # no English inside the Swedish text


def test_an_error_without_a_kind_keeps_the_library_words_apart() -> None:
    message, detail = error_text(NotFound("no dataset 'x' is loaded"), "sv")
    assert message == SV["error.NotFound"] + "." and detail == "no dataset 'x' is loaded"

    class LaterError(QueryFailed):  # a class added later reads as its nearest parent
        pass

    assert error_text(LaterError("boom"), "en") == (EN["error.QueryFailed"] + ".", "boom")
    assert error_text(InsiktError("x", kind="no-such-kind"), "sv")[1] == "x"


def test_the_console_refusal_names_the_clause_apart() -> None:
    exc = QueryRefused("refused: the query writes (SET).", kind="cypher_not_read_only")
    message, detail = error_text(exc, "sv")
    assert message.startswith(SV["error.QueryRefused"]) and "writes" not in message
    assert detail == "refused: the query writes (SET)."


@pytest.mark.parametrize("raw, wanted", [
    ({"lang": "en"}, "en"), ({"lang": ["sv", "en"]}, "en"), ({"lang": "EN"}, None),
    ({"lang": "<script>"}, None), ({"lang": ""}, None), ({}, None), ({"lang": ["x" * 9000]}, None),
])
def test_the_language_in_the_url(raw: dict[str, object], wanted: str | None) -> None:
    assert url_state.lang_from_url(raw, i18n.LANGS) == wanted
    assert i18n.valid_lang(raw.get("lang")) == wanted


def test_a_deep_link_keeps_the_language_beside_the_parameters() -> None:
    url = url_state.params_to_url("search", {"q": "kurir", "limit": 5, "gaps_only": True,
                                             "lang": "xx", "none": None}, "en")
    assert url == {"query": "search", "q": "kurir", "limit": "5", "gaps_only": "true",
                   "lang": "en"}


def test_the_docstring_names_real_files() -> None:
    doc = i18n.__doc__ or ""
    for name in ("tests/dashboard/test_i18n.py", "tests/dashboard/test_languages.py"):
        assert name in doc and (ROOT / name).exists()
    assert Path(__file__).name == "test_i18n.py"
