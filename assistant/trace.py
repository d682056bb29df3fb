"""Every number in an answer must be a cited figure or a calculator result. This checker finds the
ones that are neither (used by tests over the dev set, and to vet an LLM's text)."""
from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from assistant.model import Answer
from assistant.text import nfkc

_NUMBER = re.compile(r"(?<![\d.])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?")
_MARKER = re.compile(r"\[\d{1,3}\]")
_UNIT_GLOSS = re.compile(r"\((?:units of )?(?:10,000|100 million) yuan\)")   # how English answers explain 万元 / 亿元
_SCALE = {"万元": Decimal(10000), "元": Decimal(1), "亿元": Decimal(100000000)}


def _dec(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def _variants(value: Decimal) -> set[Decimal]:
    """A figure and the ways it may be written: rounded to 0-2 places, sign dropped."""
    out = {value, abs(value)}
    for places in (0, 1, 2):
        q = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        out |= {q, abs(q)}
    return out


def allowed_numbers(answer: Answer) -> set[Decimal]:
    allowed: set[Decimal] = set()
    for c in answer.citations:
        if c.value is not None:
            allowed |= _variants(c.value)
            if c.unit in _SCALE:                     # 万元 <-> 元 conversions
                for unit, scale in _SCALE.items():
                    allowed |= _variants(c.value * _SCALE[c.unit] / scale)
                for scale in (Decimal(10) ** 6, Decimal(10) ** 9):   # English "3.69 million yuan"
                    allowed |= _variants(c.value * _SCALE[c.unit] / scale)
        allowed.add(Decimal(c.year))
        if c.year_ref:
            allowed.add(Decimal(c.year_ref))
        if c.row_code:
            allowed.add(Decimal(c.row_code))
        for text in (c.row, c.column, c.table, c.quote):   # years, codes and counts printed beside the figure
            for m in _NUMBER.finditer(nfkc(text or "")):
                d = _dec(m.group(0))
                if d is not None:
                    allowed.add(d)
    for calc in answer.all_calculations():        # one per document or part when the answer covers several
        allowed |= _variants(calc.result)
        for m in _NUMBER.finditer(calc.expression):
            d = _dec(m.group(0))
            if d is not None:
                allowed |= _variants(d)
    if answer.value is not None:
        allowed |= _variants(answer.value)
    if answer.unit in _SCALE:                 # a calculated amount in English: "21.87 million yuan (2,186.70 万元)"
        results = [calc.result for calc in answer.all_calculations()] + [answer.value or Decimal(0)]
        for value in results:
            for scale in (*_SCALE.values(), Decimal(10) ** 6, Decimal(10) ** 9):
                allowed |= _variants(value * _SCALE[answer.unit] / scale)
    allowed |= {Decimal(100)}                              # "× 100" when a share is shown as a percentage
    return allowed


def untraceable_numbers(answer: Answer, known_years: set[int] | frozenset = frozenset(), question: str = "") -> list[str]:
    """Numbers in the answer text that are neither cited figures (or their years, codes and
    quotes) nor calculator results. known_years: the corpus documents' years, which a refusal may
    list when it says what the corpus does contain. An empty list means every number is traceable."""
    text = _MARKER.sub(" ", nfkc(answer.text or ""))
    text = _UNIT_GLOSS.sub(" ", text)
    allowed = allowed_numbers(answer) | {Decimal(y) for y in known_years}
    if answer.refusal and question:         # a refusal may repeat what was asked ("no 2023 final accounts")
        allowed |= {d for m in _NUMBER.finditer(nfkc(question)) if (d := _dec(m.group(0))) is not None}
    bad = []
    for m in _NUMBER.finditer(text):
        d = _dec(m.group(0))
        if d is None or d in allowed:
            continue
        bad.append(m.group(0))
    return bad
