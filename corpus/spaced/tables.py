"""Space-joined tables with collapsed columns (PDF text without tabs).

Pipeline: find regions (corpus.spaced.regions) → draft rows with their figures in printed order
(corpus.spaced.public, corpus.spaced.perf) → place figures into columns with each table's own arithmetic
(corpus.spaced.columns), re-solving with bounds from the other tables' decided cells (corpus.spaced.links)
→ Tables with checks and notes. Figures the arithmetic cannot place are left out of the cells and named
in the notes and in a failed "column-assignment" check.
"""
from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

from corpus.checks.tables import check_table
from corpus.spaced.columns import RowSpec, assign_columns
from corpus.model import Check, Document, Row, Table
from corpus.spaced.draft import Draft
from corpus.spaced.links import derive_bounds
from corpus.spaced.perf import build_perf
from corpus.spaced.public import build_public
from corpus.spaced.regions import NUMBERED, find_regions

MAX_ROUNDS = 4


def parse_spaced_tables(doc: Document) -> list[Table]:
    drafts = draft_tables(doc)
    solve_drafts(drafts)
    tables = [to_table(doc, i + 1, d) for i, d in enumerate(drafts)]
    return tables


def draft_tables(doc: Document) -> list[Draft]:
    drafts: list[Draft] = []
    for region in find_regions(doc):
        built = build_public(doc, region) if region.family == NUMBERED else build_perf(doc, region)
        drafts.extend(built)
    return drafts


def _specs(draft: Draft) -> list[RowSpec]:
    return [RowSpec(values=row.values, parent=row.parent, known=row.known,
                    bounds=draft.bounds.get(i, ()), fixed=row.fixed) for i, row in enumerate(draft.rows)]


def solve_drafts(drafts: list[Draft]) -> None:
    """Solve every table alone, then again with bounds from the others until nothing changes."""
    for draft in drafts:
        if draft.checked:
            draft.assignment = assign_columns(_specs(draft), len(draft.columns), draft.relations)
    for _ in range(MAX_ROUNDS):
        changed = False
        for draft, bounds in zip(drafts, derive_bounds(drafts)):
            if not draft.checked or bounds == draft.bounds:
                continue
            draft.bounds = bounds
            before = draft.assignment
            draft.assignment = assign_columns(_specs(draft), len(draft.columns), draft.relations)
            changed |= before is None or before.rows != draft.assignment.rows
        if not changed:
            break


# -- Table records -----------------------------------------------------------------------------
def to_table(doc: Document, n: int, draft: Draft) -> Table:
    rows = tuple(_row(draft, i) for i in range(len(draft.rows)))
    checks, notes = _checks(draft)
    table = Table(
        table_id=f"{doc.doc_id}#{n}", doc_id=doc.doc_id, title=draft.title, unit=draft.unit,
        columns=draft.columns, rows=rows, line_start=draft.line_start, line_end=draft.line_end,
        number=draft.number, part=draft.part, checks=tuple(checks),
        notes=tuple(draft.notes) + tuple(notes), column_units=draft.column_units)
    names = {c.name for c in checks} | ({"no-arithmetic"} if checks else set())
    extra = tuple(c for c in check_table(table) if c.name not in names)
    return replace(table, checks=table.checks + extra) if extra else table


def _row(draft: Draft, i: int) -> Row:
    row = draft.rows[i]
    n = len(draft.columns)
    cells: list[Decimal | None] = [None] * n
    units: list[str | None] = [None] * n
    qualifiers: list[str | None] = [None] * n
    lines: list[int | None] = [None] * n
    result = draft.assignment.rows[i] if draft.assignment else None
    placement = row.fixed if result is None else result.columns
    for j, (value, column) in enumerate(zip(row.values, placement or ())):
        if column is None:
            continue
        cells[column] = value
        units[column] = row.units[j] if j < len(row.units) else None
        qualifiers[column] = row.qualifiers[j] if j < len(row.qualifiers) else None
        lines[column] = row.lines[j] if j < len(row.lines) else None
    if draft.zero_blanks and result is not None and result.options:
        for column in range(n):
            if column not in result.used:
                cells[column] = Decimal(0)
    return Row(label=row.label, cells=tuple(cells), line=row.line, quote=row.quote, code=row.code,
               path=row.path or (row.label,),
               cell_units=tuple(units) if any(units) else (),
               cell_qualifiers=tuple(qualifiers) if any(qualifiers) else (),
               cell_lines=tuple(lines) if any(lines) else (), text_cells=row.text_cells)


def _located(rows, note: str) -> str:
    """Solver notes name row indices; say the line and label instead."""
    m = re.match(r"^row (\d+): (.*)$", note)
    if not m or int(m.group(1)) >= len(rows):
        return note
    row = rows[int(m.group(1))]
    return f"line {row.line} {row.code or ''} {row.label}: {m.group(2)}".replace("  ", " ")


def _column_name(draft: Draft, column: int) -> str:
    return "/".join(draft.columns[column])


def _checks(draft: Draft) -> tuple[list[Check], list[str]]:
    checks: list[Check] = list(draft.extra_checks)
    notes: list[str] = []
    result = draft.assignment
    if result is None:
        return checks, notes
    rows = draft.rows
    if draft.relations:
        bad = [rows[i] for i, r in enumerate(result.rows) if not r.relation_ok]
        checks.append(Check("row-sum", not bad, "every row: total = Σ parts" if not bad else
                            "; ".join(f"line {r.line} {r.label}: figures do not add up" for r in bad)))
    if any(r.parent is not None for r in rows):
        relaxed = [rows[i] for i in result.relaxed]
        totals = [r for r in relaxed if r.total]
        inner = [r for r in relaxed if not r.total]
        checks.append(Check("hierarchy", not inner, "every parent row = Σ its child rows" if not inner else
                            "; ".join(f"line {r.line} {r.code or ''} {r.label} ≠ Σ children" for r in inner)))
        if any(r.total for r in rows):
            checks.append(Check("column-total", not totals, "合计 = Σ top-level rows" if not totals else
                                "; ".join(f"line {r.line} {r.label} ≠ Σ rows" for r in totals)))
    undecided = []
    for row, r in zip(rows, result.rows):
        for value, column, choices in zip(row.values, r.columns, r.choices):
            if column is None:
                names = " / ".join(_column_name(draft, c) for c in sorted(choices)) or "no consistent column"
                undecided.append(f"line {row.line} {row.label}: {value} could be {names}")
    placed = sum(1 for r in result.rows for c in r.columns if c is not None)
    checks.append(Check("column-assignment", not undecided,
                        f"{placed} figures placed" + (f"; {len(undecided)} undecided" if undecided else "")))
    notes.extend(f"undecided: {u}" for u in undecided)
    notes.extend(_located(rows, n) for n in result.notes)
    bounded = sum(len(b) for b in draft.bounds.values())
    if bounded:
        conflict = any("bounds" in n for n in result.notes)
        checks.append(Check("cross-table", not conflict,
                            f"{bounded} bounds from other tables" + (" (conflicting)" if conflict else "")))
    return checks, notes
