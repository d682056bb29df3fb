"""Figures that belong together because one sentence prints them together (pure functions over views):

- the two ends of "从 A 增加到 B" (the corpus marks the start with qualifier 从 and the end with 到);
- the amount actually used printed right after a quota or plan: "编制总数 212 人，实有在编人数 191 人",
  "政府采购计划金额为 1080.86 万元，已支付金额为 842.29 万元".
"""
from __future__ import annotations

import re

from assistant.views import FactView

START, END = "从", "到"
ACTUAL_WORDS = re.compile(r"实有|实际|已|执行|支付|完成|使用|到位|落实")
# "编制用了几成" / "计划执行了多少" / "how much of it was used": the used part of a quota or plan
USAGE_CUE = re.compile(r"用了|使用了?|用掉了?|执行了|执行情况|完成了|落实了|到位了?|支付了|实际(?:花|支出|开支)|"
                       r"\b(?:used|utili[sz]ed|executed|disbursed|paid out|filled|actually spent)\b", re.I)
CHANGE_CUE = re.compile(r"增加了|减少了|增长了|下降了|提高了|降低了|多了|少了|增加多少|减少多少|"
                        r"\b(?:increase[sd]?|decrease[sd]?|grew|fell|rose|dropped)\b", re.I)


def same_sentence(a: FactView, b: FactView) -> bool:
    return a.prose and b.prose and a.fact.doc_id == b.fact.doc_id and a.para[0] == b.para[0] \
        and a.sentence_start == b.sentence_start


def start_of(end: FactView, views: list[FactView]) -> FactView | None:
    """The start figure of the "从 A 到 B" statement whose end is `end`."""
    if end.fact.qualifier != END:
        return None
    before = [w for w in views if w.fact.qualifier == START and w.fact.unit == end.fact.unit and w.prose
              and w.para[0] == end.para[0] and w.para[1] < end.para[1]]
    return max(before, key=lambda w: w.para[1]) if before else None


def end_of(start: FactView, views: list[FactView]) -> FactView | None:
    """The end figure of the "从 A 到 B" statement whose start is `start`."""
    if start.fact.qualifier != START:
        return None
    after = [w for w in views if w.fact.qualifier == END and w.fact.unit == start.fact.unit and w.prose
             and w.para[0] == start.para[0] and w.para[1] > start.para[1]]
    return min(after, key=lambda w: w.para[1]) if after else None


def says_actual(v: FactView) -> bool:
    return bool(ACTUAL_WORDS.search(v.clause_key or v.label_key))


def actual_after(plan: FactView, views: list[FactView]) -> FactView | None:
    """The used / actual figure the sentence prints right after a quota or plan figure (same unit, no
    larger than it), or None when the plan figure is itself an actual one."""
    if not plan.prose or says_actual(plan) or plan.change is not None:
        return None
    after = [w for w in views if w is not plan and same_sentence(plan, w) and w.para[1] > plan.para[1]
             and w.fact.unit == plan.fact.unit and w.change is None and says_actual(w)
             and w.fact.value <= plan.fact.value]
    return min(after, key=lambda w: w.para[1]) if after else None
