"""The arithmetic between the tables of one document, over their cells (any layout):

* Coverage: a table covering part of the money (一般公共预算财政拨款支出决算表; 基本支出 only) never exceeds
  one covering more (支出决算表) in a cell with the same 科目编码 row (or the 合计 row) and column name; equal
  coverage means equal cells.
* Named totals: a one-column table's row labelled like another table's column (总表 "八、其他收入" vs
  收入决算表 column 其他收入) gives that column's total (equal coverage: equal; narrower: at most).

A table taking part in such a comparison gets a "cross-table" check. In a row with any figure, a
blank cell is 0; a row printed without figures is not compared (a 合计 row printed blank), except
beside a named row of the same label that has one."""
from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal

from corpus.checks.arith import compare, figure, fmt_figure, unit_of
from corpus.checks.columns import TOTAL_WORDS
from corpus.checks.rows import is_total_row
from corpus.model import Check, Table
from corpus.tables.cells import norm_text, strip_numbering

FISCAL_FUNDS = frozenset({"一般公共预算", "政府性基金", "国有资本经营"})   # 财政拨款
ALL_FUNDS = FISCAL_FUNDS | {"非财政拨款"}
ZERO = Decimal(0)
_EXAMPLES = 3


def funds_of(title: str) -> frozenset[str]:
    """The money a table covers, from its title: a named fund, all 财政拨款, or everything."""
    named = frozenset(f for f in FISCAL_FUNDS if f in title)
    if named:
        return named
    return FISCAL_FUNDS if "财政拨款" in title else ALL_FUNDS


SPENDING_KINDS = frozenset({"基本支出", "项目支出", "其他支出", "三公"})


def kinds_of(title: str) -> frozenset[str]:
    """The spending a table covers, from its title: 基本支出 / 项目支出（及其他支出）/ “三公”, or all."""
    if "三公" in title:
        return frozenset({"三公"})
    named = frozenset(k for k in SPENDING_KINDS if k in title)
    return named or SPENDING_KINDS


def scope_of(table: Table) -> tuple[frozenset[str], frozenset[str]]:
    return funds_of(table.title), kinds_of(table.title)


def _within_scope(narrow: Table, wide: Table) -> bool:
    (fn, kn), (fw, kw) = scope_of(narrow), scope_of(wide)
    return fn <= fw and kn <= kw


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", norm_text(text))


def _leaves(table: Table) -> dict[str, int]:
    """Column by its last heading, where that heading names one column and is not a total."""
    names = [_squeeze(path[-1]) if path else "" for path in table.columns]
    return {n: i for i, n in enumerate(names) if n and names.count(n) == 1 and n not in TOTAL_WORDS}


def _cells(table: Table, row) -> dict[int, Decimal] | None:
    """A row's figures in the table's unit, blanks as 0; None for a row printed without figures."""
    values = {c: figure(table, row, c) for c in range(len(table.columns))
              if unit_of(table, row, c) == table.unit}
    if all(v is None for v in values.values()):
        return None
    return {c: ZERO if v is None else v for c, v in values.items()}


def _keyed_rows(table: Table) -> dict[tuple, dict[int, Decimal]]:
    """(entity, 科目编码) or (entity, '#total') → cells, for the first such row."""
    keys: dict[tuple, dict[int, Decimal]] = {}
    for row in table.rows:
        key = row.code or ("#total" if is_total_row(row) else None)
        cells = _cells(table, row) if key else None
        if key and cells is not None and (row.entity, key) not in keys:
            keys[(row.entity, key)] = cells
    return keys


class _Tally:
    def __init__(self) -> None:
        self.compared: dict[str, int] = defaultdict(int)
        self.failures: dict[str, list[str]] = defaultdict(list)

    def record(self, tables: tuple[Table, ...], ok: bool, what: str) -> None:
        for table in tables:
            self.compared[table.table_id] += 1
            if not ok:
                self.failures[table.table_id].append(what)


def _within(narrow: Decimal, wide: Decimal, equal: bool) -> bool:
    outcome = compare(wide, [narrow])
    return outcome.ok if equal else narrow <= wide + outcome.tolerance


def _coverage(narrow: Table, wide: Table, tally: _Tally) -> None:
    equal = scope_of(narrow) == scope_of(wide)
    cols_n, cols_w = _leaves(narrow), _leaves(wide)
    common = [(cols_n[name], cols_w[name], name) for name in cols_n if name in cols_w]
    if not common:
        return
    rows_w = _keyed_rows(wide)
    for key, cells_n in _keyed_rows(narrow).items():
        cells_w = rows_w.get(key)
        if cells_w is None:
            continue
        for cn, cw, name in common:
            a, b = cells_n.get(cn), cells_w.get(cw)
            if a is None or b is None:
                continue
            ok = _within(a, b, equal)
            tally.record((narrow, wide), ok, f"{key[1]} {name}: {fmt_figure(a)} in {narrow.title} vs "
                                              f"{fmt_figure(b)} in {wide.title}")


def _named_totals(source: Table, target: Table, tally: _Tally) -> None:
    total = next((r for r in target.rows if is_total_row(r)), None)
    cells_t = _cells(target, total) if total is not None else None
    if cells_t is None:
        return
    same_table = source.number is not None and source.number == target.number
    if not same_table and not _within_scope(target, source):
        return
    labels: dict[str, list] = defaultdict(list)
    for row in source.rows:
        labels[_squeeze(strip_numbering(row.label))].append(row)
    equal = same_table or scope_of(target) == scope_of(source)
    for name, column in _leaves(target).items():
        rows = labels.get(name, [])
        if not rows or (len(rows) > 1 and not same_table):
            continue
        found = [(_cells(source, r) or {}).get(0) for r in rows]
        if all(v is None for v in found):
            continue
        value = sum((v for v in found if v is not None), ZERO)      # a row printed blank holds 0
        ok = _within(cells_t[column], value, equal)
        tally.record((source, target), ok, f"{name}: {fmt_figure(value)} in {source.title} vs total "
                                           f"{fmt_figure(cells_t[column])} in {target.title}")


def cross_table_checks(tables: list[Table]) -> dict[str, Check]:
    """table_id → its cross-table check, for tables that share figures with another table."""
    tally = _Tally()
    for a in tables:
        for b in tables:
            if a is b:
                continue
            if a.part is None and b.part is None and _within_scope(a, b):
                if scope_of(a) != scope_of(b) or a.table_id < b.table_id:
                    _coverage(a, b, tally)
            if len(a.columns) == 1 and len(b.columns) > 1:
                _named_totals(a, b, tally)
    out = {}
    for table_id, n in tally.compared.items():
        bad = tally.failures.get(table_id, [])
        detail = f"{n} figures agree with other tables" if not bad else (
            f"{len(bad)} of {n} figures disagree with other tables: " + "; ".join(bad[:_EXAMPLES]))
        out[table_id] = Check("cross-table", not bad, detail)
    return out
