"""The reconciliation models (dbt_project/models/intermediate/int_checks__*.sql) on hand-made mart rows: their
rows and values, the figures each row names, and what validation reads of them (expectations.validate.check_rows:
the scope's rows, in a fixed order). Property tests compare them with a plain reference computed here.

The models are built once by dbt (the marts they read built ``--empty`` on a warehouse holding only the raw
tables); each test then fills the marts with its rows and reads the views.
"""

from __future__ import annotations

import json
import statistics
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from expectations.suites import CHECKS
from expectations.validate import CHECK_FRAMES, Scope, check_rows, read_marts
from sources import warehouse
from tests.dbt.build import dbt_build

pytestmark = pytest.mark.slow

MARTS = ("fct_programme_funding", "fct_indicator_attainment", "fct_district_scorecard", "dim_indicator")
CATALOGUE = [
    {"indicator_code": "POVERTY_RATE", "unit": "percent", "min_value": 0.0, "max_value": 100.0},
    {"indicator_code": "BUDGET_REVENUE_DOMESTIC", "unit": "VND", "min_value": 0.0, "max_value": None},
    {"indicator_code": "RICE_YIELD", "unit": "ton_per_ha", "min_value": None, "max_value": None},
    {"indicator_code": "UNMAPPED", "unit": "other", "min_value": None, "max_value": None},
]
M = 1_000_000  # amounts are stated in millions of đồng
EVERYTHING = Scope(None, None)


@pytest.fixture(scope="module")
def checks_warehouse(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("checks") / "checks.duckdb"
    with warehouse.open_warehouse(path) as con:
        warehouse.ensure_raw_schema(con)
    models = [relation.split(".")[1] for relation in CHECK_FRAMES.values()]
    # the marts they read, empty; then the models themselves (built --empty, a view would read nothing)
    # (and the completeness model read_marts reads beside them)
    dbt_build(path, "--select", *[f"+{model}" for model in models], "+int_reporting_units__completeness", "--empty",
              "--exclude-resource-type", "unit_test", "test")
    dbt_build(path, "--select", *models, "--exclude-resource-type", "unit_test", "test")
    return path


@pytest.fixture(scope="module")
def con(checks_warehouse: Path):
    connection = duckdb.connect(str(checks_warehouse))
    yield connection
    connection.close()


def _fill(con, mart: str, rows: list[dict]) -> None:
    con.execute(f"delete from marts.{mart}")
    if not rows:
        return
    columns = sorted({c for r in rows for c in r})
    frame = pl.DataFrame([{c: r.get(c) for c in columns} for r in rows], infer_schema_length=None,
                         schema_overrides={"amount_vnd": pl.Int64} if "amount_vnd" in columns else None)
    con.register("given_rows", frame.to_arrow())
    try:
        con.execute(f"insert into marts.{mart} by name select * from given_rows")
    finally:
        con.unregister("given_rows")


def derive(con, funding=(), indicators=(), scorecards=(), catalogue=CATALOGUE, units=None,
           only=tuple(CHECK_FRAMES)) -> dict[str, pd.DataFrame]:
    """The check models' rows on these marts (every model, or ``only`` those), as validation reads them
    (``units``: an incremental run's)."""
    for mart, rows in zip(MARTS, (funding, indicators, scorecards, catalogue), strict=True):
        # the order the report states them in: a row's char_start is its place in the list
        _fill(con, mart, [{"char_start": i, **r} if mart != "dim_indicator" else r for i, r in enumerate(rows)])
    scope = EVERYTHING if units is None else Scope(frozenset(units), None)
    return {frame: check_rows(con.sql(f"select * from {relation}").pl(), scope)
            for frame, relation in CHECK_FRAMES.items() if frame in only}


def records(frame: pd.DataFrame) -> list[dict]:
    """The rows without row_key and unit_keys, nulls as None, in the order validation reads them."""
    return [{k: (None if v is None or v != v else v) for k, v in row.items() if k not in ("row_key", "unit_keys")}
            for row in frame.to_dict("records")]


def by_ids(frame: pd.DataFrame) -> dict[tuple[str, ...], dict]:
    rows = records(frame)
    keyed = {tuple(json.loads(r["figure_ids"])): r for r in rows}
    assert len(keyed) == len(rows)
    return keyed


def fund(figure_id: str, **kw) -> dict:
    report_id = figure_id.rsplit("-", 1)[0]
    row = {"figure_id": figure_id, "report_id": report_id, "unit_key": "465", "programme_code": "NTM",
           "capital_source": "investment", "measure": "allocated", "period_start": date(2020, 1, 1),
           "period_end": date(2020, 12, 31), "sentence": "s"}
    return {**row, **kw}


def ind(figure_id: str, **kw) -> dict:
    report_id = figure_id.rsplit("-", 1)[0]
    row = {"figure_id": figure_id, "report_id": report_id, "unit_key": "465", "indicator_code": "UNMAPPED",
           "unit": "other", "sentence": "s"}
    return {**row, **kw}


def card(figure_id: str, **kw) -> dict:
    return {"figure_id": figure_id, "report_id": figure_id.rsplit("-", 1)[0], "unit_key": "465", **kw}


# --- what the suites read --------------------------------------------------------------------------


def test_every_check_reads_columns_its_model_has(con):
    frames = derive(con)
    checked = [c for c in CHECKS if c.frame in CHECK_FRAMES]
    assert {c.frame for c in checked} == set(CHECK_FRAMES) and len(CHECK_FRAMES) == 10
    for check in checked:
        columns = set(frames[check.frame].columns)
        assert {"row_key", "figure_ids", "unit_keys"} <= columns
        read = {check.kwargs["column"], check.stated, check.computed, check.difference, check.difference_pct} - {None}
        placeholders = {p for p in check.tolerance.replace("}", "{").split("{")[1::2]}
        assert read | placeholders <= columns, (check.name, (read | placeholders) - columns)


def test_the_models_are_the_int_checks_views_of_the_project():
    models = Path(__file__).resolve().parents[2] / "dbt_project" / "models" / "intermediate"
    assert {f"intermediate.{p.stem}" for p in models.glob("int_checks__*.sql")} == set(CHECK_FRAMES.values())


# --- specific values -----------------------------------------------------------------------------


def test_components_sum_against_stated_total(con):
    frames = derive(con, funding=[
        fund("r1-0001", amount_vnd=106_182 * M),
        # parts listed out of order: figure_ids lists the total, then the parts sorted
        fund("r1-0005", amount_vnd=36_295 * M, parent_figure_id="r1-0001"),
        fund("r1-0003", amount_vnd=19_740 * M, parent_figure_id="r1-0001"),
        fund("r1-0002", amount_vnd=24_257 * M, parent_figure_id="r1-0001"),
        fund("r1-0004", amount_vnd=25_872 * M, parent_figure_id="r1-0001", unit_key="466"),
        fund("r1-0006", amount_vnd=None, parent_figure_id="r1-0001"),  # a part without amount is left out
        # a zero total and a total without amount are not reconciled; nor are parts of an unknown total
        fund("r2-0001", amount_vnd=0),
        fund("r2-0002", amount_vnd=5 * M, parent_figure_id="r2-0001"),
        fund("r3-0001", amount_vnd=None),
        fund("r3-0002", amount_vnd=5 * M, parent_figure_id="r3-0001"),
        fund("r4-0002", amount_vnd=5 * M, parent_figure_id="r4-0001"),
    ])
    [row] = frames["funding_components"].to_dict("records")
    assert row["figure_ids"] == '["r1-0001", "r1-0002", "r1-0003", "r1-0004", "r1-0005"]'
    assert row["unit_keys"] == '["465", "466"]'
    assert row["stated_total"] == 106_182 * M
    assert row["parts_sum"] == 106_164 * M
    assert row["relative_gap"] == pytest.approx(18 / 106_182, rel=1e-12)


def test_rates_list_the_disbursement_then_the_allocations_of_the_same_report(con):
    frames = derive(con, funding=[
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
    ])
    rows = by_ids(frames["funding_rates"])
    # the allocations in the order the report states them (r2-0005 comes first), not by id
    assert set(rows) == {("r2-0002", "r2-0005", "r2-0001"), ("r3-0001",)}
    exact = rows[("r2-0002", "r2-0005", "r2-0001")]
    assert (exact["rate_gap_pct_points"], exact["reported_rate_pct"], exact["computed_rate_pct"]) == (0, 70.98, 70.98)
    assert rows[("r3-0001",)]["rate_gap_pct_points"] == pytest.approx(4.5)


def test_averages_need_the_words_one_total_and_one_count(con):
    sentence = "Tổng vốn 11.270 triệu đồng (Trung bình 2.254 triệu đồng/xã) cho 05 xã"
    village = "1.000 triệu, BÌNH QUÂN 300 triệu/thôn, 3 thôn"
    frames = derive(
        con,
        funding=[
            fund("r5-0001", amount_vnd=11_270 * M, sentence=sentence),
            fund("r5-0002", amount_vnd=2_254 * M, per_unit="commune", sentence=sentence),
            fund("r6-0001", amount_vnd=1_000 * M, sentence=village),
            fund("r6-0002", amount_vnd=300 * M, per_unit="village", sentence=village),
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
            # a stated average of zero against a non-zero one: infinitely far
            fund("r11-0001", amount_vnd=1_000 * M, sentence="trung bình 0 đồng/xã, 4 xã"),
            fund("r11-0002", amount_vnd=0, per_unit="commune", sentence="trung bình 0 đồng/xã, 4 xã"),
        ],
        indicators=[
            ind("r5-0003", unit="commune", actual_value=5.0, sentence=sentence),
            ind("r6-0003", unit="count", actual_value=3.0, sentence=village),
            ind("r7-0003", unit="commune", actual_value=5.0, sentence="1.000 triệu, 200 triệu/xã, 5 xã"),
            ind("r8-0004", unit="commune", actual_value=5.0, sentence="trung bình 2 tổng"),
            ind("r9-0003", unit="commune", actual_value=0.0, sentence="trung bình 0 xã"),
            ind("r10-0003", unit="hectare", actual_value=5.0, sentence="trung bình /ha"),
            ind("r11-0003", unit="commune", actual_value=4.0, sentence="trung bình 0 đồng/xã, 4 xã"),
        ])
    rows = by_ids(frames["funding_averages"])
    assert set(rows) == {("r5-0002", "r5-0001", "r5-0003"), ("r6-0002", "r6-0001", "r6-0003"),
                         ("r11-0002", "r11-0001", "r11-0003")}
    assert rows[("r5-0002", "r5-0001", "r5-0003")] == {
        "relative_gap": 0.0, "stated_average": 2_254 * M, "computed_average": 2_254 * M, "total": 11_270 * M,
        "count": 5.0, "figure_ids": '["r5-0002", "r5-0001", "r5-0003"]'}
    assert rows[("r6-0002", "r6-0001", "r6-0003")]["relative_gap"] == pytest.approx(1 / 9)
    assert rows[("r11-0002", "r11-0001", "r11-0003")]["relative_gap"] == float("inf")


def test_pairs_group_by_unit_programme_source_start_and_year(con):
    frames = derive(con, funding=[
        # two reports of unit 467, same programme, source, start and year of end: one pair
        fund("r11-0001", unit_key="467", amount_vnd=100_000 * M, period_end=date(2020, 8, 30)),
        fund("r11-0002", unit_key="467", measure="disbursed", amount_vnd=120_000 * M, period_end=date(2020, 8, 30)),
        fund("r12-0001", unit_key="467", amount_vnd=50_000 * M),
        # excluded: a norm, a component, no amount, another measure
        fund("r12-0002", unit_key="467", amount_vnd=7 * M, per_unit="commune"),
        fund("r12-0003", unit_key="467", amount_vnd=7 * M, parent_figure_id="r12-0001"),
        fund("r12-0004", unit_key="467", measure="disbursed", amount_vnd=None),
        fund("r12-0005", unit_key="467", measure="planned", amount_vnd=7 * M),
        # another start: allocated only, no pair
        fund("r12-0006", unit_key="467", amount_vnd=9 * M, period_start=date(2021, 1, 1)),
        # no admin unit: the report is the unit; a null end is a group of its own
        fund("r13-0001", unit_key="r13", amount_vnd=10 * M, period_end=None),
        fund("r13-0002", unit_key="r13", measure="disbursed", amount_vnd=4 * M, period_end=None),
        fund("r13-0003", unit_key="r13", measure="disbursed", amount_vnd=1 * M),
        fund("r14-0001", unit_key="r14", measure="disbursed", amount_vnd=1 * M, period_end=None),
    ])
    assert frames["funding_pairs"].to_dict("records") == [
        {"row_key": 0, "excess_vnd": -30_000 * M, "allocated_vnd": 150_000 * M, "disbursed_vnd": 120_000 * M,
         "figure_ids": '["r11-0001", "r12-0001", "r11-0002"]', "unit_keys": '["467"]'},
        {"row_key": 1, "excess_vnd": -6 * M, "allocated_vnd": 10 * M, "disbursed_vnd": 4 * M,
         "figure_ids": '["r13-0001", "r13-0002"]', "unit_keys": '["r13"]'}]


def test_pairs_are_the_groups_the_rates_are_computed_from(con, checks_warehouse):
    """int_figures__funding and int_checks__funding_pairs take the pairing rule from one macro: the compiled
    SQL of both names the same grouping (a figure's rate comes from the group its pair row is)."""
    compiled = checks_warehouse.parent / "dbt_target" / "compiled" / "provreport" / "models" / "intermediate"
    rates = (compiled / "int_figures__funding.sql").read_text()
    pairs = (compiled / "int_checks__funding_pairs.sql").read_text()
    rule = "pair_amounts.per_unit is null\n    and pair_amounts.parent_figure_id is null"
    assert rule in rates and rule in pairs
    assert "group by 1, 2, 3, 4, 5" in rates and "group by 1, 2, 3, 4, 5" in pairs


def test_periods_codes_attainment_and_scorecards(con):
    frames = derive(
        con,
        funding=[fund("r1-0001", period_start=date(2020, 1, 1), period_end=date(2020, 8, 30)),
                 fund("r1-0002", period_start=date(2020, 3, 1), period_end=date(2020, 1, 1)),
                 fund("r1-0003", period_end=None)],
        indicators=[ind("r3-0001", indicator_code="BUDGET_REVENUE_DOMESTIC", unit="VND", actual_value=3_930 * M,
                        attainment_pct=78.17),
                    ind("r3-0002", indicator_code="POVERTY_RATE", unit="percent", target_value=5.0, actual_value=4.0,
                        attainment_pct=78.17, computed_attainment_pct=80.0)],
        scorecards=[card("r4-0001", indicators_total=27, indicators_met_or_exceeded=24, indicators_exceeded=10),
                    card("r4-0002", indicators_total=27, indicators_met_or_exceeded=30)])
    assert records(frames["funding_periods"]) == [{"period_days": 242, "figure_ids": '["r1-0001"]'},
                                                  {"period_days": -60, "figure_ids": '["r1-0002"]'}]
    assert records(frames["indicator_codes"]) == [
        {"indicator_code": "BUDGET_REVENUE_DOMESTIC", "figure_ids": '["r3-0001"]'},
        {"indicator_code": "POVERTY_RATE", "figure_ids": '["r3-0002"]'}]
    [attainment] = records(frames["indicator_attainment"])
    assert attainment["figure_ids"] == '["r3-0002"]'
    assert attainment["gap_pct_points"] == pytest.approx(1.83)
    assert records(frames["scorecards"]) == [
        {"met_minus_total": -3, "exceeded_minus_met": -14, "indicators_met_or_exceeded": 24,
         "indicators_total": 27, "indicators_exceeded": 10, "figure_ids": '["r4-0001"]'},
        {"met_minus_total": 3, "exceeded_minus_met": None, "indicators_met_or_exceeded": 30,
         "indicators_total": 27, "indicators_exceeded": None, "figure_ids": '["r4-0002"]'}]


def test_bounds_one_row_per_stated_value_where_the_units_agree(con):
    frames = derive(con, indicators=[
        ind("r3-0001", indicator_code="POVERTY_RATE", unit="percent", target_value=5.0, actual_value=104.0),
        ind("r3-0002", indicator_code="POVERTY_RATE", unit="VND", actual_value=104.0),  # not the catalogue's unit
        ind("r3-0003", indicator_code="BUDGET_REVENUE_DOMESTIC", unit="VND", actual_value=-1.0),
        ind("r3-0004", indicator_code="UNMAPPED", unit="other", target_value=7.0),
        # not in the catalogue, or no unit: a null unit matches nothing (not even a missing catalogue entry)
        ind("r3-0005", indicator_code="NOT_IN_CATALOGUE", unit=None, actual_value=1.0),
        ind("r3-0006", indicator_code="NOT_IN_CATALOGUE", unit="other", actual_value=1.0),
        ind("r3-0007", indicator_code="UNMAPPED", unit=None, actual_value=1.0),
    ])
    assert records(frames["indicator_bounds"]) == [
        {"out_of_bounds": 0, "value": 5.0, "min_value": 0.0, "max_value": 100.0, "figure_ids": '["r3-0001"]'},
        {"out_of_bounds": 1, "value": 104.0, "min_value": 0.0, "max_value": 100.0, "figure_ids": '["r3-0001"]'},
        {"out_of_bounds": 1, "value": -1.0, "min_value": 0.0, "max_value": None, "figure_ids": '["r3-0003"]'},
        {"out_of_bounds": 0, "value": 7.0, "min_value": None, "max_value": None, "figure_ids": '["r3-0004"]'},
    ]


def yields(values: list[float | None], prefix: str = "y", unit: str | None = "ton_per_ha") -> list[dict]:
    """One rice yield per district (district i is unit U{i})."""
    return [ind(f"{prefix}{i}-0001", unit_key=f"U{i}", indicator_code="RICE_YIELD", unit=unit, actual_value=v)
            for i, v in enumerate(values)]


def test_outliers_modified_z_per_indicator_and_unit(con):
    frames = derive(con, indicators=[
        *yields([10.0, 11.0, 12.0, 13.0, 100.0, None]),
        *yields([1.0, 2.0, 3.0, 400.0], prefix="small", unit="kg"),  # fewer than 5 values: no judgement
        *yields([5.0, 5.0, 5.0, 6.0, 50.0], prefix="flat", unit="quintal"),  # MAD 0: z = 0
        *[ind(f"u{i}-0001", indicator_code="UNMAPPED", actual_value=float(i ** 3)) for i in range(6)],
        *yields([1.0, 1.0, 1.0, 1.0, 1.0], prefix="nounit", unit=None),  # no unit: no group
        *yields([3.0, 4.0, 5.5, 7.0, 8.0, 9.0], prefix="even", unit="tonne"),  # an even count: the mean of two
    ])
    rows = {r["figure_ids"]: r for r in records(frames["indicator_outliers"])}
    assert len(rows) == 16
    assert rows['["y4-0001"]']["modified_z"] == pytest.approx(0.6745 * 88)
    assert rows['["y0-0001"]']["modified_z"] == pytest.approx(0.6745 * 2)
    assert rows['["y2-0001"]'] == {"modified_z": 0.0, "value": 12.0, "median": 12.0, "figure_ids": '["y2-0001"]'}
    assert all(rows[f'["flat{i}-0001"]']["modified_z"] == 0.0 for i in range(5))
    # median 6.25, deviations 3.25 2.25 0.75 0.75 1.75 2.75: MAD 2
    assert rows['["even0-0001"]']["median"] == pytest.approx(6.25)
    assert rows['["even0-0001"]']["modified_z"] == pytest.approx(0.6745 * 3.25 / 2)


def test_sums_are_exact(con):
    amounts = [97_123_456_789 + 1_000_003 * i for i in range(13)]
    frames = derive(con, funding=[
        fund("t-0000", amount_vnd=10 ** 12),
        *[fund(f"t-{i + 1:04d}", amount_vnd=a, parent_figure_id="t-0000") for i, a in enumerate(amounts)],
        *[fund(f"a-{i:04d}", unit_key="A", amount_vnd=a) for i, a in enumerate(amounts)],
        *[fund(f"d-{i:04d}", unit_key="A", measure="disbursed", amount_vnd=a // 3) for i, a in enumerate(amounts)],
    ])
    [component] = records(frames["funding_components"])
    assert component["parts_sum"] == sum(amounts)
    assert component["relative_gap"] == pytest.approx(abs(sum(amounts) - 10 ** 12) / 10 ** 12, rel=1e-12)
    [pair] = records(frames["funding_pairs"])
    assert (pair["allocated_vnd"], pair["disbursed_vnd"]) == (sum(amounts), sum(a // 3 for a in amounts))
    assert pair["excess_vnd"] == sum(a // 3 for a in amounts) - sum(amounts)


def test_figure_ids_are_json_even_for_odd_ids(con):
    frames = derive(con, funding=[
        fund('bá"o-0001', amount_vnd=10 * M), fund("x\\y-0002", amount_vnd=4 * M, parent_figure_id='bá"o-0001'),
        fund("plain-0003", amount_vnd=6 * M, parent_figure_id='bá"o-0001')])
    [row] = records(frames["funding_components"])
    assert json.loads(row["figure_ids"]) == ['bá"o-0001', "plain-0003", "x\\y-0002"]
    assert json.loads(records(frames["funding_periods"])[0]["figure_ids"]) == ['bá"o-0001']


def test_rows_are_read_in_a_fixed_order_with_their_row_key(con):
    frames = derive(con, funding=[fund(f"r{i}-0001", period_end=date(2020, 12, 31 - i)) for i in (3, 1, 2)],
                    indicators=[*yields([1.0, 2.0, 3.0, 4.0, 50.0])])
    periods = frames["funding_periods"]
    assert list(periods["figure_ids"]) == ['["r1-0001"]', '["r2-0001"]', '["r3-0001"]']
    assert list(periods["row_key"]) == [0, 1, 2]
    assert list(periods["period_days"]) == [364, 363, 362]
    assert list(frames["indicator_outliers"]["figure_ids"]) == [f'["y{i}-0001"]' for i in range(5)]
    assert all(len(frames[name]) == 0 for name in ("funding_components", "funding_pairs", "scorecards"))


# --- units= --------------------------------------------------------------------------------------


def _units_marts() -> dict:
    return {
        "funding": [fund("a-0001", unit_key="A", amount_vnd=10 * M),
                    fund("a-0002", unit_key="A", amount_vnd=10 * M, parent_figure_id="a-0001"),
                    fund("a-0003", unit_key="A", measure="disbursed", amount_vnd=4 * M, reported_rate_pct=40.0,
                         computed_rate_pct=40.0),
                    fund("b-0001", unit_key="B", amount_vnd=10 * M),
                    fund("b-0002", unit_key="B", amount_vnd=11 * M, parent_figure_id="b-0001"),
                    fund("b-0003", unit_key="B", measure="disbursed", amount_vnd=12 * M),
                    # a component a reviewer moved to unit C: its total's row is C's too
                    fund("b-0004", unit_key="C", amount_vnd=1 * M, parent_figure_id="b-0001"),
                    # no admin unit: the report id is the unit key
                    fund("c-0001", unit_key="c", amount_vnd=1 * M),
                    fund("c-0002", unit_key="c", measure="disbursed", amount_vnd=2 * M)],
        "indicators": [ind("a-0004", unit_key="A", indicator_code="POVERTY_RATE", unit="percent", actual_value=3.0),
                       ind("b-0005", unit_key="B", indicator_code="POVERTY_RATE", unit="percent", actual_value=300.0)],
        "scorecards": [card("a-0005", unit_key="A", indicators_total=3),
                       card("b-0006", unit_key="B", indicators_total=3)],
    }


def test_units_keep_only_rows_involving_figures_of_those_units(con):
    marts = _units_marts()
    everything = derive(con, **marts)
    only_a = derive(con, **marts, units={"A"})
    only_c = derive(con, **marts, units={"C"})
    only_b_c = derive(con, **marts, units=["B", "c"])
    unit_of = {r["figure_id"]: r["unit_key"] for rows in marts.values() for r in rows}
    for name in CHECK_FRAMES:
        for frame, scope in ((only_a, {"A"}), (only_c, {"C"}), (only_b_c, {"B", "c"})):
            expected = [r for r in records(everything[name])
                        if any(unit_of[i] in scope for i in json.loads(r["figure_ids"]))]
            assert records(frame[name]) == expected, name
            assert list(frame[name]["row_key"]) == list(range(len(frame[name])))
    assert by_ids(only_a["funding_components"]).keys() == {("a-0001", "a-0002")}
    assert by_ids(only_c["funding_components"]).keys() == {("b-0001", "b-0002", "b-0004")}
    assert by_ids(only_b_c["funding_pairs"]).keys() == {("b-0001", "b-0003"), ("c-0001", "c-0002")}
    assert by_ids(only_a["funding_pairs"]).keys() == {("a-0001", "a-0003")}
    assert by_ids(only_a["scorecards"]).keys() == {("a-0005",)}
    assert all(len(f) == 0 for f in derive(con, **marts, units=set()).values())


def test_an_outlier_in_scope_is_judged_against_the_whole_population(con):
    far = derive(con, indicators=yields([10.0, 11.0, 12.0, 13.0, 100.0]), units={"U4"})["indicator_outliers"]
    assert records(far) == [{"modified_z": pytest.approx(59.356), "value": 100.0, "median": 12.0,
                             "figure_ids": '["y4-0001"]'}]
    typical = derive(con, indicators=yields([10.0, 11.0, 12.0, 13.0, 100.0]), units={"U2", "U0"})
    assert [(r["figure_ids"], r["modified_z"]) for r in records(typical["indicator_outliers"])] == [
        ('["y0-0001"]', pytest.approx(1.349)), ('["y2-0001"]', 0.0)]


def test_validation_reads_the_models_with_the_marts(con, tmp_path):
    derive(con, **_units_marts())
    con.execute("create table if not exists marts.fct_report_versions (ingested_at timestamp)")
    con.execute("checkpoint")  # a copy of the file holds every row (read_marts opens its own connection)
    copy = tmp_path / "copy.duckdb"
    copy.write_bytes(Path(con.execute("select path from duckdb_databases() where database_name = 'checks'")
                          .fetchall()[0][0]).read_bytes())
    frames, scope = read_marts(copy)
    assert scope.is_full
    pairs = check_rows(frames["intermediate.int_checks__funding_pairs"], scope)
    assert list(pairs["figure_ids"]) == ['["a-0001", "a-0003"]', '["b-0001", "b-0003"]', '["c-0001", "c-0002"]']
    assert list(pairs["excess_vnd"]) == [-6 * M, 2 * M, 1 * M]


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
            "unit_key": draw(st.sampled_from([report, "A", "B"])),
            "programme_code": draw(st.sampled_from([None, "P", "Q"])),
            "capital_source": draw(st.sampled_from([None, "investment"])),
            "measure": draw(st.sampled_from(["allocated", "disbursed", "planned"])),
            "amount_vnd": draw(st.one_of(st.none(), st.just(0), st.integers(-5, 500).map(lambda v: v * M),
                                         st.integers(1, 500 * M))),
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
        stated, parts_sum = total["amount_vnd"], sum(r["amount_vnd"] for r in parts)
        ids = [total["figure_id"], *sorted(r["figure_id"] for r in parts)]
        out.append((json.dumps(ids), abs(parts_sum - stated) / stated, stated, parts_sum))
    return sorted(out)


def reference_pairs(rows: list[dict]) -> list[tuple]:
    groups: dict[tuple, list[dict]] = {}
    for r in rows:  # rows are listed in the order of their report, then of their place in it
        if (r["per_unit"] is None and r["parent_figure_id"] is None and r["amount_vnd"] is not None
                and r["measure"] in ("allocated", "disbursed")):
            key = (r["unit_key"], r["programme_code"], r["capital_source"], r["period_start"],
                   r["period_end"] and r["period_end"].year)
            groups.setdefault(key, []).append(r)
    out = []
    for members in groups.values():
        allocated = [r for r in members if r["measure"] == "allocated"]
        disbursed = [r for r in members if r["measure"] == "disbursed"]
        if allocated and disbursed:
            a, d = sum(r["amount_vnd"] for r in allocated), sum(r["amount_vnd"] for r in disbursed)
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


def in_report_order(rows: list[dict]) -> list[dict]:
    """The rows as a mart holds them: by report, then by their place in it (char_start, set by derive)."""
    return sorted(rows, key=lambda r: (r["report_id"], int(r["figure_id"].rsplit("-", 1)[1])))


def tuples(frame: pd.DataFrame, columns: list[str]) -> list[tuple]:
    return sorted(tuple(None if v is None or v != v else v for v in row)
                  for row in frame[["figure_ids", *columns]].itertuples(index=False))


def assert_same(actual: list[tuple], expected: list[tuple]) -> None:
    """Same figure_ids in the same order, numbers equal within a tolerance."""
    assert [r[0] for r in actual] == [r[0] for r in expected]
    assert [r[1:] for r in actual] == [pytest.approx(r[1:], rel=1e-12, abs=1e-12) for r in expected]


# The number of examples comes from the Hypothesis profile (tests/conftest.py): each example fills the marts
# and reads the views (about 30 ms a model), so 150 examples of the five tests take about 40 s
PROPERTY = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(funding_rows())
def test_components_match_the_reference(con, rows):
    frame = derive(con, funding=in_report_order(rows), only=["funding_components"])["funding_components"]
    assert_same(tuples(frame, ["relative_gap", "stated_total", "parts_sum"]), reference_components(rows))


@PROPERTY
@given(funding_rows())
def test_pairs_match_the_reference(con, rows):
    rows = in_report_order(rows)
    frame = derive(con, funding=rows, only=["funding_pairs"])["funding_pairs"]
    assert_same(tuples(frame, ["excess_vnd", "allocated_vnd", "disbursed_vnd"]), reference_pairs(rows))


@PROPERTY
@given(funding_rows(), st.data())
def test_rates_match_the_reference(con, rows, data):
    rows = in_report_order(rows)
    for row in rows:
        row["reported_rate_pct"] = data.draw(st.sampled_from([None, 50.0, 70.98]))
        row["computed_rate_pct"] = data.draw(st.sampled_from([None, 50.0, 71.0]))
    frame = derive(con, funding=rows, only=["funding_rates"])["funding_rates"]
    assert_same(tuples(frame, ["rate_gap_pct_points"]), reference_rates(rows))


@PROPERTY
@given(st.lists(st.tuples(st.sampled_from(["RICE_YIELD", "UNMAPPED", "POVERTY_RATE"]),
                          st.sampled_from(["ton_per_ha", "percent", None]),
                          st.one_of(st.none(), st.integers(0, 8).map(float), st.just(1000.0))), max_size=16))
def test_outliers_match_the_reference(con, values):
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
    frame = derive(con, indicators=rows, only=["indicator_outliers"])["indicator_outliers"]
    assert_same(tuples(frame, ["modified_z", "value"]), sorted(expected))


@PROPERTY
@given(funding_rows(), st.sets(st.sampled_from(["A", "B", "r1", "r2", "r3"])))
def test_units_filter_equals_filtering_everything(con, rows, units):
    indicators = [ind(f"{r['report_id']}-1{i:03d}", report_id=r["report_id"], unit_key=r["unit_key"],
                      indicator_code="RICE_YIELD", unit="ton_per_ha", actual_value=float(i % 4), target_value=1.0)
                  for i, r in enumerate(rows)]
    unit_of = {r["figure_id"]: r["unit_key"] for r in [*rows, *indicators]}
    everything = derive(con, funding=rows, indicators=indicators)
    scoped = derive(con, funding=rows, indicators=indicators, units=units)
    for name in CHECK_FRAMES:
        expected = [r for r in records(everything[name])
                    if any(unit_of[i] in units for i in json.loads(r["figure_ids"]))]
        assert records(scoped[name]) == expected, name
