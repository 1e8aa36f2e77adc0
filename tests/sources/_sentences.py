"""The extractor on one sentence, dated as a report of 12 September 2023 on January-August 2023,
with the invariant every figure keeps: its quote is the text at its offsets."""

from __future__ import annotations

from datetime import date

from sources.extract import extract_figures
from sources.text import normalise_text


def figures(sentence: str):
    text = normalise_text(sentence)
    found = extract_figures(text, report_date=date(2023, 9, 12), report_period=(date(2023, 1, 1), date(2023, 8, 31)))
    for f in found:
        assert text[f.char_start:f.char_end] == f.source_quote
    return found
