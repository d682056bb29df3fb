"""Space-joined tables with collapsed columns (PDF text without tabs).

Pipeline: find regions (corpus.spaced.regions) → draft rows with their figures in printed order
(corpus.spaced.public, corpus.spaced.perf) → place figures into columns with each table's own arithmetic
(corpus.spaced.columns), re-solving with bounds from the other tables' decided cells (corpus.spaced.links)
→ Tables with notes, checked by corpus.checks like a table of any other layout. Figures the arithmetic
cannot place are left out of the cells, kept as their rows' `unplaced` (a failed "column-assignment"
check) and named in the notes.
"""
from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

from corpus.checks.tables import check_table
from corpus.spaced.columns import RowSpec, assign_columns
from corpus.model import Document, Row, Table
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
    """The draft's decided cells as a Table; its checks are the generic ones over those cells (the same
    whatever layout the table is read from), figures the arithmetic could not place are its rows'
    `unplaced` (a failed column-assignment check) and named in the notes."""
    rows = tuple(_row(draft, i) for i in range(len(draft.rows)))
    table = Table(
        table_id=f"{doc.doc_id}#{n}", doc_id=doc.doc_id, title=draft.title, unit=draft.unit,
        columns=draft.columns, rows=rows, line_start=draft.line_start, line_end=draft.line_end,
        number=draft.number, part=draft.part, notes=tuple(draft.notes) + tuple(_notes(draft)),
        column_units=draft.column_units)
    return replace(table, checks=check_table(table))


def _row(draft: Draft, i: int) -> Row:
    row = draft.rows[i]
    n = len(draft.columns)
    cells: list[Decimal | None] = [None] * n
    units: list[str | None] = [None] * n
    qualifiers: list[str | None] = [None] * n
    lines: list[int | None] = [None] * n
    unplaced: list[tuple[Decimal, tuple[int, ...]]] = []
    result = draft.assignment.rows[i] if draft.assignment else None
    placement = row.fixed if result is None else result.columns
    for j, (value, column) in enumerate(zip(row.values, placement or ())):
        if column is None:
            if result is not None:
                choices = result.choices[j] if j < len(result.choices) else frozenset()
                unplaced.append((value, tuple(sorted(choices))))
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
               cell_lines=tuple(lines) if any(lines) else (), text_cells=row.text_cells,
               unplaced=tuple(unplaced))


def _located(rows, note: str) -> str:
    """Solver notes name row indices; say the line and label instead."""
    m = re.match(r"^row (\d+): (.*)$", note)
    if not m or int(m.group(1)) >= len(rows):
        return note
    row = rows[int(m.group(1))]
    return f"line {row.line} {row.code or ''} {row.label}: {m.group(2)}".replace("  ", " ")


def _column_name(draft: Draft, column: int) -> str:
    return "/".join(draft.columns[column])


def _notes(draft: Draft) -> list[str]:
    """What the column solver could not decide or had to relax, by line and label."""
    result = draft.assignment
    if result is None:
        return []
    rows = draft.rows
    notes = []
    for row, r in zip(rows, result.rows):
        for value, column, choices in zip(row.values, r.columns, r.choices):
            if column is None:
                names = " / ".join(_column_name(draft, c) for c in sorted(choices)) or "no consistent column"
                notes.append(f"undecided: line {row.line} {row.label}: {value} could be {names}")
    notes.extend(f"row sum: line {rows[i].line} {rows[i].label}: figures do not add up"
                 for i, r in enumerate(result.rows) if draft.relations and not r.relation_ok)
    notes.extend(f"hierarchy relaxed: line {rows[i].line} {rows[i].code or ''} {rows[i].label}".replace("  ", " ")
                 for i in result.relaxed)
    notes.extend(_located(rows, n) for n in result.notes)
    return notes
