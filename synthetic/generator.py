"""Deterministic synthetic district reports (Vietnamese prose and spreadsheet submissions) with their true figures.

``generate_corpus(out_dir, n_reports=N, seed=S, submission_share=0.2, reform_share=0.0)`` writes N
documents and ``gold.jsonl`` beside them in the gold schema of the evaluation set, so the scorer
measures both paths into the warehouse at any scale:

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
  of the same province (a huyện and a thị xã of one name) are left out of submissions: the type
  word in the district column now settles them ("thị xã Kỳ Anh"), but drawing from a longer list
  of districts would change every corpus already generated, whose bytes are kept. No two
  submissions share a district and period, since the later would supersede the earlier as a
  corrected version;
- with ``reform_share`` (0 by default), documents from after the 1 July 2025 reform, when the
  district level was abolished: ``floor(P * reform_share)`` of the P prose reports, spread
  evenly, are reports of a commune of the new map (a monthly notice or a disbursement note,
  dated 2025-07..2026-12) issued by its People's Committee or Party committee ("ỦY BAN NHÂN DÂN
  XÃ X", "ĐẢNG ỦY PHƯỜNG X", "UBND đặc khu X"), with a "X, ngày DD tháng MM năm YYYY" line, a
  "BÁO CÁO" and its subject, a body naming "xã X, tỉnh Y" ("thành phố Y" for the six
  municipalities) and, as traps, former units ("xã A (cũ)", "huyện B cũ") and a neighbouring
  commune; and the same share of the submissions are a commune's ("xã X" or "X" in the district
  column, the new province, a period from July 2025 on). Their gold names the new province and,
  as district, the commune without its type word, as the marts store it. Communes whose names
  fold alike and share a type in one province are left out of submissions (the template could
  not tell them apart); a commune sharing its name with one of another type is written with its
  type word.

Prose reports draw from the seed's random stream, submissions from a stream of their own, and
post-reform documents from two more (prose and submissions), drawn in place of documents that
are still drawn and then set aside: a corpus with ``submission_share=0`` is exactly the prose
corpus, one with ``reform_share=0`` exactly the corpus written before post-reform documents
existed, and the other documents of a corpus do not depend on ``reform_share``. Same seed, same
bytes (XLSX files included: their document properties carry a fixed created date).
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
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import xlsxwriter

from sources.numbers import format_vn
from sources.places import key
from sources.reference import codes, seed_path, seed_rows
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


@dataclass(frozen=True, slots=True)
class Commune:
    """A unit of the map in force from 1 July 2025 (xã, phường or đặc khu), in its new province."""

    name: str
    type: str
    province: str
    province_type: str  # 'tỉnh', or 'thành phố' for the six municipalities
    code: str

    @property
    def label(self) -> str:
        return f"{self.type} {self.name}"

    @property
    def province_label(self) -> str:
        return f"{self.province_type} {self.province}"


@dataclass(slots=True)
class CorpusInfo:
    out_dir: Path
    reports: int  # every document written, prose and submissions
    figures: int
    submissions: int = 0
    post_reform: dict[str, str] = field(default_factory=dict)  # document -> code of the commune it is about


def load_districts() -> list[District]:
    with seed_path("admin/admin_provinces_pre2025.csv").open(encoding="utf-8") as fh:
        provinces = {r["province_code"]: r["province_name"] for r in csv.DictReader(fh)}
    with seed_path("admin/admin_districts_pre2025.csv").open(encoding="utf-8") as fh:
        return [District(r["district_name"], r["district_type"], provinces[r["province_code"]])
                for r in csv.DictReader(fh) if r["district_type"] == "huyện"]


@dataclass(frozen=True, slots=True)
class ReformMap:
    """The communes of the new map, and the units each new province was made of (for the traps)."""

    communes: list[Commune]
    # new province -> former districts ("huyện Đakrông"), each with its former communes ("xã Tà Long")
    former: dict[str, list[tuple[str, list[str]]]]


def load_reform_map() -> ReformMap:
    def rows(name: str) -> list[dict[str, str]]:
        with seed_path(f"admin/{name}.csv").open(encoding="utf-8") as fh:
            return list(csv.DictReader(fh))

    provinces = {r["province_code"]: (r["province_name"], "tỉnh" if r["province_type"] == "tỉnh" else "thành phố")
                 for r in rows("admin_provinces_post2025")}
    communes = [Commune(r["commune_name"], r["commune_type"], *provinces[r["province_code"]], r["commune_code"])
                for r in rows("admin_communes_post2025")]
    new_of = {r["old_province_code"]: r["new_province_name"] for r in rows("admin_province_crosswalk_2025")}
    old_communes: dict[str, list[str]] = {}
    for r in rows("admin_communes_pre2025"):
        old_communes.setdefault(r["district_code"], []).append(f"{r['commune_type']} {r['commune_name']}")
    former: dict[str, list[tuple[str, list[str]]]] = {}
    for r in rows("admin_districts_pre2025"):
        if old_communes.get(r["district_code"]):
            former.setdefault(new_of[r["province_code"]], []).append(
                (f"{r['district_type']} {r['district_name']}", old_communes[r["district_code"]]))
    return ReformMap(communes, former)


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

    def __init__(self, name: str, district: District | Commune, year: int) -> None:
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


def _allocation_and_disbursement(doc: _Doc, rng: random.Random, until: date, money: tuple[float, float],
                                 share: tuple[float, float]) -> None:
    """A programme's allocation for the year and what was disbursed of it by ``until``."""
    y = until.year
    code = rng.choice(list(PROGRAMMES))
    cap = rng.choice(list(CAPITAL))
    allocated, a_text = _money(rng, *money)
    disbursed = round(allocated * rng.uniform(*share) / 1_000_000) * 1_000_000
    d_text = f"{format_vn(disbursed // 1_000_000, 0)} triệu đồng"
    rate = round(100 * disbursed / allocated, 2)
    alloc_quote = f"tổng {CAPITAL[cap]} được phân bổ là {a_text}"
    disb_quote = f"giải ngân {d_text}, đạt {format_vn(rate, 2)}% kế hoạch vốn"
    doc.add(f"Thực hiện {rng.choice(PROGRAMMES[code])} năm {y}, {alloc_quote}; đến ngày {until.day}/{until.month}/{y} "
            f"đã {disb_quote}.")
    doc.record("funding", alloc_quote, programme=code, capital_source=cap, measure="allocated", value=allocated,
               unit="VND", rate_pct=None, period=str(y))
    doc.record("funding", disb_quote, programme=code, capital_source=cap, measure="disbursed", value=disbursed,
               unit="VND", rate_pct=rate, period=f"{y}-01-01..{until.isoformat()}")


def _requested_support(doc: _Doc, rng: random.Random, money: tuple[float, float],
                       sentence: Callable[[str], str]) -> None:
    """Most of the time, a request for support (with a hedge), written by ``sentence`` around its quote."""
    if rng.random() < 0.6:
        hedge = rng.choice(["hơn", "khoảng", "gần"])
        need, n_text = _money(rng, *money)
        quote = f"tổng kinh phí đề xuất hỗ trợ {hedge} {n_text}"
        doc.add(sentence(quote))
        doc.record("funding", quote, programme="OTHER", capital_source="unspecified", measure="requested",
                   value=need, unit="VND", rate_pct=None, period=str(doc.year))


def _disbursement_note(doc: _Doc, rng: random.Random) -> None:
    d, y = doc.district, doc.year
    day, month = rng.randint(1, 28), rng.randint(6, 11)
    doc.add(f"UBND tỉnh làm việc với huyện {d.name} về tình hình giải ngân vốn năm {y}")
    doc.add(f"Ngày {day}/{month}/{y}, UBND tỉnh {d.province} đã làm việc với huyện {d.name} để đánh giá tình hình "
            f"thực hiện nhiệm vụ phát triển kinh tế - xã hội theo {rng.choice(DOC_REFS)}.")
    _allocation_and_disbursement(doc, rng, date(y, month, day), money=(20, 150), share=(0.4, 0.95))
    _requested_support(doc, rng, (2, 30), lambda quote: (
        f"Huyện kiến nghị tỉnh quan tâm bố trí vốn khắc phục hậu quả thiên tai (từ ngày 03 - 05/9/{y}), {quote}."))


@dataclass(frozen=True, slots=True)
class _Economy:
    """A month's budget revenue, new enterprises and workers sent abroad, as sentences and gold."""

    sentences: list[str]
    revenue: int
    attainment: float
    enterprises: int
    workers: int

    def record(self, doc: _Doc, period: str) -> None:
        quote = self.sentences[0]
        doc.record("indicator", quote, indicator="thu ngân sách nội địa", role="actual", value=self.revenue,
                   unit="VND", qualifier=None, period=period)
        doc.record("indicator", quote, indicator="thu ngân sách nội địa", role="attainment_pct", value=self.attainment,
                   unit="percent", qualifier=None, period=period)
        doc.record("indicator", self.sentences[1], indicator="số doanh nghiệp thành lập mới", role="actual",
                   value=self.enterprises, unit="count", qualifier=None, period=period)
        doc.record("indicator", self.sentences[2], indicator="số lao động đi làm việc ở nước ngoài", role="actual",
                   value=self.workers, unit="person", qualifier=None, period=period)


def _economy(rng: random.Random, revenue: tuple[float, float], attainment: tuple[float, float],
             enterprises: tuple[int, int], workers: tuple[int, int]) -> _Economy:
    amount, r_text = _money(rng, *revenue)
    att, att_text = _pct(rng, *attainment)
    new_enterprises = rng.randint(*enterprises)
    sent_abroad = rng.randint(*workers)
    sentences = [f"thu ngân sách nội địa đạt {r_text}, đạt {att_text} dự toán",
                 f"phát triển mới {new_enterprises:02d} doanh nghiệp",
                 f"đưa {sent_abroad} lao động đi làm việc có thời hạn ở nước ngoài"]
    return _Economy(sentences, amount, att, new_enterprises, sent_abroad)


def _monthly_notice(doc: _Doc, rng: random.Random) -> None:
    d, y = doc.district, doc.year
    month = rng.randint(3, 11)
    doc.add(f"THÔNG BÁO\n\nKết luận của Thường trực Huyện ủy {d.name} tại Hội nghị sơ kết tình hình công tác "
            f"tháng {month}, xây dựng chương trình công tác tháng {month + 1} năm {y}")
    doc.add(f"Ngày {rng.randint(2, 12)}/{month + 1}/{y}, Thường trực Huyện ủy tổ chức Hội nghị Ban Thường vụ Huyện ủy "
            f"mở rộng lần thứ {rng.randint(5, 40)}, nhiệm kỳ 2020 - 2025.")
    economy = _economy(rng, revenue=(2, 60), attainment=(40, 120), enterprises=(2, 20), workers=(10, 300))
    doc.add(f"Tình hình kinh tế - xã hội {month} tháng đầu năm {y} tiếp tục ổn định; "
            + "; ".join(economy.sentences) + ".")
    economy.record(doc, f"{y}-01-01..{y}-{month:02d}-28")


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


# --- commune reports after the 1 July 2025 reform -----------------------------------------------

REFORM_START, REFORM_END = date(2025, 7, 1), date(2026, 12, 31)  # the dates post-reform documents carry
REFORM_DOC_REFS = ["Quyết định số 1719/QĐ-TTg", "Công văn số 3399-CV/UBND", "Kết luận số 137-KL/TU",
                   "Kế hoạch số 85-KH/ĐU"]


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _commune_header(doc: _Doc, rng: random.Random, on: date, subject: str) -> tuple[str, str]:
    """The issuing body in capitals (or abbreviated), motto, number, place and date line, document
    type and subject; returns how the body names itself in the text and how it signs."""
    c = doc.district
    assert isinstance(c, Commune)
    style = rng.choice(["capitals", "capitals", "two_lines", "party", "abbreviated"])
    number = rng.randint(5, 480)
    if style == "party":
        issuer, body, signs = (f"ĐẢNG BỘ {c.province_label.upper()}\nĐẢNG ỦY {c.label.upper()}",
                               f"Ban Thường vụ Đảng ủy {c.label}", "T/M BAN THƯỜNG VỤ\nBÍ THƯ")
        number_line = f"Số {number}-BC/ĐU"
    else:
        issuer = {"capitals": f"ỦY BAN NHÂN DÂN {c.label.upper()}", "two_lines": f"ỦY BAN NHÂN DÂN\n{c.label.upper()}",
                  "abbreviated": f"UBND {c.label}"}[style]
        body = f"UBND {c.label}" if style == "abbreviated" else f"Ủy ban nhân dân {c.label}"
        signs, number_line = "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH", f"Số: {number}/BC-UBND"
    lines = [issuer]
    if rng.random() < 0.5:
        lines.append("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc")
    if rng.random() < 0.7:
        lines.append(number_line)
    lines.append(f"{c.name}, ngày {on.day:02d} tháng {on.month} năm {on.year}")
    doc.add("\n".join(lines))
    doc.add(f"BÁO CÁO\n{subject}")
    return body, signs


def _former_units(doc: _Doc, rng: random.Random, reform_map: ReformMap) -> None:
    """A trap: the units the commune was made of, marked former ("xã A (cũ)", "huyện B cũ")."""
    c = doc.district
    assert isinstance(c, Commune)
    district, communes = rng.choice(reform_map.former[c.province])
    olds = [f"{name} (cũ)" for name in rng.sample(communes, k=min(len(communes), rng.randint(2, 3)))]
    listed = ", ".join(olds[:-1]) + " và " + olds[-1] if len(olds) > 1 else olds[0]
    doc.add(f"{_capitalised(c.label)} được thành lập trên cơ sở sắp xếp {listed} thuộc {district} cũ; "
            f"bộ máy chính quyền địa phương hai cấp vận hành ổn định, thông suốt.")


def _neighbour(doc: _Doc, rng: random.Random, reform_map: ReformMap) -> None:
    """A trap: another commune of the province, named with its type word."""
    c = doc.district
    assert isinstance(c, Commune)
    other = rng.choice([o for o in reform_map.communes if o.province == c.province and o != c])
    doc.add(f"{_capitalised(c.type)} đã phối hợp với {other.label} tổ chức ra quân làm đường giao thông nông thôn, "
            f"nạo vét kênh mương nội đồng.")


def _commune_monthly_notice(doc: _Doc, rng: random.Random, reform_map: ReformMap) -> None:
    c = doc.district
    assert isinstance(c, Commune)
    k = rng.randint(0, 16)  # July 2025 to November 2026, reported on in the month after
    y, m = 2025 + (6 + k) // 12, (6 + k) % 12 + 1
    on = date(y + m // 12, m % 12 + 1, rng.randint(2, 12))
    doc.year = y
    subject = rng.choice([f"Tình hình kinh tế - xã hội tháng {m} năm {y}",
                          f"Kết quả thực hiện nhiệm vụ phát triển kinh tế - xã hội tháng {m} năm {y}"])
    body, signs = _commune_header(doc, rng, on, subject)
    doc.add(f"Thực hiện chế độ báo cáo định kỳ, {body}, {c.province_label} báo cáo tình hình kinh tế - xã hội "
            f"tháng {m} năm {y} như sau:")
    if rng.random() < 0.5:
        _former_units(doc, rng, reform_map)
    economy = _economy(rng, revenue=(0.3, 12), attainment=(30, 120), enterprises=(1, 9), workers=(2, 60))
    doc.add(f"Trong tháng {m}/{y}, tình hình kinh tế - xã hội trên địa bàn {c.type} tiếp tục ổn định; "
            + "; ".join(economy.sentences) + ".")
    if rng.random() < 0.3:
        _neighbour(doc, rng, reform_map)
    economy.record(doc, f"{y}-{m:02d}-01..{y}-{m:02d}-{calendar.monthrange(y, m)[1]:02d}")
    doc.add(f"Nơi nhận:\n- Như trên;\n- Lưu: VT.\n\n{signs}")


def _commune_disbursement_note(doc: _Doc, rng: random.Random, reform_map: ReformMap) -> None:
    c = doc.district
    assert isinstance(c, Commune)
    until = REFORM_START + timedelta(days=rng.randint(0, (REFORM_END - REFORM_START).days - 10))
    on = until + timedelta(days=rng.randint(0, 10))
    y = doc.year = until.year
    body, signs = _commune_header(doc, rng, on, f"Tình hình giải ngân vốn các chương trình mục tiêu quốc gia năm {y}")
    doc.add(f"Thực hiện {rng.choice(REFORM_DOC_REFS)}, {body}, {c.province_label} báo cáo tình hình giải ngân "
            f"vốn năm {y} như sau:")
    if rng.random() < 0.5:
        _former_units(doc, rng, reform_map)
    _allocation_and_disbursement(doc, rng, until, money=(1, 40), share=(0.3, 0.95))
    if rng.random() < 0.3:
        _neighbour(doc, rng, reform_map)

    def flood_request(quote: str) -> str:
        flood = until - timedelta(days=rng.randint(20, 120))
        first = min(flood.day, 26)
        return (f"{_capitalised(c.type)} kiến nghị {c.province_label} quan tâm bố trí vốn khắc phục hậu quả mưa lũ "
                f"(từ ngày {first:02d} - {first + 2:02d}/{flood.month}/{flood.year}), {quote}.")

    _requested_support(doc, rng, (0.5, 8), flood_request)
    doc.add(f"Nơi nhận:\n- Như trên;\n- Lưu: VT.\n\n{signs}")


REFORM_GENRES = (_commune_disbursement_note, _commune_monthly_notice)


def _reform_documents(seed: int, indices: list[int], reform_map: ReformMap) -> Iterator[_Doc]:
    """The post-reform prose reports at ``indices``, from a random stream of their own."""
    rng = random.Random(f"synthetic-reform-{seed}")
    for i in indices:
        commune = rng.choice(reform_map.communes)
        doc = _Doc(f"synthetic_{seed}_{i:06d}.txt", commune, REFORM_START.year)
        rng.choice(REFORM_GENRES)(doc, rng, reform_map)
        yield doc


# --- spreadsheet submissions -------------------------------------------------------------------

# (indicator code, low, high, decimals): the indicators a district fills in the template, with the range
# and precision of the values it writes; their names and units are the catalogue's (seed indicators)
_SUBMISSION_RANGES = [
    ("NEW_ENTERPRISES", 2, 60, 0),
    ("LABOUR_EXPORT", 10, 450, 0),
    ("JOBS_CREATED", 300, 4500, 0),
    ("POOR_HOUSEHOLDS", 80, 6000, 0),
    ("NTM_COMMUNES", 1, 22, 0),
    ("FOOD_OUTPUT", 4000, 150000, 0),
    ("AGRI_LAND_CONSOLIDATED", 10, 900, 1),
    ("POVERTY_RATE", 0.5, 45, 2),
    ("FOREST_COVER", 30, 80, 1),
    ("HEALTH_INSURANCE", 85, 99.5, 2),
    ("TRAINED_LABOUR", 40, 80, 1),
    ("BUDGET_REVENUE_DOMESTIC", 2e9, 90e9, 0),
    ("INCOME_PER_CAPITA", 20e6, 80e6, 0),
]


def _submission_indicators() -> list[tuple[str, str, str, float, float, int]]:
    """(indicator code, name, unit, low, high, decimals), the name and unit from the indicator catalogue."""
    catalogue = {row["indicator_code"]: row for row in seed_rows("indicators")}
    return [(code, catalogue[code]["indicator_name_vi"], catalogue[code]["unit"], low, high, decimals)
            for code, low, high, decimals in _SUBMISSION_RANGES]


SUBMISSION_INDICATORS = _submission_indicators()
SUBMISSION_PROGRAMMES = codes("programmes")  # every programme of the catalogue, in its order
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


def _submission_communes(communes: list[Commune]) -> list[tuple[Commune, bool]]:
    """The communes a submission can name, each with whether its type word must be written.

    Names are compared folded: "Văn Lăng" and "Vân Lăng", two xã of one province, cannot be told
    apart in the template and are left out; "xã Mỹ Tho" and "phường Mỹ Tho" are told apart by
    their type word.
    """
    units = Counter((key(c.name), c.province) for c in communes)
    typed = Counter((key(c.name), c.type, c.province) for c in communes)
    return [(c, units[(key(c.name), c.province)] > 1) for c in communes
            if typed[(key(c.name), c.type, c.province)] == 1]


def _reform_period(rng: random.Random) -> tuple[date, date]:
    """A month, quarter, half year or year from July 2025 on."""
    kind = rng.choice(["month", "month", "quarter", "half", "year"])
    if kind == "month":
        k = rng.randint(0, 17)
        year, month = 2025 + (6 + k) // 12, (6 + k) % 12 + 1
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    if kind == "quarter":
        k = rng.randint(0, 5)
        year, q = 2025 + (2 + k) // 4, (2 + k) % 4 + 1
        return date(year, 3 * q - 2, 1), date(year, 3 * q, calendar.monthrange(year, 3 * q)[1])
    if kind == "half":
        year, half = rng.choice([(2025, 2), (2026, 1), (2026, 2)])
        return (date(year, 1, 1), date(year, 6, 30)) if half == 1 else (date(year, 7, 1), date(year, 12, 31))
    return date(2026, 1, 1), date(2026, 12, 31)


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

    def __init__(self, name: str, district: District | Commune, start: date, end: date) -> None:
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
        capital = rng.choice([*codes("capital_sources"), ""])  # "": the cell left empty
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
            measure = rng.choice([m for m in codes("measures") if m not in ("allocated", "disbursed")])
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


def _place_cells(rng: random.Random, unit: District | Commune, province_type: str, typed: bool) -> tuple[str, str]:
    """The province and district cells: a district as "huyện X" or "X"; after the reform a commune
    as "xã X" or "X" (always with its type word when ``typed``), in "tỉnh Y", "thành phố Y" or "Y"."""
    province = unit.province
    if province_type == "tỉnh" and rng.random() < 0.2:
        province = f"tỉnh {province}"
    if isinstance(unit, District):
        return province, f"huyện {unit.name}" if rng.random() < 0.25 else unit.name
    if province_type == "thành phố" and rng.random() < 0.2:
        province = f"thành phố {province}"
    return province, unit.label if typed or rng.random() < 0.75 else unit.name


def _submission(name: str, rng: random.Random, district: District | Commune, province_type: str,
                period: tuple[date, date], typed: bool = False) -> tuple[_Sheet, list[str]]:
    """The rows of one submission (one district or commune, one period) and the columns it is written with."""
    start, end = period
    sheet = _Sheet(name, district, start, end)
    xlsx = name.endswith(".xlsx")
    date_style = rng.choice(["iso", "vn", "cell"] if xlsx else ["iso", "vn"])
    province, place = _place_cells(rng, district, province_type, typed)
    common = {"province": Cell(province), "district": Cell(place),
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


def _csv_bytes(rng: random.Random, headers: list[str], columns: list[str], sheet: _Sheet) -> bytes:
    delimiter = rng.choice([",", ";"])
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator=rng.choice(["\r\n", "\n"]))
    writer.writerow(headers)
    for cells in sheet.rows:
        writer.writerow([cells[c].text if c in cells else "" for c in columns])
    bom = "\ufeff" if rng.random() < 0.3 else ""
    return (bom + buf.getvalue()).encode("utf-8")


def _write_xlsx(path: Path, headers: list[str], columns: list[str], sheet: _Sheet) -> None:
    """An XLSX workbook with fixed document properties, so that the same rows give the same bytes
    (xlsxwriter stamps its zip entries with a constant date; the created date is set here)."""
    created = datetime(sheet.end.year, sheet.end.month, sheet.end.day) + timedelta(days=5, hours=9)
    workbook = xlsxwriter.Workbook(str(path), {"in_memory": True})
    workbook.set_properties({"title": "Báo cáo số liệu", "author": f"UBND {sheet.district.type} {sheet.district.name}",
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


def _spread(n_reports: int, share: float) -> list[bool]:
    """Which of ``n_reports`` documents are picked (submissions, post-reform documents): evenly
    spread, ``floor(n * share)`` of them."""
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


def _spread_over_formats(n_submissions: int, share: float) -> list[bool]:
    """Which submissions are picked (``floor(n * share)`` of them): spread evenly over the CSV files
    (even positions) and then the XLSX files (odd ones), so that both formats have their share."""
    order = list(range(0, n_submissions, 2)) + list(range(1, n_submissions, 2))
    plan = [False] * n_submissions
    for k, picked in zip(order, _spread(n_submissions, share), strict=True):
        plan[k] = picked
    return plan


def _write_submissions(out_dir: Path, seed: int, plan: list[bool], reform_plan: list[bool],
                       reform_map: ReformMap | None) -> Iterator[tuple[int, str, list[dict], str | None]]:
    """Write the submissions ``plan`` asks for, post-reform ones where ``reform_plan`` (one flag a
    submission) says so; yield each one's index, name, gold and, after the reform, its commune's code."""
    rng = random.Random(f"synthetic-submissions-{seed}")
    reform_rng = random.Random(f"synthetic-reform-submissions-{seed}")
    districts = _submission_districts()
    communes = _submission_communes(reform_map.communes) if reform_map else []
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
        xlsx = name.endswith(".xlsx")
        sheet, columns = _submission(name, rng, district, province_type, (start, end))
        headers = _headers(rng, columns)
        data = None if xlsx else _csv_bytes(rng, headers, columns, sheet)
        code = None
        if reform_plan[k]:  # a commune's in its place; the draws above keep the other submissions as they were
            while True:
                commune, typed = reform_rng.choice(communes)
                start, end = _reform_period(reform_rng)
                if (commune.province, commune.label, start, end) not in taken:
                    taken.add((commune.province, commune.label, start, end))
                    break
            sheet, columns = _submission(name, reform_rng, commune, commune.province_type, (start, end), typed)
            headers = _headers(reform_rng, columns)
            data = None if xlsx else _csv_bytes(reform_rng, headers, columns, sheet)
            code = commune.code
        k += 1
        if data is None:
            _write_xlsx(out_dir / name, headers, columns, sheet)
        else:
            (out_dir / name).write_bytes(data)
        yield i, name, sheet.gold(columns), code


def generate_corpus(out_dir: Path, *, n_reports: int, seed: int = 0, submission_share: float = 0.2,
                    reform_share: float = 0.0) -> CorpusInfo:
    """Write ``n_reports`` documents and their gold to ``out_dir`` (deterministic for a seed).

    ``floor(n_reports * submission_share)`` of them are spreadsheet submissions (CSV and XLSX in
    turn), the rest prose reports; ``reform_share`` of each are dated after the 1 July 2025
    reform and about a commune of the new map (``CorpusInfo.post_reform`` lists them with the
    commune's code). gold.jsonl lists the figures document by document.
    """
    for label, share in (("submission_share", submission_share), ("reform_share", reform_share)):
        if not 0 <= share <= 1:
            raise ValueError(f"{label} must be between 0 and 1, not {share}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    plan = _spread(n_reports, submission_share)
    districts = load_districts()
    reform_map = load_reform_map() if reform_share > 0 else None
    prose = [i for i, s in enumerate(plan) if not s]
    reform_prose = _spread(len(prose), reform_share)
    reform_docs = _reform_documents(seed, [i for i, r in zip(prose, reform_prose, strict=True) if r],
                                    reform_map) if reform_map else iter(())
    gold_of: dict[int, list[dict]] = {}
    post_reform: dict[str, str] = {}
    for doc_index, doc, is_reform in zip(prose, _documents(n_reports, seed, districts, plan), reform_prose,
                                         strict=True):
        if is_reform:  # drawn in place of the district report, which is set aside
            doc = next(reform_docs)
            assert isinstance(doc.district, Commune)
            post_reform[doc.name] = doc.district.code
        text = doc.text
        for record in doc.gold:
            assert record["quote"] in text, record["quote"]
        (out_dir / doc.name).write_text(text, encoding="utf-8")
        gold_of[doc_index] = doc.gold
    reform_sheets = _spread_over_formats(sum(plan), reform_share)
    for i, name, gold, code in _write_submissions(out_dir, seed, plan, reform_sheets, reform_map):
        gold_of[i] = gold
        if code is not None:
            post_reform[name] = code
    figures = 0
    with (out_dir / "gold.jsonl").open("w", encoding="utf-8") as gold_file:
        for i in range(n_reports):
            for record in gold_of[i]:
                gold_file.write(json.dumps(record, ensure_ascii=False) + "\n")
            figures += len(gold_of[i])
    return CorpusInfo(out_dir=out_dir, reports=n_reports, figures=figures, submissions=sum(plan),
                      post_reform=dict(sorted(post_reform.items())))
