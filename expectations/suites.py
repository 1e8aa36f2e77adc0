"""The suites, declared as data: which expectation runs on which column of which mart.

Each check has a severity: ERROR for structure (keys, codes, types: the marts are broken) and
WARN for findings the reports themselves contain (a total whose parts do not add up): those
figures are flagged, never dropped. Reconciliation checks run on a dbt model built from the marts
(``intermediate.int_checks__<frame>``: one row per total, per pair, per scorecard) with a built-in
expectation on its rows, so Great Expectations reports them and the failing rows name their
figure_ids. Every comparison of computed values allows a tolerance (a relative gap, percentage
points, a z-score); the ones without are over integers (days, counts, amounts in whole đồng summed
exactly in SQL) or against a catalogue's bounds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sources.extract import catalogue_codes
from sources.reference import codes


@dataclass(frozen=True, slots=True)
class Check:
    """One expectation of a suite."""

    mart: str  # the mart it validates (the Dagster asset it is a check of)
    name: str  # check name, unique per mart
    expectation: str  # Great Expectations class name
    kwargs: dict = field(default_factory=dict)
    severity: str = "ERROR"  # ERROR | WARN
    description: str = ""
    # a dbt model's rows instead of the mart itself (expectations.validate: CHECK_FRAMES, UNIT_FRAMES)
    frame: str | None = None
    # how a failing row reads in the figures' own terms (not part of the GE suite): the column of the
    # value the report states, the column of what it is checked against, their unit, and what the
    # check allows ({column} is replaced by the row's value, written the Vietnamese way)
    stated: str | None = None
    computed: str | None = None
    value_unit: str | None = None
    tolerance: str = ""
    # when the frame states the difference itself (a shortfall), its columns; otherwise it is computed - stated,
    # in percent of the stated value
    difference: str | None = None
    difference_pct: str | None = None
    # a check over reporting units rather than figures (completeness): the column of the unit's key (its
    # finding is the check's and the unit's, whatever months it misses) and of the period at fault (first
    # day, last day); the unit's names are the frame's district_name and province_name
    unit_key: str | None = None
    period: tuple[str, str] | None = None


def _not_null(mart: str, column: str) -> Check:
    return Check(mart, f"{column}_not_null", "ExpectColumnValuesToNotBeNull", {"column": column},
                 description=f"{column} is never null", stated=column, tolerance="not null")


def _in_set(mart: str, column: str, values: Sequence[str]) -> Check:
    return Check(mart, f"{column}_allowed", "ExpectColumnValuesToBeInSet",
                 {"column": column, "value_set": list(values)}, description=f"{column} is one of {', '.join(values)}",
                 stated=column, tolerance=f"one of {', '.join(values)}")


CHECKS: tuple[Check, ...] = (
    # fct_programme_funding
    _not_null("fct_programme_funding", "figure_id"),
    Check("fct_programme_funding", "figure_id_unique", "ExpectColumnValuesToBeUnique", {"column": "figure_id"},
          description="figure_id identifies a row", stated="figure_id", tolerance="unique"),
    _not_null("fct_programme_funding", "source_quote"),
    _in_set("fct_programme_funding", "programme_code", codes("programmes")),
    _in_set("fct_programme_funding", "capital_source", codes("capital_sources")),
    _in_set("fct_programme_funding", "measure", codes("measures")),
    Check("fct_programme_funding", "amount_vnd_not_negative", "ExpectColumnValuesToBeBetween",
          {"column": "amount_vnd", "min_value": 0}, description="amounts are >= 0",
          stated="amount_vnd", value_unit="VND", tolerance=">= 0"),
    Check("fct_programme_funding", "reported_rate_in_range", "ExpectColumnValuesToBeBetween",
          {"column": "reported_rate_pct", "min_value": 0, "max_value": 200}, "WARN",
          "a stated rate lies between 0 and 200%", stated="reported_rate_pct", value_unit="percent",
          tolerance="0..200%"),
    Check("fct_programme_funding", "period_start_before_end", "ExpectColumnValuesToBeBetween",
          {"column": "period_days", "min_value": 0}, frame="funding_periods",
          description="period_start <= period_end", stated="period_days", value_unit="days",
          tolerance="period_end - period_start >= 0 days"),
    Check("fct_programme_funding", "components_sum_to_total", "ExpectColumnValuesToBeBetween",
          {"column": "relative_gap", "max_value": 0.00005}, "WARN",
          "the components of a stated total add up to it (within 0.005%, the rounding of amounts in millions)",
          frame="funding_components", stated="stated_total", computed="parts_sum", value_unit="VND",
          tolerance="±0,005% of the total"),
    Check("fct_programme_funding", "stated_rate_matches_amounts", "ExpectColumnValuesToBeBetween",
          {"column": "rate_gap_pct_points", "max_value": 0.05}, "WARN",
          "a stated disbursement rate equals disbursed / allocated within 0.05 percentage points",
          frame="funding_rates", stated="reported_rate_pct", computed="computed_rate_pct", value_unit="percent",
          tolerance="±0,05 percentage points"),
    Check("fct_programme_funding", "average_matches_total", "ExpectColumnValuesToBeBetween",
          {"column": "relative_gap", "max_value": 0.005}, "WARN",
          "a stated average per unit equals the stated total divided by the stated count",
          frame="funding_averages", stated="stated_average", computed="computed_average", value_unit="VND",
          tolerance="±0,5% of the average ({total} / {count})"),
    Check("fct_programme_funding", "disbursed_not_above_allocated", "ExpectColumnValuesToBeBetween",
          {"column": "excess_vnd", "max_value": 0}, "WARN",
          "disbursed <= allocated for the same district, programme, capital source and period",
          frame="funding_pairs", stated="disbursed_vnd", computed="allocated_vnd", value_unit="VND",
          tolerance="disbursed <= allocated"),
    # fct_indicator_attainment
    _not_null("fct_indicator_attainment", "figure_id"),
    Check("fct_indicator_attainment", "figure_id_unique", "ExpectColumnValuesToBeUnique", {"column": "figure_id"},
          description="figure_id identifies a row", stated="figure_id", tolerance="unique"),
    _not_null("fct_indicator_attainment", "source_quote"),
    _in_set("fct_indicator_attainment", "status", codes("attainment_statuses")),
    _in_set("fct_indicator_attainment", "unit", codes("units")),
    Check("fct_indicator_attainment", "attainment_in_range", "ExpectColumnValuesToBeBetween",
          {"column": "attainment_pct", "min_value": 0, "max_value": 1000}, "WARN",
          "attainment lies between 0 and 1000%", stated="attainment_pct", value_unit="percent",
          tolerance="0..1000%"),
    # dim_indicator is the catalogue seed plus UNMAPPED: the set is the seed's, fixed with the suites
    # (validation never rewrites a committed suite with one warehouse's values)
    Check("fct_indicator_attainment", "indicator_code_in_catalogue", "ExpectColumnValuesToBeInSet",
          {"column": "indicator_code", "value_set": sorted(catalogue_codes())},
          description="indicator_code is in dim_indicator or UNMAPPED", frame="indicator_codes",
          stated="indicator_code", tolerance="a code of the indicator catalogue, or UNMAPPED"),
    Check("fct_indicator_attainment", "attainment_matches_actual_over_target", "ExpectColumnValuesToBeBetween",
          {"column": "gap_pct_points", "max_value": 0.5}, "WARN",
          "a stated attainment equals actual / target where both are stated", frame="indicator_attainment",
          stated="attainment_pct", computed="computed_attainment_pct", value_unit="percent",
          tolerance="±0,5 percentage points"),
    Check("fct_indicator_attainment", "value_within_catalogue_bounds", "ExpectColumnValuesToBeBetween",
          {"column": "out_of_bounds", "max_value": 0}, "WARN",
          "values lie within the catalogue's min/max for the indicator", frame="indicator_bounds",
          stated="value", tolerance="{min_value}..{max_value} (the catalogue's bounds)"),
    Check("fct_indicator_attainment", "not_an_outlier_across_districts", "ExpectColumnValuesToBeBetween",
          {"column": "modified_z", "max_value": 3.5}, "WARN",
          "a value is not an outlier among the same indicator's values (median-based modified z-score)",
          frame="indicator_outliers", stated="value", computed="median", tolerance="modified z-score <= 3,5 "
          "(this value: {modified_z})"),
    # fct_district_scorecard
    _not_null("fct_district_scorecard", "report_id"),
    Check("fct_district_scorecard", "met_not_above_total", "ExpectColumnValuesToBeBetween",
          {"column": "met_minus_total", "max_value": 0}, "WARN",
          "a scorecard's met count does not exceed its total", frame="scorecards",
          stated="indicators_met_or_exceeded", computed="indicators_total", value_unit="count",
          tolerance="met <= total"),
    Check("fct_district_scorecard", "exceeded_not_above_met", "ExpectColumnValuesToBeBetween",
          {"column": "exceeded_minus_met", "max_value": 0}, "WARN",
          "the exceeded count does not exceed the met-or-exceeded count", frame="scorecards",
          stated="indicators_exceeded", computed="indicators_met_or_exceeded", value_unit="count",
          tolerance="exceeded <= met"),
)

# reporting completeness and timeliness: warnings for the province to chase, one per reporting unit at fault,
# checked on intermediate.int_reporting_units__completeness (one row per unit of fct_reporting_completeness,
# read as it is: expectations.validate.UNIT_FRAMES), each in its own suite (their periods and values differ)
COMPLETENESS_CHECKS: tuple[Check, ...] = (
    Check("fct_reporting_completeness", "district_reported_for_period", "ExpectColumnValuesToBeBetween",
          {"column": "months_missing", "max_value": 0}, "WARN",
          "every reporting unit (a district until June 2025, a commune from July 2025) sent a report for every month "
          "(stated: the months it reported; computed: the months it was expected to)",
          frame="unit_completeness", unit_key="admin_unit_key", value_unit="months",
          stated="months_reported", computed="months_expected",
          difference="reported_minus_expected", difference_pct="reported_minus_expected_pct",
          period=("first_missing_month", "last_missing_month_end"),
          tolerance="every unit reports every month (missing: {missing_months})"),
    Check("fct_reporting_completeness", "report_arrived_on_time", "ExpectColumnValuesToBeBetween",
          {"column": "months_late", "max_value": 0}, "WARN",
          "reports that arrived landed within the due days after their month (dbt var report_due_days; stated: "
          "the months reported on time; computed: the months reported)",
          frame="unit_timeliness", unit_key="admin_unit_key", value_unit="months",
          stated="months_on_time", computed="months_reported",
          difference="on_time_minus_reported", difference_pct="on_time_minus_reported_pct",
          period=("first_late_month", "last_late_month_end"),
          tolerance="within {report_due_days} days after the month (late: {late_months})"),
)
CHECKS = CHECKS + COMPLETENESS_CHECKS


@dataclass(frozen=True, slots=True)
class CheckSpec:
    """What Dagster declares of a check before any run (its asset check): where it is, what it says, how bad a
    failure is."""

    mart: str
    name: str
    description: str
    severity: str


def check_specs() -> list[CheckSpec]:
    """Every check, known before any run (Dagster declares its asset checks from this; no pandas, polars nor
    Great Expectations imported for it)."""
    return [CheckSpec(c.mart, c.name, c.description, c.severity) for c in CHECKS]
