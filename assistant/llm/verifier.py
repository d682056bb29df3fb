"""Number verifier: every number in an LLM answer must be a figure the tools returned this turn.

Pure functions. A number in the answer ("mention") passes when it equals a tool figure, allowing
- unit conversion between 元 / 万元 / 亿元 (and million / billion in English), and ratio ↔ percent;
- rounding to the number of decimals the answer prints (0 decimals only when the rounding error is small);
- thousands separators, full-width digits, Chinese numerals (十二个, 一亿元, 百分之八十);
- sign words instead of a minus sign (下降 12.5% for a figure of -12.5).
Years, codes and other unit-less numbers may also come from the question. List markers, citation
markers ([1], [R3]), ordinals (第3部分, 表3), month/day numbers and identifiers copied verbatim from
tool output (file names, hashes) are not figures and are not checked.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Iterable

_FULLWIDTH = str.maketrans("０１２３４５６７８９．％－＋−﹣", "0123456789.%-+--")
_FW_THOUSANDS = re.compile(r"(?<=[０-９]),(?=[０-９]{3})|(?<=[０-９])，(?=[０-９]{3})")

NUMBER = re.compile(r"(?<![\d.])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?!\d|\.\d)")

# Unit words after a number, longest first. factor = size in 元 for money units.
MONEY_FACTORS: dict[str, Decimal] = {
    "元": Decimal(1), "千元": Decimal(10) ** 3, "万元": Decimal(10) ** 4, "十万元": Decimal(10) ** 5,
    "百万元": Decimal(10) ** 6, "千万元": Decimal(10) ** 7, "亿元": Decimal(10) ** 8,
    "万": Decimal(10) ** 4, "亿": Decimal(10) ** 8, "千万": Decimal(10) ** 7, "百万": Decimal(10) ** 6,
    "yuan": Decimal(1), "ten thousand yuan": Decimal(10) ** 4, "wan yuan": Decimal(10) ** 4,
    "thousand": Decimal(10) ** 3, "million": Decimal(10) ** 6,
    "billion": Decimal(10) ** 9,
}
PERCENT_UNITS = {"%", "percent", "个百分点", "百分点", "percentage points", "percentage point"}
COUNT_UNITS = ("人", "名", "台", "个", "项", "次", "笔", "辆", "套", "家", "所", "件", "户", "张", "批", "场")
_UNIT_WORDS = sorted(list(MONEY_FACTORS) + list(PERCENT_UNITS) + list(COUNT_UNITS), key=len, reverse=True)
_UNIT_AFTER = re.compile(r"[\s*_]*(" + "|".join(re.escape(u) for u in _UNIT_WORDS) + r")(?![A-Za-z])",
                         re.IGNORECASE)
_TEN_THOUSAND_YUAN = re.compile(r"\s*yuan", re.IGNORECASE)

_CITATION_MARK = re.compile(r"[\[【]\s*[A-Za-z]{0,3}\d+(?:\s*[,，、\-–]\s*[A-Za-z]{0,3}\d+)*\s*[\]】]")
_LIST_MARK = re.compile(r"(?m)^\s*(?:[-*>]\s*)?(?:[（(]\d{1,2}[)）]|\d{1,2}[.、)）](?!\d))")
_ORDINAL = re.compile(r"(?:第|表|附表|附件|公开|Table\s|No\.\s?|part\s|step\s)\s*\d+", re.IGNORECASE)
_DATE_PART = re.compile(r"(?<!\d)(?:1[0-2]|0?[1-9])\s*月|(?<!\d)(?:3[01]|[12]\d|0?[1-9])\s*[日号]")
_IDENTIFIER = re.compile(r"[0-9A-Za-z_][0-9A-Za-z_.\-#]*[0-9A-Za-z_]")

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
              "八": 8, "九": 9}
_CN_SMALL = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10 ** 4, "亿": 10 ** 8}
_CN_CHARS = "零〇一二两三四五六七八九十百千万亿"
_CN_NUMBER = re.compile(rf"(百分之)?([{_CN_CHARS}]+(?:点[{_CN_CHARS[:12]}]+)?)")


@dataclass(frozen=True)
class Figure:
    """A number a tool returned this turn (or a calculator result), with its unit when known."""
    value: Decimal
    unit: str | None = None
    source: str = ""               # e.g. "find_facts#2"
    ref: Any = field(default=None, compare=False)   # the record it came from (for citations)
    text: str = field(default="", compare=False)    # as printed in the tool output, e.g. "7,171.87"
    label: str = field(default="", compare=False)   # what it is the figure of (row label / clause)


@dataclass(frozen=True)
class Mention:
    """A number printed in the answer."""
    text: str
    value: Decimal
    decimals: int
    unit: str | None
    start: int
    end: int


@dataclass(frozen=True)
class Match:
    mention: Mention
    figure: Figure | None          # None = matched a question number (years, codes)
    exact: bool


@dataclass(frozen=True)
class Verdict:
    ok: bool
    matches: tuple[Match, ...] = ()
    failures: tuple[Mention, ...] = ()

    def reason(self) -> str:
        if self.ok:
            return "all numbers verified"
        shown = "、".join(f"“{m.text}”" for m in self.failures[:5])
        more = f" (+{len(self.failures) - 5} more)" if len(self.failures) > 5 else ""
        return f"numbers not returned by any tool this turn: {shown}{more}"


# -- normalisation and extraction ---------------------------------------------------

def normalize(text: str) -> str:
    """Same length as the input, so positions map back: full-width digits, signs and % to ASCII."""
    return _FW_THOUSANDS.sub(",", text).translate(_FULLWIDTH)


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def _unit_after(text: str, end: int) -> tuple[str | None, int]:
    m = _UNIT_AFTER.match(text, end)
    if not m:
        return None, end
    unit = m.group(1)
    lowered = unit.lower()
    if lowered in {"yuan", "thousand", "million", "billion", "percent", "ten thousand yuan", "wan yuan"} \
            or lowered.startswith("percentage"):
        unit = lowered
        if lowered in {"thousand", "million", "billion"}:   # "71.72 million yuan"
            tail = _TEN_THOUSAND_YUAN.match(text, m.end())
            return unit, tail.end() if tail else m.end()
    return unit, m.end()


def _exempt_spans(text: str, known_identifiers: Iterable[str] = ()) -> list[tuple[int, int]]:
    spans = [m.span() for pattern in (_CITATION_MARK, _LIST_MARK, _ORDINAL, _DATE_PART)
             for m in pattern.finditer(text)]
    known = set(known_identifiers)
    for m in _IDENTIFIER.finditer(text):
        token = m.group(0)
        has_letter = any(c.isalpha() for c in token)
        if has_letter and any(c.isdigit() for c in token) and token in known:
            spans.append(m.span())
    # "(10,000 yuan)" is a unit, not a figure
    for m in re.finditer(r"10,?000\s*yuan", text, re.IGNORECASE):
        spans.append(m.span())
    return spans


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)


def parse_chinese_number(text: str) -> Decimal | None:
    """一亿二千万 → 120000000; 十二 → 12; 三点五 → 3.5. None if not a well-formed numeral."""
    if "点" in text:
        whole, _, frac = text.partition("点")
        base = parse_chinese_number(whole) if whole else Decimal(0)
        if base is None or not frac or any(c not in _CN_DIGITS for c in frac):
            return None
        return base + Decimal("0." + "".join(str(_CN_DIGITS[c]) for c in frac))
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in _CN_DIGITS:
            if digit is not None and digit != 0 and _CN_DIGITS[ch] != 0:
                return None     # "一二" is not a numeral
            digit = _CN_DIGITS[ch]
        elif ch in _CN_SMALL:
            section += (1 if digit is None else digit) * _CN_SMALL[ch]
            digit = None
        elif ch in _CN_BIG:
            section += digit or 0
            total = (total + section) * _CN_BIG[ch] if ch == "亿" else total + section * _CN_BIG[ch]
            section, digit = 0, None
        else:
            return None
    return Decimal(total + section + (digit or 0))


def extract_mentions(answer: str, known_identifiers: Iterable[str] = ()) -> list[Mention]:
    """Every figure-like number in the answer, with its unit, skipping markers and ordinals."""
    text = normalize(answer)
    spans = _exempt_spans(text, known_identifiers)
    mentions: list[Mention] = []
    for m in NUMBER.finditer(text):
        if _inside(m.start(), spans):
            continue
        value = _decimal(m.group(0))
        if value is None:
            continue
        unit, end = _unit_after(text, m.end())
        decimals = len(m.group(0).partition(".")[2])
        mentions.append(Mention(answer[m.start():end], value, decimals, unit, m.start(), end))
    mentions += _chinese_mentions(answer, text, spans)
    return sorted(mentions, key=lambda x: x.start)


def _chinese_mentions(answer: str, text: str, spans: list[tuple[int, int]]) -> list[Mention]:
    out: list[Mention] = []
    for m in _CN_NUMBER.finditer(text):
        percent_prefix, numeral = m.group(1), m.group(2)
        start = m.start(2)
        if _inside(start, spans) or (start > 0 and text[start - 1] == "第"):
            continue
        value = parse_chinese_number(numeral)
        if value is None or not (any(c in _CN_DIGITS for c in numeral) or numeral.startswith("十")):
            continue
        unit, end = _unit_after(text, m.end())
        if percent_prefix:
            unit, start = "%", m.start()
        # 一个 / 十分 / 千万不要 are language, not figures: check numerals with a unit (ten or more
        # for counts), 百分之…, and amounts like 三千万 / 两亿.
        counted = unit is not None and (unit in MONEY_FACTORS or unit in PERCENT_UNITS or value >= 10)
        big = numeral[-1] in "万亿" and value >= 10 ** 4
        if not (percent_prefix or counted or big):
            continue
        decimals = len(numeral.partition("点")[2])
        out.append(Mention(answer[start:end], value, decimals, unit, start, end))
    return out


_CLAUSE_START = re.compile(r"[，。；：;:,\n\t|（(）)、]")


def clause_before(text: str, pos: int, limit: int = 16) -> str:
    """The words just before a number, back to the previous punctuation: "医保自助设备服务费 369" → 医保自助设备服务费."""
    start = max(0, pos - limit)
    head = text[start:pos]
    cut = max((m.end() for m in _CLAUSE_START.finditer(head)), default=0)
    return re.sub(r"[\s\d.,%]+$", "", head[cut:]).strip()


def figures_in_text(text: str, source: str = "", ref: Any = None,
                    default_unit: str | None = None, label: str = "") -> list[Figure]:
    """Numbers printed in tool output text, with the unit that follows each one when there is one."""
    norm = normalize(text)
    figures = []
    for m in NUMBER.finditer(norm):
        value = _decimal(m.group(0))
        if value is None:
            continue
        unit, _ = _unit_after(norm, m.end())
        figures.append(Figure(value, unit or default_unit, source, ref, m.group(0),
                              label or clause_before(norm, m.start())))
    return figures


def numbers_in(text: str) -> list[Decimal]:
    return [v for v in (_decimal(m.group(0)) for m in NUMBER.finditer(normalize(text))) if v is not None]


# -- matching -------------------------------------------------------------------------

_MONEY_GUESSES = (MONEY_FACTORS["元"], MONEY_FACTORS["万元"], MONEY_FACTORS["亿元"])


def _scales(mention_unit: str | None, figure_unit: str | None) -> tuple[Decimal, ...]:
    mu = mention_unit.lower() if mention_unit else None
    fu = figure_unit.lower() if figure_unit else None
    if mu is None:
        return (Decimal(1),)
    if mu in MONEY_FACTORS:
        if fu in MONEY_FACTORS:
            return (MONEY_FACTORS[fu] / MONEY_FACTORS[mu],)
        if fu is None:
            return tuple(f / MONEY_FACTORS[mu] for f in _MONEY_GUESSES)
        return ()
    if mu in PERCENT_UNITS:
        if fu in PERCENT_UNITS:
            return (Decimal(1),)
        return (Decimal(1), Decimal(100)) if fu is None else ()
    return (Decimal(1),) if fu in (None, mu) else ()


def _close(value: Decimal, decimals: int, target: Decimal) -> tuple[bool, bool]:
    """(matches, exact). Rounding to the printed decimals; 0-decimal rounding needs ≤10% error."""
    if value == target:
        return True, True
    tolerance = Decimal(5) * Decimal(10) ** (-decimals - 1)
    if abs(value - target) > tolerance:
        return False, False
    if decimals == 0 and abs(value - target) > abs(target) / 10:
        return False, False
    return True, False


def _labelled_nearby(figure: Figure, context: str) -> bool:
    """The figure's label (or its last four characters) is written just before the mention."""
    label = re.sub(r"\s+", "", figure.label or "")
    if len(label) < 2 or not context:
        return False
    window = re.sub(r"\s+", "", context)
    return label in window or (len(label) > 4 and label[-4:] in window)


def match_mention(mention: Mention, figures: Iterable[Figure], context: str = "") -> Match | None:
    """Best figure for a mention: exact same-unit first, then conversions, then rounding; among
    equals, the figure whose label the answer writes just before the number (for the citation)."""
    best: tuple[tuple[int, int], Figure, bool] | None = None
    value = abs(mention.value)
    for figure in figures:
        for scale in _scales(mention.unit, figure.unit):
            ok, exact = _close(value, mention.decimals, abs(figure.value) * scale)
            if not ok:
                continue
            base = (0 if exact else 2) + (0 if scale == 1 else 1) + (0 if figure.ref is not None else 1)
            rank = (base, 0 if _labelled_nearby(figure, context) else 1)
            if best is None or rank < best[0]:
                best = (rank, figure, exact)
            break
        if best is not None and best[0] == (0, 0):
            break
    return None if best is None else Match(mention, best[1], best[2])


def verify_numbers(answer: str, figures: Iterable[Figure], question: str = "",
                   known_identifiers: Iterable[str] = ()) -> Verdict:
    """Check every number in `answer` against the figures returned by tools this turn.

    Unit-less numbers and counts may also be numbers the user typed (years, 科目编码)."""
    figures = list(figures)
    question_numbers = [Figure(v, None, "question") for v in numbers_in(question)]
    matches: list[Match] = []
    failures: list[Mention] = []
    for mention in extract_mentions(answer, known_identifiers):
        context = answer[max(0, mention.start - 40):mention.start]
        match = match_mention(mention, figures, context)
        if match is None and (mention.unit is None or mention.unit in COUNT_UNITS):
            q = match_mention(mention, question_numbers)
            match = None if q is None or not q.exact else Match(mention, None, True)
        if match is None:
            failures.append(mention)
        else:
            matches.append(match)
    return Verdict(not failures, tuple(matches), tuple(failures))
