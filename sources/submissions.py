"""The spreadsheet submission template (CSV or XLSX): one row per figure, checked row by row.

Districts fill one row per funding or indicator figure. Headers may be in English or in
Vietnamese (with or without diacritics). Every row is validated: codes, numbers (Vietnamese
"28,757" / "106.182" or plain "28757000000"), dates, and a district the gazetteer knows for
that date. A bad row is rejected with its row number, column and reason; good rows become
figures like those extracted from prose, marked ``source_kind = 'submission'``. The text kept
for a submission is a canonical rendering of its rows, one line a row, so that every figure
still has a quote and offsets that point at it.
"""

from __future__ import annotations

import csv
import difflib
import io
import posixpath
import re
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import polars as pl
from defusedxml import ElementTree

from sources.extract import INDICATOR_SEED, catalogue_codes, map_indicator
from sources.figures import CAPITAL_SOURCES, INDICATOR_UNITS, MEASURES, PROGRAMME_CODES, Figure, PlaceResolution
from sources.numbers import MAX_AMOUNT_VND, out_of_range, parse_number
from sources.places import REFORM_DATE
from sources.readers import DEFAULT_LIMITS, Limits, UnreadableFile, check_container

# canonical column -> (English header, Vietnamese header, required)
TEMPLATE_COLUMNS: dict[str, tuple[str, str, bool]] = {
    "province": ("province", "Tỉnh", True),
    # districts report until June 2025, communes from July 2025 (the reporting unit of either map)
    "district": ("district", "Huyện/Xã (đơn vị báo cáo)", True),
    "period_start": ("period_start", "Từ ngày", True),
    "period_end": ("period_end", "Đến ngày", True),
    "kind": ("kind", "Loại", True),
    "programme_code": ("programme_code", "Mã chương trình", False),
    "capital_source": ("capital_source", "Nguồn vốn", False),
    "measure": ("measure", "Loại số liệu", False),
    "indicator_code": ("indicator_code", "Mã chỉ tiêu", False),
    "indicator_name": ("indicator_name", "Tên chỉ tiêu", False),
    "role": ("role", "Vai trò", False),
    "unit": ("unit", "Đơn vị tính", False),
    "value": ("value", "Giá trị", False),
    "rate_pct": ("rate_pct", "Tỷ lệ (%)", False),
    "note": ("note", "Ghi chú", False),
    # the date the submission states for itself (kept as the report's date, beside the time the
    # pipeline received it, which the sender cannot set)
    "report_date": ("report_date", "Ngày báo cáo", False),
}

KINDS = {"funding": "funding", "kinh phi": "funding", "von": "funding",
         "indicator": "indicator", "chi tieu": "indicator"}
# keyed as `fold` leaves them: "attainment_pct" folds to "attainment pct"
ROLES = {"actual": "actual", "thuc hien": "actual", "target": "target", "ke hoach": "target",
         "attainment pct": "attainment_pct", "exceed pct": "exceed_pct", "change": "change"}
# The template's example row says so at the start of its note; the reader skips such a row, so a
# district officer who leaves it in sends nothing false.
EXAMPLE_MARK = "VÍ DỤ / EXAMPLE"
MONEY_SCALES = {"vnd": 1, "dong": 1, "nghin dong": 10**3, "trieu dong": 10**6, "ty dong": 10**9}


def fold(text: str) -> str:
    """Lowercase, no diacritics, single spaces: how headers and codes are compared."""
    text = unicodedata.normalize("NFD", text.strip().lower()).replace("đ", "d")
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    return re.sub(r"[\s_]+", " ", text).strip()


HEADER_ALIASES: dict[str, str] = {}
for _canon, (_en, _vi, _req) in TEMPLATE_COLUMNS.items():
    HEADER_ALIASES[fold(_en)] = _canon
    HEADER_ALIASES[fold(_vi)] = _canon
HEADER_ALIASES[fold("Tỷ lệ")] = "rate_pct"
HEADER_ALIASES[fold("Đơn vị")] = "unit"
# the template's English header for the unit, and the Vietnamese one before communes reported
UNIT_HEADER_EN = "district/commune (reporting unit)"
HEADER_ALIASES[fold(UNIT_HEADER_EN)] = HEADER_ALIASES[fold("Huyện")] = "district"


@dataclass(slots=True)
class RowError:
    row_number: int  # 1-based, counting the header as row 1 (as a spreadsheet shows it)
    column_name: str | None
    reason: str
    detail: str


@dataclass(slots=True)
class SubmissionGroup:
    """The rows of one district and period: they become one report."""

    place: PlaceResolution
    period_start: date
    period_end: date
    lines: list[str] = field(default_factory=list)
    report_date: date | None = None  # the latest date its rows state for the submission
    figures: list[Figure] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass(slots=True)
class ParsedSubmission:
    groups: list[SubmissionGroup]
    errors: list[RowError]
    header_error: str | None = None


def read_table(path: Path, data: bytes, limits: Limits = DEFAULT_LIMITS) -> list[tuple[int, dict[str, str]]]:
    """Rows as strings keyed by the header as written, each with its row number as the
    spreadsheet shows it (XLSX through fastexcel, within ``limits``; CSV through csv); blank rows keep
    their numbers."""
    if path.suffix.lower() == ".xlsx":
        return _read_xlsx(path.name, data, limits)
    text = data.decode("utf-8-sig")
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    return [(reader.line_num, row) for row in reader]


def _read_xlsx(name: str, data: bytes, limits: Limits = DEFAULT_LIMITS) -> list[tuple[int, dict[str, str]]]:
    """The first sheet as text, with every numeric cell written back from the number it holds.

    A numeric cell holds a number, not a way of writing one: 45.125 rendered as the text '45.125'
    would parse as 45 125 (Vietnamese thousands), and in a column that mixes numeric and text
    cells fastexcel renders both as text. The cells' types are read from the sheet's XML, and a
    numeric cell is written with the decimal comma, which parse_value reads unambiguously. Cells
    fastexcel renders as dates (numbers with a date format) are left as it renders them.

    The workbook's unpacked size is checked against ``limits`` before
    anything inflates it (:func:`sources.readers.check_container`); its XML is read with defusedxml, streaming, so no
    entity is expanded and the sheet is never held whole as a tree.
    """
    check_container(name, data, limits)
    frame = pl.read_excel(io.BytesIO(data), engine="calamine", infer_schema_length=0,
                          drop_empty_rows=False, drop_empty_cols=False)
    numbers, first_row, first_col = _numeric_cells(data)
    rows = []
    for i, row in enumerate(frame.iter_rows(named=True)):
        sheet_row = first_row + 1 + i
        for j, column in enumerate(frame.columns):
            raw = numbers.get((sheet_row, first_col + j))
            if raw is not None and _PLAIN_NUMBER.fullmatch(row[column] or ""):
                # stored as a double ('87.081999999999994'): its shortest round-trip form is the number typed
                row[column] = _decimal_comma(Decimal(repr(float(raw))))
        rows.append((sheet_row, row))
    return rows


_PLAIN_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")
_SHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELS_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def _numeric_cells(data: bytes) -> tuple[dict[tuple[int, int], str], int, int]:
    """The numeric cells of the workbook's first sheet, (row, column) -> the number as stored,
    and the first row and column holding a value (where fastexcel's table starts)."""
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
        first = workbook.find(f"{_SHEET_NS}sheets/{_SHEET_NS}sheet")
        rels = ElementTree.fromstring(book.read("xl/_rels/workbook.xml.rels"))
        target = next(r.get("Target") for r in rels if r.get("Id") == first.get(f"{_RELS_NS}id"))
        sheet_path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
        numbers: dict[tuple[int, int], str] = {}
        first_row = first_col = None
        with book.open(sheet_path) as sheet:
            rows_parent = None
            for event, cell in ElementTree.iterparse(sheet, events=("start", "end")):
                if event == "start":
                    if cell.tag == f"{_SHEET_NS}sheetData":
                        rows_parent = cell
                    continue
                if cell.tag == f"{_SHEET_NS}row":
                    if rows_parent is not None:
                        rows_parent.remove(cell)  # streaming: the rows read are dropped
                    continue
                if cell.tag != f"{_SHEET_NS}c":
                    continue
                value = cell.find(f"{_SHEET_NS}v")
                inline = cell.find(f"{_SHEET_NS}is")
                if (value is None or value.text is None) and inline is None:
                    continue
                row, col = _cell_position(cell.get("r", ""))
                first_row = row if first_row is None else min(first_row, row)
                first_col = col if first_col is None else min(first_col, col)
                if cell.get("t", "n") == "n" and value is not None and value.text:
                    numbers[(row, col)] = value.text
    return numbers, first_row or 1, first_col or 1


def _cell_position(ref: str) -> tuple[int, int]:
    """'B12' -> (12, 2)."""
    m = re.fullmatch(r"([A-Z]+)(\d+)", ref)
    if not m:
        raise ValueError(f"cell reference '{ref}' is not a cell reference")
    col = 0
    for letter in m.group(1):
        col = col * 26 + ord(letter) - ord("A") + 1
    return int(m.group(2)), col


def _decimal_comma(value: Decimal) -> str:
    """A number as text with the decimal comma: 45.125 -> '45,125', 13791.0 -> '13791'."""
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f").replace(".", ",")


def parse_value(raw: str) -> Decimal:
    """A number as a district writes it: '28,757', '106.182', '1.234,5', '28757000000', '46%' (one parser
    for narrative and submissions: :func:`sources.numbers.parse_number`)."""
    try:
        return parse_number(raw)
    except ValueError as exc:
        raise ValueError(f"'{raw}' is not a number") from exc


def parse_date(raw: str) -> date:
    s = raw.strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"):
        try:
            return datetime.strptime(s, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"'{raw}' is not a date (write 2023-05-31 or 31/05/2023)")


def indicator_code(code: str | None, name: str, unit: str) -> str:
    """A given code, checked against the catalogue; no code: the name mapped as prose extraction maps it."""
    if code:
        code = code.strip().upper()
        if code not in catalogue_codes():
            near = difflib.get_close_matches(code, sorted(catalogue_codes()), n=1)
            hint = f"did you mean {near[0]}? " if near else ""
            raise ValueError(
                f"indicator_code '{code}' is not in the indicator catalogue: {hint}valid codes are the "
                f"indicator_code column of dbt_project/seeds/{INDICATOR_SEED}, or leave indicator_code "
                f"empty to have it mapped from indicator_name")
        return code
    # prose is NFC-normalised before it is mapped; a spreadsheet cell may hold decomposed diacritics
    return map_indicator(unicodedata.normalize("NFC", name), unit)


DistrictLookup = Callable[[str, str | None, date | None], PlaceResolution | None]


def parse_submission(path: Path, data: bytes, lookup: DistrictLookup,
                     limits: Limits = DEFAULT_LIMITS) -> ParsedSubmission:
    """Validate every row; group the good ones by district and period. A workbook over ``limits``
    raises :class:`sources.readers.UnreadableFile` (``too_large_unpacked``)."""
    try:
        rows = read_table(path, data, limits)
    except UnreadableFile:
        raise
    except Exception as exc:  # a damaged workbook or undecodable CSV refuses the whole file
        return ParsedSubmission([], [], header_error=f"the spreadsheet could not be read: {exc}")
    if not rows:
        return ParsedSubmission([], [], header_error="the spreadsheet has a header but no rows")
    headers = {h: HEADER_ALIASES.get(fold(h or "")) for h in rows[0][1]}
    present = {c for c in headers.values() if c}
    missing = [TEMPLATE_COLUMNS[c][0] for c, (_e, _v, req) in TEMPLATE_COLUMNS.items() if req and c not in present]
    if missing:
        return ParsedSubmission(
            [], [], header_error=f"not the submission template: missing column(s) {', '.join(missing)} "
            f"(`provreport template` writes an empty template)",
        )
    groups: dict[tuple, SubmissionGroup] = {}
    errors: list[RowError] = []
    for n, raw_row in rows:
        row = {headers[h]: (v or "").strip() for h, v in raw_row.items() if headers.get(h)}
        if not any(row.values()) or fold(row.get("note", "")).startswith(fold(EXAMPLE_MARK)):
            continue
        try:
            key, group_place, period, figure_args = _validate_row(row, lookup)
        except _RowInvalid as bad:
            errors.append(RowError(n, bad.column, bad.reason, f"row {n}: {bad.detail}"))
            continue
        stated = None
        if row.get("report_date"):
            try:
                stated = parse_date(row["report_date"])
            except ValueError as exc:
                errors.append(RowError(n, "report_date", "bad_date", f"row {n}: {exc}"))
                continue
        group = groups.get(key)
        if group is None:
            group = groups[key] = SubmissionGroup(group_place, period[0], period[1])
        if stated is not None and (group.report_date is None or stated > group.report_date):
            group.report_date = stated
        line = f"row {n}: " + "; ".join(f"{TEMPLATE_COLUMNS[c][0]}={v}" for c, v in row.items() if v)
        offset = sum(len(x) + 1 for x in group.lines)
        group.lines.append(line)
        group.figures.append(
            Figure(local_id=len(group.figures), rule="submission_row", source_quote=line,
                   char_start=offset, char_end=offset + len(line), sentence=line,
                   period_start=period[0], period_end=period[1], **figure_args)
        )
    return ParsedSubmission(list(groups.values()), errors)


class _RowInvalid(Exception):
    def __init__(self, column: str | None, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.column, self.reason, self.detail = column, reason, detail


def _validate_row(row: dict[str, str], lookup: DistrictLookup):
    def need(col: str) -> str:
        value = row.get(col, "")
        if not value:
            raise _RowInvalid(TEMPLATE_COLUMNS[col][0], "missing_value", f"{TEMPLATE_COLUMNS[col][0]} is empty")
        return value

    try:
        start = parse_date(need("period_start"))
    except ValueError as exc:
        raise _RowInvalid("period_start", "bad_date", str(exc)) from exc
    try:
        end = parse_date(need("period_end"))
    except ValueError as exc:
        raise _RowInvalid("period_end", "bad_date", str(exc)) from exc
    if start > end:
        raise _RowInvalid("period_start", "bad_period", f"period_start {start} is after period_end {end}")
    province, district = need("province"), need("district")
    place = lookup(district, province, end)
    if place is not None and place.method == "ambiguous":
        raise _RowInvalid("district", "ambiguous_district",
                          f"'{district}' in province '{province}' names {len(place.candidates)} units: "
                          f"{'; '.join(place.candidates)}. Write its type word too (huyện, thị xã, xã, phường ...)")
    if place is None or place.district_code is None:
        unit = "commune (xã, phường or đặc khu)" if end >= REFORM_DATE else "district"
        raise _RowInvalid("district", "unknown_district",
                          f"no {unit} '{district}' in province '{province}' valid on {end}"
                          + (": districts were abolished on 1 July 2025; name the commune and its new province"
                             if end >= REFORM_DATE else ""))
    kind = KINDS.get(fold(need("kind")))
    if kind is None:
        raise _RowInvalid("kind", "bad_code", f"kind '{row['kind']}' is neither funding nor indicator")
    rate = None
    if row.get("rate_pct"):
        try:
            rate = parse_value(row["rate_pct"])
        except ValueError as exc:
            raise _RowInvalid("rate_pct", "bad_number", str(exc)) from exc
        if not rate.is_finite() or not Decimal(0) <= rate <= Decimal(1000):
            raise _RowInvalid("rate_pct", "out_of_range", f"rate {rate}% is outside 0-1000%")
    value = None
    if row.get("value"):
        try:
            value = parse_value(row["value"])
        except ValueError as exc:
            raise _RowInvalid("value", "bad_number", str(exc)) from exc
        why = out_of_range(value)
        if why:
            raise _RowInvalid("value", "out_of_range", f"value '{row['value'][:40]}' {why}")
    args: dict = {"kind": kind}
    if kind == "funding":
        code = need("programme_code").upper()
        if code not in PROGRAMME_CODES:
            raise _RowInvalid("programme_code", "bad_code",
                              f"programme_code '{code}' is not one of {', '.join(PROGRAMME_CODES)}")
        capital = (row.get("capital_source") or "unspecified").lower()
        if capital not in CAPITAL_SOURCES:
            raise _RowInvalid("capital_source", "bad_code",
                              f"capital_source '{capital}' is not one of {', '.join(CAPITAL_SOURCES)}")
        measure = need("measure").lower()
        if measure not in MEASURES:
            raise _RowInvalid("measure", "bad_code", f"measure '{measure}' is not one of {', '.join(MEASURES)}")
        if value is None and rate is None:
            raise _RowInvalid("value", "missing_value", "a funding row needs a value or a rate_pct")
        scale = MONEY_SCALES.get(fold(row.get("unit") or "vnd"))
        if scale is None:
            raise _RowInvalid("unit", "bad_code", f"money unit '{row['unit']}' is not VND, triệu đồng or tỷ đồng")
        if value is not None and value < 0:
            raise _RowInvalid("value", "out_of_range", "an amount cannot be negative")
        if value is not None and value * scale > MAX_AMOUNT_VND:
            raise _RowInvalid("value", "out_of_range",
                              f"value '{row['value'][:40]}' {row.get('unit') or 'VND'} "
                              f"{out_of_range(value * scale, amount=True)}")
        args.update(programme_code=code, programme_text=row.get("note") or None, capital_source=capital,
                    measure=measure, rate_pct=rate,
                    amount_vnd=int(value * scale) if value is not None else None)
    else:
        name = row.get("indicator_name") or row.get("indicator_code")
        if not name:
            raise _RowInvalid("indicator_name", "missing_value", "an indicator row needs indicator_name or _code")
        unit = row.get("unit") or "other"
        if unit not in INDICATOR_UNITS:
            raise _RowInvalid("unit", "bad_code", f"unit '{unit}' is not one of {', '.join(INDICATOR_UNITS)}")
        role = ROLES.get(fold(row.get("role") or "actual"))
        if role is None:
            raise _RowInvalid("role", "bad_code", f"role '{row['role']}' is not actual or target")
        if value is None:
            raise _RowInvalid("value", "missing_value", "an indicator row needs a value")
        column = {"actual": "actual_value", "target": "target_value", "attainment_pct": "attainment_pct",
                  "exceed_pct": "exceed_pct", "change": "change_value"}[role]
        try:
            code = indicator_code(row.get("indicator_code"), name, unit)
        except ValueError as exc:
            raise _RowInvalid("indicator_code", "bad_code", str(exc)) from exc
        args.update(indicator_code=code, indicator_name=name, unit=unit, **{column: value})
        if rate is not None and role == "actual":
            args["attainment_pct"] = rate
    key = (place.district_code, start, end)
    return key, place, (start, end), args
