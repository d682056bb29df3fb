"""Coverage of space-joined tables: which printed numbers became facts, and why the others are not figures.

Same measure as corpus.reports.coverage (a number counts as covered when a fact has its value at its line), for
lines without tabs. Every number on a table's lines is classified, never silently dropped:
  figure    a printed value (should be a fact)
  code      科目编码 before a label (also when glued to the previous figure: 2.4039906 → 2.40 + 39906)
  index     行次 / 栏次 / column numbers "1 2 … 12" / table numbers (公开 01 表, 表 2, 附件 2-3)
  date      years and dates (2020 年, 2020 年 12 月)
  marker    outline markers (1. / （1）) and page numbers
  wrapped   the tail of a figure wrapped onto the next line ("13223551.7" + "1")
  text      numbers inside text: row labels ("10 个试点城市…"), 偏差原因, 评分标准 prose — lines that hold
            no row of figures
A line counts as a row line when the parser put a row there, or when it looks like one (a two-decimal
figure, or two or more numbers outside text) — so a data row the parser missed shows up as missed figures.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from corpus.model import ParsedDocument, Table
from corpus.spaced.text import INT, NUM, TEXT, Token, is_page_number, tokenize

FIGURE, CODE, INDEX, DATE, MARKER, WRAPPED, TEXT_NUMBER = "figure", "code", "index", "date", "marker", "wrapped", "text"

_TABLE_NUMBER = re.compile(r"(?:公开\s*\d+\s*表|^\s*表\s*\d+|附件\s*\d+(?:-\d+)?)")
_CODE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")
_INDEX_LINE = re.compile(r"^\s*(?:栏\s*次.*|1(?:\s+\d+)+)\s*$")
_YEAR = re.compile(r"^(?:19|20)\d\d$")


@dataclass(frozen=True)
class Number:
    line: int
    text: str
    value: Decimal
    kind: str


@dataclass
class SpacedCoverage:
    numbers: list[Number] = field(default_factory=list)
    covered: set[tuple[int, str]] = field(default_factory=set)

    @property
    def figures(self) -> list[Number]:
        return [n for n in self.numbers if n.kind == FIGURE]

    @property
    def missed(self) -> list[Number]:
        return [n for n in self.figures if (n.line, n.text) not in self.covered]

    @property
    def share(self) -> float:
        figures = self.figures
        return (len(figures) - len(self.missed)) / len(figures) if figures else 1.0

    def counts(self) -> Counter:
        return Counter(n.kind for n in self.numbers)


def number_tokens(table: Table, line_no: int, line: str, row_lines: set[int],
                  label_text: str = "") -> list[Number]:
    """Classify every number on one line of a table (label_text: the row labels/text cells printed there)."""
    if is_page_number(line):
        return [Number(line_no, t.text, t.value, MARKER) for t in tokenize(line) if t.kind != TEXT]
    if _INDEX_LINE.match(line):
        return [Number(line_no, t.text, t.value, INDEX) for t in tokenize(line) if t.kind != TEXT]
    toks = tokenize(line)
    money_table = table.number is not None and table.number.startswith("公开")
    table_number = _TABLE_NUMBER.search(line)
    out: list[Number] = []
    for i, tok in enumerate(toks):
        if tok.kind == TEXT:
            continue
        kind = _kind(toks, i, money_table, table_number is not None and tok.start <= table_number.end())
        if kind == FIGURE and (_in_prose(line, tok) or (label_text and tok.text in label_text)):
            kind = TEXT_NUMBER
        out.append(Number(line_no, tok.text, tok.value, kind))
    if line_no not in row_lines and not _looks_like_row(out):
        out = [Number(n.line, n.text, n.value, TEXT_NUMBER) if n.kind == FIGURE else n for n in out]
    return out


def _kind(toks: list[Token], i: int, money_table: bool, in_table_number: bool) -> str:
    tok = toks[i]
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    prev = toks[i - 1] if i > 0 else None
    if in_table_number:
        return INDEX
    if money_table and tok.kind == INT:
        if _CODE.match(tok.text) and nxt is not None and nxt.kind == TEXT:
            return CODE
        if len(tok.text) <= 2:
            return INDEX            # 行次 / 栏次: money figures here print two decimals
    if tok.kind == INT and nxt is not None and nxt.kind == TEXT and (
            nxt.text[:1] == "年" or (nxt.text[:1] in "月日" and prev is not None and prev.kind == TEXT
                                     and prev.text.endswith(("年", "月")))):
        return DATE
    if tok.kind == INT and _YEAR.match(tok.text) and (nxt is None or nxt.kind != NUM):
        return DATE
    if tok.kind == INT and nxt is not None and nxt.kind == TEXT and nxt.text[:1] in ".、．" and prev is None:
        return MARKER
    if tok.kind == INT and prev is not None and prev.kind == TEXT and prev.text.endswith(("（", "(")) \
            and nxt is not None and nxt.kind == TEXT and nxt.text.startswith(("）", ")")):
        return MARKER
    return FIGURE


def _in_prose(line: str, tok: Token) -> bool:
    """A number written inside a sentence: glued to words ('得 1分；', '≥90%的，'), or, in a line with
    sentence punctuation, followed by a word ('扣 4 分，')."""
    end = tok.start + len(tok.text)
    left = line[tok.start - 1] if tok.start > 0 else " "
    right = line[end] if end < len(line) else " "
    glued_left = not left.isspace() and left not in "≥≤<>＜＞约"
    glued_right = not right.isspace() and right != "%"
    if glued_left and glued_right:
        return True
    if not re.search(r"[，。；：）]", line):
        return False
    following = line[end:].lstrip()
    return glued_left or glued_right or bool(following and re.match(r"[\u4e00-\u9fff]", following[0]))


def _looks_like_row(numbers: list[Number]) -> bool:
    figures = [n for n in numbers if n.kind == FIGURE]
    return any(re.fullmatch(r"[\d,]+\.\d\d", n.text) for n in figures) or len(figures) >= 2


def spaced_coverage(parsed: ParsedDocument) -> SpacedCoverage:
    doc = parsed.document
    result = SpacedCoverage()
    result.covered = {(f.line, _plain(f.value)) for f in parsed.facts if f.source == "table"}
    seen: set[int] = set()
    for table in parsed.tables:
        row_lines = {r.line for r in table.rows} | {n for r in table.rows for n in r.cell_lines if n}
        labels: dict[int, str] = {}
        for r in table.rows:
            text = " ".join([r.label, *r.path, *(t for _, t in r.text_cells)])
            labels[r.line] = labels.get(r.line, "") + " " + text
        previous = ""
        for n in range(table.line_start, table.line_end + 1):
            line = doc.line(n)
            if n in seen or "\t" in line:
                continue
            seen.add(n)
            numbers = number_tokens(table, n, line, row_lines, labels.get(n, ""))
            numbers = [x if (x.line, _plain(x.value)) not in result.covered or x.kind != TEXT_NUMBER
                       else Number(x.line, x.text, x.value, FIGURE) for x in numbers]
            if (len(numbers) == 1 and numbers[0].kind in (FIGURE, TEXT_NUMBER) and line.strip() == numbers[0].text
                    and len(numbers[0].text) <= 2 and re.search(r"\d+\.\d$", previous.strip())):
                numbers = [Number(n, numbers[0].text, numbers[0].value, WRAPPED)]
                head = result.numbers[-1]        # "13223551.7" + "1": the figure is the joined number
                joined = Decimal(f"{head.value}{numbers[0].text}")
                result.numbers[-1] = Number(head.line, _plain(joined), joined, head.kind)
            result.numbers.extend(Number(x.line, _plain(x.value), x.value, x.kind) for x in numbers)
            if line.strip():
                previous = line
    return result


def _plain(value: Decimal) -> str:
    """Value key independent of printing (5,712 / 5712.00 → 5712)."""
    normal = value.normalize()
    return format(normal, "f") if normal == normal.to_integral() or "E" not in str(normal) else str(value)


def spaced_figures(parsed: ParsedDocument) -> list[Number]:
    """Figures on the table lines of a document without tab-separated tables (else: none)."""
    doc = parsed.document
    if any("\t" in doc.line(n) for n in parsed.table_lines):
        return []
    return spaced_coverage(parsed).figures


def spaced_number_coverage(parsed: ParsedDocument) -> tuple[int, int]:
    """(figures printed in space-joined table rows, how many became a fact at their line)."""
    cov = spaced_coverage(parsed)
    return len(cov.figures), len(cov.figures) - len(cov.missed)


def main() -> int:
    import sys
    from pathlib import Path

    from corpus.loader import load_document
    from corpus.parse import parse_document

    for name in sys.argv[1:]:
        parsed = parse_document(load_document(Path(name)))
        cov = spaced_coverage(parsed)
        tables = parsed.tables
        passed = sum(1 for t in tables if t.checks_passed)
        print(f"{parsed.document.doc_id}: figures {len(cov.figures) - len(cov.missed)}/{len(cov.figures)} "
              f"became facts ({100 * cov.share:.1f}%); tables {len(tables)}, all checks pass {passed}")
        print("  classified:", dict(cov.counts()))
        for m in cov.missed:
            print(f"  missed line {m.line}: {m.text}  | {parsed.document.line(m.line).strip()[:70]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
