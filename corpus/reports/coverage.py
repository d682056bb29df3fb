"""How much of what the tables print became facts, and how many tables reconcile.

Counts every number printed in the cells of table rows (tab-separated lines inside a table
region), except numbers that are not figures: 科目编码, years and dates ('2024 年', '12月31日'),
栏次 column indices and outline markers ('1.', '（2）', '目标 1：').

    python -m corpus.reports.coverage [folder]
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from corpus.tables.cells import CODE_RE, split_cells
from corpus.model import ParsedDocument
from corpus.numbers import normalize_digits

_NUMBER = re.compile(r"(?<![\d.,])-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<![\d.,])-?\d+(?:\.\d+)?")
_BRACKET_CODE = re.compile(r"^[\[【]\s*\d{3,7}\s*[\]】]")
_DASH_CODE = re.compile(r"^\d{3,7}\s*[-－—]")
_YEAR_AFTER = re.compile(r"^\s*年")
_DATE_AFTER = re.compile(r"^\s*(?:月|日|号)")
_ORDINAL_AFTER = re.compile(r"^(?:[、．]|\.(?!\d)|[）)]|\s*[：:])")
_ORDINAL_BEFORE = re.compile(r"(?:^|[\s。；;：:，,>（(]|目标|第)\s*$")
_DOC_NUMBER = re.compile(r"[〔\[［(（]\s*$")            # 〔2022〕10号: 文号 parts
_NAME_AFTER = re.compile(r"^\s*(?:号|平台|热线)")       # 10号, 12345 平台 (a hotline's name)
_YEARISH = re.compile(r"^(?:19|20)\d\d$")
_COLUMN_INDEX_ROW = re.compile(r"^\s*栏次")


@dataclass(frozen=True)
class Token:
    line: int
    text: str
    value: Decimal


def figure_tokens(line_no: int, line: str) -> list[Token]:
    """Numbers in one table line that are figures (not codes, years, dates, indices or markers)."""
    cells = split_cells(normalize_digits(line))
    if cells and _COLUMN_INDEX_ROW.match(cells[0]):
        return []
    tokens: list[Token] = []
    for cell in cells:
        if CODE_RE.match(cell) and not tokens and _looks_like_code_cell(cells, cell):
            continue
        plain = _NUMBER.fullmatch(cell.replace(" ", "")) is not None
        for m in _NUMBER.finditer(cell):
            if not plain and _not_a_figure(cell, m):
                continue
            if m.start() == 0 and (_BRACKET_CODE.match(cell) or _DASH_CODE.match(cell)):
                continue
            try:
                tokens.append(Token(line_no, m.group(), Decimal(m.group().replace(",", ""))))
            except InvalidOperation:
                continue
    return tokens


def _not_a_figure(cell: str, m: re.Match) -> bool:
    """Years, dates, 文号, names, outline markers and identifiers inside a text cell."""
    before, after, text = cell[:m.start()], cell[m.end():], m.group().lstrip("-")
    if before.endswith(("[", "【")) or before.count("《") > before.count("》"):
        return True
    if _YEARISH.match(text) or (_YEAR_AFTER.match(after) and len(text) == 4):
        return True
    if _DATE_AFTER.match(after) and re.search(r"(?:年|月)\s*$", before) or re.match(r"^\s*月\s*\d{1,2}\s*日", after):
        return True
    if _DOC_NUMBER.search(before) and _YEARISH.match(text) or _NAME_AFTER.match(after):
        return True
    if re.search(r"[A-Za-z]$", before) or re.match(r"^[A-Za-z]", after):
        return True
    return bool(_ORDINAL_AFTER.match(after) and _ORDINAL_BEFORE.search(before) and "." not in text)


def _looks_like_code_cell(cells: list[str], cell: str) -> bool:
    """A 科目编码 cell: a 3/5/7-digit code before the row's label (not a figure after it)."""
    index = cells.index(cell)
    return any(c and not CODE_RE.match(c) and not _NUMBER.fullmatch(c.replace(",", "")) for c in cells[index + 1:])


def table_number_tokens(parsed: ParsedDocument) -> list[Token]:
    doc = parsed.document
    tokens: list[Token] = []
    for n in sorted(parsed.table_lines):
        line = doc.line(n)
        if "\t" in line:
            tokens.extend(figure_tokens(n, line))
    # space-joined tables (no tabs): classified by corpus.spaced.coverage
    from corpus.spaced.coverage import spaced_figures
    tokens.extend(Token(f.line, f.text, f.value) for f in spaced_figures(parsed))
    return tokens


def missed_tokens(parsed: ParsedDocument) -> list[Token]:
    have = {(f.line, f.value) for f in parsed.facts}
    return [t for t in table_number_tokens(parsed) if (t.line, t.value) not in have]


def table_number_coverage(parsed: ParsedDocument) -> tuple[int, int]:
    """(numbers printed in table regions, how many of them became a fact at their line)."""
    tokens = table_number_tokens(parsed)
    have = {(f.line, f.value) for f in parsed.facts}
    return len(tokens), sum(1 for t in tokens if (t.line, t.value) in have)


def reconciled_tables(parsed: ParsedDocument) -> tuple[int, int, int]:
    """(tables, tables whose checks all pass, tables with at least one real arithmetic check passing)."""
    tables = parsed.tables
    passed = sum(1 for t in tables if t.checks_passed)
    arithmetic = sum(1 for t in tables if t.checks_passed and any(c.name != "no-arithmetic" for c in t.checks))
    return len(tables), passed, arithmetic


def main(argv: list[str] | None = None) -> int:
    from corpus.parse import parse_folder

    args = argv if argv is not None else sys.argv[1:]
    folder = Path(args[0]) if args else Path(__file__).resolve().parent
    parsed, errors = parse_folder(folder)
    for p in parsed:
        total, became = table_number_coverage(p)
        tables, passed, arithmetic = reconciled_tables(p)
        share = f"{100 * became / total:.1f}%" if total else "n/a"
        print(f"{p.document.doc_id}: numbers in tables {became}/{total} became facts ({share}); "
              f"tables {tables}, checks pass {passed}/{tables}, reconciled by arithmetic {arithmetic}/{tables}")
    for error in errors:
        print("error:", error, file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
