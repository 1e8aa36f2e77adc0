"""Periods and places on short reports in the styles of provinces and years the dev set does not
hold: date lines, news leads and titles written other ways, comparison bases in every wording,
spans, next year's targets, cumulative and cut-off periods; districts and towns with and without
their type words, homonyms, provinces named only in the date line, communes after the 2025 reform,
units renamed between 2016 and 2025. Written for these tests (no report's text); the expected
values follow ../shared/eval/README.md, compared as the scorer compares them (a period in years by
its start and end year, one in dates by its start and end month)."""

from __future__ import annotations

from datetime import date

import pytest

from sources.extract import extract_report
from sources.places import Gazetteer
from sources.text import normalise_text


def _same(got: tuple[date | None, date | None], want: str) -> bool:
    start, end = got
    if start is None or end is None:
        return False
    a, _, b = want.partition("..")
    b = b or a
    if len(a) == 4:
        return (start.year, end.year) == (int(a), int(b))
    ya, ma = int(a[:4]), int(a[5:7])
    yb, mb = int(b[:4]), int(b[5:7])
    return (start.year, start.month, end.year, end.month) == (ya, ma, yb, mb)


def _value(f) -> float | None:
    if f.kind == "funding":
        return float(f.amount_vnd) if f.amount_vnd is not None else None
    if f.kind == "scorecard":
        return float(f.indicators_met_or_exceeded)
    for v in (f.actual_value, f.target_value, f.change_value, f.attainment_pct, f.exceed_pct):
        if v is not None:
            return float(v)
    return None


def _check(text: str, want: dict) -> None:
    facts = extract_report(normalise_text(text))
    if "date" in want:
        assert facts.report_date == want["date"]
    if "period" in want:
        assert _same((facts.period_start, facts.period_end), want["period"]), (facts.period_start, facts.period_end)
    got: dict[float, list[tuple]] = {}
    for f in facts.figures:
        got.setdefault(_value(f), []).append((f.period_start, f.period_end))
    for value, period in want.get("figures", {}).items():
        assert float(value) in got, f"{value} not read: {sorted(k for k in got if k is not None)}"
        assert any(_same(p, period) for p in got[float(value)]), (value, got[float(value)], period)


_PARAM = type(pytest.param())
T = 1_000_000_000  # tỷ đồng
M = 1_000_000  # triệu đồng

HEADER = "ỦY BAN NHÂN DÂN\nHUYỆN {unit}\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"

PERIOD_CASES = [
    # --- date lines and titles of administrative documents ---
    ("a province in the date line, a year's review in January",
     HEADER.format(unit="CAN LỘC") + "Hà Tĩnh, ngày 05 tháng 01 năm 2024\n\nBÁO CÁO\n"
     "Tình hình thực hiện nhiệm vụ phát triển kinh tế - xã hội năm 2023\n\n"
     "Năm 2023, tổng thu ngân sách trên địa bàn đạt 125 tỷ đồng, tăng 12% so với năm 2022.",
     {"date": date(2024, 1, 5), "period": "2023", "figures": {125 * T: "2023", 12: "2023"}}),
    ("a date line with a numeric date and a quarter in the title",
     "TP. Hồ Chí Minh, ngày 3/4/2021\n\nBÁO CÁO\nKết quả thực hiện nhiệm vụ quý I năm 2021\n\n"
     "Trong quý I, tổng thu ngân sách đạt 820 tỷ đồng.",
     {"date": date(2021, 4, 3), "period": "2021-01-01..2021-03-31",
      "figures": {820 * T: "2021-01-01..2021-03-31"}}),
    ("a third quarter's report with KT-XH",
     HEADER.format(unit="THĂNG BÌNH") + "Thăng Bình, ngày 28 tháng 9 năm 2022\n\nBÁO CÁO\n"
     "Tình hình thực hiện nhiệm vụ phát triển KT-XH quý III năm 2022\n\n"
     "Quý III, tổng thu ngân sách trên địa bàn đạt 64 tỷ đồng.",
     {"date": date(2022, 9, 28), "period": "2022-07-01..2022-09-30",
      "figures": {64 * T: "2022-07-01..2022-09-30"}}),
    ("the first half in the title, its frame in the body",
     HEADER.format(unit="NGHI XUÂN") + "Nghi Xuân, ngày 20 tháng 6 năm 2023\n\nBÁO CÁO\n"
     "Kết quả thực hiện nhiệm vụ 6 tháng đầu năm 2023\n\n"
     "6 tháng đầu năm, giá trị sản xuất nông nghiệp ước đạt 410 tỷ đồng.",
     {"date": date(2023, 6, 20), "period": "2023-01-01..2023-06-30",
      "figures": {410 * T: "2023-01-01..2023-06-30"}}),
    ("a year's results and next year's plan in one title",
     HEADER.format(unit="HƯƠNG KHÊ") + "Hương Khê, ngày 15 tháng 12 năm 2021\n\nBÁO CÁO\n"
     "Kết quả thực hiện nhiệm vụ năm 2021 và kế hoạch năm 2022\n\n"
     "Thu nhập bình quân đầu người năm 2021 đạt 42 triệu đồng. "
     "Năm 2022, phấn đấu thu nhập bình quân đầu người đạt 48 triệu đồng.",
     {"period": "2021", "figures": {42 * M: "2021", 48 * M: "2022"}}),
    ("a date line alone, the year named in the title only by its months",
     "Ngày 12 tháng 10 năm 2020\n\nBÁO CÁO tình hình kinh tế - xã hội 9 tháng năm 2020\n\n"
     "Tổng thu ngân sách 9 tháng đạt 80 tỷ đồng, tăng 7% so với cùng kỳ năm trước.",
     {"date": date(2020, 10, 12), "period": "2020-01-01..2020-09-30",
      "figures": {80 * T: "2020-01-01..2020-09-30", 7: "2020-01-01..2020-09-30"}}),
    ("a monthly report of a commune",
     "UBND XÃ ĐỨC HÒA\nĐức Hòa, ngày 30 tháng 10 năm 2022\n\nBÁO CÁO\n"
     "Tình hình kinh tế - xã hội tháng 10/2022\n\nTrong tháng, thu ngân sách xã đạt 850 triệu đồng.",
     {"date": date(2022, 10, 30), "period": "2022-10-01..2022-10-31",
      "figures": {850 * M: "2022-10-01..2022-10-31"}}),
    ("a quarter written with a slash",
     "Quảng Nam, ngày 05 tháng 4 năm 2024\n\nBÁO CÁO\nTình hình thực hiện nhiệm vụ Quý I/2024\n\n"
     "Quý I/2024, giải ngân vốn đầu tư công đạt 45 tỷ đồng.",
     {"date": date(2024, 4, 5), "period": "2024-01-01..2024-03-31",
      "figures": {45 * T: "2024-01-01..2024-03-31"}}),
    # --- news leads ---
    ("a news lead with the paper's tag and a December session",
     "HĐND huyện kỳ họp cuối năm\n\n(Baohatinh) - Sáng 5/12, HĐND huyện khai mạc kỳ họp thứ 15. "
     "Năm 2023, tổng giá trị sản xuất đạt 5.200 tỷ đồng. Năm 2024, phấn đấu tổng thu ngân sách đạt 140 tỷ đồng.",
     {"date": date(2023, 12, 5), "period": "2023", "figures": {5200 * T: "2023", 140 * T: "2024"}}),
    ("a lead with a full date",
     "Hội nghị tổng kết năm 2023\n\nChiều 8/1/2024, Huyện ủy tổ chức hội nghị tổng kết năm 2023. "
     "Năm qua, thu ngân sách trên địa bàn đạt 210 tỷ đồng.",
     {"date": date(2024, 1, 8), "period": "2023", "figures": {210 * T: "2023"}}),
    ("a lead with a dotted date and a publication line",
     "Thứ Sáu, 14/07/2023 - 09:12\n\nHuyện sơ kết 6 tháng đầu năm\n\n"
     "Ngày 13.7, UBND huyện tổ chức hội nghị sơ kết 6 tháng đầu năm 2023. "
     "Tổng thu ngân sách ước đạt 96 tỷ đồng.",
     {"date": date(2023, 7, 13), "period": "2023-01-01..2023-06-30",
      "figures": {96 * T: "2023-01-01..2023-06-30"}}),
    ("a lead with a dashed date with its year",
     "Kỳ họp HĐND huyện\n\nSáng ngày 20-12-2022, HĐND huyện tổ chức kỳ họp thường lệ cuối năm 2022. "
     "Tổng thu ngân sách năm 2022 ước đạt 300 tỷ đồng.",
     {"date": date(2022, 12, 20), "figures": {300 * T: "2022"}}),
    ("a publication line with an update word",
     "Cập nhật: 08:30 ngày 21/7/2022\n\nGiải ngân vốn đầu tư công\n\n"
     "Từ đầu năm đến nay, huyện đã giải ngân 38 tỷ đồng vốn đầu tư công.",
     {"date": date(2022, 7, 21), "figures": {38 * T: "2022-01-01..2022-07-31"}}),
    ("a lead date of January reviewing the past year",
     "Tổng kết công tác năm\n\n(ABC) - Ngày 10/1, huyện tổ chức hội nghị tổng kết năm 2022. "
     "Trong năm 2022, toàn huyện đã giải ngân 150 tỷ đồng vốn đầu tư công.",
     {"date": date(2023, 1, 10), "period": "2022", "figures": {150 * T: "2022"}}),
    # --- comparison bases in every wording ---
    ("so với cùng kỳ năm ngoái",
     "Báo cáo 6 tháng đầu năm 2023\n\nNgày 25/6/2023, huyện họp. Tổng thu ngân sách đạt 50 tỷ đồng, "
     "tăng 9% so với cùng kỳ năm ngoái.",
     {"figures": {50 * T: "2023-01-01..2023-06-30", 9: "2023-01-01..2023-06-30"}}),
    ("so với thời điểm cuối năm",
     "Báo cáo 6 tháng đầu năm 2023\n\nNgày 25/6/2023, huyện họp. Tỷ lệ hộ nghèo còn 3,2%, "
     "giảm 0,8% so với thời điểm cuối năm 2022.",
     {"figures": {3.2: "2023", -0.8: "2023"}}),
    ("so với đầu năm",
     "Báo cáo 9 tháng năm 2021\n\nNgày 2/10/2021, huyện họp. Dư nợ cho vay đạt 720 tỷ đồng, "
     "tăng 45 tỷ đồng so với đầu năm 2021.",
     {"figures": {720 * T: "2021"}}),
    ("cùng kỳ without so với, a figure after it",
     "Báo cáo 6 tháng đầu năm 2023\n\nNgày 25/6/2023, huyện họp. Tổng thu ngân sách đạt 55 tỷ đồng, "
     "bằng 110% cùng kỳ năm 2022, tổng chi ngân sách đạt 47 tỷ đồng.",
     {"figures": {55 * T: "2023-01-01..2023-06-30", 47 * T: "2023-01-01..2023-06-30"}}),
    ("so sánh với",
     "Tổng kết năm 2022\n\nNgày 20/12/2022, huyện họp. Giá trị sản xuất công nghiệp đạt 1.300 tỷ đồng, "
     "tăng 14% khi so sánh với năm 2021.",
     {"figures": {1300 * T: "2022", 14: "2022"}}),
    ("gấp lần so với a year",
     "Tổng kết năm 2022\n\nNgày 20/12/2022, huyện họp. Thu nhập bình quân đầu người đạt 52 triệu đồng, "
     "gấp 1,6 lần so với năm 2015.",
     {"figures": {52 * M: "2022"}}),
    ("so với kỳ trước",
     "Báo cáo quý II năm 2024\n\nNgày 28/6/2024, huyện họp. Trong quý II, thu ngân sách đạt 30 tỷ đồng, "
     "tăng 4% so với quý trước.",
     {"figures": {30 * T: "2024-04-01..2024-06-30"}}),
    # --- spans ---
    ("a phase of years as a frame",
     "Báo cáo năm 2023\n\nNgày 15/12/2023, huyện họp. Giai đoạn 2021-2023, huyện đã huy động "
     "1.200 tỷ đồng xây dựng nông thôn mới.",
     {"figures": {1200 * T: "2021..2023"}}),
    ("từ năm ... đến năm ...",
     "Báo cáo năm 2023\n\nNgày 15/12/2023, huyện họp. Từ năm 2019 đến năm 2022, toàn huyện đã "
     "xây dựng mới 85 km đường giao thông nông thôn.",
     {"figures": {85: "2019..2022"}}),
    ("a span with a number in words",
     "Báo cáo năm 2023\n\nNgày 15/12/2023, huyện họp. Trong hai năm 2021 - 2022, huyện đã giải ngân "
     "240 tỷ đồng vốn đầu tư công.",
     {"figures": {240 * T: "2021..2022"}}),
    ("a span in parentheses after an elapsed time",
     "Báo cáo năm 2023\n\nNgày 15/12/2023, huyện họp. Sau 3 năm triển khai (2021-2023), huyện đã "
     "hỗ trợ 320 hộ làm nhà ở.",
     {"figures": {320: "2021..2023"}}),
    ("from a past year to now",
     "Báo cáo năm 2023\n\nNgày 15/12/2023, huyện họp. Từ năm 2021 đến nay, huyện đã làm mới "
     "120 km đường giao thông.",
     {"figures": {120: "2021..2023"}}),
    ("a school year",
     "Báo cáo năm 2023\n\nNgày 15/12/2023, huyện họp. Năm học 2022-2023, toàn huyện có 42 trường đạt chuẩn quốc gia.",
     {"figures": {42: "2022..2023"}}),
    # --- targets ---
    ("a target for next year without its number",
     "Tổng kết năm 2023\n\nNgày 18/12/2023, HĐND huyện họp. Năm tới, phấn đấu tỷ lệ hộ nghèo giảm còn 2,5%.",
     {"figures": {2.5: "2024"}}),
    ("a target to the end of a later year",
     "Báo cáo năm 2023\n\nNgày 15/12/2023, huyện họp. "
     "Phấn đấu đến cuối năm 2025 có 100% số xã đạt chuẩn nông thôn mới.",
     {"figures": {100: "2025"}}),
    ("a plan for the second half",
     "Sơ kết 6 tháng đầu năm 2023\n\nNgày 10/7/2023, huyện họp. 6 tháng cuối năm, phấn đấu thu ngân sách "
     "đạt 60 tỷ đồng.",
     {"figures": {60 * T: "2023-07-01..2023-12-31"}}),
    ("next year's plan in a year-end report",
     "Tổng kết năm 2022\n\nNgày 22/12/2022, huyện họp. "
     "Kế hoạch năm 2023, dự kiến giải ngân 200 tỷ đồng vốn đầu tư công.",
     {"figures": {200 * T: "2023"}}),
    ("an estimate for the whole year",
     "Báo cáo 11 tháng năm 2023\n\nNgày 5/12/2023, huyện họp. Ước thực hiện cả năm 2023, giá trị sản xuất "
     "đạt 900 tỷ đồng.",
     {"figures": {900 * T: "2023"}}),
    # --- cumulative, cut-off, in the period, the same period ---
    ("cumulative since the start of the year",
     "Báo cáo tháng 7 năm 2023\n\nNgày 20/7/2023, huyện họp. Lũy kế từ đầu năm, giải ngân 45 tỷ đồng "
     "vốn đầu tư công.",
     {"figures": {45 * T: "2023-01-01..2023-07-31"}}),
    ("until the end of a day",
     "Báo cáo năm 2023\n\nNgày 10/7/2023, huyện họp. Tính đến hết ngày 30/6/2023, huyện đã giải ngân "
     "70 tỷ đồng vốn đầu tư công.",
     {"figures": {70 * T: "2023-01-01..2023-06-30"}}),
    ("until a day without its year",
     "Báo cáo 6 tháng đầu năm 2022\n\nNgày 12/7/2022, huyện họp. Tính đến ngày 30/6, toàn huyện có "
     "14 xã đạt chuẩn nông thôn mới.",
     {"figures": {14: "2022-01-01..2022-06-30"}}),
    ("from a day to a day",
     "Báo cáo 6 tháng đầu năm 2023\n\nNgày 5/7/2023, huyện họp. Từ ngày 01/01 đến ngày 30/6/2023, "
     "huyện đã giải ngân 64 tỷ đồng vốn đầu tư công.",
     {"figures": {64 * T: "2023-01-01..2023-06-30"}}),
    ("until a point in time with its date",
     "Báo cáo năm 2023\n\nNgày 10/7/2023, huyện họp. Tính đến thời điểm 30/6/2023, huyện đã giải ngân "
     "57 tỷ đồng vốn đầu tư công.",
     {"figures": {57 * T: "2023-01-01..2023-06-30"}}),
    ("until the time of the report",
     "Báo cáo 6 tháng đầu năm 2023\n\nNgày 20/7/2023, huyện họp. Tính đến thời điểm báo cáo, huyện đã "
     "giải ngân 81 tỷ đồng vốn đầu tư công.",
     {"figures": {81 * T: "2023-01-01..2023-07-31"}}),
    ("trong kỳ",
     "Báo cáo quý III năm 2022\n\nNgày 30/9/2022, huyện họp. Trong kỳ, tổng thu ngân sách đạt 21 tỷ đồng.",
     {"figures": {21 * T: "2022-07-01..2022-09-30"}}),
    ("a year-end stock cut at the last day of the previous year",
     "Báo cáo năm 2023\n\nNgày 15/3/2023, huyện họp. Đến 31/12/2022, toàn huyện có 1.450 hộ nghèo.",
     {"figures": {1450: "2022"}}),
    ("a quick estimate for the year in a month report",
     "Báo cáo tháng 11 năm 2021\n\nNgày 25/11/2021, huyện họp. Ước cả năm 2021, thu ngân sách đạt 130 tỷ đồng.",
     {"figures": {130 * T: "2021"}}),
    # --- fiscal periods ---
    ("a budget year's settlement",
     "Báo cáo năm 2023\n\nNgày 10/7/2023, HĐND huyện họp. Quyết toán thu ngân sách năm 2022 đạt 310 tỷ đồng.",
     {"figures": {310 * T: "2022"}}),
    ("a fiscal year by niên độ",
     "Báo cáo năm 2023\n\nNgày 10/7/2023, HĐND huyện họp. Tổng chi ngân sách niên độ 2022 đạt 295 tỷ đồng.",
     {"figures": {295 * T: "2022"}}),
    ("capital of a year carried over, disbursed now",
     "Báo cáo 6 tháng đầu năm 2024\n\nNgày 5/7/2024, huyện họp. Nguồn vốn năm 2023 chuyển sang năm 2024, "
     "huyện đã giải ngân 12 tỷ đồng.",
     {"figures": {12 * T: "2024-01-01..2024-06-30"}}),
    # --- years labelling items of a list ---
    ("two years side by side",
     "Báo cáo năm 2023\n\nNgày 15/12/2023, huyện họp. Thu ngân sách năm 2021 đạt 40 tỷ đồng, năm 2022 đạt 52 tỷ đồng.",
     {"figures": {40 * T: "2021", 52 * T: "2022"}}),
    ("a year heading a sentence without a comma",
     "Báo cáo năm 2023\n\nNgày 15/12/2023, huyện họp. Năm 2022 toàn huyện có 8 xã đạt chuẩn nông thôn mới.",
     {"figures": {8: "2022"}}),
    ("in the first months written without đầu năm",
     "Báo cáo tháng 5 năm 2023\n\nNgày 26/5/2023, huyện họp. Trong 5 tháng, tổng thu ngân sách đạt 33 tỷ đồng.",
     {"figures": {33 * T: "2023-01-01..2023-05-31"}}),
    # --- a third round ---
    ("a cumulative count of months without đầu năm",
     "Báo cáo tháng 10 năm 2023\n\nNgày 20/10/2023, huyện họp. Tính chung 9 tháng, thu ngân sách đạt 77 tỷ đồng.",
     {"figures": {77 * T: "2023-01-01..2023-09-30"}}),
    ("a base of the same months of the year before, a figure after it",
     "Báo cáo 6 tháng đầu năm 2022\n\nNgày 28/6/2022, huyện họp. Thu ngân sách đạt 58 tỷ đồng, tăng 10% so với "
     "6 tháng đầu năm 2021, chi ngân sách đạt 41 tỷ đồng.",
     {"figures": {58 * T: "2022-01-01..2022-06-30", 41 * T: "2022-01-01..2022-06-30"}}),
    ("a mid-year lead without its year",
     "Sơ kết 6 tháng đầu năm 2024\n\nSáng 19/7, UBND huyện tổ chức hội nghị sơ kết 6 tháng đầu năm 2024. "
     "Tổng thu ngân sách đạt 73 tỷ đồng.",
     {"date": date(2024, 7, 19), "figures": {73 * T: "2024-01-01..2024-06-30"}}),
    ("a cut-off at the end of the year reviewed in January",
     "Tổng kết năm 2023\n\nNgày 12/1/2024, huyện họp. "
     "Tính đến 31/12/2023, toàn huyện có 17 xã đạt chuẩn nông thôn mới.",
     {"figures": {17: "2023"}}),
    ("from the start of the year to a day",
     "Báo cáo năm 2024\n\nNgày 20/5/2024, huyện họp. Từ đầu năm 2024 đến ngày 15/5/2024, huyện giải ngân "
     "34 tỷ đồng vốn đầu tư công.",
     {"figures": {34 * T: "2024-01-01..2024-05-31"}}),
    ("a year in parentheses after a level",
     "Báo cáo năm 2023\n\nNgày 15/12/2023, huyện họp. Tỷ lệ hộ nghèo còn 2,1% (năm 2022).",
     {"figures": {2.1: "2022"}}),
    ("a target to a later year in a mid-term report",
     "Báo cáo năm 2023\n\nNgày 15/6/2023, huyện họp. Phấn đấu đến năm 2025, thu nhập bình quân đầu người đạt "
     "60 triệu đồng.",
     {"figures": {60 * M: "2025"}}),
    ("a target over the next phase",
     "Báo cáo năm 2025\n\nNgày 15/6/2025, huyện họp. Giai đoạn 2026-2030, phấn đấu tốc độ tăng trưởng kinh tế "
     "bình quân đạt 10%/năm.",
     {"figures": {10: "2026..2030"}}),
    ("an estimate and a plan side by side",
     "Báo cáo năm 2023\n\nNgày 15/12/2023, huyện họp. Thu ngân sách năm 2023 ước đạt 95 tỷ đồng; năm 2024 "
     "dự kiến thu 110 tỷ đồng.",
     {"figures": {95 * T: "2023", 110 * T: "2024"}}),
    ("months named from January",
     "Báo cáo năm 2023\n\nNgày 10/7/2023, huyện họp. Từ tháng 1 đến tháng 6 năm 2023, toàn huyện tạo việc làm "
     "mới cho 1.150 lao động.",
     {"figures": {1150: "2023-01-01..2023-06-30"}}),
    # --- a fourth round ---
    ("the next years", "Báo cáo năm 2023\n\nNgày 15/12/2023, huyện họp. Trong 3 năm tới, phấn đấu xây mới 150 km "
     "đường giao thông nông thôn.", {"figures": {150: "2024..2026"}}),
    ("months across a year's end", "Báo cáo năm 2023\n\nNgày 15/4/2023, huyện họp. Từ tháng 10/2022 đến tháng "
     "3/2023, huyện đã giải ngân 48 tỷ đồng vốn đầu tư công.", {"figures": {48 * T: "2022-10-01..2023-03-31"}}),
    ("a crop season across a year's end", "Báo cáo năm 2023\n\nNgày 15/12/2023, huyện họp. Vụ Đông Xuân 2022 - 2023, "
     "toàn huyện gieo cấy 5.200 ha lúa.", {"figures": {5200: "2022..2023"}}),
    # --- a fifth round ---
    ("a run of years ending with the report's", "Báo cáo năm 2023\n\nNgày 15/12/2023, huyện họp. Huyện có 12 xã "
     "đạt danh hiệu xã văn hóa 3 năm liên tiếp.", {"figures": {12: "2021..2023"}}),
    ("since a day, in a commune's report after the reform",
     "UBND XÃ HƯỚNG HIỆP\nHướng Hiệp, ngày 05 tháng 10 năm 2025\n\nBÁO CÁO tình hình tháng 9 năm 2025\n\n"
     "Từ ngày 01/7/2025 đến nay, xã đã tiếp nhận 1.250 hồ sơ thủ tục hành chính.",
     {"figures": {1250: "2025-07-01..2025-10-31"}}),
    ("a quarter of this year", "Báo cáo quý I năm 2024\n\nNgày 28/3/2024, huyện họp. Quý I năm nay, thu ngân sách "
     "đạt 33 tỷ đồng.", {"figures": {33 * T: "2024-01-01..2024-03-31"}}),
    ("a date line without its comma", "Hà Tĩnh ngày 05 tháng 01 năm 2024\n\nBÁO CÁO tổng kết năm 2023\n\n"
     "Năm 2023, thu ngân sách đạt 125 tỷ đồng.", {"date": date(2024, 1, 5), "figures": {125 * T: "2023"}}),
    pytest.param("Báo cáo năm 2023\n\nNgày 15/12/2023, huyện họp. Kế hoạch 5 năm 2021-2025 đề ra tốc độ tăng trưởng "
                 "bình quân 8%/năm.", {"figures": {8: "2021..2025"}}, id="a plan's phase dates the targets it sets",
                 marks=pytest.mark.xfail(strict=True, reason="the clause layer reads 'Kế hoạch ... đề ra tốc độ tăng "
                                         "trưởng bình quân 8%/năm' as an actual, so the plan's phase (a label) is not "
                                         "its period; as a target it would be 2021..2025")),
    # --- a second round, written after the first was passing ---
    ("a numeric date line after a district",
     HEADER.format(unit="CẨM XUYÊN") + "Cẩm Xuyên, ngày 05/01/2024\n\nBÁO CÁO\nTổng kết công tác năm 2023\n\n"
     "Năm 2023, toàn huyện giải ngân 260 tỷ đồng vốn đầu tư công.",
     {"date": date(2024, 1, 5), "period": "2023", "figures": {260 * T: "2023"}}),
    ("a lead date in parentheses after hôm nay",
     "Kỳ họp cuối năm\n\n08/12/2023 14:20\n\nHôm nay (8/12), HĐND huyện khai mạc kỳ họp thứ 12. "
     "Năm 2023, tổng thu ngân sách ước đạt 175 tỷ đồng.",
     {"date": date(2023, 12, 8), "figures": {175 * T: "2023"}}),
    ("a lead date in words without its year",
     "Sơ kết 6 tháng đầu năm 2022\n\nNgày 8 tháng 7, UBND huyện tổ chức hội nghị sơ kết 6 tháng đầu năm 2022. "
     "Tổng thu ngân sách đạt 68 tỷ đồng.",
     {"date": date(2022, 7, 8), "period": "2022-01-01..2022-06-30", "figures": {68 * T: "2022-01-01..2022-06-30"}}),
    ("a two-day session in parentheses",
     "Kỳ họp HĐND huyện\n\nTrong 2 ngày (14-15/12/2023), HĐND huyện tổ chức kỳ họp thứ 13. "
     "Năm 2023, thu nhập bình quân đầu người đạt 51 triệu đồng.",
     {"date": date(2023, 12, 14), "figures": {51 * M: "2023"}}),
    ("a plan of the last quarter in the title",
     "Ngày 10 tháng 10 năm 2023\n\nBÁO CÁO kết quả 9 tháng đầu năm 2023 và nhiệm vụ trọng tâm 3 tháng cuối năm\n\n"
     "Tổng thu ngân sách đạt 88 tỷ đồng.",
     {"period": "2023-01-01..2023-09-30", "figures": {88 * T: "2023-01-01..2023-09-30"}}),
    ("a plan being carried out is the year reviewed",
     "Ngày 12 tháng 12 năm 2023\n\nBÁO CÁO Tình hình thực hiện kế hoạch phát triển kinh tế - xã hội năm 2023\n\n"
     "Tổng thu ngân sách đạt 230 tỷ đồng.",
     {"period": "2023", "figures": {230 * T: "2023"}}),
    ("cùng kì spelt with i",
     "Báo cáo 6 tháng đầu năm 2023\n\nNgày 25/6/2023, huyện họp. Tổng thu ngân sách đạt 56 tỷ đồng, "
     "bằng 108% so với cùng kì năm 2022, tổng chi ngân sách đạt 49 tỷ đồng.",
     {"figures": {56 * T: "2023-01-01..2023-06-30", 49 * T: "2023-01-01..2023-06-30"}}),
    ("a base before the change",
     "Tổng kết năm 2022\n\nNgày 20/12/2022, huyện họp. Thu ngân sách đạt 150 tỷ đồng, so với năm 2021 tăng 6%.",
     {"figures": {150 * T: "2022", 6: "2022"}}),
    ("a span of years without năm",
     "Báo cáo năm 2023\n\nNgày 15/12/2023, huyện họp. Từ 2021 - 2023, huyện đã hỗ trợ xây mới 210 nhà ở cho hộ nghèo.",
     {"figures": {210: "2021..2023"}}),
    ("a phase from a year to a year",
     "Báo cáo năm 2023\n\nNgày 15/12/2023, huyện họp. Giai đoạn từ năm 2016 đến năm 2020, huyện đã huy động "
     "950 tỷ đồng xây dựng nông thôn mới.",
     {"figures": {950 * T: "2016..2020"}}),
    ("a cut-off date in words",
     "Báo cáo năm 2023\n\nNgày 15/3/2023, huyện họp. Đến ngày 31 tháng 12 năm 2022, toàn huyện có 1.320 hộ nghèo.",
     {"figures": {1320: "2022"}}),
    ("to the end of a quarter is cumulative",
     "Báo cáo 6 tháng đầu năm 2023\n\nNgày 10/7/2023, huyện họp. Đến hết quý II/2023, huyện đã giải ngân "
     "92 tỷ đồng vốn đầu tư công.",
     {"figures": {92 * T: "2023-01-01..2023-06-30"}}),
    ("the first half of the year in words",
     "Báo cáo năm 2023\n\nNgày 10/7/2023, huyện họp. Nửa đầu năm 2023, tổng thu ngân sách đạt 61 tỷ đồng.",
     {"figures": {61 * T: "2023-01-01..2023-06-30"}}),
    ("the first months of the year",
     "Báo cáo năm 2023\n\nNgày 20/4/2023, huyện họp. Những tháng đầu năm 2023, huyện đã giải ngân 27 tỷ đồng "
     "vốn đầu tư công.",
     {"figures": {27 * T: "2023-01-01..2023-04-30"}}),
    ("a month and the whole year in the title",
     "Ngày 28 tháng 12 năm 2023\n\nBÁO CÁO Tình hình kinh tế - xã hội tháng 12 và cả năm 2023\n\n"
     "Cả năm, tổng thu ngân sách đạt 240 tỷ đồng.",
     {"period": "2023", "figures": {240 * T: "2023"}}),
    ("eleven months in the title",
     "Ngày 5 tháng 12 năm 2022\n\nBÁO CÁO Tình hình kinh tế - xã hội 11 tháng năm 2022\n\n"
     "Tổng thu ngân sách đạt 112 tỷ đồng.",
     {"period": "2022-01-01..2022-11-30", "figures": {112 * T: "2022-01-01..2022-11-30"}}),
    ("a stock at the end of the previous year",
     "Báo cáo năm 2023\n\nNgày 15/12/2023, huyện họp. Cuối năm 2022, tỷ lệ hộ nghèo toàn huyện là 4,1%.",
     {"figures": {4.1: "2022"}}),
    ("a whole-year estimate as a head",
     "Tổng kết năm 2023\n\nNgày 18/12/2023, huyện họp. "
     "Ước thực hiện năm 2023, tổng giá trị sản xuất đạt 7.400 tỷ đồng.",
     {"figures": {7400 * T: "2023"}}),
]


@pytest.mark.parametrize(("text", "want"), [c if isinstance(c, _PARAM) else pytest.param(c[1], c[2], id=c[0])
                                           for c in PERIOD_CASES])
def test_periods_hold_on_other_provinces_styles(text: str, want: dict) -> None:
    _check(text, want)


# --- places ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


PLACE_CASES = [
    ("a town and a district share a name: the town", "UBND thị xã Kỳ Anh tổ chức hội nghị tổng kết năm 2022.",
     date(2022, 12, 20), ("Kỳ Anh", "Hà Tĩnh"), "449"),
    ("a town and a district share a name: the district", "Huyện ủy Kỳ Anh tổ chức hội nghị tổng kết năm 2022.",
     date(2022, 12, 20), ("Kỳ Anh", "Hà Tĩnh"), "447"),
    ("a city named after its province", "UBND thành phố Hà Tĩnh tổ chức hội nghị.", date(2022, 12, 20),
     ("Hà Tĩnh", "Hà Tĩnh"), None),
    ("a bare name in a headline", "Hương Khê: Thu ngân sách vượt dự toán\n\nNăm 2022, thu ngân sách đạt 80 tỷ đồng.",
     date(2022, 12, 20), ("Hương Khê", "Hà Tĩnh"), "444"),
    ("the district's party committee", "Ban Thường vụ Huyện ủy Nghi Xuân làm việc với các xã.", date(2021, 5, 3),
     ("Nghi Xuân", "Hà Tĩnh"), None),
    ("a district in a province named in the date line",
     "UBND HUYỆN THĂNG BÌNH\nQuảng Nam, ngày 12 tháng 12 năm 2022\nBÁO CÁO", date(2022, 12, 12),
     ("Thăng Bình", "Quảng Nam"), "513"),
    ("a homonym settled by the province in the date line",
     "ỦY BAN NHÂN DÂN\nHUYỆN CHÂU THÀNH\nTrà Vinh, ngày 10 tháng 12 năm 2021\nBÁO CÁO tình hình kinh tế - xã hội",
     date(2021, 12, 10), ("Châu Thành", "Trà Vinh"), None),
    ("a homonym settled by the province named in the lead",
     "Huyện Phú Tân (Cà Mau) tổng kết năm 2022. Năm 2022, thu ngân sách đạt 90 tỷ đồng.", date(2022, 12, 20),
     ("Phú Tân", "Cà Mau"), None),
    ("a district by its bare name after an issuing body", "UBND Đức Thọ tổ chức hội nghị tổng kết.",
     date(2022, 12, 20), ("Đức Thọ", "Hà Tĩnh"), None),
    ("a district renamed into a town: its old name in its time", "UBND huyện Tĩnh Gia tổ chức hội nghị.",
     date(2019, 6, 10), ("Tĩnh Gia", "Thanh Hóa"), "407"),
    ("the town that took its place", "UBND thị xã Nghi Sơn tổ chức hội nghị.", date(2022, 6, 10),
     ("Nghi Sơn", "Thanh Hóa"), "407"),
    ("a numbered urban district before the city was formed", "UBND Quận 2 tổ chức hội nghị tổng kết.",
     date(2019, 12, 20), ("2", "Hồ Chí Minh"), "769"),
    ("the city formed from three districts", "UBND thành phố Thủ Đức tổ chức hội nghị.", date(2022, 12, 20),
     ("Thủ Đức", "Hồ Chí Minh"), "769"),
    ("a district merged in 2025, reported in its time", "Huyện ủy Lộc Hà tổng kết năm 2023.", date(2023, 12, 20),
     ("Lộc Hà", "Hà Tĩnh"), "448"),
    ("a city renamed with its province in 2025", "Thành ủy Huế tổng kết năm 2023.", date(2023, 12, 20),
     ("Huế", "Thừa Thiên Huế"), "474"),
    ("a town named with the short type word", "Thị ủy Bình Minh tổng kết năm 2023.", date(2023, 12, 20),
     ("Bình Minh", "Vĩnh Long"), "861"),
    ("a commune after the reform, its province beside it",
     "UBND xã Mường Nhà, tỉnh Điện Biên\nBÁO CÁO tình hình kinh tế - xã hội tháng 8 năm 2025", date(2025, 8, 30),
     ("xã Mường Nhà", "Điện Biên"), None),
    ("a ward after the reform", "Đảng ủy phường Cam Linh tổ chức hội nghị sơ kết 9 tháng năm 2025.",
     date(2025, 10, 2), ("phường Cam Linh", "Khánh Hòa"), None),
    ("a commune two provinces share, its province in the date line",
     "ỦY BAN NHÂN DÂN\nXÃ HƯƠNG SƠN\nHà Tĩnh, ngày 05 tháng 10 năm 2025\nBÁO CÁO\n"
     "Tình hình thực hiện nhiệm vụ tháng 9 năm 2025", date(2025, 10, 5), ("xã Hương Sơn", "Hà Tĩnh"), None),
    ("a commune after the reform with a number in its name",
     "UBND phường Long Phú 1 tổ chức hội nghị sơ kết.", date(2025, 9, 15), ("phường Long Phú 1", "Cần Thơ"), None),
    ("a district in a municipality written TP.", "UBND huyện Củ Chi, TP. Hồ Chí Minh tổng kết năm 2022.",
     date(2022, 12, 20), ("Củ Chi", "Hồ Chí Minh"), None),
    # --- a second round, written after the first was passing ---
    ("a town written TX.", "UBND TX. Kỳ Anh tổ chức hội nghị tổng kết năm 2022.", date(2022, 12, 20),
     ("Kỳ Anh", "Hà Tĩnh"), "449"),
    ("a city written TP without its dot", "UBND TP Hà Tĩnh tổ chức hội nghị.", date(2022, 12, 20),
     ("Hà Tĩnh", "Hà Tĩnh"), None),
    ("a district in capitals in its committee's name", "HUYỆN ỦY CAN LỘC\n*\nSố 120-BC/HU\nBÁO CÁO tổng kết năm 2022",
     date(2022, 12, 20), ("Can Lộc", "Hà Tĩnh"), None),
    ("a district before the reform that a commune is named after since", "Đảng bộ huyện Hương Sơn tổng kết năm 2023.",
     date(2023, 12, 20), ("Hương Sơn", "Hà Tĩnh"), None),
    ("a homonym with its province after a dash", "Huyện Phú Tân - Cà Mau tổng kết năm 2022.", date(2022, 12, 20),
     ("Phú Tân", "Cà Mau"), None),
    ("a district renamed in 2018, in its time", "UBND huyện Tân Thành tổ chức hội nghị.", date(2017, 6, 10),
     ("Tân Thành", "Bà Rịa - Vũng Tàu"), "754"),
    ("a commune with its province in parentheses after the reform", "UBND xã Cúc Phương (Ninh Bình) tổ chức hội nghị.",
     date(2025, 9, 1), ("xã Cúc Phương", "Ninh Bình"), None),
    ("a commune after the reform naming its former district",
     "Đảng ủy xã Chiềng Khương (huyện Sông Mã cũ) sơ kết 9 tháng năm 2025.", date(2025, 10, 1),
     ("xã Chiềng Khương", "Sơn La"), None),
    ("a province's city a district report names by its province", "Huyện ủy Thăng Bình, tỉnh Quảng Nam tổng kết.",
     date(2022, 12, 20), ("Thăng Bình", "Quảng Nam"), "513"),
    # --- a third round ---
    ("an island district", "UBND huyện đảo Lý Sơn tổ chức hội nghị tổng kết năm 2022.", date(2022, 12, 20),
     ("Lý Sơn", "Quảng Ngãi"), "536"),
    ("a mountain district named with its kind", "Huyện miền núi Quế Phong đã giải ngân 120 tỷ đồng.",
     date(2022, 12, 20), ("Quế Phong", "Nghệ An"), "415"),
    ("a highland border district", "Đoàn công tác làm việc tại huyện vùng cao biên giới Mường Nhé.",
     date(2022, 12, 20), ("Mường Nhé", "Điện Biên"), "096"),
    ("a town that shares its name with an urban district", "Thị xã Hoàng Mai tổng kết năm 2022.",
     date(2022, 12, 20), ("Hoàng Mai", "Nghệ An"), "432"),
    ("an urban district that shares its name with a town", "Quận ủy Hoàng Mai tổng kết năm 2022.",
     date(2022, 12, 20), ("Hoàng Mai", "Hà Nội"), "008"),
    ("a commune's committee in capitals after the reform",
     "ĐẢNG BỘ TỈNH QUẢNG TRỊ\nĐẢNG ỦY XÃ HƯỚNG HIỆP\n*\nSố 15-BC/ĐU\nBÁO CÁO sơ kết 9 tháng năm 2025",
     date(2025, 10, 3), ("xã Hướng Hiệp", "Quảng Trị"), None),
    ("a special zone after the reform", "UBND đặc khu Cồn Cỏ tổ chức hội nghị.", date(2025, 9, 3),
     ("đặc khu Cồn Cỏ", "Quảng Trị"), None),
    # --- a fourth round ---
    ("a district written H.", "UBND H.Cẩm Xuyên tổ chức hội nghị.", date(2022, 5, 1), ("Cẩm Xuyên", "Hà Tĩnh"), None),
    ("an urban district written Q.", "UBND Q. Bình Thạnh tổ chức hội nghị.", date(2022, 5, 1),
     ("Bình Thạnh", "Hồ Chí Minh"), None),
]


@pytest.mark.parametrize(("text", "day", "want", "code"),
                         [pytest.param(t, d, w, c, id=i) for i, t, d, w, c in PLACE_CASES])
def test_places_hold_on_other_provinces_styles(gaz: Gazetteer, text: str, day: date, want: tuple, code) -> None:
    place = gaz.resolve(normalise_text(text), on_date=day)
    district, province = want
    got_district = place.district_name
    if place.admin_level == "commune" and got_district is not None:
        got_district = f"{_commune_type(gaz, place)} {got_district}"
    assert (got_district, place.province_name) == (district, province), (place.method, place.candidates)
    if code:
        assert place.district_code == code


def _commune_type(gaz: Gazetteer, place) -> str:
    return gaz.new.units[place.district_code].type


AMBIGUOUS = [
    ("a district name two provinces share, no province named", "UBND huyện Chợ Mới tổng kết năm 2022.",
     date(2022, 12, 20), {"Bắc Kạn", "An Giang"}),
    ("a town and a district of one province, no type word", "Cai Lậy: thu ngân sách năm 2022 đạt 300 tỷ đồng",
     date(2022, 12, 20), None),
    ("a commune name five provinces share after the reform", "UBND xã Bình Minh tổ chức hội nghị.",
     date(2025, 9, 1), None),
]


@pytest.mark.parametrize(("text", "day", "provinces"), [pytest.param(t, d, p, id=i) for i, t, d, p in AMBIGUOUS])
def test_a_name_shared_is_recorded_ambiguous(gaz: Gazetteer, text: str, day: date, provinces) -> None:
    place = gaz.resolve(normalise_text(text), on_date=day)
    assert place.method == "ambiguous" and place.district_name is None and len(place.candidates) >= 2
    if provinces:
        assert {c.split(", ")[1].split(" (")[0] for c in place.candidates} == provinces
