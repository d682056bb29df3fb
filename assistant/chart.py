"""Which figures of an answer can share a bar chart: two or more cited figures of one unit that are the same
kind of measure (levels, not changes) across organisations, years or items. Presentation only: the figures
and their citation numbers come from the answer as composed."""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from assistant.model import Answer, Citation
from assistant.text import norm

MAX_BARS = 12
_CHANGE = re.compile(r"比|较|增加|减少|增长|下降|增减|变动|变化|执行率|占比")   # a change or a ratio, not a level


@dataclass(frozen=True)
class Bar:
    citation: int          # 1-based number of the citation the figure comes from
    label: str             # what tells it apart: organisation, year and/or item
    value: Decimal


@dataclass(frozen=True)
class Chart:
    unit: str
    bars: tuple[Bar, ...]
    across: tuple[str, ...]    # the dimensions the bars differ in: org, year, item

    def to_json(self) -> dict:
        return {"unit": self.unit, "across": list(self.across),
                "figures": [{"citation": b.citation, "label": b.label, "value": str(b.value)} for b in self.bars]}


def _org(c: Citation) -> str:
    return c.org + (f"（{c.scope}）" if c.scope and c.scope not in ("本级", "汇总") else "")


def _year(c: Citation) -> int:
    return c.year_ref or c.year


def chart_for(answer: Answer) -> Chart | None:
    """The chart the answer's figures make, or None (a refusal, one figure, mixed units, changes)."""
    if answer.refusal or len(answer.citations) < 2:
        return None
    picked: list[tuple[int, Citation]] = []
    for n, c in enumerate(answer.citations, 1):
        if c.value is None or not c.unit or _CHANGE.search(f"{c.row} {c.column}"):
            continue
        same = [p for _, p in picked if (p.doc, p.year_ref, p.value) == (c.doc, c.year_ref, c.value)]
        # the same figure again in another table ("同一数字也见于") is one bar; two items the text names
        # that happen to be equal (出国 0, 购车 0) are two
        named = all(f"“{x.row}”" in answer.text for x in (c, *same))
        if same and not (named and all(norm(p.row) != norm(c.row) for p in same)):
            continue
        picked.append((n, c))
    if len(picked) < 2 or len(picked) > MAX_BARS or len({c.unit for _, c in picked}) != 1:
        return None
    orgs, years = {_org(c) for _, c in picked}, {_year(c) for _, c in picked}
    items = {norm(c.row) for _, c in picked}
    across = tuple(name for name, values in (("org", orgs), ("year", years), ("item", items)) if len(values) > 1)
    if not across:
        return None
    keys = [(_org(c), _year(c)) for _, c in picked]
    if "item" in across and ("org" in across or "year" in across) and len(set(keys)) == len(keys):
        across = tuple(a for a in across if a != "item")   # the organisations / years tell the bars apart
    bars = []
    for n, c in picked:
        parts = [f"{_year(c)}年" if "year" in across else "", _org(c) if "org" in across else "",
                 c.row if "item" in across else ""]
        bars.append(Bar(n, " ".join(p for p in parts if p), c.value))
    return Chart(picked[0][1].unit, tuple(bars), across)
