"""Typed results of reading a report: the figures it states and what is known of the report.

These dataclasses are the contract between the extractor (``sources.extract``), the place
gazetteer (``sources.places``) and the ingest step that writes schema ``raw`` in the
warehouse (``sources.warehouse``). Every figure keeps its raw text and offsets into the
*normalised* text of its report, so that ``text[char_start:char_end] == source_quote``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

from sources.reference import codes

FigureKind = Literal["funding", "indicator", "scorecard"]

# The codes a figure's fields may take, read from the code-list seeds (dbt_project/seeds/reference),
# where they are written once: dbt tests the marts against the same files.
PROGRAMME_CODES: tuple[str, ...] = codes("programmes")
CAPITAL_SOURCES: tuple[str, ...] = codes("capital_sources")
MEASURES: tuple[str, ...] = codes("measures")
INDICATOR_UNITS: tuple[str, ...] = codes("units")


# Flags an extraction rule may carry after its name in the `rule` column ("indicator_level+suspect_format")
RULE_FLAG_SEPARATOR = "+"
SUSPECT_FORMAT = "suspect_format"


@dataclass(slots=True)
class Figure:
    """One figure stated by a report.

    ``local_id`` numbers the figures of one report (0, 1, 2 ...); ``parent_local_id`` points
    at the stated total this figure is a component of (funding only). The ingest step turns
    both into warehouse-wide ``figure_id`` values.
    """

    kind: FigureKind
    local_id: int
    rule: str  # name of the grammar rule that produced it
    source_quote: str  # exact substring of the normalised text
    char_start: int
    char_end: int
    sentence: str = ""  # the sentence the quote sits in
    qualifier: str | None = None  # hedge as written: hơn, trên, khoảng, gần, ước, dưới ...
    period_start: date | None = None
    period_end: date | None = None

    # funding
    programme_code: str | None = None
    programme_text: str | None = None
    capital_source: str | None = None
    measure: str | None = None
    amount_vnd: int | None = None  # None when only a rate is stated
    rate_pct: Decimal | None = None
    per_unit: str | None = None  # None for a total; 'commune', 'village', 'person' ... for a norm
    parent_local_id: int | None = None
    # a number whose separators were read against their usual sense ("1.076, 31 tỷ"): why, for a reviewer;
    # its rule then ends in RULE_FLAG_SEPARATOR + SUSPECT_FORMAT, which reaches the marts' `rule` column
    suspect_format: str | None = None

    # indicator (one observation; any of the values may be set)
    indicator_code: str | None = None  # from the indicator catalogue, or 'UNMAPPED'
    indicator_name: str | None = None  # as written
    unit: str | None = None
    target_value: Decimal | None = None
    actual_value: Decimal | None = None
    attainment_pct: Decimal | None = None
    exceed_pct: Decimal | None = None
    change_value: Decimal | None = None

    # scorecard
    indicators_total: int | None = None
    indicators_met_or_exceeded: int | None = None
    indicators_exceeded: int | None = None


@dataclass(slots=True)
class ReportFacts:
    """What the extractor reads off a whole report besides its figures."""

    title: str | None
    report_date: date | None
    period_start: date | None  # the report's own period ("9 tháng đầu năm 2019" -> Jan 1..Sep 30)
    period_end: date | None
    figures: list[Figure] = field(default_factory=list)


@dataclass(slots=True)
class PlaceResolution:
    """The reporting unit of a report, resolved against the gazetteer."""

    province_name: str | None
    province_code: str | None
    district_name: str | None  # the reporting unit's name: a district before the reform, a commune after
    district_code: str | None  # admin_unit_code: official code of the reporting unit
    current_province_name: str | None  # after the 1 July 2025 reform
    current_province_code: str | None
    method: str  # 'named' | 'commune_inference' | 'province_only' | 'unresolved' | 'ambiguous'
    candidates: list[str] = field(default_factory=list)  # other units considered, for auditors
    admin_level: str | None = None  # 'district' (before 1 July 2025) | 'commune' (after) | None: no unit
