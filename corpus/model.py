"""Typed records for what the documents say: documents, tables, checks and facts."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

BUDGET = "预算"
FINAL_ACCOUNTS = "决算"
WAN_YUAN = "万元"
YUAN = "元"

ColumnPath = tuple[str, ...]


@dataclass(frozen=True)
class DocMeta:
    org: str                 # e.g. 深圳市医疗保险基金管理中心
    year: int                # budget / accounts year, e.g. 2024
    kind: str                # BUDGET or FINAL_ACCOUNTS
    unit: str                # default money unit of the tables: 万元 or 元
    scope: str | None = None  # 本级 / 汇总 where stated
    title: str = ""          # the document's own title line


@dataclass(frozen=True)
class Location:
    """Where a line sits in a paged or sheeted source (PDF page, XLSX sheet); text files have none."""
    page: int | None = None                                 # 1-based PDF/DOCX page
    bbox: tuple[float, float, float, float] | None = None   # x0, top, x1, bottom in PDF points
    sheet: str | None = None                                # XLSX sheet name
    ocr: bool = False                                       # text recognised from a page image
    merged: tuple[tuple[int, int], ...] = ()                # (first, last) 0-based cells of the line one
    #   merged cell spans (a figure printed across several columns belongs to none of them alone)

    def label(self) -> str:
        """'p. 12' / 'sheet 表3' for a citation."""
        where = f"p. {self.page}" if self.page else (f"sheet {self.sheet}" if self.sheet else "")
        return f"{where} (OCR)" if self.ocr and where else where


@dataclass(frozen=True)
class Document:
    doc_id: str              # file name, e.g. 000_8eb411c3622be9ee.txt (gold sets cite it)
    lines: tuple[str, ...]   # lines[0] is line 1
    meta: DocMeta
    sha256: str
    encoding: str = "utf-8"
    locations: tuple[Location | None, ...] = ()  # per line, for PDF/XLSX/DOCX sources

    def location(self, number: int) -> Location | None:
        return self.locations[number - 1] if 0 < number <= len(self.locations) else None

    def line(self, number: int) -> str:
        """1-based line access."""
        return self.lines[number - 1]


@dataclass(frozen=True)
class Row:
    label: str                        # 科目名称 / 项目 text as printed
    cells: tuple[Decimal | None, ...]  # aligned with Table.columns; None = blank cell
    line: int                         # 1-based source line
    quote: str                        # the source line as printed
    code: str | None = None           # 科目编码, e.g. 2101506
    path: tuple[str, ...] = ()        # hierarchy of labels from the root, ending with label
    entity: str | None = None         # 预算单位 / 单位名称 column, when the table has one
    text_cells: tuple[tuple[ColumnPath, str], ...] = ()  # non-numeric cells (targets like ≥70家, descriptions)
    cell_units: tuple[str | None, ...] = ()       # per cell, when a cell has its own unit (305.63 万人)
    cell_qualifiers: tuple[str | None, ...] = ()  # per cell: ≥, ≤, 约 … printed before the figure
    cell_lines: tuple[int | None, ...] = ()       # per cell, when the figure sits on another line of the row
    unplaced: tuple[tuple[Decimal, tuple[int, ...]], ...] = ()  # figures printed in the row that the reading
    #   could not put in one column, each with the columns it could be in (not in cells, not facts)


@dataclass(frozen=True)
class Check:
    name: str       # e.g. "row-sum", "hierarchy", "column-total", "cross-table"
    passed: bool
    detail: str = ""


@dataclass(frozen=True)
class Table:
    table_id: str                  # stable id: "<doc_id>#<n>", n = order in document
    doc_id: str
    title: str                     # e.g. 一般公共预算支出表（按功能分类）
    unit: str                      # 万元 / 元
    columns: tuple[ColumnPath, ...]  # value columns only (label/code columns excluded)
    rows: tuple[Row, ...]
    line_start: int
    line_end: int
    number: str | None = None      # 表3 / 公开03表 where printed
    part: str | None = None        # side of a side-by-side layout, e.g. 收入 / 支出
    checks: tuple[Check, ...] = ()
    notes: tuple[str, ...] = ()    # unresolved ambiguities, contradictions
    column_units: tuple[str | None, ...] = ()  # per column, when a column has its own unit (分值: 分, 执行率: %)

    @property
    def checks_passed(self) -> bool:
        return all(c.passed for c in self.checks)


@dataclass(frozen=True)
class Fact:
    doc_id: str
    org: str
    year: int
    kind: str
    value: Decimal
    unit: str                      # 万元, 元, %, 台, 人, 个, 笔 ...
    line: int
    quote: str                     # exact source line
    row: str                       # row label, or prose item
    table: str = ""                # table title, or heading path for prose
    table_id: str | None = None    # None for prose facts
    row_code: str | None = None
    row_path: tuple[str, ...] = ()
    column: ColumnPath = ()
    scope: str | None = None
    entity: str | None = None      # 预算单位 when the row belongs to a sub-unit
    source: str = "table"          # "table" or "prose"
    qualifier: str | None = None   # for targets: ≥, ≤, > ...
    year_ref: int | None = None    # year the figure refers to when not the doc year (e.g. 2023年年初预算)
    context: str = ""              # prose facts: the enclosing sentence, re-joined across line breaks
    location: Location | None = None  # page / sheet / bbox of the line, for non-text sources

    def to_json(self) -> dict:
        return {
            "doc": self.doc_id, "org": self.org, "scope": self.scope, "year": self.year,
            "kind": self.kind, "table": self.table, "table_id": self.table_id,
            "row_code": self.row_code, "row": self.row, "row_path": list(self.row_path),
            "column": list(self.column), "value": str(self.value), "unit": self.unit,
            "line": self.line, "quote": self.quote, "entity": self.entity,
            "source": self.source, "qualifier": self.qualifier, "year_ref": self.year_ref,
            "context": self.context,
        } | (self._location_json() if self.location else {})

    def _location_json(self) -> dict:
        loc = self.location
        return {"page": loc.page, "sheet": loc.sheet, "bbox": list(loc.bbox) if loc.bbox else None, "ocr": loc.ocr}


@dataclass(frozen=True)
class ParsedDocument:
    document: Document
    tables: tuple[Table, ...] = ()
    facts: tuple[Fact, ...] = ()
    errors: tuple[str, ...] = ()
    table_lines: frozenset[int] = field(default_factory=frozenset)  # lines inside table regions
