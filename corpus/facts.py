"""Turn parsed tables into facts: one Fact per non-blank table cell."""
from __future__ import annotations

from corpus.model import Document, Fact, Table


def table_facts(doc: Document, table: Table) -> list[Fact]:
    meta = doc.meta
    facts: list[Fact] = []
    for row in table.rows:
        for column, value in zip(table.columns, row.cells):
            if value is None:
                continue
            facts.append(Fact(
                doc_id=doc.doc_id, org=meta.org, year=meta.year, kind=meta.kind, scope=meta.scope,
                value=value, unit=table.unit, line=row.line, quote=row.quote,
                row=row.label, table=table.title, table_id=table.table_id,
                row_code=row.code, row_path=row.path, column=column, entity=row.entity,
            ))
    return facts
