"""The funding layer on short sentences in the reports' style: programme, capital source, measure,
components; one behaviour per case, its input as id."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests.sources._sentences import figures

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
    # no programme governs the first amount: a district's "vốn đầu tư" is its public investment
    first, second = [f for f in figures(sentence) if f.kind == "funding"]
    assert (first.amount_vnd, first.programme_code) == (30_000_000_000, "PUBLIC_INVESTMENT")
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


def test_components_listed_after_trong_do_without_parentheses() -> None:
    found = figures("Kế hoạch vốn đầu tư công năm 2024 được giao 350,5 tỷ đồng, trong đó vốn ngân sách tỉnh "
                    "200 tỷ đồng, vốn ngân sách huyện 150,5 tỷ đồng; đến 30/6/2024 đã giải ngân 120,3 tỷ đồng, "
                    "đạt 34,3% kế hoạch.")
    total, province, district, disbursed = found
    assert total.amount_vnd == 350_500_000_000 and total.measure == "allocated"
    assert [province.parent_local_id, district.parent_local_id] == [total.local_id, total.local_id]
    assert (disbursed.measure, disbursed.parent_local_id, disbursed.rate_pct) == ("disbursed", None, Decimal("34.3"))


@pytest.mark.parametrize(("sentence", "measure"), [
    ("Dự kiến kinh phí hỗ trợ khoảng 2,5 tỷ đồng.", "planned"),
    ("Năm 2023, huyện được giao 12 tỷ đồng vốn sự nghiệp Chương trình giảm nghèo bền vững.", "allocated"),
    ("Chương trình giảm nghèo bền vững: 12 tỷ đồng vốn sự nghiệp được giao cho 5 xã.", "allocated"),
], ids=lambda s: s[:60] if isinstance(s, str) else s)
def test_plan_and_assignment_words_next_to_money_stay_funding_measures(sentence, measure) -> None:
    funding = [f for f in figures(sentence) if f.kind == "funding"]
    assert [(f.measure, f.amount_vnd > 0) for f in funding] == [(measure, True)]


def _funding(text: str):
    return [(f.programme_code, f.measure, f.amount_vnd, f.rate_pct) for f in figures(text) if f.kind == "funding"]


CONTEXT_CASES = [
    # the headline's programme is the topic of the body; the body restating the headline's amount is one record
    ("Huy động được 4 tỷ cho Chương trình xây dựng nông thôn mới\nTừ đầu năm đến nay huyện đã huy động được 4 tỷ "
     "đồng từ nhiều nguồn để phân bổ cho 3 xã.", [("NTM", "allocated", 4_000_000_000, None)]),
    # a bare "chương trình" refers back to the programme of the headline
    ("Triển khai Chương trình MTQG giảm nghèo bền vững\nTổng nguồn vốn của chương trình thực hiện trong năm 2023 "
     "là 60 tỷ đồng.", [("GNBV", "allocated", 60_000_000_000, None)]),
    # the headline's rate restated with its amount in the body: one record
    ("Huyện Bình An giải ngân vốn đầu tư đạt 30%\nTổng kế hoạch vốn đầu tư năm 2024 là 100 tỷ đồng, đến nay đã giải "
     "ngân 30 tỷ đồng, đạt 30% kế hoạch vốn.", [("PUBLIC_INVESTMENT", "allocated", 100_000_000_000, None),
                                              ("PUBLIC_INVESTMENT", "disbursed", 30_000_000_000, Decimal("30"))]),
    # a purpose phrase after the amount names its programme; "sẽ" makes it planned, and its parts too
    ("Năm 2024, huyện sẽ dành 50 tỷ đồng đầu tư phát triển kinh tế - xã hội vùng đồng bào dân tộc thiểu số và miền "
     "núi.\nTrong đó, ngân sách Trung ương hỗ trợ 40 tỷ đồng; ngân sách tỉnh 10 tỷ đồng.",
     [("DTTS_MN", "planned", 50_000_000_000, None), ("DTTS_MN", "planned", 40_000_000_000, None),
      ("DTTS_MN", "planned", 10_000_000_000, None)]),
    # "Cụ thể," lists the parts of the total before; a part naming its own programme keeps it
    ("Huyện được phân bổ 20 tỷ đồng thực hiện các chương trình mục tiêu quốc gia. Cụ thể, vốn ngân sách Trung ương "
     "15 tỷ đồng; vốn lồng ghép Chương trình xây dựng nông thôn mới 5 tỷ đồng.",
     [("OTHER", "allocated", 20_000_000_000, None), ("OTHER", "allocated", 15_000_000_000, None),
      ("NTM", "allocated", 5_000_000_000, None)]),
    # a purpose phrase names the programme of mobilised money; ", trong đó" after it opens its parts
    ("Giai đoạn 2021-2025, toàn huyện huy động được 900 tỷ đồng xây dựng nông thôn mới, trong đó nhân dân đóng góp "
     "120 tỷ đồng.", [("NTM", "spent", 900_000_000_000, None), ("NTM", "spent", 120_000_000_000, None)]),
    # parentheses opening with a capital source after a total list its parts
    ("Chương trình MTQG giảm nghèo bền vững: Tổng vốn giao năm 2024 là 25 tỷ đồng (vốn đầu tư 18 tỷ đồng, vốn sự "
     "nghiệp 7 tỷ đồng).", [("GNBV", "allocated", 25_000_000_000, None), ("GNBV", "allocated", 18_000_000_000, None),
                            ("GNBV", "allocated", 7_000_000_000, None)]),
    # "; trong đó" opens the parts of the total before it, each a commune's share
    ("Các xã đã được phân bổ 25 tỷ đồng từ nguồn vốn Chương trình nông thôn mới; trong đó xã Tân An 5 tỷ đồng, xã "
     "Bình Minh 4 tỷ đồng.", [("NTM", "allocated", 25_000_000_000, None), ("NTM", "allocated", 5_000_000_000, None),
                              ("NTM", "allocated", 4_000_000_000, None)]),
    # the plan a disbursed amount is measured against is an allocation of its own
    ("Vốn sự nghiệp Chương trình giảm nghèo bền vững đã giải ngân 12 tỷ đồng/20 tỷ đồng, đạt 60%.",
     [("GNBV", "allocated", 20_000_000_000, None), ("GNBV", "disbursed", 12_000_000_000, Decimal("60"))]),
    # a project's total takes the programme the next sentence finances it from; a project without one is public
    # investment, and the neighbouring project's programme does not carry over to it
    ("Công trình nhà văn hóa huyện với tổng mức đầu tư 30 tỷ đồng. Đây là dự án được đầu tư bằng nguồn vốn Chương "
     "trình MTQG giảm nghèo bền vững. Dự án đường liên xã với tổng mức đầu tư 20 tỷ đồng.",
     [("GNBV", "allocated", 30_000_000_000, None), ("PUBLIC_INVESTMENT", "allocated", 20_000_000_000, None)]),
]


@pytest.mark.parametrize(("text", "expected"), CONTEXT_CASES, ids=[c[0][:70] for c in CONTEXT_CASES])
def test_programme_and_measure_from_context(text, expected) -> None:
    assert _funding(text) == expected


MEASURE_CASES = [
    ("Chương trình giảm nghèo bền vững, huyện đang giải ngân 12 tỷ đồng vốn sự nghiệp trong năm.", "allocated"),
    ("Năm 2024, huyện có kế hoạch đầu tư 28 tỷ đồng thực hiện Chương trình giảm nghèo bền vững.", "planned"),
    ("Huyện sẽ tập trung thực hiện Chương trình giảm nghèo bền vững, đến nay đã giải ngân 8 tỷ đồng.", "disbursed"),
    ("Chương trình xây dựng nông thôn mới giai đoạn 2016-2020, người dân đối ứng được 10 tỷ đồng.", "spent"),
    ("Chương trình xây dựng nông thôn mới, huyện huy động được 9 tỷ đồng để xây dựng đường giao thông.", "spent"),
    # a plan marker governs every measure but a request: not yet done
    ("Phấn đấu đến năm 2025 huy động 500 tỷ đồng để xây dựng nông thôn mới.", "planned"),
    ("Năm 2024, huyện sẽ giải ngân 50 tỷ đồng vốn Chương trình nông thôn mới.", "planned"),
]


@pytest.mark.parametrize(("sentence", "measure"), MEASURE_CASES, ids=[c[0][:70] for c in MEASURE_CASES])
def test_measure_words(sentence, measure) -> None:
    assert [m for _, m, _, _ in _funding(sentence)] == [measure]


def test_a_change_of_money_is_an_indicator_of_change() -> None:
    found = figures("Chương trình giảm nghèo bền vững được cấp 3 tỷ đồng, tăng 1 tỷ đồng so với kế hoạch đầu năm.")
    assert [(f.kind, f.amount_vnd or f.change_value) for f in found] == [("funding", 3_000_000_000),
                                                                         ("indicator", 1_000_000_000)]


def test_investment_attracted_from_firms_is_an_indicator() -> None:
    found = figures("Khu công nghiệp đã thu hút 5 nhà đầu tư với tổng vốn đầu tư hơn 100 tỷ đồng.")
    assert [f.kind for f in found if f.unit == "VND" or f.kind == "funding"] == ["indicator"]


def test_execution_and_disbursement_rates_of_the_capital_plan() -> None:
    assert _funding("Khối lượng thực hiện đầu tư xây dựng cơ bản đạt 40% kế hoạch vốn, giải ngân đạt 35% kế hoạch "
                    "vốn.") == [("PUBLIC_INVESTMENT", "spent", None, Decimal("40")),
                                ("PUBLIC_INVESTMENT", "disbursed", None, Decimal("35"))]


def test_the_amount_of_an_execution_rate_in_parentheses() -> None:
    assert _funding("Tổng vốn đầu tư thực hiện 6 tháng đạt 60% nguồn vốn tỉnh giao (300 tỷ đồng).") == [
        ("PUBLIC_INVESTMENT", "spent", 300_000_000_000, Decimal("60"))]


def test_a_second_execution_rate_and_its_plan() -> None:
    # "; đạt 50% nguồn vốn huyện giao (...)" elides its subject: the executed capital of the clause before
    assert _funding("Vốn đầu tư thực hiện đạt 60% nguồn vốn tỉnh giao (300 tỷ đồng); đạt 50% nguồn vốn huyện giao "
                    "(300 tỷ/600 tỷ đồng).")[1:] == [("PUBLIC_INVESTMENT", "spent", 300_000_000_000, Decimal("50")),
                                                   ("PUBLIC_INVESTMENT", "allocated", 600_000_000_000, None)]


STRUCTURED_REPORT = """II. KẾT QUẢ THỰC HIỆN CÁC CHƯƠNG TRÌNH
1. Chương trình MTQG xây dựng nông thôn mới
Tổng vốn được giao năm 2023 là 45 tỷ đồng, đã giải ngân 30 tỷ đồng.
2. Chương trình MTQG giảm nghèo bền vững
a) Vốn đầu tư
Tổng vốn được giao 20 tỷ đồng; giải ngân 12 tỷ đồng.
3. Văn hóa - xã hội
Kinh phí hỗ trợ các thiết chế văn hóa 2 tỷ đồng.
"""


def test_the_nearest_heading_naming_a_programme_climbing_only_to_higher_levels() -> None:
    assert [(p, a) for p, _, a, _ in _funding(STRUCTURED_REPORT)] == [
        ("NTM", 45_000_000_000), ("NTM", 30_000_000_000), ("GNBV", 20_000_000_000), ("GNBV", 12_000_000_000),
        ("OTHER", 2_000_000_000)]


def test_a_capital_source_of_the_next_list_item_is_not_this_amounts() -> None:
    found = figures("a) Chương trình giảm nghèo bền vững:\n- Vốn đầu tư: giao 10 tỷ đồng, giải ngân 6 tỷ đồng.\n"
                    "- Vốn sự nghiệp: giao 5 tỷ đồng, giải ngân 2 tỷ đồng.")
    assert [f.capital_source for f in found] == ["investment", "investment", "recurrent", "recurrent"]


def test_revenue_against_its_plan_stays_an_indicator() -> None:
    found = figures("Tổng thu ngân sách nhà nước đạt 61,6% kế hoạch tỉnh giao (792,9 tỷ/1.287,4 tỷ đồng), đạt 55,6% "
                    "Nghị quyết (792,9 tỷ/1.426,5 tỷ đồng).")
    assert found and all(f.kind == "indicator" for f in found)


def test_policy_credit_outstanding_is_an_indicator() -> None:
    assert [f.kind for f in figures("Nguồn vốn tín dụng chính sách xã hội: tổng dư nợ đạt 850 tỷ đồng.")] == [
        "indicator"]


def test_a_look_alike_letter_does_not_hide_the_programme() -> None:
    # a dotless ı (U+0131) typed for i: case-insensitive patterns match it, the word list must too
    found = figures("Vốn Chương trình MTQG gıảm nghèo bền vững đã giải ngân 5 tỷ đồng.")
    assert [(f.programme_code, f.measure, f.amount_vnd) for f in found] == [("GNBV", "disbursed", 5_000_000_000)]
