"""Blocks -> DOCX with python-docx: paragraphs and tables in order, merged header cells."""
from __future__ import annotations

import io

from corpus.formats.base import Block, Grid
from eval.rendering.grid import header_rows, header_spans


def render_docx(blocks: list[Block]) -> bytes:
    from docx import Document

    doc = Document()
    for block in blocks:
        if block.blank_before:
            doc.add_paragraph("")
        if isinstance(block, Grid):
            _table(doc, block)
        else:
            doc.add_paragraph(block.text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _table(doc, grid: Grid) -> None:
    width = max(len(r) for r in grid.rows)
    rows = [list(r) + [""] * (width - len(r)) for r in grid.rows]
    table = doc.add_table(rows=len(rows), cols=width)
    table.style = "Table Grid"
    for r, cells in enumerate(rows):
        row = table.rows[r].cells
        for c, text in enumerate(cells):
            if text:
                row[c].text = text
    for (c0, r0), (c1, r1) in header_spans(rows[:header_rows(rows)]):
        table.cell(r0, c0).merge(table.cell(r1, c1))
