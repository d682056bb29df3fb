"""Pure text helpers for table cells: splitting, wrap-space removal, codes, numbering, totals, org names."""
from __future__ import annotations

import re
from decimal import Decimal

from corpus.numbers import normalize_digits, parse_number

_CJK = r"\u4e00-\u9fff"
# a space left by line wrapping between CJK characters/punctuation: "一般公共 预算" -> "一般公共预算"
_WRAP_SPACE = re.compile(rf"(?<=[{_CJK}（）()、“”：:，—\-])\s+(?=[{_CJK}（）()、“”：:，—\-])")
_YEAR_SPACE = re.compile(r"(?<=\d)\s+(?=[年月日])|(?<=[年月])\s+(?=\d)")
CODE_RE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")                 # 科目编码: 210 / 21015 / 2101506
_BRACKET_CODE = re.compile(r"^\s*[\[【]\s*(\d{3}(?:\d{2}){0,2})\s*[\]】]\s*(.+)$")
_DASH_CODE = re.compile(r"^\s*(\d{3}(?:\d{2}){0,2})\s*[-－—]\s*(\S.*)$")
YEAR_LABEL_RE = re.compile(r"^(?:19|20)\d\d\s*年度?$")
_CN_NUM = "一二三四五六七八九十百零"
_NUMBERING = (
    ("cn", re.compile(rf"^[{_CN_NUM}]+\s*[、．.]\s*")),         # 一、
    ("cn-paren", re.compile(rf"^[（(]\s*[{_CN_NUM}]+\s*[）)]\s*[、．.]?\s*")),  # （一）
    ("arabic", re.compile(r"^\d{1,2}\s*(?:[、．]|\.(?!\d))\s*")),            # 1. / 1、 (not 1.5)
    ("arabic-paren", re.compile(r"^[（(]\s*\d{1,2}\s*[）)]\s*[、．.]?\s*")),   # （1）
)
_SUBSET_PREFIX = re.compile(r"^其中\s*[：:]\s*")
_TOTAL_RE = re.compile(r"^(?:.*[-－—])?(?:本年)?(?:收入|支出|金额)?(?:合计|总计|小计|总分)$")
_ORG_RE = re.compile(rf"^[{_CJK}（）()]{{2,30}}?(?:局|中心|委员会|办公室|医院|学校|站|所|院|厅|署)"
                     r"(?:（(?:本级|汇总)）|\((?:本级|汇总)\))?$")
_NOT_ORG_WORDS = re.compile(r"支出|经费|补助|项目|资金|事务|费")
_ENTITY_SUBTOTAL = re.compile(r"^(.+?)\s*[-－—]\s*小计$")


def split_cells(line: str) -> list[str]:
    """Tab-separated cells, stripped; a markdown '|' is not a separator here."""
    return [c.strip() for c in line.split("\t")]


def norm_text(text: str) -> str:
    """Remove line-wrap spaces inside CJK text and around years; collapse other whitespace."""
    s = normalize_digits(text).strip() if text else ""
    s = re.sub(r"\s+", " ", s)
    s = _WRAP_SPACE.sub("", s)
    s = _YEAR_SPACE.sub("", s)
    return s.strip()


def header_text(text: str) -> str:
    """Header cell text: normalized, trailing colon dropped ("其中：" -> "其中")."""
    return norm_text(text).rstrip("：:").strip()


def cell_number(text: str) -> Decimal | None:
    """A money/count cell: a single plain number. Percentages are measures, not cells."""
    s = (text or "").strip()
    if not s or s.endswith(("%", "％")):
        return None
    return parse_number(s)


def is_code(text: str) -> bool:
    return bool(CODE_RE.match((text or "").strip()))


def split_code_label(text: str) -> tuple[str | None, str]:
    """'[2101505]医疗保障政策管理' or '2101505-行政运行' -> (code, label); else (None, text)."""
    for pattern in (_BRACKET_CODE, _DASH_CODE):
        m = pattern.match(text or "")
        if m:
            return m.group(1), m.group(2).strip()
    return None, text


def numbering(label: str) -> tuple[str | None, str]:
    """Leading outline numbering -> (style, rest). '其中：' is dropped first ('其中：（1）公务用车购置费')."""
    s = _SUBSET_PREFIX.sub("", label.strip())
    for style, pattern in _NUMBERING:
        m = pattern.match(s)
        if m and m.end() < len(s):
            return style, s[m.end():].strip()
    return None, s


def strip_numbering(label: str) -> str:
    return numbering(label)[1]


def is_total_label(label: str) -> bool:
    """合计 / 总计 / 小计 / 本年收入合计 / 收入总计 / 支出总计 / 金额合计 / 'X-小计' / 总分 (a score table's)."""
    return bool(_TOTAL_RE.match(norm_text(strip_numbering(label))))


def is_year_label(label: str) -> bool:
    return bool(YEAR_LABEL_RE.match(norm_text(label)))


def entity_name(label: str) -> str | None:
    """An organisation name used as a row label ('深圳市医疗保障局', '江门市医疗保障局-小计')."""
    s = norm_text(label)
    m = _ENTITY_SUBTOTAL.match(s)
    if m:
        s = m.group(1)
    if len(s) > 32 or not _ORG_RE.match(s) or _NOT_ORG_WORDS.search(s):
        return None
    return s
