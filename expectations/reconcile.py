"""Frames derived from the marts for the reconciliation checks: one row per thing to reconcile.

Why not custom ``BatchExpectation`` classes: in GE 1.x a custom expectation needs its own metric
providers per execution engine, which are private-API heavy and break between releases; a derived
frame validated by a built-in expectation gives the same result (GE evaluates it, reports the failing
rows, renders it in Data Docs) with public API only, and the reconciliation logic stays plain
dataframe code that the tests exercise directly.

Every frame carries ``figure_ids`` (the figures involved, JSON text) so a failing row names
them, and ``row_key`` so Great Expectations can point at the failing rows.

The reconciliations are Polars joins and group-bys over the whole marts (no loop over the facts),
so they stay linear at 10 000 reports. Each derived row also knows whether one of its figures
belongs to the requested units (``units=``): the outliers are computed against every unit's values
and only then narrowed, like every other frame. The result is handed to GE as pandas frames.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping

import numpy as np
import pandas as pd
import polars as pl

FRAME_COLUMNS: dict[str, list[str]] = {
    "funding_periods": ["period_days"],
    "funding_components": ["relative_gap", "stated_total", "parts_sum"],
    "funding_rates": ["rate_gap_pct_points", "reported_rate_pct", "computed_rate_pct"],
    "funding_averages": ["relative_gap", "stated_average", "computed_average", "total", "count"],
    "funding_pairs": ["excess_vnd", "allocated_vnd", "disbursed_vnd"],
    "indicator_codes": ["indicator_code"],
    "indicator_attainment": ["gap_pct_points", "attainment_pct", "computed_attainment_pct"],
    "indicator_bounds": ["out_of_bounds", "value", "min_value", "max_value"],
    "indicator_outliers": ["modified_z", "value", "median"],
    "scorecards": ["met_minus_total", "exceeded_minus_met", "indicators_met_or_exceeded", "indicators_total",
                   "indicators_exceeded"],
}
# the few derived columns that are counts, not measures; every other figure column is float64
_INTEGER_COLUMNS = {"period_days", "out_of_bounds"}
_STRING_COLUMNS = {"indicator_code"}

# the columns each mart must offer (missing ones are read as nulls); the types the logic relies on
_FUNDING = {
    "figure_id": pl.String, "report_id": pl.String, "admin_unit_code": pl.String, "programme_code": pl.String,
    "capital_source": pl.String, "measure": pl.String, "amount_vnd": pl.Float64, "reported_rate_pct": pl.Float64,
    "computed_rate_pct": pl.Float64, "period_start": pl.Date, "period_end": pl.Date, "parent_figure_id": pl.String,
    "per_unit": pl.String, "sentence": pl.String,
}
_INDICATORS = {
    "figure_id": pl.String, "report_id": pl.String, "admin_unit_code": pl.String, "indicator_code": pl.String,
    "unit": pl.String, "target_value": pl.Float64, "actual_value": pl.Float64, "attainment_pct": pl.Float64,
    "computed_attainment_pct": pl.Float64, "sentence": pl.String,
}
_SCORECARDS = {
    "figure_id": pl.String, "report_id": pl.String, "admin_unit_code": pl.String, "indicators_total": pl.Float64,
    "indicators_met_or_exceeded": pl.Float64, "indicators_exceeded": pl.Float64,
}
_CATALOGUE = {"indicator_code": pl.String, "unit": pl.String, "min_value": pl.Float64, "max_value": pl.Float64}

AVERAGE_WORDS = ("trung bình", "bình quân")
# a norm "per commune" is reconciled against a count of communes, "per village" against a plain count
PER_UNIT_TO_INDICATOR_UNIT = {"commune": "commune", "village": "count", "household": "household", "person": "person"}

# internal columns: the figures of a derived row (in order), and whether one of them is in scope
IDS, IN_SCOPE, ROW = "_ids", "_in_scope", "_row"
_ID_LIST = pl.List(pl.String)
# figure ids that JSON writes as they are (printable ASCII but for " and \): the fast, vectorised path
_PLAIN_JSON = r"^[\x20\x21\x23-\x5B\x5D-\x7E]*$"


def _prepare(frame: pl.DataFrame | None, schema: dict, units: list[str] | None) -> pl.DataFrame:
    """The columns the reconciliations read, typed, NaN as null (as pandas saw them), with the row's
    position, and whether the row's unit (``coalesce(admin_unit_code, report_id)``) is in scope."""
    if frame is None or not frame.columns:
        frame = pl.DataFrame(schema=schema)
    columns = []
    for name, dtype in schema.items():
        column = pl.col(name).cast(dtype) if name in frame.columns else pl.lit(None, dtype=dtype).alias(name)
        columns.append(column.fill_nan(None) if dtype == pl.Float64 else column)
    prepared = frame.select(columns).with_row_index(ROW)
    if units is None:
        return prepared.with_columns(pl.lit(True).alias(IN_SCOPE))
    unit_key = pl.coalesce("admin_unit_code", "report_id")
    return prepared.with_columns(unit_key.is_in(units).fill_null(False).alias(IN_SCOPE))


def _divide(numerator: pl.Expr, denominator: pl.Expr) -> pl.Expr:
    """``numerator / denominator`` rounded as IEEE (and pandas) divide. Polars divides by a broadcast
    constant (a literal, or a column joined from a single row) by multiplying with its reciprocal,
    which can land one ulp off; numpy divides each pair."""
    def divide(series: list[pl.Series]) -> pl.Series:
        with np.errstate(divide="ignore", invalid="ignore"):
            return pl.Series(np.divide(series[0].to_numpy(), series[1].to_numpy()), dtype=pl.Float64)

    return pl.map_batches([numerator.cast(pl.Float64), denominator.cast(pl.Float64)], divide,
                          return_dtype=pl.Float64).fill_nan(None)


def _running_sum(values: pl.Expr) -> pl.Expr:
    """The sum of a group's values added in mart order, as pandas adds fewer than 8 values. (A plain
    group-by ``sum`` adds partial sums in whatever order its threads meet, which can land one ulp off.)"""
    return values.cum_sum().last()


def _sum_as_numpy(frame: pl.DataFrame, total: str, values: str) -> pl.DataFrame:
    """numpy (hence pandas) adds 8 values or more pairwise, in eight running lanes, which a running sum
    does not reproduce to the last bit; groups that large are rare, so numpy adds those itself."""
    lists = frame.get_column(values)
    large = (lists.list.len() >= 8).arg_true()
    if large.len():
        sums = [float(np.sum(np.asarray(v, dtype=np.float64))) for v in lists.gather(large).to_list()]
        frame = frame.with_columns(frame.get_column(total).clone().scatter(large, sums))
    return frame.drop(values)


def _one(column: str) -> pl.Expr:
    """A single figure id as the figure list of its row."""
    return pl.concat_list(pl.col(column)).alias(IDS)


def funding_periods(funding: pl.DataFrame) -> pl.DataFrame:
    dated = funding.filter(pl.col("period_start").is_not_null() & pl.col("period_end").is_not_null())
    return dated.select((pl.col("period_end") - pl.col("period_start")).dt.total_days().alias("period_days"),
                        _one("figure_id"), IN_SCOPE)


def funding_components(funding: pl.DataFrame) -> pl.DataFrame:
    """A stated total (non-null, non-zero) against the sum of its stated parts."""
    parts = (funding.filter(pl.col("parent_figure_id").is_not_null() & pl.col("amount_vnd").is_not_null())
             .group_by("parent_figure_id")
             .agg(_running_sum(pl.col("amount_vnd").sort_by(ROW)).alias("parts_sum"),
                  pl.col("amount_vnd").sort_by(ROW).alias("part_amounts"),
                  pl.col("figure_id").drop_nulls().sort().alias("part_ids"),
                  pl.col(IN_SCOPE).any().alias("parts_in_scope")))
    parts = _sum_as_numpy(parts, "parts_sum", "part_amounts")
    totals = (funding.filter(pl.col("figure_id").is_in(parts.get_column("parent_figure_id").implode()))
              .unique("figure_id", keep="first", maintain_order=True)
              .select(pl.col("figure_id").alias("parent_figure_id"), pl.col("amount_vnd").alias("stated_total"),
                      IN_SCOPE))
    joined = (parts.join(totals, on="parent_figure_id", how="inner")
              .filter(pl.col("stated_total").is_not_null() & (pl.col("stated_total") != 0)))
    return joined.select(
        _divide((pl.col("parts_sum") - pl.col("stated_total")).abs(), pl.col("stated_total")).alias("relative_gap"),
        "stated_total", "parts_sum",
        pl.concat_list(pl.col("parent_figure_id"), pl.col("part_ids")).alias(IDS),
        (pl.col(IN_SCOPE) | pl.col("parts_in_scope")).alias(IN_SCOPE))


def funding_rates(funding: pl.DataFrame) -> pl.DataFrame:
    """A stated disbursement rate against the computed one; the figures are the disbursement, then the
    allocations (not per unit) of the same report, programme and capital source, in mart order."""
    keys = ["report_id", "programme_code", "capital_source"]
    allocated = (funding.filter((pl.col("measure") == "allocated") & pl.col("per_unit").is_null())
                 .group_by(keys)
                 .agg(pl.col("figure_id").sort_by(ROW).alias("allocated_ids"),
                      pl.col(IN_SCOPE).any().alias("allocated_in_scope")))
    candidates = funding.filter((pl.col("measure") == "disbursed") & pl.col("reported_rate_pct").is_not_null()
                                & pl.col("computed_rate_pct").is_not_null())
    joined = candidates.join(allocated, on=keys, how="left")  # null keys match nothing, as in pandas
    return joined.select(
        (pl.col("reported_rate_pct") - pl.col("computed_rate_pct")).abs().alias("rate_gap_pct_points"),
        "reported_rate_pct", "computed_rate_pct",
        pl.concat_list(pl.col("figure_id"), pl.col("allocated_ids").fill_null(pl.lit([], dtype=_ID_LIST)))
        .alias(IDS),
        (pl.col(IN_SCOPE) | pl.col("allocated_in_scope").fill_null(False)).alias(IN_SCOPE))


def funding_averages(funding: pl.DataFrame, indicators: pl.DataFrame) -> pl.DataFrame:
    """A norm stated as an average of a total over a count in the same sentence ("11.270 triệu đồng
    (trung bình 2.254 triệu đồng/xã)" with "05 xã"): exactly one total and exactly one count."""
    norms = (funding.filter(pl.col("per_unit").is_not_null() & pl.col("amount_vnd").is_not_null())
             .filter(pl.col("sentence").str.to_lowercase().str.contains_any(list(AVERAGE_WORDS))))
    norms = norms.with_columns(pl.col("per_unit").replace_strict(PER_UNIT_TO_INDICATOR_UNIT, default=None,
                                                                 return_dtype=pl.String).alias("unit"))
    sentences = norms.select("report_id", "sentence").unique()
    funding = funding.join(sentences, on=["report_id", "sentence"], how="semi")
    indicators = indicators.join(sentences, on=["report_id", "sentence"], how="semi")
    totals = (funding.filter(pl.col("per_unit").is_null() & pl.col("amount_vnd").is_not_null())
              .group_by("report_id", "sentence")
              .agg(pl.len().alias("totals"), pl.col("figure_id").sort_by(ROW).first().alias("total_id"),
                   pl.col("amount_vnd").sort_by(ROW).first().alias("total"),
                   pl.col(IN_SCOPE).any().alias("total_in_scope")))
    counts = (indicators.filter(pl.col("actual_value").is_not_null())
              .group_by("report_id", "sentence", "unit")
              .agg(pl.len().alias("counts"), pl.col("figure_id").sort_by(ROW).first().alias("count_id"),
                   pl.col("actual_value").sort_by(ROW).first().alias("count"),
                   pl.col(IN_SCOPE).any().alias("count_in_scope")))
    joined = (norms.join(totals, on=["report_id", "sentence"], how="inner")
              .join(counts, on=["report_id", "sentence", "unit"], how="inner")
              .filter((pl.col("totals") == 1) & (pl.col("counts") == 1) & (pl.col("count") != 0)))
    return joined.select(
        _divide((_divide(pl.col("total"), pl.col("count")) - pl.col("amount_vnd")).abs(), pl.col("amount_vnd"))
        .alias("relative_gap"),
        pl.col("amount_vnd").alias("stated_average"),
        _divide(pl.col("total"), pl.col("count")).alias("computed_average"),
        "total", "count",
        pl.concat_list("figure_id", "total_id", "count_id").alias(IDS),
        (pl.col(IN_SCOPE) | pl.col("total_in_scope") | pl.col("count_in_scope")).alias(IN_SCOPE))


def funding_pairs(funding: pl.DataFrame) -> pl.DataFrame:
    """Disbursed against allocated for one unit, programme, capital source, start and year of end
    (nulls are a group of their own): the allocations, then the disbursements, in mart order."""
    base = funding.filter(pl.col("per_unit").is_null() & pl.col("parent_figure_id").is_null()
                          & pl.col("amount_vnd").is_not_null() & pl.col("measure").is_in(["allocated", "disbursed"]))
    allocated, disbursed = pl.col("measure") == "allocated", pl.col("measure") == "disbursed"
    grouped = (base.with_columns(pl.coalesce("admin_unit_code", "report_id").alias("unit_key"),
                                 pl.col("period_end").dt.year().alias("year"))
               .sort(ROW)
               .group_by("unit_key", "programme_code", "capital_source", "period_start", "year")
               .agg(_running_sum(pl.col("amount_vnd").filter(allocated)).alias("allocated_vnd"),
                    _running_sum(pl.col("amount_vnd").filter(disbursed)).alias("disbursed_vnd"),
                    pl.col("amount_vnd").filter(allocated).alias("allocated_amounts"),
                    pl.col("amount_vnd").filter(disbursed).alias("disbursed_amounts"),
                    allocated.sum().alias("n_allocated"), disbursed.sum().alias("n_disbursed"),
                    pl.col("figure_id").filter(allocated).alias("allocated_ids"),
                    pl.col("figure_id").filter(disbursed).alias("disbursed_ids"),
                    pl.col(IN_SCOPE).any()))
    paired = grouped.filter((pl.col("n_allocated") > 0) & (pl.col("n_disbursed") > 0))
    paired = _sum_as_numpy(_sum_as_numpy(paired, "allocated_vnd", "allocated_amounts"),
                           "disbursed_vnd", "disbursed_amounts")
    return paired.select((pl.col("disbursed_vnd") - pl.col("allocated_vnd")).alias("excess_vnd"),
                         "allocated_vnd", "disbursed_vnd",
                         pl.concat_list("allocated_ids", "disbursed_ids").alias(IDS), IN_SCOPE)


def indicator_codes(indicators: pl.DataFrame) -> pl.DataFrame:
    return indicators.select("indicator_code", _one("figure_id"), IN_SCOPE)


def indicator_attainment(indicators: pl.DataFrame) -> pl.DataFrame:
    both = indicators.filter(pl.col("attainment_pct").is_not_null() & pl.col("computed_attainment_pct").is_not_null())
    return both.select((pl.col("attainment_pct") - pl.col("computed_attainment_pct")).abs().alias("gap_pct_points"),
                       "attainment_pct", "computed_attainment_pct", _one("figure_id"), IN_SCOPE)


def indicator_bounds(indicators: pl.DataFrame, dim_indicator: pl.DataFrame) -> pl.DataFrame:
    """One row per stated actual and target value whose unit is the catalogue's unit for the code
    (the last catalogue row of a code wins; a null unit matches nothing)."""
    catalogue = (dim_indicator.unique("indicator_code", keep="last", maintain_order=True)
                 .select("indicator_code", pl.col("unit").alias("catalogue_unit"), "min_value", "max_value"))
    matched = (indicators.join(catalogue, on="indicator_code", how="left")
               .filter(pl.col("unit") == pl.col("catalogue_unit")))
    values = pl.concat([matched.select(pl.col(column).alias("value"), "min_value", "max_value", "figure_id", IN_SCOPE)
                        for column in ("actual_value", "target_value")])
    values = values.filter(pl.col("value").is_not_null())
    below = pl.col("min_value").is_not_null() & (pl.col("value") < pl.col("min_value"))
    above = pl.col("max_value").is_not_null() & (pl.col("value") > pl.col("max_value"))
    return values.select((below | above).fill_null(False).cast(pl.Int64).alias("out_of_bounds"),
                         "value", "min_value", "max_value", _one("figure_id"), IN_SCOPE)


def _median(column: str) -> pl.Expr:
    """The median as numpy takes it (the mean of the two middle values), within a group."""
    ordered = pl.col(column).sort()
    return (ordered.get((pl.len() - 1) // 2) + ordered.get(pl.len() // 2)) / 2


def indicator_outliers(indicators: pl.DataFrame, min_group: int = 5) -> pl.DataFrame:
    """Median-based modified z-score (Iglewicz & Hoaglin) of actual values per indicator and unit,
    over every row given (whatever the units in scope); groups of fewer than ``min_group`` values
    are not judged, and a zero MAD gives z = 0."""
    keys = ["indicator_code", "unit"]
    mapped = indicators.filter((pl.col("indicator_code") != "UNMAPPED") & pl.col("unit").is_not_null()
                               & pl.col("actual_value").is_not_null())
    medians = (mapped.group_by(keys).agg(pl.len().alias("n"), _median("actual_value").alias("median"))
               .filter(pl.col("n") >= min_group))
    judged = (mapped.join(medians, on=keys, how="inner")
              .with_columns((pl.col("actual_value") - pl.col("median")).abs().alias("deviation")))
    mads = judged.group_by(keys).agg(_median("deviation").alias("mad"))
    judged = judged.join(mads, on=keys, how="inner")
    z = pl.when(pl.col("mad") == 0).then(0.0).otherwise(_divide(0.6745 * pl.col("deviation"), pl.col("mad")))
    return judged.select(z.alias("modified_z"), pl.col("actual_value").alias("value"), "median", _one("figure_id"),
                         IN_SCOPE)


def scorecards(scorecard: pl.DataFrame) -> pl.DataFrame:
    met, total, exceeded = (pl.col(c) for c in ("indicators_met_or_exceeded", "indicators_total",
                                                 "indicators_exceeded"))
    return scorecard.select((met - total).alias("met_minus_total"), (exceeded - met).alias("exceeded_minus_met"),
                            met, total, exceeded, _one("figure_id"), IN_SCOPE)


def _figure_ids_json(frame: pl.DataFrame) -> pl.Series:
    """``json.dumps`` of each figure list, vectorised for plain ids (all of them in practice)."""
    ids = pl.col(IDS)
    text = frame.select(pl.when(ids.list.len() == 0).then(pl.lit("[]"))
                        .otherwise(pl.lit('["') + ids.list.join('", "') + pl.lit('"]')).alias("figure_ids"))
    text = text.get_column("figure_ids")
    if not frame.get_column(IDS).explode(empty_as_null=False).str.contains(_PLAIN_JSON).all():
        # quotes, backslashes, control or non-ASCII characters: json.dumps escapes them
        plain = frame.select(ids.list.eval(pl.element().str.contains(_PLAIN_JSON)).list.all()).to_series()
        odd = (~plain).arg_true()
        text = text.scatter(odd, [json.dumps(v) for v in frame.get_column(IDS).gather(odd).to_list()])
    return text


def _to_pandas(frame: pl.DataFrame, name: str) -> pd.DataFrame:
    """The frame GE validates: row_key, the frame's columns, figure_ids; deterministic row order."""
    frame = frame.filter(pl.col(IN_SCOPE))
    if frame.get_column(IDS).explode(empty_as_null=False).null_count():  # a figure without id: left out
        frame = frame.with_columns(pl.col(IDS).list.drop_nulls())
    columns = FRAME_COLUMNS[name]
    frame = frame.with_columns(_figure_ids_json(frame)).sort(["figure_ids", *columns], nulls_last=True)
    data: dict[str, np.ndarray | pd.Series] = {"row_key": np.arange(frame.height, dtype=np.int64)}
    for column in [*columns, "figure_ids"]:
        series = frame.get_column(column)
        if column in _STRING_COLUMNS or column == "figure_ids":
            data[column] = pd.Series(series.to_numpy(), dtype=object, copy=False)
        elif column in _INTEGER_COLUMNS:
            data[column] = series.cast(pl.Int64).to_numpy()
        else:
            data[column] = series.cast(pl.Float64).to_numpy()
    return pd.DataFrame(data, copy=False)


def derived_frames(marts: Mapping[str, pl.DataFrame], units: Collection[str] | None = None) -> dict[str, pd.DataFrame]:
    """Every reconciliation frame, from Polars marts (decimals already floats), as pandas for GE.

    ``units``: unit keys (``coalesce(admin_unit_code, report_id)``); only the derived rows involving
    a figure of those units are returned. ``None``: every row.
    """
    if isinstance(units, str):
        raise TypeError("units is a collection of unit keys, not one key")
    scope = None if units is None else sorted(set(units))
    funding = _prepare(marts.get("fct_programme_funding"), _FUNDING, scope)
    indicators = _prepare(marts.get("fct_indicator_attainment"), _INDICATORS, scope)
    scorecard = _prepare(marts.get("fct_district_scorecard"), _SCORECARDS, scope)
    catalogue = _prepare(marts.get("dim_indicator"), _CATALOGUE, None).drop(ROW, IN_SCOPE)
    # rows of one figure, and pairs (grouped by unit key), can be narrowed before they are derived;
    # components, rates and averages link figures by id or report, and outliers need every unit
    local_funding, local_indicators = (funding, indicators) if scope is None else (
        funding.filter(IN_SCOPE), indicators.filter(IN_SCOPE))
    frames = {
        "funding_periods": funding_periods(local_funding),
        "funding_components": funding_components(funding),
        "funding_rates": funding_rates(funding),
        "funding_averages": funding_averages(funding, indicators),
        "funding_pairs": funding_pairs(local_funding),
        "indicator_codes": indicator_codes(local_indicators),
        "indicator_attainment": indicator_attainment(local_indicators),
        "indicator_bounds": indicator_bounds(local_indicators, catalogue),
        "indicator_outliers": indicator_outliers(indicators),
        "scorecards": scorecards(scorecard if scope is None else scorecard.filter(IN_SCOPE)),
    }
    return {name: _to_pandas(frame, name) for name, frame in frames.items()}
