"""Deterministic synthetic district reports (Vietnamese prose and spreadsheet submissions) with their true figures.

``generate_corpus(out_dir, n_reports=N, seed=S, submission_share=0.2)`` writes N documents and
``gold.jsonl`` beside them in the gold schema of the evaluation set, so the scorer measures both
paths into the warehouse at any scale:

- prose reports (``.txt``), built from phrase pools in three genres (a programme disbursement
  note, a monthly socio-economic notice, an annual conference report with a scorecard and next
  year's targets), for real districts of the gazetteer, with the traps real reports carry: dates
  and document numbers beside figures, hedges, components in parentheses, ordinals, term labels,
  page furniture;
- spreadsheet submissions in the project's template (``sources.submissions``), alternately
  ``.csv`` and ``.xlsx``, ``floor(N * submission_share)`` of the N documents spread evenly: one
  district and one period (a month, quarter, half year, nine months or year) a file, one row a
  figure: funding rows (programme code, capital source, allocated / disbursed / requested /
  planned / spent, the amount in VND, triệu đồng or tỷ đồng written the Vietnamese way
  ``106.182`` / ``45,5`` or plainly, an optional disbursement rate) and indicator rows (name,
  optional catalogue code, role actual or target, unit, value, an optional attainment rate),
  with Vietnamese, unaccented Vietnamese or English headers, ISO, dd/mm/yyyy or spreadsheet
  dates, ``,`` or ``;`` separated CSV with or without a BOM, and numbers as text or as numeric
  cells. Their gold holds the values the pipeline must store (integer VND for money) and, as
  quote, the canonical row line the pipeline keeps as a submission figure's ``source_quote``
  (``row 2: province=...; district=...; ...``). Districts whose name is shared by another unit
  of the same province (a huyện and a thị xã of one name) are left out of submissions, since the
  template cannot tell them apart; no two submissions share a district and period, since the
  later would supersede the earlier as a corrected version.

Prose reports draw from the seed's random stream and submissions from a stream of their own, so a
corpus with ``submission_share=0`` is exactly the prose corpus. Same seed, same bytes (XLSX
files included: their document properties carry a fixed created date).
"""

from __future__ import annotations

import calendar
import csv
import io
import json
import math
import random
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import xlsxwriter

from sources.numbers import format_vn
from sources.reference import seed_path
from sources.submissions import TEMPLATE_COLUMNS

PROGRAMMES = {
    "NTM": ["Chương trình mục tiêu quốc gia xây dựng nông thôn mới", "Chương trình MTQG xây dựng nông thôn mới"],
    "GNBV": ["Chương trình mục tiêu quốc gia giảm nghèo bền vững", "Chương trình MTQG giảm nghèo bền vững"],
    "DTTS_MN": ["Chương trình mục tiêu quốc gia phát triển kinh tế - xã hội vùng đồng bào dân tộc thiểu số và miền núi",
                "Chương trình phát triển KT - XH vùng đồng bào dân tộc thiểu số và miền núi"],
}
CAPITAL = {"investment": "vốn đầu tư", "recurrent": "vốn sự nghiệp"}
DOC_REFS = ["Quyết định số 1719/QĐ-TTg", "Nghị quyết số 26-NQ/TW", "Kết luận số 137-KL/TU", "Chỉ thị số 10-CT/TU",
            "Kế hoạch số 85-KH/HU", "Công văn số 3399-CV/UBND"]
FURNITURE = ["Thống kê truy cập", "  • Đang truy cập: {n}", "  • Hôm nay: {n}", "  • Tổng lượt truy cập: {n}",
             "Đăng nhập"]


@dataclass(frozen=True, slots=True)
class District:
    name: str
    type: str
    province: str


@dataclass(slots=True)
class CorpusInfo:
    out_dir: Path
    reports: int  # every document written, prose and submissions
    figures: int
    submissions: int = 0


def load_districts() -> list[District]:
    with seed_path("admin/admin_provinces_pre2025.csv").open(encoding="utf-8") as fh:
        provinces = {r["province_code"]: r["province_name"] for r in csv.DictReader(fh)}
    with seed_path("admin/admin_districts_pre2025.csv").open(encoding="utf-8") as fh:
        return [District(r["district_name"], r["district_type"], provinces[r["province_code"]])
                for r in csv.DictReader(fh) if r["district_type"] == "huyện"]


def _money(rng: random.Random, low: float, high: float) -> tuple[int, str]:
    """An amount in millions (triệu đồng) or billions with decimals (tỷ đồng), and how it is written."""
    if rng.random() < 0.5:
        millions = rng.randint(int(low * 1000), int(high * 1000))
        return millions * 1_000_000, f"{format_vn(millions, 0)} triệu đồng"
    billions = round(rng.uniform(low, high), 3)
    text = format_vn(billions, 3)
    return round(billions * 1_000_000_000), f"{text} tỷ đồng"


def _pct(rng: random.Random, low: float, high: float) -> tuple[float, str]:
    value = round(rng.uniform(low, high), 2)
    return value, f"{format_vn(value, 2)}%"


class _Doc:
    """A report being written: text plus the gold records of its figures."""

    def __init__(self, name: str, district: District, year: int) -> None:
        self.name, self.district, self.year = name, district, year
        self.parts: list[str] = []
        self.gold: list[dict] = []

    def add(self, text: str) -> None:
        self.parts.append(text)

    def record(self, kind: str, quote: str, **fields) -> None:
        self.gold.append({"doc": self.name, "kind": kind, "province": self.district.province,
                          "district": self.district.name, "quote": quote, **fields})

    @property
    def text(self) -> str:
        return "\n\n".join(self.parts) + "\n"


def _disbursement_note(doc: _Doc, rng: random.Random) -> None:
    d, y = doc.district, doc.year
    day, month = rng.randint(1, 28), rng.randint(6, 11)
    doc.add(f"UBND tỉnh làm việc với huyện {d.name} về tình hình giải ngân vốn năm {y}")
    doc.add(f"Ngày {day}/{month}/{y}, UBND tỉnh {d.province} đã làm việc với huyện {d.name} để đánh giá tình hình "
            f"thực hiện nhiệm vụ phát triển kinh tế - xã hội theo {rng.choice(DOC_REFS)}.")
    code = rng.choice(list(PROGRAMMES))
    cap = rng.choice(list(CAPITAL))
    allocated, a_text = _money(rng, 20, 150)
    share = rng.uniform(0.4, 0.95)
    disbursed = round(allocated * share / 1_000_000) * 1_000_000
    d_text = f"{format_vn(disbursed // 1_000_000, 0)} triệu đồng"
    rate = round(100 * disbursed / allocated, 2)
    alloc_quote = f"tổng {CAPITAL[cap]} được phân bổ là {a_text}"
    disb_quote = f"giải ngân {d_text}, đạt {format_vn(rate, 2)}% kế hoạch vốn"
    doc.add(f"Thực hiện {rng.choice(PROGRAMMES[code])} năm {y}, {alloc_quote}; đến ngày {day}/{month}/{y} đã "
            f"{disb_quote}.")
    doc.record("funding", alloc_quote, programme=code, capital_source=cap, measure="allocated", value=allocated,
               unit="VND", rate_pct=None, period=str(y))
    doc.record("funding", disb_quote, programme=code, capital_source=cap, measure="disbursed", value=disbursed,
               unit="VND", rate_pct=rate, period=f"{y}-01-01..{y}-{month:02d}-{day:02d}")
    if rng.random() < 0.6:
        hedge = rng.choice(["hơn", "khoảng", "gần"])
        need, n_text = _money(rng, 2, 30)
        quote = f"tổng kinh phí đề xuất hỗ trợ {hedge} {n_text}"
        doc.add(f"Huyện kiến nghị tỉnh quan tâm bố trí vốn khắc phục hậu quả thiên tai (từ ngày 03 - 05/9/{y}), "
                f"{quote}.")
        doc.record("funding", quote, programme="OTHER", capital_source="unspecified", measure="requested",
                   value=need, unit="VND", rate_pct=None, period=str(y))


def _monthly_notice(doc: _Doc, rng: random.Random) -> None:
    d, y = doc.district, doc.year
    month = rng.randint(3, 11)
    doc.add(f"THÔNG BÁO\n\nKết luận của Thường trực Huyện ủy {d.name} tại Hội nghị sơ kết tình hình công tác "
            f"tháng {month}, xây dựng chương trình công tác tháng {month + 1} năm {y}")
    doc.add(f"Ngày {rng.randint(2, 12)}/{month + 1}/{y}, Thường trực Huyện ủy tổ chức Hội nghị Ban Thường vụ Huyện ủy "
            f"mở rộng lần thứ {rng.randint(5, 40)}, nhiệm kỳ 2020 - 2025.")
    revenue, r_text = _money(rng, 2, 60)
    att, att_text = _pct(rng, 40, 120)
    quote = f"thu ngân sách nội địa đạt {r_text}, đạt {att_text} dự toán"
    enterprises = rng.randint(2, 20)
    workers = rng.randint(10, 300)
    sentences = [quote, f"phát triển mới {enterprises:02d} doanh nghiệp",
                 f"đưa {workers} lao động đi làm việc có thời hạn ở nước ngoài"]
    doc.add(f"Tình hình kinh tế - xã hội {month} tháng đầu năm {y} tiếp tục ổn định; " + "; ".join(sentences) + ".")
    period = f"{y}-01-01..{y}-{month:02d}-28"
    doc.record("indicator", quote, indicator="thu ngân sách nội địa", role="actual", value=revenue, unit="VND",
               qualifier=None, period=period)
    doc.record("indicator", quote, indicator="thu ngân sách nội địa", role="attainment_pct", value=att,
               unit="percent", qualifier=None, period=period)
    doc.record("indicator", sentences[1], indicator="số doanh nghiệp thành lập mới", role="actual", value=enterprises,
               unit="count", qualifier=None, period=period)
    doc.record("indicator", sentences[2], indicator="số lao động đi làm việc ở nước ngoài", role="actual",
               value=workers, unit="person", qualifier=None, period=period)


TARGET_POOL = [
    ("Tốc độ tăng giá trị sản xuất đạt {v}%", "tốc độ tăng giá trị sản xuất", "percent", (3, 12)),
    ("tỷ lệ che phủ rừng đạt {v}%", "tỷ lệ che phủ rừng", "percent", (40, 80)),
    ("tỷ lệ lao động qua đào tạo đạt {v}%", "tỷ lệ lao động qua đào tạo", "percent", (40, 75)),
    ("{v}% dân số tham gia bảo hiểm y tế", "tỷ lệ dân số tham gia bảo hiểm y tế", "percent", (90, 99)),
    ("tỷ lệ trường đạt chuẩn quốc gia đạt {v}%", "tỷ lệ trường đạt chuẩn quốc gia", "percent", (30, 90)),
    ("tỷ lệ trẻ em dưới 5 tuổi bị suy dinh dưỡng dưới {v}%", "tỷ lệ trẻ em dưới 5 tuổi bị suy dinh dưỡng", "percent",
     (8, 25)),
]


def _annual_conference(doc: _Doc, rng: random.Random) -> None:
    d, y = doc.district, doc.year
    doc.add(f"Hội nghị Ban Chấp hành Đảng bộ huyện {d.name} lần thứ {rng.randint(10, 30)}, khoá VI")
    doc.add(f"Ngày {rng.randint(10, 28)}/12/{y}, Ban Chấp hành Đảng bộ huyện {d.name}, tỉnh {d.province} tổ chức "
            f"Hội nghị để xem xét báo cáo tình hình kinh tế - xã hội năm {y} và nhiệm vụ năm {y + 1}.")
    total = rng.randint(20, 30)
    met = rng.randint(total - 6, total)
    exceeded = rng.randint(1, met)
    score_quote = (f"có {met}/{total} chỉ tiêu theo Nghị quyết đạt và vượt kế hoạch, trong đó, có {exceeded} chỉ tiêu "
                   f"vượt kế hoạch")
    exc, exc_text = _pct(rng, 1, 40)
    exc_quote = f"sản lượng lương thực có hạt vượt {exc_text} so với kế hoạch"
    doc.add(f"Năm {y}, tình hình kinh tế - xã hội của huyện đạt nhiều kết quả tích cực; {score_quote}, đó là: "
            f"{exc_quote}.")
    doc.record("scorecard", score_quote, met_or_exceeded=met, total=total, exceeded=exceeded, period=str(y))
    doc.record("indicator", exc_quote, indicator="sản lượng lương thực có hạt", role="exceed_pct", value=exc,
               unit="percent", qualifier=None, period=str(y))
    picks = rng.sample(TARGET_POOL, k=4)
    items = []
    for template, name, unit, (lo, hi) in picks:
        value = round(rng.uniform(lo, hi), 1)
        phrase = template.format(v=format_vn(value, 1))
        items.append(phrase)
        qualifier = "dưới" if "dưới {v}" in template else None
        doc.record("indicator", phrase, indicator=name, role="target", value=value, unit=unit, qualifier=qualifier,
                   period=str(y + 1))
    income = round(rng.uniform(20, 70), 1)
    income_phrase = f"thu nhập bình quân đầu người đạt {format_vn(income, 1)} triệu đồng/người"
    items.append(income_phrase)
    doc.record("indicator", income_phrase, indicator="thu nhập bình quân đầu người", role="target",
               value=round(income * 1_000_000), unit="VND", qualifier=None, period=str(y + 1))
    doc.add(f"Năm {y + 1}, Ban Chấp hành Đảng bộ huyện đã đề ra {len(items) + 20} chỉ tiêu chủ yếu như: "
            + "; ".join(items) + ".")
    doc.record("indicator", f"đã đề ra {len(items) + 20} chỉ tiêu", indicator="số chỉ tiêu chủ yếu đề ra",
               role="target", value=len(items) + 20, unit="count", qualifier=None, period=str(y + 1))


GENRES = (_disbursement_note, _monthly_notice, _annual_conference)


# --- spreadsheet submissions -------------------------------------------------------------------

# (indicator code, name, unit, low, high, decimals): the indicators a district fills in the template
SUBMISSION_INDICATORS = [
    ("NEW_ENTERPRISES", "Số doanh nghiệp thành lập mới", "count", 2, 60, 0),
    ("LABOUR_EXPORT", "Số lao động đi làm việc ở nước ngoài", "person", 10, 450, 0),
    ("JOBS_CREATED", "Số lao động được tạo việc làm", "person", 300, 4500, 0),
    ("POOR_HOUSEHOLDS", "Số hộ nghèo", "household", 80, 6000, 0),
    ("NTM_COMMUNES", "Số xã đạt chuẩn nông thôn mới", "commune", 1, 22, 0),
    ("FOOD_OUTPUT", "Tổng sản lượng lương thực", "tonne", 4000, 150000, 0),
    ("AGRI_LAND_CONSOLIDATED", "Diện tích đất nông nghiệp được tích tụ tập trung", "ha", 10, 900, 1),
    ("POVERTY_RATE", "Tỷ lệ hộ nghèo", "percent", 0.5, 45, 2),
    ("FOREST_COVER", "Tỷ lệ che phủ rừng", "percent", 30, 80, 1),
    ("HEALTH_INSURANCE", "Tỷ lệ dân số tham gia bảo hiểm y tế", "percent", 85, 99.5, 2),
    ("TRAINED_LABOUR", "Tỷ lệ lao động qua đào tạo", "percent", 40, 80, 1),
    ("BUDGET_REVENUE_DOMESTIC", "Thu ngân sách nội địa", "VND", 2e9, 90e9, 0),
    ("INCOME_PER_CAPITA", "Thu nhập bình quân đầu người", "VND", 20e6, 80e6, 0),
]
SUBMISSION_PROGRAMMES = ("NTM", "GNBV", "DTTS_MN", "PUBLIC_INVESTMENT", "OTHER")
# how a money unit may be written, and its scale in VND ("" means VND)
MONEY_UNITS = [("VND", 1), ("đồng", 1), ("", 1), ("triệu đồng", 10**6), ("Triệu đồng", 10**6),
               ("trieu dong", 10**6), ("tỷ đồng", 10**9), ("Tỷ đồng", 10**9)]
KIND_WORDS = {"funding": ["funding", "kinh phí", "Kinh phí", "vốn"], "indicator": ["indicator", "chỉ tiêu", "Chỉ tiêu"]}
ROLE_WORDS = {"actual": ["actual", "thực hiện", "Thực hiện", ""], "target": ["target", "kế hoạch", "Kế hoạch"]}


def _strip_marks(text: str) -> str:
    """A Vietnamese header typed without diacritics ('Mã chương trình' -> 'Ma chuong trinh')."""
    text = unicodedata.normalize("NFD", text).replace("đ", "d").replace("Đ", "D")
    return unicodedata.normalize("NFC", "".join(c for c in text if unicodedata.category(c) != "Mn"))


@dataclass(frozen=True, slots=True)
class Cell:
    """A cell as the pipeline reads it back (``text``) and as it is written to an XLSX sheet."""

    text: str
    xlsx: str | int | float | datetime | None = None

    @property
    def written(self) -> str | int | float | datetime:
        return self.text if self.xlsx is None else self.xlsx


def _plain_number(value: Decimal) -> Cell:
    """A number written plainly ('28757000000', '38.25'), as text and as a numeric XLSX cell."""
    text = format(value.normalize(), "f")
    return Cell(text, int(text) if "." not in text else float(text))


def _written_number(rng: random.Random, value: Decimal, decimals: int, numeric: bool) -> Cell:
    """The Vietnamese way ('106.182', '38,25') or plainly ('106182', '38.25'). A plain number never
    has three decimal places: '45.125' reads as a thousands group, as the template says.

    In a sheet of numeric cells every number is a numeric cell, which the pipeline reads back with
    the decimal comma ('38,25'): a column is read as numbers only when all its cells are numbers."""
    plain = -value.normalize().as_tuple().exponent <= 2 and rng.random() < 0.45
    if numeric:
        cell = _plain_number(value)
        return Cell(cell.text.replace(".", ","), cell.xlsx)
    return Cell(_plain_number(value).text) if plain else Cell(format_vn(value, decimals))


def _submission_districts() -> list[tuple[District, str]]:
    """The districts no other unit of their province shares a name with, each with its province's type.

    'huyện Kỳ Anh' and 'thị xã Kỳ Anh' of Hà Tĩnh share a name: the template has no column for the
    unit type, so a submission could not say which one it is.
    """
    with seed_path("admin/admin_provinces_pre2025.csv").open(encoding="utf-8") as fh:
        provinces = list(csv.DictReader(fh))
    types = {r["province_name"]: r["province_type"] for r in provinces}
    names = {r["province_code"]: r["province_name"] for r in provinces}
    with seed_path("admin/admin_districts_pre2025.csv").open(encoding="utf-8") as fh:
        units = Counter((r["district_name"], names[r["province_code"]]) for r in csv.DictReader(fh))
    return [(d, types[d.province]) for d in load_districts() if units[(d.name, d.province)] == 1]


def _period(rng: random.Random, year: int) -> tuple[date, date]:
    kind = rng.choice(["month", "month", "quarter", "half", "nine_months", "year", "year"])
    if kind == "month":
        month = rng.randint(1, 12)
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    if kind == "quarter":
        q = rng.randint(1, 4)
        return date(year, 3 * q - 2, 1), date(year, 3 * q, calendar.monthrange(year, 3 * q)[1])
    if kind == "half":
        return date(year, 1, 1), date(year, 6, 30)
    if kind == "nine_months":
        return date(year, 1, 1), date(year, 9, 30)
    return date(year, 1, 1), date(year, 12, 31)


class _Sheet:
    """A submission being written: its rows (canonical column -> cell) and the gold of each row."""

    def __init__(self, name: str, district: District, start: date, end: date) -> None:
        self.name, self.district, self.start, self.end = name, district, start, end
        self.rows: list[dict[str, Cell]] = []
        self.row_gold: list[list[dict]] = []
        whole_year = start == date(start.year, 1, 1) and end == date(start.year, 12, 31)
        self.period = str(start.year) if whole_year else f"{start.isoformat()}..{end.isoformat()}"

    def add(self, cells: dict[str, Cell], *records: dict) -> None:
        self.rows.append(cells)
        self.row_gold.append([{"doc": self.name, "kind": r["kind"], "province": self.district.province,
                               "district": self.district.name, **r, "period": self.period} for r in records])

    def gold(self, columns: list[str]) -> list[dict]:
        """The gold of every row, quoted as the pipeline renders a submission row: 'row N: column=value; ...'."""
        out = []
        for n, (cells, records) in enumerate(zip(self.rows, self.row_gold, strict=True), start=2):
            quote = f"row {n}: " + "; ".join(f"{TEMPLATE_COLUMNS[c][0]}={cells[c].text}" for c in columns
                                              if c in cells and cells[c].text)
            out.extend({**r, "quote": quote} for r in records)
        return out


def _funding_rows(sheet: _Sheet, rng: random.Random, common: dict[str, Cell], numeric: bool) -> None:
    for code in rng.sample(SUBMISSION_PROGRAMMES, k=rng.randint(1, 3)):
        capital = rng.choice(["investment", "recurrent", "unspecified", ""])
        unit, scale = rng.choice(MONEY_UNITS)
        note = rng.choice(PROGRAMMES.get(code, ["Kế hoạch vốn đầu tư công", "Vốn hỗ trợ khắc phục thiên tai", ""]))
        low, high = (2 * 10**9, 150 * 10**9) if scale != 1 else (200 * 10**6, 90 * 10**9)
        allocated = rng.randint(low // 10**6, high // 10**6) * 10**6  # whole millions
        if scale == 10**9 and rng.random() < 0.5:  # billions with two decimals rather than three
            allocated = round(allocated, -7)
        disbursed = int(round(allocated * rng.uniform(0.3, 1.0), -6))
        rate = round(100 * disbursed / allocated, 2)
        base = {**common, "kind": Cell(rng.choice(KIND_WORDS["funding"])), "programme_code": Cell(code),
                "capital_source": Cell(capital)}
        if unit:
            base["unit"] = Cell(unit)
        fields = {"kind": "funding", "programme": code, "capital_source": capital or "unspecified", "unit": "VND"}

        def amount(vnd: int, scale: int = scale) -> Cell:
            return _written_number(rng, Decimal(vnd) / scale, 3 if scale == 10**9 else 0, numeric)

        allocated_cells = {**base, "measure": Cell("allocated"), "value": amount(allocated)}
        if note and rng.random() < 0.6:
            allocated_cells["note"] = Cell(note)
        sheet.add(allocated_cells, {**fields, "programme_text": allocated_cells.get("note", Cell("")).text or None,
                                    "measure": "allocated", "value": allocated, "rate_pct": None})
        disbursed_cells = {**base, "measure": Cell("disbursed")}
        style = rng.random()
        if style < 0.75:
            disbursed_cells["value"] = amount(disbursed)
        if style > 0.4:
            rate_cell = _written_number(rng, Decimal(str(rate)), 2, numeric)
            disbursed_cells["rate_pct"] = Cell(rate_cell.text + "%") if not numeric and rng.random() < 0.2 \
                else rate_cell
        sheet.add(disbursed_cells, {**fields, "programme_text": None, "measure": "disbursed",
                                    "value": disbursed if "value" in disbursed_cells else None,
                                    "rate_pct": rate if "rate_pct" in disbursed_cells else None})
        if rng.random() < 0.3:
            measure = rng.choice(["requested", "planned", "spent"])
            extra = int(round(allocated * rng.uniform(0.05, 0.6), -6))
            sheet.add({**base, "measure": Cell(measure), "value": amount(extra)},
                      {**fields, "programme_text": None, "measure": measure, "value": extra, "rate_pct": None})


def _indicator_rows(sheet: _Sheet, rng: random.Random, common: dict[str, Cell], numeric: bool,
                    with_codes: bool) -> None:
    for code, name, unit, low, high, decimals in rng.sample(SUBMISSION_INDICATORS, k=rng.randint(2, 5)):
        base = {**common, "kind": Cell(rng.choice(KIND_WORDS["indicator"])), "indicator_name": Cell(name),
                "unit": Cell(unit)}
        if with_codes and rng.random() < 0.7:
            base["indicator_code"] = Cell(code)
        fields = {"kind": "indicator", "indicator": name, "unit": unit, "qualifier": None}
        roles = rng.choice([["actual"], ["target"], ["target", "actual"]])
        target = None
        for role in roles:
            if unit == "VND":
                value = Decimal(rng.randint(int(low) // 10**5, int(high) // 10**5) * 10**5)
            else:
                value = round(Decimal(str(rng.uniform(low, high))), decimals)
            if role == "actual" and target is not None:
                value = round(target * Decimal(str(rng.uniform(0.8, 1.2))), decimals)
            if unit == "percent":
                value = min(value, Decimal(100))
            target = value if role == "target" else target
            cells = {**base, "role": Cell(rng.choice(ROLE_WORDS[role])),
                     "value": _written_number(rng, value, decimals, numeric)}
            records = [{**fields, "role": role, "value": int(value) if decimals == 0 else float(value)}]
            if role == "actual" and target is not None and target > 0 and rng.random() < 0.6:
                pct = round(100 * value / target, 2)
                cells["rate_pct"] = _written_number(rng, pct, 2, numeric)
                records.append({**fields, "role": "attainment_pct", "value": float(pct), "unit": "percent"})
            sheet.add(cells, *records)


def _dated(rng: random.Random, day: date, style: str) -> Cell:
    if style == "iso":
        return Cell(day.isoformat())
    if style == "vn":
        return Cell(day.strftime("%d/%m/%Y"))
    return Cell(f"{day.isoformat()} 00:00:00", datetime(day.year, day.month, day.day))  # an XLSX date cell


def _submission(name: str, rng: random.Random, district: District, province_type: str,
                period: tuple[date, date]) -> tuple[_Sheet, list[str]]:
    """The rows of one submission (one district, one period) and the columns it is written with."""
    start, end = period
    sheet = _Sheet(name, district, start, end)
    xlsx = name.endswith(".xlsx")
    date_style = rng.choice(["iso", "vn", "cell"] if xlsx else ["iso", "vn"])
    province = district.province
    if province_type == "tỉnh" and rng.random() < 0.2:
        province = f"tỉnh {province}"
    common = {"province": Cell(province),
              "district": Cell(f"huyện {district.name}" if rng.random() < 0.25 else district.name),
              "period_start": _dated(rng, start, date_style), "period_end": _dated(rng, end, date_style)}
    numeric = xlsx and rng.random() < 0.6  # plain numbers as numeric cells
    columns = [c for c in TEMPLATE_COLUMNS if c not in ("indicator_code", "note")]
    with_codes, with_note = rng.random() < 0.7, rng.random() < 0.6
    if with_codes:
        columns.insert(columns.index("indicator_name"), "indicator_code")
    if with_note:
        columns.append("note")
    content = rng.choice(["both", "both", "funding", "indicator"])
    if content != "indicator":
        _funding_rows(sheet, rng, common, numeric)
    if content != "funding":
        _indicator_rows(sheet, rng, common, numeric, with_codes)
    if not with_note:
        for cells in sheet.rows:
            cells.pop("note", None)
        for records in sheet.row_gold:
            for r in records:
                if "programme_text" in r:
                    r["programme_text"] = None
    return sheet, columns


def _headers(rng: random.Random, columns: list[str]) -> list[str]:
    style = rng.choice(["vi", "vi", "en", "vi_plain"])
    if style == "en":
        return [TEMPLATE_COLUMNS[c][0] for c in columns]
    vi = [TEMPLATE_COLUMNS[c][1] for c in columns]
    return [_strip_marks(h) for h in vi] if style == "vi_plain" else vi


def _write_csv(path: Path, rng: random.Random, headers: list[str], columns: list[str], sheet: _Sheet) -> None:
    delimiter = rng.choice([",", ";"])
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator=rng.choice(["\r\n", "\n"]))
    writer.writerow(headers)
    for cells in sheet.rows:
        writer.writerow([cells[c].text if c in cells else "" for c in columns])
    bom = "\ufeff" if rng.random() < 0.3 else ""
    path.write_bytes((bom + buf.getvalue()).encode("utf-8"))


def _write_xlsx(path: Path, headers: list[str], columns: list[str], sheet: _Sheet) -> None:
    """An XLSX workbook with fixed document properties, so that the same rows give the same bytes
    (xlsxwriter stamps its zip entries with a constant date; the created date is set here)."""
    created = datetime(sheet.end.year, sheet.end.month, sheet.end.day) + timedelta(days=5, hours=9)
    workbook = xlsxwriter.Workbook(str(path), {"in_memory": True})
    workbook.set_properties({"title": "Báo cáo số liệu", "author": f"UBND huyện {sheet.district.name}",
                             "created": created})
    bold = workbook.add_format({"bold": True})
    day = workbook.add_format({"num_format": "dd/mm/yyyy"})
    worksheet = workbook.add_worksheet("bao_cao")
    worksheet.write_row(0, 0, headers, bold)
    for r, cells in enumerate(sheet.rows, start=1):
        for c, column in enumerate(columns):
            cell = cells.get(column)
            if cell is None or not cell.text:
                continue
            value = cell.written
            if isinstance(value, datetime):
                worksheet.write_datetime(r, c, value, day)
            elif isinstance(value, str):
                worksheet.write_string(r, c, value)
            else:
                worksheet.write_number(r, c, value)
    workbook.close()


def _submission_plan(n_reports: int, share: float) -> list[bool]:
    """Which of the ``n_reports`` documents are submissions: evenly spread, ``floor(n * share)`` of them."""
    return [math.floor((i + 1) * share + 1e-9) > math.floor(i * share + 1e-9) for i in range(n_reports)]


def _documents(n_reports: int, seed: int, districts: list[District], plan: list[bool]) -> Iterator[_Doc]:
    """The prose reports: the documents ``plan`` does not make submissions."""
    rng = random.Random(seed)
    for i in range(n_reports):
        if plan[i]:
            continue
        district = rng.choice(districts)
        year = rng.randint(2016, 2024)
        genre = GENRES[i % len(GENRES)]
        doc = _Doc(f"synthetic_{seed}_{i:06d}.txt", district, year)
        if rng.random() < 0.3:
            doc.add("\n".join(line.format(n=rng.randint(1, 99999)) for line in FURNITURE))
        genre(doc, rng)
        doc.add(rng.choice(["Tin, ảnh: Phòng Văn hóa - Thông tin", "Văn phòng Huyện ủy", "Ban Tuyên giáo Huyện ủy"]))
        yield doc


def _write_submissions(out_dir: Path, seed: int, plan: list[bool]) -> Iterator[tuple[int, list[dict]]]:
    """Write the submissions ``plan`` asks for; yield each one's index and gold."""
    rng = random.Random(f"synthetic-submissions-{seed}")
    districts = _submission_districts()
    taken: set[tuple[str, str, date, date]] = set()
    k = 0
    for i, is_submission in enumerate(plan):
        if not is_submission:
            continue
        while True:  # a district and period no earlier submission has
            district, province_type = rng.choice(districts)
            start, end = _period(rng, rng.randint(2016, 2024))
            if (district.province, district.name, start, end) not in taken:
                taken.add((district.province, district.name, start, end))
                break
        name = f"synthetic_{seed}_{i:06d}.{'csv' if k % 2 == 0 else 'xlsx'}"
        k += 1
        sheet, columns = _submission(name, rng, district, province_type, (start, end))
        headers = _headers(rng, columns)
        if name.endswith(".xlsx"):
            _write_xlsx(out_dir / name, headers, columns, sheet)
        else:
            _write_csv(out_dir / name, rng, headers, columns, sheet)
        yield i, sheet.gold(columns)


def generate_corpus(out_dir: Path, *, n_reports: int, seed: int = 0, submission_share: float = 0.2) -> CorpusInfo:
    """Write ``n_reports`` documents and their gold to ``out_dir`` (deterministic for a seed).

    ``floor(n_reports * submission_share)`` of them are spreadsheet submissions (CSV and XLSX in
    turn), the rest prose reports; gold.jsonl lists the figures document by document.
    """
    if not 0 <= submission_share <= 1:
        raise ValueError(f"submission_share must be between 0 and 1, not {submission_share}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    plan = _submission_plan(n_reports, submission_share)
    districts = load_districts()
    gold_of: dict[int, list[dict]] = {}
    for doc_index, doc in zip((i for i, s in enumerate(plan) if not s), _documents(n_reports, seed, districts, plan),
                              strict=True):
        text = doc.text
        for record in doc.gold:
            assert record["quote"] in text, record["quote"]
        (out_dir / doc.name).write_text(text, encoding="utf-8")
        gold_of[doc_index] = doc.gold
    gold_of.update(_write_submissions(out_dir, seed, plan))
    figures = 0
    with (out_dir / "gold.jsonl").open("w", encoding="utf-8") as gold:
        for i in range(n_reports):
            for record in gold_of[i]:
                gold.write(json.dumps(record, ensure_ascii=False) + "\n")
            figures += len(gold_of[i])
    return CorpusInfo(out_dir=out_dir, reports=n_reports, figures=figures, submissions=sum(plan))
