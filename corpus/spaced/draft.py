"""Draft tables: rows with their figures in printed order, before columns are assigned.

A draft row keeps the figures of one table row as printed (blank cells vanished). `fixed` is set when the
layout itself says where they go (a row with as many figures as columns, or a complete performance-table
row); otherwise corpus.spaced.columns places them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from corpus.spaced.columns import Assignment, Bound, Relation
from corpus.model import ColumnPath

FISCAL_FUNDS = frozenset({"一般公共预算", "政府性基金", "国有资本经营"})   # 财政拨款
ALL_FUNDS = FISCAL_FUNDS | {"非财政拨款"}


@dataclass
class DraftRow:
    label: str
    values: tuple[Decimal, ...]
    line: int
    quote: str
    code: str | None = None
    parent: int | None = None
    known: bool = True                    # False: an empty 合计 row whose figures were not printed
    fixed: tuple[int, ...] | None = None
    path: tuple[str, ...] = ()
    units: tuple[str | None, ...] = ()    # per figure, when the table's unit does not apply
    qualifiers: tuple[str | None, ...] = ()
    lines: tuple[int, ...] = ()           # per figure, when a row spans lines
    total: bool = False                   # the table's 合计/总计 row
    text_cells: tuple[tuple[ColumnPath, str], ...] = ()   # non-numeric cells (targets like 及时, reasons)


@dataclass
class Draft:
    title: str
    unit: str
    columns: tuple[ColumnPath, ...]
    rows: list[DraftRow]
    line_start: int
    line_end: int
    number: str | None = None
    part: str | None = None
    relations: tuple[Relation, ...] = ()
    funds: frozenset[str] = ALL_FUNDS     # which budgets the table covers (for cross-table bounds)
    notes: list[str] = field(default_factory=list)
    bounds: dict[int, tuple[Bound, ...]] = field(default_factory=dict)
    assignment: Assignment | None = None
    zero_blanks: bool = False             # a single unlabeled data row: decided blank cells read as 0
    checked: bool = True                  # run the column solver / arithmetic checks
    column_units: tuple[str | None, ...] = ()

    def index_of(self, path: ColumnPath) -> int | None:
        try:
            return self.columns.index(path)
        except ValueError:
            return None


def funds_of(title: str) -> frozenset[str]:
    """The money a table covers, from its title: a named fund, all 财政拨款, or everything."""
    named = frozenset(f for f in FISCAL_FUNDS if f in title)
    if named:
        return named
    return FISCAL_FUNDS if "财政拨款" in title else ALL_FUNDS


def set_code_parents(rows: list[DraftRow], root: int | None) -> None:
    """科目编码 hierarchy: the nearest preceding row whose code is a proper prefix; else the 合计 row."""
    for i, row in enumerate(rows):
        if i == root:
            continue
        parent = root
        if row.code:
            for j in range(i - 1, -1, -1):
                code = rows[j].code
                if code and len(code) < len(row.code) and row.code.startswith(code):
                    parent = j
                    break
        row.parent = parent
    for row in rows:
        row.path = _path(rows, row)


def _path(rows: list[DraftRow], row: DraftRow) -> tuple[str, ...]:
    labels = [row.label]
    seen = set()
    parent = row.parent
    while parent is not None and parent not in seen and not rows[parent].total:
        seen.add(parent)
        labels.append(rows[parent].label)
        parent = rows[parent].parent
    return tuple(reversed(labels))
