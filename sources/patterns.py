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
from bisect import bisect_left
from functools import lru_cache

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


# Bounded work per figure (issue #19): the grammar asks a phrase table about the words around every
# number, and most windows hold none of its phrases. A phrase matches (``re.IGNORECASE``) only where
# it occurs in the text folded as that flag compares letters: simple lowercase (the dotted capital I
# folded first, as ``str.lower`` would make it two characters), and the dotless i and the long s it
# counts as i and s. Looking for the phrases so is a plain substring test, many times faster than
# the pattern; the pattern runs only where one occurs.
_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})
_FOLDED_PHRASES: dict[int, tuple[object, tuple[str, ...]]] = {}


def fold_case(text: str) -> str:
    """``text`` as ``re.IGNORECASE`` compares it, for a substring test (same length for the text it
    is used on: letters only change case)."""
    if "\u0130" in text or "\u0131" in text or "\u017f" in text:
        text = text.translate(_FOLD)
    return text.lower()


def may_have(text: str, phrases) -> bool:
    """False when no phrase of the table can match in ``text`` (``table_re``); True when one may."""
    key = id(phrases)
    entry = _FOLDED_PHRASES.get(key)
    if entry is None or entry[0] is not phrases:
        entry = (phrases, tuple({fold_case(p) for p in phrases}))
        _FOLDED_PHRASES[key] = entry
    folded = fold_case(text)
    return any(map(folded.__contains__, entry[1]))


def has(text: str, phrases) -> str | None:
    """The longest phrase of ``phrases`` found in ``text`` on word boundaries."""
    if not may_have(text, phrases):
        return None
    hits = [m.group(1).lower() for m in table_re(phrases).finditer(text)]
    return max(hits, key=len) if hits else None


def last(text: str, table: dict[str, str]) -> tuple[int, str] | None:
    """The table value of the phrase that ends last in ``text`` (position, value)."""
    found = None
    if not may_have(text, table):
        return None
    for m in table_re(table).finditer(text):
        found = m
    return (found.end(), table[found.group(1).lower()]) if found else None


# A pattern that opens with one of a table's phrases (``alternation``, spaces flexible, compiled with
# re.IGNORECASE) can match only where the first word of one of them occurs in the text folded as
# ``fold_case``: a search of a long pattern anchored at the text's end (a verb and what may stand
# between it and the number) tried at every position costs far more than finding where it can start.
_LEADS: dict[int, tuple[object, re.Pattern, frozenset[str]]] = {}


def _leads(phrases) -> tuple[object, re.Pattern, frozenset[str]]:
    """The table, a pattern of its phrases' first words (folded), and those words."""
    key = id(phrases)
    entry = _LEADS.get(key)
    if entry is None or entry[0] is not phrases:
        words = frozenset(fold_case(p).split(" ")[0] for p in phrases)
        entry = (phrases, re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))), words)
        _LEADS[key] = entry
    return entry


def first_lead(text: str, phrases) -> int:
    """The first position where the first word of one of ``phrases`` occurs in ``text`` as
    ``re.IGNORECASE`` compares letters, -1 when none does: no match of a pattern opening with one of
    the phrases starts before it (a lookbehind still sees the text before it when the pattern is
    searched from there with ``pattern.search(text, pos)``)."""
    m = _leads(phrases)[1].search(fold_case(text))
    return m.start() if m else -1


def first_lead_at(whole: str, start: int, window: str, phrases) -> int:
    """``first_lead(window, phrases)`` for a window that is ``whole[start:start + len(window)]``, or its
    lowercase (``lower_slice``, ``str.lower``): looked up in the positions of the phrases' first words
    in ``whole``, found once per text (``_phrase_starts``), once there are any. The answer may then be
    a place before first_lead's (a longer word that starts there runs past the window), never after
    it: a search for a pattern opening with one of the phrases, from there, finds what it finds from
    first_lead's."""
    index = _phrase_starts(whole, phrases, leads=True)
    if index is None:
        return first_lead(window, phrases)
    starts, shortest = index
    i = bisect_left(starts, start)
    return starts[i] - start if i < len(starts) and starts[i] <= start + len(window) - shortest else -1


# Bounded work per figure (issue #19): the clause layers read the lowercase of the clause before each
# number, and lowering it again for every number makes a clause of many numbers cost their square.
# The whole text is lowered once: a slice of it is the lowercase of the slice, since ``str.lower``
# maps every character on its own to one character, except the dotted capital I (two characters)
# and the capital sigma (final or not, by its neighbours): a text holding either is lowered slice by
# slice, as before.
_CONTEXT_LOWER = ("\u0130", "\u03a3")


@lru_cache(maxsize=16)
def _lowered(text: str) -> str | None:
    return None if any(c in text for c in _CONTEXT_LOWER) else text.lower()


def lower_slice(text: str, start: int, end: int) -> str:
    """``text[start:end].lower()``, read from the text lowered once."""
    low = _lowered(text)
    return text[start:end].lower() if low is None else low[start:end]


def search_led(pattern: re.Pattern, text: str, phrases, back: int = 0, whole: str | None = None,
               start: int = 0) -> re.Match | None:
    """``pattern.search(text)`` for a pattern whose every match opens at most ``back`` characters
    before one of ``phrases`` (a space or the text's start, for ``back=1``): searched from the first
    place one of their first words occurs (``first_lead``; ``first_lead_at`` when ``text`` is
    ``whole[start:...]`` or its lowercase), not at all when none does."""
    if len(text) < _SHORT:
        return pattern.search(text)  # (the pattern reads a few characters faster than their folding)
    lead = first_lead(text, phrases) if whole is None else first_lead_at(whole, start, text, phrases)
    return None if lead == -1 else pattern.search(text, max(0, lead - back))


_SHORT = 16


# Bounded work per figure (issue #19): where each phrase of a table occurs in a text, found once per text
# (str.find over the text folded as ``may_have`` folds a window), so that "may the window before this
# number hold one of the phrases" is a binary search, not a substring test per phrase per number. The
# positions are looked for once the windows asked about add up to the text's length (a report of a
# few figures asks about less than the whole text: it is read window by window, as before).
_PHRASE_STARTS: dict[tuple[int, int, bool], tuple[str, object, list[int] | None, int]] = {}
_WINDOW = 120  # about the characters a question reads


def _phrase_starts(text: str, phrases, leads: bool = False) -> tuple[list[int], int] | None:
    """Sorted positions where a phrase of the table (with ``leads``, the first word of one: see
    ``first_lead``) starts in ``text`` folded, and the shortest one's length; None while the text is
    read window by window, or when a window of the text is not folded as a slice of the whole (see
    ``lower_slice``)."""
    key = (id(text), id(phrases), leads)
    entry = _PHRASE_STARTS.get(key)
    if entry is not None and entry[0] is text and entry[1] is phrases:
        if entry[2] is not None:
            return entry[2], entry[3]
        if entry[3] * _WINDOW < len(text):
            _PHRASE_STARTS[key] = (text, phrases, None, entry[3] + 1)  # (the questions asked so far)
            return None
    elif len(text) > _WINDOW:
        if len(_PHRASE_STARTS) >= 64:
            _PHRASE_STARTS.clear()
        _PHRASE_STARTS[key] = (text, phrases, None, 1)
        return None
    low = _lowered(text)
    if low is None:
        return None
    folded = low.translate(_FOLD) if ("\u0131" in low or "\u017f" in low) else low
    words = _leads(phrases)[2] if leads else {fold_case(p) for p in phrases}
    starts, shortest = occurrences(folded, words), min(len(w) for w in words)
    if len(_PHRASE_STARTS) >= 64:
        _PHRASE_STARTS.clear()
    _PHRASE_STARTS[key] = (text, phrases, starts, shortest)
    return starts, shortest


def occurrences(folded: str, words) -> list[int]:
    """Sorted positions where one of ``words`` starts in ``folded`` (both folded alike, ``fold_case``)."""
    starts: list[int] = []
    for word in words:
        at = folded.find(word)
        while at != -1:
            starts.append(at)
            at = folded.find(word, at + 1)
    starts.sort()
    return starts


def may_have_at(text: str, start: int, end: int, phrases) -> bool:
    """False when no phrase of the table occurs in ``text[start:end]`` lowered (so ``may_have`` and
    ``has`` of that window, lowered as ``lower_slice`` lowers it, find none); True when one may."""
    index = _phrase_starts(text, phrases)
    if index is None:
        return True
    starts, shortest = index
    i = bisect_left(starts, max(start, 0))
    return i < len(starts) and starts[i] <= end - shortest
