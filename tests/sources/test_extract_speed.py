"""The shortcuts the extractor takes for speed (issue #19 point 2) give what the long way gives."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from sources import lexicon as lex
from sources.extract._classify import (
    _NAME_DATE_TAIL,
    _NAME_VERB_TAIL,
    _NAME_VERBS,
    _cut_date_tail,
    _cut_tail,
    _cut_verb_tail,
    indicator_name,
)
from sources.extract._grammar import _HEDGE_RE, NUMBER_RE, numbers_in, read_quantity
from sources.patterns import first_lead, first_lead_at, lower_slice, may_have, may_have_at, search_led

TEXT = "Thu ngân sách ĐẠT 120 tỷ đồng; GIẢM còn 3,5% so với cùng kỳ."


@pytest.mark.parametrize("text", [TEXT, "İstanbul ĐẠT 5%", "ΣΑΣ đạt 5%", "Ĩ Σ ıſ"])
def test_lower_slice_is_the_lowercase_of_the_slice(text):
    for a in range(len(text) + 1):
        for b in range(a, len(text) + 1):
            assert lower_slice(text, a, b) == text[a:b].lower()


def test_lower_slice_with_a_dotted_capital_i_lowers_the_slice_itself():
    # "İ".lower() is two characters: the text cannot be lowered once and sliced
    assert lower_slice("AİB", 0, 2) == "ai̇"
    assert len(lower_slice("AİB", 0, 2)) == 3


def test_first_lead_is_the_first_opening_word_as_ignorecase_compares():
    assert first_lead(TEXT, ("giảm còn", "đạt")) == 14
    assert first_lead(TEXT, ("giảm còn",)) == 31
    assert first_lead(TEXT, ("vượt",)) == -1
    assert first_lead("hơn ıt", ("it",)) == 4  # the dotless i compares as i under re.IGNORECASE


def test_search_led_finds_what_the_pattern_finds():
    tail = re.compile(r"(?:\s|^)(?:đạt|giảm\s+còn)\s*$", re.IGNORECASE)
    for text in ("Thu ngân sách ĐẠT", "đạt", "x giảm   còn  ", "thu ngân sách", "Đạt được 5 và đạt", " " * 20 + "đạt"):
        m, n = search_led(tail, text, ("đạt", "giảm còn"), 1), tail.search(text)
        assert (m and m.span()) == (n and n.span())
    assert search_led(tail, "tổng thu ngân sách nhà nước", ("đạt", "giảm còn"), 1) is None


@pytest.mark.parametrize("name", ["Thu ngân sách ước đạt", "sản lượng lúa đạt được", "tỷ lệ hộ nghèo giảm",
                                  "đạt", "giá trị", "thu nhập bình quân   ước\tđạt  "])
def test_a_name_loses_its_verb_tail_as_the_pattern_would_cut_it(name):
    assert _cut_tail(_NAME_VERB_TAIL, name, _NAME_VERBS, 1) == _NAME_VERB_TAIL.sub("", name)


def test_indicator_name_and_quantity_of_a_dense_clause():
    text = "Tổng thu ngân sách ước đạt " + "12,5 tỷ đồng " * 20 + "so với cùng kỳ."
    numbers = list(NUMBER_RE.finditer(text))
    first, last = read_quantity(text, numbers[0], 0), read_quantity(text, numbers[-1], 0)
    assert (first.value, first.unit, first.hedge) == (12_500_000_000, "VND", "ước đạt")
    assert (last.value, last.unit, last.hedge) == (12_500_000_000, "VND", None)
    assert indicator_name(text, 0, first) == "Tổng thu ngân sách"
    # (the name of the last one runs from the last comma: the decimal comma of the amount before it)
    assert indicator_name(text, 0, last) == "5 tỷ đồng"


def test_may_have_at_never_says_no_where_may_have_says_yes():
    text = "Kinh phí hỗ trợ 12,5 tỷ đồng; " * 40 + "tổng thu ngân sách đạt 300 tỷ đồng. " + "12,5 tỷ đồng " * 40
    answers = []
    for end in range(0, len(text), 7):
        start = max(0, end - 120)
        for table in (lex.INDICATOR_MONEY_CUES, lex.FUNDING_CUES, lex.TARGET_CUES):
            said = may_have_at(text, start, end, table)
            assert said or not may_have(text[start:end].lower(), table)
            answers.append(said)
    # the first questions are answered "may" (the text read window by window), then from the positions
    assert answers[0] is True and answers.count(False) > len(answers) // 2
    tail = len(text) - 100
    assert may_have_at(text, tail, len(text), lex.FUNDING_CUES) is False
    assert may_have_at(text, 0, 40, lex.FUNDING_CUES) is True


def _names() -> list[str]:
    """Names ending in every verb of the name grammar, in each case, spacing and neighbour that matters."""
    names = []
    for verb in _NAME_VERBS:
        for written in (verb, verb.upper(), verb.replace(" ", "  "), verb.replace(" ", "\t"), verb.replace("i", "ı")):
            for before in ("", "x", "Tỷ lệ hộ nghèo ", "giá trị\n", "thu  ", "b", "ước ", "12,5 tỷ đồng "):
                names.append(f"{before}{written}")
    return [*names, "12,5 tỷ đồng", "5 tỷ đồng 12", "đạt 45%. Đạt", "Đạt", "tăng thêm", "x tăng thêm", "năm 2020"]


def test_a_name_loses_its_verb_tail_from_its_last_words_as_the_pattern_would_cut_it():
    cut, names = 0, _names()
    for name in names:
        stripped = name.strip()
        expected = _NAME_VERB_TAIL.sub("", stripped)
        assert _cut_verb_tail(stripped) == expected, stripped
        cut += expected != stripped
    assert cut > len(names) * 3 // 4  # (most of them end with a verb after a space)
    assert _cut_verb_tail("Thu ngân sách ước đạt") == "Thu ngân sách"
    assert _cut_verb_tail("Thu ngân sách ước  đạt") == "Thu ngân sách"  # (two spaces: read by the pattern)
    assert _cut_verb_tail("bước") == "bước"


@pytest.mark.parametrize("name", ["dân số năm 2020", "dân số năm 2020  ", "đến ngày 30/9", "đến 30/9/", "năm", "x 2020",
                                  "tỷ lệ hộ nghèo", "năm 2020 tăng"])
def test_a_name_loses_its_date_tail_as_the_pattern_would_cut_it(name):
    assert _cut_date_tail(name) == _NAME_DATE_TAIL.sub("", name)


def test_every_target_list_lead_names_tieu():
    # classify_sentence reads the leads only in a sentence that holds "tiêu"
    for lead in lex.TARGET_LIST_LEADS:
        assert "tiêu" in lead


def test_search_led_within_a_text_finds_what_the_pattern_finds():
    # the first words' positions are looked up in the whole text once it has been asked about enough
    tail = re.compile(r"(?:\s|^)(?:đạt|giảm\s+còn|ước\s+đạt)\s*$", re.IGNORECASE)
    text = "Thu ngân sách ƯỚC ĐẠT 120 tỷ đồng; tỷ lệ hộ nghèo giảm  còn 3,5%, khoảng đạt 4 xã. " * 30
    found = 0
    for end in range(0, len(text), 3):
        start = max(0, end - 70)
        for window in (text[start:end], lower_slice(text, start, end)):
            m = search_led(tail, window, ("đạt", "giảm còn", "ước đạt"), 1, whole=text, start=start)
            n = tail.search(window)
            assert (m and m.span()) == (n and n.span())
            found += n is not None
    assert found > 100
    # a window's hedges, from the positions of their first words in the whole text: never after first_lead's
    hedged = 0
    for end in range(40, len(text), 5):
        window = lower_slice(text, end - 40, end)
        lead, alone = first_lead_at(text, end - 40, window, lex.HEDGES), first_lead(window, lex.HEDGES)
        assert alone == -1 or lead <= alone
        m = _HEDGE_RE.search(window, max(0, lead - 1)) if lead != -1 else None
        n = _HEDGE_RE.search(window)
        assert (m and m.span()) == (n and n.span())
        hedged += n is not None
    assert hedged > 10


@pytest.mark.parametrize("text", [
    "Thu ngân sách đạt 1.234,5 tỷ đồng, tăng 12,5%; 17 xã; đạt13,04%; COVID-19; 12/2023; 1,250.5 tỷ; 7.5%",
    "1 250 tỷ đồng, 139,3km, 82.352ha, 2.019-2.020, 1/2/3, 0,1.2, x12 ab12% a١٢ ١٢3 3١٢ 12٣4",
    "Đạt 45%. " * 5 + "12,5 tỷ đồng " * 5,
])
def test_numbers_in_finds_what_the_number_pattern_finds(text):
    for start in range(0, len(text), 7):
        for end in (len(text), start + 25):
            assert [m.span(1) for m in numbers_in(text, start, end)] == \
                [m.span(1) for m in NUMBER_RE.finditer(text, start, end)]


def _decimal_dot_by_patterns(text: str, num_text: str, pos: int) -> bool:
    """The rule as it read before: two patterns over the whole text per number."""
    whole = num_text.partition(".")[0]
    rounded = re.compile(rf"(?<![\d.,]){whole}(?:,\d+)?\s*(?:tỷ|tỉ)", re.IGNORECASE)
    written = re.compile(rf"(?<![\d.,]){re.escape(num_text)}(?![\d.,])")
    return bool(rounded.search(text)) and not written.search(text, pos)


@pytest.mark.parametrize(("text", "values"), [
    ("Tổng thu 219.036 tỉ đồng, trên 219 tỉ.", [Decimal("219036000000"), Decimal("219000000000")]),
    ("Tổng thu 219.036 tỉ đồng; 219.036 tỉ đồng; trên 219 TỶ.",
     [Decimal("219036000000000"), Decimal("219036000000"), Decimal("219000000000")]),
    ("Đạt 1.219 tỷ, 12.219 tỷ; 2.219,5 tỷ và 219,5 tỷ đồng.",
     [Decimal("1219000000000"), Decimal("12219000000000"), Decimal("2219500000000"), Decimal("219500000000")]),
])
def test_a_dot_is_decimal_where_the_text_also_rounds_the_amount(text, values):
    quantities = [read_quantity(text, m, 0) for m in NUMBER_RE.finditer(text)]
    assert [q.value for q in quantities if q is not None] == values
    for q in quantities:
        if q is not None and "." in text[q.start:q.end].split()[0]:
            num_text = text[q.start:q.end].split()[0]
            decimal = q.suspect_format == "decimal dot: the report also states the rounded amount"
            assert decimal == _decimal_dot_by_patterns(text, num_text, q.start + len(num_text) + 3)
