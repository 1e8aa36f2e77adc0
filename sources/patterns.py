"""Pattern pieces every layer of the grammar (quantities, clauses, periods, places) shares, defined once.

- ``W``: a word character of the reports (Latin letters with Vietnamese diacritics, digits);
- ``B`` / ``E``: word boundaries built from it (``\\b`` does not know 'đ' or 'ư' in every engine);
- ``NUMBER``: a number written the Vietnamese way ('.' groups thousands, ',' marks decimals);
- ``YEAR``: a year the reports talk about;
- ``alternation(phrases)``: one regex alternative per phrase, longest first, spaces flexible;
- ``table_re`` / ``has`` / ``last``: phrase tables (lexicon lists or dicts) matched on word boundaries.
"""

from __future__ import annotations

import re

W = r"0-9A-Za-zÀ-ỹĐđ"
B = rf"(?<![{W}])"
E = rf"(?![{W}])"
NUMBER = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
YEAR = r"(?:19[89]\d|20[0-4]\d)"


def alternation(phrases) -> str:
    """A non-capturing alternative of the phrases, longest first; a space matches any run of spaces."""
    return "(?:" + "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in sorted(phrases, key=len, reverse=True)) + ")"


_TABLE_RES: dict[int, re.Pattern] = {}


def table_re(phrases) -> re.Pattern:
    """One compiled pattern per phrase table, the phrase in group 1, on word boundaries; cached."""
    key = id(phrases)
    pattern = _TABLE_RES.get(key)
    if pattern is None:
        pattern = re.compile(B + "(" + "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True)) + ")" + E,
                             re.IGNORECASE)
        _TABLE_RES[key] = pattern
    return pattern


def has(text: str, phrases) -> str | None:
    """The longest phrase of ``phrases`` found in ``text`` on word boundaries."""
    hits = [m.group(1).lower() for m in table_re(phrases).finditer(text)]
    return max(hits, key=len) if hits else None


def last(text: str, table: dict[str, str]) -> tuple[int, str] | None:
    """The table value of the phrase that ends last in ``text`` (position, value)."""
    found = None
    for m in table_re(table).finditer(text):
        found = m
    return (found.end(), table[found.group(1).lower()]) if found else None
