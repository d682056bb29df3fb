"""Bounds one table's decided cells put on another's (the arithmetic between tables of one document).

* Coverage: a table covering part of the money (一般公共预算财政拨款支出决算表) can never exceed one covering
  more (支出决算表) in a cell with the same 科目编码 row and column name; equal coverage means equal cells.
* Named totals: a one-column table row labelled like another table's column (总表 "八、其他收入" vs
  收入决算表 column 其他收入) gives that column's total (equal coverage: equal; narrower: at most).
  The two parts of one side-by-side 总表 balance: 总计 of a fund column = the fund's rows on the other side.
Blank cells count as 0. Only decided cells are used.
"""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from corpus.spaced.columns import Bound
from corpus.spaced.draft import Draft
from corpus.spaced.headers import TOTAL_WORDS
from corpus.spaced.text import squeeze, strip_ordinal

ZERO = Decimal(0)


def decided_cells(draft: Draft) -> dict[int, dict[int, Decimal]]:
    """row → {column: value} for cells the assignment decided (blank = 0)."""
    out: dict[int, dict[int, Decimal]] = {}
    if draft.assignment is None:
        return out
    n = len(draft.columns)
    for i, (row, result) in enumerate(zip(draft.rows, draft.assignment.rows)):
        if not row.known or (row.values and result.options == 0):
            continue
        cells = {c: ZERO for c in range(n) if c not in result.used}
        for value, column in zip(row.values, result.columns):
            if column is not None:
                cells[column] = value
        out[i] = cells
    return out


def _leaf_index(draft: Draft) -> dict[str, int]:
    leaves = [squeeze(path[-1]) for path in draft.columns]
    return {name: i for i, name in enumerate(leaves) if leaves.count(name) == 1 and name not in TOTAL_WORDS}


def _row_keys(draft: Draft) -> dict[str, int]:
    keys: dict[str, int] = {}
    for i, row in enumerate(draft.rows):
        key = row.code or ("#total" if row.total else None)
        if key and key not in keys:
            keys[key] = i
    return keys


def derive_bounds(drafts: list[Draft]) -> list[dict[int, tuple[Bound, ...]]]:
    found: list[dict[int, list[Bound]]] = [defaultdict(list) for _ in drafts]
    cells = [decided_cells(d) for d in drafts]
    for a, da in enumerate(drafts):
        for b, db in enumerate(drafts):
            if a != b and da.funds <= db.funds and da.part is None and db.part is None:
                _coverage(da, db, cells[a], cells[b], found[a], found[b])
            if a != b and len(da.columns) == 1 and len(db.columns) > 1:
                _named_totals(da, db, cells[a], found[b])
    return [{row: tuple(bounds) for row, bounds in f.items()} for f in found]


def _coverage(narrow: Draft, wide: Draft, narrow_cells, wide_cells, narrow_bounds, wide_bounds) -> None:
    equal = narrow.funds == wide.funds
    cols_n, cols_w = _leaf_index(narrow), _leaf_index(wide)
    common = [(cols_n[name], cols_w[name]) for name in cols_n if name in cols_w]
    if not common:
        return
    rows_w = _row_keys(wide)
    for key, rn in _row_keys(narrow).items():
        rw = rows_w.get(key)
        if rw is None:
            continue
        for cn, cw in common:
            value_n = narrow_cells.get(rn, {}).get(cn)
            value_w = wide_cells.get(rw, {}).get(cw)
            if value_n is not None:
                wide_bounds[rw].append(Bound(cw, low=value_n, high=value_n if equal else None))
            if value_w is not None:
                narrow_bounds[rn].append(Bound(cn, low=value_w if equal else None, high=value_w))


def _named_totals(source: Draft, target: Draft, source_cells, target_bounds) -> None:
    total = next((i for i, r in enumerate(target.rows) if r.total), None)
    if total is None:
        return
    same_table = source.number is not None and source.number == target.number
    if not same_table and not target.funds <= source.funds:
        return
    labels: dict[str, list[int]] = defaultdict(list)
    for i, row in enumerate(source.rows):
        labels[strip_ordinal(row.label)].append(i)
    for name, column in _leaf_index(target).items():
        rows = labels.get(name, [])
        if not rows or (len(rows) > 1 and not same_table):
            continue
        values = [source_cells.get(i, {}).get(0) for i in rows]
        if any(v is None for v in values):
            continue
        value = sum(values, ZERO)
        equal = same_table or target.funds == source.funds
        target_bounds[total].append(Bound(column, low=value if equal else None, high=value))
