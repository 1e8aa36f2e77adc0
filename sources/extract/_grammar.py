"""Layer 1 of the grammar: quantities.

A quantity is a number with what the language puts around it, read in steps (``read_quantity``):

1. ``_rejected``: what is not a quantity at all - dates (24/10/2019), document numbers (1385/QĐ-TTg,
   26-NQ/TW), list and section numbers, ordinals (lần thứ 29), labels (Quân khu 4, Dự án 2, COVID-19),
   a per-unit base ("trên 1 ha đất"), page furniture (related-article links);
2. ``_ratio``: "a/b" (b the universe or the plan: "15/275 hộ", "225.922/456.006 triệu đồng");
3. ``_range``: "8,5-9,5%", "từ 13 đến 15 tiêu chí": one unit for both ends;
4. ``_unit``: scale words (nghìn, triệu, tỷ; mixed "68 tỷ 782 triệu"; written short with đồng "trđ",
   "tr.đồng", "tỷđ"), đồng, %, a measure unit (spaced
   or glued: "139,3km"), a multiple ("1,3 lần"), or the noun a count counts - an open class: any noun
   after a count is what it counts, its class from the lexicon where it has one, "count" otherwise;
   durations, ages, function words and the documents of a meeting are not counted nouns;
5. ``_per_unit``: "triệu đồng/người/năm", "tạ/ha", "mỗi xã ... 1 tỷ đồng";
6. ``_hedge``: hơn, trên, gần, khoảng, ước ... before, "trở lên" after.

What a quantity *is* (funding, indicator, role, programme) is decided by the clause layers:
``_funding`` and ``_classify``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from sources import lexicon as lex
from sources.numbers import SCALES, parse_number
from sources.patterns import NUMBER, W, alternation, first_lead_at
from sources.patterns import E as _E

_LETTER = "A-Za-zÀ-ỹĐđ"

# A number, not glued to a word, a date or a document number before it. After it: a non-word, or a
# unit written glued to it ("139,3km", "82.352ha"). A number glued after a lowercase word is a missing
# space when a percent follows ("đạt13,04%").
#
# Numbers written against the Vietnamese separators are read and flagged (``suspect_format``), only
# where the writing leaves one reading and a unit follows: English separators ("1,250.5 tỷ": comma
# groups then a dot), a decimal dot ("7.5%", "1.25 tỷ": a dot before one or two digits never groups
# thousands), spaces grouping thousands ("1 250 tỷ đồng").
_UNIT_AHEAD = rf"(?=[ \t\u00a0]?(?:%|(?i:{alternation(lex.FORMAT_CHECKED_UNITS)})(?![{W}])))"
_ENGLISH = r"\d{1,3}(?:,\d{3})+\.\d+(?![\d.,])"
_DECIMAL_DOT = r"\d{1,3}\.\d{1,2}(?![\d.,])" + _UNIT_AHEAD
_SPACED = r"\d{1,3}(?:[ \u00a0]\d{3})+(?:,\d+)?(?![\d.,])" + _UNIT_AHEAD
_UNUSUAL = rf"(?=\d{{1,3}}[ ,.\u00a0]\d)(?:{_ENGLISH}|{_DECIMAL_DOT}|{_SPACED})"  # tried only where a separator follows
NUMBER_RE = re.compile(
    rf"(?:(?<![{W}/.,\-])|(?<=[a-zà-ỹđ]{{2}})(?=(?:{NUMBER})\s?%))({_UNUSUAL}|{NUMBER})"
    rf"(?:(?![{W}])|(?=(?i:{alternation(lex.GLUED_UNITS)})(?![{W}])))")
# Bounded work per number (issue #19): NUMBER_RE opens with lookbehinds, so a scan for it tries the
# whole pattern at every character; a match opens at a digit that no ASCII digit precedes (a digit is
# a word character, and the glued-percent branch wants letters before), so it is tried only at the
# first digit of a run, found by a pattern the engine looks for by its first character.
_DIGIT_RUN = re.compile(r"[0-9]+|\d")


def numbers_in(text: str, start: int, end: int) -> Iterator[re.Match]:
    """The matches of ``NUMBER_RE.finditer(text, start, end)``."""
    pos = start
    while (run := _DIGIT_RUN.search(text, pos, end)) is not None:
        m = NUMBER_RE.match(text, run.start(), end)
        if m is None:
            pos = run.end()
        else:
            yield m
            pos = m.end()


_ENGLISH_RE = re.compile(_ENGLISH)
_DECIMAL_DOT_RE = re.compile(r"\d{1,3}\.\d{1,2}")


def _number_value(num_text: str) -> tuple[Decimal, str | None]:
    """The value of a number as written, and why its separators are suspect (None when usual)."""
    if "." in num_text:  # (both unusual writings hold a dot)
        if _ENGLISH_RE.fullmatch(num_text):
            return Decimal(num_text.replace(",", "")), "English separators: comma groups, dot decimal"
        if _DECIMAL_DOT_RE.fullmatch(num_text):
            return Decimal(num_text), "decimal dot"
    if " " in num_text or "\u00a0" in num_text:
        return parse_number(num_text), "spaces group thousands"
    return parse_number(num_text), None


@dataclass(slots=True)
class Quantity:
    """A number in the text with its scale, unit and surroundings."""

    start: int  # offsets in the whole text
    end: int
    value: Decimal
    value2: Decimal | None  # upper end of a range
    unit: str  # VND | percent | tonne | ha | household | person | commune | count | other
    hedge: str | None
    per_unit: str | None
    ratio_of: Decimal | None  # b of "a/b xã"
    noun: str | None  # the counted noun, for counts
    suspect_format: str | None = None  # a separator read against its usual sense, and why


class _NotAQuantity(Exception):
    """Raised by a step: the number is a date, a label, a duration ... not a quantity."""


@dataclass(slots=True)
class _Reading:
    """A quantity being read, step by step."""

    text: str
    start: int
    pos: int  # where the next step reads
    before: str  # up to 40 characters before the number, in its sentence
    num_text: str
    value: Decimal
    value2: Decimal | None = None
    ratio_of: Decimal | None = None
    ratio_scaled: bool = False  # the denominator carries its own scale word ("376,7 tỷ/609,1 tỷ")
    unit: str | None = None
    noun: str | None = None
    per_unit: str | None = None
    hedge: str | None = None
    suspect_format: str | None = None


def _words_re(phrases, tail: str = "") -> re.Pattern:
    """The phrases at the reading position (after spaces, not across a line), longest first."""
    return re.compile(r"[ \t\u00a0]*(" + alternation(phrases) + ")" + _E + tail, re.IGNORECASE)


_SCALE_RE = _words_re(SCALES)
_MONEY_ABBREVIATION_RE = _words_re(lex.MONEY_ABBREVIATIONS)
_DONG_RE = _words_re(lex.DONG_WORDS)
_PCT_RE = re.compile(r"\s*(?:%|" + alternation(lex.PERCENT_WORDS) + _E + ")", re.IGNORECASE)
_ALL_UNITS = {**lex.COUNT_UNITS, **lex.MEASURE_UNITS}
_UNIT_RE = _words_re(_ALL_UNITS)
_SCALED_UNIT_RE = _words_re((*lex.MEASURE_UNITS, *lex.SCALED_NOUNS))
_NOT_QUANTITY_RE = _words_re(lex.NOT_QUANTITIES)
_NOT_COUNTED_RE = _words_re(lex.NOT_COUNTED)
_FUNCTION_RE = _words_re(lex.FUNCTION_WORDS)
_PLAN_AFTER_RE = _words_re(lex.FRACTION_OF_PLAN)
_NOUN_RE = re.compile(rf"[ \t\u00a0]*([{_LETTER}][{_LETTER}\-]*)")
_MIXED_RE = re.compile(r"[ \t\u00a0]+(\d{1,3})[ \t\u00a0]*(triệu|nghìn|ngàn)" + _E, re.IGNORECASE)
_RANGE_RE = re.compile(rf"\s*(?:-|–|đến|tới)\s*({NUMBER})(?![{W}/])")
_FROM_TO_RE = re.compile(rf"\s+(?:xuống|lên|giảm\s+xuống|tăng\s+lên)\s+(?:còn\s+|mức\s+)?(?:{NUMBER})\s*%")
_RATIO_RE = re.compile(r"/\s?(\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?)(?![0-9/])")
_SCALED_RATIO_RE = re.compile(rf"\s*/\s*({NUMBER})(?![{W}/])")
_STRAY_DECIMAL_RE = re.compile(r",[ \u00a0](\d{1,3})(?=\s*(?:nghìn|ngàn|triệu|tỷ|tỉ|%))", re.IGNORECASE)
_STRAY_COMMA_RE = re.compile(r",[ \u00a0]+(" + alternation(lex.COUNT_UNITS) + r")\s*/\s*([a-zà-ỹđ]+)", re.IGNORECASE)
_PER_RE = re.compile(r"\s*/\s*(?:01\s+|1\s+|một\s+)?([a-zà-ỹđ]+(?:\s[a-zà-ỹđ]+)?)", re.IGNORECASE)
_EACH_RE = re.compile(alternation(lex.EACH_WORDS) + r"\s+(xã|thôn|bản|hộ|người|lao động)\s+[^.;]{0,40}$",
                      re.IGNORECASE)
_HEDGE_RE = re.compile(r"(?:^|\s)(" + alternation(lex.HEDGES) + r")\s+(?:mức\s+)?$", re.IGNORECASE)
_TRAILING_RE = _words_re(lex.TRAILING_HEDGES)
_NEGATIVE_RE = re.compile(r"(?:^|\s)" + alternation(lex.NEGATIVE_SIGNS) + r"\s+$", re.IGNORECASE)
_NOT_AFTER = frozenset(lex.NOT_AFTER)
_LABEL_NOUNS = frozenset(lex.LABEL_NOUNS)
_MULTIPLE_VERBS = frozenset(lex.MULTIPLE_VERBS)
_NOT_LABEL_COMPOUNDS = frozenset(lex.NOT_LABEL_COMPOUNDS)
# (a number after a word that ends none of the phrases of labels and ordinals follows none of them)
_LABEL_LAST_WORDS = frozenset(p.split()[-1] for p in (*_NOT_AFTER, *_LABEL_NOUNS))
_FURNITURE_RE = re.compile(r"\s*" + alternation(lex.PAGE_FURNITURE), re.IGNORECASE)
_MONEY_OR_RATE_AFTER = re.compile(rf"(?:\s*[-–]\s*(?:{NUMBER}))?\s*(?:%|nghìn|ngàn|triệu|tỷ|tỉ|đồng|tấn|ha\b|km\b)",
                                  re.IGNORECASE)

# Step 1: what is not a quantity, from the words around the number.
_DOC_AFTER = re.compile(r"(?:/\d*\s*[A-ZĐ]|-[A-ZĐ]|/\d{4}/|\.\d+\.\d+|/(?:QĐ|NQ|TB|KL|CT|TT|NĐ|HĐND|UBND|ĐA))")
_DOC_AFTER_OPENERS = ("/", "-", ".")  # what each alternative of _DOC_AFTER opens with
_DOC_BEFORE = re.compile(r"[A-ZĐ][-/]$")
_DOC_BEFORE_ENDS = ("-", "/", "\n")  # where _DOC_BEFORE can match ('$' also before a final line break)
_DATE_AFTER = re.compile(r"/\d{1,2}/\d{2,4}|/\d{4}")  # "29/5/2023", "5/2023"
_DATE_BEFORE = re.compile(r"(?:ngày|sáng|chiều|trưa|tối|đêm|hôm|đến|từ|tới|trước|sau|tháng|quý)\s*$", re.IGNORECASE)
_LIST_NUMBER_AFTER = re.compile(r"\.\s?[A-Za-zÀ-ỹ]")  # "1. Triển khai", "3.2. Nắm chắc"
_YEAR_RE = re.compile(r"^(?:19[5-9]\d|20[0-9]\d)$")
_PER_BASE_BEFORE = re.compile(r"(?:trên|mỗi|/)\s*$", re.IGNORECASE)

# (compiled once: a pattern written in the call is looked up in re's cache at every number)
_DATE_SLASHES = re.compile(r"/\s?\d+\s*/")  # "29/5/2023" after the number: a date
_MAP_SCALE_BEFORE = re.compile(r"tỷ\s+lệ\s*$|tỉ\s+lệ\s*$", re.IGNORECASE)  # "tỷ lệ 1/500"
_FROM_BEFORE = re.compile(r"từ\s*$", re.IGNORECASE)
_SPACE_RUN = re.compile(r"\s+")

def read_quantity(text: str, m: re.Match, sent_start: int) -> Quantity | None:
    """Read the number at ``m`` (a ``NUMBER_RE`` match) as a quantity; None when it is not one."""
    ns, ne = m.start(1), m.end(1)
    value, suspect = _number_value(m.group(1))
    r = _Reading(text=text, start=ns, pos=ne, before=text[max(sent_start, ns - 40):ns], num_text=m.group(1),
                 value=value, suspect_format=suspect)
    try:
        _rejected(r, sent_start)
        _stray_decimal(r)
        _stray_comma(r)
        _ratio(r)
        _range(r)
        _unit(r)
        _per_unit(r)
        _hedge(r)
    except _NotAQuantity:
        return None
    return Quantity(ns, r.pos, r.value, r.value2, r.unit, r.hedge, r.per_unit, r.ratio_of, r.noun,
                    r.suspect_format)


def _rejected(r: _Reading, sent_start: int) -> None:
    """Step 1: dates, document numbers, list numbers, labels, ordinals and page furniture."""
    text, before, after = r.text, r.before, r.text[r.pos:r.pos + 60]
    # (each pattern tried only where it can match: after a '/', '-' or '.'; before, a '-' or '/' at the end)
    if (after[:1] in _DOC_AFTER_OPENERS and _DOC_AFTER.match(after)) or (
            before.endswith(_DOC_BEFORE_ENDS) and _DOC_BEFORE.search(before)) or (
            after[:1] == "/" and _DATE_AFTER.match(after)):
        raise _NotAQuantity
    stripped = before.rstrip()
    if (stripped.endswith("/") and stripped[:-1].rstrip()[-1:].isdigit()) or (
            stripped.endswith(("-", "–")) and after.startswith("/") and stripped[:-1].rstrip()[-1:].isdigit()):
        raise _NotAQuantity  # the b of "a/b" (read with a); "03 - 05/9/2019"
    if len(r.num_text) <= 2 and after[:1] == "." and _LIST_NUMBER_AFTER.match(after) and (
            not stripped or "\n" in before[len(stripped):]):
        raise _NotAQuantity  # "1. Triển khai ...", "3. Trong thời gian tới" at a line's start
    if (after[:1] in ".:" and after[1:2].isdigit()) or (before.endswith(":") and before[-2:-1].isdigit()):
        raise _NotAQuantity  # "3.2" section numbers; a time of day "10:51"
    tail = _last_words(before)
    endings = _endings(tail) if tail and tail[-1] in _LABEL_LAST_WORDS else _NO_ENDINGS
    if not endings.isdisjoint(_NOT_AFTER) and tail[-2:] != ["tổng", "số"]:
        raise _NotAQuantity  # "lần thứ 29", "hệ số 4", "Quyết định 2086" ("tổng số 25 chỉ tiêu" is a total)
    money_or_rate = None  # read when asked: _money_or_rate_after(after)
    if len(r.num_text) <= 3 and not endings.isdisjoint(_LABEL_NOUNS):
        money_or_rate = _money_or_rate_after(after)
        if not money_or_rate:
            raise _NotAQuantity  # "Dự án 2 – Đa dạng hóa sinh kế", "COVID-19", "đường cấp 5"
    # a capitalised word right before a bare number is a name: "Quân khu 4", "Chỉ đạo 35"
    prev = stripped.rsplit(None, 1)[-1] if stripped else ""
    if (prev[:1].isupper() and prev[:1].isalpha() and prev[-1:].isalnum()
            and not (money_or_rate or _money_or_rate_after(after))
            and text[sent_start:r.start - len(before) + len(stripped) - len(prev)].strip(" -*•(\"“")):
        raise _NotAQuantity
    line_start = text.rfind("\n", 0, r.start) + 1
    if _FURNITURE_RE.match(text, line_start, r.start):
        raise _NotAQuantity  # "Bài trước: ... tăng 2,12%": a link to another article


def _money_or_rate_after(after: str) -> bool:
    """Does money or a rate follow the number (``_MONEY_OR_RATE_AFTER``)? A '%' after spaces does."""
    return after.lstrip()[:1] == "%" or _MONEY_OR_RATE_AFTER.match(after) is not None


def _last_words(before: str) -> list[str]:
    """The last words before the number, lowercase (a set lookup beats a regex anchored at the end)."""
    return before[-30:].lower().split()[-4:]


def _ends_with(words: list[str], phrases: frozenset[str]) -> bool:
    """Do the words end with one of the phrases (of up to four words), not inside a compound that
    means something else ("nông thôn", "kỷ luật")?"""
    return not _endings(words).isdisjoint(phrases)


_NO_ENDINGS: frozenset[str] = frozenset()


def _endings(words: list[str]) -> frozenset[str]:
    """The phrases the words end with (the last one, two ... of them joined), for ``_ends_with``'s
    set lookups; none inside a compound that means something else."""
    if " ".join(words[-2:]) in _NOT_LABEL_COMPOUNDS:
        return _NO_ENDINGS
    return frozenset(" ".join(words[-k:]) for k in range(1, len(words) + 1))


def _stray_decimal(r: _Reading) -> None:
    """A decimal comma followed by a stray space before a scale word: "1.076, 31 tỷ đồng" is 1.076,31 tỷ.
    Read as written and flagged: the space is a typo the reader may want to see."""
    if "." not in r.num_text or "," in r.num_text:
        return
    sm = _STRAY_DECIMAL_RE.match(r.text, r.pos)
    if sm:
        r.value = parse_number(f"{r.num_text},{sm.group(1)}")
        r.pos = sm.end()
        r.suspect_format = "space after the decimal comma"


def _stray_comma(r: _Reading) -> None:
    """A comma between a number and its rate unit: "bình quân đạt 9,1, tiêu chí/thôn" is 9,1 tiêu chí/thôn
    (a unit with a denominator never opens a new list item). Read so and flagged."""
    sm = _STRAY_COMMA_RE.match(r.text, r.pos)
    if sm and lex.PER_UNITS.get(sm.group(2).lower()):
        r.pos = sm.start(1)
        r.suspect_format = "comma between the number and its unit"


def _ratio(r: _Reading) -> None:
    """Step 2: "a/b" right after the number (a date "29/5" when a > b or a date word is before it)."""
    rm = _RATIO_RE.match(r.text, r.pos)
    if not rm:
        return
    if _DATE_BEFORE.search(r.before) or _DATE_SLASHES.match(r.text[r.pos:r.pos + 12]):
        raise _NotAQuantity
    b = parse_number(rm.group(1))
    if b == 0 or r.value > b:
        raise _NotAQuantity  # "29/5" is a date, not a ratio
    if r.value == 1 and _MAP_SCALE_BEFORE.search(r.before) and b >= 100:
        raise _NotAQuantity  # a map scale "tỷ lệ 1/500"
    r.ratio_of = b
    r.pos = rm.end()


def _range(r: _Reading) -> None:
    """Step 3: "a - b" / "từ a đến b" with one unit after b for both ends; "từ a xuống b%" lends b's
    unit to a (the next number is read on its own)."""
    if r.ratio_of is not None:
        return
    rg = _RANGE_RE.match(r.text, r.pos)
    if rg:
        if _DATE_BEFORE.search(r.before) and not _FROM_BEFORE.search(r.before):
            raise _NotAQuantity  # "ngày 24 - 25/7", "sáng 17-12"
        high = parse_number(rg.group(1))
        if high > r.value:
            r.value2, r.pos = high, rg.end()
            return
    if _FROM_TO_RE.match(r.text, r.pos) and _FROM_BEFORE.search(r.before):
        r.unit = "percent"  # "từ 36,06 xuống 31,44%"


def _unit(r: _Reading) -> None:
    """Step 4: percent, scale and đồng, a measure unit, a multiple, or the counted noun."""
    text = r.text
    if r.unit == "percent":
        return
    pm = _PCT_RE.match(text, r.pos)
    if pm:
        r.unit, r.pos = "percent", pm.end()
        return
    scale = _scale(r)
    dong = _DONG_RE.match(text, r.pos)
    if dong:
        r.unit, r.pos = "VND", dong.end()
    elif scale in lex.MONEY_SCALES:
        um = _SCALED_UNIT_RE.match(text, r.pos)
        if um:
            r.noun, r.pos = um.group(1).lower(), um.end()
            r.unit = _ALL_UNITS.get(r.noun, "count")
        else:
            r.unit = "VND"  # "2,5 tỷ" without "đồng" is money in these reports
    else:
        _measure_or_noun(r)
    if r.ratio_of is None and r.unit == "VND" and scale and not r.suspect_format:
        _scaled_denominator(r, scale)
    if r.ratio_of is None and _YEAR_RE.match(r.num_text) and r.unit not in ("VND", "percent"):
        raise _NotAQuantity  # a year
    if r.unit not in ("VND", "percent") and r.value == 1 and _PER_BASE_BEFORE.search(r.before):
        raise _NotAQuantity  # "giá trị sản xuất trên 1 ha đất": the base of a rate
    if r.unit in ("commune", "count", "household", "person") and r.value != r.value.to_integral_value():
        r.unit = "other"  # "8,1 tiêu chí/xã" is an average, not a count


def _scale(r: _Reading) -> str | None:
    """Scale words multiply the number, the range's end and the denominator; a lower scale after a
    higher one adds to it: "68 tỷ 782 triệu đồng", "2 tỷ 060 triệu" are one amount."""
    short = _MONEY_ABBREVIATION_RE.match(r.text, r.pos)  # "1.250 trđ": the scale and đồng in one
    sm = short or _SCALE_RE.match(r.text, r.pos)
    if not sm:
        return None
    scale = _SPACE_RUN.sub(" ", sm.group(1).lower())
    if short:
        scale = lex.MONEY_ABBREVIATIONS[scale]
    r.pos = sm.end()
    factor = SCALES[scale]
    r.value *= factor
    if r.value2 is not None:
        r.value2 *= factor
    if r.ratio_of is not None:
        r.ratio_of *= factor  # "225.922/456.006 triệu đồng"
    mx = _MIXED_RE.match(r.text, r.pos)
    if mx and r.value2 is None and r.ratio_of is None and SCALES[mx.group(2).lower()] < factor:
        r.value += int(mx.group(1)) * SCALES[mx.group(2).lower()]
        r.pos = mx.end()
    if "." in r.num_text and scale in ("tỷ", "tỉ") and "," not in r.num_text and not r.suspect_format:
        _decimal_dot(r, factor)
    return scale


def _decimal_dot(r: _Reading, factor: int) -> None:
    """ "219.036 tỉ" where the same report also writes the amount rounded ("trên 219 tỉ"): the dot is
    a decimal point, not a thousands separator (219,036 tỷ, not 219 nghìn tỷ). Read so and flagged."""
    whole, _, frac = r.num_text.partition(".")
    if "." in frac:
        return
    rounded, written = _amounts_written(r.text)
    if whole in rounded and not written.get(r.num_text, [-1])[-1] >= r.pos:  # (not written again after it)
        r.value = Decimal(f"{whole}.{frac}") * factor
        r.suspect_format = "decimal dot: the report also states the rounded amount"


# Bounded work per number (issue #19): whether the text writes an amount rounded before tỷ, and where
# it writes a number again, read once per text rather than by a pattern over the whole text per number.
_ROUNDED_BILLIONS = re.compile(r"(?<![\d.,])(\d+)(?:,\d+)?\s*(?:tỷ|tỉ)", re.IGNORECASE)
_WRITTEN_NUMBER = re.compile(r"[\d.,]+")


@lru_cache(maxsize=16)
def _amounts_written(text: str) -> tuple[frozenset[str], dict[str, list[int]]]:
    """The whole numbers the text writes before "tỷ"/"tỉ" (the digits of "219 tỉ", "219,5 tỷ"), and where
    it writes each number holding a dot (the starts of its runs of digits, dots and commas, in order)."""
    written: dict[str, list[int]] = {}
    for m in _WRITTEN_NUMBER.finditer(text):
        if "." in m.group():
            written.setdefault(m.group(), []).append(m.start())
    return frozenset(m.group(1) for m in _ROUNDED_BILLIONS.finditer(text)), written


def _scaled_denominator(r: _Reading, scale: str) -> None:
    """ "376,7 tỷ/609,1 tỷ đồng": an amount of an amount, each with its scale word."""
    dm = _SCALED_RATIO_RE.match(r.text, r.pos)
    if not dm:
        return
    b = parse_number(dm.group(1))
    pos = dm.end()
    sm = _SCALE_RE.match(r.text, pos)
    if sm:
        b *= SCALES[_SPACE_RUN.sub(" ", sm.group(1).lower())]
        pos = sm.end()
    else:
        b *= SCALES[scale]
    dong = _DONG_RE.match(r.text, pos)
    if b < r.value and not _PLAN_AFTER_RE.match(r.text, dong.end() if dong else pos):
        return  # an amount over a smaller one is no ratio, unless it is a plan ("105 tỷ/100 tỷ đồng dự toán")
    r.ratio_of, r.pos = b, dong.end() if dong else pos


def _measure_or_noun(r: _Reading) -> None:
    """A measure unit or a known counted noun (the lexicon's class), a multiple, a fraction of the
    plan, or any other noun (an open class: unit "count")."""
    text = r.text
    um = _UNIT_RE.match(text, r.pos)
    nq = _NOT_QUANTITY_RE.match(text, r.pos)
    if um and not (nq and nq.end() >= um.end()):
        r.noun = um.group(1).lower()
        r.unit = _ALL_UNITS[r.noun]
        r.pos = um.end()
        return
    if nq and nq.group(1).lower() == "lần" and (_ends_with(_last_words(r.before), _MULTIPLE_VERBS)
                                                or r.value != r.value.to_integral_value()):
        r.unit, r.noun, r.pos = "other", "lần", nq.end()  # "tăng 1,3 lần": a multiple
        return
    if nq:
        raise _NotAQuantity  # "2 năm", "lần 1", "5 tuổi": a duration, an ordinal, an age
    if r.ratio_of is not None and _PLAN_AFTER_RE.match(text, r.pos):
        r.value = (r.value * 100 / r.ratio_of).quantize(Decimal("0.01"))
        r.ratio_of, r.unit = None, "percent"  # "đạt 1/4 kế hoạch năm" is 25% of the plan
        return
    noun = _NOUN_RE.match(text, r.pos)
    if not noun or _FUNCTION_RE.match(text, r.pos) or _NOT_COUNTED_RE.match(text, r.pos):
        raise _NotAQuantity
    r.noun, r.unit, r.pos = noun.group(1).lower(), "count", noun.end()


def _per_unit(r: _Reading) -> None:
    """Step 5: "/người/năm", "/ha", "/xã" after the unit; "mỗi xã ... 1 tỷ đồng" before it."""
    per_unit = None
    while True:
        pr = _PER_RE.match(r.text, r.pos)
        if not pr:
            break
        word = pr.group(1).lower()
        per = lex.PER_UNITS.get(word) or lex.PER_UNITS.get(word.split()[0])
        if not per:
            break
        r.pos = pr.end() if word in lex.PER_UNITS else pr.start(1) + len(word.split()[0])
        if per_unit is None or per_unit in ("year", "month"):
            per_unit = per
    if per_unit and per_unit not in ("year", "month") and r.unit not in ("VND", "percent"):
        r.unit = "other"  # "71,5 tạ/ha", "10 tiêu chí/xã": a rate, not a count or an area
    each = None
    if r.unit == "VND":
        low_before = r.before.lower()
        lead = first_lead_at(r.text, r.start - len(r.before), low_before, lex.EACH_WORDS)
        each = _EACH_RE.search(low_before, lead) if lead != -1 else None
    if each:
        per_unit = lex.PER_UNITS[each.group(1).lower()]
    r.per_unit = None if per_unit in ("year", "month") else per_unit


def _hedge(r: _Reading) -> None:
    """Step 6: a hedge before the number ("hơn", "gần", "ước đạt") or after its unit ("trở lên")."""
    low_before = r.before.lower()
    before_at = r.start - len(r.before)
    lead = first_lead_at(r.text, before_at, low_before, lex.HEDGES)  # (a match opens with a space, or at the start)
    hm = _HEDGE_RE.search(low_before, max(0, lead - 1)) if lead != -1 else None
    r.hedge = hm.group(1) if hm else None
    lead = first_lead_at(r.text, before_at, r.before, lex.NEGATIVE_SIGNS)
    if lead != -1 and _NEGATIVE_RE.search(r.before, max(0, lead - 1)):
        r.value = -r.value  # "tăng trưởng âm 3,5%"
    trail = _TRAILING_RE.match(r.text, r.pos)
    if trail:
        r.hedge, r.pos = trail.group(1), trail.end()
