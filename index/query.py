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


_TOTAL_WORDS = re.compile(r"总共|一共|合计|总计|总额|总数|加起来|共计|全部|整体|总体|规模|\b(?:total|overall|whole|"
                          r"altogether|in all|all together|entire)\b", re.I)
AGGREGATES = frozenset("""预算 部门预算 部门决算 决算 收入 支出 基本 项目 基本支出 项目支出 总收入 总支出 经费 资金 钱
budget budgets spending spend spent expenditure expenditures revenue income funding money""".split())
ASKING = frozenset("""多少 是 的 了 少 多 比 相比 差 差了 少了 多了 哪家 哪个 最高 最低 最多 最少 几倍 倍 中 里 不算 不含 包括
大约 大概 实际 今年 去年 年 这 三家 两家 家 部门 年度 安排 花 花了 用 有 吗 呢 请问 多大 有多大 多高 大 几 多少钱 一下
how much many what which is are was were the a an of in for than larger smaller bigger more less higher lower
highest lowest compare comparing compared difference times did does do actually actual yuan 10 000 its it s
by to on healthcare security medical insurance bureau centre center fund management administration""".split())
_WORD_EN = re.compile(r"[a-z]+")
_RUN_ZH = re.compile(r"[\u4e00-\u9fff]+")


PARTS = frozenset("基本 项目 基本支出 项目支出".split())


def asks_for_total(content: str) -> bool:
    """Whether the question wants a whole (a table's total row): it says 一共 / total, or names nothing
    but aggregate words (预算, 项目支出, budget) once org, place and year words are set aside."""
    topic = _topic_words(content)
    if _TOTAL_WORDS.search(content):
        return True
    return bool(topic) and all(w in AGGREGATES for w in topic)


def asks_for_whole_budget(content: str) -> bool:
    """A total of the whole budget (预算是多少, 预算规模, total budget), not of one part (项目支出一共)."""
    topic = [w for w in _topic_words(_TOTAL_WORDS.sub(" ", content)) if w not in ("经费", "资金", "钱")]
    return asks_for_total(content) and not any(w in PARTS or w not in AGGREGATES for w in topic)


def _topic_words(content: str) -> list[str]:
    words = _WORD_EN.findall(content.lower())
    for run in _RUN_ZH.findall(content):
        words += _jieba_words(run)
    return [w for w in words if w.strip() and re.match(r"\w", w) and w not in ASKING]


def _jieba_words(run: str) -> list[str]:
    from index.tokenize import _jieba
    return _jieba().lcut(run)


def is_english(text: str) -> bool:
    """Mostly Latin text (fewer than a quarter CJK characters)."""
    return len(_CJK.findall(text)) < len(text) // 4
