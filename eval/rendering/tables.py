"""A parsed table (or the side-by-side parts of one) as the ruled grid a publisher would print:
header rows from the column paths, then 科目编码 | 项目 | figures. Used where the seed's text lost
the cell boundaries (space-collapsed columns), so the rendered file has the cells the text lacked."""
from __future__ import annotations

from decimal import Decimal

from corpus.formats.base import Grid
from corpus.model import Row, Table

CODE_HEADING = "科目编码"
LABEL_HEADING = "项目"


def tables_grid(tables: list[Table]) -> Grid:
    """One grid for tables printed over the same lines (side-by-side parts share a header row)."""
    parts = [_part(t) for t in tables]
    height = max(len(p) for p in parts)
    rows: list[tuple[str, ...]] = []
    if len(tables) > 1:
        named = []
        for table, part in zip(tables, parts):
            named += [table.part or ""] + [""] * (len(part[0]) - 1)
        rows.append(tuple(named))
    for i in range(height):
        row: list[str] = []
        for part in parts:
            width = len(part[0])
            row += list(part[i]) if i < len(part) else [""] * width
        rows.append(tuple(row))
    return Grid(tuple(rows), blank_before=True)


def _part(table: Table) -> list[tuple[str, ...]]:
    coded = any(r.code for r in table.rows)
    depth = max((len(c) for c in table.columns), default=1)
    lead = [CODE_HEADING] if coded else []
    lead.append(LABEL_HEADING)
    header = []
    for level in range(depth):
        row = [h if level == 0 else "" for h in lead]
        for c, path in enumerate(table.columns):
            same_group = c > 0 and table.columns[c - 1][:level + 1] == path[:level + 1]
            row.append(path[level] if level < len(path) and not same_group else "")
        header.append(tuple(row))
    body = [tuple(([r.code or ""] if coded else []) + [r.label] + [_cell(r, i) for i in range(len(table.columns))])
            for r in table.rows]
    return header + body


def _cell(row: Row, i: int) -> str:
    value = row.cells[i] if i < len(row.cells) else None
    if value is None:
        return ""
    unit = row.cell_units[i] if i < len(row.cell_units) else None
    qualifier = row.cell_qualifiers[i] if i < len(row.cell_qualifiers) else None
    return f"{qualifier or ''}{_number(value)}{unit or ''}"


def _number(value: Decimal) -> str:
    return format(value, "f")
