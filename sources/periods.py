"""Dates and periods in Vietnamese reports.

- the report's date: "Ngày 24/10/2019", "ngày 12 tháng 9 năm 2023", or "chiều 29/5" with the
  year inferred from the years the text mentions;
- the report's own period: "9 tháng đầu năm 2019" -> 2019-01-01..2019-09-30, "tháng 8 ... năm
  2023" -> August 2023, "năm 2023" -> the year;
- the period of one sentence: "đến 30/8/2020", "giai đoạn 2016-2019", "từ đầu năm 2023 đến nay",
  "9 tháng đầu năm", "năm 2024", falling back on the report's period.
"""

from __future__ import annotations

import calendar
import re
from collections import Counter
from datetime import date

YEAR = r"(?:19[89]\d|20[0-4]\d)"
_YEAR_RE = re.compile(rf"(?<![\d/.,-]){YEAR}(?![\d/.,])")
_FULL_DATE = re.compile(rf"\b(\d{{1,2}})/(\d{{1,2}})/({YEAR})\b")
_WORD_DATE = re.compile(rf"\bngày\s+(\d{{1,2}})\s+tháng\s+(\d{{1,2}})\s+năm\s+({YEAR})\b", re.IGNORECASE)
_LEAD_DATE = re.compile(
    rf"\b(?:ngày|sáng|chiều|trưa|tối|đêm|hôm)\s+(\d{{1,2}})/(\d{{1,2}})(?:/({YEAR}))?(?![\d/])", re.IGNORECASE
)
_MONTHS_INTO_YEAR = re.compile(rf"\b(\d{{1,2}})\s+tháng(?:\s+đầu)?(?:\s+năm)?(?:\s+({YEAR}))?", re.IGNORECASE)
_MONTH_OF_YEAR = re.compile(rf"\btháng\s+(\d{{1,2}})(?:/|\s+năm\s+|\s+)({YEAR})\b", re.IGNORECASE)
_MONTH_ONLY = re.compile(r"\btháng\s+(\d{1,2})\b(?!\s*/)", re.IGNORECASE)
_YEAR_PHRASE = re.compile(rf"\b(?:năm|hết năm|trong năm|cuối năm|đầu năm)\s+({YEAR})\b", re.IGNORECASE)
_PHASE = re.compile(rf"\b(?:giai đoạn|thời kỳ|trong(?:\s+\d+)?\s+năm|từ năm)\s*({YEAR})\s*(?:-|–|đến)\s*({YEAR})\b",
                    re.IGNORECASE)
_UNTIL = re.compile(rf"\b(?:đến|tới|tính đến)\s+(?:ngày\s+)?(\d{{1,2}})/(\d{{1,2}})/({YEAR})\b", re.IGNORECASE)
_SINCE_START = re.compile(rf"\btừ đầu năm(?:\s+({YEAR}))?\s+(?:đến nay|tới nay|đến thời điểm)", re.IGNORECASE)
_UNTIL_MONTH = re.compile(rf"\b(?:đến|tới|tính đến)\s+(?:hết\s+)?tháng\s+(\d{{1,2}})(?:/|\s+năm\s+)({YEAR})\b",
                          re.IGNORECASE)
_TERM = re.compile(rf"\bnhiệm kỳ\s+{YEAR}\s*(?:-|–)\s*{YEAR}", re.IGNORECASE)


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def mentioned_years(text: str) -> Counter:
    """How often each year is mentioned, term labels ("nhiệm kỳ 2020 - 2025") left out."""
    return Counter(int(y) for y in _YEAR_RE.findall(_TERM.sub(" ", text)))


def infer_year(text: str, month: int) -> int | None:
    """The year of a date written without one, from the years the text talks about.

    A report written late in a year talks much of the next one (its targets): when the most
    mentioned year's predecessor is mentioned too and the date falls in the last quarter,
    the report belongs to the predecessor.
    """
    years = mentioned_years(text)
    # a dated statement in the text ("đến ngày 15/5/2023") pins the current year down
    dated = [int(m.group(3)) for m in _FULL_DATE.finditer(text) if not _is_citation(text, m.end())]
    if not years:
        return max(dated) if dated else None
    top = max(years, key=lambda y: (years[y], y))
    if dated and max(dated) >= top - 1:
        return max(dated)
    if month >= 10 and years.get(top - 1):
        return top - 1
    return top


def _is_citation(text: str, end: int) -> bool:
    """A date followed by "của <body>" dates a cited document, not the report."""
    return bool(re.match(r"\s*(?:của|,\s*của)\s", text[end:end + 12]))


def find_report_date(text: str, head_chars: int = 1500) -> date | None:
    """The date the report was written or the meeting held, from its first lines."""
    head = text[:head_chars]
    m = _WORD_DATE.search(head)
    if m:
        return _safe_date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    m = _LEAD_DATE.search(head)
    if m:
        day, month = int(m.group(1)), int(m.group(2))
        year = int(m.group(3)) if m.group(3) else infer_year(text, month)
        if year and 1 <= month <= 12:
            return _safe_date(year, month, day)
    m = _FULL_DATE.search(head)
    if m:
        return _safe_date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    return None


def _without_dates(text: str) -> str:
    """The text with its dates blanked (same length): "ngày 05 tháng 10 năm 2025" names no period."""
    for pattern in (_WORD_DATE, _FULL_DATE):
        text = pattern.sub(lambda m: " " * len(m.group(0)), text)
    return text


def report_period(text: str, report_date: date | None) -> tuple[date | None, date | None]:
    """The period the report covers, from its title and first paragraph."""
    head = _without_dates(text[:800])
    year_default = report_date.year if report_date else None
    m = _MONTHS_INTO_YEAR.search(head)
    if m and 1 <= int(m.group(1)) <= 12:
        year = int(m.group(2)) if m.group(2) else year_default
        if year:
            return date(year, 1, 1), month_end(year, int(m.group(1)))
    m = _MONTH_ONLY.search(head)
    if m and 1 <= int(m.group(1)) <= 12:
        mo = int(m.group(1))
        explicit = _MONTH_OF_YEAR.match(head, m.start())
        y = int(explicit.group(2)) if explicit else year_default
        if y:
            return date(y, mo, 1), month_end(y, mo)
    m = _YEAR_PHRASE.search(head)
    if m:
        y = int(m.group(1))
        return date(y, 1, 1), date(y, 12, 31)
    if report_date:
        return date(report_date.year, 1, 1), report_date
    return None, None


def sentence_period(
    sentence: str, report_date: date | None, default: tuple[date | None, date | None]
) -> tuple[date | None, date | None]:
    """The period a sentence's figures refer to; the report's period when it names none."""
    m = _UNTIL.search(sentence)
    if m:
        end = _safe_date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        if end:
            return date(end.year, 1, 1), end
    m = _PHASE.search(sentence)
    if m:
        y1, y2 = int(m.group(1)), int(m.group(2))
        if y1 <= y2:
            return date(y1, 1, 1), date(y2, 12, 31)
    m = _SINCE_START.search(sentence)
    if m:
        year = int(m.group(1)) if m.group(1) else (report_date.year if report_date else None)
        if year:
            end = report_date if report_date and report_date.year == year else date(year, 12, 31)
            return date(year, 1, 1), end
    m = _MONTHS_INTO_YEAR.search(sentence)
    if m and 1 <= int(m.group(1)) <= 12 and "đầu" in m.group(0):
        year = int(m.group(2)) if m.group(2) else (report_date.year if report_date else None)
        if year:
            return date(year, 1, 1), month_end(year, int(m.group(1)))
    m = _UNTIL_MONTH.search(sentence)
    if m and 1 <= int(m.group(1)) <= 12:
        y = int(m.group(2))
        return date(y, 1, 1), month_end(y, int(m.group(1)))
    # "trong tháng 9 năm 2025" is a month, though "năm 2025" follows
    m = _MONTH_OF_YEAR.search(_without_dates(sentence))
    if m and 1 <= int(m.group(1)) <= 12:
        y, mo = int(m.group(2)), int(m.group(1))
        return date(y, mo, 1), month_end(y, mo)
    m = _YEAR_PHRASE.search(sentence)
    if m:
        y = int(m.group(1))
        return date(y, 1, 1), date(y, 12, 31)
    return default


def figure_periods(text: str, found: list, report_date: date | None,
                   report_period: tuple[date | None, date | None]) -> None:
    """Date every figure the grammar found (``sources.extract._found.Found``), in place.

    The clause layer has set ``found.period`` from its sentence ("đến 30/8/2020", "giai đoạn
    2016-2019", "năm 2024", the report's period); this is where the figure's own period is
    decided from its role and the words around it.
    """
