"""Figures from Vietnamese narrative reports.

    extract_report(text) -> ReportFacts   (date, period, title and every figure)
    extract_figures(text, report_date=None, report_period=None) -> list[Figure]

``text`` is already normalised (:func:`sources.text.normalise_text`): offsets point into it,
and ``text[f.char_start:f.char_end] == f.source_quote`` for every figure.
"""

from __future__ import annotations

from datetime import date

from sources.extract._assemble import assemble
from sources.extract._catalogue import INDICATOR_SEED, catalogue_codes, map_indicator
from sources.extract._classify import read_figures
from sources.extract._title import document_title
from sources.figures import Figure, ReportFacts
from sources.periods import figure_periods, find_report_date, report_period

__all__ = ["INDICATOR_SEED", "catalogue_codes", "document_title", "extract_figures", "extract_report",
           "map_indicator"]


def extract_report(text: str) -> ReportFacts:
    report_date = find_report_date(text)
    period = report_period(text, report_date)
    title = document_title(text)
    return ReportFacts(
        title=title,
        report_date=report_date,
        period_start=period[0],
        period_end=period[1],
        figures=extract_figures(text, report_date=report_date, report_period=period),
    )


def extract_figures(text: str, report_date: date | None = None,
                    report_period: tuple[date | None, date | None] | None = None) -> list[Figure]:
    """Read the figures (``_classify``), date each one (``sources.periods.figure_periods``), and
    assemble them into ``Figure`` records (``_assemble``)."""
    if report_period is None:
        report_period = (None, None)
    found = read_figures(text, report_date, report_period)
    figure_periods(text, found, report_date, report_period)
    return assemble(text, found)
