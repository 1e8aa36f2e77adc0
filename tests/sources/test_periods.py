"""Report dates, periods and titles on short texts in the reports' style."""

from __future__ import annotations

from datetime import date

import pytest

from sources.extract import extract_report
from sources.text import normalise_text


def test_report_date_and_period_from_the_text() -> None:
    facts = extract_report(normalise_text(
        "Kết quả 9 tháng đầu năm 2019\n\nNgày 24/10/2019, Ban Thường vụ Tỉnh ủy đã làm việc với huyện."))
    assert facts.report_date == date(2019, 10, 24)
    assert (facts.period_start, facts.period_end) == (date(2019, 1, 1), date(2019, 9, 30))


COMMUNE_MONTHLY = ("ỦY BAN NHÂN DÂN XÃ HƯỚNG HIỆP\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
                   "Số: 125/BC-UBND\nHướng Hiệp, ngày 05 tháng 10 năm 2025\n\nBÁO CÁO\n\n"
                   "Tình hình thực hiện nhiệm vụ phát triển kinh tế - xã hội tháng 9 năm 2025\n\n"
                   "Trong tháng 9 năm 2025, xã đã giải ngân 1.250 triệu đồng vốn đầu tư công. "
                   "Lũy kế đến hết tháng 9/2025 giải ngân 3.000 triệu đồng vốn đầu tư công.\n")


def test_an_administrative_header_is_not_the_title_and_its_date_is_not_the_period() -> None:
    facts = extract_report(normalise_text(COMMUNE_MONTHLY))
    assert facts.title == "BÁO CÁO Tình hình thực hiện nhiệm vụ phát triển kinh tế - xã hội tháng 9 năm 2025"
    assert facts.report_date == date(2025, 10, 5)
    # "ngày 05 tháng 10 năm 2025" is the date, not "5 months" nor October
    assert (facts.period_start, facts.period_end) == (date(2025, 9, 1), date(2025, 9, 30))


@pytest.mark.parametrize(("text", "title"), [
    ("UBND xã Tân An\nSố: 12/BC-UBND\n\nBÁO CÁO\nTình hình giải ngân vốn năm 2026\n",
     "BÁO CÁO Tình hình giải ngân vốn năm 2026"),
    ("UBND tỉnh làm việc với huyện Đakrông về tình hình kinh tế- xã hội 8 tháng năm 2020\n\nNgày 3/9, ...",
     "UBND tỉnh làm việc với huyện Đakrông về tình hình kinh tế- xã hội 8 tháng năm 2020"),
    ("ĐẢNG BỘ TỈNH LÂM ĐỒNG\nĐẢNG ỦY PHƯỜNG XUÂN HƯƠNG - ĐÀ LẠT\n*\nTHÔNG BÁO\nKết luận của Ban Thường vụ\n",
     "THÔNG BÁO Kết luận của Ban Thường vụ"),
], ids=["issuer in mixed case", "a title that starts with UBND", "issuer in capitals"])
def test_the_title_is_past_the_issuing_body(text: str, title: str) -> None:
    assert extract_report(normalise_text(text)).title == title


def test_a_month_of_a_year_is_a_month_and_until_a_month_is_cumulative() -> None:
    facts = extract_report(normalise_text(COMMUNE_MONTHLY))
    periods = {f.amount_vnd: (f.period_start, f.period_end) for f in facts.figures}
    assert periods == {1_250_000_000: (date(2025, 9, 1), date(2025, 9, 30)),
                       3_000_000_000: (date(2025, 1, 1), date(2025, 9, 30))}


def test_a_date_without_a_year_takes_it_from_the_text() -> None:
    facts = extract_report(normalise_text(
        "Làm việc tại huyện\n\nChiều 29/5, đoàn công tác làm việc. "
        "Tổng thu ngân sách đến ngày 15/5/2023 đạt 14 tỷ đồng."))
    assert facts.report_date == date(2023, 5, 29)
