"""The submission template: round trips in CSV and XLSX, Vietnamese and English headers, bad rows."""

from __future__ import annotations

import csv
import io
import unicodedata
from datetime import date
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest

from sources.figures import PlaceResolution
from sources.submissions import TEMPLATE_COLUMNS, parse_submission, parse_value

KNOWN = {("đakrông", "quảng trị"): ("Đakrông", "464", "Quảng Trị", "45")}


def lookup(district: str, province: str | None, on_date: date | None) -> PlaceResolution | None:
    """A two-entry gazetteer: enough to tell known from unknown districts."""
    hit = KNOWN.get((district.lower(), (province or "").lower()))
    if hit is None:
        return None
    return PlaceResolution(hit[2], hit[3], hit[0], hit[1], hit[2], hit[3], "named")


GOOD_ROWS = [
    {"province": "Quảng Trị", "district": "Đakrông", "period_start": "2020-01-01", "period_end": "2020-08-30",
     "kind": "funding", "programme_code": "PUBLIC_INVESTMENT", "capital_source": "investment",
     "measure": "allocated", "unit": "triệu đồng", "value": "154.228"},
    {"province": "Quảng Trị", "district": "Đakrông", "period_start": "2020-01-01", "period_end": "2020-08-30",
     "kind": "funding", "programme_code": "PUBLIC_INVESTMENT", "capital_source": "investment",
     "measure": "disbursed", "unit": "VND", "value": "109475000000", "rate_pct": "70,98"},
    {"province": "Quảng Trị", "district": "Đakrông", "period_start": "01/01/2020", "period_end": "31/12/2020",
     "kind": "indicator", "indicator_name": "Tỷ lệ hộ nghèo", "unit": "percent", "role": "actual",
     "value": "35,62"},
]


def _csv_bytes(rows: list[dict], lang: str = "en") -> bytes:
    idx = 1 if lang == "vi" else 0
    headers = [cols[idx] for cols in TEMPLATE_COLUMNS.values()]
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([row.get(key, "") for key in TEMPLATE_COLUMNS])
    return buf.getvalue().encode("utf-8")


@pytest.mark.parametrize(("raw", "value"), [
    ("28,757", Decimal("28.757")), ("106.182", Decimal("106182")), ("1.234,5", Decimal("1234.5")),
    ("28757000000", Decimal("28757000000")), ("46%", Decimal("46")), ("15.9", Decimal("15.9")),
])
def test_numbers_in_vietnamese_or_plain_format(raw: str, value: Decimal) -> None:
    assert parse_value(raw) == value


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_csv_round_trip_gives_figures_with_quotes(lang: str) -> None:
    parsed = parse_submission(Path("s.csv"), _csv_bytes(GOOD_ROWS, lang), lookup)
    assert parsed.errors == [] and parsed.header_error is None
    assert len(parsed.groups) == 2  # two periods -> two reports
    figures = [f for g in parsed.groups for f in g.figures]
    allocated = next(f for f in figures if f.measure == "allocated")
    assert allocated.amount_vnd == 154_228_000_000
    disbursed = next(f for f in figures if f.measure == "disbursed")
    assert disbursed.amount_vnd == 109_475_000_000 and disbursed.rate_pct == Decimal("70.98")
    poverty = next(f for f in figures if f.kind == "indicator")
    assert poverty.actual_value == Decimal("35.62") and poverty.period_end == date(2020, 12, 31)
    for group in parsed.groups:
        for fig in group.figures:
            assert group.text[fig.char_start:fig.char_end] == fig.source_quote


def test_xlsx_with_the_templates_vietnamese_headers_round_trips(tmp_path: Path) -> None:
    # the template itself (instructions, drop-downs, example row) is written and read back in
    # tests/orchestration/test_template.py; this is the reader on a plain sheet with its headers
    filled = pl.DataFrame([{cols[1]: row.get(key, "") for key, cols in TEMPLATE_COLUMNS.items()} for row in GOOD_ROWS])
    path = tmp_path / "filled.xlsx"
    filled.write_excel(path)
    parsed = parse_submission(path, path.read_bytes(), lookup)
    assert parsed.errors == []
    assert sum(len(g.figures) for g in parsed.groups) == 3


@pytest.mark.parametrize(("change", "column", "reason"), [
    ({"district": "Atlantis"}, "district", "unknown_district"),
    ({"programme_code": "XYZ"}, "programme_code", "bad_code"),
    ({"measure": "stolen"}, "measure", "bad_code"),
    ({"value": "mười tỷ"}, "value", "bad_number"),
    ({"period_end": "2020-13-45"}, "period_end", "bad_date"),
    ({"period_start": "2021-01-01"}, "period_start", "bad_period"),
    ({"value": "-5"}, "value", "out_of_range"),
    ({"rate_pct": "5000"}, "rate_pct", "out_of_range"),
    ({"kind": "gossip"}, "kind", "bad_code"),
])
def test_a_bad_row_is_rejected_with_row_column_and_reason(change: dict, column: str, reason: str) -> None:
    rows = [GOOD_ROWS[0], {**GOOD_ROWS[1], **change}]
    parsed = parse_submission(Path("s.csv"), _csv_bytes(rows), lookup)
    assert len(parsed.errors) == 1
    error = parsed.errors[0]
    assert (error.row_number, error.column_name, error.reason) == (3, column, reason)
    assert sum(len(g.figures) for g in parsed.groups) == 1  # the good row still arrives


def test_a_spreadsheet_that_is_not_the_template_is_refused_whole() -> None:
    parsed = parse_submission(Path("s.csv"), b"name,amount\nfoo,1\n", lookup)
    assert parsed.header_error and "missing column" in parsed.header_error


def _xlsx(values: list) -> bytes:
    import xlsxwriter

    buf = io.BytesIO()
    workbook = xlsxwriter.Workbook(buf)
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, ["Giá trị", "Đơn vị"])
    for i, value in enumerate(values, start=1):
        sheet.write_row(i, 0, [value, "tỷ đồng"])
    workbook.close()
    return buf.getvalue()


def test_a_numeric_xlsx_cell_is_a_number_not_a_vietnamese_thousands_group() -> None:
    """45.125 in a numeric cell is forty-five point one two five (tỷ đồng), never 45 125."""
    from sources.submissions import read_table

    rows = read_table(Path("so_lieu.xlsx"), _xlsx([45.125, 13791, 0.5]))
    assert [parse_value(r["Giá trị"]) for _n, r in rows] == [Decimal("45.125"), Decimal("13791"), Decimal("0.5")]


def test_numbers_typed_as_text_in_xlsx_follow_the_vietnamese_convention() -> None:
    from sources.submissions import read_table

    rows = read_table(Path("so_lieu.xlsx"), _xlsx(["106.182", "28,757"]))
    assert [parse_value(r["Giá trị"]) for _n, r in rows] == [Decimal("106182"), Decimal("28.757")]


def test_a_column_mixing_numeric_and_text_cells_reads_each_cell_by_its_type() -> None:
    """Numeric 45.125 is forty-five point one two five; the text '106.182' is 106 182 (thousands)."""
    from sources.submissions import read_table

    rows = read_table(Path("so_lieu.xlsx"), _xlsx([45.125, "106.182", 13791, "28,757", 1.5e-3]))
    assert [parse_value(r["Giá trị"]) for _n, r in rows] == [
        Decimal("45.125"), Decimal("106182"), Decimal("13791"), Decimal("28.757"), Decimal("0.0015")]


def test_rows_keep_the_numbers_the_spreadsheet_shows_them_with(tmp_path: Path) -> None:
    """A table that starts at B3, with a blank row inside: errors name the rows a user sees."""
    import xlsxwriter

    path = tmp_path / "lech.xlsx"
    workbook = xlsxwriter.Workbook(path)
    sheet = workbook.add_worksheet()
    sheet.write_row(2, 1, [TEMPLATE_COLUMNS[c][0] for c in TEMPLATE_COLUMNS])
    sheet.write_row(3, 1, [GOOD_ROWS[0].get(c, "") for c in TEMPLATE_COLUMNS])
    sheet.write_row(5, 1, [{**GOOD_ROWS[0], "district": "Atlantis"}.get(c, "") for c in TEMPLATE_COLUMNS])
    sheet.write_number(6, 1 + list(TEMPLATE_COLUMNS).index("value"), 45.125)  # a numeric cell, the rest blank
    workbook.close()
    parsed = parse_submission(path, path.read_bytes(), lookup)
    assert [(e.row_number, e.reason) for e in parsed.errors] == [(6, "unknown_district"), (7, "missing_value")]
    [group] = parsed.groups
    assert group.figures[0].amount_vnd == 154_228_000_000 and group.lines[0].startswith("row 4: ")


INDICATOR_ROW = GOOD_ROWS[2]


@pytest.mark.parametrize(("change", "code"), [
    ({"indicator_name": "Tỷ lệ hộ nghèo", "unit": "percent"}, "POVERTY_RATE"),
    ({"indicator_name": "Thu nhập bình quân đầu người", "unit": "VND"}, "INCOME_PER_CAPITA"),
    ({"indicator_name": "Số xã đạt chuẩn nông thôn mới", "unit": "commune"}, "NTM_COMMUNES"),
    ({"indicator_name": "Số hộ nghèo", "unit": "household"}, "POOR_HOUSEHOLDS"),
    ({"indicator_name": "Tỷ lệ hộ nghèo", "unit": "household"}, "POOR_HOUSEHOLDS"),  # the unit picks the family
    ({"indicator_name": "Tỷ lệ xã đạt chuẩn nông thôn mới", "unit": "percent"}, "UNMAPPED"),  # only a count
    ({"indicator_name": "Số cây xanh trồng mới", "unit": "count"}, "UNMAPPED"),
    ({"indicator_name": "Tỷ lệ hộ nghèo", "indicator_code": "forest_cover"}, "FOREST_COVER"),  # given: kept
    ({"indicator_name": "", "indicator_code": "POVERTY_RATE"}, "POVERTY_RATE"),
])
def test_an_indicator_row_gets_its_catalogue_code(change: dict, code: str) -> None:
    parsed = parse_submission(Path("s.csv"), _csv_bytes([{**INDICATOR_ROW, **change}]), lookup)
    assert parsed.errors == []
    assert parsed.groups[0].figures[0].indicator_code == code


def test_a_name_with_decomposed_diacritics_maps_like_prose() -> None:
    name = unicodedata.normalize("NFD", "Tỷ lệ hộ nghèo")
    parsed = parse_submission(Path("s.csv"), _csv_bytes([{**INDICATOR_ROW, "indicator_name": name}]), lookup)
    assert parsed.groups[0].figures[0].indicator_code == "POVERTY_RATE"


def test_an_indicator_code_not_in_the_catalogue_is_rejected() -> None:
    rows = [GOOD_ROWS[0], {**INDICATOR_ROW, "indicator_code": "POVERTY_RAT"}]
    parsed = parse_submission(Path("s.csv"), _csv_bytes(rows), lookup)
    [error] = parsed.errors
    assert (error.row_number, error.column_name, error.reason) == (3, "indicator_code", "bad_code")
    assert "'POVERTY_RAT' is not in the indicator catalogue" in error.detail
    assert "did you mean POVERTY_RATE?" in error.detail and "reference/indicators.csv" in error.detail
    assert sum(len(g.figures) for g in parsed.groups) == 1


def test_after_the_reform_a_submission_names_a_commune_of_the_new_map() -> None:
    from sources.places import Gazetteer

    quarter = {"period_start": "2025-07-01", "period_end": "2025-09-30", "kind": "funding",
               "programme_code": "NTM", "capital_source": "investment", "measure": "disbursed",
               "unit": "triệu đồng", "value": "1.250"}
    rows = [{**quarter, "province": "tỉnh Quảng Trị", "district": "xã Đakrông"},
            {**quarter, "province": "Quảng Trị", "district": "huyện Hướng Hóa"}]
    parsed = parse_submission(Path("q3.csv"), _csv_bytes(rows), Gazetteer.load().lookup_place)
    [group] = parsed.groups
    assert (group.place.district_code, group.place.admin_level, group.place.province_code) == ("19564", "commune", "44")
    assert group.figures[0].amount_vnd == 1_250_000_000
    [error] = parsed.errors
    assert (error.row_number, error.reason) == (3, "unknown_district")
    assert "abolished on 1 July 2025" in error.detail


def test_a_name_two_units_share_asks_for_the_type_word() -> None:
    from sources.places import Gazetteer

    base = {**GOOD_ROWS[0], "province": "Hà Tĩnh", "period_end": "2020-06-30"}
    rows = [{**base, "district": "Kỳ Anh"}, {**base, "district": "huyện Kỳ Anh"}, {**base, "district": "thị xã Kỳ Anh"}]
    parsed = parse_submission(Path("ky_anh.csv"), _csv_bytes(rows), Gazetteer.load().lookup_place)
    assert sorted(g.place.district_code for g in parsed.groups) == ["447", "449"]
    [error] = parsed.errors
    assert (error.row_number, error.reason) == (2, "ambiguous_district")
    assert "huyện Kỳ Anh, Hà Tĩnh (447)" in error.detail and "thị xã Kỳ Anh, Hà Tĩnh (449)" in error.detail


@pytest.mark.parametrize("typed", ["attainment_pct", "exceed_pct", "change", "Kế hoạch", "actual"])
def test_every_role_the_template_offers_is_read(typed: str) -> None:
    from sources.submissions import ROLES, fold
    assert ROLES.get(fold(typed)) in ("attainment_pct", "exceed_pct", "change", "target", "actual")


def test_a_workbook_is_held_to_the_limits_handed_down_not_the_defaults() -> None:
    """The unpacked-size check of a workbook uses the caller's ``Limits`` (Settings' memory budget): a budget
    lowered to 1 MB (128 KB unpacked) refuses a workbook of 5 000 rows as too_large_unpacked, naming the file,
    and the defaults read the same bytes."""
    from sources.readers import Limits, UnreadableFile
    from sources.submissions import read_table

    data = _xlsx([float(i) for i in range(5000)])
    with pytest.raises(UnreadableFile) as refused:
        parse_submission(Path("lon.xlsx"), data, lookup, Limits(file_memory_budget_bytes=1024 * 1024))
    assert refused.value.reason == "too_large_unpacked"
    assert str(refused.value).startswith("lon.xlsx: ")
    rows = read_table(Path("lon.xlsx"), data)
    assert len(rows) == 5000 and parse_value(rows[-1][1]["Giá trị"]) == Decimal("4999")
