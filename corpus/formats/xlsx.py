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
        ruled: list[bool] = []
        across = _merged_across(sheet)
        for r, row in enumerate(sheet.iter_rows(), 1):
            cells = tuple(format_cell(c.value, c.number_format) for c in row)
            numbers += sum(1 for c in row if _is_number(c.value))
            while cells and not cells[-1]:
                cells = cells[:-1]
            rows.append(cells)
            ruled.append(bool(row) and _is_ruled(row[0]))
            locations.append(Location(sheet=sheet.title, bbox=(1.0, float(r), float(len(cells)), float(r)),
                                      merged=across.get(r, ())))
        blocks.extend(_sheet_blocks(rows, locations, ruled))
    if numbers == 0:
        raise DocumentError(f"{name}: the workbook holds no numbers (no numeric cells on any sheet)")
    return layout_from_blocks(blocks)


def _merged_across(sheet) -> dict[int, tuple[tuple[int, int], ...]]:
    """Row number -> (first, last) 0-based columns of each one-row cell merged across columns."""
    out: dict[int, list[tuple[int, int]]] = {}
    for cells in sheet.merged_cells.ranges:
        if cells.min_row == cells.max_row and cells.max_col > cells.min_col:
            out.setdefault(cells.min_row, []).append((cells.min_col - 1, cells.max_col - 1))
    return {r: tuple(sorted(v)) for r, v in out.items()}


def _is_ruled(cell) -> bool:
    border = getattr(cell, "border", None)
    return bool(border) and any(getattr(side, "style", None) for side in
                                (border.left, border.right, border.top, border.bottom))


def _sheet_blocks(rows, locations, ruled) -> list:
    """Runs of non-empty rows, split at empty rows. Within a run, the rows from the first to the last
    multi-cell row are one grid (a row with only its label filled stays in the table), and so are
    ruled one-cell rows next to it (a 合计 row printed blank); other single-cell rows before or after
    it are paragraphs (titles, units, notes)."""
    blocks: list = []
    run: list[int] = []
    for i, cells in enumerate(rows + [()]):
        if any(cells):
            run.append(i)
            continue
        if run:
            blocks += _run_blocks([rows[k] for k in run], [locations[k] for k in run], [ruled[k] for k in run])
            run = []
    return blocks


def _run_blocks(rows, locations, ruled) -> list:
    multi = [i for i, cells in enumerate(rows) if sum(1 for c in cells if c) > 1 or not cells[0]]
    if not multi:
        return [Paragraph(c[0], loc, blank_before=(i == 0)) for i, (c, loc) in enumerate(zip(rows, locations))]
    a, b = multi[0], multi[-1] + 1
    while a > 0 and ruled[a - 1]:
        a -= 1
    while b < len(rows) and ruled[b]:
        b += 1
    blocks: list = [Paragraph(rows[i][0], locations[i], blank_before=(i == 0)) for i in range(a)]
    blocks.append(Grid(tuple(rows[a:b]), tuple(locations[a:b]), blank_before=(a == 0)))
    blocks += [Paragraph(rows[i][0], locations[i]) for i in range(b, len(rows))]
    return blocks


def _is_number(value) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def format_cell(value, number_format: str = "General") -> str:
    """The exact text of a cell: typed numbers at the decimals of their format, with the format's
    literal text around them ('"≥"0.0"万人"' shows 322.5 as ≥322.5万人); text as stored."""
    if value is None:
        return ""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if not _is_number(value):
        return str(value).strip()
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    prefix, core, suffix = split_number_format(number_format or "General")
    percent = "%" in core
    if percent:
        number *= 100
    m = _DECIMALS.search(core)
    if m:
        number = number.quantize(Decimal(1).scaleb(-len(m.group(1))))
    elif core in ("0", "#,##0", "0%", "#,##0%"):
        number = number.quantize(Decimal(1))
    text = format(number, "f")
    return f"{prefix}{text}{'%' if percent else ''}{suffix}"


_PLACEHOLDERS = set("0#?.,%")


def split_number_format(number_format: str) -> tuple[str, str, str]:
    """(literal text before the digits, the digit pattern, literal text after) of a format's first
    section: quoted strings, backslash-escaped and other non-placeholder characters are literal;
    [colour]/[locale] tags and _x / *x padding are dropped."""
    section = number_format.split(";")[0]
    if section in ("General", "@"):
        return "", section, ""
    pieces: list[tuple[bool, str]] = []      # (is_placeholder, text)
    i = 0
    while i < len(section):
        ch = section[i]
        if ch == '"':
            end = section.find('"', i + 1)
            end = len(section) if end < 0 else end
            pieces.append((False, section[i + 1:end]))
            i = end + 1
        elif ch == "\\" and i + 1 < len(section):
            pieces.append((False, section[i + 1]))
            i += 2
        elif ch == "[":
            end = section.find("]", i)
            i = len(section) if end < 0 else end + 1
        elif ch in "_*":
            i += 2
        else:
            pieces.append((ch in _PLACEHOLDERS, ch))
            i += 1
    marks = [k for k, (placeholder, _) in enumerate(pieces) if placeholder]
    if not marks:
        return "", section, ""
    first, last = marks[0], marks[-1]
    prefix = "".join(t for _, t in pieces[:first])
    core = "".join(t for placeholder, t in pieces[first:last + 1] if placeholder)
    suffix = "".join(t for _, t in pieces[last + 1:])
    return prefix, core, suffix
