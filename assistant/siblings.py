"""One row printed in each of several sibling tables (资金总额 in every 项目绩效目标表, one table per
project): find them all, for "add up X over all the … tables". Pure functions over fact views."""
from __future__ import annotations

import re

from assistant.views import FactView

MIN_SHARED = 4          # sibling tables share at least this many leading or trailing title characters
_EVERY_WORDS = re.compile(r"所有|全部|各个?|每一?个|逐个|加起来|加在一起|合计|一共|总共|共计|总计|\b(?:all|every|each|add(?:ed)? up|"
                          r"sum(?:med)? up|sum of|(?:what(?:'s| is) )?the total(?=\s*[?.]?\s*$)|in total|listed|tables?)\b|"
                          r"表(?:里面|里|中|内)?(?=的|\s|$)|[.?？。]", re.I)


def every_topic(topic: str) -> str:
    """The row asked about, without the 'all the tables, added up' words."""
    return re.sub(r"\s+", " ", _EVERY_WORDS.sub(" ", topic)).strip()


def _shared(a: str, b: str) -> int:
    pre = 0
    while pre < min(len(a), len(b)) and a[pre] == b[pre]:
        pre += 1
    suf = 0
    while suf < min(len(a), len(b)) and a[-1 - suf] == b[-1 - suf]:
        suf += 1
    return max(pre, suf)


def sibling_rows(views: list[FactView], first: FactView) -> list[FactView]:
    """The row `first` and the same row (label, column, unit) in every sibling table of its document,
    one per table, in document order. Tables that merely reprint the same figure (the same total in two
    summary tables) are not siblings: [] when every value is the same."""
    if first.fact.source != "table" or not first.table_key:
        return []
    out: dict[str, FactView] = {}
    for v in views:
        f = v.fact
        if f.source != "table" or v.label_key != first.label_key or f.column != first.fact.column or \
                f.unit != first.fact.unit or not f.table_id or v.entity != first.entity:
            continue
        if v.table_key != first.table_key and _shared(v.table_key, first.table_key) < MIN_SHARED:
            continue
        out.setdefault(f.table_id, v)
    rows = sorted(out.values(), key=lambda v: v.fact.line)
    if len(rows) < 2 or len({v.fact.value for v in rows}) < 2:
        return []
    return rows


def stated_total(views: list[FactView], value, unit: str) -> FactView | None:
    """A sentence of the document that states the same total (共涉及财政拨款资金10,410.00万元)."""
    return next((v for v in views if v.prose and v.fact.unit == unit and v.fact.value == value and v.change is None),
                None)
