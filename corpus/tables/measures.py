"""Target values printed in table text cells: '≥70家', '180台', '100%', '约 8,000 个', '≤20 个工作日',
'≥14.5亿元', '1次/季度', '24小时内'. Dates ('2024年12月31日前') and sentences are not measures."""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from corpus.numbers import normalize_digits

MAX_CHARS = 24
_QUALIFIERS = {"≥": "≥", "≤": "≤", ">": ">", "<": "<", "=": "=", "＞": ">", "＜": "<", "＝": "=",
               "约": "约", "不低于": "≥", "不少于": "≥", "不高于": "≤", "不超过": "≤", "大于": ">", "小于": "<"}
_AFTER = {"以上": "≥", "以内": "≤", "内": "≤", "以下": "≤", "左右": "约"}
_MEASURE = re.compile(
    r"^(?P<q>≥|≤|>|<|=|＞|＜|＝|约|不低于|不少于|不高于|不超过|大于|小于)?\s*"
    r"(?P<verb>[\u4e00-\u9fff]{0,3}?)\s*"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*"
    r"(?P<unit>%|‰|百分比|[\u4e00-\u9fff]{1,4}(?:/[\u4e00-\u9fff]{1,3})?)?\s*$")


@dataclass(frozen=True)
class Measure:
    value: Decimal
    unit: str            # '' when the cell prints no unit
    qualifier: str | None


def parse_measure(text: str) -> Measure | None:
    s = normalize_digits(text or "").strip()
    if not s or len(s) > MAX_CHARS:
        return None
    m = _MEASURE.match(s)
    if not m:
        return None
    unit = m.group("unit") or ""
    qualifier = _QUALIFIERS.get(m.group("q") or "")
    for word, q in _AFTER.items():
        if unit.endswith(word) and len(unit) > len(word):
            unit, qualifier = unit[:-len(word)], qualifier or q
            break
    if unit.startswith(("年", "月", "日")) and not m.group("q"):
        return None               # a date, not a target figure
    try:
        value = Decimal(m.group("num").replace(",", ""))
    except InvalidOperation:
        return None
    return Measure(value=value, unit="%" if unit == "百分比" else unit, qualifier=qualifier)
