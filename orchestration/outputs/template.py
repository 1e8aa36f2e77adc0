"""``provreport template``: the submission template a district (a commune from July 2025) fills in.

An XLSX workbook (XlsxWriter, the library the project already uses) of three sheets:

1. ``bao_cao``, the sheet the reader reads (``sources.submissions`` reads a workbook's *first*
   sheet): the header row, frozen; one example row, shaded and marked in its note
   (:data:`EXAMPLE_NOTE`), which the reader ignores; drop-down lists (data validation) on the
   columns that take a code: kind, programme, capital source, measure, indicator code, role, unit.
2. ``huong_dan``, the instructions, Vietnamese with English beside, one row per column. The
   workbook opens on it.
3. ``danh_muc`` (hidden), the allowed values the drop-down lists point at, read from where the
   project keeps them: ``sources.figures`` (programmes, capital sources, measures, units), the
   reader's own tables (kinds, roles, money units) and the dbt seed of indicators. Nothing is
   typed twice here.

The unit column is headed for both levels: districts report until June 2025, communes from July
2025 (:data:`UNIT_HEADER`). A CSV template carries the header and the example row only.

Every text cell starting with = + - @ or a tab or carriage return is written as text with a quote
prefix, so a spreadsheet never runs it as a formula.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

from orchestration.outputs.audit import FORMULA_PREFIXES, safe_cell
from sources.extract import INDICATOR_SEED
from sources.figures import CAPITAL_SOURCES, INDICATOR_UNITS, MEASURES, PROGRAMME_CODES
from sources.reference import seed_path
from sources.submissions import EXAMPLE_MARK, KINDS, MONEY_SCALES, ROLES, TEMPLATE_COLUMNS, UNIT_HEADER_EN, fold

DATA_SHEET, HELP_SHEET, LISTS_SHEET = "bao_cao", "huong_dan", "danh_muc"
# the reporting unit: a district before 1 July 2025, a commune after (the reader's own header)
UNIT_HEADER = {"vi": TEMPLATE_COLUMNS["district"][1], "en": UNIT_HEADER_EN}
# the note that marks the example row; the reader skips a row whose note starts with EXAMPLE_MARK (folded)
EXAMPLE_NOTE = f"{EXAMPLE_MARK}: dòng mẫu, không được đọc; điền từ dòng 3 / sample row, not read; fill from row 3"
EXAMPLE_ROW = {
    "province": "Cao Bằng", "district": "Hà Quảng", "period_start": "2023-01-01", "period_end": "2023-05-29",
    "kind": "funding", "programme_code": "DTTS_MN", "capital_source": "investment", "measure": "disbursed",
    "unit": "tỷ đồng", "value": 18.3, "rate_pct": 24.28, "note": EXAMPLE_NOTE,
}
# the money units as a district writes them; each folds to a key of the reader's MONEY_SCALES
MONEY_UNITS = ("VND", "triệu đồng", "tỷ đồng")
if not all(fold(u) in MONEY_SCALES for u in MONEY_UNITS):  # pragma: no cover - a guard on the reader's table
    raise RuntimeError("a money unit of the template is not one the reader knows (sources.submissions.MONEY_SCALES)")
DATA_ROWS = 2000  # rows that carry the drop-down lists

# column -> (Vietnamese help, English help)
HELP: dict[str, tuple[str, str]] = {
    "province": ("Tỉnh, thành phố (tên của tỉnh tại ngày cuối kỳ: sau 1/7/2025 là tỉnh mới).",
                 "Province as it was on the period's last day (from 1 July 2025 the new province)."),
    "district": ("Đơn vị báo cáo: huyện, thị xã, thành phố thuộc tỉnh đến 30/6/2025; xã, phường, đặc khu từ "
                 "1/7/2025. Ghi cả loại đơn vị khi hai đơn vị trùng tên (thị xã Kỳ Anh).",
                 "Reporting unit: a district until 30 June 2025; a commune, ward or special zone from 1 July "
                 "2025. Write its type word when two units share the name."),
    "period_start": ("Ngày đầu kỳ, ví dụ 2023-01-01 hoặc 01/01/2023.", "First day of the period (2023-01-01)."),
    "period_end": ("Ngày cuối kỳ, ví dụ 2023-05-31 hoặc 31/05/2023.", "Last day of the period (2023-05-31)."),
    "kind": ("funding = kinh phí (vốn); indicator = chỉ tiêu.", "funding (money) or indicator."),
    "programme_code": ("Mã chương trình (bắt buộc với dòng kinh phí).", "Programme code (funding rows)."),
    "capital_source": ("investment = vốn đầu tư; recurrent = vốn sự nghiệp; unspecified = không nêu.",
                       "Capital source: investment, recurrent or unspecified."),
    "measure": ("allocated = vốn giao; disbursed = giải ngân; requested = đề nghị; planned = kế hoạch; "
                "spent = đã chi.", "What the amount is: allocated, disbursed, requested, planned, spent."),
    "indicator_code": ("Mã chỉ tiêu trong danh mục; để trống thì hệ thống tìm theo tên chỉ tiêu.",
                       "Indicator code of the catalogue; leave empty to map it from the name."),
    "indicator_name": ("Tên chỉ tiêu như trong báo cáo.", "Indicator name as the report writes it."),
    "role": ("actual = thực hiện; target = kế hoạch, mục tiêu.", "actual (result) or target."),
    "unit": ("Đơn vị tính: với kinh phí VND, triệu đồng hoặc tỷ đồng; với chỉ tiêu percent, count, ha ...",
             "Unit: VND, triệu đồng or tỷ đồng for money; percent, count, ha ... for indicators."),
    "value": ("Giá trị: 28,757 hoặc 106.182 (dấu phẩy thập phân) hoặc 28757000000.",
              "Value: Vietnamese (28,757; 106.182) or plain (28757000000)."),
    "rate_pct": ("Tỷ lệ báo cáo nêu (%), ví dụ 24,28.", "The rate the report states, in percent (24,28)."),
    "note": ("Ghi chú (tên chương trình như báo cáo ghi ...).", "A note (the programme as written ...)."),
    "report_date": ("Ngày ký báo cáo, ví dụ 2023-06-05.", "The date the report was signed (2023-06-05)."),
}


def column_help(key: str) -> tuple[str, str]:
    """The instructions of a column; a column the reader gained since this table was written gets its
    headers as help, so the template always lists every column the reader knows."""
    en, vi, required = TEMPLATE_COLUMNS[key]
    need = ("bắt buộc", "required") if required else ("không bắt buộc", "optional")
    return HELP.get(key, (f"{vi} ({need[0]}).", f"{en} ({need[1]})."))


def neutral(value: object) -> object:
    """A text cell a spreadsheet will not run: = + - @ tab CR at its start are quoted (CSV) or written
    with Excel's quote prefix (XLSX, see :func:`_write`)."""
    return safe_cell(value)


def _indicator_rows() -> list[dict[str, str]]:
    with seed_path(INDICATOR_SEED).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def allowed_values() -> dict[str, list[str]]:
    """The drop-down lists, per column, from the project's own code lists."""
    return {
        "kind": [k for k in dict.fromkeys(KINDS.values()) if KINDS.get(fold(k)) == k],
        "programme_code": list(PROGRAMME_CODES),
        "capital_source": list(CAPITAL_SOURCES),
        "measure": list(MEASURES),
        "indicator_code": [r["indicator_code"] for r in _indicator_rows()],
        # only the roles the reader takes as written (it folds '_' to a space, so 'attainment_pct' is not one)
        "role": [r for r in dict.fromkeys(ROLES.values()) if ROLES.get(fold(r)) == r],
        "unit": [*MONEY_UNITS, *INDICATOR_UNITS],
    }


def headers(lang: str = "vi") -> list[str]:
    idx = 1 if lang == "vi" else 0
    return [UNIT_HEADER[lang] if key == "district" else cols[idx] for key, cols in TEMPLATE_COLUMNS.items()]


def write_template(path: Path, lang: str = "vi") -> Path:
    """Write the template as .xlsx (instructions, drop-down lists, example row) or .csv (header and the
    example row)."""
    if lang not in UNIT_HEADER:
        raise ValueError(f"lang '{lang}' is neither vi nor en")
    path = Path(path)
    if path.suffix.lower() == ".csv":
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow([neutral(h) for h in headers(lang)])
        writer.writerow([neutral(_csv_text(EXAMPLE_ROW.get(key))) for key in TEMPLATE_COLUMNS])
        path.write_text("\ufeff" + buf.getvalue(), encoding="utf-8")
        return path
    if path.suffix.lower() != ".xlsx":
        raise ValueError("the template is written as .xlsx or .csv")
    _write_xlsx(path, lang)
    return path


def _csv_text(value: object) -> str:
    """A number the Vietnamese way (18,3), as a district types it in a CSV; text as it is."""
    if isinstance(value, float):
        return str(value).replace(".", ",")
    return "" if value is None else str(value)


def _write(sheet, row: int, col: int, value: object, fmt=None, quoted=None) -> None:
    """Strings as strings, never formulas; a string starting with = + - @ tab CR gets the quote prefix."""
    if isinstance(value, str):
        sheet.write_string(row, col, value, quoted if value.startswith(FORMULA_PREFIXES) and quoted else fmt)
    elif value is None:
        sheet.write_blank(row, col, None, fmt)
    else:
        sheet.write_number(row, col, value, fmt)


def _write_xlsx(path: Path, lang: str) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    try:
        head = book.add_format({"bold": True, "bg_color": "#DDE5EE", "text_wrap": True, "valign": "top",
                                "border": 1})
        example = book.add_format({"italic": True, "font_color": "#7A5B00", "bg_color": "#FFF4CC"})
        example_q = book.add_format({"italic": True, "font_color": "#7A5B00", "bg_color": "#FFF4CC",
                                     "quote_prefix": True})
        text = book.add_format({"text_wrap": True, "valign": "top"})
        quoted = book.add_format({"quote_prefix": True, "text_wrap": True, "valign": "top"})
        title = book.add_format({"bold": True, "font_size": 14})

        data = book.add_worksheet(DATA_SHEET)
        help_sheet = book.add_worksheet(HELP_SHEET)
        lists = book.add_worksheet(LISTS_SHEET)

        # --- the allowed values, one column each, on the hidden sheet ---------------------------------
        allowed = allowed_values()
        ranges: dict[str, str] = {}
        for j, (key, values) in enumerate(allowed.items()):
            _write(lists, 0, j, key, head, quoted)
            for i, value in enumerate(values, 1):
                _write(lists, i, j, value, None, quoted)
            letter = xlsxwriter.utility.xl_col_to_name(j)
            ranges[key] = f"={LISTS_SHEET}!${letter}$2:${letter}${len(values) + 1}"
        lists.hide()

        # --- the data sheet: header, example row, validation, frozen header ----------------------------
        columns = list(TEMPLATE_COLUMNS)
        for j, header in enumerate(headers(lang)):
            _write(data, 0, j, header, head, quoted)
            data.set_column(j, j, 30 if columns[j] in ("district", "indicator_name", "note") else 16)
        for j, key in enumerate(columns):
            _write(data, 1, j, EXAMPLE_ROW.get(key), example, example_q)
        data.set_row(0, 32)
        data.freeze_panes(1, 0)
        for j, key in enumerate(columns):
            vi, en = column_help(key)
            prompt = {"input_title": TEMPLATE_COLUMNS[key][1 if lang == "vi" else 0][:32],
                      "input_message": f"{vi}\n{en}"[:255]}
            if key in ranges:
                data.data_validation(1, j, DATA_ROWS, j, {
                    "validate": "list", "source": ranges[key], "ignore_blank": True, "error_type": "stop",
                    "error_title": "Giá trị không hợp lệ / invalid",
                    "error_message": "Chọn một giá trị trong danh sách / pick a value from the list.",
                    **prompt})
            else:
                data.data_validation(1, j, DATA_ROWS, j, {"validate": "any", **prompt})

        # --- the instructions, Vietnamese with English beside ------------------------------------------
        _write(help_sheet, 0, 0, "Hướng dẫn điền mẫu báo cáo số liệu", title)
        _write(help_sheet, 0, 2, "How to fill in the submission template", title)
        intro = [
            ("Mỗi dòng của trang “bao_cao” là một số liệu: một khoản kinh phí hoặc một chỉ tiêu.",
             "Each row of sheet 'bao_cao' is one figure: an amount of money or an indicator."),
            ("Dòng 2 (tô vàng) là dòng mẫu; hệ thống bỏ qua dòng có ghi chú bắt đầu bằng “VÍ DỤ / EXAMPLE”. "
             "Điền số liệu từ dòng 3.",
             "Row 2 (shaded) is an example; a row whose note starts with 'VÍ DỤ / EXAMPLE' is not read. "
             "Fill in from row 3."),
            ("Đến 30/6/2025 đơn vị báo cáo là huyện; từ 1/7/2025 là xã, phường, đặc khu (tỉnh mới).",
             "Until 30 June 2025 the reporting unit is a district; from 1 July 2025 a commune (new province)."),
            ("Các cột có mã: chọn trong danh sách thả xuống.", "Columns that take a code: pick from the drop-down."),
            ("Định mức (ví dụ 1 tỷ đồng/xã/năm) ghi ở cột ghi chú, không cộng vào tổng.",
             "A per-unit norm (1 tỷ đồng per commune a year) goes in the note; it is never a total."),
        ]
        row = 2
        for vi, en in intro:
            _write(help_sheet, row, 0, vi, text, quoted)
            _write(help_sheet, row, 2, en, text, quoted)
            row += 1
        row += 1
        for j, label in enumerate(("Cột", "Hướng dẫn", "Column", "Instructions", "Giá trị cho phép / allowed values")):
            _write(help_sheet, row, j, label, head, quoted)
        for key in TEMPLATE_COLUMNS:
            vi, en = column_help(key)
            row += 1
            header_vi = UNIT_HEADER["vi"] if key == "district" else TEMPLATE_COLUMNS[key][1]
            header_en = UNIT_HEADER["en"] if key == "district" else TEMPLATE_COLUMNS[key][0]
            values = ", ".join(allowed.get(key, []))
            for j, value in enumerate((header_vi, vi, header_en, en, values)):
                _write(help_sheet, row, j, value, text, quoted)
        help_sheet.set_column(0, 0, 26)
        help_sheet.set_column(1, 1, 60)
        help_sheet.set_column(2, 2, 26)
        help_sheet.set_column(3, 3, 60)
        help_sheet.set_column(4, 4, 50)
        _write(help_sheet, row + 2, 0, f"Mẫu lập ngày {date.today().isoformat()} bởi provreport template",
               text, quoted)
        help_sheet.activate()  # the workbook opens on the instructions; the reader still reads bao_cao
    finally:
        book.close()
