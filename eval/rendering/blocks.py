"""A seed document as the blocks a renderer lays out: paragraphs, and grids of table cells as parsed.

Runs of tab-separated lines become grids (their cells exactly as the text parser splits them); every
other line is a paragraph; blank lines become gaps. The gold is the text parser's facts of the seed."""
from __future__ import annotations

from corpus.tables.cells import norm_text, split_cells
from corpus.formats.base import Block, Grid, Paragraph
from corpus.model import Document, ParsedDocument
from eval.rendering.tables import tables_grid


def document_blocks(doc: Document) -> list[Block]:
    """Tab-separated tables as their cells; everything else line by line."""
    blocks: list[Block] = []
    grid: list[tuple[str, ...]] = []
    blank = True
    grid_blank = False
    for line in doc.lines:
        if "\t" in line:
            if not grid:
                grid_blank = blank
            grid.append(tuple(split_cells(line)))
            blank = False
            continue
        if grid:
            blocks.append(Grid(tuple(grid), blank_before=grid_blank))
            grid = []
        if not line.strip():
            blank = True
            continue
        blocks.append(Paragraph(line.strip(), blank_before=blank))
        blank = False
    if grid:
        blocks.append(Grid(tuple(grid), blank_before=grid_blank))
    return blocks


def parsed_blocks(parsed: ParsedDocument) -> list[Block]:
    """Like document_blocks, but a table the text printed without cell boundaries (no tabs) is
    rendered as a ruled grid from its parsed rows and columns; its source lines are left out."""
    doc = parsed.document
    spaced = [t for t in parsed.tables if not any("\t" in doc.line(n) for n in range(t.line_start, t.line_end + 1))]
    if not spaced:
        return document_blocks(doc)
    groups: dict[tuple[int, int], list] = {}
    for table in spaced:
        groups.setdefault((table.line_start, table.line_end), []).append(table)
    skip = {n for (a, b), tables in groups.items() for n in range(_body_start(doc, a, tables), b + 1)}
    starts = {_body_start(doc, a, tables): tables for (a, _), tables in groups.items()}
    kept = []
    for n, line in enumerate(doc.lines, 1):
        if n in starts:
            kept.append(starts[n])
        elif n not in skip:
            kept.append(line)
    blocks: list[Block] = []
    text: list[str] = []
    for item in kept + [None]:
        if isinstance(item, str):
            text.append(item)
            continue
        if text:
            blocks += document_blocks(_with_lines(doc, text))
            text = []
        if item:
            blocks += _heading(doc, list(item))
            blocks.append(tables_grid(list(item)))
    return blocks


def _heading(doc: Document, tables) -> list[Block]:
    """The title and 单位 lines a sheet prints above the grid, where the kept preamble lacks them."""
    table = tables[0]
    first = _body_start(doc, table.line_start, tables)
    kept = [norm_text(doc.line(n)) for n in range(table.line_start, first) if doc.line(n).strip()]
    out: list[Block] = []
    if norm_text(table.title) not in kept:
        out.append(Paragraph(table.title, blank_before=True))
    if not any(f"单位：{table.unit}" in line.replace(":", "：").replace(" ", "") for line in kept):
        out.append(Paragraph(f"单位：{table.unit}"))
    return out


def _body_start(doc: Document, start: int, tables) -> int:
    """The first line after the table's preamble (title, 表号, 单位 lines stay as text)."""
    first_row = min(r.line for t in tables for r in t.rows)
    n = start
    while n < first_row and (not doc.line(n).strip() or any(w in doc.line(n) for w in ("表", "单位", "部门："))):
        n += 1
    return max(n, start + 1)


def _with_lines(doc: Document, lines: list[str]) -> Document:
    from dataclasses import replace
    return replace(doc, lines=tuple(lines))
