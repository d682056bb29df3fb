"""Rows picked by what a text column says: "标着“运转类支出，无绩效目标”的有几项？加起来多少钱？" -> the rows
of a table whose description cell (绩效目标, 主要内容 …) reads so, counted and their amounts added up. Pure
functions over the parsed tables and fact views; the agent does the arithmetic with the calculator."""
from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.text import nfkc, norm
from assistant.views import FactView

MIN_TEXT = 4              # a cell text this short (是 / 无) says too little to pick rows by
MIN_ROWS = 2              # one row with that text is an ordinary lookup, not a filter
COUNT_CUE = re.compile(r"几项|几个|多少项|多少个|几条|多少条|how many|number of", re.I)
SUM_CUE = re.compile(r"加起来|加在一起|合起来|一共|总共|合计|共计|总和|之和|多少钱|金额|in total|add(?:ed)? up|combined|"
                     r"altogether|how much|total|sum", re.I)


@dataclass
class RowSet:
    table_id: str
    table: str
    column: str                   # the text column, e.g. 绩效目标
    text: str                     # the cell text as printed
    views: list[FactView]         # one figure per row (the row's first, total column), in table order


def text_groups(tables: dict) -> dict[str, list[tuple[str, str, str, list]]]:
    """doc_id -> (table_id, column, printed text, rows) for every text value that two or more rows of a table
    share in the same column."""
    out: dict[str, list[tuple[str, str, str, list]]] = {}
    for t in tables.values():
        groups: dict[tuple, list] = {}
        printed: dict[tuple, str] = {}
        for r in t.rows:
            for col, txt in r.text_cells:
                key = (col, norm(txt))
                if len(key[1]) < MIN_TEXT:
                    continue
                groups.setdefault(key, []).append(r)
                printed.setdefault(key, txt.strip())
        for (col, _), rows in groups.items():
            if len(rows) >= MIN_ROWS:
                out.setdefault(t.doc_id, []).append((t.table_id, col[-1] if col else "", printed[(col, _)], rows))
    return out


def named_text(question: str, quoted: list[str], text: str) -> bool:
    """The question names the cell text: quotes it (all or most of it), or prints it whole."""
    key = norm(text)
    if key and key in norm(question):
        return True
    for q in quoted:
        nq = norm(q)
        if len(nq) >= MIN_TEXT and nq in key and len(nq) >= 0.6 * len(key):
            return True
    return False


def rows_by_text(groups: list[tuple[str, str, str, list]], views_of_row, question: str,
                 quoted: list[str]) -> RowSet | None:
    """The rows of one document whose text cell the question names (the longest such text wins).
    views_of_row(table_id, row) -> the row's fact views."""
    best = None
    for table_id, column, text, rows in groups:
        if not named_text(question, quoted, text):
            continue
        if best is not None and len(norm(text)) <= len(norm(best[2])):
            continue
        best = (table_id, column, text, rows)
    if best is None:
        return None
    table_id, column, text, rows = best
    picked: list[FactView] = []
    for r in rows:
        figures = [v for v in views_of_row(table_id, r) if v.fact.unit in ("万元", "元") and not v.prose]
        first = sorted(figures, key=lambda v: (not v.total_col, v.column_index))
        if not first:
            return None                # a row without an amount: nothing to count or add up by it
        picked.append(first[0])
    title = picked[0].fact.table if picked else ""
    return RowSet(table_id, title, nfkc(column), text, picked)


def wants(question: str) -> tuple[bool, bool]:
    """(count asked, sum asked)."""
    return bool(COUNT_CUE.search(question)), bool(SUM_CUE.search(question))
