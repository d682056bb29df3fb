"""DOCX with python-docx: paragraphs and tables in document order; merged cells as blank continuations."""
from __future__ import annotations

import io
import zipfile

from corpus.formats.base import DocumentError, Grid, Layout, Paragraph, layout_from_blocks
from corpus.formats.base import join_wrapped

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read_docx(name: str, data: bytes) -> Layout:
    from docx import Document as open_docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        book = open_docx(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise DocumentError(f"{name}: not a readable DOCX document ({exc.__class__.__name__}: {exc})") from None
    blocks = []
    blank = True
    for child in book.element.body.iterchildren():
        if child.tag == f"{_W}p":
            text = "".join(t.text or "" for t in child.iter(f"{_W}t"))
            if not text.strip():
                blank = True
                continue
            blocks.append(Paragraph(text, blank_before=blank))
            blank = False
        elif child.tag == f"{_W}tbl":
            blocks.append(Grid(tuple(_table_rows(child)), blank_before=True))
            blank = True
    if not blocks:
        raise DocumentError(f"{name}: the document has no text")
    return layout_from_blocks(blocks)


def _table_rows(tbl) -> list[tuple[str, ...]]:
    """One tuple per row; a horizontally merged cell adds blanks, a vertically continued one is blank."""
    rows = []
    for tr in tbl.iterchildren(f"{_W}tr"):
        cells: list[str] = []
        for tc in tr.iterchildren(f"{_W}tc"):
            props = tc.find(f"{_W}tcPr")
            span, continued = 1, False
            if props is not None:
                grid_span = props.find(f"{_W}gridSpan")
                if grid_span is not None:
                    span = int(grid_span.get(f"{_W}val", "1"))
                v_merge = props.find(f"{_W}vMerge")
                continued = v_merge is not None and v_merge.get(f"{_W}val", "continue") == "continue"
            paragraphs = ["".join(t.text or "" for t in p.iter(f"{_W}t")) for p in tc.iterchildren(f"{_W}p")]
            cells.append("" if continued else join_wrapped(paragraphs))
            cells.extend([""] * (span - 1))
        rows.append(tuple(cells))
    return rows
