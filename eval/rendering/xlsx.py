"""Blocks -> XLSX with openpyxl: a sheet per section (prose, then each run of tables), merged header
cells, numbers stored as numbers with a number format showing their printed decimals."""
from __future__ import annotations

import io
import re

from corpus.tables.cells import cell_number, is_code
from corpus.formats.base import Block, Grid
from corpus.formats.xlsx import format_cell
from eval.rendering.grid import header_rows, header_spans

_MEASURE = re.compile(r"^(?P<q>[≥≤><])?(?P<num>-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+(?:\.\d+)?)"
                      r"(?P<unit>%|[\u4e00-\u9fff]{1,4})?$")


def _ruled():
    from openpyxl.styles import Border, Side
    thin = Side(style="thin")
    return Border(left=thin, right=thin, top=thin, bottom=thin)


def render_xlsx(blocks: list[Block]) -> bytes:
    from openpyxl import Workbook

    ruled = _ruled()
    book = Workbook()
    sheet = book.active
    sheet.title = "正文1"
    row = 1
    kind = "text"
    counts = {"text": 1, "table": 0}
    for block in blocks:
        block_kind = "table" if isinstance(block, Grid) else "text"
        if block_kind != kind and block_kind == "table" or (block_kind == "text" and kind == "table"):
            counts[block_kind] += 1
            name = f"表{counts['table']}" if block_kind == "table" else f"正文{counts['text']}"
            sheet, row, kind = book.create_sheet(name), 1, block_kind
        if block.blank_before and row > 1:
            row += 1
        if isinstance(block, Grid):
            row = _write_grid(sheet, block, row, ruled)
        else:
            sheet.cell(row=row, column=1, value=block.text)
            row += 1
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _write_grid(sheet, grid: Grid, top: int, ruled) -> int:
    """The grid's cells from `top`, every one ruled (a one-cell row such as a blank 合计 stays in the table)."""
    rows = [list(r) for r in grid.rows]
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    n_header = header_rows(rows)
    for r, cells in enumerate(rows):
        first = next((i for i, c in enumerate(cells) if c), None)
        for c, text in enumerate(cells):
            cell = sheet.cell(row=top + r, column=c + 1)
            cell.border = ruled
            if not text:
                continue
            typed = r >= n_header and not (c == first and is_code(text))
            value, number_format = _typed(text) if typed else (text, None)
            cell.value = value
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"   # printed text such as '=50万元', not a formula
            if number_format:
                cell.number_format = number_format
    for (c0, r0), (c1, r1) in header_spans(rows[:n_header]):
        sheet.merge_cells(start_row=top + r0, start_column=c0 + 1, end_row=top + r1, end_column=c1 + 1)
    for r, c0, c1 in grid.merged:
        sheet.merge_cells(start_row=top + r, start_column=c0 + 1, end_row=top + r, end_column=c1 + 1)
    return top + len(rows)


def _typed(text: str):
    """A printed figure as a number + format ('1,515.19' -> 1515.19, '#,##0.00'; '≥322.5万人' -> 322.5,
    '"≥"0.0"万人"'; '81.25%' -> 0.8125, '0.00%'); other text unchanged. Only when the format shows the
    number exactly as printed."""
    stripped = text.strip()
    m = _MEASURE.match(stripped)
    if not m:
        return text, None
    qualifier, digits, unit = m.group("q") or "", m.group("num"), m.group("unit") or ""
    number = cell_number(digits)
    if number is None or unit.startswith(("年", "月", "日")):      # a date or year label stays text
        return text, None
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    core = ("#,##0" if "," in digits else "0") + ("." + "0" * decimals if decimals else "")
    if unit == "%":
        value, core = float(number) / 100, core + "%"
    else:
        value = float(number) if decimals else int(number)
    number_format = (f'"{qualifier}"' if qualifier else "") + core + (f'"{unit}"' if unit and unit != "%" else "")
    if format_cell(value, number_format) != stripped.replace(",", ""):
        return text, None
    return value, number_format


def render_workbook_without_numbers(title: str = "2024年某局部门预算") -> bytes:
    """A refusal test input: a budget-titled workbook whose cells are all text."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.append([title])
    book.active.append(["项目", "说明"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
