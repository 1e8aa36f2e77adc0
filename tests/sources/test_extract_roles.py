"""Indicators, roles and scorecards on short sentences in the reports' style: one behaviour per
case, its input as id."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from sources.extract import extract_figures
from sources.text import normalise_text
from tests.sources._sentences import figures

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
    # verb - hedge - number - yardstick: the hedge never hides the verb
    ("Giá trị sản xuất đạt 500 tỷ đồng, tăng hơn 11% so cùng kỳ.", "change_value", 11, "percent"),
    ("Chi ngân sách hơn 600 tỷ đồng, giảm hơn 18% so cùng kỳ.", "change_value", -18, "percent"),
    ("Thu ngân sách hơn 300 tỷ đồng, đạt gần 135% so kế hoạch tỉnh giao.", "attainment_pct", 135, "VND"),
    ("Thu ngân sách vượt trên 100% kế hoạch.", "exceed_pct", 100, "percent"),
    ("Thu ngân sách nhà nước đạt 135,7% xã giao.", "attainment_pct", Decimal("135.7"), "percent"),
    # the yardstick decides: an earlier period makes a change, a plan an attainment or excess
    ("Giá trị sản xuất nông nghiệp 270 tỷ đồng, đạt 99,4% so cùng kỳ.", "change_value", Decimal("-0.6"),
     "percent"),
    ("Doanh thu dịch vụ tăng 5,4%/năm so với chỉ tiêu nghị quyết đại hội.", "exceed_pct", Decimal("5.4"), "percent"),
    ("So với cùng kỳ, sản lượng thủy sản tăng 120 tấn.", "change_value", 120, "tonne"),
    ("Tốc độ tăng giá trị sản xuất ước 9,71%, vượt kế hoạch 8,5-9,5%.", "target_value", Decimal("8.5"), "percent"),
    # a reduction that is itself the indicator stays positive; with an earlier period it is a change
    ("Tỷ lệ hộ nghèo giảm 1,15%, hộ cận nghèo giảm 0,94%.", "actual_value", Decimal("1.15"), "percent"),
    ("An sinh xã hội được đảm bảo, giảm 9 hộ nghèo.", "actual_value", 9, "household"),
    ("Tỷ lệ hộ nghèo còn 14,37%, giảm 13,25% so với năm 2016.", "change_value", Decimal("-13.25"), "percent"),
    ("Tỷ lệ hộ nghèo giảm còn 0,88%.", "actual_value", Decimal("0.88"), "percent"),
    # a rate after a new subject is a level of its own, not the attainment of the level before
    ("Thu nhập bình quân 70 triệu đồng, tỷ lệ lao động qua đào tạo đạt 78,2%.", "actual_value", Decimal("78.2"),
     "percent"),
    ("Thu ngân sách tăng bình quân hằng năm đạt 13,68%.", "actual_value", Decimal("13.68"), "percent"),
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


SCORECARD_CASES = [
    # sentence, (met, total, exceeded)
    ("Năm 2024, huyện hoàn thành 38/43 chỉ tiêu đề ra.", (38, 43, None)),
    ("Huyện đạt 25/28 chỉ tiêu chủ yếu, trong đó 13 chỉ tiêu vượt kế hoạch.", (25, 28, 13)),
    ("Xã có 7/12 chỉ tiêu vượt kế hoạch.", (7, 12, 7)),
    ("Phường cơ bản hoàn thành và vượt 9/9 chỉ tiêu đề ra.", (9, 9, None)),
    ("Huyện có 11/12 chỉ tiêu dự kiến hoàn thành và hoàn thành vượt mức kế hoạch.", (11, 12, None)),
    ("Thị trấn có 09/19 chỉ tiêu thực hiện đạt nghị quyết.", (9, 19, None)),
    ("Đại hội đề ra 116 chỉ tiêu, đến nay huyện có 92 chỉ tiêu đã đạt và vượt kế hoạch.", (92, 116, None)),
    ("Trong tổng số 25 chỉ tiêu, đã hoàn thành vượt mức kế hoạch 10/25 chỉ tiêu; có 13 chỉ tiêu hoàn thành "
     "kế hoạch.", (23, 25, 10)),
]


@pytest.mark.parametrize(("sentence", "expected"), SCORECARD_CASES, ids=[c[0][:60] for c in SCORECARD_CASES])
def test_scorecard_phrasings(sentence, expected) -> None:
    found = figures(sentence)
    (s,) = [f for f in found if f.kind == "scorecard"]
    assert (s.indicators_met_or_exceeded, s.indicators_total, s.indicators_exceeded) == expected
    assert not [f for f in found if f.kind == "indicator"], found  # the counts are the scorecard's, not indicators


def test_a_scorecard_restated_is_one_record() -> None:
    found = figures("Phường hoàn thành 20/21 chỉ tiêu năm 2025. Trong năm, phường đã hoàn thành 20/21 chỉ tiêu đề ra.")
    assert len([f for f in found if f.kind == "scorecard"]) == 1


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


def test_attainment_written_with_bang_and_a_change_against_last_year() -> None:
    found = figures("Tổng thu ngân sách nhà nước trên địa bàn ước đạt 125,6 tỷ đồng, bằng 112% dự toán tỉnh giao, "
                    "tăng 15% so với cùng kỳ.")
    revenue = next(f for f in found if f.actual_value is not None)
    assert (revenue.actual_value, revenue.attainment_pct, revenue.qualifier) == (125_600_000_000, 112, "ước đạt")
    assert any(f.change_value == 15 and f.unit == "percent" for f in found)


def test_a_decrease_is_a_negative_change_and_a_level_after_giam_con_is_not() -> None:
    found = figures("Diện tích lúa giảm 250 ha, tỷ lệ hộ nghèo giảm còn 3,5%.")
    assert [(f.change_value, f.actual_value) for f in found] == [(-250, None), (None, Decimal("3.5"))]


def test_a_reduction_of_poor_households_is_the_indicator_itself() -> None:
    # eval/README.md: where a reduction is itself the indicator the value is positive
    found = figures("Số hộ nghèo giảm 250 hộ, tỷ lệ hộ nghèo giảm còn 3,5%.")
    assert [(f.change_value, f.actual_value) for f in found] == [(None, 250), (None, Decimal("3.5"))]


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
    # a marker opening a list of aims joined by ';' governs the whole list; a reduction aimed at stays positive
    ("Huyện phấn đấu sẽ có thêm 4 xã đạt chuẩn nông thôn mới nâng cao; tỷ lệ hộ nghèo giảm còn 3,6% (giảm 0,58% "
     "so với đầu năm).", [("target_value", 4), ("target_value", Decimal("3.6")), ("target_value", Decimal("0.58"))]),
    ("Năm 2024, phường phấn đấu thực hiện các chỉ tiêu: thu nhập bình quân đầu người đạt 78 triệu đồng/người/năm; "
     "tỷ lệ hộ nghèo giảm còn 0,8%.", [("target_value", 78_000_000), ("target_value", Decimal("0.8"))]),
    ("Hội nghị thảo luận và biểu quyết các chỉ tiêu năm 2024. Thu ngân sách đạt 27,42 tỷ đồng.",
     [("target_value", 27_420_000_000)]),
    ("Xã đề xuất thực hiện thêm 01 thôn là thôn mới.", [("target_value", 1)]),
    # an estimate of the outcome under a forecast is a level reached
    ("Dự kiến năm 2023, tổng giá trị sản xuất ước đạt 5.214 tỷ đồng.", [("actual_value", 5_214_000_000_000)]),
]


@pytest.mark.parametrize(("sentence", "expected"), PLAN_ROLE_CASES, ids=[c[0][:70] for c in PLAN_ROLE_CASES])
def test_plan_markers_and_designation_make_a_target(sentence, expected) -> None:
    found = [f for f in figures(sentence) if f.kind == "indicator"]
    columns = ("actual_value", "target_value", "attainment_pct", "exceed_pct", "change_value")
    assert [[(c, getattr(f, c)) for c in columns if getattr(f, c) is not None] for f in found] == [
        [pair] for pair in expected]


@pytest.mark.parametrize(("sentence", "column"), [
    ("Dự kiến cuối năm 2020 có thêm 5 xã về đích nông thôn mới.", "actual_value"),
    ("Dự kiến năm 2021 có thêm 5 xã về đích nông thôn mới.", "target_value"),
], ids=["closing year: an estimate", "next year: a plan"])
def test_a_forecast_of_the_year_a_december_report_closes(sentence, column) -> None:
    text = normalise_text(sentence)
    (f,) = extract_figures(text, report_date=date(2020, 12, 17), report_period=(date(2020, 1, 1), date(2020, 12, 31)))
    assert getattr(f, column) == 5


@pytest.mark.parametrize(("sentence", "target"), [
    ("Đến nay, huyện có 25/29 xã đạt chuẩn nông thôn mới.", None),
    ("Bình quân mỗi xã đạt 12,6/19 tiêu chí nông thôn mới.", None),
    ("Hoàn thành 15/275 hộ đưa chuồng gia súc ra khỏi gầm sàn.", 275),
], ids=["communes: a universe", "criteria: a universe", "households: a plan"])
def test_the_denominator_of_a_fraction_is_a_target_only_when_it_is_a_plan(sentence, target) -> None:
    (f,) = figures(sentence)
    assert f.target_value == target


def test_a_headline_restated_in_the_body_is_one_record() -> None:
    found = figures("Thu ngân sách ước vượt 37%\nƯớc thu ngân sách năm 2023 hơn 325 tỷ đồng, đạt hơn 137% so "
                    "kế hoạch tỉnh giao.\nThu ngân sách vượt 17%\nThu ngân sách đạt 26 tỷ đồng (vượt 17,75% dự toán).")
    rates = sorted((f.attainment_pct, f.exceed_pct) for f in found if f.actual_value is None)
    assert rates == [(None, Decimal("17.75"))]
    assert [f.attainment_pct for f in found if f.actual_value == 325_000_000_000] == [137]


def test_a_hedged_headline_rounds_the_body() -> None:
    found = figures("Tổng thu ngân sách 6 tháng ước đạt hơn 2.140 tỷ đồng\nTổng thu ngân sách Nhà nước 6 tháng ước đạt "
                    "2.141.605 triệu đồng, đạt 90,1% kế hoạch tỉnh giao.")
    assert [(f.actual_value, f.attainment_pct) for f in found] == [(2_141_605_000_000, Decimal("90.1"))]


def test_two_different_figures_with_one_value_are_two_records() -> None:
    found = figures("Thu ngân sách đạt 100% kế hoạch\nTỷ lệ trẻ em đến trường đạt 100%.")
    assert len(found) == 2


@pytest.mark.parametrize(("sentence", "actuals"), [
    ("Các chỉ tiêu kinh tế chưa đạt được 50% kế hoạch.", []),
    ("Trao giấy khen cho 22 đảng viên hoàn thành xuất sắc nhiệm vụ năm 2022.", [22]),
    ("Có 9 xã về đích đã cơ bản đạt 19/19 tiêu chí.", [9, 19]),
], ids=["a bound not reached", "a plan compared with is not a plan", "a fraction is a result of its own"])
def test_what_is_and_is_not_a_level_reached(sentence, actuals) -> None:
    found = figures(sentence)
    assert [f.actual_value for f in found] == actuals, found


def test_one_level_against_two_plans_is_stated_once() -> None:
    found = figures("Tổng thu ngân sách đạt 61,6% kế hoạch tỉnh giao (792,9 tỷ/1.287,4 tỷ đồng), đạt 55,6% Nghị quyết "
                    "(792,9 tỷ/1.426,5 tỷ đồng).")
    assert [f.actual_value for f in found if f.actual_value is not None] == [792_900_000_000]
    assert sorted(f.target_value for f in found if f.target_value is not None) == [1_287_400_000_000,
                                                                                   1_426_500_000_000]


# Known misses, each with the phrase that fails: a fix turns one into XPASS, which fails the suite
# (strict), so the case moves up among the passing ones; a silent regression cannot hide here.
@pytest.mark.xfail(strict=True, reason="an anaphor ('Nguồn vốn trên') does not carry the plan of the money it "
                                       "points back to onto the count it finances")
def test_a_count_financed_by_planned_money_named_before_is_a_target() -> None:
    found = figures("Năm 2024 huyện sẽ dành 50 tỷ đồng cho chương trình. Nguồn vốn trên được dùng để triển khai "
                    "thực hiện 6 dự án.")
    (count,) = [f for f in found if f.kind == "indicator"]
    assert (count.target_value, count.actual_value) == (6, None)


@pytest.mark.xfail(strict=True, reason="the count that introduces a list of targets ('đề ra 15 chỉ tiêu chủ yếu là:') "
                                       "is read as a target of its own")
def test_the_count_that_opens_a_list_of_targets_is_not_a_figure() -> None:
    found = figures("Nghị quyết Đại hội đề ra 15 chỉ tiêu chủ yếu là: tốc độ tăng trưởng kinh tế bình quân "
                    "đạt 8%/năm.")
    assert [f.target_value for f in found if f.kind == "indicator"] == [8]
