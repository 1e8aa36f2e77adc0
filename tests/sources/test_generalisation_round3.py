"""Generalisation, round 3: sentences and short reports a clerk of another province or year would
write, in phrasings the earlier suites (test_extract_generalisation, test_generalisation_periods_places)
do not hold - quarterly, nine-month and monthly reports, cut-off dates, commune reports after the
1 July 2025 reform, funding tables turned into prose ("Trong đó: vốn NSTW ...; vốn NS tỉnh ...; vốn
đối ứng ..."), estimated and cumulative disbursement, capital sources (ODA, NS huyện, lồng ghép),
scorecards counted item by item, change vs attainment vs level, percentage points, hedges, units,
spellings (hoá/hóa, thuỷ/thủy, tỉ/tỷ), number formats (1.234,5; 1,2 nghìn tỷ; 68 tỷ 782 triệu) and
places (districts merged in 2019-2020 in reports of their time, communes and special zones of the
new provinces, a district named without its type word).

None of these sentences comes from the evaluation reports or from a web page: each is written here,
with its expected values by the annotation conventions (../shared/eval/README.md). A case the
extractor still misses is a strict xfail with its reason, so a fix shows up and a regression cannot.

The honest estimate of accuracy on unseen phrasings: the suite was written first and run against
the extractor as it stood (HEAD 013f09a, and the working tree of 28 Nov 10:12 UTC: the same result)
before any change to the grammar. Cases passing, per class:

    class                     before widening    after widening
    funding                   26/29   89.7 %     29/29
    roles (+ no figure)       54/55   98.2 %     55/55
    whole sentences           15/17   88.2 %     17/17
    quantities                27/30   90.0 %     30/30
    scorecards                10/17   58.8 %     17/17
    periods                   22/25   88.0 %     25/25
    places (+ ambiguous)      15/18   83.3 %     17/18
    all                      169/191  88.5 %    190/191

The cases "held out" at the end of the module were written after the widening and run once against
it before any further change: 60/62 passed (96.8 %: funding 9/9, roles 17/19, whole sentences 3/3,
scorecards 5/5, quantities 10/10, periods 8/8, places 8/8); the two misses (a target named by
"chỉ tiêu ... là", an ordinal inside the indicator's name before its yardstick) were then fixed. A
second batch ("held out b"), written after those fixes and run once: 33/36 (91.7 %: funding 6/6,
roles 9/11, scorecards 3/3, quantities 7/7, periods 3/4, places 5/5); two of its misses were fixed
(a plan noun heading the indicator's name with a year in it, "lũy kế 8 tháng" without a comma), one
stays a strict xfail (see its reason). A third batch ("held out c"), written after the round's
commit and run once: 27/27 (funding 5/5, roles 8/8, scorecards 3/3, quantities 5/5, periods 3/3,
places 3/3). The held-out figures are optimistic: the same hand wrote the grammar and the sentences.

A pass rate of sentences is not an F1: a sentence passes only when every figure it checks is right,
and the roles and quantities classes check one figure of a sentence each (the whole-sentence class
checks all of them, extra figures included).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from sources.places import Gazetteer
from sources.text import fold, normalise_text
from tests.sources._sentences import (
    cases,
    check_funding,
    check_quantity,
    check_role,
    check_scorecard,
    figures,
    named,
)
from tests.sources.test_generalisation_periods_places import _check

D = Decimal
T = 1_000_000_000  # tỷ đồng
M = 1_000_000  # triệu đồng


# --- funding --------------------------------------------------------------------------------------------
# sentence, [(programme, measure, capital or None (not checked), amount, rate), ...]: every funding figure
FUNDING = [
    # a funding table turned into prose: the total, then its sources after "Trong đó:"
    ("Tổng vốn thực hiện Chương trình MTQG xây dựng nông thôn mới năm 2024 là 18,5 tỷ đồng. Trong đó: vốn NSTW "
     "12,5 tỷ đồng; vốn NS tỉnh 4,2 tỷ đồng; vốn đối ứng NS huyện 1,8 tỷ đồng.",
     [("NTM", "allocated", None, 18_500_000_000, None), ("NTM", "allocated", None, 12_500_000_000, None),
      ("NTM", "allocated", None, 4_200_000_000, None), ("NTM", "allocated", None, 1_800_000_000, None)]),
    # an estimate of disbursement is a disbursement, its hedge dropped
    ("Ước giải ngân vốn đầu tư công đến 31/12/2024 đạt 245,3 tỷ đồng, bằng 96,5% kế hoạch.",
     [("PUBLIC_INVESTMENT", "disbursed", None, 245_300_000_000, D("96.5"))]),
    ("Ước cả năm giải ngân vốn đầu tư công đạt 98% kế hoạch tỉnh giao.",
     [("PUBLIC_INVESTMENT", "disbursed", None, None, D("98"))]),
    ("Ước giải ngân vốn sự nghiệp CTMTQG giảm nghèo bền vững cả năm 5,6 tỷ đồng, đạt 91,8% dự toán.",
     [("GNBV", "disbursed", "recurrent", 5_600_000_000, D("91.8"))]),
    # cumulative disbursement
    ("Lũy kế giải ngân vốn Chương trình MTQG giảm nghèo bền vững đến hết tháng 10 là 7,8 tỷ đồng, đạt 62,4% kế "
     "hoạch vốn.",
     [("GNBV", "disbursed", None, 7_800_000_000, D("62.4"))]),
    # capital sources: ODA inside the public investment plan, the district's budget, counterpart funds
    ("Kế hoạch vốn đầu tư công năm 2024 giao 210 tỷ đồng, trong đó vốn ODA 35 tỷ đồng.",
     [("PUBLIC_INVESTMENT", "allocated", None, 210_000_000_000, None),
      ("PUBLIC_INVESTMENT", "allocated", None, 35_000_000_000, None)]),
    ("Vốn NS huyện bố trí cho Chương trình MTQG xây dựng nông thôn mới năm 2025 là 6,2 tỷ đồng.",
     [("NTM", "allocated", None, 6_200_000_000, None)]),
    ("Đối ứng từ ngân sách huyện cho Chương trình MTQG giảm nghèo bền vững là 850 triệu đồng.",
     [("GNBV", "allocated", None, 850_000_000, None)]),
    ("Năm 2024, huy động vốn lồng ghép các chương trình, dự án để xây dựng nông thôn mới được 14,6 tỷ đồng.",
     [("NTM", "spent", None, 14_600_000_000, None)]),
    ("Vốn xã hội hoá và nhân dân đóng góp xây dựng nông thôn mới đạt 4,7 tỷ đồng.",
     [("NTM", "spent", None, 4_700_000_000, None)]),
    # the allocation, the disbursement and a plan for the rest in one sentence
    ("Chương trình MTQG giảm nghèo bền vững được giao 9.845 triệu đồng, đã giải ngân 6.120 triệu đồng, đạt 62,16%; "
     "dự kiến đến ngày 31/01/2025 giải ngân đạt 100%.",
     [("GNBV", "allocated", None, 9_845_000_000, None), ("GNBV", "disbursed", None, 6_120_000_000, D("62.16")),
      ("GNBV", "planned", None, None, D("100"))]),
    ("Dự kiến nguồn vốn thực hiện Chương trình MTQG xây dựng nông thôn mới năm 2025 là 25 tỷ đồng.",
     [("NTM", "planned", None, 25_000_000_000, None)]),
    # a mixed amount
    ("Vốn sự nghiệp thực hiện Chương trình MTQG phát triển KT-XH vùng đồng bào DTTS và miền núi năm 2024 là "
     "11 tỷ 250 triệu đồng.",
     [("DTTS_MN", "allocated", "recurrent", 11_250_000_000, None)]),
    ("Tỷ lệ giải ngân vốn Chương trình MTQG xây dựng NTM mới đạt 38,5%, thấp hơn bình quân chung của tỉnh.",
     [("NTM", "disbursed", None, None, D("38.5"))]),
    # a table's columns named in prose: kế hoạch, giải ngân, tỷ lệ
    ("Vốn đầu tư phát triển nguồn NSTW thực hiện Chương trình MTQG giảm nghèo bền vững: kế hoạch 15,3 tỷ đồng, giải "
     "ngân 10,7 tỷ đồng, đạt 69,9%.",
     [("GNBV", "allocated", "investment", 15_300_000_000, None),
      ("GNBV", "disbursed", "investment", 10_700_000_000, D("69.9"))]),
    ("Chương trình MTQG xây dựng NTM: kế hoạch vốn 20.150 triệu đồng; giải ngân 17.230 triệu đồng; tỷ lệ 85,5%.",
     [("NTM", "allocated", None, 20_150_000_000, None), ("NTM", "disbursed", None, 17_230_000_000, D("85.5"))]),
    ("Huyện đề xuất bổ sung 12 tỷ đồng vốn đầu tư Chương trình MTQG phát triển kinh tế - xã hội vùng đồng bào dân "
     "tộc thiểu số và miền núi năm 2025.",
     [("DTTS_MN", "requested", "investment", 12_000_000_000, None)]),
    # the programmes together
    ("Tổng nguồn vốn các Chương trình MTQG năm 2024 là 156,8 tỷ đồng, đã giải ngân 98,4 tỷ đồng, đạt 62,8%.",
     [("OTHER", "allocated", None, 156_800_000_000, None), ("OTHER", "disbursed", None, 98_400_000_000, D("62.8"))]),
    ("Vốn xây dựng cơ bản tập trung năm 2023 giải ngân được 38,6/45 tỷ đồng, đạt 85,8%.",
     [("PUBLIC_INVESTMENT", "disbursed", "investment", 38_600_000_000, D("85.8")),
      ("PUBLIC_INVESTMENT", "allocated", "investment", 45_000_000_000, None)]),
    ("Nguồn vốn thực hiện Chương trình 1719 năm 2024 gồm: vốn đầu tư 24,5 tỷ đồng, vốn sự nghiệp 9,1 tỷ đồng.",
     [("DTTS_MN", "allocated", "investment", 24_500_000_000, None),
      ("DTTS_MN", "allocated", "recurrent", 9_100_000_000, None)]),
    ("Thanh toán khối lượng hoàn thành các dự án đầu tư công 9 tháng đạt 112,7 tỷ đồng.",
     [("PUBLIC_INVESTMENT", "disbursed", None, 112_700_000_000, None)]),
    ("Giải ngân vốn ngân sách tỉnh hỗ trợ xây dựng nông thôn mới được 3,4 tỉ đồng.",
     [("NTM", "disbursed", None, 3_400_000_000, None)]),
    # a cut-off date, the plan after a slash
    ("Tính đến ngày 30/9/2024, giải ngân vốn đầu tư công đạt 145,2 tỷ đồng/260 tỷ đồng kế hoạch, đạt 55,8%.",
     [("PUBLIC_INVESTMENT", "disbursed", None, 145_200_000_000, D("55.8")),
      ("PUBLIC_INVESTMENT", "allocated", None, 260_000_000_000, None)]),
    # a commune after the reform
    ("Xã được giao kế hoạch vốn đầu tư công năm 2025 là 32,5 tỷ đồng, đến nay đã giải ngân 14,3 tỷ đồng, đạt 44%.",
     [("PUBLIC_INVESTMENT", "allocated", None, 32_500_000_000, None),
      ("PUBLIC_INVESTMENT", "disbursed", None, 14_300_000_000, D("44"))]),
    # hedges on the amount and on the rate
    ("Huyện đã giải ngân gần 30 tỷ đồng vốn Chương trình MTQG giảm nghèo bền vững, đạt khoảng 75%.",
     [("GNBV", "disbursed", None, 30_000_000_000, D("75"))]),
    ("Năm 2024, huyện được phân bổ hơn 68 tỷ 782 triệu đồng vốn Chương trình MTQG xây dựng nông thôn mới.",
     [("NTM", "allocated", None, 68_782_000_000, None)]),
    # abbreviations of the report tables
    ("Vốn ĐTC năm 2024 giải ngân đạt 56%.",
     [("PUBLIC_INVESTMENT", "disbursed", None, None, D("56"))]),
    ("Kế hoạch vốn đầu tư công năm 2024 (kể cả vốn kéo dài) là 95,4 tỷ đồng.",
     [("PUBLIC_INVESTMENT", "allocated", None, 95_400_000_000, None)]),
    ("Đã giải ngân 100% kế hoạch vốn sự nghiệp Chương trình MTQG giảm nghèo bền vững.",
     [("GNBV", "disbursed", "recurrent", None, D("100"))]),
]


@pytest.mark.parametrize(("sentence", "expected"), cases(FUNDING))
def test_funding_round3(sentence, expected) -> None:
    check_funding(sentence, expected)



# --- indicator roles ------------------------------------------------------------------------------------
# sentence, column, value, unit (None: not checked - the scorer reads attainment and excess as percent)
ROLES = [
    ("Tổng thu ngân sách nhà nước trên địa bàn quý I ước đạt 42,6 tỷ đồng, bằng 28,4% dự toán năm.",
     "attainment_pct", D("28.4"), None),
    ("Tổng thu ngân sách nhà nước trên địa bàn quý I ước đạt 42,6 tỷ đồng, bằng 28,4% dự toán năm.",
     "actual_value", D("42600000000"), "VND"),
    ("9 tháng đầu năm, giá trị sản xuất công nghiệp ước đạt 1.234,5 tỷ đồng, tăng 8,7% so với cùng kỳ.",
     "actual_value", D("1234500000000"), "VND"),
    ("9 tháng đầu năm, giá trị sản xuất công nghiệp ước đạt 1.234,5 tỷ đồng, tăng 8,7% so với cùng kỳ.",
     "change_value", D("8.7"), "percent"),
    ("Tổng thu ngân sách đạt 1,2 nghìn tỷ đồng, vượt 6,5% dự toán.", "exceed_pct", D("6.5"), None),
    ("Tổng thu ngân sách đạt 1,2 nghìn tỷ đồng, vượt 6,5% dự toán.", "actual_value", D("1200000000000"), "VND"),
    # percentage points
    ("Tỷ lệ hộ nghèo đa chiều giảm còn 4,85%, giảm 1,32 điểm phần trăm so với cuối năm 2023.", "change_value",
     D("-1.32"), "percent"),
    ("Tỷ lệ hộ nghèo đa chiều giảm còn 4,85%, giảm 1,32 điểm phần trăm so với cuối năm 2023.", "actual_value",
     D("4.85"), "percent"),
    ("Tỷ lệ dân số tham gia BHYT đạt 93,6%, tăng 0,8 điểm % so với cùng kỳ.", "change_value", D("0.8"), "percent"),
    # hedges and scale words before the unit
    ("Sản lượng lương thực có hạt ước đạt gần 62 nghìn tấn, bằng 101,5% kế hoạch.", "actual_value", D("62000"),
     "tonne"),
    ("Sản lượng lương thực có hạt ước đạt gần 62 nghìn tấn, bằng 101,5% kế hoạch.", "attainment_pct", D("101.5"),
     None),
    ("Năng suất lúa vụ Xuân bình quân đạt 65,2 tạ/ha, giảm 0,6 tạ/ha so với vụ Xuân năm trước.", "change_value",
     D("-0.6"), "other"),
    ("Thu nhập bình quân đầu người đạt khoảng 58,6 triệu đồng/người/năm, tăng 4,1 triệu đồng so với năm 2023.",
     "actual_value", D("58600000"), "VND"),
    ("Thu nhập bình quân đầu người đạt khoảng 58,6 triệu đồng/người/năm, tăng 4,1 triệu đồng so với năm 2023.",
     "change_value", D("4100000"), "VND"),
    ("Giải quyết việc làm mới cho 1.850 lao động, đạt 115,6% kế hoạch năm.", "actual_value", D("1850"), "person"),
    ("Giải quyết việc làm mới cho 1.850 lao động, đạt 115,6% kế hoạch năm.", "attainment_pct", D("115.6"), None),
    # attainment and change side by side
    ("Tổng vốn đầu tư toàn xã hội 9 tháng ước đạt 3.120 tỷ đồng, bằng 74,3% kế hoạch, tăng 11,2% so với cùng kỳ năm "
     "2023.", "attainment_pct", D("74.3"), None),
    ("Tổng vốn đầu tư toàn xã hội 9 tháng ước đạt 3.120 tỷ đồng, bằng 74,3% kế hoạch, tăng 11,2% so với cùng kỳ năm "
     "2023.", "change_value", D("11.2"), "percent"),
    # targets
    ("Chỉ tiêu năm 2025: thu nhập bình quân đầu người đạt trên 65 triệu đồng.", "target_value", D("65000000"), "VND"),
    ("Phấn đấu năm 2025 có thêm 3 xã đạt chuẩn nông thôn mới nâng cao, 1 xã đạt chuẩn nông thôn mới kiểu mẫu.",
     "target_value", D("3"), "commune"),
    ("Phấn đấu năm 2025 có thêm 3 xã đạt chuẩn nông thôn mới nâng cao, 1 xã đạt chuẩn nông thôn mới kiểu mẫu.",
     "target_value", D("1"), "commune"),
    # expenditure against its estimate
    ("Tổng chi ngân sách địa phương 6 tháng đạt 186,4 tỷ đồng, bằng 45,2% dự toán HĐND huyện giao.", "actual_value",
     D("186400000000"), "VND"),
    ("Tổng chi ngân sách địa phương 6 tháng đạt 186,4 tỷ đồng, bằng 45,2% dự toán HĐND huyện giao.",
     "attainment_pct", D("45.2"), None),
    # a month and the cumulative months
    ("Tổng thu ngân sách trên địa bàn tháng 10 ước đạt 15,2 tỷ đồng; lũy kế 10 tháng đạt 128,7 tỷ đồng, đạt 92,1% dự "
     "toán.", "actual_value", D("15200000000"), "VND"),
    ("Tổng thu ngân sách trên địa bàn tháng 10 ước đạt 15,2 tỷ đồng; lũy kế 10 tháng đạt 128,7 tỷ đồng, đạt 92,1% dự "
     "toán.", "actual_value", D("128700000000"), "VND"),
    ("Tổng thu ngân sách trên địa bàn tháng 10 ước đạt 15,2 tỷ đồng; lũy kế 10 tháng đạt 128,7 tỷ đồng, đạt 92,1% dự "
     "toán.", "attainment_pct", D("92.1"), None),
    ("Tỷ lệ che phủ rừng đạt 62,5%, bằng chỉ tiêu nghị quyết.", "actual_value", D("62.5"), "percent"),
    ("Số doanh nghiệp thành lập mới là 45 doanh nghiệp, giảm 8 doanh nghiệp so với cùng kỳ.", "change_value", D("-8"),
     "count"),
    ("Số doanh nghiệp thành lập mới là 45 doanh nghiệp, giảm 8 doanh nghiệp so với cùng kỳ.", "actual_value", D("45"),
     "count"),
    ("Kim ngạch xuất khẩu ước đạt 125,4 triệu USD, tăng 9,6% so với cùng kỳ.", "change_value", D("9.6"), "percent"),
    ("Tỷ lệ trẻ em dưới 5 tuổi suy dinh dưỡng thể thấp còi giảm còn 17,8%, thấp hơn 0,4% so với kế hoạch.",
     "actual_value", D("17.8"), "percent"),
    # a plan in parentheses after a miss
    ("Tỷ lệ lao động qua đào tạo có bằng cấp, chứng chỉ đạt 31,5%, không đạt kế hoạch (32%).", "actual_value",
     D("31.5"), "percent"),
    ("Tỷ lệ lao động qua đào tạo có bằng cấp, chứng chỉ đạt 31,5%, không đạt kế hoạch (32%).", "target_value",
     D("32"), "percent"),
    ("Thu ngân sách xã ước đạt 2,35 tỉ đồng, bằng 117,5% dự toán huyện giao.", "attainment_pct", D("117.5"), None),
    ("Thu ngân sách xã ước đạt 2,35 tỉ đồng, bằng 117,5% dự toán huyện giao.", "actual_value", D("2350000000"),
     "VND"),
    ("Tổng sản lượng thuỷ sản đạt 3.450 tấn, tăng 2,3% so với cùng kỳ năm trước.", "actual_value", D("3450"),
     "tonne"),
    ("Tổng sản lượng thuỷ sản đạt 3.450 tấn, tăng 2,3% so với cùng kỳ năm trước.", "change_value", D("2.3"),
     "percent"),
    # a number in the indicator's name is not its value
    ("Giá trị sản phẩm thu được trên 1 ha đất trồng trọt đạt 125 triệu đồng.", "actual_value", D("125000000"), "VND"),
    ("Tốc độ tăng trưởng kinh tế (GRDP) ước đạt 7,85%, thấp hơn kế hoạch đề ra (8-8,5%).", "actual_value", D("7.85"),
     "percent"),
    ("Có 95,3% số hộ dân nông thôn sử dụng nước sạch theo quy chuẩn, tăng 2,1% so với năm 2023.", "change_value",
     D("2.1"), "percent"),
    ("Có 95,3% số hộ dân nông thôn sử dụng nước sạch theo quy chuẩn, tăng 2,1% so với năm 2023.", "actual_value",
     D("95.3"), "percent"),
    ("Tổng đàn gia súc giảm 3,4% so với cùng thời điểm năm trước.", "change_value", D("-3.4"), "percent"),
    ("Thu ngân sách 9 tháng đạt 76,5% so với dự toán.", "attainment_pct", D("76.5"), None),
    ("Toàn huyện hiện còn 1.128 hộ nghèo, giảm 362 hộ so với đầu năm.", "actual_value", D("1128"), "household"),
    ("Toàn huyện hiện còn 1.128 hộ nghèo, giảm 362 hộ so với đầu năm.", "change_value", D("-362"), "household"),
    ("Trồng rừng tập trung được 420 ha, vượt 5% kế hoạch.", "exceed_pct", D("5"), None),
    # abbreviations, a plan in parentheses, a change in money, an average over a phase
    ("Thu ngân sách giảm 0,5% so với CK.", "change_value", D("-0.5"), "percent"),
    ("Thu ngân sách xã chỉ đạt 85% KH.", "attainment_pct", D("85"), None),
    ("Tăng trưởng GRDP đạt 7,2% (KH 7,5%).", "target_value", D("7.5"), "percent"),
    ("Tăng trưởng GRDP đạt 7,2% (KH 7,5%).", "actual_value", D("7.2"), "percent"),
    ("Tổng thu ngân sách tăng 15,3 tỷ đồng so với năm trước.", "change_value", D("15300000000"), "VND"),
    ("Tốc độ tăng trưởng kinh tế bình quân giai đoạn 2021-2025 ước đạt 8,1%/năm.", "actual_value", D("8.1"),
     "percent"),
    ("Tỷ lệ tăng dân số tự nhiên 1,05%.", "actual_value", D("1.05"), "percent"),
]


@pytest.mark.parametrize(("sentence", "column", "value", "unit"), cases(ROLES))
def test_role_round3(sentence, column, value, unit) -> None:
    check_role(sentence, column, value, unit)



# sentences that state no figure: a session's label, a resolution's number and date, a phase
NO_FIGURE = [
    "Kỳ họp thứ 18 HĐND huyện khóa XX, nhiệm kỳ 2021-2026 bế mạc chiều ngày 18/12/2024.",
    "Ban hành Nghị quyết số 25/NQ-HĐND ngày 10/7/2024 về kế hoạch đầu tư công trung hạn giai đoạn 2021-2025.",
]


@pytest.mark.parametrize("sentence", cases([(s,) for s in NO_FIGURE]))
def test_no_figure_round3(sentence) -> None:
    assert [(f.kind, f.source_quote) for f in figures(sentence)] == []


# --- scorecards -----------------------------------------------------------------------------------------
# sentence, met or exceeded, total, exceeded
SCORECARDS = [
    ("Có 18/20 chỉ tiêu đạt, vượt.", 18, 20, None),
    ("Năm 2024, 15 chỉ tiêu đạt và vượt, 3 chỉ tiêu không đạt.", 15, 18, None),
    ("Trong 22 chỉ tiêu chủ yếu, có 12 chỉ tiêu vượt, 7 chỉ tiêu đạt, 3 chỉ tiêu không đạt.", 19, 22, 12),
    ("Ước cả năm có 19/21 chỉ tiêu hoàn thành và vượt kế hoạch; 2 chỉ tiêu chưa đạt là thu ngân sách và tỷ lệ lao "
     "động qua đào tạo.", 19, 21, None),
    ("Đã có 10/12 chỉ tiêu đạt và vượt nghị quyết.", 10, 12, None),
    ("9 tháng đầu năm có 14/25 chỉ tiêu đạt, vượt kế hoạch năm, 11 chỉ tiêu có khả năng đạt.", 14, 25, None),
    ("Trong tổng số 16 chỉ tiêu chủ yếu, có 16/16 chỉ tiêu đạt và vượt.", 16, 16, None),
    ("Kết quả, 24/27 chỉ tiêu đạt và vượt kế hoạch (vượt 10 chỉ tiêu), 3 chỉ tiêu không đạt.", 24, 27, 10),
    ("Xã hoàn thành 20/22 chỉ tiêu Nghị quyết HĐND xã đề ra.", 20, 22, None),
    ("Có 17/19 chỉ tiêu đạt và vượt so với Nghị quyết Đại hội.", 17, 19, None),
    ("Năm 2024, huyện đạt và vượt 21 trên tổng số 23 chỉ tiêu.", 21, 23, None),
    ("Có 13/15 chỉ tiêu chủ yếu đạt và vượt, chiếm 86,7%.", 13, 15, None),
    ("Có 11 chỉ tiêu vượt, 6 chỉ tiêu đạt và 2 chỉ tiêu không đạt kế hoạch.", 17, 19, 11),
    ("Trong 19 chỉ tiêu, dự ước có 16 chỉ tiêu đạt và vượt.", 16, 19, None),
    ("Có 20/21 chỉ tiêu hoàn thành kế hoạch (10 chỉ tiêu hoàn thành vượt mức).", 20, 21, 10),
    ("Tổng số 25 chỉ tiêu: đạt và vượt 22 chỉ tiêu; không đạt 3 chỉ tiêu.", 22, 25, None),
    ("Có 09 chỉ tiêu vượt và 05 chỉ tiêu đạt kế hoạch, 02 chỉ tiêu chưa đạt.", 14, 16, 9),
]


@pytest.mark.parametrize(("sentence", "met", "total", "exceeded"), cases(SCORECARDS))
def test_scorecard_round3(sentence, met, total, exceeded) -> None:
    check_scorecard(sentence, met, total, exceeded)



# --- quantities -----------------------------------------------------------------------------------------
# sentence, value, unit, flagged
QUANTITIES = [
    ("Diện tích gieo trồng vụ Đông Xuân đạt 12.450,5 ha.", D("12450.5"), "ha", False),
    ("Thu ngân sách đạt 68 tỷ 782 triệu đồng.", D("68782000000"), "VND", False),
    ("Tổng mức bán lẻ hàng hóa ước đạt 2,35 nghìn tỉ đồng.", D("2350000000000"), "VND", False),
    ("Sản lượng chè búp tươi đạt 18,6 nghìn tấn.", D("18600"), "tonne", False),
    ("Năng suất ngô bình quân 48,2 tạ/ha.", D("48.2"), "other", False),
    ("Cứng hoá 12,8 km kênh mương nội đồng.", D("12.8"), "other", False),
    ("Hỗ trợ 325 hộ nghèo, hộ cận nghèo xây dựng, sửa chữa nhà ở.", D("325"), "household", False),
    ("Đào tạo nghề cho 1.240 lao động nông thôn.", D("1240"), "person", False),
    ("Diện tích nuôi trồng thủy sản 1.150 ha.", D("1150"), "ha", False),
    ("Có 4.360 người tham gia BHXH tự nguyện.", D("4360"), "person", False),
    ("Sản lượng khai thác thuỷ sản ước đạt 5.200 tấn.", D("5200"), "tonne", False),
    ("Đàn lợn có 42,3 nghìn con.", D("42300"), "count", False),
    ("Thu nhập bình quân đầu người đạt 52,5 triệu đồng/người/năm.", D("52500000"), "VND", False),
    ("Đón hơn 1,5 triệu lượt khách du lịch.", D("1500000"), "other", False),
    ("Thu ngân sách xã đạt 1.234,5 triệu đồng.", D("1234500000"), "VND", False),
    ("Kiên cố hóa 3.250m kênh mương.", D("3250"), "other", False),
    ("Diện tích trồng rừng mới đạt 1.020 héc-ta.", D("1020"), "ha", False),
    ("Sản lượng cà phê đạt 15.400 tấn nhân.", D("15400"), "tonne", False),
    ("Có 35 sản phẩm đạt chuẩn OCOP 3 sao trở lên.", D("35"), "count", False),
    ("Xuất khẩu lao động 126 người.", D("126"), "person", False),
    # the short forms of tables and the units as typed
    ("Thu ngân sách xã đạt 1.250 trđ.", D("1250000000"), "VND", False),
    ("Thu ngân sách đạt 35,6 tỷđ.", D("35600000000"), "VND", False),
    ("Tỷ lệ hộ nghèo còn 3,5 %.", D("3.5"), "percent", False),
    ("Diện tích lúa 5.200 Ha.", D("5200"), "ha", False),
    ("Thu nhập bình quân đầu người 55 tr.đồng/người/năm.", D("55000000"), "VND", False),
    ("Năng suất lúa 6,2 tấn/ha.", D("6.2"), "other", False),
    ("Tổng giá trị sản xuất đạt 12.345.678 triệu đồng.", D("12345678000000"), "VND", False),
    ("Diện tích cây công nghiệp 8,5 nghìn ha.", D("8500"), "ha", False),
    ("Sản lượng lương thực đạt 1,05 triệu tấn.", D("1050000"), "tonne", False),
    ("Toàn tỉnh có 12 ngàn hộ tham gia sản xuất theo chuỗi.", D("12000"), "household", False),
]


@pytest.mark.parametrize(("sentence", "value", "unit", "flagged"), cases(QUANTITIES))
def test_quantity_round3(sentence, value, unit, flagged) -> None:
    check_quantity(sentence, value, unit, flagged)



# --- whole sentences: every figure of a long sentence, nothing more (precision as well as recall) ----------
# sentence, the multiset of (role, value) the sentence states: an indicator gives one pair per role it
# carries (actual_value, target_value, attainment_pct, exceed_pct, change_value), a funding figure
# ("funding:<measure>", amount) and ("rate", rate) when it has one.
WHOLE = [
    ("Tổng thu ngân sách nhà nước trên địa bàn 9 tháng đầu năm ước đạt 156,3 tỷ đồng, bằng 82,5% dự toán tỉnh giao, "
     "bằng 78,1% dự toán HĐND huyện giao, tăng 12,4% so với cùng kỳ; tổng chi ngân sách địa phương ước đạt 412,6 tỷ "
     "đồng, bằng 68,3% dự toán.",
     [("actual_value", 156_300_000_000), ("attainment_pct", D("82.5")), ("attainment_pct", D("78.1")),
      ("change_value", D("12.4")), ("actual_value", 412_600_000_000), ("attainment_pct", D("68.3"))]),
    ("Sản xuất vụ Đông Xuân: tổng diện tích gieo trồng 8.245 ha, đạt 100,6% kế hoạch; trong đó lúa 5.120 ha, năng "
     "suất ước đạt 68,5 tạ/ha, sản lượng 35.072 tấn.",
     [("actual_value", 8245), ("attainment_pct", D("100.6")), ("actual_value", 5120), ("actual_value", D("68.5")),
      ("actual_value", 35072)]),
    ("Chăn nuôi phát triển ổn định, tổng đàn trâu 6.850 con, đàn bò 12.400 con, đàn lợn 58.300 con, đàn gia cầm trên "
     "820 nghìn con.",
     [("actual_value", 6850), ("actual_value", 12400), ("actual_value", 58300), ("actual_value", 820000)]),
    ("Toàn huyện có 14/16 xã đạt chuẩn nông thôn mới, 5 xã đạt chuẩn nông thôn mới nâng cao, 1 xã đạt chuẩn nông "
     "thôn mới kiểu mẫu; bình quân đạt 18,2 tiêu chí/xã.",
     [("actual_value", 14), ("actual_value", 5), ("actual_value", 1), ("actual_value", D("18.2"))]),
    ("Giải quyết việc làm cho 2.150 lao động (trong đó xuất khẩu lao động 320 người), đạt 107,5% kế hoạch; tỷ lệ lao "
     "động qua đào tạo đạt 72%.",
     [("actual_value", 2150), ("attainment_pct", D("107.5")), ("actual_value", 320), ("actual_value", 72)]),
    ("Kết quả giải ngân vốn đầu tư công đến ngày 30/9/2024 đạt 168,4/285,6 tỷ đồng, đạt 59%; trong đó vốn ngân sách "
     "tỉnh 102,3 tỷ đồng, vốn ngân sách huyện 66,1 tỷ đồng.",
     [("funding:disbursed", 168_400_000_000), ("rate", 59), ("funding:allocated", 285_600_000_000),
      ("funding:disbursed", 102_300_000_000), ("funding:disbursed", 66_100_000_000)]),
    ("Về y tế: có 100% trạm y tế xã có bác sĩ; tỷ lệ bao phủ BHYT đạt 94,2%; tỷ lệ trẻ em dưới 1 tuổi được tiêm "
     "chủng đầy đủ đạt 98,5%.",
     [("actual_value", 100), ("actual_value", D("94.2")), ("actual_value", D("98.5"))]),
    ("Năm 2025, phấn đấu tốc độ tăng giá trị sản xuất đạt 9,5% trở lên; thu ngân sách trên địa bàn 215 tỷ đồng; tỷ "
     "lệ hộ nghèo giảm 1% trở lên; có thêm 2 xã đạt chuẩn NTM nâng cao.",
     [("target_value", D("9.5")), ("target_value", 215_000_000_000), ("target_value", 1), ("target_value", 2)]),
    ("Tổng vốn đầu tư phát triển toàn xã hội ước đạt 2.450 tỷ đồng, tăng 8,2% so với năm 2023; thu hút 6 dự án đầu "
     "tư mới với tổng vốn đăng ký 1.120 tỷ đồng.",
     [("actual_value", 2_450_000_000_000), ("change_value", D("8.2")), ("actual_value", 6),
      ("actual_value", 1_120_000_000_000)]),
    ("Giáo dục: toàn huyện có 45/52 trường đạt chuẩn quốc gia (đạt 86,5%), tăng 3 trường so với năm học trước.",
     [("actual_value", 45), ("actual_value", D("86.5")), ("change_value", 3)]),
    ("Trong 6 tháng, cấp 1.250 giấy chứng nhận quyền sử dụng đất lần đầu, đạt 62,5% kế hoạch; thu tiền sử dụng đất "
     "45,6 tỷ đồng.",
     [("actual_value", 1250), ("attainment_pct", D("62.5")), ("actual_value", 45_600_000_000)]),
    ("Huyện ủy đã kết nạp 186 đảng viên mới, đạt 124% chỉ tiêu; toàn Đảng bộ hiện có 8.650 đảng viên sinh hoạt tại "
     "52 tổ chức cơ sở đảng.",
     [("actual_value", 186), ("attainment_pct", 124), ("actual_value", 8650), ("actual_value", 52)]),
    ("Chương trình MTQG phát triển KT-XH vùng đồng bào DTTS và miền núi năm 2024 được giao 86,3 tỷ đồng (vốn đầu tư "
     "61,2 tỷ đồng, vốn sự nghiệp 25,1 tỷ đồng), giải ngân đến 31/10 được 41,5 tỷ đồng, đạt 48,1%.",
     [("funding:allocated", 86_300_000_000), ("funding:allocated", 61_200_000_000),
      ("funding:allocated", 25_100_000_000), ("funding:disbursed", 41_500_000_000), ("rate", D("48.1"))]),
    ("Thu ngân sách xã năm 2025 ước đạt 3.215 triệu đồng, vượt 15% dự toán; chi ngân sách xã 2.980 triệu đồng.",
     [("actual_value", 3_215_000_000), ("exceed_pct", 15), ("actual_value", 2_980_000_000)]),
    ("Diện tích cây ăn quả toàn huyện 2.350 ha, trong đó diện tích được cấp mã số vùng trồng 420 ha; sản lượng quả "
     "các loại đạt khoảng 28 nghìn tấn, giá trị ước 560 tỷ đồng.",
     [("actual_value", 2350), ("actual_value", 420), ("actual_value", 28000), ("actual_value", 560_000_000_000)]),
    ("Sau 3 tháng vận hành, xã đã tiếp nhận 1.860 hồ sơ, giải quyết đúng hạn 1.845 hồ sơ, đạt 99,2%; tỷ lệ hồ sơ trực "
     "tuyến toàn trình đạt 68%.",
     [("actual_value", 1860), ("actual_value", 1845), ("actual_value", D("99.2")), ("actual_value", 68)]),
    ("Sản lượng thuỷ sản 9 tháng ước đạt 4.320 tấn, bằng 76% kế hoạch năm, tăng 3,5% so với cùng kỳ; trong đó nuôi "
     "trồng 2.870 tấn, khai thác 1.450 tấn.",
     [("actual_value", 4320), ("attainment_pct", 76), ("change_value", D("3.5")), ("actual_value", 2870),
      ("actual_value", 1450)]),
]

_ROLE_COLUMNS = ("actual_value", "target_value", "attainment_pct", "exceed_pct", "change_value")


def _pairs(found) -> list[tuple[str, Decimal]]:
    out = []
    for f in found:
        if f.kind == "indicator":
            out += [(c, D(getattr(f, c))) for c in _ROLE_COLUMNS if getattr(f, c) is not None]
        elif f.kind == "funding":
            if f.amount_vnd is not None:
                out.append((f"funding:{f.measure}", D(f.amount_vnd)))
            if f.rate_pct is not None:
                out.append(("rate", D(f.rate_pct)))
        else:
            out.append(("scorecard", D(f.indicators_met_or_exceeded)))
    return sorted(out)


@pytest.mark.parametrize(("sentence", "expected"), cases(WHOLE))
def test_whole_sentence_round3(sentence, expected) -> None:
    assert _pairs(figures(sentence)) == sorted((c, D(v)) for c, v in expected)


# --- periods: quarters, nine months, months, cut-offs, commune reports after the reform -----------------
HEADER = "ỦY BAN NHÂN DÂN\nHUYỆN {unit}\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
COMMUNE = "ỦY BAN NHÂN DÂN\nXÃ {unit}\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"

PERIODS = [
    ("a first quarter's report and the next quarter's tasks",
     HEADER.format(unit="BẢO LẠC") + "Bảo Lạc, ngày 25 tháng 3 năm 2024\n\nBÁO CÁO\nTình hình thực hiện nhiệm vụ phát "
     "triển kinh tế - xã hội quý I, phương hướng nhiệm vụ quý II năm 2024\n\n"
     "Quý I, tổng thu ngân sách trên địa bàn ước đạt 9,6 tỷ đồng.",
     {"date": date(2024, 3, 25), "period": "2024-01-01..2024-03-31", "figures": {9.6 * T: "2024-01-01..2024-03-31"}}),
    ("a nine-month conference in a news lead",
     "Sơ kết 9 tháng\n\nChiều 3/10/2024, UBND huyện tổ chức hội nghị đánh giá tình hình kinh tế - xã hội 9 tháng đầu "
     "năm 2024. 9 tháng đầu năm, tổng thu ngân sách đạt 185 tỷ đồng, bằng 78% dự toán.",
     {"date": date(2024, 10, 3), "figures": {185 * T: "2024-01-01..2024-09-30"}}),
    ("cumulative to the end of a month",
     "Báo cáo tháng 10 năm 2024\n\nNgày 25/10/2024, huyện họp. Lũy kế đến hết tháng 10, giải ngân vốn đầu tư công đạt "
     "120 tỷ đồng.",
     {"figures": {120 * T: "2024-01-01..2024-10-31"}}),
    ("a cut-off day in the previous month",
     "Báo cáo tháng 10 năm 2024\n\nNgày 15/10/2024, huyện họp. Tính đến ngày 30/9/2024, toàn huyện giải ngân được "
     "98 tỷ đồng vốn đầu tư công.",
     {"figures": {98 * T: "2024-01-01..2024-09-30"}}),
    ("a commune's monthly report after the reform",
     COMMUNE.format(unit="MƯỜNG NHÀ") + "Điện Biên, ngày 28 tháng 8 năm 2025\n\nBÁO CÁO\nKết quả thực hiện nhiệm vụ "
     "tháng 8, phương hướng nhiệm vụ tháng 9 năm 2025\n\nTrong tháng 8, xã thu ngân sách được 1,25 tỷ đồng.",
     {"date": date(2025, 8, 28), "period": "2025-08-01..2025-08-31",
      "figures": {1.25 * T: "2025-08-01..2025-08-31"}}),
    ("a month and its quarter in one sentence",
     "Báo cáo tháng 3 năm 2024\n\nNgày 27/3/2024, huyện họp. Tháng 3, thu ngân sách đạt 12 tỷ đồng; lũy kế quý I đạt "
     "35 tỷ đồng.",
     {"figures": {12 * T: "2024-03-01..2024-03-31", 35 * T: "2024-01-01..2024-03-31"}}),
    ("the first months of the two-level government",
     COMMUNE.format(unit="TÂN AN") + "Đồng Nai, ngày 02 tháng 10 năm 2025\n\nBÁO CÁO\nSơ kết 3 tháng vận hành chính "
     "quyền địa phương hai cấp\n\nTừ ngày 01/7 đến ngày 30/9/2025, xã đã tiếp nhận 2.340 hồ sơ thủ tục hành chính.",
     {"date": date(2025, 10, 2), "figures": {2340: "2025-07-01..2025-09-30"}}),
    ("a plan for the last six months in a commune's report",
     COMMUNE.format(unit="MƯỜNG NHÀ") + "Điện Biên, ngày 15 tháng 7 năm 2025\n\nBÁO CÁO\nKết quả 6 tháng đầu năm, "
     "nhiệm vụ 6 tháng cuối năm 2025\n\n6 tháng cuối năm, phấn đấu thu ngân sách đạt 3,5 tỷ đồng.",
     {"figures": {3.5 * T: "2025-07-01..2025-12-31"}}),
    ("a 2018 year-end report of a district merged in 2019",
     HEADER.format(unit="HOÀNH BỒ") + "Hoành Bồ, ngày 14 tháng 12 năm 2018\n\nBÁO CÁO\nTình hình thực hiện nhiệm vụ "
     "phát triển kinh tế - xã hội năm 2018\n\nNăm 2018, tổng thu ngân sách trên địa bàn đạt 520 tỷ đồng.",
     {"date": date(2018, 12, 14), "period": "2018", "figures": {520 * T: "2018"}}),
    ("nine months and the year's estimate",
     "Báo cáo 9 tháng năm 2024\n\nNgày 5/10/2024, huyện họp. Thu ngân sách 9 tháng đạt 140 tỷ đồng; ước cả năm đạt "
     "195 tỷ đồng.",
     {"figures": {140 * T: "2024-01-01..2024-09-30", 195 * T: "2024"}}),
    ("a month written with its year after a slash",
     "Báo cáo 9 tháng năm 2024\n\nNgày 5/10/2024, huyện họp. Riêng tháng 9/2024, thu ngân sách đạt 18 tỷ đồng.",
     {"figures": {18 * T: "2024-09-01..2024-09-30"}}),
    ("from the start of the year to a day",
     "Báo cáo tháng 10 năm 2024\n\nNgày 20/10/2024, huyện họp. Từ đầu năm đến ngày 15/10/2024, huyện giải ngân "
     "132 tỷ đồng vốn đầu tư công.",
     {"figures": {132 * T: "2024-01-01..2024-10-31"}}),
    ("a quarter in Arabic numerals",
     "Báo cáo 6 tháng năm 2024\n\nNgày 2/7/2024, huyện họp. Trong quý 2 năm 2024, thu ngân sách đạt 31 tỷ đồng.",
     {"figures": {31 * T: "2024-04-01..2024-06-30"}}),
    ("next year's planned disbursement in a year-end report",
     "Tổng kết năm 2024\n\nNgày 20/12/2024, huyện họp. Năm 2025, dự kiến giải ngân 250 tỷ đồng vốn đầu tư công.",
     {"figures": {250 * T: "2025"}}),
    ("a stock to the end of a month",
     "Báo cáo 9 tháng năm 2024\n\nNgày 2/10/2024, huyện họp. Đến cuối tháng 9, toàn huyện có 1.050 hộ nghèo.",
     {"figures": {1050: "2024-01-01..2024-09-30"}}),
    ("the fourth quarter and the whole year in the title",
     "Ngày 26 tháng 12 năm 2024\n\nBÁO CÁO Tình hình kinh tế - xã hội quý IV và cả năm 2024\n\n"
     "Tổng thu ngân sách cả năm đạt 265 tỷ đồng.",
     {"period": "2024", "figures": {265 * T: "2024"}}),
    ("a third quarter of a commune after the reform",
     COMMUNE.format(unit="MƯỜNG NHÀ") + "Điện Biên, ngày 30 tháng 9 năm 2025\n\nBÁO CÁO\nTình hình thực hiện nhiệm vụ "
     "quý III năm 2025\n\nQuý III, xã đã giải ngân 4,2 tỷ đồng vốn đầu tư công.",
     {"date": date(2025, 9, 30), "period": "2025-07-01..2025-09-30",
      "figures": {4.2 * T: "2025-07-01..2025-09-30"}}),
    ("six months without đầu",
     "Ngày 18 tháng 6 năm 2024\n\nBÁO CÁO Tình hình kinh tế - xã hội 6 tháng năm 2024\n\n"
     "Tổng thu ngân sách đạt 84 tỷ đồng.",
     {"period": "2024-01-01..2024-06-30", "figures": {84 * T: "2024-01-01..2024-06-30"}}),
    ("a base of the previous quarter is not the figure's period",
     "Báo cáo quý I năm 2025\n\nNgày 28/3/2025, huyện họp. Quý I, thu ngân sách đạt 36 tỷ đồng, giảm 5% so với quý IV "
     "năm 2024.",
     {"figures": {36 * T: "2025-01-01..2025-03-31", -5: "2025-01-01..2025-03-31"}}),
    ("a cut-off in a ten-month report in words",
     "Báo cáo 10 tháng năm 2024\n\nNgày 28/10/2024, huyện họp. Tính đến hết tháng 10 năm 2024, toàn huyện có 15 xã "
     "đạt chuẩn nông thôn mới.",
     {"figures": {15: "2024-01-01..2024-10-31"}}),
    ("a month and the months to it in the title",
     "Ngày 28 tháng 9 năm 2024\n\nBÁO CÁO Tình hình kinh tế - xã hội tháng 9 và 9 tháng năm 2024\n\n"
     "Tổng thu ngân sách đạt 142 tỷ đồng.",
     {"period": "2024-01-01..2024-09-30", "figures": {142 * T: "2024-01-01..2024-09-30"}}),
    ("cumulative months without đầu năm",
     "Báo cáo tháng 9 năm 2024\n\nNgày 28/9/2024, huyện họp. Lũy kế 9 tháng, giải ngân vốn đầu tư công được 87 tỷ "
     "đồng.",
     {"figures": {87 * T: "2024-01-01..2024-09-30"}}),
    ("from the start of the year to a day without its year",
     "Báo cáo 9 tháng năm 2024\n\nNgày 25/9/2024, huyện họp. Tính từ đầu năm đến ngày 20/9, huyện cấp 640 giấy "
     "chứng nhận quyền sử dụng đất.",
     {"figures": {640: "2024-01-01..2024-09-30"}}),
    ("a quarter and its base quarter a year earlier, both with slashes",
     "Báo cáo quý III năm 2024\n\nNgày 30/9/2024, huyện họp. Quý III/2024, thu ngân sách đạt 41 tỷ đồng, tăng 6% so "
     "với quý III/2023.",
     {"figures": {41 * T: "2024-07-01..2024-09-30", 6: "2024-07-01..2024-09-30"}}),
    ("a province formed in 2025 in a commune's date line",
     COMMUNE.format(unit="HƯỚNG HIỆP") + "Quảng Trị, ngày 3/10/2025\n\nBÁO CÁO\nTình hình kinh tế - xã hội 9 tháng "
     "năm 2025\n\nTừ ngày 01/7/2025, xã đã giải ngân 2,8 tỷ đồng vốn đầu tư công.",
     {"date": date(2025, 10, 3), "figures": {2.8 * T: "2025-07-01..2025-10-31"}}),
]


@pytest.mark.parametrize(("text", "want"), named(PERIODS))
def test_periods_round3(text: str, want: dict) -> None:
    _check(text, want)


# --- places ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


# id, text, report date, (district as the gold writes it, province), the unit's code or None
PLACES = [
    ("a district merged into a city in 2019, in a 2018 report", "UBND huyện Hoành Bồ tổ chức hội nghị tổng kết năm "
     "2018.", date(2018, 12, 20), ("Hoành Bồ", "Quảng Ninh"), "204"),
    ("a district merged in 2020, its committee in 2018", "Huyện ủy Tây Trà tổng kết công tác năm 2018.",
     date(2018, 12, 25), ("Tây Trà", "Quảng Ngãi"), "526"),
    ("a name two provinces shared until 2019, settled by the province", "UBND huyện Kỳ Sơn, tỉnh Hòa Bình tổ chức hội "
     "nghị tổng kết năm 2018.", date(2018, 12, 20), ("Kỳ Sơn", "Hòa Bình"), "151"),
    ("the same name after the merger is one district", "Huyện ủy Kỳ Sơn tổng kết công tác năm 2022.",
     date(2022, 12, 20), ("Kỳ Sơn", "Nghệ An"), "417"),
    ("a district merged in 2020 by its bare name in a headline", "Trà Lĩnh: Thu ngân sách vượt dự toán\n\nNăm 2018, "
     "thu ngân sách trên địa bàn đạt 25 tỷ đồng.", date(2018, 12, 20), ("Trà Lĩnh", "Cao Bằng"), "046"),
    ("a district merged in 2020, named in 2019", "Huyện Phục Hòa tổng kết năm 2019.", date(2019, 12, 20),
     ("Phục Hòa", "Cao Bằng"), "050"),
    ("a numbered urban district before the city was formed", "UBND Quận 9 tổ chức hội nghị tổng kết năm 2019.",
     date(2019, 12, 20), ("9", "Hồ Chí Minh"), "763"),
    ("a town in the year after it was formed", "Thị ủy Phú Mỹ tổng kết công tác năm 2019.", date(2019, 12, 20),
     ("Phú Mỹ", "Bà Rịa - Vũng Tàu"), "754"),
    ("a ward with its new province", "UBND phường Quy Nhơn, tỉnh Gia Lai tổ chức hội nghị sơ kết 9 tháng năm 2025.",
     date(2025, 10, 2), ("phường Quy Nhơn", "Gia Lai"), None),
    ("a ward with its new province in parentheses", "Đảng ủy phường Tuy Hòa (tỉnh Đắk Lắk) tổ chức hội nghị.",
     date(2025, 9, 20), ("phường Tuy Hòa", "Đắk Lắk"), None),
    ("a special zone of a merged province", "UBND đặc khu Phú Quốc báo cáo kết quả thực hiện nhiệm vụ quý III năm "
     "2025.", date(2025, 10, 1), ("đặc khu Phú Quốc", "An Giang"), None),
    ("a commune name many provinces share, its new province in the date line",
     COMMUNE.format(unit="TÂN AN") + "Đồng Nai, ngày 02 tháng 10 năm 2025\n\nBÁO CÁO sơ kết 9 tháng năm 2025",
     date(2025, 10, 2), ("xã Tân An", "Đồng Nai"), None),
    ("a district named without its type word, its province in parentheses", "Tại Bắc Hà (Lào Cai), năm 2023 toàn "
     "huyện đã giải ngân 95 tỷ đồng vốn đầu tư công.", date(2023, 12, 20), ("Bắc Hà", "Lào Cai"), None),
    ("a district only in the date line", "ỦY BAN NHÂN DÂN\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nMèo Vạc, ngày 20 tháng "
     "12 năm 2023\n\nBÁO CÁO tình hình kinh tế - xã hội năm 2023", date(2023, 12, 20), ("Mèo Vạc", "Hà Giang"), None),
    ("a ward of a renamed town with its province", "Đảng ủy phường Sa Pa, tỉnh Lào Cai tổ chức hội nghị.",
     date(2025, 9, 5), ("phường Sa Pa", "Lào Cai"), None),
    ("a district spoken of as huyện after its bare name", "Đoàn giám sát của HĐND tỉnh làm việc tại Đam Rông. Năm "
     "2023, huyện đã giải ngân 85% kế hoạch vốn đầu tư công.", date(2023, 9, 20), ("Đam Rông", "Lâm Đồng"), "674",
     ("xfail", 'a bare name communes also bear ("Đam Rông") needs a headline, an issuing body or its province beside '
               'it; "làm việc tại Đam Rông. ... huyện đã" is not enough: a commune named in a list would pass too')),
    ("a district with its old province in parentheses", "Tuy Phước (Bình Định): thu ngân sách năm 2022 đạt 300 tỷ "
     "đồng.", date(2022, 12, 20), ("Tuy Phước", "Bình Định"), "550"),
]


def _commune_type(gaz: Gazetteer, place) -> str:
    return gaz.new.units[place.district_code].type


@pytest.mark.parametrize(("text", "day", "want", "code"), named(PLACES))
def test_places_round3(gaz: Gazetteer, text: str, day: date, want: tuple, code) -> None:
    place = gaz.resolve(normalise_text(text), on_date=day)
    got_district = place.district_name
    if place.admin_level == "commune" and got_district is not None:
        got_district = f"{_commune_type(gaz, place)} {got_district}"
    assert (fold(got_district or ""), fold(place.province_name or "")) == (fold(want[0]), fold(want[1])), (
        got_district, place.province_name, place.method, place.candidates)
    if code:
        assert place.district_code == code


def test_a_name_two_provinces_shared_in_2018_is_ambiguous(gaz: Gazetteer) -> None:
    text = normalise_text("UBND huyện Kỳ Sơn tổ chức hội nghị tổng kết năm 2018.")
    place = gaz.resolve(text, on_date=date(2018, 12, 20))
    assert place.method == "ambiguous" and place.district_name is None
    assert {fold(c.split(", ")[1].split(" (")[0]) for c in place.candidates} == {fold("Hòa Bình"), fold("Nghệ An")}


# --- held out: written after the widening above, run once against it before any further change ---------
# (the first-run pass rate of these is the estimate of unseen accuracy after the widening; see the docstring)
FUNDING_HELD_OUT = [
    ("Năm 2025, tổng kế hoạch vốn các chương trình MTQG giao cho huyện là 142,6 tỷ đồng, trong đó: Chương trình "
     "MTQG xây dựng nông thôn mới 38,2 tỷ đồng; Chương trình MTQG giảm nghèo bền vững 45,1 tỷ đồng; Chương trình MTQG "
     "phát triển KT-XH vùng đồng bào DTTS và miền núi 59,3 tỷ đồng.",
     [("OTHER", "allocated", None, 142_600_000_000, None), ("NTM", "allocated", None, 38_200_000_000, None),
      ("GNBV", "allocated", None, 45_100_000_000, None), ("DTTS_MN", "allocated", None, 59_300_000_000, None)]),
    ("Đến ngày 31/10/2024, huyện đã giải ngân 76,4/120,8 tỷ đồng vốn Chương trình MTQG giảm nghèo bền vững, đạt "
     "63,2%.",
     [("GNBV", "disbursed", None, 76_400_000_000, D("63.2")), ("GNBV", "allocated", None, 120_800_000_000, None)]),
    ("Vốn ngân sách tỉnh đối ứng thực hiện Chương trình MTQG xây dựng nông thôn mới năm 2024 là 4.500 triệu đồng.",
     [("NTM", "allocated", None, 4_500_000_000, None)]),
    ("Ước giải ngân vốn đầu tư công năm 2024 đến hết ngày 31/01/2025 đạt 97,8% kế hoạch.",
     [("PUBLIC_INVESTMENT", "disbursed", None, None, D("97.8"))]),
    ("Huyện đã bố trí 2,6 tỷ đồng từ ngân sách huyện để hỗ trợ xây dựng nhà ở cho hộ nghèo theo Chương trình MTQG "
     "giảm nghèo bền vững.",
     [("GNBV", "allocated", None, 2_600_000_000, None)]),
    ("Tổng kinh phí thực hiện Chương trình MTQG xây dựng nông thôn mới lũy kế đến nay là 356,7 tỷ đồng.",
     [("NTM", "allocated", None, 356_700_000_000, None)]),
    ("Kế hoạch vốn sự nghiệp năm 2024 của Chương trình MTQG giảm nghèo bền vững là 6.235 triệu đồng, giải ngân được "
     "3.118 triệu đồng (đạt 50%).",
     [("GNBV", "allocated", "recurrent", 6_235_000_000, None),
      ("GNBV", "disbursed", "recurrent", 3_118_000_000, D("50"))]),
    ("Vốn đầu tư công năm 2024 đã thanh toán 84,3 tỉ đồng, bằng 61,5% kế hoạch vốn tỉnh giao.",
     [("PUBLIC_INVESTMENT", "disbursed", None, 84_300_000_000, D("61.5"))]),
    ("Đề nghị UBND tỉnh bố trí bổ sung 15 tỷ đồng vốn đầu tư cho các xã phấn đấu đạt chuẩn nông thôn mới năm 2025.",
     [("NTM", "requested", "investment", 15_000_000_000, None)]),
]


@pytest.mark.parametrize(("sentence", "expected"), cases(FUNDING_HELD_OUT))
def test_funding_held_out(sentence, expected) -> None:
    check_funding(sentence, expected)


ROLES_HELD_OUT = [
    ("Tổng thu ngân sách nhà nước trên địa bàn 6 tháng đầu năm ước đạt 98,7 tỷ đồng, bằng 56,4% dự toán tỉnh giao, "
     "bằng 112,3% so với cùng kỳ.", "change_value", D("12.3"), "percent"),
    ("Tổng thu ngân sách nhà nước trên địa bàn 6 tháng đầu năm ước đạt 98,7 tỷ đồng, bằng 56,4% dự toán tỉnh giao, "
     "bằng 112,3% so với cùng kỳ.", "attainment_pct", D("56.4"), None),
    ("Tổng thu ngân sách nhà nước trên địa bàn 6 tháng đầu năm ước đạt 98,7 tỷ đồng, bằng 56,4% dự toán tỉnh giao, "
     "bằng 112,3% so với cùng kỳ.", "actual_value", D("98700000000"), "VND"),
    ("Tỷ lệ đô thị hóa đạt 32,5%, tăng 1,5 điểm phần trăm so với năm 2023.", "change_value", D("1.5"), "percent"),
    ("Sản lượng lúa cả năm ước đạt 48.650 tấn, giảm 1.230 tấn so với năm 2023.", "change_value", D("-1230"), "tonne"),
    ("Tỷ lệ người dân tham gia bảo hiểm xã hội đạt 18,5% lực lượng lao động trong độ tuổi.", "actual_value",
     D("18.5"), "percent"),
    ("Phấn đấu đến hết năm 2025, tỷ lệ hộ nghèo giảm xuống dưới 3%.", "target_value", D("3"), "percent"),
    ("Năm 2025, chỉ tiêu thu ngân sách nhà nước trên địa bàn là 185 tỷ đồng, tăng 10% so với ước thực hiện năm 2024.",
     "target_value", D("185000000000"), "VND"),
    ("Giá trị sản xuất ngành nông nghiệp 9 tháng ước đạt 2.145 tỷ đồng, đạt 73,2% kế hoạch năm.", "attainment_pct",
     D("73.2"), None),
    ("Giá trị sản xuất ngành nông nghiệp 9 tháng ước đạt 2.145 tỷ đồng, đạt 73,2% kế hoạch năm.", "actual_value",
     D("2145000000000"), "VND"),
    ("Tổng mức bán lẻ hàng hóa và doanh thu dịch vụ tiêu dùng ước đạt 5.680 tỷ đồng, tăng 13,6%.", "change_value",
     D("13.6"), "percent"),
    ("Toàn huyện hiện có 16/18 xã đạt chuẩn nông thôn mới, chiếm 88,9%.", "actual_value", D("16"), "commune"),
    ("Có 3.215 hộ được công nhận gia đình văn hóa, đạt 92,4% tổng số hộ.", "actual_value", D("92.4"), "percent"),
    ("Giảm 0,8% tỷ lệ sinh con thứ 3 trở lên so với năm trước.", "change_value", D("-0.8"), "percent"),
    ("Diện tích lúa chất lượng cao đạt 3.800 ha, chiếm 62% diện tích lúa.", "actual_value", D("3800"), "ha"),
    ("Năng suất lúa bình quân cả năm đạt 6,15 tấn/ha, tăng 0,12 tấn/ha so với năm trước.", "change_value", D("0.12"),
     "other"),
    ("Thu ngân sách xã chỉ đạt 72,3% dự toán do nguồn thu từ đất giảm.", "attainment_pct", D("72.3"), None),
    ("Số lao động được tạo việc làm mới là 2.340 người, bằng 106% kế hoạch.", "actual_value", D("2340"), "person"),
    ("Kế hoạch năm 2025: trồng mới 500 ha rừng tập trung.", "target_value", D("500"), "ha"),
]


@pytest.mark.parametrize(("sentence", "column", "value", "unit"), cases(ROLES_HELD_OUT))
def test_role_held_out(sentence, column, value, unit) -> None:
    check_role(sentence, column, value, unit)


WHOLE_HELD_OUT = [
    ("Tổng diện tích gieo trồng cây hằng năm 12.340 ha, đạt 101,2% kế hoạch; sản lượng lương thực có hạt 58.760 tấn, "
     "tăng 2,1% so với năm 2023.",
     [("actual_value", 12340), ("attainment_pct", D("101.2")), ("actual_value", 58760), ("change_value", D("2.1"))]),
    ("Giải quyết việc làm cho 1.650 lao động, trong đó xuất khẩu lao động 210 người; tỷ lệ lao động qua đào tạo đạt "
     "70,5%, vượt 0,5% kế hoạch.",
     [("actual_value", 1650), ("actual_value", 210), ("actual_value", D("70.5")), ("exceed_pct", D("0.5"))]),
    ("Có 9/11 xã đạt chuẩn nông thôn mới, 2 xã đạt chuẩn nông thôn mới nâng cao; thu nhập bình quân đầu người khu vực "
     "nông thôn đạt 52 triệu đồng/người/năm.",
     [("actual_value", 9), ("actual_value", 2), ("actual_value", 52_000_000)]),
]


@pytest.mark.parametrize(("sentence", "expected"), cases(WHOLE_HELD_OUT))
def test_whole_sentence_held_out(sentence, expected) -> None:
    test_whole_sentence_round3(sentence, expected)


SCORECARDS_HELD_OUT = [
    ("Trong 20 chỉ tiêu chủ yếu, ước có 17 chỉ tiêu đạt và vượt kế hoạch, 3 chỉ tiêu chưa đạt.", 17, 20, None),
    ("Kết quả thực hiện: 14/16 chỉ tiêu đạt, vượt; 02 chỉ tiêu không đạt.", 14, 16, None),
    ("Có 8 chỉ tiêu vượt, 10 chỉ tiêu đạt và 1 chỉ tiêu chưa đạt kế hoạch đề ra.", 18, 19, 8),
    ("Đã hoàn thành và hoàn thành vượt mức 23/25 chỉ tiêu Nghị quyết Đại hội.", 23, 25, None),
    ("Ước cả năm có 15/17 chỉ tiêu đạt và vượt (trong đó vượt 7 chỉ tiêu).", 15, 17, 7),
]


@pytest.mark.parametrize(("sentence", "met", "total", "exceeded"), cases(SCORECARDS_HELD_OUT))
def test_scorecard_held_out(sentence, met, total, exceeded) -> None:
    check_scorecard(sentence, met, total, exceeded)


QUANTITIES_HELD_OUT = [
    ("Tổng đàn bò sữa 2,4 nghìn con.", D("2400"), "count", False),
    ("Thu ngân sách đạt 215.678 triệu đồng.", D("215678000000"), "VND", False),
    ("Trồng mới 156,5 ha cây ăn quả.", D("156.5"), "ha", False),
    ("Nâng cấp 8,75km đường trục xã.", D("8.75"), "other", False),
    ("Có 1.056 lượt hộ nghèo được vay vốn.", D("1056"), "household", False),
    ("Năng suất chè đạt 105 tạ/ha.", D("105"), "other", False),
    ("Thu hoạch 2.350 tấn cá.", D("2350"), "tonne", False),
    ("Giá trị sản xuất đạt 3 nghìn tỷ đồng.", D("3000000000000"), "VND", False),
    ("Xuất khẩu đạt 45,6 triệu USD.", D("45600000"), "other", False),
    ("Doanh thu du lịch đạt 120,5 tỷ đ.", D("120500000000"), "VND", False),
]


@pytest.mark.parametrize(("sentence", "value", "unit", "flagged"), cases(QUANTITIES_HELD_OUT))
def test_quantity_held_out(sentence, value, unit, flagged) -> None:
    check_quantity(sentence, value, unit, flagged)


PERIODS_HELD_OUT = [
    ("eleven cumulative months", "Báo cáo tháng 11 năm 2024\n\nNgày 25/11/2024, huyện họp. Lũy kế 11 tháng, thu ngân "
     "sách đạt 172 tỷ đồng.", {"figures": {172 * T: "2024-01-01..2024-11-30"}}),
    ("in the quarter, unnamed", "Báo cáo quý II năm 2025\n\nNgày 25/6/2025, huyện họp. Trong quý, huyện giải ngân "
     "42 tỷ đồng vốn đầu tư công.", {"figures": {42 * T: "2025-04-01..2025-06-30"}}),
    ("in the month, a commune after the reform",
     COMMUNE.format(unit="HƯỚNG HIỆP") + "Quảng Trị, ngày 28 tháng 11 năm 2025\n\nBÁO CÁO\nKết quả thực hiện nhiệm vụ "
     "tháng 11 năm 2025\n\nTrong tháng, xã đã cấp 85 giấy chứng nhận quyền sử dụng đất.",
     {"date": date(2025, 11, 28), "figures": {85: "2025-11-01..2025-11-30"}}),
    ("a cut-off in December", "Báo cáo năm 2024\n\nNgày 18/12/2024, huyện họp. Tính đến ngày 15/12/2024, toàn huyện "
     "có 19/19 xã đạt chuẩn nông thôn mới.", {"figures": {19: "2024-01-01..2024-12-31"}}),
    ("a half-year review and the second half's tasks in the title",
     "Ngày 30 tháng 6 năm 2024\n\nBÁO CÁO Sơ kết công tác 6 tháng đầu năm, phương hướng nhiệm vụ 6 tháng cuối năm "
     "2024\n\nTổng thu ngân sách đạt 66 tỷ đồng.",
     {"period": "2024-01-01..2024-06-30", "figures": {66 * T: "2024-01-01..2024-06-30"}}),
    ("from the first day of the year to a day", "Báo cáo 9 tháng năm 2024\n\nNgày 1/10/2024, huyện họp. Từ ngày "
     "01/01/2024 đến ngày 30/9/2024, toàn huyện đào tạo nghề cho 1.520 lao động.",
     {"figures": {1520: "2024-01-01..2024-09-30"}}),
    ("next year's target in a 2019 report of a district merged in 2020", "Báo cáo năm 2019\n\nNgày 16/12/2019, HĐND "
     "huyện Tây Trà họp. Năm 2020, phấn đấu thu ngân sách đạt 25 tỷ đồng.", {"figures": {25 * T: "2020"}}),
    ("a quarter against the same quarter a year before", "Báo cáo quý III năm 2024\n\nNgày 28/9/2024, huyện họp. Quý "
     "III, giá trị sản xuất công nghiệp đạt 310 tỷ đồng, tăng 7,5% so với quý III năm 2023.",
     {"figures": {310 * T: "2024-07-01..2024-09-30", 7.5: "2024-07-01..2024-09-30"}}),
]


@pytest.mark.parametrize(("text", "want"), named(PERIODS_HELD_OUT))
def test_periods_held_out(text: str, want: dict) -> None:
    _check(text, want)


PLACES_HELD_OUT = [
    ("a district merged in 2020, in its last full year", "UBND huyện Trà Lĩnh tổ chức hội nghị tổng kết năm 2019.",
     date(2019, 12, 20), ("Trà Lĩnh", "Cao Bằng"), "046"),
    ("a district merged in 2019, its committee that year", "Huyện ủy Hoành Bồ tổng kết năm 2019.", date(2019, 12, 25),
     ("Hoành Bồ", "Quảng Ninh"), "204"),
    ("a commune with its province in parentheses", "UBND xã Mường Nhà (tỉnh Điện Biên) tổ chức hội nghị.",
     date(2025, 10, 1), ("xã Mường Nhà", "Điện Biên"), None),
    ("a ward in a province merged in 2025", "Đảng ủy phường Phan Thiết, tỉnh Lâm Đồng tổ chức hội nghị sơ kết.",
     date(2025, 10, 5), ("phường Phan Thiết", "Lâm Đồng"), None),
    ("a special zone of the city", "UBND đặc khu Côn Đảo tổ chức hội nghị.", date(2025, 9, 10),
     ("đặc khu Côn Đảo", "Hồ Chí Minh"), None),
    ("a bare name in a headline", "Mường Tè: Thu ngân sách đạt khá\n\nNăm 2023, thu ngân sách đạt 30 tỷ đồng.",
     date(2023, 12, 20), ("Mường Tè", "Lai Châu"), "107"),
    ("a town formed in 2018", "UBND thị xã Phú Mỹ tổ chức hội nghị tổng kết năm 2022.", date(2022, 12, 20),
     ("Phú Mỹ", "Bà Rịa - Vũng Tàu"), "754"),
    ("a district with its province in parentheses", "UBND huyện Krông Búk (Đắk Lắk) tổng kết năm 2022.",
     date(2022, 12, 20), ("Krông Búk", "Đắk Lắk"), "649"),
]


@pytest.mark.parametrize(("text", "day", "want", "code"), named(PLACES_HELD_OUT))
def test_places_held_out(gaz: Gazetteer, text: str, day: date, want: tuple, code) -> None:
    test_places_round3(gaz, text, day, want, code)


# --- held out, second batch: written after the held-out fixes above, run once before any further change ---
FUNDING_HELD_OUT_B = [
    ("- Vốn đầu tư phát triển: kế hoạch giao 18.250 triệu đồng, lũy kế giải ngân đến 30/11/2024 là 15.120 triệu đồng, "
     "đạt 82,85%.",
     [("PUBLIC_INVESTMENT", "allocated", "investment", 18_250_000_000, None),
      ("PUBLIC_INVESTMENT", "disbursed", "investment", 15_120_000_000, D("82.85"))]),
    ("Dự kiến giải ngân vốn Chương trình MTQG xây dựng nông thôn mới năm 2024 đạt 95%.",
     [("NTM", "planned", None, None, D("95"))]),
    ("Nguồn vốn thực hiện Chương trình MTQG giảm nghèo bền vững năm 2025 được phân bổ 21.456 triệu đồng (vốn NSTW "
     "19.500 triệu đồng, vốn NS tỉnh đối ứng 1.956 triệu đồng).",
     [("GNBV", "allocated", None, 21_456_000_000, None), ("GNBV", "allocated", None, 19_500_000_000, None),
      ("GNBV", "allocated", None, 1_956_000_000, None)]),
    ("Tổng vốn huy động xây dựng nông thôn mới giai đoạn 2021-2025 đạt 1.256 tỷ đồng, trong đó vốn ngân sách nhà nước "
     "856 tỷ đồng, vốn tín dụng 250 tỷ đồng, vốn doanh nghiệp và nhân dân đóng góp 150 tỷ đồng.",
     [("NTM", "spent", None, 1_256_000_000_000, None), ("NTM", "spent", None, 856_000_000_000, None),
      ("NTM", "spent", None, 250_000_000_000, None), ("NTM", "spent", None, 150_000_000_000, None)]),
    ("Đã giải ngân 100% vốn hỗ trợ phát triển sản xuất thuộc Chương trình MTQG giảm nghèo bền vững.",
     [("GNBV", "disbursed", None, None, D("100"))]),
    ("Kiến nghị tỉnh hỗ trợ 30 tỷ đồng để đầu tư các công trình hạ tầng thiết yếu cho xã đạt chuẩn nông thôn mới "
     "nâng cao.",
     [("NTM", "requested", None, 30_000_000_000, None)]),
]


@pytest.mark.parametrize(("sentence", "expected"), cases(FUNDING_HELD_OUT_B))
def test_funding_held_out_b(sentence, expected) -> None:
    check_funding(sentence, expected)


ROLES_HELD_OUT_B = [
    ("Thu ngân sách trên địa bàn ước thực hiện 245 tỷ đồng, đạt 104,3% dự toán tỉnh giao, bằng 95,2% so với năm 2023.",
     "change_value", D("-4.8"), "percent"),
    ("Thu ngân sách trên địa bàn ước thực hiện 245 tỷ đồng, đạt 104,3% dự toán tỉnh giao, bằng 95,2% so với năm 2023.",
     "attainment_pct", D("104.3"), None),
    ("Tỷ lệ hộ nghèo còn 2,35% (giảm 0,95% so với cuối năm 2023).", "change_value", D("-0.95"), "percent"),
    ("Tỷ lệ xã đạt chuẩn quốc gia về y tế đạt 100%.", "actual_value", D("100"), "percent"),
    ("Chỉ tiêu giao năm 2025 về tuyển quân là 150 công dân.", "target_value", D("150"), "person"),
    ("Tốc độ tăng trưởng giá trị sản xuất bình quân 3 năm (2021-2023) đạt 9,2%/năm.", "actual_value", D("9.2"),
     "percent"),
    # a multiple against an earlier year is a change, as the gold's "tăng 1,3 lần so với năm 2015"
    ("Giá trị sản xuất công nghiệp tăng gấp 1,8 lần so với năm 2020.", "change_value", D("1.8"), "other"),
    ("Năm 2025 phấn đấu thu hút 5 dự án đầu tư với tổng vốn đăng ký khoảng 800 tỷ đồng.", "target_value", D("5"),
     "count"),
    ("Năm 2025 phấn đấu thu hút 5 dự án đầu tư với tổng vốn đăng ký khoảng 800 tỷ đồng.", "target_value",
     D("800000000000"), "VND"),
    ("Tỷ lệ giải quyết hồ sơ đúng hạn đạt 98,6%, cao hơn 1,2% so với cùng kỳ.", "change_value", D("1.2"), "percent"),
    ("Số hộ cận nghèo giảm 156 hộ, còn 2.045 hộ.", "actual_value", D("2045"), "household"),
]


@pytest.mark.parametrize(("sentence", "column", "value", "unit"), cases(ROLES_HELD_OUT_B))
def test_role_held_out_b(sentence, column, value, unit) -> None:
    check_role(sentence, column, value, unit)


SCORECARDS_HELD_OUT_B = [
    ("Trong 30 chỉ tiêu Nghị quyết Đại hội, đến nay có 22 chỉ tiêu đã đạt và vượt, 5 chỉ tiêu có khả năng đạt, 3 chỉ "
     "tiêu khó đạt.", 22, 30, None),
    ("Về kết quả thực hiện các chỉ tiêu: có 16/19 chỉ tiêu đạt và vượt kế hoạch; 03 chỉ tiêu chưa đạt.", 16, 19, None),
    ("Đánh giá chung, 12/13 chỉ tiêu đạt và vượt kế hoạch năm 2024.", 12, 13, None),
]


@pytest.mark.parametrize(("sentence", "met", "total", "exceeded"), cases(SCORECARDS_HELD_OUT_B))
def test_scorecard_held_out_b(sentence, met, total, exceeded) -> None:
    check_scorecard(sentence, met, total, exceeded)


QUANTITIES_HELD_OUT_B = [
    ("Tổng diện tích rừng trồng mới 1.245,6 ha.", D("1245.6"), "ha", False),
    ("Sản lượng sữa tươi đạt 12,8 nghìn tấn.", D("12800"), "tonne", False),
    ("Có 235 nghìn lượt khách đến tham quan.", D("235000"), "other", False),
    ("Thu nhập bình quân 68,5 tr.đ/người/năm.", D("68500000"), "VND", False),
    ("Xây dựng 1.250 m kênh mương.", D("1250"), "other", False),
    ("Hỗ trợ 12.500 con gà giống.", D("12500"), "count", False),
    ("Thu ngân sách đạt 2 tỷ 150 triệu đồng.", D("2150000000"), "VND", False),
]


@pytest.mark.parametrize(("sentence", "value", "unit", "flagged"), cases(QUANTITIES_HELD_OUT_B))
def test_quantity_held_out_b(sentence, value, unit, flagged) -> None:
    check_quantity(sentence, value, unit, flagged)


PERIODS_HELD_OUT_B = [
    ("a month and its months in one sentence", "Báo cáo tháng 8 năm 2024\n\nNgày 22/8/2024, huyện họp. Tháng 8/2024, "
     "thu ngân sách đạt 14 tỷ đồng; lũy kế 8 tháng đạt 101 tỷ đồng.",
     {"figures": {14 * T: "2024-08-01..2024-08-31", 101 * T: "2024-01-01..2024-08-31"}}),
    ("an estimate to the year's last day", "Báo cáo năm 2024\n\nNgày 12/12/2024, huyện họp. Ước đến ngày 31/12/2024, "
     "giải ngân vốn đầu tư công đạt 235 tỷ đồng.", {"figures": {235 * T: "2024-01-01..2024-12-31"}}),
    ("a quarter with a slash after trong", "Báo cáo quý I năm 2024\n\nNgày 20/3/2024, huyện họp. Trong quý I/2024, "
     "toàn huyện có 12 doanh nghiệp thành lập mới.", {"figures": {12: "2024-01-01..2024-03-31"}}),
    ("a target over the phase", "Báo cáo năm 2021\n\nNgày 14/12/2021, huyện họp. Giai đoạn 2021-2025, phấn đấu xây "
     "dựng mới 200 km đường giao thông nông thôn.", {"figures": {200: "2021..2025"}}),
]


@pytest.mark.parametrize(("text", "want"), named(PERIODS_HELD_OUT_B))
def test_periods_held_out_b(text: str, want: dict) -> None:
    _check(text, want)


PLACES_HELD_OUT_B = [
    ("an urban district merged in 2021, in its time", "UBND quận Thủ Đức tổ chức hội nghị tổng kết năm 2019.",
     date(2019, 12, 20), ("Thủ Đức", "Hồ Chí Minh"), "762"),
    ("a district merged in 2020 with its province in parentheses", "Huyện ủy Tây Trà (Quảng Ngãi) tổng kết năm 2019.",
     date(2019, 12, 20), ("Tây Trà", "Quảng Ngãi"), "526"),
    ("a ward of a municipality after the reform", "UBND phường Vị Thanh, thành phố Cần Thơ tổ chức hội nghị.",
     date(2025, 10, 8), ("phường Vị Thanh", "Cần Thơ"), None),
    ("an island special zone's party committee", "Đảng ủy đặc khu Lý Sơn tổ chức hội nghị sơ kết 9 tháng năm 2025.",
     date(2025, 10, 3), ("đặc khu Lý Sơn", "Quảng Ngãi"), None),
    ("a district merged in 2025, named without huyện ủy", "Huyện Nông Sơn tổng kết năm 2023.", date(2023, 12, 20),
     ("Nông Sơn", "Quảng Nam"), "519"),
]


@pytest.mark.parametrize(("text", "day", "want", "code"), named(PLACES_HELD_OUT_B))
def test_places_held_out_b(gaz: Gazetteer, text: str, day: date, want: tuple, code) -> None:
    test_places_round3(gaz, text, day, want, code)


# --- what the widening must not read: guards for the rules it added ------------------------------------
def test_counts_of_indicators_all_met_without_a_total_are_no_scorecard() -> None:
    found = figures("Nhóm chỉ tiêu kinh tế có 5 chỉ tiêu đạt, nhóm chỉ tiêu văn hóa - xã hội có 7 chỉ tiêu đạt.")
    assert [f for f in found if f.kind == "scorecard"] == []


def test_a_plan_noun_that_opens_a_topic_makes_no_target() -> None:
    found = figures("Về chỉ tiêu tỉnh giao, có 7 chỉ tiêu đạt và vượt kế hoạch.")
    assert [f.target_value for f in found if f.target_value is not None] == []


def test_a_day_a_law_takes_effect_is_no_period_of_a_figure() -> None:
    assert figures("Từ ngày 01/7/2025, Luật Đất đai sửa đổi có hiệu lực thi hành.") == []


def test_a_plan_noun_compared_against_keeps_its_ratio_an_actual() -> None:
    found = figures("Tổng thu ngân sách đạt 61,6% kế hoạch tỉnh giao (792,9 tỷ/1.287,4 tỷ đồng).")
    assert [f.actual_value for f in found if f.actual_value is not None] == [792_900_000_000]


def test_a_share_against_a_plan_stated_before_stays_an_attainment() -> None:
    found = figures("Kế hoạch giao 1.200 ha, thực hiện 1.250 ha, đạt 104,2%.")
    assert [f.attainment_pct for f in found if f.attainment_pct is not None] == [Decimal("104.2")]


# --- held out, third batch: written after the round's commit, run once before any further change ----------
FUNDING_HELD_OUT_C = [
    ("Tổng vốn đầu tư công năm 2025 huyện quản lý là 312,5 tỷ đồng, gồm: vốn ngân sách tỉnh phân cấp 180 tỷ đồng, "
     "vốn ngân sách huyện 132,5 tỷ đồng.",
     [("PUBLIC_INVESTMENT", "allocated", None, 312_500_000_000, None),
      ("PUBLIC_INVESTMENT", "allocated", None, 180_000_000_000, None),
      ("PUBLIC_INVESTMENT", "allocated", None, 132_500_000_000, None)]),
    ("Lũy kế từ đầu năm đến nay, giải ngân được 45,7% kế hoạch vốn đầu tư công.",
     [("PUBLIC_INVESTMENT", "disbursed", None, None, D("45.7"))]),
    ("Chương trình MTQG giảm nghèo bền vững: Kế hoạch 12.450 triệu đồng; Giải ngân 9.870 triệu đồng; Tỷ lệ 79,3%.",
     [("GNBV", "allocated", None, 12_450_000_000, None), ("GNBV", "disbursed", None, 9_870_000_000, D("79.3"))]),
    ("Năm 2024, nguồn vốn lồng ghép thực hiện Chương trình MTQG xây dựng nông thôn mới là 8,9 tỷ đồng.",
     [("NTM", "allocated", None, 8_900_000_000, None)]),
    ("Huyện đã hoàn thành giải ngân 100% kế hoạch vốn đầu tư công năm 2024 được giao.",
     [("PUBLIC_INVESTMENT", "disbursed", None, None, D("100"))]),
]


@pytest.mark.parametrize(("sentence", "expected"), cases(FUNDING_HELD_OUT_C))
def test_funding_held_out_c(sentence, expected) -> None:
    check_funding(sentence, expected)


ROLES_HELD_OUT_C = [
    ("Thu ngân sách Nhà nước trên địa bàn đạt 48,5 tỷ đồng, đạt 121,3% dự toán HĐND xã giao.", "attainment_pct",
     D("121.3"), None),
    ("Tỷ lệ trường học đạt chuẩn quốc gia 83,3%, tăng 5,5% so với năm học trước.", "change_value", D("5.5"), "percent"),
    ("Số người có việc làm tăng thêm 1.200 người so với năm 2023.", "change_value", D("1200"), "person"),
    ("Đến năm 2030, phấn đấu tỷ lệ đô thị hóa đạt 40%.", "target_value", D("40"), "percent"),
    ("Tỷ lệ hộ nghèo giảm từ 6,8% đầu năm xuống còn 5,1% cuối năm.", "actual_value", D("5.1"), "percent"),
    ("Diện tích gieo trồng giảm 2,3% so với cùng kỳ do chuyển đổi mục đích sử dụng đất.", "change_value", D("-2.3"),
     "percent"),
    ("Dân số trung bình 125.450 người, tỷ lệ tăng dân số tự nhiên 0,95%.", "actual_value", D("125450"), "person"),
    ("Giá trị sản xuất trên một héc-ta đất nông nghiệp đạt 135 triệu đồng.", "actual_value", D("135000000"), "VND"),
]


@pytest.mark.parametrize(("sentence", "column", "value", "unit"), cases(ROLES_HELD_OUT_C))
def test_role_held_out_c(sentence, column, value, unit) -> None:
    check_role(sentence, column, value, unit)


SCORECARDS_HELD_OUT_C = [
    ("Có 21/24 chỉ tiêu đạt và vượt, 3 chỉ tiêu chưa đạt (tỷ lệ lao động qua đào tạo, thu ngân sách, tỷ lệ che phủ "
     "rừng).", 21, 24, None),
    ("Năm 2024 có 11/11 chỉ tiêu hoàn thành và hoàn thành vượt mức kế hoạch.", 11, 11, None),
    ("Trong số 18 chỉ tiêu chủ yếu có 15 chỉ tiêu đạt và vượt.", 15, 18, None),
]


@pytest.mark.parametrize(("sentence", "met", "total", "exceeded"), cases(SCORECARDS_HELD_OUT_C))
def test_scorecard_held_out_c(sentence, met, total, exceeded) -> None:
    check_scorecard(sentence, met, total, exceeded)


QUANTITIES_HELD_OUT_C = [
    ("Tổng đàn gia súc, gia cầm 1,35 triệu con.", D("1350000"), "count", False),
    ("Thu ngân sách đạt 1.105,8 tỷ đồng.", D("1105800000000"), "VND", False),
    ("Sản lượng thịt hơi xuất chuồng 21,5 nghìn tấn.", D("21500"), "tonne", False),
    ("Khai thác 45.000 m3 gỗ rừng trồng.", D("45000"), "other", False),
    ("Hỗ trợ 850 triệu đồng cho 17 hộ.", D("850000000"), "VND", False),
]


@pytest.mark.parametrize(("sentence", "value", "unit", "flagged"), cases(QUANTITIES_HELD_OUT_C))
def test_quantity_held_out_c(sentence, value, unit, flagged) -> None:
    check_quantity(sentence, value, unit, flagged)


PERIODS_HELD_OUT_C = [
    ("an estimate to the end of the half", "Báo cáo 6 tháng đầu năm 2025\n\nNgày 20/6/2025, huyện họp. Ước đến "
     "30/6/2025, tổng thu ngân sách đạt 75 tỷ đồng.", {"figures": {75 * T: "2025-01-01..2025-06-30"}}),
    ("in the year named", "Báo cáo năm 2024\n\nNgày 16/12/2024, huyện họp. Trong năm 2024, toàn huyện có thêm 3 xã "
     "đạt chuẩn nông thôn mới nâng cao.", {"figures": {3: "2024"}}),
    ("the fourth quarter", "Báo cáo quý IV năm 2024\n\nNgày 20/12/2024, huyện họp. Quý IV, thu ngân sách đạt 58 tỷ "
     "đồng.", {"figures": {58 * T: "2024-10-01..2024-12-31"}}),
]


@pytest.mark.parametrize(("text", "want"), named(PERIODS_HELD_OUT_C))
def test_periods_held_out_c(text: str, want: dict) -> None:
    _check(text, want)


PLACES_HELD_OUT_C = [
    ("a district renamed in 2020, in its time", "UBND huyện Quảng Uyên tổ chức hội nghị tổng kết năm 2019.",
     date(2019, 12, 20), ("Quảng Uyên", "Cao Bằng"), "049"),
    ("a town named after its province", "UBND thị xã Quảng Trị tổ chức hội nghị tổng kết năm 2023.",
     date(2023, 12, 20), ("Quảng Trị", "Quảng Trị"), None),
    ("a commune many provinces share, its new province in parentheses", "UBND xã Tân An (Đồng Nai) tổ chức hội nghị.",
     date(2025, 10, 6), ("xã Tân An", "Đồng Nai"), None),
]


@pytest.mark.parametrize(("text", "day", "want", "code"), named(PLACES_HELD_OUT_C))
def test_places_held_out_c(gaz: Gazetteer, text: str, day: date, want: tuple, code) -> None:
    test_places_round3(gaz, text, day, want, code)
