"""The provincial HTML report: periods, one figure per bar, real statuses, norms, escaping (no browser)."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from orchestration.outputs.report import (
    UNMAPPED_ROW,
    attainment_cells,
    cell_status,
    completeness_charts,
    completeness_runs,
    disbursement_charts,
    funding_table,
    parse_period,
    vn_amount,
    vn_number,
)

TODAY = date(2026, 11, 28)


@pytest.mark.parametrize(("value", "decimals", "text"), [
    (106182, 0, "106.182"), (70.98, 2, "70,98"), (1234567.5, 2, "1.234.567,5"), (46.0, 2, "46"),
])
def test_vietnamese_number_format(value, decimals, text) -> None:
    assert vn_number(value, decimals) == text


def test_amounts_are_written_in_ty_dong() -> None:
    assert vn_amount(106_182_000_000) == "106,182 tỷ đồng"
    assert vn_amount(200_000_000) == "200 triệu đồng"


@pytest.mark.parametrize(("text", "start", "end", "label"), [
    ("2023", date(2023, 1, 1), date(2023, 12, 31), "2023"),
    ("2023-Q1", date(2023, 1, 1), date(2023, 3, 31), "2023-Q1"),
    ("Q2-2023", date(2023, 4, 1), date(2023, 6, 30), "2023-Q2"),
    ("q4-2024", date(2024, 10, 1), date(2024, 12, 31), "2024-Q4"),
    ("2023-01..2023-06", date(2023, 1, 1), date(2023, 6, 30), "2023-01..2023-06"),
    ("2023-11..2024-02", date(2023, 11, 1), date(2024, 2, 29), "2023-11..2024-02"),
    ("2023-05", date(2023, 5, 1), date(2023, 5, 31), "2023-05"),
])
def test_period_forms_accepted(text, start, end, label) -> None:
    period = parse_period(text, today=TODAY)
    assert (period.start, period.end, period.label) == (start, end, label)


@pytest.mark.parametrize(("text", "why"), [
    ("abc", "is not a period: write a year (2023), a quarter"), ("2031", "has not begun yet"),
    ("2023-13", "month 13 is not a month"), ("2023-06..2023-01", "ends before it starts"),
    ("2023-Q5", "is not a period"), ("1999", "from 2000 on"), ("", "is not a period"), ("23", "is not a period"),
    ("2023-01..", "is not a period"), ("2023/2024", "is not a period"),
])
def test_other_periods_are_refused_with_what_is_accepted(text, why) -> None:
    with pytest.raises(ValueError, match="--period") as err:
        parse_period(text, today=TODAY)
    assert why in str(err.value)


def _funding(rows: list[dict]) -> pl.DataFrame:
    base = {"figure_id": "f", "district_name": "Hà Quảng", "province_name": "Cao Bằng", "programme_code": "DTTS_MN",
            "capital_source": "investment", "measure": "disbursed", "amount_vnd": None, "reported_rate_pct": None,
            "computed_rate_pct": None, "per_unit": None, "period_start": date(2023, 1, 1),
            "period_end": date(2023, 5, 29), "source_quote": "q", "source_file": "001.txt"}
    return pl.DataFrame([{**base, **r} for r in rows])


HA_QUANG = [
    {"capital_source": "investment", "reported_rate_pct": 46.0, "period_start": date(2022, 1, 1),
     "period_end": date(2022, 12, 31)},
    {"capital_source": "recurrent", "reported_rate_pct": 49.52, "period_start": date(2022, 1, 1),
     "period_end": date(2022, 12, 31)},
    {"capital_source": "investment", "reported_rate_pct": 24.28},
]


def test_each_stated_rate_is_its_own_bar_with_capital_source_and_period() -> None:
    [chart] = disbursement_charts(_funding(HA_QUANG))
    bars = {y: t for trace in chart.figure.data for y, t in zip(trace.y, trace.text, strict=True)}
    assert bars == {"Hà Quảng · DTTS_MN · vốn đầu tư · năm 2022": "46%",
                    "Hà Quảng · DTTS_MN · vốn sự nghiệp · năm 2022": "49,52%",
                    "Hà Quảng · DTTS_MN · vốn đầu tư · 1/1–29/5/2023": "24,28%"}
    assert "nguồn vốn" in chart.title and "mọi kỳ" in chart.note


def test_labels_from_reports_are_escaped_for_plotly_and_html() -> None:
    rows = [{**HA_QUANG[2], "district_name": "<b>X</b> & Y", "source_file": "<img src=x>.txt", "per_unit": None}]
    [chart] = disbursement_charts(_funding(rows))
    [label] = chart.figure.data[0].y
    assert label.startswith("&lt;b&gt;X&lt;/b&gt; &amp; Y")
    assert "<img" not in str(chart.figure.data[0].customdata)
    table = funding_table(_funding(rows))
    assert "<b>X" not in table and "&lt;img src=x&gt;.txt" in table


def test_per_unit_norms_are_marked_and_never_charted() -> None:
    rows = [{"programme_code": "GNBV", "measure": "allocated", "amount_vnd": 1_000_000_000, "per_unit": "commune"},
            {"programme_code": "GNBV", "measure": "disbursed", "reported_rate_pct": 80.0, "per_unit": "village"}]
    assert disbursement_charts(_funding(rows)) == []
    table = funding_table(_funding(rows))
    assert "1 tỷ đồng / xã" in table and "định mức mỗi xã / per commune" in table
    assert "định mức mỗi thôn, bản / per village" in table and "never summed" in table


@pytest.mark.parametrize(("counts", "status"), [
    ({"exceeded": 1}, "exceeded"), ({"exceeded": 1, "unknown": 3}, "exceeded"), ({"unknown": 2}, "unknown"),
    ({"met": 1, "not_met": 1}, "mixed"), ({"not_met": 2, "unknown": 1}, "not_met"),
])
def test_a_cell_shows_its_real_status(counts, status) -> None:
    assert cell_status(counts) == status


def test_heatmap_cells_count_their_figures_under_the_catalogue_name() -> None:
    base = {"figure_id": "f", "district_name": "Mường Lát", "indicator_code": "POVERTY_REDUCTION",
            "indicator_name": "mức giảm", "name_vi": "Mức giảm tỷ lệ hộ nghèo",
            "name_en": "Reduction of the poverty rate",
            "target_value": None, "actual_value": None, "attainment_pct": None,
            "period_start": date(2023, 1, 1), "period_end": date(2023, 12, 17)}
    frame = pl.DataFrame([{**base, "status": "exceeded"}, {**base, "status": "exceeded"},
                          {**base, "status": "unknown", "period_end": date(2024, 12, 31)},
                          {**base, "indicator_code": "UNMAPPED", "name_vi": None, "name_en": None,
                           "indicator_name": "<script>", "status": "exceeded"}])
    cells = {(c["row"].split("<br>")[0], c["year"]): c for c in attainment_cells(frame)}
    assert cells[("Mức giảm tỷ lệ hộ nghèo", 2023)]["status"] == "exceeded"
    assert cells[("Mức giảm tỷ lệ hộ nghèo", 2023)]["text"] == "2 vượt"
    assert cells[("Mức giảm tỷ lệ hộ nghèo", 2024)]["status"] == "unknown"
    assert cells[(UNMAPPED_ROW, 2023)]["status"] == "exceeded"


def _completeness(units: int, months: int, reported: set[tuple[int, int]]) -> pl.DataFrame:
    rows = []
    for u in range(units):
        for m in range(months):
            start = date(2023 + m // 12, m % 12 + 1, 1)
            rows.append({"province_name": f"Tỉnh {u % 3}", "district_name": f"Huyện {u:04d}", "admin_level": "district",
                         "period_start": start, "period_end": start, "has_reported": (u, m) in reported,
                         "is_on_time": True})
    return pl.DataFrame(rows)


def test_completeness_is_a_share_per_province_and_month_with_who_is_missing() -> None:
    frame = _completeness(6, 3, {(0, 1)})
    [chart] = completeness_charts(frame)
    trace = chart.figure.data[0]
    assert list(trace.y) == ["Tỉnh 0", "Tỉnh 1", "Tỉnh 2"] and list(trace.x) == ["2023-01", "2023-02", "2023-03"]
    assert list(trace.text[0]) == ["0/2", "1/2", "0/2"] and trace.z[0][1] == 0.5
    assert trace.colorscale[0][1] != "#c8102e"  # no red wall: a month nobody reported is light grey
    runs = completeness_runs(frame)
    first = next(r for r in runs if r["province"] == "Tỉnh 0" and r["start"] == date(2023, 2, 1))
    assert first["reported"] == ["Huyện 0000"] and first["missing"] == ["Huyện 0003"]


def test_completeness_for_ten_thousand_units_stays_readable() -> None:
    frame = _completeness(10_000, 30, {(u, 5) for u in range(0, 10_000, 7)})
    charts = completeness_charts(frame)
    assert len(charts) == 2  # 24 months a chart
    assert all(c.figure.layout.height <= 560 for c in charts)
    runs = completeness_runs(frame)
    assert len(runs) <= 3 * 3  # per province: the months before, the month some reported, the months after
    from orchestration.outputs.report import completeness_table

    table = completeness_table(frame)
    assert "more" in table and len(table) < 200_000


def _unit_finding(**changes):
    from datetime import datetime

    from expectations.register import Finding

    seen = datetime(2026, 11, 28, 13, 22, 37)
    values = dict(
        finding_id="F-434cb137c3", mart="fct_reporting_completeness", check="district_reported_for_period",
        severity="WARN", description="every reporting unit sent a report for every month", status="open",
        figure_ids=[], first_seen=seen, last_seen=seen, last_run_id="0de9848d", unit_key="district:465:pre2025",
        unit_name="Hướng Hóa", province_name="Quảng Trị", period_start=date(2019, 1, 1),
        period_end=date(2023, 12, 31), stated=1.0, computed=60.0, difference=-59.0, difference_pct=-59 / 60 * 100,
        value_unit="months", tolerance="every unit reports every month (missing: 2019-01..2019-08, 2019-10..2023-12)")
    return Finding(**{**values, **changes})


def test_a_units_completeness_finding_reads_the_same_in_text_csv_html_and_the_report() -> None:
    """A reporting unit's completeness finding has no figures but its own values: the audit's text, CSV and
    HTML and the report's findings table all give its unit, period, counts, difference and missing months."""
    import csv
    import io

    from orchestration.outputs.audit import finding_row, findings_table_html, render_csv, render_text
    from orchestration.outputs.report import findings_table

    row = finding_row(_unit_finding(), {})
    values = "stated 1 month · computed 60 months · difference −59 months (−98,333%)"
    months = "every unit reports every month (missing: 2019-01..2019-08, 2019-10..2023-12)"
    text = render_text([row])
    assert "unit: Hướng Hóa, Quảng Trị · period: 2019-01-01..2023-12-31" in text
    assert f"{values} · tolerance {months}" in text
    [line] = list(csv.DictReader(io.StringIO(render_csv([row]).lstrip("\ufeff"))))
    assert (line["unit"], line["province"], line["period_start"], line["period_end"]) == (
        "Hướng Hóa", "Quảng Trị", "2019-01-01", "2023-12-31")
    assert (line["stated_value"], line["computed_value"], line["difference_value"], line["value_unit"]) == (
        "1.0", "60.0", "-59.0", "months")
    assert line["difference_percent"] == "-98.333333" and line["tolerance"] == months
    assert (line["stated"], line["computed"], line["difference"]) == ("1 month", "60 months", "−59 months")
    cells = findings_table_html([row])
    for text in ("Hướng Hóa, Quảng Trị", "2019-01-01..2023-12-31", "1 month", "60 months", "−59 months",
                 "−98,333%", months):
        assert text in cells, text
    page = findings_table([row])
    for text in ("Hướng Hóa, Quảng Trị", "báo cáo / stated 1 month", "tính lại / computed 60 months",
                 "chênh lệch / difference −59 months (−98,333%)", months,
                 "không đạt ở 59 trên 60 months / failed for 59 of 60 months"):
        assert text in page, text


def test_a_finding_that_only_counts_its_rows_says_so() -> None:
    """When Great Expectations lists no failing row, validation keeps one group of counts: no unit, no values."""
    from orchestration.outputs.audit import finding_row, render_text
    from orchestration.outputs.report import findings_table

    counts = _unit_finding(unit_key=None, unit_name=None, province_name=None, period_start=None, period_end=None,
                           stated=3396.0, computed=3401.0, difference=None, difference_pct=None,
                           value_unit="unit-months", tolerance="every unit reports every month")
    row = finding_row(counts, {})
    assert "failing 3.396 of 3.401 unit-months · tolerance every unit reports every month" in render_text([row])
    assert "failed for 3.396 of 3.401 unit-months" in findings_table([row])
