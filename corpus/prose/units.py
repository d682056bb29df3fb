"""Find printed figures in running text: number + unit + qualifier, as Decimal, with exact offsets.

Years, dates, list ordinals, document numbers and codes are not figures: a figure needs a unit
(万元, %, 台, 人 ...) or a qualifier (≥, 约 ...) unless the caller asks for bare numbers.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

# 1:1 character translation keeps offsets stable between printed and normalised text.
_FULLWIDTH = str.maketrans("０１２３４５６７８９．％－＋＝＞＜≧≦", "0123456789.%-+=><≥≤")
_FW_COMMA_RE = re.compile(r"(?<=\d)，(?=\d{3}(?!\d))")

NUMBER_RE = re.compile(r"(?<![\d.])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\d])")

MONEY_UNITS = ("亿元", "万元", "千元", "元")
PERCENT_UNITS = ("%", "百分比", "个百分点")
COUNT_UNITS = ("人次", "批次", "台（套）", "台(套)", "人", "名", "个", "台", "套", "家", "辆", "项", "次",
               "份", "篇", "页", "宗", "笔", "条", "组", "批", "所", "座", "件", "张", "处", "位", "户",
               "种", "类", "场", "单", "册", "床")
MEASURE_UNITS = ("个工作日", "个月", "平方米", "平米", "公里", "小时", "分钟", "倍", "天", "周", "米", "分")

# Characters after which a unit word is really the start of another word.
_UNIT_GUARDS = {"分": "局中值钟", "项": "目", "所": "有属在", "处": "理室", "类": "别", "位": "于",
                "件": "事", "单": "位价", "人": "民", "个": "人体性别", "家": "庭属", "条": "款例件", "周": "年岁"}
_COUNT_RE = "|".join(re.escape(u) for u in sorted(COUNT_UNITS, key=len, reverse=True))
_OTHER_RE = "|".join(re.escape(u) for u in sorted(MONEY_UNITS + PERCENT_UNITS + MEASURE_UNITS,
                                                   key=len, reverse=True))
UNIT_RE = re.compile(rf"(?:{_OTHER_RE}|万(?:{_COUNT_RE})|{_COUNT_RE})(?:/(?:人|年|月|季度|次|户|天|日))?")
POST_QUALIFIER_RE = re.compile(r"(?:（含）|\(含\))?(?:及以上|及以下|以上|以下|以内|左右)")
PRE_QUALIFIERS = ("不低于", "不少于", "不超过", "不高于", "超过", "大于", "小于", "不足",
                  "≥", "≤", ">", "<", "=", "约", "近")
# A number followed by one of these is a date/ordinal/document number, not a figure.
_NOT_FIGURE_AFTER = tuple("年月日号时届〕]】）)、.") + ("季度",)
_TITLE_RE = re.compile(r"《[^《》]*》")              # numbers inside a document title are not figures
_NOT_FIGURE_BEFORE = tuple("第〔[【") + ("编号",)


@dataclass(frozen=True)
class Figure:
    start: int                 # offset of the whole figure (qualifier included)
    end: int                   # offset after unit / post-qualifier
    num_start: int             # offset of the digits
    num_end: int
    value: Decimal
    unit: str                  # "" when the figure is bare
    qualifier: str | None
    text: str                  # the figure as printed

    @property
    def is_count(self) -> bool:
        return self.unit.lstrip("万").split("/")[0] in COUNT_UNITS


def normalize(text: str) -> str:
    """Full-width digits and symbols to ASCII, one character for one character."""
    return _FW_COMMA_RE.sub(",", text.translate(_FULLWIDTH))


def to_decimal(digits: str) -> Decimal | None:
    try:
        return Decimal(digits.replace(",", ""))
    except InvalidOperation:
        return None


def _skip_spaces(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \u3000":
        i += 1
    return i


def _match_unit(norm: str, i: int) -> str:
    m = UNIT_RE.match(norm, i)
    if not m:
        return ""
    unit = m.group(0)
    guard = _UNIT_GUARDS.get(unit)
    if guard and m.end() < len(norm) and norm[m.end()] in guard:
        return ""
    return unit


def _pre_qualifier(norm: str, start: int) -> tuple[str | None, int]:
    j = start
    while j > 0 and norm[j - 1] in " \u3000":
        j -= 1
    for q in PRE_QUALIFIERS:
        if norm.endswith(q, 0, j):
            return q, j - len(q)
    return None, start


def _is_excluded(norm: str, s: int, e: int) -> bool:
    before = norm[:s].rstrip(" \u3000")
    if before.endswith(_NOT_FIGURE_BEFORE):
        return True
    if s > 0 and norm[s - 1].isascii() and norm[s - 1].isalpha():
        return True                                   # part of a code like JTK067
    if e < len(norm) and norm[e].isascii() and norm[e].isalpha():
        return True                                   # 2023JTK…, 5G
    after = norm[_skip_spaces(norm, e):]
    return after.startswith(_NOT_FIGURE_AFTER)


def scan_figures(text: str, bare: bool = False) -> list[Figure]:
    """Every figure printed in text, in order. With bare=True unit-less numbers are kept too."""
    norm = normalize(text)
    titles = [(m.start(), m.end()) for m in _TITLE_RE.finditer(norm)]
    figures: list[Figure] = []
    for m in NUMBER_RE.finditer(norm):
        s, e = m.span()
        if _is_excluded(norm, s, e) or any(a < s < b for a, b in titles):
            continue
        value = to_decimal(m.group(0))
        if value is None:
            continue
        num_start = s
        if s > 0 and norm[s - 1] == "-" and (s == 1 or norm[s - 2] in " \t\u3000（("):
            value, s = -value, s - 1
        k = _skip_spaces(norm, e)
        unit = _match_unit(norm, k)
        end = k + len(unit) if unit else e
        post = POST_QUALIFIER_RE.match(norm, end) if unit else None
        qualifier, start = _pre_qualifier(norm, s)
        if post:
            end = post.end()
            qualifier = qualifier or post.group(0)
        if not unit and not qualifier and not bare:
            continue
        if unit == "百分比":
            unit = "%"
        figures.append(Figure(start=start, end=end, num_start=num_start, num_end=e, value=value,
                              unit=unit, qualifier=qualifier, text=text[start:end]))
    return figures


def numbers_in(text: str) -> list[Decimal]:
    """All numbers printed in text (no unit needed), for cross-checks."""
    norm = normalize(text)
    return [v for v in (to_decimal(m.group(0)) for m in NUMBER_RE.finditer(norm)) if v is not None]


def starts_with_unit(text: str) -> bool:
    norm = normalize(text)
    return bool(_match_unit(norm, _skip_spaces(norm, 0)))
