"""Frames derived from the marts for the reconciliation checks: one row per thing to reconcile.

Why not custom ``BatchExpectation`` classes: in GE 1.x a custom expectation needs its own metric
providers per execution engine, which are private-API heavy and break between releases; a derived
frame validated by a built-in expectation gives the same result (GE evaluates it, reports the failing
rows, renders it in Data Docs) with public API only, and the reconciliation logic stays plain pandas
that the tests exercise directly.

Every frame carries ``figure_ids`` (the figures involved, JSON text) so a failing row names
them, and ``row_key`` so Great Expectations can point at the failing rows.
"""

from __future__ import annotations

import json

import pandas as pd

FRAME_COLUMNS: dict[str, list[str]] = {
    "funding_periods": ["period_days"],
    "funding_components": ["relative_gap", "stated_total", "parts_sum"],
    "funding_rates": ["rate_gap_pct_points", "reported_rate_pct", "computed_rate_pct"],
    "funding_averages": ["relative_gap", "stated_average", "total", "count"],
    "funding_pairs": ["excess_vnd", "allocated_vnd", "disbursed_vnd"],
    "indicator_codes": ["indicator_code"],
    "indicator_attainment": ["gap_pct_points", "attainment_pct", "computed_attainment_pct"],
    "indicator_bounds": ["out_of_bounds", "value", "min_value", "max_value"],
    "indicator_outliers": ["modified_z", "value"],
    "scorecards": ["met_minus_total", "exceeded_minus_met"],
}


def _frame(rows: list[dict], name: str) -> pd.DataFrame:
    columns = [*FRAME_COLUMNS[name], "figure_ids"]
    frame = pd.DataFrame(rows, columns=columns) if rows else pd.DataFrame({c: pd.Series(dtype="float64")
                                                                           for c in columns})
    if name == "indicator_codes":
        frame["indicator_code"] = frame["indicator_code"].astype("object")
    frame["figure_ids"] = frame["figure_ids"].astype("object")
    frame.insert(0, "row_key", range(len(frame)))
    return frame


def _ids(*ids) -> str:
    return json.dumps([i for i in ids if i is not None])


def funding_periods(funding: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for r in funding.itertuples():
        if pd.notna(r.period_start) and pd.notna(r.period_end):
            rows.append({"period_days": (pd.Timestamp(r.period_end) - pd.Timestamp(r.period_start)).days,
                         "figure_ids": _ids(r.figure_id)})
    return _frame(rows, "funding_periods")


def funding_components(funding: pd.DataFrame) -> pd.DataFrame:
    parts = funding[funding["parent_figure_id"].notna() & funding["amount_vnd"].notna()]
    rows = []
    for parent_id, group in parts.groupby("parent_figure_id"):
        total = funding[funding["figure_id"] == parent_id]
        if total.empty or pd.isna(total["amount_vnd"].iloc[0]) or float(total["amount_vnd"].iloc[0]) == 0:
            continue
        stated = float(total["amount_vnd"].iloc[0])
        parts_sum = float(group["amount_vnd"].sum())
        rows.append({"relative_gap": abs(parts_sum - stated) / stated, "stated_total": stated,
                     "parts_sum": parts_sum, "figure_ids": _ids(parent_id, *sorted(group["figure_id"]))})
    return _frame(rows, "funding_components")


def _unit_key(r) -> str:
    return r.admin_unit_code if isinstance(r.admin_unit_code, str) else r.report_id


def funding_rates(funding: pd.DataFrame) -> pd.DataFrame:
    rows = []
    candidates = funding[(funding["measure"] == "disbursed") & funding["reported_rate_pct"].notna()
                         & funding["computed_rate_pct"].notna()]
    for r in candidates.itertuples():
        allocated = funding[(funding["measure"] == "allocated") & (funding["programme_code"] == r.programme_code)
                            & (funding["capital_source"] == r.capital_source)
                            & (funding["report_id"] == r.report_id) & funding["per_unit"].isna()]
        rows.append({"rate_gap_pct_points": abs(float(r.reported_rate_pct) - float(r.computed_rate_pct)),
                     "reported_rate_pct": float(r.reported_rate_pct), "computed_rate_pct": float(r.computed_rate_pct),
                     "figure_ids": _ids(r.figure_id, *allocated["figure_id"])})
    return _frame(rows, "funding_rates")


def funding_averages(funding: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """A norm stated as an average of a total over a count in the same sentence ("11.270 triệu đồng
    (trung bình 2.254 triệu đồng/xã)" with "05 xã")."""
    rows = []
    norms = funding[funding["per_unit"].notna() & funding["amount_vnd"].notna()]
    for r in norms.itertuples():
        if not isinstance(r.sentence, str) or not any(w in r.sentence.lower() for w in ("trung bình", "bình quân")):
            continue
        totals = funding[(funding["report_id"] == r.report_id) & (funding["sentence"] == r.sentence)
                         & funding["per_unit"].isna() & funding["amount_vnd"].notna()]
        unit = {"commune": "commune", "village": "count", "household": "household", "person": "person"}.get(r.per_unit)
        counts = indicators[(indicators["report_id"] == r.report_id) & (indicators["sentence"] == r.sentence)
                            & (indicators["unit"] == unit) & indicators["actual_value"].notna()]
        if len(totals) != 1 or len(counts) != 1 or float(counts["actual_value"].iloc[0]) == 0:
            continue
        total, count = float(totals["amount_vnd"].iloc[0]), float(counts["actual_value"].iloc[0])
        rows.append({"relative_gap": abs(total / count - float(r.amount_vnd)) / float(r.amount_vnd),
                     "stated_average": float(r.amount_vnd), "total": total, "count": count,
                     "figure_ids": _ids(r.figure_id, totals["figure_id"].iloc[0], counts["figure_id"].iloc[0])})
    return _frame(rows, "funding_averages")


def funding_pairs(funding: pd.DataFrame) -> pd.DataFrame:
    base = funding[funding["per_unit"].isna() & funding["parent_figure_id"].isna() & funding["amount_vnd"].notna()
                   & funding["measure"].isin(["allocated", "disbursed"])].copy()
    if base.empty:
        return _frame([], "funding_pairs")
    base["unit_key"] = [_unit_key(r) for r in base.itertuples()]
    base["year"] = pd.to_datetime(base["period_end"]).dt.year
    rows = []
    for _, group in base.groupby(["unit_key", "programme_code", "capital_source", "period_start", "year"],
                                 dropna=False):
        allocated = group[group["measure"] == "allocated"]
        disbursed = group[group["measure"] == "disbursed"]
        if allocated.empty or disbursed.empty:
            continue
        a, d = float(allocated["amount_vnd"].sum()), float(disbursed["amount_vnd"].sum())
        rows.append({"excess_vnd": d - a, "allocated_vnd": a, "disbursed_vnd": d,
                     "figure_ids": _ids(*allocated["figure_id"], *disbursed["figure_id"])})
    return _frame(rows, "funding_pairs")


def indicator_codes(indicators: pd.DataFrame) -> pd.DataFrame:
    rows = [{"indicator_code": r.indicator_code, "figure_ids": _ids(r.figure_id)} for r in indicators.itertuples()]
    return _frame(rows, "indicator_codes")


def indicator_attainment(indicators: pd.DataFrame) -> pd.DataFrame:
    both = indicators[indicators["attainment_pct"].notna() & indicators["computed_attainment_pct"].notna()]
    rows = [{"gap_pct_points": abs(float(r.attainment_pct) - float(r.computed_attainment_pct)),
             "attainment_pct": float(r.attainment_pct), "computed_attainment_pct": float(r.computed_attainment_pct),
             "figure_ids": _ids(r.figure_id)} for r in both.itertuples()]
    return _frame(rows, "indicator_attainment")


def indicator_bounds(indicators: pd.DataFrame, dim_indicator: pd.DataFrame) -> pd.DataFrame:
    bounds = {r.indicator_code: (r.min_value, r.max_value, r.unit) for r in dim_indicator.itertuples()}
    rows = []
    for r in indicators.itertuples():
        lo, hi, unit = bounds.get(r.indicator_code, (None, None, None))
        if unit != r.unit:
            continue
        for value in (r.actual_value, r.target_value):
            if pd.isna(value):
                continue
            out = (pd.notna(lo) and value < lo) or (pd.notna(hi) and value > hi)
            rows.append({"out_of_bounds": int(bool(out)), "value": float(value),
                         "min_value": None if pd.isna(lo) else float(lo),
                         "max_value": None if pd.isna(hi) else float(hi), "figure_ids": _ids(r.figure_id)})
    return _frame(rows, "indicator_bounds")


def indicator_outliers(indicators: pd.DataFrame, min_group: int = 5) -> pd.DataFrame:
    """Median-based modified z-score (Iglewicz & Hoaglin) of actual values per indicator and unit."""
    mapped = indicators[(indicators["indicator_code"] != "UNMAPPED") & indicators["actual_value"].notna()]
    rows = []
    for _, group in mapped.groupby(["indicator_code", "unit"]):
        if len(group) < min_group:
            continue
        values = group["actual_value"].astype(float)
        median = values.median()
        mad = (values - median).abs().median()
        for r, value in zip(group.itertuples(), values, strict=True):
            z = 0.0 if mad == 0 else 0.6745 * abs(value - median) / mad
            rows.append({"modified_z": z, "value": value, "figure_ids": _ids(r.figure_id)})
    return _frame(rows, "indicator_outliers")


def scorecards(scorecard: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for r in scorecard.itertuples():
        met, total, exc = r.indicators_met_or_exceeded, r.indicators_total, r.indicators_exceeded
        rows.append({"met_minus_total": float(met - total) if pd.notna(met) and pd.notna(total) else None,
                     "exceeded_minus_met": float(exc - met) if pd.notna(exc) and pd.notna(met) else None,
                     "figure_ids": _ids(r.figure_id)})
    return _frame(rows, "scorecards")


def derived_frames(marts: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    funding, indicators = marts["fct_programme_funding"], marts["fct_indicator_attainment"]
    return {
        "funding_periods": funding_periods(funding),
        "funding_components": funding_components(funding),
        "funding_rates": funding_rates(funding),
        "funding_averages": funding_averages(funding, indicators),
        "funding_pairs": funding_pairs(funding),
        "indicator_codes": indicator_codes(indicators),
        "indicator_attainment": indicator_attainment(indicators),
        "indicator_bounds": indicator_bounds(indicators, marts["dim_indicator"]),
        "indicator_outliers": indicator_outliers(indicators),
        "scorecards": scorecards(marts["fct_district_scorecard"]),
    }
