"""Identifiers: slugs for ids and Swedish organisation numbers (organisationsnummer)."""

from __future__ import annotations

import re
import unicodedata

SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
ORG_NR_RE = re.compile(r"^\d{6}-\d{4}$")


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
    """Luhn (mod 10) check over a string of digits, as used for the org nr's last digit."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def org_nr_problem(value: str) -> str | None:
    """Why an org nr is invalid, or None when it is valid (format NNNNNN-NNNN + Luhn)."""
    if not ORG_NR_RE.match(value):
        return "must look like NNNNNN-NNNN (ten digits with a dash after the sixth)"
    digits = value.replace("-", "")
    if int(digits[2]) < 2:
        return "the third digit must be 2 or more for an organisation (else it is a personnummer)"
    if not luhn_ok(digits):
        return "the check digit (the last one) does not match the Luhn check"
    return None


def fold(text: str) -> str:
    """Case- and diacritic-insensitive form of a text, for embedded full-text matching."""
    s = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in s if not unicodedata.combining(ch))
