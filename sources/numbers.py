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
    "tỉ": 10**9, "nghìn tỉ": 10**12,
}
NUMBER_PATTERN = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
_THOUSANDS = re.compile(r"^\d{1,3}(?:\.\d{3})+$")


def parse_number(text: str) -> Decimal:
    """A number written the Vietnamese way. Raises ValueError for anything else."""
    s = text.strip().replace(" ", "")
    if not s:
        raise ValueError("empty number")
    if "," in s:
        s = s.replace(".", "").replace(",", ".")
    elif _THOUSANDS.match(s):
        s = s.replace(".", "")
    try:
        value = Decimal(s)
    except InvalidOperation as exc:
        raise ValueError(f"not a number: {text!r}") from exc
    return value


def to_base(number_text: str, scale: str | None = None) -> Decimal:
    """The number times its scale word ('tỷ', 'triệu', 'nghìn tỷ' ...)."""
    value = parse_number(number_text)
    if scale:
        value *= SCALES[re.sub(r"\s+", " ", scale.lower())]
    return value
