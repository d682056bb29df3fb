"""Answer wording (Chinese or English) and citations. Every figure written here comes from a cited
fact or from a calculator result."""
from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from corpus.model import BUDGET
from assistant.glossary import Glossary
from assistant.model import Citation
from assistant.resolve import Measure, Target
from assistant.text import money, norm
from assistant.views import FactView, column_text

MONEY_UNITS = ("万元", "元", "亿元")


def cite(v: FactView, kb) -> Citation:
    f = v.fact
    doc = kb.catalog.get(f.doc_id)
    return Citation(doc=f.doc_id, org=f.org, year=f.year, kind=f.kind, table=f.table, row=f.row,
                    line=f.line, quote=f.quote, value=f.value, column=" / ".join(f.column), unit=f.unit,
                    scope=(doc.scope if doc else f.scope), table_id=f.table_id, row_code=f.row_code,
                    year_ref=(v.change.year_ref if v.change else None) or f.year_ref or
                    next((y for y in v.years if y != f.year), None),
                    where=f.location.label() if f.location else "")


def citations_for(measures: list[Measure], kb, limit: int = 12) -> list[Citation]:
    out: list[Citation] = []
    seen = set()
    for m in measures:
        for v in m.views:
            key = (v.fact.doc_id, v.fact.line, str(v.fact.value))
            if key in seen:
                continue
            seen.add(key)
            out.append(cite(v, kb))
    return out[:limit]


def fmt_value(value: Decimal, unit: str | None, view: FactView | None = None, english: bool = False) -> str:
    """A figure with its unit; printed as the document prints it when it comes from one fact."""
    if view is not None and view.printed and _printed_equals(view.printed, value):
        text = view.printed
        if re.fullmatch(r"\d{4,}(?:\.\d+)?", text):
            text = money(Decimal(text))
    elif unit == "%":
        text = _round(value, 2)
    elif unit in MONEY_UNITS or (unit != "倍" and value == value.to_integral_value()):
        text = money(_q(value))             # a whole count stays whole: 1,079 个, not 1,079.00 个
    else:
        text = _round(value, 2)
    if english and unit == "元":
        return f"{text} yuan"
    if english and unit in MONEY_UNITS:
        return f"{yuan_text(value, unit)} ({text} {unit})"     # 3.69 million yuan (369 万元)
    return text + unit_text(unit, english)


_YUAN_SCALE = {"元": Decimal(1), "万元": Decimal(10000), "亿元": Decimal(100000000)}


def yuan_text(value: Decimal, unit: str) -> str:
    """An amount in yuan for English readers: 369 万元 -> "3.69 million yuan" (two decimals at most;
    the exact printed figure follows it in brackets)."""
    yuan = value * _YUAN_SCALE[unit]
    for size, word in ((Decimal(10) ** 9, "billion"), (Decimal(10) ** 6, "million")):
        if abs(yuan) >= size:
            scaled = (yuan / size).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP).normalize()
            return f"{scaled:,f} {word} yuan"
    whole = yuan.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{(whole.quantize(Decimal(1)) if whole == whole.to_integral_value() else whole):,} yuan"


def unit_text(unit: str | None, english: bool = False) -> str:
    if not unit:
        return ""
    if unit == "%":
        return "%"
    if english:
        # 万元 is a unit of 10,000 yuan: "1,000 万元" is 10 million yuan, so the gloss names the unit
        return {"万元": " 万元 (units of 10,000 yuan)", "元": " 元 (yuan)", "亿元": " 亿元 (units of 100 million yuan)",
                "倍": " times"}.get(unit, f" {unit}")
    return f" {unit}" if unit in MONEY_UNITS else unit


def _printed_equals(printed: str, value: Decimal) -> bool:
    try:
        return Decimal(printed.replace(",", "")) == value
    except Exception:
        return False


def _q(value: Decimal) -> Decimal:
    """Computed money: whole numbers stay whole, anything else to two decimals."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _round(value: Decimal, places: int) -> str:
    q = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{q:,}" if abs(q) >= 1000 else str(q)


def round_result(value: Decimal, unit: str | None) -> Decimal:
    if unit in MONEY_UNITS or unit in ("%", "倍") or unit is None or "/" in unit:
        return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return value


@lru_cache(maxsize=256)
def _english_gloss(label: str, glossary: Glossary) -> str:
    for e in glossary.entries:
        if e.type != "term":
            continue
        if any(p and (p == label or (len(p) >= 3 and p in label and len(label) - len(p) <= 2)) for p in e.printed):
            english = [a for a in e.asked if re.search(r"[a-z]", a)]
            if english:
                return english[0]
    return ""


def name_label(label: str, english: bool, glossary: Glossary, code: str | None = None) -> str:
    code_part = f"（{code}）" if code and not english else (f" ({code})" if code else "")
    if not english:
        return (f"{label}{code_part}" if re.search(r"[“”\"]", label) else f"“{label}”{code_part}")
    gloss = _english_gloss(label, glossary)
    return f"{gloss} ({label}){code_part}" if gloss else f"“{label}”{code_part}"


def org_english(org: str, kb) -> str:
    for o in kb.orgs.names:
        if o.name == org:
            city = kb.orgs.city_english.get(o.city, "").capitalize()
            name = " ".join(w.capitalize() for w in (o.english_name or "").split())
            return f"{city} {name}".strip()
    return org


def source_phrase(t: Target, english: bool, kb) -> str:
    d = t.doc
    scope = f"（{d.scope}）" if d.scope else ""
    if english:
        kind = "budget (预算)" if d.kind == BUDGET else "final accounts (决算)"
        who = f"{d.org}{scope} ({org_english(d.org, kb)})"
        part = ""
        if t.entity and t.entity != d.org:
            part = f", the part for {t.entity} ({org_english(t.entity, kb)})"
        elif t.entity == d.org:
            part = ", bureau proper (本级)"
        return f"the {d.year} {kind} of {who}{part}"
    part = ""
    if t.entity and t.entity != d.org:
        part = f"中{t.entity}部分"
    elif t.entity == d.org:
        part = "中本级部分"
    return f"{d.org}{scope}{d.year}年部门{d.kind}{part}"


def kind_clause(t: Target, english: bool, m: Measure | None = None) -> str:
    d = t.doc
    if m is not None and d.kind != BUDGET and m.primary.fact.column and \
            re.search(r"预算", m.primary.fact.column[0]) and not re.search(r"决算|执行|实际", m.primary.fact.column[0]):
        # the budget column (预算数, 年初预算) the final accounts print beside the amount spent
        return (f"the final accounts' budget column ({m.primary.fact.column[0]})" if english else
                f"决算中列示的{m.primary.fact.column[0]}")
    if english:
        return "a budget figure (预算数)" if d.kind == BUDGET else "a final-accounts figure (决算数)"
    return "预算数" if d.kind == BUDGET else "决算数"


def describe_measure(m: Measure, english: bool, kb) -> str:
    """“医疗保障经办事务”（2101506）支出总计 — what the figure is, as printed."""
    v = m.primary
    units = list(dict.fromkeys(w.entity or w.fact.entity for w in m.views if w.entity or w.fact.entity))
    if m.calculation is not None and len(units) >= 2:       # a consolidated figure added up over its units
        what = column_text(v.fact.column) or m.column or v.label
        return (f"{name_label(what, english, kb.glossary)} of {', '.join(units)} together" if english else
                f"{'、'.join(units)}合计的“{what}”")
    label = m.label
    code = v.fact.row_code if not v.prose else None
    text = name_label(label, english, kb.glossary, code)
    if v.total_row and not v.prose and m.column:
        table = v.fact.table
        text = name_label(m.column, english, kb.glossary)
        if table and norm(table) == norm(v.label):     # the row is the table itself
            text = (f"{text} in table “{table}”" if english else f"《{table}》中{text}")
    elif v.total_row and not v.prose and not m.column and v.fact.table and v.label not in (m.target.doc.org,):
        table = v.fact.table
        text = (f"the total ({label}) of table “{table}”" if english else f"《{table}》{label}") \
            if table.replace(" ", "") != label else name_label(label, english, kb.glossary)
    elif m.column:
        text += f" — {name_label(m.column, english, kb.glossary)}" if english else f"中“{m.column}”"
    if v.fact.entity and not english and v.entity and v.entity != m.target.doc.org and m.target.entity is None:
        text += f"（{v.entity}）"
    return text


def table_phrase(v: FactView, english: bool) -> str:
    f = v.fact
    if f.source == "table":
        return f"table “{f.table}”" if english else f"《{f.table}》"
    return "the text" if english else "正文"


def corpus_summary(kb, english: bool) -> str:
    return kb.catalog.summary(english)
