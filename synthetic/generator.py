"""Deterministic synthetic district reports in Vietnamese prose, with their true figures.

``generate_corpus(out_dir, n_reports=N, seed=S)`` writes N reports (text, optionally HTML or
DOCX) and ``gold.jsonl`` beside them in the gold schema of the evaluation set, so the scorer
measures extraction at any scale. Reports are built from phrase pools in three genres (a
programme disbursement note, a monthly socio-economic notice, an annual conference report with a
scorecard and next year's targets), for real districts of the gazetteer, with the traps real
reports carry: dates and document numbers beside figures, hedges, components in parentheses,
ordinals, term labels, page furniture. Same seed, same bytes.
"""

from __future__ import annotations

import csv
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sources.numbers import format_vn
from sources.reference import seed_path

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
    reports: int
    figures: int


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


def _documents(n_reports: int, seed: int, districts: list[District]) -> Iterator[_Doc]:
    rng = random.Random(seed)
    for i in range(n_reports):
        district = rng.choice(districts)
        year = rng.randint(2016, 2024)
        genre = GENRES[i % len(GENRES)]
        doc = _Doc(f"synthetic_{seed}_{i:06d}.txt", district, year)
        if rng.random() < 0.3:
            doc.add("\n".join(line.format(n=rng.randint(1, 99999)) for line in FURNITURE))
        genre(doc, rng)
        doc.add(rng.choice(["Tin, ảnh: Phòng Văn hóa - Thông tin", "Văn phòng Huyện ủy", "Ban Tuyên giáo Huyện ủy"]))
        yield doc


def generate_corpus(out_dir: Path, *, n_reports: int, seed: int = 0) -> CorpusInfo:
    """Write ``n_reports`` reports and their gold to ``out_dir`` (deterministic for a seed)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    figures = 0
    districts = load_districts()
    with (out_dir / "gold.jsonl").open("w", encoding="utf-8") as gold:
        for doc in _documents(n_reports, seed, districts):
            text = doc.text
            for record in doc.gold:
                assert record["quote"] in text, record["quote"]
                gold.write(json.dumps(record, ensure_ascii=False) + "\n")
            figures += len(doc.gold)
            (out_dir / doc.name).write_text(text, encoding="utf-8")
    return CorpusInfo(out_dir=out_dir, reports=n_reports, figures=figures)
