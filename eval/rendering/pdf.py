"""Blocks -> PDF with reportlab: STSong-Light CID font, ruled tables with merged header cells,
long tables split over pages with their header repeated, prose as wrapped paragraphs."""
from __future__ import annotations

import io
from xml.sax.saxutils import escape

from corpus.formats.base import Block, Grid
from eval.rendering.grid import header_rows, header_spans

FONT = "STSong-Light"
TEXT_SIZE = 9
CELL_SIZE = 6.5


def render_pdf(blocks: list[Block], title: str = "") -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    # paragraph gaps: 3 pt after every paragraph (a new line), 12 pt more for a blank line
    text = ParagraphStyle("text", fontName=FONT, fontSize=TEXT_SIZE, leading=TEXT_SIZE + 3, wordWrap="CJK",
                          spaceAfter=3)
    cell = ParagraphStyle("cell", fontName=FONT, fontSize=CELL_SIZE, leading=CELL_SIZE + 2, wordWrap="CJK")
    out = io.BytesIO()
    page = landscape(A4)
    doc = SimpleDocTemplate(out, pagesize=page, leftMargin=36, rightMargin=36, topMargin=36, bottomMargin=40,
                            title=title, author="budget-qa test renderer")
    width = page[0] - 72
    story = []
    for block in blocks:
        if block.blank_before and story:
            story.append(Spacer(1, 12))
        if isinstance(block, Grid):
            story.append(_table(block, width, cell, Table, TableStyle, Paragraph, colors))
        else:
            story.append(KeepTogether([Paragraph(escape(block.text), text)]))

    def footer(canvas, document):
        canvas.setFont(FONT, 8)
        canvas.drawCentredString(page[0] / 2, 20, f"- {document.page} -")

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()


def _table(grid: Grid, width: float, style, Table, TableStyle, Paragraph, colors):
    ncols = max(len(r) for r in grid.rows)
    rows = [list(r) + [""] * (ncols - len(r)) for r in grid.rows]
    widths = _column_widths(rows, width)
    data = [[Paragraph(escape(c), style) if c else "" for c in row] for row in rows]
    n_header = header_rows(rows)
    commands = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("FONT", (0, 0), (-1, -1), "STSong-Light", CELL_SIZE),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5)]
    commands += [("SPAN", a, b) for a, b in header_spans(rows[:n_header])]
    table = Table(data, colWidths=widths, repeatRows=n_header, splitByRow=1)
    table.setStyle(TableStyle(commands))
    return table


def _column_widths(rows: list[list[str]], width: float) -> list[float]:
    """Widths in proportion to each column's longest cell (capped), filling the text width."""
    ncols = len(rows[0])
    need = [max(4.0, min(30.0, max(len(r[c]) for r in rows))) for c in range(ncols)]
    scale = width / sum(need)
    return [n * scale for n in need]


def render_damaged_pdfs(text_pdf: bytes) -> dict[str, bytes]:
    """Test inputs for the PDF reader's refusals: truncated, password-protected, an image-only page."""
    import io as _io

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas
    from PIL import Image, ImageDraw

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    encrypted = _io.BytesIO()
    c = canvas.Canvas(encrypted, pagesize=A4, encrypt="secret")
    c.setFont(FONT, 12)
    c.drawString(72, 760, "2024 年某局部门预算")
    c.showPage()
    c.save()

    scanned = _io.BytesIO()
    c = canvas.Canvas(scanned, pagesize=A4)
    c.setFont(FONT, 12)
    c.drawString(72, 760, "2024 年深圳市医疗保障局部门预算")
    c.showPage()
    image = Image.new("RGB", (600, 200), "white")
    ImageDraw.Draw(image).rectangle((20, 20, 580, 180), outline="black", width=3)
    c.drawImage(ImageReader(image), 72, 400, width=450, height=150)   # a page that is only a picture
    c.showPage()
    c.save()
    return {"truncated.pdf": text_pdf[: len(text_pdf) // 3], "encrypted.pdf": encrypted.getvalue(),
            "scanned.pdf": scanned.getvalue()}
