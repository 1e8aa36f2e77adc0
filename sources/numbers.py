"""Vietnamese numbers: '.' groups thousands, ',' marks decimals; scale words multiply.

    parse_number("106.182")      -> Decimal("106182")
    parse_number("28,757")       -> Decimal("28.757")
    to_base("28,757", "tỷ")      -> Decimal("28757000000")
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

SCALES: dict[str, int] = {
    "nghìn tỷ": 10**12, "ngàn tỷ": 10**12, "nghìn": 10**3, "ngàn": 10**3, "triệu": 10**6, "tỷ": 10**9,
    "tỉ": 10**9, "nghìn tỉ": 10**12, "ngàn tỉ": 10**12,
}
_THOUSANDS = re.compile(r"^-?\d{1,3}(?:\.\d{3})+$")
# Longer than this, a run of digits is no figure anyone wrote (and arithmetic on it is not free).
MAX_NUMBER_CHARS = 1000
# Figures beyond these magnitudes are refused with a reason (sources.ingest, sources.submissions):
# an amount over 10^16 đồng (10 triệu tỷ: more than the country's yearly GDP), any other value over
# 10^16 in its unit, a percentage over 10^6 %.
MAX_AMOUNT_VND = 10**16
MAX_VALUE = Decimal(10) ** 16
MAX_PERCENT = Decimal(10) ** 6


def parse_number(text: str) -> Decimal:
    """A number written the Vietnamese way, in narrative and submissions alike: '.' groups thousands
    ('106.182', '1.234.567'), ',' marks decimals ('28,757', '1.234,5'); a lone '.' that does not group
    thousands is a decimal point ('15.9', as spreadsheets write it); a sign, spaces (also no-break) and
    a trailing '%' are allowed. Raises ValueError for anything else."""
    s = text.strip().replace(" ", "").replace("\u00a0", "").removesuffix("%")
    if not s:
        raise ValueError("empty number")
    if len(s) > MAX_NUMBER_CHARS:
        raise ValueError(f"not a number: {len(s)} characters long")
    if "," in s:
        s = s.replace(".", "").replace(",", ".")
    elif _THOUSANDS.match(s):
        s = s.replace(".", "")
    try:
        value = Decimal(s)
    except InvalidOperation as exc:
        raise ValueError(f"not a number: {text!r}") from exc
    if not value.is_finite():
        raise ValueError(f"not a number: {text!r}")
    if value and abs(value.adjusted()) > MAX_NUMBER_CHARS:
        raise ValueError(f"not a number: {text!r} (exponent out of range)")
    return value


def out_of_range(value, *, percent: bool = False, amount: bool = False) -> str | None:
    """Why ``value`` cannot be a figure (not finite, or of an absurd magnitude), or None when it can.

    Works on Decimal, int and float alike, without converting a huge Decimal to float first."""
    if value is None:
        return None
    if isinstance(value, float):
        if value != value:
            return "is not a number (NaN)"
        if value in (float("inf"), float("-inf")):
            return "is infinite"
        value = Decimal(repr(value))
    elif isinstance(value, Decimal) and not value.is_finite():
        return "is not a finite number"
    elif isinstance(value, bool) or not isinstance(value, int | Decimal):
        return f"is not a number ({type(value).__name__})"
    limit = MAX_PERCENT if percent else (Decimal(MAX_AMOUNT_VND) if amount else MAX_VALUE)
    if abs(Decimal(value)) > limit:
        digits = Decimal(value).adjusted() + 1
        what = "%" if percent else (" đồng" if amount else "")
        return f"has {digits} digits, beyond the {limit:.0E}{what} any real figure stays within"
    return None


def to_base(number_text: str, scale: str | None = None) -> Decimal:
    """The number times its scale word ('tỷ', 'triệu', 'nghìn tỷ' ...)."""
    value = parse_number(number_text)
    if scale:
        value *= SCALES[re.sub(r"\s+", " ", scale.lower())]
    return value


def format_vn(value: float | Decimal | int | None, decimals: int = 3) -> str:
    """Write a number the Vietnamese way: 106182 -> '106.182', 70.98 -> '70,98'."""
    if value is None:
        return "–"
    text = f"{float(value):,.{decimals}f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    return text.rstrip("0").rstrip(",") if "," in text else text


def format_vnd(value: float | Decimal | int | None) -> str:
    """An amount in VND as the reports write it: '106,182 tỷ đồng', '200 triệu đồng'."""
    if value is None:
        return "–"
    value = float(value)
    if abs(value) >= 1e9:
        return f"{format_vn(value / 1e9)} tỷ đồng"
    if abs(value) >= 1e6:
        return f"{format_vn(value / 1e6)} triệu đồng"
    return f"{format_vn(value, 0)} đồng"


# the typographic minus the reports write before a negative number
MINUS = "\u2212"


def signed(text: str) -> str:
    """A negative number with the typographic minus the reports use (−18 triệu đồng)."""
    return MINUS + text[1:] if text.startswith("-") else text


def in_millions(values: list[float | None]) -> bool:
    """Amounts a report writes in triệu đồng (whole millions) are shown in triệu đồng, as written."""
    numbers = [v for v in values if v is not None]
    return bool(numbers) and all(abs(v) % 1_000_000 == 0 and abs(v) < 1e13 for v in numbers)


def value_text(value: float | None, unit: str | None, *, millions: bool = False, difference: bool = False) -> str:
    """A value in its unit, the Vietnamese way: 106.164 triệu đồng, 70,98%, 3.295 unit-months."""
    if value is None:
        return "–"
    if unit == "VND":
        text = f"{format_vn(value / 1e6, 3)} triệu đồng" if millions else format_vnd(value)
    elif unit == "percent":
        text = f"{format_vn(value, 2)} điểm %" if difference else f"{format_vn(value, 2)}%"
    elif unit in (None, "count"):
        text = format_vn(value, 2)
    else:  # a count of an English plural unit (months, unit-months): one of it is singular
        text = f"{format_vn(value, 2)} {unit[:-1] if abs(value) == 1 and unit.endswith('s') else unit}"
    return signed(text)


def percent_text(value: float | None) -> str:
    return "–" if value is None else signed(f"{format_vn(value, 3)}%")
