"""The Vietnamese number parser: '.' groups thousands, ',' marks decimals, scale words multiply."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sources.numbers import format_vn, format_vnd, parse_number, to_base, value_text


@pytest.mark.parametrize(("text", "value"), [
    ("106.182", Decimal("106182")), ("28,757", Decimal("28.757")), ("49,52", Decimal("49.52")),
    ("1.234.567", Decimal("1234567")), ("1.234,5", Decimal("1234.5")), ("05", Decimal("5")), ("0,5", Decimal("0.5")),
])
def test_parse_number(text: str, value: Decimal) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize(("number", "scale", "vnd"), [
    ("106.182", "triệu", 106_182_000_000), ("28,757", "tỷ", 28_757_000_000), ("2,5", "tỷ", 2_500_000_000),
    ("13", "nghìn", 13_000), ("1,2", "nghìn tỷ", 1_200_000_000_000), ("200", "triệu", 200_000_000),
])
def test_scale_words_multiply(number: str, scale: str, vnd: int) -> None:
    assert to_base(number, scale) == vnd


@pytest.mark.parametrize("bad", ["", "abc", "1,2,3"])
def test_not_a_number_raises(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_number(bad)


def test_formatting_round_trips_the_report_style() -> None:
    assert format_vn(106182, 0) == "106.182"
    assert format_vn(70.98, 2) == "70,98"
    assert format_vnd(106_182_000_000) == "106,182 tỷ đồng"
    assert format_vnd(200_000_000) == "200 triệu đồng"


@pytest.mark.parametrize(("text", "value"), [
    ("-1.234", Decimal("-1234")), ("46%", Decimal("46")), ("15.9", Decimal("15.9")),
    ("1\u00a0234,5", Decimal("1234.5")), ("28757000000", Decimal("28757000000")),
])
def test_one_parser_for_narrative_and_submissions(text: str, value: Decimal) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize("bad", ["NaN", "Infinity", "%"])
def test_not_finite_is_not_a_number(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_number(bad)


def test_numbers_that_are_no_figures_are_refused() -> None:
    from sources.numbers import out_of_range

    for text in ("NaN", "inf", "-Infinity", "1e999999", "9" * 1001):
        with pytest.raises(ValueError):
            parse_number(text)
    assert out_of_range(float("nan")) == "is not a number (NaN)"
    assert out_of_range(float("inf")) == "is infinite"
    assert out_of_range(Decimal("9" * 400), amount=True) == (
        "has 400 digits, beyond the 1E+16 đồng any real figure stays within")
    assert out_of_range(Decimal("1e7"), percent=True).startswith("has 8 digits, beyond the 1E+6%")
    assert out_of_range(Decimal("28757000000"), amount=True) is None
    assert out_of_range(Decimal("46"), percent=True) is None
    assert out_of_range(None) is None


def test_a_finding_counts_one_month_in_the_singular() -> None:
    # a unit's completeness finding: "stated 1 month · computed 60 months · difference −59 months"
    assert value_text(1, "months") == "1 month"
    assert value_text(-1, "months", difference=True) == "−1 month"
    assert value_text(60, "months") == "60 months"
    assert value_text(3295, "unit-months") == "3.295 unit-months"
