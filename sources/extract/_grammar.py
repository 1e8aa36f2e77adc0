"""Layer 1 of the grammar: quantities.

Every number is tokenised with what surrounds it (value, range, ratio, scale word, unit,
hedge, per-unit norm); dates (24/10/2019), document numbers (1385/QĐ-TTg, 26-NQ/TW), years,
ordinals (lần thứ 29), labels (Quân khu 4), durations (2 năm) and ages (dưới 5 tuổi) are
recognised and set aside. What a quantity *is* (funding, indicator, role, programme) is
decided by the clause layers: ``_funding`` and ``_classify``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from sources.extract import _lexicon as lex
from sources.extract._patterns import NUMBER, W
from sources.extract._patterns import E as _E
from sources.numbers import SCALES, parse_number

NUMBER_RE = re.compile(rf"(?<![{W}/.,\-])({NUMBER})(?![{W}])")
_SCALE_RE = re.compile(r"\s*(nghìn tỷ|ngàn tỷ|nghìn tỉ|nghìn|ngàn|triệu|tỷ|tỉ)" + _E, re.IGNORECASE)
_DONG_RE = re.compile(r"\s*(?:đồng|đ|vnđ|vnd)" + _E, re.IGNORECASE)
_PCT_RE = re.compile(r"\s*%")
_RANGE_RE = re.compile(rf"\s*(?:-|–|đến)\s*({NUMBER})(?![{W}/])")
_RATIO_RE = re.compile(r"/\s?(\d{1,3}(?:\.\d{3})+|\d+)(?![0-9/])")
_PER_RE = re.compile(r"\s*/\s*(?:01\s+|1\s+|một\s+)?([a-zà-ỹđ]+(?:\s[a-zà-ỹđ]+)?)", re.IGNORECASE)
_DOC_AFTER = re.compile(r"^(?:/\d*\s*[A-ZĐ]|-[A-ZĐ]|/\d{4}/|\.\d+\.\d+|/(?:QĐ|NQ|TB|KL|CT|TT|NĐ|HĐND|UBND|ĐA))")
_DATE_BEFORE = re.compile(r"(?:ngày|sáng|chiều|trưa|tối|đêm|hôm|đến|từ|tới|trước|sau|tháng|quý)\s*$", re.IGNORECASE)
_YEAR_RE = re.compile(r"^(?:19[5-9]\d|20[0-9]\d)$")
_ALL_UNITS = {**lex.MEASURE_UNITS, **lex.COUNT_UNITS}
_UNIT_RE = re.compile(r"\s*(" + "|".join(re.escape(p) for p in sorted(_ALL_UNITS, key=len, reverse=True)) + ")" + _E,
                      re.IGNORECASE)
_NOT_QUANTITY_RE = re.compile(r"\s*(?:" + "|".join(re.escape(p) for p in sorted(lex.NOT_QUANTITIES, key=len,
                                                                                  reverse=True)) + ")" + _E,
                              re.IGNORECASE)
_HEDGE_RE = re.compile(r"(?:^|\s)(" + "|".join(re.escape(h) for h in sorted(lex.HEDGES, key=len, reverse=True))
                       + r")\s+(?:mức\s+)?$", re.IGNORECASE)


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



def read_quantity(text: str, m: re.Match, sent_start: int) -> Quantity | None:
    """Tokenise the number at ``m``; None when it is not a quantity (date, label, year ...)."""
    num_text = m.group(1)
    ns, ne = m.start(1), m.end(1)
    before = text[max(sent_start, ns - 40):ns]
    after = text[ne:ne + 60]
    low_before = before.lower()
    if _DOC_AFTER.match(after) or re.search(r"[A-ZĐ]-$|[A-ZĐ]/$", before):
        return None
    if re.match(r"/\d{1,2}/\d{2,4}", after) or re.match(r"/\d{4}", after):
        return None  # a full date or month/year
    if re.search(r"\d/$", before) or (re.search(r"\d\s*-\s*$", before) and re.match(r"/\d", after)):
        return None
    if re.match(r"\.\s?[A-Za-zÀ-ỹ]", after) and len(num_text) <= 2 and re.search(r"(?:^|\n)\s*$", before):
        return None  # a list number "1. ", "3.2. "
    if re.match(r"\.\d", after):
        return None  # "3.2" section numbers
    tail_words = re.sub(r"\s+", " ", low_before).strip()
    for phrase in lex.NOT_AFTER:
        if tail_words.endswith(phrase):
            return None
    prev_token = re.search(r"([^\s]+)\s*$", before)
    # a capitalised word right before a bare number is a name: "Quân khu 4", "Chỉ đạo 35"
    if (prev_token and prev_token.group(1)[:1].isupper() and prev_token.group(1)[:1].isalpha()
            and not re.match(r"\s*(?:%|nghìn|ngàn|triệu|tỷ|tỉ|đồng|tấn|ha\b)", after, re.IGNORECASE)
            and not _sentence_initial(text, prev_token.start() + max(sent_start, ns - 40), sent_start)):
        return None
    pos = ne
    # ratio a/b
    ratio_of = None
    rm = _RATIO_RE.match(text, pos)
    if rm:
        if _DATE_BEFORE.search(before) or re.match(r"/\s?\d+\s*/", text[pos:pos + 12]):
            return None
        b_text = rm.group(1)
        a_val, b_val = parse_number(num_text), parse_number(b_text)
        if b_val == 0 or a_val > b_val:
            return None  # "29/5" is a date, not a ratio
        ratio_of = b_val
        pos = rm.end()
    value = parse_number(num_text)
    value2 = None
    if ratio_of is None:
        rg = _RANGE_RE.match(text, pos)
        if rg and re.match(r"\s*(?:%|nghìn|ngàn|triệu|tỷ|tỉ|tấn|ha|hộ|xã|người|lao động)", text[rg.end():rg.end() + 12],
                           re.IGNORECASE):
            value2 = parse_number(rg.group(1))
            pos = rg.end()
    unit = None
    noun = None
    pm = _PCT_RE.match(text, pos)
    if pm:
        unit, pos = "percent", pm.end()
    else:
        sm = _SCALE_RE.match(text, pos)
        scale = None
        if sm:
            scale = sm.group(1).lower()
            pos = sm.end()
        dm = _DONG_RE.match(text, pos)
        if dm:
            unit, pos = "VND", dm.end()
        elif scale and scale in ("triệu", "tỷ", "tỉ", "nghìn tỷ", "ngàn tỷ", "nghìn tỉ") and not re.match(
                r"\s*(?:tấn|ha|người|lượt|con|cây|m)", text[pos:pos + 8], re.IGNORECASE):
            unit = "VND"  # "2,5 tỷ" without "đồng" is money in these reports
        if scale:
            value *= SCALES[scale]
            if value2 is not None:
                value2 *= SCALES[scale]
        if unit is None:
            um = _UNIT_RE.match(text, pos)
            if um is None:
                return None
            nq = _NOT_QUANTITY_RE.match(text, pos)
            if nq is not None and nq.end() >= um.end():
                return None  # "2 năm", "lần 1": a duration or an ordinal, not a count
            noun = um.group(1).lower()
            unit = _ALL_UNITS[noun]
            pos = um.end()
        if unit != "VND" and scale and unit not in ("tonne", "ha", "person", "count", "household"):
            return None
    if ratio_of is None and _YEAR_RE.match(num_text) and unit not in ("VND", "percent"):
        return None
    if unit in ("commune", "count", "household", "person") and value != value.to_integral_value():
        unit = "other"  # "8,1 tiêu chí/xã" is an average, not a count
    per_unit = None
    pr = _PER_RE.match(text, pos)
    if pr and not re.match(r"\s*/\s*\d", text[pos:pos + 4]):
        word = pr.group(1).lower()
        per = lex.PER_UNITS.get(word) or lex.PER_UNITS.get(word.split()[0])
        if per:
            per_unit = per
            pos = pr.end() if word in lex.PER_UNITS else pr.start(1) + len(word.split()[0])
            if per != "year" and unit not in ("VND",):
                unit = "other" if unit not in ("percent",) else unit
    mm = re.search(r"(?:mỗi|bình quân mỗi|trung bình mỗi)\s+(xã|thôn|bản|hộ|người|lao động)\s+[^.;]{0,40}$",
                   low_before)
    if mm and unit == "VND":
        per_unit = lex.PER_UNITS[mm.group(1)]
    elif per_unit in ("year", "month"):
        per_unit = None
    hm = _HEDGE_RE.search(low_before)
    hedge = hm.group(1) if hm else None
    trail = _TRAILING.match(text, pos)
    if trail:
        hedge = trail.group(1)
        pos = trail.end()
    return Quantity(ns, pos, value, value2, unit, hedge, per_unit, ratio_of, noun)


_TRAILING = re.compile(r"\s*(" + "|".join(lex.TRAILING_HEDGES) + r")" + _E + r"", re.IGNORECASE)


def _sentence_initial(text: str, token_start: int, sent_start: int) -> bool:
    return not text[sent_start:token_start].strip(" -*•(\"“")

