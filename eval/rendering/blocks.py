"""A seed document as the blocks a renderer lays out: paragraphs, and grids of table cells as parsed.

Runs of tab-separated lines become grids (their cells exactly as the text parser splits them); every
other line is a paragraph; blank lines become gaps. The gold is the text parser's facts of the seed."""
from __future__ import annotations

from corpus.cells import split_cells
from corpus.formats.base import Block, Grid, Paragraph
from corpus.model import Document


def document_blocks(doc: Document) -> list[Block]:
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
