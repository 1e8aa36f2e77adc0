"""Generalisation: the quantity, funding and role layers on variants a clerk of another district
would write - synonyms (thanh toán for giải ngân, phân khai for phân bổ, cao hơn for tăng), word
orders (the yardstick or the programme before or after the number), abbreviations (CTMTQG, NTM,
GNBV, DTTS&MN, XDCB, NSTW, KH, CK), spellings (hoá/hóa, tỉ/tỷ), list formats and number formats.

None of these sentences comes from the evaluation reports: each is written here, in the reports'
style, with its expected values by the annotation conventions (../shared/eval/README.md). A case
the layers still miss is a strict xfail with its reason, so a fix shows up and a regression cannot.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.sources._sentences import cases, check_funding, check_quantity, check_role, check_scorecard, figures

D = Decimal


# --- funding: programme, measure, capital source, amount, rate --------------------------------------
# sentence, [(programme, measure, capital or None (not checked), amount, rate), ...]: every funding
# figure of the sentence, in any order.
FUNDING = [
    # the programme as the sentence's topic, abbreviated
    ("Năm 2023, tổng vốn CTMTQG xây dựng NTM phân bổ cho huyện là 35,6 tỷ đồng.",
     [("NTM", "allocated", None, 35_600_000_000, None)]),
    ("Vốn CTMTQG XD NTM năm 2023 được giao 10 tỷ đồng.",
     [("NTM", "allocated", None, 10_000_000_000, None)]),
    ("Vốn Chương trình MTQG GNBV đã giải ngân 3,5 tỷ đồng.",
     [("GNBV", "disbursed", None, 3_500_000_000, None)]),
    ("Vốn NSTW hỗ trợ thực hiện Chương trình MTQG phát triển KT-XH vùng DTTS&MN năm 2023 là 48.215 triệu đồng.",
     [("DTTS_MN", "allocated", None, 48_215_000_000, None)]),
    ("Chương trình MTQG DTTS&MN: đã giải ngân 23,1 tỷ đồng/35 tỷ đồng, đạt 66%.",
     [("DTTS_MN", "disbursed", None, 23_100_000_000, D("66")), ("DTTS_MN", "allocated", None, 35_000_000_000, None)]),
    # the programme after the amount, after the verb
    ("Giải ngân 5,5 tỷ đồng cho Chương trình MTQG giảm nghèo bền vững.",
     [("GNBV", "disbursed", None, 5_500_000_000, None)]),
    ("UBND tỉnh giao cho huyện 15 tỷ đồng vốn đầu tư phát triển thực hiện Chương trình MTQG xây dựng nông thôn mới.",
     [("NTM", "allocated", "investment", 15_000_000_000, None)]),
    ("Năm 2024, huyện được bố trí 6,5 tỉ đồng vốn CTMTQG giảm nghèo bền vững.",
     [("GNBV", "allocated", None, 6_500_000_000, None)]),
    ("Huyện được phân khai 9,8 tỷ đồng vốn sự nghiệp thuộc CTMTQG giảm nghèo bền vững.",
     [("GNBV", "allocated", "recurrent", 9_800_000_000, None)]),
    # topic phrases: "Đối với ...", "Về ..."
    ("Đối với Chương trình MTQG giảm nghèo bền vững, tổng vốn được giao năm 2023 là 15,6 tỷ đồng, đã giải ngân "
     "9,2 tỷ đồng.",
     [("GNBV", "allocated", None, 15_600_000_000, None), ("GNBV", "disbursed", None, 9_200_000_000, None)]),
    ("Về giải ngân, vốn Chương trình MTQG xây dựng nông thôn mới giải ngân được 19,4 tỷ đồng, đạt 88,2% kế hoạch.",
     [("NTM", "disbursed", None, 19_400_000_000, D("88.2"))]),
    # synonyms of disbursement: thanh toán
    ("Đã thanh toán 8,2 tỷ đồng vốn Chương trình MTQG xây dựng nông thôn mới, đạt 61% kế hoạch vốn.",
     [("NTM", "disbursed", None, 8_200_000_000, D("61"))]),
    ("Thanh toán vốn đầu tư xây dựng cơ bản đến nay được 86,4 tỷ đồng.",
     [("PUBLIC_INVESTMENT", "disbursed", "investment", 86_400_000_000, None)]),
    ("Tỷ lệ thanh toán vốn đầu tư công đến ngày 31/8 đạt 58,3%.",
     [("PUBLIC_INVESTMENT", "disbursed", None, None, D("58.3"))]),
    # a disbursement rate without an amount, its yardstick before or after
    ("Giải ngân vốn đầu tư công năm 2023 ước đạt 95,2% kế hoạch.",
     [("PUBLIC_INVESTMENT", "disbursed", None, None, D("95.2"))]),
    ("Tỷ lệ giải ngân vốn đầu tư công đến 31/8 đạt 67,8%.",
     [("PUBLIC_INVESTMENT", "disbursed", None, None, D("67.8"))]),
    ("Vốn XDCB tập trung giải ngân đạt 72,5%.",
     [("PUBLIC_INVESTMENT", "disbursed", None, None, D("72.5"))]),
    # a plan's rate
    ("Phấn đấu tỷ lệ giải ngân vốn đầu tư công năm 2024 đạt trên 95%.",
     [("PUBLIC_INVESTMENT", "planned", None, None, D("95"))]),
    ("Phấn đấu giải ngân 100% kế hoạch vốn Chương trình MTQG xây dựng nông thôn mới trước ngày 31/12.",
     [("NTM", "planned", None, None, D("100"))]),
    # requests
    ("Huyện đề nghị tỉnh bổ sung 25 tỷ đồng để thực hiện Chương trình MTQG xây dựng nông thôn mới.",
     [("NTM", "requested", None, 25_000_000_000, None)]),
    ("Kiến nghị Trung ương sớm phân bổ 18 tỷ đồng vốn sự nghiệp CTMTQG giảm nghèo bền vững.",
     [("GNBV", "requested", "recurrent", 18_000_000_000, None)]),
    # what people put in, mobilised for a programme
    ("Nhân dân đóng góp 3,2 tỷ đồng, hiến 12.000 m2 đất để xây dựng nông thôn mới.",
     [("NTM", "spent", None, 3_200_000_000, None)]),
    ("Vốn xã hội hoá huy động được 2,1 tỷ đồng để xây dựng nông thôn mới.",
     [("NTM", "spent", None, 2_100_000_000, None)]),
    # a total and its components, inline or in parentheses
    ("Tổng vốn thực hiện Chương trình MTQG giảm nghèo bền vững năm 2023 là 22,4 tỷ đồng (vốn đầu tư 14,1 tỷ đồng, "
     "vốn sự nghiệp 8,3 tỷ đồng).",
     [("GNBV", "allocated", None, 22_400_000_000, None), ("GNBV", "allocated", "investment", 14_100_000_000, None),
      ("GNBV", "allocated", "recurrent", 8_300_000_000, None)]),
    ("Nguồn vốn huy động xây dựng NTM năm 2022 là 156 tỷ đồng, trong đó: ngân sách trung ương 40 tỷ đồng, ngân "
     "sách tỉnh 30 tỷ đồng, vốn lồng ghép 50 tỷ đồng, nhân dân đóng góp 36 tỷ đồng.",
     [("NTM", "spent", None, 156_000_000_000, None), ("NTM", "spent", None, 40_000_000_000, None),
      ("NTM", "spent", None, 30_000_000_000, None), ("NTM", "spent", None, 50_000_000_000, None),
      ("NTM", "spent", None, 36_000_000_000, None)]),
    # the plan stated first, then what was paid out of it
    ("Tổng kế hoạch vốn đầu tư công giao năm 2023: 120,5 tỷ đồng; đã giải ngân 60,3 tỷ đồng, đạt 50,04%.",
     [("PUBLIC_INVESTMENT", "allocated", None, 120_500_000_000, None),
      ("PUBLIC_INVESTMENT", "disbursed", None, 60_300_000_000, D("50.04"))]),
    ("Vốn đầu tư công giải ngân đến ngày 15/8/2023: 10.250 triệu đồng, đạt 45% KH.",
     [("PUBLIC_INVESTMENT", "disbursed", None, 10_250_000_000, D("45"))]),
    # a rate put as "bằng", "tỷ lệ", in parentheses
    ("Chương trình MTQG xây dựng nông thôn mới đã giải ngân 12,6 tỷ đồng, bằng 70,1% kế hoạch vốn.",
     [("NTM", "disbursed", None, 12_600_000_000, D("70.1"))]),
    ("Vốn sự nghiệp Chương trình MTQG giảm nghèo bền vững giải ngân 4,3 tỷ đồng (tỷ lệ 52,4%).",
     [("GNBV", "disbursed", "recurrent", 4_300_000_000, D("52.4"))]),
    # a per-unit norm
    ("Mỗi xã đạt chuẩn nông thôn mới được thưởng 1 tỷ đồng để đầu tư công trình phúc lợi.",
     [("NTM", "allocated", None, 1_000_000_000, None)]),
    # a programme under a numbered heading, lettered items below it
    ("1. Chương trình MTQG giảm nghèo bền vững\na) Vốn đầu tư phát triển: 12.300 triệu đồng, giải ngân 8.100 "
     "triệu đồng, đạt 65,9%.\nb) Vốn sự nghiệp: 5.400 triệu đồng, giải ngân 2.000 triệu đồng, đạt 37%.",
     [("GNBV", "allocated", "investment", 12_300_000_000, None),
      ("GNBV", "disbursed", "investment", 8_100_000_000, D("65.9")),
      ("GNBV", "allocated", "recurrent", 5_400_000_000, None),
      ("GNBV", "disbursed", "recurrent", 2_000_000_000, D("37"))]),
    # a bulleted list under a programme heading closed by a colon
    ("Chương trình MTQG phát triển kinh tế - xã hội vùng đồng bào DTTS và miền núi:\n- Kế hoạch vốn giao: "
     "30,2 tỷ đồng;\n- Đã giải ngân: 18,7 tỷ đồng.",
     [("DTTS_MN", "allocated", None, 30_200_000_000, None), ("DTTS_MN", "disbursed", None, 18_700_000_000, None)]),
    # a project: its own total
    ("Hỗ trợ xây dựng 45 căn nhà cho hộ nghèo với kinh phí 2,25 tỷ đồng từ Chương trình MTQG giảm nghèo bền vững.",
     [("GNBV", "allocated", None, 2_250_000_000, None)]),
    # spent, executed works
    ("Giá trị khối lượng thực hiện các công trình XDCB ước đạt 45,8 tỷ đồng.",
     [("PUBLIC_INVESTMENT", "spent", None, 45_800_000_000, None)]),
    # future and planned
    ("Năm 2024, huyện sẽ bố trí 20 tỷ đồng cho Chương trình MTQG xây dựng nông thôn mới.",
     [("NTM", "planned", None, 20_000_000_000, None)]),
    ("Dự kiến phân bổ 7,5 tỷ đồng vốn sự nghiệp Chương trình MTQG giảm nghèo bền vững năm 2024.",
     [("GNBV", "planned", "recurrent", 7_500_000_000, None)]),
    # more orders and forms: the plan as "kế hoạch vốn", a ratio of amounts, a headline restated in the body
    ("Kế hoạch vốn năm 2023 giao 45 tỷ đồng, giải ngân đến 31/8 được 20 tỷ đồng, đạt 44,4%.",
     [("PUBLIC_INVESTMENT", "allocated", None, 45_000_000_000, None),
      ("PUBLIC_INVESTMENT", "disbursed", None, 20_000_000_000, D("44.4"))]),
    ("Đến 31/8/2023 giải ngân được 56,7 tỷ/112 tỷ đồng vốn đầu tư công.",
     [("PUBLIC_INVESTMENT", "disbursed", None, 56_700_000_000, None),
      ("PUBLIC_INVESTMENT", "allocated", None, 112_000_000_000, None)]),
    ("Chương trình MTQG xây dựng nông thôn mới: giải ngân vốn sự nghiệp đạt 35%, vốn đầu tư đạt 72%.",
     [("NTM", "disbursed", None, None, D("35")), ("NTM", "disbursed", None, None, D("72"))]),
    ("Tổng kinh phí thực hiện công tác giảm nghèo năm 2023 là 35,2 tỷ đồng.",
     [("GNBV", "allocated", None, 35_200_000_000, None)]),
    ("Năm 2023, vốn Chương trình 1719 được phân bổ 26,4 tỷ đồng.",
     [("DTTS_MN", "allocated", None, 26_400_000_000, None)]),
    ("Nguồn vốn xây dựng NTM năm 2023: ngân sách tỉnh 5 tỷ đồng, ngân sách huyện 3 tỷ đồng.",
     [("NTM", "allocated", None, 5_000_000_000, None), ("NTM", "allocated", None, 3_000_000_000, None)]),
    ("Hỗ trợ làm nhà cho hộ nghèo mức 40 triệu đồng/căn.",
     [("OTHER", "allocated", None, 40_000_000, None)]),
    ("Huyện giải ngân hơn 80% vốn đầu tư công\nĐến hết tháng 8, huyện đã giải ngân 45,6 tỷ đồng vốn đầu tư công, "
     "đạt 80,2% kế hoạch vốn.",
     [("PUBLIC_INVESTMENT", "disbursed", None, 45_600_000_000, D("80.2"))]),
    # round 2: programmes named together, abbreviated capital sources, ratios, counterpart funds
    ("Tỷ lệ giải ngân chung của 03 Chương trình MTQG đạt 55,2%.",
     [("OTHER", "disbursed", None, None, D("55.2"))]),
    ("Trong năm, huyện đã giải ngân 25,5 tỷ đồng vốn các Chương trình MTQG, đạt 60%.",
     [("OTHER", "disbursed", None, 25_500_000_000, D("60"))]),
    ("Năm 2023, nguồn vốn CTMTQG giảm nghèo bền vững giao 12,3 tỷ đồng, trong đó vốn ĐTPT 8 tỷ đồng, vốn sự "
     "nghiệp 4,3 tỷ đồng.",
     [("GNBV", "allocated", None, 12_300_000_000, None), ("GNBV", "allocated", "investment", 8_000_000_000, None),
      ("GNBV", "allocated", "recurrent", 4_300_000_000, None)]),
    ("Kinh phí sự nghiệp thực hiện CT MTQG NTM: 3,6 tỷ đồng.",
     [("NTM", "allocated", "recurrent", 3_600_000_000, None)]),
    ("Chương trình MTQG giảm nghèo bền vững: đã giải ngân 3.250/5.000 triệu đồng, đạt 65%.",
     [("GNBV", "disbursed", None, 3_250_000_000, D("65")), ("GNBV", "allocated", None, 5_000_000_000, None)]),
    ("Huyện được Trung ương, tỉnh hỗ trợ trên 45 tỷ đồng để xây dựng NTM.",
     [("NTM", "allocated", None, 45_000_000_000, None)]),
    ("Huy động nguồn lực xây dựng nông thôn mới được 250 tỷ đồng.",
     [("NTM", "spent", None, 250_000_000_000, None)]),
    ("Giải ngân vốn sự nghiệp CTMTQG giảm nghèo bền vững mới đạt 25,3%, thấp so với kế hoạch.",
     [("GNBV", "disbursed", None, None, D("25.3"))]),
    ("Mức hỗ trợ 500.000đ/người/tháng từ nguồn Chương trình MTQG giảm nghèo bền vững.",
     [("GNBV", "allocated", None, 500_000, None)]),
    # round 3: tables flattened to tabs and pipes, a bare rate in parentheses, a list's lead naming the measure
    ("- Vốn đầu tư phát triển:\t20.500 triệu đồng;\tgiải ngân 15.200 triệu đồng (74,1%).",
     [("PUBLIC_INVESTMENT", "allocated", "investment", 20_500_000_000, None),
      ("PUBLIC_INVESTMENT", "disbursed", "investment", 15_200_000_000, D("74.1"))]),
    ("| Chương trình MTQG giảm nghèo bền vững | 12,5 tỷ đồng | giải ngân 8,1 tỷ đồng | 64,8% |",
     [("GNBV", "allocated", None, 12_500_000_000, None), ("GNBV", "disbursed", None, 8_100_000_000, D("64.8"))]),
    ("Chương trình MTQG xây dựng nông thôn mới, kết quả giải ngân đến 31/8/2023: vốn đầu tư 12,5/20 tỷ đồng "
     "(62,5%); vốn sự nghiệp 3/6 tỷ đồng (50%).",
     [("NTM", "disbursed", "investment", 12_500_000_000, D("62.5")),
      ("NTM", "allocated", "investment", 20_000_000_000, None),
      ("NTM", "disbursed", "recurrent", 3_000_000_000, D("50")),
      ("NTM", "allocated", "recurrent", 6_000_000_000, None)]),
    ("Về Chương trình MTQG xây dựng nông thôn mới: Tổng vốn được phân bổ 28,6 tỷ đồng; giải ngân 20,1 tỷ đồng, "
     "đạt 70,3%.",
     [("NTM", "allocated", None, 28_600_000_000, None), ("NTM", "disbursed", None, 20_100_000_000, D("70.3"))]),
    # a negated disbursement states no disbursement
    ("Huyện chưa giải ngân được 4,5 tỷ đồng vốn Chương trình MTQG xây dựng nông thôn mới.", []),
]


@pytest.mark.parametrize(("sentence", "expected"), cases(FUNDING))
def test_funding_variant(sentence, expected) -> None:
    check_funding(sentence, expected)



# --- indicator roles: actual, target, attainment, exceed, change ------------------------------------
# sentence, column, value, unit
ROLES = [
    # attainment: đạt/bằng/hoàn thành X% of KH, dự toán, nghị quyết, chỉ tiêu
    ("Tổng thu ngân sách trên địa bàn ước đạt 412,5 tỷ đồng, bằng 108,3% dự toán tỉnh giao.",
     "attainment_pct", D("108.3"), "VND"),
    ("Thu NSNN trên địa bàn đạt 85,6 tỷ đồng, đạt 112% KH, tăng 15,2% so CK.", "attainment_pct", D("112"), "VND"),
    ("Thu NSNN trên địa bàn đạt 85,6 tỷ đồng, đạt 112% KH, tăng 15,2% so CK.", "change_value", D("15.2"), "percent"),
    ("Thu ngân sách xã đạt 120% dự toán HĐND xã giao.", "attainment_pct", D("120"), "percent"),
    ("Sản lượng lương thực đạt 105% so với KH.", "attainment_pct", D("105"), "percent"),
    ("Tổng diện tích gieo trồng cả năm 18.560 ha, bằng 101,2% so với kế hoạch.", "attainment_pct", D("101.2"), "ha"),
    ("Giá trị sản xuất công nghiệp - TTCN ước thực hiện được 1.320 tỷ đồng, đạt 102,5% kế hoạch năm.",
     "attainment_pct", D("102.5"), "VND"),
    ("Giá trị sản xuất công nghiệp - TTCN ước thực hiện được 1.320 tỷ đồng, đạt 102,5% kế hoạch năm.",
     "actual_value", D("1320000000000"), "VND"),
    ("Công tác tuyển quân hoàn thành 100% chỉ tiêu trên giao.", "attainment_pct", D("100"), "percent"),
    # exceed: vượt X% (so với) KH / chỉ tiêu / mục tiêu; cao hơn kế hoạch
    ("Tỷ lệ che phủ rừng đạt 56,2%, vượt 0,2% chỉ tiêu nghị quyết.", "exceed_pct", D("0.2"), "percent"),
    ("Tốc độ tăng trưởng kinh tế đạt 8,2%, vượt 0,7% so với mục tiêu.", "exceed_pct", D("0.7"), "percent"),
    ("Thu ngân sách vượt dự toán 12,5%.", "exceed_pct", D("12.5"), "percent"),
    ("Thu ngân sách trên địa bàn cao hơn 7,3% so với dự toán.", "exceed_pct", D("7.3"), "percent"),
    # change: tăng/giảm, cao hơn/thấp hơn, bằng X% so cùng kỳ; the yardstick spelled many ways
    ("Giá trị sản xuất nông nghiệp tăng 4,8% so với năm trước.", "change_value", D("4.8"), "percent"),
    ("Tổng mức bán lẻ hàng hóa đạt 2.150 tỷ đồng, cao hơn 9,5% so với cùng kỳ.", "change_value", D("9.5"),
     "percent"),
    ("Sản lượng lúa đạt 52.300 tấn, thấp hơn 2,1% so với năm 2022.", "change_value", D("-2.1"), "percent"),
    ("Đàn lợn hiện có 45.200 con, giảm 6,3% so với cùng kỳ năm trước.", "change_value", D("-6.3"), "percent"),
    ("Đàn lợn hiện có 45.200 con, giảm 6,3% so với cùng kỳ năm trước.", "actual_value", D("45200"), "count"),
    ("So với cùng kỳ năm 2022, tổng thu ngân sách tăng 18,5%.", "change_value", D("18.5"), "percent"),
    ("Tổng vốn đầu tư toàn xã hội đạt 3.456 tỷ đồng, tăng 12% so với CK.", "change_value", D("12"), "percent"),
    ("Thu nhập bình quân đầu người ước đạt 48,5 triệu đồng/người/năm, tăng 3,5 triệu đồng so với năm 2022.",
     "change_value", D("3500000"), "VND"),
    ("Sản lượng thủy sản bằng 96,5% so với cùng kỳ.", "change_value", D("-3.5"), "percent"),
    ("Tỷ lệ tham gia bảo hiểm y tế đạt 92,5%, tăng 1,2 điểm phần trăm so với năm trước.", "change_value", D("1.2"),
     "percent"),
    ("Số doanh nghiệp thành lập mới tăng 15 doanh nghiệp so với năm 2022.", "change_value", D("15"), "count"),
    # a reduction that is itself the indicator stays positive; against an earlier period it is a change
    ("Tỷ lệ hộ nghèo đến cuối năm 2023 còn 3,12%, giảm 1,08% so với đầu năm.", "change_value", D("-1.08"),
     "percent"),
    ("Tỷ lệ hộ nghèo đến cuối năm 2023 còn 3,12%, giảm 1,08% so với đầu năm.", "actual_value", D("3.12"), "percent"),
    ("Tỉ lệ trẻ em dưới 5 tuổi suy dinh dưỡng thể thấp còi giảm xuống còn 18,5%.", "actual_value", D("18.5"),
     "percent"),
    # levels: universes, ha, tonne, counts
    ("Có 12/14 xã đạt chuẩn nông thôn mới.", "actual_value", D("12"), "commune"),
    ("Số xã đạt chuẩn NTM nâng cao: 4 xã, đạt 100% kế hoạch.", "actual_value", D("4"), "commune"),
    ("Toàn huyện có 1.245 hộ nghèo, chiếm 3,8%.", "actual_value", D("1245"), "household"),
    ("Toàn huyện có 1.245 hộ nghèo, chiếm 3,8%.", "actual_value", D("3.8"), "percent"),
    ("Tỷ lệ lao động qua đào tạo đạt 68%, vượt KH đề ra.", "actual_value", D("68"), "percent"),
    # targets: phấn đấu, chỉ tiêu năm, kế hoạch năm, mục tiêu đến năm, a plan in parentheses
    ("Thu ngân sách trên địa bàn năm 2024 phấn đấu đạt 160 tỷ đồng.", "target_value", D("160000000000"), "VND"),
    ("Năm 2024, huyện phấn đấu có thêm 2 xã đạt chuẩn NTM nâng cao.", "target_value", D("2"), "commune"),
    ("Chỉ tiêu năm 2024: tỷ lệ trường đạt chuẩn quốc gia 75%.", "target_value", D("75"), "percent"),
    ("Kế hoạch năm 2024: thu ngân sách trên địa bàn 150 tỷ đồng.", "target_value", D("150000000000"), "VND"),
    ("Mục tiêu đến năm 2025 có 100% xã đạt chuẩn nông thôn mới.", "target_value", D("100"), "percent"),
    ("Phấn đấu đến năm 2025 thu nhập bình quân đầu người đạt 70 triệu đồng/năm.", "target_value", D("70000000"),
     "VND"),
    ("Phấn đấu năm 2024 tỷ lệ hộ nghèo giảm 1,5%.", "target_value", D("1.5"), "percent"),
    ("Thu ngân sách trên địa bàn đạt 165 tỷ đồng (kế hoạch 150 tỷ đồng).", "target_value", D("150000000000"),
     "VND"),
    ("Thu ngân sách trên địa bàn đạt 165 tỷ đồng (kế hoạch 150 tỷ đồng).", "actual_value", D("165000000000"),
     "VND"),
    ("Tuyển chọn và gọi 180 thanh niên nhập ngũ, đạt 100% chỉ tiêu.", "actual_value", D("180"), "person"),
    ("Trồng mới 350 ha rừng tập trung, đạt 116,7% KH.", "attainment_pct", D("116.7"), "ha"),
    # more: a plan before the result, from-to, spellings (kì), the yardstick in a parenthesis, tabs
    ("Kế hoạch giao 1.200 ha, thực hiện 1.250 ha, đạt 104,2%.", "target_value", D("1200"), "ha"),
    ("Kế hoạch giao 1.200 ha, thực hiện 1.250 ha, đạt 104,2%.", "actual_value", D("1250"), "ha"),
    ("Tỷ lệ người dân tham gia BHYT đạt 95,2% (chỉ tiêu 95%).", "target_value", D("95"), "percent"),
    ("Tỷ lệ hộ nghèo giảm từ 4,5% xuống còn 3,2%.", "actual_value", D("3.2"), "percent"),
    ("Số hộ nghèo giảm 215 hộ, còn 1.030 hộ.", "actual_value", D("1030"), "household"),
    ("Thu ngân sách đạt 165 tỷ đồng, đạt 110% KH năm, bằng 115% CK.", "change_value", D("15"), "percent"),
    ("Thu ngân sách tăng 15,2% so cùng kì.", "change_value", D("15.2"), "percent"),
    ("Tổng thu ngân sách vượt 10% so dự toán.", "exceed_pct", D("10"), "percent"),
    ("Thu ngân sách đạt 110% so với Nghị quyết HĐND huyện.", "attainment_pct", D("110"), "percent"),
    ("Tỷ lệ hộ dân sử dụng nước hợp vệ sinh đạt 98%, tăng 0,5% so với năm 2022 và vượt 0,5% kế hoạch.",
     "exceed_pct", D("0.5"), "percent"),
    ("Năng suất lúa đạt 60,5 tạ/ha, tăng 1,2 tạ/ha so với vụ trước.", "change_value", D("1.2"), "other"),
    ("Năm 2024 thu ngân sách dự kiến 180 tỷ đồng.", "target_value", D("180000000000"), "VND"),
    ("Thu ngân sách nhà nước:\t165 tỷ đồng,\tđạt 110% KH.", "attainment_pct", D("110"), "VND"),
    ("Sản lượng lương thực giảm 1.200 tấn so cùng kỳ do ảnh hưởng của thiên tai.", "change_value", D("-1200"),
     "tonne"),
    # round 2: a rate against a plan without its verb, the yardstick opening the clause, plans after a slash
    ("Thu ngân sách ước cả năm 210 tỷ đồng, đạt 105% dự toán tỉnh giao, 100,5% dự toán huyện giao.",
     "attainment_pct", D("100.5"), "percent"),
    ("So với kế hoạch, thu ngân sách đạt 108%.", "attainment_pct", D("108"), "percent"),
    ("Giá trị sản xuất nông nghiệp ước đạt 1.500 tỷ đồng, bằng 98% so với cùng kỳ, đạt 95% KH.", "change_value",
     D("-2"), "percent"),
    ("Tỷ lệ hộ nghèo giảm 1,2 điểm phần trăm so với năm 2022.", "change_value", D("-1.2"), "percent"),
    ("Tỷ lệ hộ nghèo giảm 1,2 điểm phần trăm.", "actual_value", D("1.2"), "percent"),
    ("Sản lượng lúa cả năm ước đạt 52.000 tấn/KH 50.000 tấn.", "target_value", D("50000"), "tonne"),
    ("Thu nhập bình quân đầu người 65 triệu đồng/người/năm (KH: 62 triệu đồng).", "target_value", D("62000000"),
     "VND"),
    ("Tổng sản lượng lương thực đạt 13.200 tấn, tăng 200 tấn so với năm trước.", "change_value", D("200"),
     "tonne"),
    ("Tỷ lệ che phủ rừng duy trì ở mức 45%.", "actual_value", D("45"), "percent"),
    ("Có 98,5% dân số tham gia bảo hiểm y tế.", "actual_value", D("98.5"), "percent"),
    ("Thu ngân sách đạt 105,3 tỷ đồng/100 tỷ đồng dự toán, đạt 105,3%.", "target_value", D("100000000000"), "VND"),
    ("Định hướng năm 2024, giải quyết việc làm cho 2.000 lao động.", "target_value", D("2000"), "person"),
    ("Chỉ tiêu giao năm 2024 là 180 thanh niên nhập ngũ.", "target_value", D("180"), "person"),
    ("Có 2 xã đăng ký đạt chuẩn nông thôn mới năm 2024.", "target_value", D("2"), "commune"),
    ("Năm 2024 phấn đấu tốc độ tăng trưởng giá trị sản xuất 8-9%.", "target_value", D("9"), "percent"),
    ("Tỷ lệ hộ nghèo theo chuẩn đa chiều giảm còn 2,5%, thấp hơn 0,5% so với kế hoạch.", "actual_value", D("2.5"),
     "percent"),
    # round 3: an elided yardstick, a negative growth, the yardstick after the indicator's name
    ("Tổng thu ngân sách nhà nước trên địa bàn không đạt dự toán, chỉ đạt 85,2%.", "attainment_pct", D("85.2"),
     "percent"),
    ("Tổng thu ngân sách vượt dự toán, đạt 112,4%.", "attainment_pct", D("112.4"), "percent"),
    ("Thu ngân sách tăng trưởng âm 3,5% so với cùng kỳ.", "change_value", D("-3.5"), "percent"),
    ("Giảm 2,15% tỷ lệ hộ nghèo so với đầu năm.", "change_value", D("-2.15"), "percent"),
    ("Tăng 120 hộ sản xuất kinh doanh so với năm 2022.", "change_value", D("120"), "household"),
    ("Có 3 xã được công nhận đạt chuẩn NTM, nâng tổng số xã đạt chuẩn lên 10/12 xã.", "actual_value", D("10"),
     "commune"),
    ("Giá trị sản xuất ngành công nghiệp – xây dựng tăng 10,2%, ngành dịch vụ tăng 8,5%.", "change_value", D("8.5"),
     "percent"),
    ("Sản lượng thuỷ sản quí III tăng 4% so với quí trước.", "change_value", D("4"), "percent"),
    ("Tổng mức bán lẻ giá trị hàng hoá đạt 1.200 tỷ đồng.", "actual_value", D("1200000000000"), "VND"),
]


@pytest.mark.parametrize(("sentence", "column", "value", "unit"), cases(ROLES))
def test_role_variant(sentence, column, value, unit) -> None:
    check_role(sentence, column, value, unit)



# sentences that state no figure of an indicator: a bound not reached, a comparison without a number
NO_INDICATOR = [
    "Thu ngân sách chưa đạt 50% dự toán.",
    "Một số chỉ tiêu không đạt kế hoạch như thu ngân sách, giải ngân vốn đầu tư.",
]


@pytest.mark.parametrize("sentence", cases([(s,) for s in NO_INDICATOR]))
def test_no_indicator_variant(sentence) -> None:
    assert [f for f in figures(sentence) if f.kind == "indicator"] == []


# --- scorecards ----------------------------------------------------------------------------------------
# sentence, met or exceeded, total, exceeded
SCORECARDS = [
    ("Có 22/25 chỉ tiêu đạt và vượt kế hoạch.", 22, 25, None),
    ("Đạt và vượt 16/18 chỉ tiêu nghị quyết đề ra.", 16, 18, None),
    ("16/18 chỉ tiêu hoàn thành và hoàn thành vượt mức kế hoạch.", 16, 18, None),
    ("Có 10/21 chỉ tiêu vượt kế hoạch, 9 chỉ tiêu đạt kế hoạch.", 19, 21, 10),
    ("Ước thực hiện cả năm có 25/27 chỉ tiêu đạt và vượt, trong đó 12 chỉ tiêu vượt.", 25, 27, 12),
    ("Trong 24 chỉ tiêu chủ yếu, có 20 chỉ tiêu đạt và vượt, 4 chỉ tiêu không đạt.", 20, 24, None),
    ("Năm 2023, có 17 trên 19 chỉ tiêu đạt và vượt kế hoạch.", 17, 19, None),
    ("Kết quả có 14/16 chỉ tiêu kinh tế - xã hội đạt và vượt KH.", 14, 16, None),
    ("Trong số 20 chỉ tiêu Nghị quyết HĐND huyện giao, có 18 chỉ tiêu đạt và vượt kế hoạch.", 18, 20, None),
    ("Có 18/20 chỉ tiêu đạt, vượt kế hoạch, 2 chỉ tiêu chưa đạt.", 18, 20, None),
    ("Có 15 trong tổng số 18 chỉ tiêu đạt và vượt kế hoạch.", 15, 18, None),
    ("Kết quả thực hiện 18 chỉ tiêu chủ yếu: có 15 chỉ tiêu đạt và vượt kế hoạch, 3 chỉ tiêu chưa đạt.", 15, 18, None),
    ("Có 8/10 chỉ tiêu hoàn thành vượt mức kế hoạch.", 8, 10, 8),
    ("Hoàn thành 21/23 chỉ tiêu chủ yếu.", 21, 23, None),
    ("Số chỉ tiêu đạt và vượt kế hoạch: 20/22 chỉ tiêu.", 20, 22, None),
    # round 2
    ("Kết quả: 9/12 chỉ tiêu đạt và vượt; 3/12 chỉ tiêu không đạt.", 9, 12, None),
    ("Đạt 17/19 chỉ tiêu (trong đó vượt 8 chỉ tiêu).", 17, 19, 8),
    ("Hoàn thành vượt mức 12/15 chỉ tiêu.", 12, 15, 12),
    ("Có 20/22 chỉ tiêu đạt và vượt, đạt 90,9%.", 20, 22, None),
    ("Số chỉ tiêu đạt, vượt: 20/24.", 20, 24, None),
]


@pytest.mark.parametrize(("sentence", "met", "total", "exceeded"), cases(SCORECARDS))
def test_scorecard_variant(sentence, met, total, exceeded) -> None:
    check_scorecard(sentence, met, total, exceeded)



# --- quantities: units, scales, spellings, number formats ------------------------------------------------
# sentence, value, unit, flagged (a number read against the usual separators carries suspect_format)
QUANTITIES = [
    ("Diện tích lúa đông xuân 8.650 ha.", D("8650"), "ha", False),
    ("Sản lượng cá nuôi đạt 13,5 ngàn tấn.", D("13500"), "tonne", False),
    ("Xây dựng mới 25,6 km đường giao thông nông thôn.", D("25.6"), "other", False),
    ("Giải quyết việc làm cho 2.150 lao động.", D("2150"), "person", False),
    ("Đã cấp 12.500 thẻ BHYT cho người dân tộc thiểu số.", D("12500"), "count", False),
    ("Thu ngân sách đạt 412 tỉ 500 triệu đồng.", D("412500000000"), "VND", False),
    ("Năng suất lúa bình quân đạt 62,5 tạ/ha.", D("62.5"), "other", False),
    ("Đàn gia cầm có 1,2 triệu con.", D("1200000"), "count", False),
    ("Tổng giá trị sản xuất tăng gấp 1,5 lần so với năm 2020.", D("1.5"), "other", False),
    ("Thu ngân sách trên địa bàn đạt 1 250 tỷ đồng.", D("1250000000000"), "VND", True),
    ("Tổng giá trị sản xuất đạt 1,250.5 tỷ đồng.", D("1250500000000"), "VND", True),
    ("Có 1.520 hộ được hỗ trợ cải thiện nhà ở.", D("1520"), "household", False),
    ("Trồng mới 120 ha rừng, đạt trên 100% kế hoạch.", D("120"), "ha", False),
    ("Đã có 7 HTX hoạt động hiệu quả.", D("7"), "count", False),
    ("Số lượt khách du lịch đạt 250 nghìn lượt.", D("250000"), "other", False),
    ("Tổng đàn trâu bò 12,5 nghìn con.", D("12500"), "count", False),
    ("Tốc độ tăng trưởng kinh tế đạt 7.5%.", D("7.5"), "percent", True),
    ("Thu ngân sách xã đạt 1.25 tỷ đồng.", D("1250000000"), "VND", True),
    # round 2
    ("Giá trị sản xuất đạt 1,2 nghìn tỷ đồng.", D("1200000000000"), "VND", False),
    ("Tổng diện tích cây lâu năm 47,5 nghìn ha.", D("47500"), "ha", False),
    ("Thu hút hơn 1.000 lượt người tham gia.", D("1000"), "person", False),
    ("Nạo vét khoảng 2.500 m3 kênh mương.", D("2500"), "other", False),
    ("Có ít nhất 3 xã đạt chuẩn nông thôn mới nâng cao.", D("3"), "commune", False),
    ("Xây dựng 3,2km đường bê tông.", D("3.2"), "other", False),
    ("Thu ngân sách đạt 15 tỷ VNĐ.", D("15000000000"), "VND", False),
    # spellings: the older tone-mark placement
    ("Xây mới 4 nhà văn hoá thôn.", D("4"), "count", False),
    ("Có 12 đảng uỷ cơ sở hoàn thành tốt nhiệm vụ.", D("12"), "count", False),
]


@pytest.mark.parametrize(("sentence", "value", "unit", "flagged"), cases(QUANTITIES))
def test_quantity_variant(sentence, value, unit, flagged) -> None:
    check_quantity(sentence, value, unit, flagged)



# --- a target list: each figure carries the list's period for sources.periods ----------------------------
def test_a_target_list_lends_its_period() -> None:
    from datetime import date

    from sources.extract._classify import read_figures
    from sources.text import normalise_text

    text = normalise_text("Các chỉ tiêu năm 2024: thu ngân sách trên địa bàn 150 tỷ đồng; tỷ lệ hộ nghèo giảm 1,5%.")
    found = read_figures(text, date(2023, 12, 20), (date(2023, 1, 1), date(2023, 12, 31)))
    targets = [f for f in found if f.fields.get("target_value") is not None]
    assert len(targets) == 2
    assert all(f.fields.get("list_period") == (date(2024, 1, 1), date(2024, 12, 31)) for f in targets)
