"""Row-sum checks: a total column (合计/总计/小计/总额, 支出总计 …) equals the sum of its sibling
column groups, evaluated over the column-path tree (a group with its own 小计 counts once)."""
from __future__ import annotations

from decimal import Decimal

from corpus.checks.arith import compare, money, sum_cells
from corpus.model import Check, ColumnPath, Row, Table

TOTAL_WORDS = ("合计", "总计", "小计", "总额")
MEMO_WORDS = ("政府采购",)          # memo columns: not parts of the total beside them
SUBSET_PREFIX = "其中"


def is_total_name(name: str) -> bool:
    return name.endswith(TOTAL_WORDS) and not name.startswith(SUBSET_PREFIX)


def _children(columns: list[ColumnPath], prefix: ColumnPath, suffix: ColumnPath) -> list[str]:
    names: list[str] = []
    for path in columns:
        if path[:len(prefix)] == prefix and len(path) > len(prefix) + len(suffix) and _ends(path, suffix):
            name = path[len(prefix)]
            if name not in names:
                names.append(name)
    return names


def _ends(path: ColumnPath, suffix: ColumnPath) -> bool:
    return not suffix or path[len(path) - len(suffix):] == suffix


def group_value(table: Table, row: Row, columns: list[ColumnPath], prefix: ColumnPath,
                suffix: ColumnPath) -> Decimal | None:
    """Value of a column group for one row: its own cell, its 小计/合计 child, or the sum of its parts."""
    exact = prefix + suffix
    if exact in columns:
        return money(table, row, columns.index(exact))
    names = _children(columns, prefix, suffix)
    if not names:
        return None
    total = next((n for n in names if is_total_name(n)), None)
    if total:
        return group_value(table, row, columns, prefix + (total,), suffix)
    parts = sum_cells([group_value(table, row, columns, prefix + (n,), suffix)
                       for n in names if not any(w in n for w in MEMO_WORDS)])
    return sum(parts, Decimal(0)) if parts is not None else None


def _total_positions(columns: list[ColumnPath]) -> list[tuple[int, int]]:
    """(column index, index of the total word in its path)."""
    out = []
    for i, path in enumerate(columns):
        for k in range(len(path) - 1, -1, -1):
            if is_total_name(path[k]):
                out.append((i, k))
                break
    return out


def row_sum_checks(table: Table) -> list[Check]:
    columns = list(table.columns)
    checks: list[Check] = []
    for i, k in _total_positions(columns):
        path = columns[i]
        prefix, suffix = path[:k], path[k + 1:]
        siblings = [n for n in _children(columns, prefix, suffix)
                    if n != path[k] and not any(w in n for w in MEMO_WORDS)]
        if not siblings:
            continue
        check = _check_total(table, columns, i, prefix, suffix, siblings)
        if check:
            checks.append(check)
    return checks


def _check_total(table, columns, i, prefix, suffix, siblings) -> Check | None:
    label = "/".join(columns[i])
    breakdown = _evaluate(table, columns, i, prefix, suffix, siblings)
    if breakdown is None:
        return None
    ok, rows, failures = breakdown
    if not failures:
        return Check("row-sum", True, f"{label} = {' + '.join(siblings)} on {rows} rows")
    subsets = [n for n in siblings if n.startswith(SUBSET_PREFIX)]
    if subsets:   # '其中' columns may be a subset of the total rather than its breakdown
        within = all(_subset_ok(table, r, columns, i, prefix, suffix, subsets) for r in table.rows)
        parts = [n for n in siblings if n not in subsets]
        rest = _evaluate(table, columns, i, prefix, suffix, parts) if parts else None
        if within and (rest is None or not rest[2]):
            return Check("row-sum", True, f"{label}: {'、'.join(subsets)} are subsets (each ≤ total) on {rows} rows")
    return Check("row-sum", False, f"{label} ≠ {' + '.join(siblings)} on {len(failures)}/{rows} rows: "
                 + "; ".join(failures[:3]))


def _evaluate(table, columns, i, prefix, suffix, siblings):
    rows = 0
    failures: list[str] = []
    for row in table.rows:
        total = money(table, row, i)
        if total is None:
            continue
        parts = sum_cells([group_value(table, row, columns, prefix + (n,), suffix) for n in siblings])
        if parts is None:
            continue
        rows += 1
        outcome = compare(total, parts)
        if not outcome.ok:
            failures.append(f"line {row.line} {row.label}: {outcome.describe()}")
    return (not failures, rows, failures) if rows else None


def _subset_ok(table, row, columns, i, prefix, suffix, subsets) -> bool:
    total = money(table, row, i)
    if total is None:
        return True
    return all((v := group_value(table, row, columns, prefix + (n,), suffix)) is None or v <= total
               for n in subsets)
