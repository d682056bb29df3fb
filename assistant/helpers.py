"""Small pure helpers and constants shared by the built-in agent's stages (no state)."""
from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

from assistant.calculator import plain
from assistant.changewords import CUT, RAISE
from assistant.compose import describe_measure, fmt_value, kind_clause, round_result, source_phrase
from assistant.model import Calculation
from assistant.question import Parsed
from assistant.resolve import Measure, Target

_STATED_FIGURE = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|\d{1,3}(?:,\d{3})+\.\d+)(?![\d.,]*\s*年)"
                            r"(?=\s*(?:万元|亿元|元|%|人|分|个|台|家|辆|项|次|笔))")


_PROJECT_WORD = re.compile(r"项目|\bprojects?\b", re.I)


CONTAINED = 0.7           # "A里，B": B is looked for inside A when the whole phrase matches less than this


NEAR_MATCH = 0.45          # a label the question names less than this much is only "the closest item"


_TWO_FIGURE_TEXT = {
    "ratio": ("{la} is {a}, {lb} is {b}; the share is {shown}.",
              "{la}为 {a}，{lb}为 {b}，占比 = {shown}。"),
    "times": ("{la} is {a}, {lb} is {b}; {la} is {shown} {lb}.",
              "{la}为 {a}，{lb}为 {b}，{shown}，即约为后者的 {times}。"),
    "growth": ("{la} is {a}, {lb} is {b}; growth rate = {shown}{fall}.",
               "{la}为 {a}，{lb}为 {b}，增长率 = {shown}{fall}。"),
    "per_unit": ("{la} is {a} and {lb} is {b}; per unit: {shown}.",
                 "{la}为 {a}，{lb}为 {b}，平均每{b_unit} = {shown}。"),
    "remaining": ("{la} is {a} and {lb} is {b}, so the unspent amount is {shown}.",
                  "{la}为 {a}，{lb}为 {b}，未执行（剩余）= {shown}。"),
}


def _distance(key: str, label: str, start: int, end: int) -> int:
    """Characters between a label's nearest occurrence in the text and a figure at [start, end)."""
    best, i = len(key), key.find(label)
    while i >= 0:
        j = i + len(label)
        best = min(best, start - j if j <= start else i - end if i >= end else 0)
        i = key.find(label, i + 1)
    return best


def _every_calculation(answers) -> list[Calculation]:
    """The calculations of answers merged into one (one per document or part), in order, each once: every
    calculated figure the merged text shows stays traceable to its calculation."""
    out: list[Calculation] = []
    for a in answers:
        out += [c for c in a.all_calculations() if c not in out]
    return out


def _earlier_year_note(t: Target, english: bool) -> str:
    """A figure of a year no document covers, printed for comparison in a later document: say so."""
    kind_en = "final accounts (决算)" if t.doc.kind == "决算" else "budget (预算)"
    if english:
        return (f" The corpus has no {t.ref_year} document; this is the {t.ref_year} figure that the {t.doc.year} "
                f"{kind_en} prints for comparison.")
    return f"（文件中没有{t.ref_year}年的部门{t.doc.kind}；这是{t.doc.year}年部门{t.doc.kind}中作为对比列出的{t.ref_year}年数。）"


def _main_clause(q: str) -> tuple[str, str]:
    """"…少了很多，那2023年的年初预算总额是多少？" -> (the last clause, the context before it)."""
    m = list(re.finditer(r"[，,；;。]\s*(?=那么?|那其中|所以|so\b|then\b)", q))
    if m:
        cut = m[-1]
        return q[cut.end():], q[:cut.start()]
    return q, ""


_YEAR_SPAN = re.compile(r"(?:from|从|由)\s*((?:19|20)\d\d)\s*年?\s*(?:to|到|至)\s*((?:19|20)\d\d)|"
                        r"(?<!\d)((?:19|20)\d\d)\s*年?\s*(?:到|至|-|–|~)\s*((?:19|20)\d\d)\s*年?\s*(?:间|期间)?(?:的)?\s*(?:[增减降涨升]|变)", re.I)


def _earlier_year_side(p: Parsed) -> int | None:
    """比上年 / 较2023年 / from 2023 to 2024 against a document year: the earlier year compared with."""
    span = _YEAR_SPAN.search(p.text)
    if span:
        first, second = [int(y) for y in span.groups() if y]
        if first < second:
            return first
    m = re.search(r"(?:比|较|与|相比|compared (?:with|to)|than|versus|vs\.?)\s*(上年|上一年|去年|last year|the previous year|"
                  r"(?:19|20)\d\d\s*年?)", p.text, re.I)
    if not m:
        return None
    digits = re.sub(r"\D", "", m.group(1))
    if digits:
        return int(digits)
    return (p.years.years[0] - 1) if p.years.years else 0


def _common_org(targets: list[Target], years: list[int]) -> str | None:
    by_year = [{t.org for t in targets if t.year == y} for y in years]
    common = set.intersection(*by_year) if by_year else set()
    return sorted(common)[0] if len(common) == 1 else (next(iter(common)) if common else None)


def _prefer_whole(cands: list[Target]) -> Target:
    return sorted(cands, key=lambda t: (t.ref_year is not None, t.entity is not None and t.entity != t.org))[0]


def _strip_cross_words(topic: str) -> str:
    t = re.sub(rf"比.*?(?:多|少|高|低|增加|减少|增长|下降|大|小|{CUT}|{RAISE})(?:了)?|相比|有变化|变化|变动|增减|相差|差额|差多少|哪(?:个|家|一家)\S*|最高|最多|"
               r"最大|最低|最少|的?几倍|多少倍|这?[三四五两二几]家(?:单位|部门|机构)?|这几家|分别|各自|占了?|多大|比重|比例|"
               r"谁的?|largest|biggest|most|least|smallest|of the \d{4} budgets|budgets|"
               r"百分之\S*|占比|\bhow many times\b|\btimes\b|\bas an? (?:share|percentage|proportion) of\b|\bshare of\b|"
               r"\bpercentage of\b|\bproportion of\b|\bbigger\b|\bgreater\b|\bdifference between\b|"
               r"how much|larger|smaller|more|less|than|compar\w*|higher|lower|which|highest|lowest|\bor\b|、", " ", topic,
               flags=re.I)
    return re.sub(r"\s+", " ", t).strip()


def _operand(m: Measure) -> str:
    value = m.calculation.result if m.calculation is not None else m.value
    if m.calculation is not None:
        value = round_result(value, m.unit)
    return plain(value)


def _fig(m: Measure, english: bool) -> str:
    if m.calculation is not None:
        return fmt_value(round_result(m.calculation.result, m.unit), m.unit, None, english)
    return fmt_value(m.value, m.unit, m.primary, english)


def _source_prefix(t, english: bool, kb) -> str:
    """'From <document> (<kind>): ' / '据<document>（<kind>）：' before an answer from one document."""
    if english:
        return f"From {source_phrase(t, english, kb)} ({kind_clause(t, english)}): "
    return f"据{source_phrase(t, english, kb)}（{kind_clause(t, english)}）："


def _result_text(value: Decimal, unit: str | None, english: bool) -> str:
    return fmt_value(value, unit, None, english)


def _side(m: Measure, cross: bool, english: bool, kb) -> str:
    what = describe_measure(m, english, kb)
    if not cross:
        return what
    t = m.target
    src = source_phrase(t, english, kb)
    year = t.ref_year or t.doc.year
    if english:
        return f"{what} in {src}" + (f" (for {year})" if t.ref_year else "")
    return f"{src}{'（' + str(year) + '年）' if t.ref_year else ''}{what}"


def _label_zh(m: Measure) -> str:
    return m.label if m.label else "该项"


def _shown(calc: Calculation, views, unit) -> str:
    return f"{calc.expression} = {fmt_value(round_result(calc.result, unit), unit)}"


def _purpose_words(purpose: str) -> str:
    """A stated purpose as shown: its clauses up to the first one carrying a number (a figure shown must be cited)."""
    kept = ""
    for clause in re.split(r"(?<=[，,；;。])", purpose.strip()):
        if re.search(r"\d", clause) or len(kept) + len(clause) > 80:
            if not kept and not re.search(r"\d", clause):
                kept = clause[:80] + "…"
            break
        kept += clause
    return kept.rstrip("，,；;。 ")


def _close_amount(v, fig) -> bool:
    value, unit = fig
    if unit == v.fact.unit:
        return v.fact.value == value
    return False

