"""The extractor on short sentences in the reports' style: one behaviour per case, its input as id."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from sources.extract import extract_figures, extract_report
from sources.text import normalise_text


def figures(sentence: str):
    text = normalise_text(sentence)
    found = extract_figures(text, report_date=date(2023, 9, 12), report_period=(date(2023, 1, 1), date(2023, 8, 31)))
    for f in found:
        assert text[f.char_start:f.char_end] == f.source_quote
    return found


FUNDING_CASES = [
    # sentence, programme, capital, measure, amount, rate
    ("Chương trình mục tiêu quốc gia giảm nghèo bền vững, năm 2022 huyện giải ngân 28,757 tỷ đồng vốn đầu tư "
     "được giao (đạt 46%).", "GNBV", "investment", "disbursed", 28_757_000_000, Decimal("46")),
    ("Thực hiện Chương trình phát triển KT - XH vùng đồng bào dân tộc thiểu số và miền núi, huyện giải ngân "
     "15,159 tỷ đồng vốn sự nghiệp (đạt 49,52%).", "DTTS_MN", "recurrent", "disbursed", 15_159_000_000,
     Decimal("49.52")),
    ("Tình hình xây dựng cơ bản được chỉ đạo quyết liệt, tổng số vốn được phân bổ là 154.228 triệu đồng.",
     "PUBLIC_INVESTMENT", "investment", "allocated", 154_228_000_000, None),
    ("Huyện kiến nghị bố trí vốn khắc phục sạt lở với tổng kinh phí đề xuất hơn 28,5 tỷ đồng.",
     "OTHER", "unspecified", "requested", 28_500_000_000, None),
    ("Dự kiến kinh phí để khắc phục khẩn cấp khoảng 2,5 tỷ đồng.", "OTHER", "unspecified", "planned",
     2_500_000_000, None),
    ("Chương trình xây dựng nông thôn mới, huyện được hỗ trợ 7,22 tỷ đồng để điều chỉnh quy hoạch.",
     "NTM", "unspecified", "allocated", 7_220_000_000, None),
]


@pytest.mark.parametrize(("sentence", "programme", "capital", "measure", "amount", "rate"), FUNDING_CASES,
                         ids=[c[0][:60] for c in FUNDING_CASES])
def test_funding(sentence, programme, capital, measure, amount, rate) -> None:
    funding = [f for f in figures(sentence) if f.kind == "funding"]
    assert len(funding) == 1
    f = funding[0]
    assert (f.programme_code, f.capital_source, f.measure, f.amount_vnd) == (programme, capital, measure, amount)
    assert f.rate_pct == rate


PROGRAMME_AFTER_AMOUNT_CASES = [
    # sentence, programme, capital, measure, amount: the programme noun phrase after the amount is its own
    ("Huyện đã giải ngân 30.000 triệu đồng vốn đầu tư Chương trình MTQG xây dựng nông thôn mới.",
     "NTM", "investment", "disbursed", 30_000_000_000),
    ("Năm 2023, huyện đã giải ngân 30.000 triệu đồng vốn đầu tư thuộc Chương trình mục tiêu quốc gia xây dựng "
     "nông thôn mới.", "NTM", "investment", "disbursed", 30_000_000_000),
    ("Thực hiện các chương trình MTQG, huyện đã giải ngân 30.000 triệu đồng vốn đầu tư Chương trình MTQG xây dựng "
     "nông thôn mới.", "NTM", "investment", "disbursed", 30_000_000_000),
    ("Huyện bố trí 5 tỷ đồng cho Chương trình giảm nghèo bền vững.", "GNBV", "unspecified", "allocated",
     5_000_000_000),
    ("Huyện giải ngân 12 tỷ đồng vốn sự nghiệp Chương trình MTQG phát triển kinh tế - xã hội vùng đồng bào dân tộc "
     "thiểu số và miền núi.", "DTTS_MN", "recurrent", "disbursed", 12_000_000_000),
    ("Chương trình giảm nghèo bền vững: huyện bố trí 3 tỷ đồng vốn sự nghiệp cho Chương trình MTQG xây dựng nông "
     "thôn mới.", "NTM", "recurrent", "allocated", 3_000_000_000),
    # the national target programmes named together as one total
    ("Huyện giải ngân 45 tỷ đồng vốn thực hiện 3 chương trình mục tiêu quốc gia.", "OTHER", "unspecified",
     "disbursed", 45_000_000_000),
    ("Năm 2023, huyện được phân bổ 120 tỷ đồng vốn đầu tư các Chương trình MTQG xây dựng nông thôn mới, giảm "
     "nghèo bền vững và phát triển kinh tế - xã hội vùng đồng bào dân tộc thiểu số và miền núi.", "OTHER",
     "investment", "allocated", 120_000_000_000),
    ("Huyện giải ngân 45 tỷ đồng vốn sự nghiệp Chương trình MTQG xây dựng nông thôn mới và Chương trình MTQG giảm "
     "nghèo bền vững.", "OTHER", "recurrent", "disbursed", 45_000_000_000),
    # a scheme financed inside a programme keeps the programme's code
    ("Chương trình xây dựng nông thôn mới, huyện hỗ trợ 2 tỷ đồng thực hiện Chương trình OCOP.", "NTM",
     "unspecified", "allocated", 2_000_000_000),
]


@pytest.mark.parametrize(("sentence", "programme", "capital", "measure", "amount"), PROGRAMME_AFTER_AMOUNT_CASES,
                         ids=[c[0][:70] for c in PROGRAMME_AFTER_AMOUNT_CASES])
def test_a_programme_named_after_the_amount(sentence, programme, capital, measure, amount) -> None:
    (f,) = [f for f in figures(sentence) if f.kind == "funding"]
    assert (f.programme_code, f.capital_source, f.measure, f.amount_vnd) == (programme, capital, measure, amount)


@pytest.mark.parametrize("sentence", [
    "Huyện giải ngân 30 tỷ đồng vốn đầu tư; Chương trình giảm nghèo bền vững giải ngân 5 tỷ đồng.",
    "Huyện giải ngân 30 tỷ đồng vốn đầu tư. Chương trình giảm nghèo bền vững giải ngân 5 tỷ đồng.",
    "Huyện giải ngân 30 tỷ đồng vốn đầu tư, Chương trình giảm nghèo bền vững giải ngân 5 tỷ đồng.",
], ids=lambda s: s[:70])
def test_a_programme_in_the_next_clause_does_not_take_the_amount_before_it(sentence: str) -> None:
    first, second = [f for f in figures(sentence) if f.kind == "funding"]
    assert (first.amount_vnd, first.programme_code) == (30_000_000_000, "OTHER")
    assert (second.amount_vnd, second.programme_code) == (5_000_000_000, "GNBV")


def test_a_total_and_its_yearly_components() -> None:
    found = figures("Vốn Chương trình xây dựng nông thôn mới phân bổ giai đoạn 2016-2019 là: 106.182 triệu đồng "
                    "(năm 2016: 24.257 triệu đồng, năm 2017: 19.740 triệu đồng).")
    total, first, second = found
    assert total.amount_vnd == 106_182_000_000 and total.parent_local_id is None
    assert (total.period_start, total.period_end) == (date(2016, 1, 1), date(2019, 12, 31))
    assert [first.parent_local_id, second.parent_local_id] == [total.local_id, total.local_id]
    assert first.source_quote == "năm 2016: 24.257 triệu đồng"
    assert (first.period_start, first.period_end) == (date(2016, 1, 1), date(2016, 12, 31))


def test_a_rate_without_an_amount_is_a_rate_only_funding_figure() -> None:
    (f,) = figures("Giải ngân được 15,9% trên tổng số kế hoạch vốn năm 2023.")
    assert (f.kind, f.programme_code, f.measure, f.amount_vnd, f.rate_pct) == (
        "funding", "PUBLIC_INVESTMENT", "disbursed", None, Decimal("15.9"))


def test_a_committed_disbursement_rate_is_planned() -> None:
    (f,) = figures("Giải ngân nguồn vốn xây dựng cơ bản để đạt tỉ lệ giải ngân theo cam kết trên 95%.")
    assert (f.measure, f.rate_pct, f.qualifier) == ("planned", Decimal("95"), "trên")


def test_a_per_unit_norm_is_marked_so_nobody_sums_it() -> None:
    (f,) = figures("Chương trình giảm nghèo bền vững: bình quân mỗi xã được bố trí 1 tỷ đồng/năm.")
    assert (f.amount_vnd, f.per_unit) == (1_000_000_000, "commune")


INDICATOR_CASES = [
    # sentence, column, value, unit
    ("Thu ngân sách nội địa đạt 3,93 tỷ đồng, đạt 78,17% nghị quyết.", "actual_value", 3_930_000_000, "VND"),
    ("Thu ngân sách nội địa đạt 3,93 tỷ đồng, đạt 78,17% nghị quyết.", "attainment_pct", Decimal("78.17"), "VND"),
    ("Sản lượng lương thực có hạt vượt 9,72% so với kế hoạch đề ra.", "exceed_pct", Decimal("9.72"), "percent"),
    ("Giá trị sản xuất công nghiệp tăng so cùng kỳ (tăng 274,83 tỷ đồng).", "change_value", 274_830_000_000, "VND"),
    ("Sản lượng thủy sản giảm 120 tấn so với cùng kỳ.", "change_value", -120, "tonne"),
    ("Phấn đấu có thêm 03 xã về đích nông thôn mới trong năm 2024.", "target_value", 3, "commune"),
    ("Hết năm 2022 huyện còn 5.012 hộ nghèo.", "actual_value", 5012, "household"),
    ("Tổng sản lượng lương thực giữ ở mức 13 nghìn tấn.", "actual_value", 13_000, "tonne"),
]


@pytest.mark.parametrize(("sentence", "column", "value", "unit"), INDICATOR_CASES,
                         ids=[f"{c[1]}: {c[0][:55]}" for c in INDICATOR_CASES])
def test_indicator(sentence, column, value, unit) -> None:
    found = [f for f in figures(sentence) if f.kind == "indicator"]
    assert any(getattr(f, column) == value and f.unit == unit for f in found), found


def test_a_fraction_gives_the_level_reached_and_the_plan() -> None:
    (f,) = figures("Cải tạo, nâng cấp, xây mới 3/10 nhà văn hóa.")
    assert (f.actual_value, f.target_value) == (3, 10)


def test_a_range_gives_both_ends() -> None:
    found = figures("Hằng năm phấn đấu giảm từ 5 - 7% hộ nghèo.")
    assert sorted(f.target_value for f in found) == [5, 7]


def test_a_list_of_next_years_targets() -> None:
    found = figures("Năm 2024, huyện đề ra 29 chỉ tiêu chủ yếu như: tỷ lệ che phủ rừng đạt 77,47%; "
                    "thu nhập bình quân đầu người đạt 25,5 triệu đồng/người; 500 lao động được tạo việc làm.")
    targets = {f.indicator_code: f.target_value for f in found}
    assert targets["FOREST_COVER"] == Decimal("77.47")
    assert targets["INCOME_PER_CAPITA"] == 25_500_000
    assert targets["JOBS_CREATED"] == 500
    assert all(f.actual_value is None for f in found)


def test_scorecard() -> None:
    (s,) = [f for f in figures("Có 24/27 chỉ tiêu theo Nghị quyết đạt và vượt kế hoạch, trong đó, có 10 chỉ tiêu "
                               "vượt kế hoạch.") if f.kind == "scorecard"]
    assert (s.indicators_met_or_exceeded, s.indicators_total, s.indicators_exceeded) == (24, 27, 10)


@pytest.mark.parametrize("sentence", [
    "Ngày 24/10/2019, Ban Thường vụ Tỉnh ủy đã làm việc với huyện.",
    "Thực hiện Quyết định số 1385/QĐ-TTg, ngày 21/10/2018 của Thủ tướng Chính phủ.",
    "Theo Nghị quyết 26-NQ/TW và Kết luận số 137-KL/TU.",
    "Hội nghị Ban Chấp hành Đảng bộ huyện lần thứ 29, khoá VI, nhiệm kỳ 2020 - 2025.",
    "Huyện đứng thứ 3 toàn tỉnh; phối hợp với Quân khu 4 và Quốc lộ 9.",
    "Trong 2 năm 2022 - 2023, các xã được phân bổ vốn với hệ số 4.",
    "Chăm sóc trẻ em dưới 5 tuổi.",
], ids=lambda s: s[:50])
def test_not_figures(sentence: str) -> None:
    assert figures(sentence) == []


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


def test_attainment_written_with_bang_and_a_change_against_last_year() -> None:
    found = figures("Tổng thu ngân sách nhà nước trên địa bàn ước đạt 125,6 tỷ đồng, bằng 112% dự toán tỉnh giao, "
                    "tăng 15% so với cùng kỳ.")
    revenue = next(f for f in found if f.actual_value is not None)
    assert (revenue.actual_value, revenue.attainment_pct, revenue.qualifier) == (125_600_000_000, 112, "ước đạt")
    assert any(f.change_value == 15 and f.unit == "percent" for f in found)


def test_components_listed_after_trong_do_without_parentheses() -> None:
    found = figures("Kế hoạch vốn đầu tư công năm 2024 được giao 350,5 tỷ đồng, trong đó vốn ngân sách tỉnh "
                    "200 tỷ đồng, vốn ngân sách huyện 150,5 tỷ đồng; đến 30/6/2024 đã giải ngân 120,3 tỷ đồng, "
                    "đạt 34,3% kế hoạch.")
    total, province, district, disbursed = found
    assert total.amount_vnd == 350_500_000_000 and total.measure == "allocated"
    assert [province.parent_local_id, district.parent_local_id] == [total.local_id, total.local_id]
    assert (disbursed.measure, disbursed.parent_local_id, disbursed.rate_pct) == ("disbursed", None, Decimal("34.3"))


def test_a_decrease_is_a_negative_change_and_a_level_after_giam_con_is_not() -> None:
    found = figures("Số hộ nghèo giảm 250 hộ, tỷ lệ hộ nghèo giảm còn 3,5%.")
    assert [(f.change_value, f.actual_value) for f in found] == [(-250, None), (None, Decimal("3.5"))]


PLAN_ROLE_CASES = [
    # sentence, [(column, value)] of its indicators in order: a plan or future marker governs the rest of
    # its clause, unless it is compared against or a comma clause reports what is done
    ("Dự kiến, huyện lựa chọn 13 đảng ủy xã nghiên cứu, biên soạn lịch sử Đảng bộ.", [("target_value", 13)]),
    ("Năm 2024 huyện sẽ hỗ trợ 300 hộ làm nhà ở.", [("target_value", 300)]),
    ("Theo kế hoạch, năm 2024 huyện xây dựng 3 xã đạt chuẩn nông thôn mới.", [("target_value", 3)]),
    ("Đến năm 2025 sẽ có 10 xã đạt chuẩn nông thôn mới.", [("target_value", 10)]),
    ("Giai đoạn 2021 - 2025 phấn đấu có 5 xã đạt chuẩn nông thôn mới.", [("target_value", 5)]),
    ("Phấn đấu năm 2024 có 3 xã đạt chuẩn nông thôn mới, đến nay đã có 1 xã đạt chuẩn.",
     [("target_value", 3), ("actual_value", 1)]),
    ("Kế hoạch năm 2023 giao 5 xã đạt chuẩn, hiện có 2 xã đạt chuẩn.", [("target_value", 5), ("actual_value", 2)]),
    ("Thu ngân sách đạt 95% kế hoạch năm, tổng thu đạt 50 tỷ đồng.",
     [("attainment_pct", 95), ("actual_value", 50_000_000_000)]),
    ("Các chỉ tiêu đạt theo kế hoạch, có 12 xã đạt chuẩn nông thôn mới.", [("actual_value", 12)]),
    ("Thu ngân sách hoàn thành kế hoạch năm, đạt 60 tỷ đồng.", [("actual_value", 60_000_000_000)]),
    ("So với kế hoạch năm, số hộ thoát nghèo là 250 hộ.", [("actual_value", 250)]),
    ("Vệ sinh môi trường sạch sẽ, có 40 thôn đạt chuẩn văn hóa.", [("actual_value", 40)]),
    # designation: a count approved, assigned or selected for a task is the task's planned scope
    ("Giai đoạn 2021 - 2025 có 2.793 hộ được phê duyệt hỗ trợ, đến nay có 406 hộ hoàn thành việc xây mới.",
     [("target_value", 2793), ("actual_value", 406)]),
    ("Năm 2023 có 150 hộ đã được phê duyệt hỗ trợ làm nhà ở.", [("target_value", 150)]),
    ("Huyện ủy lựa chọn 13 đảng ủy xã, thị trấn nghiên cứu, biên soạn lịch sử, hiện có 8 cuốn đã tổ chức hội thảo.",
     [("target_value", 13), ("actual_value", 8)]),
    ("Huyện chọn 2 xã làm điểm xây dựng xã nông thôn mới nâng cao.", [("target_value", 2)]),
    ("Năm 2024 huyện được giao 3 xã đạt chuẩn nông thôn mới.", [("target_value", 3)]),
    # approvals without a task are completed acts; land given is not a plan; a vote is not a selection for a task
    ("Năm 2023, có 25 dự án được phê duyệt.", [("actual_value", 25)]),
    ("Có 120 hộ được giao 350 ha rừng để quản lý, bảo vệ.", [("actual_value", 120), ("actual_value", 350)]),
    ("Tỉnh bình chọn 10 sản phẩm OCOP tiêu biểu.", [("actual_value", 10)]),
    ("Có 406 hộ được hỗ trợ xây mới nhà ở.", [("actual_value", 406)]),
]


@pytest.mark.parametrize(("sentence", "expected"), PLAN_ROLE_CASES, ids=[c[0][:70] for c in PLAN_ROLE_CASES])
def test_plan_markers_and_designation_make_a_target(sentence, expected) -> None:
    found = [f for f in figures(sentence) if f.kind == "indicator"]
    columns = ("actual_value", "target_value", "attainment_pct", "exceed_pct", "change_value")
    assert [[(c, getattr(f, c)) for c in columns if getattr(f, c) is not None] for f in found] == [
        [pair] for pair in expected]


@pytest.mark.parametrize(("sentence", "measure"), [
    ("Dự kiến kinh phí hỗ trợ khoảng 2,5 tỷ đồng.", "planned"),
    ("Năm 2023, huyện được giao 12 tỷ đồng vốn sự nghiệp Chương trình giảm nghèo bền vững.", "allocated"),
    ("Chương trình giảm nghèo bền vững: 12 tỷ đồng vốn sự nghiệp được giao cho 5 xã.", "allocated"),
], ids=lambda s: s[:60] if isinstance(s, str) else s)
def test_plan_and_assignment_words_next_to_money_stay_funding_measures(sentence, measure) -> None:
    funding = [f for f in figures(sentence) if f.kind == "funding"]
    assert [(f.measure, f.amount_vnd > 0) for f in funding] == [(measure, True)]
