"""The derived reconciliation frames: specific values on hand-built marts, the ``units=`` scope, and
property tests against a plain reference computed here for random small marts."""

from __future__ import annotations

import json
import math
import statistics
from datetime import date

import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from expectations.reconcile import FRAME_COLUMNS, derived_frames

FUNDING_SCHEMA = {
    "figure_id": pl.String, "report_id": pl.String, "admin_unit_code": pl.String, "programme_code": pl.String,
    "capital_source": pl.String, "measure": pl.String, "amount_vnd": pl.Float64, "reported_rate_pct": pl.Float64,
    "computed_rate_pct": pl.Float64, "period_start": pl.Date, "period_end": pl.Date, "parent_figure_id": pl.String,
    "per_unit": pl.String, "sentence": pl.String,
}
INDICATOR_SCHEMA = {
    "figure_id": pl.String, "report_id": pl.String, "admin_unit_code": pl.String, "indicator_code": pl.String,
    "unit": pl.String, "target_value": pl.Float64, "actual_value": pl.Float64, "attainment_pct": pl.Float64,
    "computed_attainment_pct": pl.Float64, "sentence": pl.String, "period_start": pl.Date, "period_end": pl.Date,
}
SCORECARD_SCHEMA = {
    "figure_id": pl.String, "report_id": pl.String, "admin_unit_code": pl.String, "indicators_total": pl.Int32,
    "indicators_met_or_exceeded": pl.Int32, "indicators_exceeded": pl.Int32,
}
DIM_SCHEMA = {"indicator_code": pl.String, "unit": pl.String, "min_value": pl.Float64, "max_value": pl.Float64}
CATALOGUE = [
    {"indicator_code": "POVERTY_RATE", "unit": "percent", "min_value": 0.0, "max_value": 100.0},
    {"indicator_code": "BUDGET_REVENUE_DOMESTIC", "unit": "VND", "min_value": 0.0, "max_value": None},
    {"indicator_code": "RICE_YIELD", "unit": "ton_per_ha", "min_value": None, "max_value": None},
    {"indicator_code": "UNMAPPED", "unit": "other", "min_value": None, "max_value": None},
]
M = 1_000_000  # amounts are stated in millions of đồng


def _frame(rows: list[dict], schema: dict) -> pl.DataFrame:
    return pl.DataFrame([{c: r.get(c) for c in schema} for r in rows], schema=schema)


def make_marts(funding=(), indicators=(), scorecards=(), catalogue=CATALOGUE) -> dict[str, pl.DataFrame]:
    return {
        "fct_programme_funding": _frame(list(funding), FUNDING_SCHEMA),
        "fct_indicator_attainment": _frame(list(indicators), INDICATOR_SCHEMA),
        "fct_district_scorecard": _frame(list(scorecards), SCORECARD_SCHEMA),
        "dim_indicator": _frame(list(catalogue), DIM_SCHEMA),
    }


def derive(marts: dict[str, pl.DataFrame], units=None) -> dict[str, pd.DataFrame]:
    return derived_frames(marts, units)


def _clean(value):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


def records(frame: pd.DataFrame) -> list[dict]:
    """The rows without row_key, nulls as None, in figure_ids order (row order is not part of the contract)."""
    rows = [{k: _clean(v) for k, v in row.items() if k != "row_key"} for row in frame.to_dict("records")]
    return sorted(rows, key=lambda r: (r["figure_ids"], repr(sorted(r.items(), key=lambda kv: kv[0]))))


def by_ids(frame: pd.DataFrame) -> dict[tuple[str, ...], dict]:
    rows = records(frame)
    keyed = {tuple(json.loads(r["figure_ids"])): r for r in rows}
    assert len(keyed) == len(rows)
    return keyed


def fund(figure_id: str, **kw) -> dict:
    report_id = figure_id.rsplit("-", 1)[0]
    row = {"figure_id": figure_id, "report_id": report_id, "admin_unit_code": "465", "programme_code": "NTM",
           "capital_source": "investment", "measure": "allocated", "period_start": date(2020, 1, 1),
           "period_end": date(2020, 12, 31), "sentence": "s"}
    return {**row, **kw}


def ind(figure_id: str, **kw) -> dict:
    report_id = figure_id.rsplit("-", 1)[0]
    row = {"figure_id": figure_id, "report_id": report_id, "admin_unit_code": "465", "indicator_code": "UNMAPPED",
           "unit": "other", "sentence": "s"}
    return {**row, **kw}


# --- specific values ---------------------------------------------------------------------------


def test_components_sum_against_stated_total():
    frames = derive(make_marts(funding=[
        fund("r1-0001", amount_vnd=106_182 * M),
        # parts listed out of order: figure_ids lists the total, then the parts sorted
        fund("r1-0005", amount_vnd=36_295 * M, parent_figure_id="r1-0001"),
        fund("r1-0003", amount_vnd=19_740 * M, parent_figure_id="r1-0001"),
        fund("r1-0002", amount_vnd=24_257 * M, parent_figure_id="r1-0001"),
        fund("r1-0004", amount_vnd=25_872 * M, parent_figure_id="r1-0001"),
        fund("r1-0006", amount_vnd=None, parent_figure_id="r1-0001"),  # a part without amount is left out
        # a zero total and a total without amount are not reconciled; nor are parts of an unknown total
        fund("r2-0001", amount_vnd=0.0),
        fund("r2-0002", amount_vnd=5 * M, parent_figure_id="r2-0001"),
        fund("r3-0001", amount_vnd=None),
        fund("r3-0002", amount_vnd=5 * M, parent_figure_id="r3-0001"),
        fund("r4-0002", amount_vnd=5 * M, parent_figure_id="r4-0001"),
    ]))
    rows = by_ids(frames["funding_components"])
    assert list(rows) == [("r1-0001", "r1-0002", "r1-0003", "r1-0004", "r1-0005")]
    row = rows[("r1-0001", "r1-0002", "r1-0003", "r1-0004", "r1-0005")]
    assert row["stated_total"] == 106_182 * M
    assert row["parts_sum"] == 106_164 * M
    assert row["relative_gap"] == pytest.approx(0.00016952, abs=1e-8)


def test_rates_list_the_disbursement_then_the_allocations_of_the_same_report():
    frames = derive(make_marts(funding=[
        fund("r2-0005", programme_code="PUBLIC_INVESTMENT", amount_vnd=1_000 * M),
        fund("r2-0001", programme_code="PUBLIC_INVESTMENT", amount_vnd=154_228 * M),
        fund("r2-0002", programme_code="PUBLIC_INVESTMENT", measure="disbursed", amount_vnd=109_475 * M,
             reported_rate_pct=70.98, computed_rate_pct=70.98),
        # not the allocation of r2-0002: a norm, another capital source, another programme, another report
        fund("r2-0003", programme_code="PUBLIC_INVESTMENT", amount_vnd=5 * M, per_unit="commune"),
        fund("r2-0004", programme_code="PUBLIC_INVESTMENT", capital_source="recurrent", amount_vnd=5 * M),
        fund("r2-0007", programme_code="NTM", amount_vnd=5 * M),
        fund("r9-0001", programme_code="PUBLIC_INVESTMENT", amount_vnd=5 * M),
        # a stated rate with nothing computed is not reconciled
        fund("r2-0006", programme_code="PUBLIC_INVESTMENT", measure="disbursed", reported_rate_pct=50.0),
        # a disbursement whose allocation is elsewhere: only itself
        fund("r3-0001", measure="disbursed", amount_vnd=80 * M, reported_rate_pct=80.0, computed_rate_pct=75.5),
    ]))
    rows = by_ids(frames["funding_rates"])
    assert set(rows) == {("r2-0002", "r2-0005", "r2-0001"), ("r3-0001",)}
    exact = rows[("r2-0002", "r2-0005", "r2-0001")]
    assert exact["rate_gap_pct_points"] == 0
    assert (exact["reported_rate_pct"], exact["computed_rate_pct"]) == (70.98, 70.98)
    assert rows[("r3-0001",)]["rate_gap_pct_points"] == pytest.approx(4.5)


def test_averages_need_the_words_one_total_and_one_count():
    sentence = "Tổng vốn 11.270 triệu đồng (Trung bình 2.254 triệu đồng/xã) cho 05 xã"
    frames = derive(make_marts(
        funding=[
            fund("r5-0001", amount_vnd=11_270 * M, sentence=sentence),
            fund("r5-0002", amount_vnd=2_254 * M, per_unit="commune", sentence=sentence),
            fund("r6-0001", amount_vnd=1_000 * M, sentence="1.000 triệu, bình quân 300 triệu/thôn, 3 thôn"),
            fund("r6-0002", amount_vnd=300 * M, per_unit="village",
                 sentence="1.000 triệu, bình quân 300 triệu/thôn, 3 thôn"),
            # no "trung bình"/"bình quân": a norm, not an average
            fund("r7-0001", amount_vnd=1_000 * M, sentence="1.000 triệu, 200 triệu/xã, 5 xã"),
            fund("r7-0002", amount_vnd=200 * M, per_unit="commune", sentence="1.000 triệu, 200 triệu/xã, 5 xã"),
            # two totals in the sentence: ambiguous
            fund("r8-0001", amount_vnd=1_000 * M, sentence="trung bình 2 tổng"),
            fund("r8-0002", amount_vnd=2_000 * M, sentence="trung bình 2 tổng"),
            fund("r8-0003", amount_vnd=200 * M, per_unit="commune", sentence="trung bình 2 tổng"),
            # a zero count
            fund("r9-0001", amount_vnd=1_000 * M, sentence="trung bình 0 xã"),
            fund("r9-0002", amount_vnd=200 * M, per_unit="commune", sentence="trung bình 0 xã"),
            # a per-unit with no indicator unit
            fund("r10-0001", amount_vnd=1_000 * M, sentence="trung bình /ha"),
            fund("r10-0002", amount_vnd=200 * M, per_unit="hectare", sentence="trung bình /ha"),
        ],
        indicators=[
            ind("r5-0003", unit="commune", actual_value=5.0, sentence=sentence),
            ind("r6-0003", unit="count", actual_value=3.0, sentence="1.000 triệu, bình quân 300 triệu/thôn, 3 thôn"),
            ind("r7-0003", unit="commune", actual_value=5.0, sentence="1.000 triệu, 200 triệu/xã, 5 xã"),
            ind("r8-0004", unit="commune", actual_value=5.0, sentence="trung bình 2 tổng"),
            ind("r9-0003", unit="commune", actual_value=0.0, sentence="trung bình 0 xã"),
            ind("r10-0003", unit="hectare", actual_value=5.0, sentence="trung bình /ha"),
        ]))
    rows = by_ids(frames["funding_averages"])
    assert set(rows) == {("r5-0002", "r5-0001", "r5-0003"), ("r6-0002", "r6-0001", "r6-0003")}
    commune = rows[("r5-0002", "r5-0001", "r5-0003")]
    assert commune == {"relative_gap": 0.0, "stated_average": 2_254 * M, "computed_average": 2_254 * M,
                       "total": 11_270 * M, "count": 5.0,
                       "figure_ids": '["r5-0002", "r5-0001", "r5-0003"]'}
    assert rows[("r6-0002", "r6-0001", "r6-0003")]["relative_gap"] == pytest.approx(1 / 9)


def test_pairs_group_by_unit_programme_source_start_and_year():
    frames = derive(make_marts(funding=[
        # two reports of unit 467, same programme, source, start and year of end: one pair
        fund("r11-0001", admin_unit_code="467", amount_vnd=100_000 * M, period_end=date(2020, 8, 30)),
        fund("r11-0002", admin_unit_code="467", measure="disbursed", amount_vnd=120_000 * M,
             period_end=date(2020, 8, 30)),
        fund("r12-0001", admin_unit_code="467", amount_vnd=50_000 * M),
        # excluded: a norm, a component, no amount, another measure
        fund("r12-0002", admin_unit_code="467", amount_vnd=7 * M, per_unit="commune"),
        fund("r12-0003", admin_unit_code="467", amount_vnd=7 * M, parent_figure_id="r12-0001"),
        fund("r12-0004", admin_unit_code="467", measure="disbursed", amount_vnd=None),
        fund("r12-0005", admin_unit_code="467", measure="planned", amount_vnd=7 * M),
        # another start: allocated only, no pair
        fund("r12-0006", admin_unit_code="467", amount_vnd=9 * M, period_start=date(2021, 1, 1)),
        # no admin unit: the report is the unit; a null end is a group of its own
        fund("r13-0001", admin_unit_code=None, amount_vnd=10 * M, period_end=None),
        fund("r13-0002", admin_unit_code=None, measure="disbursed", amount_vnd=4 * M, period_end=None),
        fund("r13-0003", admin_unit_code=None, measure="disbursed", amount_vnd=1 * M),
        fund("r14-0001", admin_unit_code=None, measure="disbursed", amount_vnd=1 * M, period_end=None),
    ]))
    rows = by_ids(frames["funding_pairs"])
    assert set(rows) == {("r11-0001", "r12-0001", "r11-0002"), ("r13-0001", "r13-0002")}
    assert rows[("r11-0001", "r12-0001", "r11-0002")] == {
        "excess_vnd": -30_000 * M, "allocated_vnd": 150_000 * M, "disbursed_vnd": 120_000 * M,
        "figure_ids": '["r11-0001", "r12-0001", "r11-0002"]'}
    assert rows[("r13-0001", "r13-0002")]["excess_vnd"] == -6 * M


def test_periods_codes_attainment_and_scorecards():
    frames = derive(make_marts(
        funding=[fund("r1-0001", period_start=date(2020, 1, 1), period_end=date(2020, 8, 30)),
                 fund("r1-0002", period_start=date(2020, 3, 1), period_end=date(2020, 1, 1)),
                 fund("r1-0003", period_end=None)],
        indicators=[ind("r3-0001", indicator_code="BUDGET_REVENUE_DOMESTIC", unit="VND", actual_value=3_930 * M,
                        attainment_pct=78.17),
                    ind("r3-0002", indicator_code="POVERTY_RATE", unit="percent", target_value=5.0, actual_value=4.0,
                        attainment_pct=78.17, computed_attainment_pct=80.0)],
        scorecards=[{"figure_id": "r4-0001", "report_id": "r4", "admin_unit_code": "465", "indicators_total": 27,
                     "indicators_met_or_exceeded": 24, "indicators_exceeded": 10},
                    {"figure_id": "r4-0002", "report_id": "r4", "admin_unit_code": "465", "indicators_total": 27,
                     "indicators_met_or_exceeded": 30, "indicators_exceeded": None}]))
    assert records(frames["funding_periods"]) == [{"period_days": 242, "figure_ids": '["r1-0001"]'},
                                                  {"period_days": -60, "figure_ids": '["r1-0002"]'}]
    assert records(frames["indicator_codes"]) == [
        {"indicator_code": "BUDGET_REVENUE_DOMESTIC", "figure_ids": '["r3-0001"]'},
        {"indicator_code": "POVERTY_RATE", "figure_ids": '["r3-0002"]'}]
    [attainment] = records(frames["indicator_attainment"])
    assert attainment["figure_ids"] == '["r3-0002"]'
    assert attainment["gap_pct_points"] == pytest.approx(1.83)
    assert records(frames["scorecards"]) == [
        {"met_minus_total": -3.0, "exceeded_minus_met": -14.0, "indicators_met_or_exceeded": 24.0,
         "indicators_total": 27.0, "indicators_exceeded": 10.0, "figure_ids": '["r4-0001"]'},
        {"met_minus_total": 3.0, "exceeded_minus_met": None, "indicators_met_or_exceeded": 30.0,
         "indicators_total": 27.0, "indicators_exceeded": None, "figure_ids": '["r4-0002"]'}]


def test_bounds_one_row_per_stated_value_where_the_units_agree():
    frames = derive(make_marts(indicators=[
        ind("r3-0001", indicator_code="POVERTY_RATE", unit="percent", target_value=5.0, actual_value=104.0),
        ind("r3-0002", indicator_code="POVERTY_RATE", unit="VND", actual_value=104.0),  # not the catalogue's unit
        ind("r3-0003", indicator_code="BUDGET_REVENUE_DOMESTIC", unit="VND", actual_value=-1.0),
        ind("r3-0004", indicator_code="UNMAPPED", unit="other", target_value=7.0),
        # not in the catalogue, or no unit: a null unit matches nothing (not even a missing catalogue entry)
        ind("r3-0005", indicator_code="NOT_IN_CATALOGUE", unit=None, actual_value=1.0),
        ind("r3-0006", indicator_code="NOT_IN_CATALOGUE", unit="other", actual_value=1.0),
        ind("r3-0007", indicator_code="UNMAPPED", unit=None, actual_value=1.0),
    ]))
    assert records(frames["indicator_bounds"]) == [
        {"out_of_bounds": 0, "value": 5.0, "min_value": 0.0, "max_value": 100.0, "figure_ids": '["r3-0001"]'},
        {"out_of_bounds": 1, "value": 104.0, "min_value": 0.0, "max_value": 100.0, "figure_ids": '["r3-0001"]'},
        {"out_of_bounds": 1, "value": -1.0, "min_value": 0.0, "max_value": None, "figure_ids": '["r3-0003"]'},
        {"out_of_bounds": 0, "value": 7.0, "min_value": None, "max_value": None, "figure_ids": '["r3-0004"]'},
    ]


def yields(values: list[float | None], prefix: str = "y", unit: str | None = "ton_per_ha") -> list[dict]:
    """One rice yield per district (district i is unit U{i})."""
    return [ind(f"{prefix}{i}-0001", admin_unit_code=f"U{i}", indicator_code="RICE_YIELD", unit=unit,
                actual_value=v) for i, v in enumerate(values)]


def test_outliers_modified_z_per_indicator_and_unit():
    frames = derive(make_marts(indicators=[
        *yields([10.0, 11.0, 12.0, 13.0, 100.0, None]),
        *yields([1.0, 2.0, 3.0, 400.0], prefix="small", unit="kg"),  # fewer than 5 values: no judgement
        *yields([5.0, 5.0, 5.0, 6.0, 50.0], prefix="flat", unit="quintal"),  # MAD 0: z = 0
        *[ind(f"u{i}-0001", indicator_code="UNMAPPED", actual_value=float(i ** 3)) for i in range(6)],
        *yields([1.0, 1.0, 1.0, 1.0, 1.0], prefix="nounit", unit=None),  # no unit: no group
    ]))
    rows = {r["figure_ids"]: r for r in records(frames["indicator_outliers"])}
    assert len(rows) == 10
    assert rows['["y4-0001"]']["modified_z"] == pytest.approx(59.356)
    assert rows['["y0-0001"]']["modified_z"] == pytest.approx(1.349)
    assert rows['["y2-0001"]'] == {"modified_z": 0.0, "value": 12.0, "median": 12.0,
                                       "figure_ids": '["y2-0001"]'}
    assert all(rows[f'["flat{i}-0001"]']["modified_z"] == 0.0 for i in range(5))


def test_divisions_round_as_python_does_even_by_a_single_group_value():
    # one group (its MAD joined from one row): 0.6745 * 2.5 / 1.5 must not be taken as 0.6745 * 2.5 * (1 / 1.5)
    frames = derive(make_marts(
        funding=[fund("r1-0001", amount_vnd=1.5e6), fund("r1-0002", amount_vnd=4e6, parent_figure_id="r1-0001")],
        indicators=yields([3.0, 4.0, 5.5, 7.0, 8.0])))
    rows = {r["figure_ids"]: r for r in records(frames["indicator_outliers"])}
    assert rows['["y0-0001"]']["modified_z"] == 0.6745 * 2.5 / 1.5
    assert records(frames["funding_components"])[0]["relative_gap"] == abs(4e6 - 1.5e6) / 1.5e6


@pytest.mark.parametrize("n", [3, 7, 8, 13, 200])
def test_sums_are_pandas_sums_to_the_last_bit(n):
    amounts = [float(v) for v in np.random.default_rng(n).uniform(1e9, 1e11, n)]
    frames = derive(make_marts(funding=[
        fund("t-0000", amount_vnd=1e12),
        *[fund(f"t-{i + 1:04d}", amount_vnd=a, parent_figure_id="t-0000") for i, a in enumerate(amounts)],
        *[fund(f"a-{i:04d}", admin_unit_code="A", amount_vnd=a) for i, a in enumerate(amounts)],
        *[fund(f"d-{i:04d}", admin_unit_code="A", measure="disbursed", amount_vnd=a / 3)
          for i, a in enumerate(amounts)],
    ]))
    expected = float(pd.Series(amounts).sum())
    [component] = records(frames["funding_components"])
    assert component["parts_sum"] == expected
    assert component["relative_gap"] == abs(expected - 1e12) / 1e12
    [pair] = records(frames["funding_pairs"])
    assert pair["allocated_vnd"] == expected
    assert pair["disbursed_vnd"] == float(pd.Series([a / 3 for a in amounts]).sum())


def test_figure_ids_are_json_even_for_odd_ids():
    frames = derive(make_marts(funding=[
        fund('bá"o-0001', amount_vnd=10 * M), fund("x\\y-0002", amount_vnd=4 * M, parent_figure_id='bá"o-0001'),
        fund("plain-0003", amount_vnd=6 * M, parent_figure_id='bá"o-0001')]))
    [row] = records(frames["funding_components"])
    assert row["figure_ids"] == json.dumps(['bá"o-0001', "plain-0003", "x\\y-0002"])
    assert records(frames["funding_periods"])[0]["figure_ids"] == '["b\\u00e1\\"o-0001"]'


def test_columns_order_and_dtypes_including_empty_marts():
    for marts in (make_marts(), make_marts(
            funding=[fund("r1-0001", amount_vnd=10 * M), fund("r1-0002", amount_vnd=10 * M, parent_figure_id="r1-0001"),
                     fund("r1-0003", measure="disbursed", amount_vnd=5 * M, reported_rate_pct=50.0,
                          computed_rate_pct=50.0)],
            indicators=[*yields([1.0, 2.0, 3.0, 4.0, 5.0]),
                        ind("r2-0001", indicator_code="POVERTY_RATE", unit="percent", actual_value=3.0,
                            attainment_pct=1.0, computed_attainment_pct=1.0)],
            scorecards=[{"figure_id": "r4-0001", "report_id": "r4", "indicators_total": 3}])):
        frames = derive(marts)
        assert list(frames) == list(FRAME_COLUMNS)
        for name, frame in frames.items():
            assert isinstance(frame, pd.DataFrame)
            assert list(frame.columns) == ["row_key", *FRAME_COLUMNS[name], "figure_ids"]
            assert frame["figure_ids"].dtype == object
            assert list(frame["row_key"]) == list(range(len(frame)))
            for column in FRAME_COLUMNS[name]:
                if column == "indicator_code":
                    assert frame[column].dtype == object
                elif len(frame) and column not in ("period_days", "out_of_bounds"):
                    assert frame[column].dtype == "float64", (name, column, frame[column].dtype)


# --- units= --------------------------------------------------------------------------------------


def test_units_keep_only_rows_involving_figures_of_those_units():
    marts = make_marts(
        funding=[fund("a-0001", admin_unit_code="A", amount_vnd=10 * M),
                 fund("a-0002", admin_unit_code="A", amount_vnd=10 * M, parent_figure_id="a-0001"),
                 fund("a-0003", admin_unit_code="A", measure="disbursed", amount_vnd=4 * M, reported_rate_pct=40.0,
                      computed_rate_pct=40.0),
                 fund("b-0001", admin_unit_code="B", amount_vnd=10 * M),
                 fund("b-0002", admin_unit_code="B", amount_vnd=11 * M, parent_figure_id="b-0001"),
                 fund("b-0003", admin_unit_code="B", measure="disbursed", amount_vnd=12 * M),
                 # no admin unit: the report id is the unit key
                 fund("c-0001", admin_unit_code=None, amount_vnd=1 * M),
                 fund("c-0002", admin_unit_code=None, measure="disbursed", amount_vnd=2 * M)],
        indicators=[ind("a-0004", admin_unit_code="A", indicator_code="POVERTY_RATE", unit="percent",
                        actual_value=3.0),
                    ind("b-0004", admin_unit_code="B", indicator_code="POVERTY_RATE", unit="percent",
                        actual_value=300.0)],
        scorecards=[{"figure_id": "a-0005", "report_id": "a", "admin_unit_code": "A", "indicators_total": 3},
                    {"figure_id": "b-0005", "report_id": "b", "admin_unit_code": "B", "indicators_total": 3}])
    everything = derive(marts)
    only_a = derive(marts, units={"A"})
    only_b_c = derive(marts, units=["B", "c"])
    unit_of = {i: i[0] for i in ("a-0001", "a-0002", "a-0003", "a-0004", "a-0005", "b-0001", "b-0002", "b-0003",
                                 "b-0004", "b-0005", "c-0001", "c-0002")}
    for name in FRAME_COLUMNS:
        for frame, scope in ((only_a, {"a"}), (only_b_c, {"b", "c"})):
            expected = [r for r in records(everything[name])
                        if any(unit_of[i] in scope for i in json.loads(r["figure_ids"]))]
            assert records(frame[name]) == expected, name
            assert list(frame[name]["row_key"]) == list(range(len(frame[name])))
    assert by_ids(only_a["funding_components"]).keys() == {("a-0001", "a-0002")}
    assert by_ids(only_b_c["funding_pairs"]).keys() == {("b-0001", "b-0003"), ("c-0001", "c-0002")}
    assert by_ids(only_a["funding_pairs"]).keys() == {("a-0001", "a-0003")}
    assert all(len(f) == 0 for f in derive(marts, units=set()).values())


def test_an_outlier_in_scope_is_judged_against_the_whole_population():
    marts = make_marts(indicators=yields([10.0, 11.0, 12.0, 13.0, 100.0]))
    far = derive(marts, units={"U4"})["indicator_outliers"]
    assert records(far) == [{"modified_z": pytest.approx(59.356), "value": 100.0, "median": 12.0,
                              "figure_ids": '["y4-0001"]'}]
    typical = derive(marts, units={"U2", "U0"})["indicator_outliers"]
    assert [(r["figure_ids"], r["modified_z"]) for r in records(typical)] == [
        ('["y0-0001"]', pytest.approx(1.349)), ('["y2-0001"]', 0.0)]


# --- property tests against a plain reference ----------------------------------------------------

REPORTS = ("r1", "r2", "r3")


@st.composite
def funding_rows(draw) -> list[dict]:
    n = draw(st.integers(0, 14))
    rows = []
    for i in range(n):
        report = draw(st.sampled_from(REPORTS))
        rows.append({
            "figure_id": f"{report}-{i:04d}", "report_id": report,
            "admin_unit_code": draw(st.sampled_from([None, "A", "B"])),
            "programme_code": draw(st.sampled_from([None, "P", "Q"])),
            "capital_source": draw(st.sampled_from([None, "investment"])),
            "measure": draw(st.sampled_from(["allocated", "disbursed", "planned"])),
            "amount_vnd": draw(st.one_of(st.none(), st.just(0.0), st.integers(-5, 500).map(lambda v: v * 1e6),
                                         st.floats(0.001, 500.0).map(lambda v: v * 1e6))),
            "period_start": draw(st.sampled_from([None, date(2020, 1, 1), date(2021, 1, 1)])),
            "period_end": draw(st.sampled_from([None, date(2020, 6, 30), date(2020, 12, 31), date(2021, 6, 30)])),
            "per_unit": draw(st.sampled_from([None, None, "commune"])),
            "parent_figure_id": None,
        })
    for row in rows:  # parents: another figure, or an unknown one, or none
        row["parent_figure_id"] = draw(st.one_of(st.none(), st.none(), st.just("r9-9999"),
                                                 st.sampled_from([r["figure_id"] for r in rows])))
    return rows


def reference_components(rows: list[dict]) -> list[tuple]:
    out = []
    for total in rows:
        parts = [r for r in rows if r["parent_figure_id"] == total["figure_id"] and r["amount_vnd"] is not None]
        if not parts or total["amount_vnd"] is None or total["amount_vnd"] == 0:
            continue
        stated, parts_sum = total["amount_vnd"], float(np.sum([r["amount_vnd"] for r in parts]))  # as pandas adds
        ids = [total["figure_id"], *sorted(r["figure_id"] for r in parts)]
        out.append((json.dumps(ids), abs(parts_sum - stated) / stated, stated, parts_sum))
    return sorted(out)


def reference_pairs(rows: list[dict]) -> list[tuple]:
    groups: dict[tuple, list[dict]] = {}
    for r in rows:
        if (r["per_unit"] is None and r["parent_figure_id"] is None and r["amount_vnd"] is not None
                and r["measure"] in ("allocated", "disbursed")):
            key = (r["admin_unit_code"] or r["report_id"], r["programme_code"], r["capital_source"],
                   r["period_start"], r["period_end"] and r["period_end"].year)
            groups.setdefault(key, []).append(r)
    out = []
    for members in groups.values():
        allocated = [r for r in members if r["measure"] == "allocated"]
        disbursed = [r for r in members if r["measure"] == "disbursed"]
        if allocated and disbursed:
            a = float(np.sum([r["amount_vnd"] for r in allocated]))
            d = float(np.sum([r["amount_vnd"] for r in disbursed]))
            out.append((json.dumps([r["figure_id"] for r in allocated + disbursed]), d - a, a, d))
    return sorted(out)


def reference_rates(rows: list[dict]) -> list[tuple]:
    out = []
    for r in rows:
        if r["measure"] != "disbursed" or r.get("reported_rate_pct") is None or r.get("computed_rate_pct") is None:
            continue
        allocated = [a["figure_id"] for a in rows if a["measure"] == "allocated" and a["per_unit"] is None
                     and a["report_id"] == r["report_id"] and a["programme_code"] is not None
                     and a["programme_code"] == r["programme_code"] and a["capital_source"] is not None
                     and a["capital_source"] == r["capital_source"]]
        out.append((json.dumps([r["figure_id"], *allocated]), abs(r["reported_rate_pct"] - r["computed_rate_pct"])))
    return sorted(out)


def tuples(frame: pd.DataFrame, columns: list[str]) -> list[tuple]:
    return sorted(tuple(_clean(v) for v in row) for row in frame[["figure_ids", *columns]].itertuples(index=False))


def assert_same(actual: list[tuple], expected: list[tuple]) -> None:
    """Same figure_ids in the same order, numbers equal to rounding."""
    assert [r[0] for r in actual] == [r[0] for r in expected]
    assert [r[1:] for r in actual] == [pytest.approx(r[1:], rel=1e-12, abs=1e-12) for r in expected]


# The number of examples comes from the Hypothesis profile (tests/conftest.py): 150 in `make test`, 15 in
# the fast tier. Each example makes one or two derived_frames calls (about 150 small Polars queries,
# 30-80 ms), so 150 examples of the five tests take about 60 s
PROPERTY = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(funding_rows())
def test_components_match_the_reference(rows):
    frame = derive(make_marts(funding=rows))["funding_components"]
    assert tuples(frame, ["relative_gap", "stated_total", "parts_sum"]) == reference_components(rows)


@PROPERTY
@given(funding_rows())
def test_pairs_match_the_reference(rows):
    frame = derive(make_marts(funding=rows))["funding_pairs"]
    assert tuples(frame, ["excess_vnd", "allocated_vnd", "disbursed_vnd"]) == reference_pairs(rows)


@PROPERTY
@given(funding_rows(), st.data())
def test_rates_match_the_reference(rows, data):
    for row in rows:
        row["reported_rate_pct"] = data.draw(st.sampled_from([None, 50.0, 70.98]))
        row["computed_rate_pct"] = data.draw(st.sampled_from([None, 50.0, 71.0]))
    frame = derive(make_marts(funding=rows))["funding_rates"]
    assert_same(tuples(frame, ["rate_gap_pct_points"]), reference_rates(rows))


@PROPERTY
@given(st.lists(st.tuples(st.sampled_from(["RICE_YIELD", "UNMAPPED", "POVERTY_RATE"]),
                          st.sampled_from(["ton_per_ha", "percent", None]),
                          st.one_of(st.none(), st.integers(0, 8).map(float), st.just(1000.0))), max_size=16))
def test_outliers_match_the_reference(values):
    rows = [ind(f"r{i}-0001", indicator_code=code, unit=unit, actual_value=v) for i, (code, unit, v)
            in enumerate(values)]
    groups: dict[tuple, list[dict]] = {}
    for r in rows:
        if r["indicator_code"] != "UNMAPPED" and r["unit"] is not None and r["actual_value"] is not None:
            groups.setdefault((r["indicator_code"], r["unit"]), []).append(r)
    expected = []
    for members in groups.values():
        if len(members) < 5:
            continue
        median = statistics.median(r["actual_value"] for r in members)
        mad = statistics.median(abs(r["actual_value"] - median) for r in members)
        expected += [(json.dumps([r["figure_id"]]), 0.0 if mad == 0 else 0.6745 * abs(r["actual_value"] - median) / mad,
                      r["actual_value"]) for r in members]
    frame = derive(make_marts(indicators=rows))["indicator_outliers"]
    assert_same(tuples(frame, ["modified_z", "value"]), sorted(expected))


@PROPERTY
@given(funding_rows(), st.sets(st.sampled_from(["A", "B", "r1", "r2", "r3"])))
def test_units_filter_equals_filtering_everything(rows, units):
    marts = make_marts(funding=rows, indicators=[
        ind(f"{r['report_id']}-1{i:03d}", report_id=r["report_id"], admin_unit_code=r["admin_unit_code"],
            indicator_code="RICE_YIELD", unit="ton_per_ha", actual_value=float(i % 4), target_value=1.0)
        for i, r in enumerate(rows)])
    unit_of = {r["figure_id"]: r["admin_unit_code"] or r["report_id"]
               for name in ("fct_programme_funding", "fct_indicator_attainment")
               for r in marts[name].iter_rows(named=True)}
    everything, scoped = derive(marts), derive(marts, units=units)
    for name in FRAME_COLUMNS:
        expected = [r for r in records(everything[name])
                    if any(unit_of[i] in units for i in json.loads(r["figure_ids"]))]
        assert records(scoped[name]) == expected, name
