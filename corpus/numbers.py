"""Pure number parsing for figures as printed: 1,234.56 / －45.00 / 全角数字 / 84.1%."""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_FULLWIDTH = str.maketrans("０１２３４５６７８９．，－＋％", "0123456789.,-+%")
NUMBER_RE = re.compile(r"(?<![\d.])[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\d])")
_CELL_RE = re.compile(r"^[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?$")


def normalize_digits(text: str) -> str:
    return text.translate(_FULLWIDTH)


def parse_number(text: str) -> Decimal | None:
    """Parse one printed figure; None when the text is not a single number."""
    s = normalize_digits(text).strip().replace(" ", "")
    if s in {"-", "—", "--", ""}:
        return None
    if not _CELL_RE.match(s):
        return None
    try:
        return Decimal(s.rstrip("%").replace(",", ""))
    except InvalidOperation:
        return None


def is_number(text: str) -> bool:
    return parse_number(text) is not None


def format_amount(value: Decimal, places: int | None = 2) -> str:
    """Thousands-separated, as the documents print money: 7,171.87."""
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places))
    return f"{value:,}"
