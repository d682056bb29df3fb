"""Turn parsed tables into facts: one Fact per non-blank table cell."""
from __future__ import annotations

from corpus.injection import looks_like_instruction
from corpus.model import Document, Fact, Table


def table_facts(doc: Document, table: Table) -> list[Fact]:
    meta = doc.meta
    facts: list[Fact] = []
    for row in table.rows:
        for i, (column, value) in enumerate(zip(table.columns, row.cells)):
            if value is None:
                continue
            line = _at(row.cell_lines, i) or row.line
            if looks_like_instruction(doc.line(line)):
                continue
            facts.append(Fact(
                doc_id=doc.doc_id, org=meta.org, year=meta.year, kind=meta.kind, scope=meta.scope,
                value=value, unit=_unit(row, table, i),
                line=line, quote=row.quote if line == row.line else doc.line(line),
                row=row.label, table=table.title, table_id=table.table_id,
                row_code=row.code, row_path=row.path, column=column, entity=row.entity,
                qualifier=_at(row.cell_qualifiers, i),
            ))
    return facts


def _unit(row, table: Table, i: int) -> str:
    """Per-cell unit, else per-column, else the table's; '' is a real value (a unitless count like ≥10000)."""
    for unit in (_at(row.cell_units, i), _at(table.column_units, i)):
        if unit is not None:
            return unit
    return table.unit


def _at(values: tuple, i: int):
    """Optional per-cell/per-column override (empty tuple: none)."""
    return values[i] if i < len(values) else None
