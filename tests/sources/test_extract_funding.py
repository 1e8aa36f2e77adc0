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
