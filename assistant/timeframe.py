"""Years and kinds (预算 / 决算) in questions (pure functions)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from corpus.model import BUDGET, FINAL_ACCOUNTS
from assistant.text import nfkc

_YEAR = re.compile(r"(?<![\d.])(?<!\d,)((?:19|20)\d\d)(?![\d%])(?![,.]\d)\s*(年度?|年底|年末|年初)?(?!\s*(?:万|元|亿|台|人|个|家|辆|%))")
# "24年" / "22年度" for 2024 / 2022: two digits and 年, not a duration (近10年, 10年以来) nor part of a number
SHORT_YEAR = re.compile(r"(?<![\d.])(?<!\d,)(?<![近前后多第每这那])(\d\d)\s*年度?(?!\s*(?:以来|来|间|内|期|半|左右|[\d万元亿台人个家辆%]))")
_FY = re.compile(r"\bFY\s*((?:19|20)\d\d)\b", re.I)
_AS_OF = re.compile(r"(?:截至|截止|到|至|as of|by the end of|end of)\s*((?:19|20)\d\d)\s*(?:年)?\s*(?:底|末|12\s*月\s*31\s*日)?", re.I)
_DOC_YEAR = re.compile(r"((?:19|20)\d\d)\s*年?度?\s*(?:那份|这份|的?预算表|的?决算表|的?文件|的?报告|预算文件|决算文件)|"
                       r"(?:用|根据|按|从|拿)\s*((?:19|20)\d\d)\s*年?度?的?(?:部门)?(?:预算|决算)")
_THIS_YEAR = re.compile(r"今年|本年度?|this year|current year|这一年", re.I)
_RESTATED = re.compile(r"(?:去年|今年|上一?年|本年|last year|this year)\s*[(（]\s*(?:19|20)\d\d\s*年?(?:度)?\s*[)）]", re.I)
_LAST_YEAR = re.compile(r"去年|上一?年度?|前一年|last year|previous year|prior year|the year before|a year earlier|"
                        r"one year earlier", re.I)
_TWO_BACK = re.compile(r"前年|大前年|two years (?:before|earlier|ago|prior)", re.I)
_NEXT_YEAR = re.compile(r"明年|下一?年度?|next year", re.I)

# 预算 compounds that name a column, a table or a fund, not the kind of document
_BUDGET_COMPOUNDS = re.compile(
    r"一般公共预算|年初预算|调整(?:后的?)?预算|全年预算|预算准备金|预算数|政府性基金预算|国有资本经营预算|"
    r"预算拨款|预算执行|预算资金|预算没|预算还|预算规模|政府预算|"
    r"budget reserve|budget execution|general public budget|(?:initial|original|adjusted|revised) budget", re.I)
_FINAL_WORDS = re.compile(r"决算|final accounts?|actual(?:ly)? spen[dt]|actuals|spent|实际(?:花|支出|用|开支|执行)|花了|花掉|用掉", re.I)
_BUDGET_WORDS = re.compile(r"预算|安排|计划|打算|budget(?:ed)?|plann?ed|allocat", re.I)


@dataclass
class Years:
    years: list[int] = field(default_factory=list)     # explicit years, in question order
    as_of: list[int] = field(default_factory=list)     # years used as a date (截至2021年底)
    doc_year: int | None = None                        # "2024年那份预算表": the document's year
    relative: str | None = None                        # this / last / next, when said that way
    resolved_from_relative: bool = False


def parse_years(question: str, latest_year: int | None = None) -> Years:
    q = nfkc(question)
    out = Years()
    for m in _YEAR.finditer(q):
        y = int(m.group(1))
        if y not in out.years:
            out.years.append(y)
    for m in SHORT_YEAR.finditer(q):
        y = short_year(m.group(1), latest_year)
        if y is not None and y not in out.years:
            out.years.append(y)
    for m in _FY.finditer(q):
        y = int(m.group(1))
        if y not in out.years:
            out.years.append(y)
    for m in _AS_OF.finditer(q):
        out.as_of.append(int(m.group(1)))
    m = _DOC_YEAR.search(q)
    if m:
        out.doc_year = int(m.group(1) or m.group(2))
    if not out.years and latest_year is not None:
        if _THIS_YEAR.search(q):
            out.relative = "this"
            out.years = [latest_year]
            out.resolved_from_relative = True
        elif _NEXT_YEAR.search(q):
            out.relative = "next"
            out.years = [latest_year + 1]
            out.resolved_from_relative = True
        elif _TWO_BACK.search(q):
            out.relative = "last2"
            out.years = [latest_year - 2]
            out.resolved_from_relative = True
        elif _LAST_YEAR.search(q) and not re.search(r"上年结|上年结余|上年结转|比上年|较上年", q):
            out.relative = "last"
            out.years = [latest_year - 1]
            out.resolved_from_relative = True
    elif len(out.years) == 1 and _RESTATED.search(q):
        out.relative = "last" if _LAST_YEAR.search(q) else "this" if _THIS_YEAR.search(q) else None   # 去年（2023年）
    elif len(out.years) == 1 and _LAST_YEAR.search(q) and not re.search(r"上年结|上年结余|上年结转|比上年|较上年|比去年|较去年|"
                                                                        r"than (?:the )?(?:last|previous|prior) year", q, re.I):
        # "2024年预算表里三公经费的上年预算数": the year before the named one, as the named year's document states it
        out.doc_year = out.doc_year or out.years[0]
        out.relative = "last"
        out.years = [out.years[0] - 1]
    elif _THIS_YEAR.search(q) and out.years:
        out.relative = "this"
    return out


def short_year(digits: str, latest_year: int | None = None) -> int | None:
    """"24" -> 2024 when that is a plausible document year (within ten years of the latest one)."""
    year = 2000 + int(digits)
    if latest_year is None:
        return year if 2010 <= year <= 2039 else None
    return year if latest_year - 10 <= year <= latest_year + 1 else None


@dataclass
class KindHint:
    kind: str | None = None     # 预算 / 决算
    explicit: bool = False      # the word 预算/决算 (or budget / final accounts) itself was used


_YEAR_KIND = re.compile(r"((?:19|20)\d\d)\s*年?度?(?:的)?(?:部门)?(决算|预算|final accounts?|budget)", re.I)


def parse_kind(question: str) -> KindHint:
    q = nfkc(question)
    by_year = {m.group(1): "决算" if re.match(r"决算|final", m.group(2), re.I) else "预算" for m in _YEAR_KIND.finditer(q)}
    if len(set(by_year.values())) > 1:
        return KindHint()           # 2020年决算数与2024年预算数: each year's own document, no single kind
    if re.search(r"决算|final accounts?", q, re.I):
        return KindHint(FINAL_ACCOUNTS, True)
    stripped = _BUDGET_COMPOUNDS.sub(" ", q)
    if re.search(r"预算|\bbudget", stripped, re.I) and not _FINAL_WORDS.search(stripped):
        return KindHint(BUDGET, True)
    if _FINAL_WORDS.search(q):
        return KindHint(FINAL_ACCOUNTS, False)
    if _BUDGET_WORDS.search(stripped):
        return KindHint(BUDGET, False)
    return KindHint()
