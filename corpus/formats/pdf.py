"""PDF with pdfplumber: ruled tables from the ruling lines, prose from the text lines around them.

Per page, tables are found from their ruling lines (a page without a text layer is recognised offline
by corpus.formats.ocr, its facts marked OCR-derived); the characters outside them form text lines,
joined into paragraphs where the vertical gap is a wrap, not a paragraph break. A table that
continues at the top of the next page with the same columns is merged, its repeated header dropped."""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, replace

from corpus.formats.base import Block, DocumentError, Grid, Layout, Paragraph, join_wrapped, layout_from_blocks
from corpus.formats.ocr import ocr_available, ocr_page
from corpus.formats.pdf_objects import page_objects
from corpus.model import Location

_TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
_PAGE_NUMBER = re.compile(r"^[-—–\s]*\d{1,4}[-—–\s]*$")
_WRAP_GAP = 0.5        # × font size: a smaller gap between two lines is a wrap inside one paragraph
_BLANK_GAP = 1.0       # × font size: a larger gap stands for a blank line
_EDGE = 36.0           # points from the page's top/bottom where a continued table starts/ends


@dataclass
class _Piece:
    top: float
    block: Block
    bottom: float


def read_pdf(name: str, data: bytes) -> Layout:
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        pages = list(pdf.pages)
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, PDFPasswordIncorrect) or "password" in str(cause).lower():
            raise DocumentError(f"{name}: the PDF is encrypted (password-protected); "
                                "save an unprotected copy and upload that") from None
        raise DocumentError(f"{name}: not a readable PDF (corrupt or truncated: {cause})") from None
    except Exception as exc:  # pdfminer raises many kinds on damaged files
        raise DocumentError(f"{name}: not a readable PDF (corrupt or truncated: {exc})") from None
    with pdf:
        try:
            _use_pdfium_objects(data, pages)
            return _read_pages(name, pages)
        except DocumentError:
            raise
        except Exception as exc:
            raise DocumentError(f"{name}: not a readable PDF ({exc.__class__.__name__}: {exc})") from None


def _use_pdfium_objects(data: bytes, pages) -> None:
    """Give each pdfplumber page the characters and lines PDFium reads (pdf_objects); pages PDFium cannot
    read, or rotated ones, keep pdfminer's reading."""
    try:
        import pypdfium2 as pdfium
        document = pdfium.PdfDocument(data)
    except Exception:   # noqa: BLE001 - pdfminer reads what PDFium will not
        return
    try:
        if len(document) != len(pages):
            return
        for page, source in zip(pages, document):
            try:
                if source.get_rotation() == 0:
                    top_edge = source.get_mediabox()[3] + page.mediabox[1]
                    page._objects = page_objects(source, top_edge, page.page_number, page.initial_doctop)
            finally:
                source.close()
    finally:
        document.close()


def _read_pages(name: str, pages) -> Layout:
    blocks: list[Block] = []
    scanned: list[int] = []
    previous_grid_ends_page = False
    for page in pages:
        pieces = _page_pieces(page) if page.chars else _ocr_pieces(page)
        if not pieces:
            if not page.chars:
                scanned.append(page.page_number)
            previous_grid_ends_page = False
            continue
        for k, piece in enumerate(pieces):
            block = piece.block
            if (k == 0 and isinstance(block, Grid) and previous_grid_ends_page and blocks
                    and isinstance(blocks[-1], Grid) and piece.top < _EDGE * 3):
                merged = _continue_grid(blocks[-1], block)
                if merged is not None:
                    blocks[-1] = merged
                    continue
            blocks.append(block)
        last = pieces[-1] if pieces else None
        previous_grid_ends_page = bool(last and isinstance(last.block, Grid) and last.bottom > page.height - _EDGE * 3)
    if scanned:
        pages_text = ", ".join(str(p) for p in scanned)
        why = ("OCR read no text from them" if ocr_available() else
               "OCR is not installed here (pip install rapidocr-onnxruntime)")
        if len(scanned) == len(pages):
            raise DocumentError(f"{name}: no text layer on any page (a scanned PDF, pages {pages_text}) and {why}; "
                                "OCR it first or upload the text version")
        raise DocumentError(f"{name}: pages {pages_text} have no text layer (scanned images) and {why}; "
                            "OCR them first or upload the text version")
    if not blocks:
        raise DocumentError(f"{name}: the PDF has no text")
    return layout_from_blocks(blocks)


def _page_pieces(page) -> list[_Piece]:
    tables = page.find_tables(_TABLE_SETTINGS)
    boxes = [t.bbox for t in tables]
    pieces = [_table_piece(page, t) for t in tables]
    outside = page.filter(lambda obj: obj.get("object_type") != "char" or not _inside(obj, boxes))
    pieces += _paragraphs(page, outside.extract_text_lines(return_chars=True))
    pieces.sort(key=lambda p: p.top)
    return pieces


def _ocr_pieces(page) -> list[_Piece]:
    """A page without a text layer, recognised offline (corpus.formats.ocr); [] when OCR is not installed."""
    if not ocr_available():
        return []
    grids, lines = ocr_page(page)
    return sorted([_Piece(*g) for g in grids] + _paragraphs(page, lines, ocr=True), key=lambda p: p.top)


def _inside(obj, boxes) -> bool:
    cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)


def _table_piece(page, table) -> _Piece:
    rows, locations = [], []
    for cells, row in zip(table.extract(), table.rows):
        rows.append(tuple(join_wrapped((c or "").split("\n")) for c in cells))
        locations.append(Location(page=page.page_number, bbox=_round(row.bbox)))
    grid = Grid(tuple(rows), tuple(locations), blank_before=True)
    return _Piece(table.bbox[1], grid, table.bbox[3])


def _paragraphs(page, lines: list[dict], ocr: bool = False) -> list[_Piece]:
    pieces: list[_Piece] = []
    current: list[dict] = []
    previous: dict | None = None
    blank = True

    def flush():
        if current:
            text = join_wrapped([ln["text"] for ln in current])
            box = (min(ln["x0"] for ln in current), current[0]["top"],
                   max(ln["x1"] for ln in current), current[-1]["bottom"])
            location = Location(page=page.page_number, bbox=_round(box), ocr=ocr)
            pieces.append(_Piece(box[1], Paragraph(text, location, blank_before=blank), box[3]))

    for line in lines:
        if line["top"] > page.height - _EDGE and _PAGE_NUMBER.match(line["text"]):
            continue   # a page number in the footer
        size = max((ch["size"] for ch in line.get("chars", ())), default=10.0)
        if previous is not None:
            gap = line["top"] - previous["bottom"]
            if gap < _WRAP_GAP * size:
                current.append(line)
                previous = line
                continue
            flush()
            blank = gap >= _BLANK_GAP * size
        current = [line]
        previous = line
    flush()
    return pieces


def _continue_grid(before: Grid, after: Grid) -> Grid | None:
    """The next page's table continues before when its columns match; a repeated header is dropped."""
    width = max(len(r) for r in before.rows)
    if max(len(r) for r in after.rows) != width:
        return None
    skip = 0
    while skip < len(after.rows) and skip < len(before.rows) and after.rows[skip] == before.rows[skip]:
        skip += 1
    return replace(before, rows=before.rows + after.rows[skip:],
                   locations=before.locations + after.locations[skip:])


def _round(box) -> tuple[float, float, float, float]:
    return tuple(round(float(v), 1) for v in box)
