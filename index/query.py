"""What a question says besides its words: quoted amounts, 科目编码-like codes, English or Chinese."""
from __future__ import annotations

import re

from corpus.numbers import normalize_digits
from index.tokenize import normalize_number

_CJK = re.compile(r"[\u4e00-\u9fff]")
_CODE = re.compile(r"(?<![\d.,])\d{3,9}(?![\d.,]|\s*(?:万|亿|元|%|％|年))")
_YEARLIKE = re.compile(r"(?:19|20)\d\d")
_AMOUNT = re.compile(r"(?<![\d.])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+|\d+(?=\s*(?:万元|万|亿|元|%|％)))")


def quoted_amounts(text: str) -> list[str]:
    """Amounts a question quotes ("9,932万元", "542.73", "2,047万") as keyword tokens."""
    return list(dict.fromkeys(normalize_number(m.group(1)) for m in _AMOUNT.finditer(normalize_digits(text))))


def quoted_codes(text: str) -> list[str]:
    """Bare integers that are neither amounts nor years: 科目编码 such as 30113 or 2101506."""
    return [c for c in dict.fromkeys(_CODE.findall(normalize_digits(text))) if not _YEARLIKE.fullmatch(c)]


def is_english(text: str) -> bool:
    """Mostly Latin text (fewer than a quarter CJK characters)."""
    return len(_CJK.findall(text)) < len(text) // 4
