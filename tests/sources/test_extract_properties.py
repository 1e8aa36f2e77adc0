"""Random and adversarial text: the extractor never raises and never invents a quote."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from sources.extract import extract_report
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
