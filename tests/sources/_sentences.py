"""The extractor on one sentence, dated as a report of 12 September 2023 on January-August 2023,
with the invariant every figure keeps: its quote is the text at its offsets."""

from __future__ import annotations

from datetime import date

import pytest

from sources.extract import extract_figures
from sources.text import normalise_text


def figures(sentence: str):
    text = normalise_text(sentence)
    found = extract_figures(text, report_date=date(2023, 9, 12), report_period=(date(2023, 1, 1), date(2023, 8, 31)))
    for f in found:
        assert text[f.char_start:f.char_end] == f.source_quote
    return found


# --- the generalisation suites' cases and checks (tests/sources/test_extract_generalisation.py,
# test_generalisation_round3.py): a row's last element may be ("xfail", reason), a strict xfail -------------
XF = "xfail"


def _param(values, case_id, last):
    if isinstance(last, tuple) and last[:1] == (XF,):
        return pytest.param(*values[:-1], id=case_id, marks=pytest.mark.xfail(strict=True, reason=last[1]))
    return pytest.param(*values, id=case_id)


def cases(rows):
    """pytest params from rows (sentence, *expected[, ("xfail", reason)]), the sentence as id."""
    return [_param(row, str(row[0])[:90], row[-1]) for row in rows]


def named(rows):
    """pytest params from rows (id, *values[, ("xfail", reason)])."""
    return [_param(row[1:], row[0], row[-1]) for row in rows]


def check_funding(sentence: str, expected) -> None:
    """Every funding figure of the sentence, in any order: (programme, measure, capital or None (not
    checked), amount, rate)."""
    funding = [f for f in figures(sentence) if f.kind == "funding"]
    got = [(f.programme_code, f.measure, f.capital_source, f.amount_vnd, f.rate_pct) for f in funding]
    assert len(funding) == len(expected), got
    for programme, measure, capital, amount, rate in expected:
        assert any(g[0] == programme and g[1] == measure and (capital is None or g[2] == capital)
                   and g[3] == amount and g[4] == rate for g in got), (programme, measure, capital, amount, rate, got)


def check_role(sentence: str, column: str, value, unit: str | None) -> None:
    """An indicator figure with ``value`` in ``column`` (its role) and ``unit`` (None: not checked)."""
    found = [f for f in figures(sentence) if f.kind == "indicator"]
    got = [(f.unit, f.actual_value, f.target_value, f.attainment_pct, f.exceed_pct, f.change_value) for f in found]
    assert any(getattr(f, column) == value and (unit is None or f.unit == unit) for f in found), got


def check_scorecard(sentence: str, met: int, total: int, exceeded: int | None) -> None:
    cards = [(f.indicators_met_or_exceeded, f.indicators_total, f.indicators_exceeded)
             for f in figures(sentence) if f.kind == "scorecard"]
    assert cards == [(met, total, exceeded)], cards


def check_quantity(sentence: str, value, unit: str, flagged: bool) -> None:
    """The quantity read, whatever its role ("tăng gấp 1,5 lần so với năm 2020" is a change of 1,5 lần);
    ``flagged``: read against the usual separators (suspect_format)."""
    found = figures(sentence)
    got = [(f.kind, f.unit, f.actual_value, f.amount_vnd, f.suspect_format) for f in found]
    hits = [f for f in found if (f.kind == "indicator" and f.unit == unit and value in (f.actual_value, f.change_value))
            or (f.kind == "funding" and unit == "VND" and f.amount_vnd == value)]
    assert hits, got
    assert all(bool(f.suspect_format) == flagged for f in hits), got
