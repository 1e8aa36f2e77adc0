"""Random and adversarial text: the extractor never raises and never invents a quote."""

from __future__ import annotations

from datetime import timedelta
from unittest.mock import patch

from hypothesis import given, settings
from hypothesis import strategies as st

from sources import ingest
from sources.extract import extract_report
from sources.ingest import extract_text
from sources.text import normalise_text

PIECES = ["giải ngân", "đạt", "vượt", "tỷ đồng", "triệu đồng", "%", "năm 2023", "xã", "hộ", "(", ")", ";", ",", ".",
          "Chương trình", "nông thôn mới", "1.234", "28,757", "24/27", "chỉ tiêu", "đạt và vượt", "15/5/2023",
          "số 1385/QĐ-TTg", "phấn đấu", "5 - 7", "trên", "hơn", "\n", " ", "năm 2016:", "trong đó:"]


def _check(raw: str) -> None:
    text = normalise_text(raw)
    facts = extract_report(text)
    for f in facts.figures:
        assert text[f.char_start:f.char_end] == f.source_quote


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=60).map(" ".join))
def test_report_like_noise(raw: str) -> None:
    _check(raw)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=400))
def test_any_unicode(raw: str) -> None:
    _check(raw)


# Issue #19 (must-hold 9): digit-heavy and one-line text, the kinds whose cost once grew faster than
# their size. Bounded examples and a deadline per example keep these in the fast tier.
DIGIT_PIECES = ["1.2.3,4/5-6", "7.000,25", "12/2023", "3-4", "45,6", "0,1.2", "99", "2.019-2.020", "1/2/3", "%",
                "tỷ đồng", "xã", "đạt", ",", ".", ";", "/", "-", " "]


@settings(max_examples=40, deadline=timedelta(seconds=5))
@given(st.lists(st.sampled_from(DIGIT_PIECES), min_size=50, max_size=600).map(" ".join))
def test_digit_heavy_text(raw: str) -> None:
    _check(raw)


@settings(max_examples=40, deadline=timedelta(seconds=5))
@given(st.text(alphabet="0123456789.,/-% ", min_size=100, max_size=4000))
def test_digits_and_separators_only(raw: str) -> None:
    _check(raw)


@settings(max_examples=40, deadline=timedelta(seconds=5))
@given(st.lists(st.sampled_from([p for p in PIECES if p != "\n"]), min_size=100, max_size=500).map(" ".join))
def test_one_line_text(raw: str) -> None:
    assert "\n" not in raw
    _check(raw)


@settings(max_examples=20, deadline=timedelta(seconds=10))
@given(st.lists(st.sampled_from(PIECES + DIGIT_PIECES), min_size=200, max_size=800).map(" ".join),
       st.booleans())
def test_the_ingest_path_on_dense_text(raw: str, one_line: bool) -> None:
    """What ingest runs (``extract_text``, in parts for a long text) keeps every quote at its offsets."""
    text = normalise_text(raw.replace("\n", " ") if one_line else raw)
    with patch.object(ingest, "EXTRACT_PARTS_NUMBERS", 50):  # read in parts, as a long text is
        figures = extract_text(text).figures
    for f in figures:
        assert text[f.char_start:f.char_end] == f.source_quote
