"""Identifiers: slugs for ids and Swedish organisation numbers (organisationsnummer)."""

from __future__ import annotations

import re
import unicodedata

from stdnum import luhn
from stdnum.exceptions import ValidationError
from stdnum.se import orgnr

SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
ORG_NR_RE = re.compile(r"[0-9]{6}-[0-9]{4}", re.ASCII)
"""The written form: ASCII digits only (stdnum alone would accept full-width digits)."""


def slugify(text: str) -> str:
    """Turn a name into an id: lower case, å/ä→a, ö→o, other marks dropped, '-' between words.

    >>> slugify("Myndigheten för digital förvaltning")
    'myndigheten-for-digital-forvaltning'
    """
    s = text.lower().replace("å", "a").replace("ä", "a").replace("ö", "o")
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")


def is_slug(value: str) -> bool:
    return bool(SLUG_RE.match(value))


def luhn_ok(digits: str) -> bool:
    """Luhn (mod 10) check over a string of ASCII digits, as for the org nr's last digit."""
    return digits.isascii() and digits.isdigit() and luhn.is_valid(digits)


def org_nr_problem(value: str) -> str | None:
    """Why an org nr is invalid, or None when it is valid: the form NNNNNN-NNNN in ASCII digits
    (checked here, as python-stdnum would also take full-width digits or no dash), the third
    digit 2 or more (an organisation, not a person), and stdnum's length and Luhn check."""
    if not ORG_NR_RE.fullmatch(value):
        return "must look like NNNNNN-NNNN (ten digits with a dash after the sixth)"
    if int(value[2]) < 2:
        return "the third digit must be 2 or more for an organisation (else it is a personnummer)"
    try:
        orgnr.validate(value)
    except ValidationError:
        return "the check digit (the last one) does not match the Luhn check"
    return None


def fold(text: str) -> str:
    """Case- and diacritic-insensitive form of a text, for embedded full-text matching."""
    s = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in s if not unicodedata.combining(ch))
