"""Row-wise checks: parent row = sum of its child rows (code/outline hierarchy), total rows
(合计/本年收入合计/收入总计) = sum of top-level rows, unit rows = sum of their rows, grouped
totals (资金总额 = 财政拨款 + 其他资金), and 增减变化 = this year − last year."""
from __future__ import annotations

from corpus.checks.arith import compare, figure, money, step_for, sum_cells, unit_of
from corpus.tables.cells import entity_name, is_total_label, is_year_label
from corpus.model import Check, Row, Table

_GROUP_TOTAL = ("总额", "合计", "总计", "小计")
_CHANGE_LABELS = ("增减变化金额", "增减变化", "增减额", "增减")


def is_entity_row(row: Row) -> bool:
    return bool(row.entity) and row.code is None and entity_name(row.label) is not None


def is_total_row(row: Row) -> bool:
    return row.code is None and is_total_label(row.label) and not is_entity_row(row)


def _is_item(row: Row) -> bool:
    return not is_total_row(row) and not is_entity_row(row)


def _compare_rows(table: Table, total: Row, parts: list[Row], what: str, failures: list[str]) -> int:
    """Compare column by column; returns how many cells were compared."""
    compared = 0
    for c in range(len(total.cells)):
        compared += _compare_cell(table, total, c, [(p, c) for p in parts], what, failures)
    return compared


def _compare_cell(table: Table, total: Row, c: int, parts: list[tuple[Row, int]], what: str,
                  failures: list[str]) -> int:
    """total[c] = Σ part cells in the total's unit (万元, or 分 for scores; a part in another unit, such
    as a rate beside amounts, is not added); 1 when compared, 0 when there is nothing to compare."""
    value = figure(table, total, c)
    if value is None:
        return 0
    unit = unit_of(table, total, c)
    values = sum_cells([figure(table, p, k) if unit_of(table, p, k) == unit else None for p, k in parts])
    if values is None:
        return 0
    outcome = compare(value, values, step=step_for(unit))
    if not outcome.ok:
        failures.append(f"line {total.line} {total.label} {what} col {c + 1}: {outcome.describe()}")
    return 1


def _counted(cells_compared: int) -> int:
    return 1 if cells_compared else 0


def _summary(name: str, checked: int, failures: list[str], what: str) -> Check | None:
    if not checked:
        return None
    if failures:
        rows = len({f.split(" ", 2)[1] for f in failures if f.startswith("line ")}) or len(failures)
        return Check(name, False, f"{rows} of {checked} {what} do not add up: " + "; ".join(failures[:4]))
    return Check(name, True, f"{checked} {what} add up")


def hierarchy_check(table: Table) -> Check | None:
    rows = table.rows
    checked, failures = 0, []
    for i, parent in enumerate(rows):
        if not parent.path or not _is_item(parent):
            continue
        depth = len(parent.path)
        children, unknown = [], False
        for row in rows[i + 1:]:
            if row.entity != parent.entity or not _is_item(row):
                break
            if not row.path:
                unknown = True
                continue
            if row.path[:depth] != parent.path or len(row.path) <= depth:
                break
            if len(row.path) == depth + 1:
                children.append(row)
        if children and not unknown:
            compared = _compare_rows(table, parent, children, "= sum of children", failures)
            if not compared:
                compared = _compare_next_level(table, parent, children, failures)
            checked += _counted(compared)
    return _summary("hierarchy", checked, failures, "parent rows")


def _filled(table: Table, row: Row) -> list[int]:
    return [c for c in range(len(row.cells)) if figure(table, row, c) is not None]


def _compare_next_level(table: Table, parent: Row, children: list[Row], failures: list[str]) -> int:
    """Levelled columns (一级指标/分值 | 二级指标/分值 | …): a parent's figure in its level's column is
    the sum of its children's figures in the next column of the same measure."""
    own = _filled(table, parent)
    if len(own) != 1:
        return 0
    c = own[0]
    leaf = table.columns[c][-1:] if c < len(table.columns) else ()
    beside = {k for child in children for k in _filled(table, child)
              if k != c and k < len(table.columns) and table.columns[k][-1:] == leaf}
    if len(beside) != 1:
        return 0
    k = beside.pop()
    return _compare_cell(table, parent, c, [(child, k) for child in children], "= sum of children", failures)


def _scope(rows: tuple[Row, ...], t: int) -> tuple[list[Row], Row | None]:
    """Rows a total row covers and the sub-total it builds on (本年收入合计 under 收入总计)."""
    before = [k for k in range(t) if is_total_row(rows[k])]
    items_before = any(not is_total_row(r) for r in rows[(before[-1] + 1 if before else 0):t])
    if not items_before and not before:          # a 合计 printed first covers the rows below it
        end = next((k for k in range(t + 1, len(rows)) if is_total_row(rows[k])), len(rows))
        return list(rows[t + 1:end]), None
    start = before[-1] + 1 if before else 0
    previous = rows[before[-1]] if before else None
    builds_on = previous if previous is not None and "总计" in rows[t].label and "总计" not in previous.label else None
    return list(rows[start:t]), builds_on


def _top_level(scope: list[Row]) -> list[Row]:
    units = [r for r in scope if is_entity_row(r) and not (r.entity or "").endswith("（本级）")] \
        or [r for r in scope if is_entity_row(r)]
    if units:
        whole = [r for r in units if (r.entity or "").endswith("（汇总）")]
        return whole or units
    return [r for r in scope if _is_item(r) and len(r.path) == 1]


def _covering(table: Table, scope: list[Row], c: int) -> list[Row]:
    """The rows of a total's scope that add up to it in column c: items with a figure there and no
    figure in that column on a row above them in the hierarchy (the top-level rows, or the level
    that holds the column's figures: 二级指标 scores under 一级指标 rows printed without one)."""
    items = [r for r in scope if _is_item(r) and r.path]
    filled = {r.path for r in items if figure(table, r, c) is not None}
    return [r for r in items
            if r.path in filled and not any(r.path[:k] in filled for k in range(1, len(r.path)))]


def column_total_check(table: Table) -> Check | None:
    rows = table.rows
    checked, failures = 0, []
    for t, total in enumerate(rows):
        if not is_total_row(total):
            continue
        scope, builds_on = _scope(rows, t)
        units = [r for r in scope if is_entity_row(r)]
        if units:
            parts = _top_level(scope) + ([builds_on] if builds_on else [])
            checked += _counted(_compare_rows(table, total, parts, "= sum of top-level rows", failures))
            continue
        compared = 0
        for c in range(len(total.cells)):
            parts = _covering(table, scope, c) + ([builds_on] if builds_on else [])
            if parts:
                compared += _compare_cell(table, total, c, [(p, c) for p in parts], "= sum of top-level rows",
                                          failures)
        checked += _counted(compared)
    return _summary("column-total", checked, failures, "total rows")


def entity_total_check(table: Table) -> Check | None:
    rows = table.rows
    checked, failures = 0, []
    for i, unit in enumerate(rows):
        if not is_entity_row(unit):
            continue
        if (unit.entity or "").endswith("（汇总）"):
            parts = [r for r in rows[i + 1:] if is_entity_row(r)]
        else:
            parts = []
            for row in rows[i + 1:]:
                if is_entity_row(row) or is_total_row(row):
                    break
                if len(row.path) == 1 and not is_year_label(row.label):
                    parts.append(row)
        if parts:
            checked += _counted(_compare_rows(table, unit, parts, "= sum of its rows", failures))
    return _summary("entity-total", checked, failures, "unit rows")


def group_total_check(table: Table) -> Check | None:
    """Rows sharing a parent path where one is the group's total (资金总额 = 财政拨款 + 其他资金)."""
    checked, failures = 0, []
    groups: dict[tuple[str, ...], list[Row]] = {}
    for row in table.rows:
        if len(row.path) >= 2:
            groups.setdefault(row.path[:-1], []).append(row)
    for members in groups.values():
        totals = [r for r in members if r.label.endswith(_GROUP_TOTAL)]
        if len(totals) != 1 or len(members) < 3:
            continue
        parts = [r for r in members if r is not totals[0]]
        checked += _counted(_compare_rows(table, totals[0], parts, "= sum of its group", failures))
    return _summary("group-total", checked, failures, "group totals")


def year_change_check(table: Table) -> Check | None:
    """'增减变化金额' = later year − earlier year, for the rows just above it."""
    rows = table.rows
    checked, failures = 0, []
    for i, row in enumerate(rows):
        if row.label not in _CHANGE_LABELS or i < 2:
            continue
        earlier, later = rows[i - 2], rows[i - 1]
        if not (is_year_label(earlier.label) and is_year_label(later.label)) or earlier.label > later.label:
            continue
        for c in range(len(row.cells)):
            value, a, b = money(table, row, c), money(table, earlier, c), money(table, later, c)
            if value is None or a is None or b is None:
                continue
            checked += 1
            outcome = compare(value, [b, a], [1, -1])
            if not outcome.ok:
                failures.append(f"line {row.line} col {c + 1}: {outcome.describe()}")
    return _summary("year-change", checked, failures, "change cells")


ROW_CHECKS = (hierarchy_check, column_total_check, entity_total_check, group_total_check, year_change_check)
