"""A parsed table (or the side-by-side parts of one) as the ruled grid a publisher would print:
header rows from the column paths, then 科目编码 | 一级指标 | 二级指标 | 项目 | figures. Used where the
seed's text lost the cell boundaries (space-collapsed columns), so the rendered file has the cells the
text lacked.

A figure is printed with its qualifier and, where it differs from the table's unit, its own unit
(≥322.5万人, 100%, 10分). Rows grouped under headings that are not rows themselves (产出指标 / 数量指标
in a performance table) get one level column per heading, as 绩效自评表 print them."""
from __future__ import annotations

from decimal import Decimal

from corpus.formats.base import Grid
from corpus.model import Row, Table

CODE_HEADING = "科目编码"
LABEL_HEADING = "项目"
GROUP_HEADINGS = ("一级指标", "二级指标")


def tables_grid(tables: list[Table]) -> Grid:
    """One grid for tables printed over the same lines (side-by-side parts share a header row)."""
    built = [_part(t) for t in tables]
    parts = [p for p, _ in built]
    height = max(len(p) for p in parts)
    rows: list[tuple[str, ...]] = []
    if len(tables) > 1:
        named = []
        for table, part in zip(tables, parts):
            named += [table.part or ""] + [""] * (len(part[0]) - 1)
        rows.append(tuple(named))
    top = len(rows)
    merged, left = [], 0
    for part, spans in built:
        merged += [(top + r, left + a, left + b) for r, a, b in spans]
        left += len(part[0])
    for i in range(height):
        row: list[str] = []
        for part in parts:
            width = len(part[0])
            row += list(part[i]) if i < len(part) else [""] * width
        rows.append(tuple(row))
    return Grid(tuple(rows), blank_before=True, merged=tuple(merged))


def group_levels(table: Table) -> int:
    """Level columns the table needs: its rows sit under headings that are not rows of the table."""
    if table.part or any(r.code for r in table.rows):
        return 0
    labels = {r.label for r in table.rows}
    depth = max((len(r.path) - 1 for r in table.rows), default=0)
    grouped = any(h not in labels for r in table.rows for h in r.path[:-1])
    return min(depth, len(GROUP_HEADINGS)) if grouped or depth > 1 else 0


def _part(table: Table) -> tuple[list[tuple[str, ...]], list[tuple[int, int, int]]]:
    """The part's rows and its merged figure cells (row, first, last): a figure the reading could not
    put in one column is printed across the adjacent columns it could be in."""
    coded = any(r.code for r in table.rows)
    levels = group_levels(table)
    depth = max((len(c) for c in table.columns), default=1)
    lead = ([CODE_HEADING] if coded else []) + list(GROUP_HEADINGS[:levels]) + [LABEL_HEADING]
    header = []
    for level in range(depth):
        row = [h if level == 0 else "" for h in lead]
        for c, path in enumerate(table.columns):
            same_group = c > 0 and table.columns[c - 1][:level + 1] == path[:level + 1]
            row.append(path[level] if level < len(path) and not same_group else "")
        header.append(tuple(row))
    body, merged = [], []
    lead_width = len(lead)
    for r in table.rows:
        groups = _left(r.path[:-1], levels) if levels else []
        cells = [_cell(table, r, i) for i in range(len(table.columns))]
        for value, columns in r.unplaced:
            if _adjacent(columns) and not any(cells[c] for c in columns):
                cells[columns[0]] = _number(value)
                merged.append((len(header) + len(body), lead_width + columns[0], lead_width + columns[-1]))
        body.append(tuple(([r.code or ""] if coded else []) + groups + [r.label] + cells))
    return header + body, merged


def _adjacent(columns: tuple[int, ...]) -> bool:
    return len(columns) > 1 and list(columns) == list(range(columns[0], columns[-1] + 1))


def _left(headings: tuple[str, ...], levels: int) -> list[str]:
    """A row's group headings in the level columns, outermost first, blank where it has fewer."""
    kept = list(headings[-levels:]) if len(headings) > levels else list(headings)
    return kept + [""] * (levels - len(kept))


def _cell(table: Table, row: Row, i: int) -> str:
    value = row.cells[i] if i < len(row.cells) else None
    if value is None:
        return ""
    unit = _at(row.cell_units, i)
    unit = _at(table.column_units, i) if unit is None else unit
    qualifier = _at(row.cell_qualifiers, i)
    shown = "" if unit is None or unit == table.unit else unit
    return f"{qualifier or ''}{_number(value)}{shown}"


def _at(values: tuple, i: int):
    return values[i] if i < len(values) else None


def _number(value: Decimal) -> str:
    return format(value, "f")
