"""XLSX with openpyxl: every sheet's rows in order, numbers as typed, merged cells as blank continuations.

A typed number is written out exactly (Decimal of the stored value, at the decimals its number format
shows), never re-parsed from display text; a percent format keeps its percent sign."""
from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime
from decimal import Decimal

from corpus.formats.base import DocumentError, Grid, Layout, Paragraph, layout_from_blocks
from corpus.model import Location

_DECIMALS = re.compile(r"0\.(0+)")


def read_xlsx(name: str, data: bytes) -> Layout:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise DocumentError(f"{name}: not a readable XLSX workbook ({exc.__class__.__name__}: {exc})") from None
    blocks = []
    numbers = 0
    for sheet in book.worksheets:
        rows: list[tuple[str, ...]] = []
        locations = []
        for r, row in enumerate(sheet.iter_rows(), 1):
            cells = tuple(format_cell(c.value, c.number_format) for c in row)
            numbers += sum(1 for c in row if _is_number(c.value))
            while cells and not cells[-1]:
                cells = cells[:-1]
            rows.append(cells)
            locations.append(Location(sheet=sheet.title, bbox=(1.0, float(r), float(len(cells)), float(r))))
        blocks.extend(_sheet_blocks(rows, locations))
    if numbers == 0:
        raise DocumentError(f"{name}: the workbook holds no numbers (no numeric cells on any sheet)")
    return layout_from_blocks(blocks)


def _sheet_blocks(rows, locations) -> list:
    """Runs of non-empty rows, split at empty rows. Within a run, the rows from the first to the last
    multi-cell row are one grid (a row with only its label filled stays in the table); single-cell
    rows before or after it are paragraphs (titles, units, notes)."""
    blocks: list = []
    run: list[int] = []
    for i, cells in enumerate(rows + [()]):
        if any(cells):
            run.append(i)
            continue
        if run:
            blocks += _run_blocks([rows[k] for k in run], [locations[k] for k in run])
            run = []
    return blocks


def _run_blocks(rows, locations) -> list:
    multi = [i for i, cells in enumerate(rows) if sum(1 for c in cells if c) > 1 or not cells[0]]
    if not multi:
        return [Paragraph(c[0], loc, blank_before=(i == 0)) for i, (c, loc) in enumerate(zip(rows, locations))]
    a, b = multi[0], multi[-1] + 1
    blocks: list = [Paragraph(rows[i][0], locations[i], blank_before=(i == 0)) for i in range(a)]
    blocks.append(Grid(tuple(rows[a:b]), tuple(locations[a:b]), blank_before=(a == 0)))
    blocks += [Paragraph(rows[i][0], locations[i]) for i in range(b, len(rows))]
    return blocks


def _is_number(value) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def format_cell(value, number_format: str = "General") -> str:
    """The exact text of a cell: typed numbers at the decimals of their format; text as stored."""
    if value is None:
        return ""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if not _is_number(value):
        return str(value).strip()
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    percent = "%" in (number_format or "")
    if percent:
        number *= 100
    m = _DECIMALS.search(number_format or "")
    if m:
        number = number.quantize(Decimal(1).scaleb(-len(m.group(1))))
    elif number_format in ("0", "#,##0", "0%"):
        number = number.quantize(Decimal(1))
    text = format(number, "f")
    return f"{text}%" if percent else text
