"""Figures from Vietnamese narrative reports.

    extract_report(text) -> ReportFacts   (date, period, title and every figure)
    extract_figures(text, report_date=None, report_period=None) -> list[Figure]

``text`` is already normalised (:func:`sources.text.normalise_text`): offsets point into it,
and ``text[f.char_start:f.char_end] == f.source_quote`` for every figure.
"""

from __future__ import annotations

import re
from datetime import date

from sources.extract._catalogue import INDICATOR_SEED, catalogue_codes, map_indicator
from sources.extract._classify import read_figures
from sources.figures import Figure, ReportFacts
from sources.periods import find_report_date, report_period
from sources.text import split_sentences

__all__ = ["INDICATOR_SEED", "catalogue_codes", "document_title", "extract_figures", "extract_report",
           "map_indicator"]


# the furniture above an administrative document's title: the issuing body in capitals, the
# national motto, the document number, and the place and date line
_ISSUER = re.compile(r"^(?:ỦY|UỶ|UBND|HỘI ĐỒNG|HĐND|ĐẢNG|BAN |HUYỆN [ỦU]Y|TỈNH [ỦU]Y|THỊ [ỦU]Y|THÀNH [ỦU]Y|"
                     r"MẶT TRẬN|CỘNG H[ÒO]A|SỞ |PHÒNG )")
# an issuing body in mixed case is a whole line of the body's name: "UBND xã Tân An", not
# "UBND tỉnh làm việc với huyện ..." (a title)
_ISSUER_LINE = re.compile(
    r"^(?i:ubnd|ủy ban nhân dân|uỷ ban nhân dân|hđnd|hội đồng nhân dân|đảng ủy|đảng uỷ|đảng bộ)\s+"
    r"(?i:xã|phường|đặc khu|thị trấn|huyện|quận|thị xã|thành phố|tỉnh)\s+"
    r"[A-ZĐÀ-Ỹ0-9][\wÀ-ỹ'’-]*(?:\s*[-–]?\s*[A-ZĐÀ-Ỹ0-9][\wÀ-ỹ'’-]*)*$")
_FURNITURE = re.compile(r"^(?:độc lập\s*[-–]\s*tự do|số\s*:|[^,\n]{1,40},\s*ngày\s+\d)", re.IGNORECASE)
# a document type alone on its line names the document together with the line after it
_DOCUMENT_TYPE = re.compile(r"^(?:BÁO CÁO|KẾT LUẬN|THÔNG BÁO|NGHỊ QUYẾT|TỜ TRÌNH|KẾ HOẠCH|CHƯƠNG TRÌNH|QUYẾT ĐỊNH)$",
                            re.IGNORECASE)


def document_title(text: str) -> str | None:
    """The document's title: its type and subject ("BÁO CÁO Tình hình ... tháng 9 năm 2025"),
    past the issuing body, motto, number and date lines; else its first line of some length."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for i, line in enumerate(lines[:12]):
        if (_ISSUER.match(line) and line.isupper()) or _ISSUER_LINE.match(line) or _FURNITURE.match(line):
            continue
        if _DOCUMENT_TYPE.match(line) and i + 1 < len(lines):
            return f"{line} {lines[i + 1]}"[:300]
        if len(line) > 15:
            return line[:300]
    return next((line[:300] for line in lines if len(line) > 15), None)


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
    if report_period is None:
        report_period = (None, None)
    found = read_figures(text, report_date, report_period)
    spans = split_sentences(text)
    figures: list[Figure] = []
    index_of: dict[int, int] = {}
    seen: set[tuple] = set()
    for i, f in enumerate(found):
        key = _identity(f)
        if key is not None and key in seen and f.parent is None:
            continue  # one fact, one record: a figure repeated in the same report is kept once
        seen.add(key)
        sentence = next((text[s:e] for s, e in spans if s <= f.start < e), "")
        fig = Figure(
            kind=f.kind, local_id=len(figures), rule=f.rule, source_quote=text[f.start:f.end],
            char_start=f.start, char_end=f.end, sentence=sentence, qualifier=f.qualifier,
            period_start=f.period[0], period_end=f.period[1],
            parent_local_id=index_of.get(f.parent) if f.parent is not None else None,
        )
        for name, value in f.fields.items():
            setattr(fig, name, value)
        if fig.kind == "indicator":
            fig.indicator_code = map_indicator(fig.indicator_name or "", fig.unit)
        index_of[i] = fig.local_id
        figures.append(fig)
    return figures


def _identity(f) -> tuple | None:
    if f.kind == "funding":
        return ("funding", f.fields.get("programme_code"), f.fields.get("measure"), f.fields.get("amount_vnd"),
                f.fields.get("rate_pct"), f.fields.get("per_unit"))
    if f.kind == "scorecard":
        return ("scorecard", f.fields.get("indicators_met_or_exceeded"), f.fields.get("indicators_total"))
    name = (f.fields.get("indicator_name") or "").lower().strip()
    if len(name) < 12:
        return None  # too little said of it to call two mentions the same fact
    values = tuple(f.fields.get(k) for k in ("target_value", "actual_value", "attainment_pct", "exceed_pct",
                                             "change_value"))
    return ("indicator", f.fields.get("unit"), values, name)
