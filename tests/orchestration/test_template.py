"""The submission template: what a district officer sees, and what the reader makes of it once filled in.

The workbook is filled here as a spreadsheet program saves it (cells written into the data sheet's XML),
the example row left in, and read back with ``sources.submissions.parse_submission``.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import polars as pl
import pytest

from orchestration.outputs.template import (
    DATA_SHEET,
    EXAMPLE_NOTE,
    EXAMPLE_ROW,
    HELP_SHEET,
    LISTS_SHEET,
    UNIT_HEADER,
    allowed_values,
    write_template,
)
from sources.figures import CAPITAL_SOURCES, INDICATOR_UNITS, MEASURES, PROGRAMME_CODES
from sources.submissions import TEMPLATE_COLUMNS, parse_submission

# what a district officer types, from row 3 on: a funding figure and an indicator
OFFICER_ROWS = [
    {"province": "Cao Bằng", "district": "Hà Quảng", "period_start": "01/01/2023", "period_end": "31/05/2023",
     "kind": "funding", "programme_code": "PUBLIC_INVESTMENT", "capital_source": "investment",
     "measure": "disbursed", "unit": "tỷ đồng", "value": 12.5, "rate_pct": 15.9},
    {"province": "Cao Bằng", "district": "Hà Quảng", "period_start": "01/01/2023", "period_end": "31/05/2023",
     "kind": "indicator", "indicator_code": "HOUSES_BUILT", "indicator_name": "Số nhà được xây mới",
     "role": "actual", "unit": "count", "value": 3},
]


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def fill(xlsx: bytes, rows: list[dict], *, first_row: int = 3, header: dict[str, str] | None = None) -> bytes:
    """The workbook with ``rows`` typed into the data sheet from ``first_row`` (numbers as numbers, text as
    text), as a spreadsheet program would save it; ``header`` retypes header cells (column key -> text)."""
    keys = list(TEMPLATE_COLUMNS)
    cells = []
    for n, row in enumerate(rows, first_row):
        out = []
        for j, key in enumerate(keys):
            value = row.get(key)
            ref = f"{_column_letter(j)}{n}"
            if value is None:
                continue
            if isinstance(value, int | float):
                out.append(f'<c r="{ref}"><v>{value}</v></c>')
            else:
                out.append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>')
        cells.append(f'<row r="{n}">{"".join(out)}</row>')
    src = zipfile.ZipFile(io.BytesIO(xlsx))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode("utf-8")
                for key, new in (header or {}).items():
                    ref = f"{_column_letter(keys.index(key))}1"
                    text = re.sub(rf'<c r="{ref}"[^>]*?(?:/>|>.*?</c>)',
                                  f'<c r="{ref}" t="inlineStr"><is><t>{escape(new)}</t></is></c>', text, count=1)
                if first_row == 2:  # typing over the example row replaces it
                    text = re.sub(r'<row r="2"[^>]*>.*?</row>', "", text, count=1, flags=re.DOTALL)
                text = text.replace("</sheetData>", "".join(cells) + "</sheetData>")
                text = re.sub(r'<dimension ref="[^"]*"/>', "", text)
                data = text.encode("utf-8")
            dst.writestr(item, data)
    return buf.getvalue()


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    return write_template(tmp_path_factory.mktemp("template") / "mau_bao_cao.xlsx")


@pytest.fixture(scope="module")
def lookup():
    from sources.places import Gazetteer

    return Gazetteer.load().lookup_place


def _sheet(path: Path, name: str, **kw) -> pl.DataFrame:
    return pl.read_excel(path, sheet_name=name, infer_schema_length=0, **kw)


def test_the_data_sheet_comes_first_with_a_frozen_header_and_the_unit_column_for_both_levels(template: Path) -> None:
    with zipfile.ZipFile(template) as book:
        workbook = book.read("xl/workbook.xml").decode()
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
    names = re.findall(r'<sheet name="([^"]+)"', workbook)
    assert names == [DATA_SHEET, HELP_SHEET, LISTS_SHEET]  # the reader reads the first sheet
    assert re.search(r'<sheet name="danh_muc"[^>]*state="hidden"', workbook)
    assert re.search(r'<pane ySplit="1" topLeftCell="A2"[^>]*state="frozen"', sheet)
    header = _sheet(template, DATA_SHEET).columns
    assert header[1] == UNIT_HEADER["vi"] == "Huyện/Xã (đơn vị báo cáo)"
    assert len(header) == len(TEMPLATE_COLUMNS)
    assert "<f>" not in sheet  # nothing in the template is a formula


def test_drop_down_lists_hold_the_projects_code_lists(template: Path) -> None:
    lists = _sheet(template, LISTS_SHEET)
    column = {c: [v for v in lists[c].to_list() if v is not None] for c in lists.columns}
    assert column["programme_code"] == list(PROGRAMME_CODES)
    assert column["capital_source"] == list(CAPITAL_SOURCES)
    assert column["measure"] == list(MEASURES)
    assert column["unit"][-len(INDICATOR_UNITS):] == list(INDICATOR_UNITS)
    seed = Path(__file__).resolve().parents[2] / "dbt_project/seeds/reference/indicators.csv"
    with seed.open(encoding="utf-8") as fh:
        assert column["indicator_code"] == [r["indicator_code"] for r in csv.DictReader(fh)]
    assert column == allowed_values()
    with zipfile.ZipFile(template) as book:
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
    validations = re.findall(r'<dataValidation type="list"[^>]*sqref="([A-Z]+)2:\1\d+"[^>]*>\s*<formula1>([^<]+)',
                             sheet)
    keys = list(TEMPLATE_COLUMNS)
    listed = {keys[ord(col) - 65]: formula for col, formula in validations}
    assert set(listed) == {"kind", "programme_code", "capital_source", "measure", "indicator_code", "role", "unit"}
    assert all(f.startswith(f"{LISTS_SHEET}!$") for f in listed.values())


def test_instructions_in_vietnamese_with_english_beside(template: Path) -> None:
    sheet = _sheet(template, HELP_SHEET, has_header=False)
    cells = [v for col in sheet.columns for v in sheet[col].to_list() if v]
    assert "Hướng dẫn điền mẫu báo cáo số liệu" in cells and "How to fill in the submission template" in cells
    rows = list(sheet.iter_rows())
    unit_row = next(r for r in rows if r[0] == UNIT_HEADER["vi"])
    assert "xã, phường" in unit_row[1] and "commune" in unit_row[3] and unit_row[2] == UNIT_HEADER["en"]
    assert any("VÍ DỤ / EXAMPLE" in (r[0] or "") for r in rows)


def test_the_example_row_is_marked_skipped_and_would_read_as_a_valid_row(template: Path, lookup) -> None:
    """The example row is skipped by the reader; typed as an officer's row (without the mark) it reads as
    the figure it shows: the example teaches nothing false."""
    data = _sheet(template, DATA_SHEET)
    assert data.height == 1 and data["Ghi chú"][0] == EXAMPLE_NOTE
    parsed = parse_submission(Path("mau.xlsx"), fill(template.read_bytes(), []), lookup)
    assert parsed.header_error is None and parsed.errors == [] and parsed.groups == []
    example = {key: value for key, value in EXAMPLE_ROW.items() if key != "note"}
    parsed = parse_submission(Path("mau.xlsx"), fill(template.read_bytes(), [example], first_row=2), lookup)
    assert parsed.header_error is None and parsed.errors == []
    [group] = parsed.groups
    [figure] = group.figures
    assert (figure.programme_code, figure.capital_source, figure.measure) == ("DTTS_MN", "investment", "disbursed")
    assert figure.amount_vnd == 18_300_000_000 and float(figure.rate_pct) == 24.28


def test_every_drop_down_value_is_accepted_by_the_reader(template: Path, lookup) -> None:
    """Each unit, role and code of the lists, typed in a row, is read without a code error."""
    base = OFFICER_ROWS[0]
    rows = [{**base, "capital_source": c} for c in CAPITAL_SOURCES] + [{**base, "measure": m} for m in MEASURES]
    rows += [{**base, "unit": u} for u in allowed_values()["unit"][:3]]
    rows += [{**OFFICER_ROWS[1], "unit": u} for u in INDICATOR_UNITS]
    rows += [{**OFFICER_ROWS[1], "role": r} for r in allowed_values()["role"]]
    parsed = parse_submission(Path("mau.xlsx"), fill(template.read_bytes(), rows), lookup)
    assert [e.detail for e in parsed.errors] == []
    assert sum(len(g.figures) for g in parsed.groups) == len(rows)  # the example row is not read


def test_an_officer_who_deletes_the_example_row_is_read(template: Path, lookup) -> None:
    # the officer types over row 2: the example is gone
    filled = fill(template.read_bytes(), OFFICER_ROWS, first_row=2)
    parsed = parse_submission(Path("mau.xlsx"), filled, lookup)
    assert parsed.header_error is None, parsed.header_error
    assert parsed.errors == []
    assert sum(len(g.figures) for g in parsed.groups) == 2


def test_an_officer_who_leaves_the_example_row_in_gets_only_their_rows_read(template: Path, lookup) -> None:
    filled = fill(template.read_bytes(), OFFICER_ROWS)
    parsed = parse_submission(Path("mau_ha_quang.xlsx"), filled, lookup)
    assert parsed.header_error is None, parsed.header_error
    assert parsed.errors == []
    figures = [f for g in parsed.groups for f in g.figures]
    assert len(figures) == 2
    funding = next(f for f in figures if f.kind == "funding")
    assert (funding.programme_code, funding.amount_vnd, float(funding.rate_pct)) == (
        "PUBLIC_INVESTMENT", 12_500_000_000, 15.9)
    assert all("EXAMPLE" not in f.source_quote for f in figures)
    indicator = next(f for f in figures if f.kind == "indicator")
    assert (indicator.indicator_code, int(indicator.actual_value)) == ("HOUSES_BUILT", 3)


def test_csv_template_has_the_header_and_the_marked_example(tmp_path: Path) -> None:
    path = write_template(tmp_path / "mau.csv", lang="en")
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert rows[0][1] == UNIT_HEADER["en"]
    assert rows[1][list(TEMPLATE_COLUMNS).index("note")] == EXAMPLE_NOTE
    assert rows[1][list(TEMPLATE_COLUMNS).index("value")] == "18,3"


def test_cells_that_a_spreadsheet_would_run_are_neutralised(tmp_path: Path, monkeypatch) -> None:
    import orchestration.outputs.template as template_module

    hostile = ["=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "\tx", "\rx"]
    monkeypatch.setattr(template_module, "EXAMPLE_ROW", {**template_module.EXAMPLE_ROW, "note": hostile[0],
                                                         "indicator_name": hostile[3]})
    monkeypatch.setattr(template_module, "MONEY_UNITS", tuple(hostile))
    path = write_template(tmp_path / "t.xlsx")
    with zipfile.ZipFile(path) as book:
        styles = book.read("xl/styles.xml").decode()
        sheets = "".join(book.read(n).decode() for n in book.namelist() if n.startswith("xl/worksheets/"))
        shared = book.read("xl/sharedStrings.xml").decode()
    assert "<f>" not in sheets  # written as text, never as a formula
    assert 'quotePrefix="1"' in styles  # and with Excel's quote prefix, so an edit does not run it either
    assert "=HYPERLINK" in shared
    csv_path = write_template(tmp_path / "t.csv")
    example = list(csv.reader(io.StringIO(csv_path.read_text(encoding="utf-8-sig"))))[1]
    assert example[list(TEMPLATE_COLUMNS).index("note")] == "'" + hostile[0]
    assert example[list(TEMPLATE_COLUMNS).index("indicator_name")] == "'" + hostile[3]
