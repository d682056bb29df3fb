"""Turn a parsed document into search chunks: tables, table rows, paragraphs and short sections.

Rules: a table chunk is Markdown under a context header (org, year, kind, unit, title); a big table
is split into parts that each repeat the header row, and a row is never split. Every row also gets
its own chunk (row path, column headers and values, synonyms). Running text becomes one chunk per
paragraph or list item with its heading path. Table-like lines the parsers did not claim still get
row and block chunks, so nothing printed is unsearchable.
"""
from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal

from corpus.model import Document, ParsedDocument, Row, Table
from corpus.numbers import is_number
from index.layout import HEADING, PARAGRAPH, TABULAR, Segment, clean, is_tabular, segment_lines
from index.model import PROSE, ROW, SECTION, TABLE, Chunk
from index.terms import Glossary

MAX_TABLE_CHARS = 2500
MAX_SECTION_CHARS = 1500
MAX_TITLE_LINES = 4
_DOT_LEADER = re.compile(r"\.{4,}|…{2,}|·{4,}")
_PREVIOUS_YEAR = re.compile(r"上年|上一年|去年|上年度")


def chunk_document(parsed: ParsedDocument, glossary: Glossary | None = None) -> list[Chunk]:
    glossary = glossary or Glossary()
    maker = _ChunkMaker(parsed.document, glossary)
    claimed = set(parsed.table_lines)
    for table in parsed.tables:
        start = caption_start(parsed.document, table.line_start, claimed)
        claimed.update(range(start, table.line_start))
        maker.table(table, start)
    segments = segment_lines(parsed.document.lines, skip=frozenset(claimed))
    for seg in segments:
        if is_table_of_contents(seg):
            continue                          # page-number lists and "…目录" titles answer nothing
        if seg.kind == PARAGRAPH:
            maker.paragraph(seg)
        elif seg.kind == TABULAR:
            maker.block(seg)
    for start, members in _sections(segments, parsed.document.lines):
        maker.section(start, members)
    return maker.chunks


_PAGE_NUMBER_END = re.compile(r"(?:\t|\s{2,}|\.{3,}|…{2,})\s*\d{1,3}\s*$")
_TOC_TITLE = re.compile(r"目\s*录")


def is_table_of_contents(seg: Segment) -> bool:
    """A table of contents: lines ending in page numbers / dot leaders, or a short '…目录' title."""
    if seg.kind == PARAGRAPH:
        return bool(_TOC_TITLE.search(seg.text)) and len(seg.text) <= 80
    if seg.kind != TABULAR:
        return False
    lines = [line for line in seg.text.split("\n") if line.strip()]
    toc = [line for line in lines if _PAGE_NUMBER_END.search(line) and not re.search(r"\d[\d,]*\.\d", line)]
    return bool(lines) and len(toc) >= 0.6 * len(lines)


def doc_header(doc: Document) -> str:
    """e.g. 深圳市医疗保险基金管理中心（本级） 2024年 部门预算."""
    meta = doc.meta
    scope = f"（{meta.scope}）" if meta.scope else ""
    return f"{meta.org}{scope} {meta.year}年 部门{meta.kind}"


def keyword_text(chunk: Chunk) -> str:
    """Chunk text without the document header every chunk repeats: documents are told apart by
    routing and filters, and the header would make short chunks win on org/year words alone."""
    context, body = keyword_fields(chunk)
    return f"{context}\n{body}"


def keyword_fields(chunk: Chunk) -> tuple[str, str]:
    """(context, body) for keyword search: the first line (table title / heading path, without the
    document header) is context, weighed lightly so a title shared by many rows does not drown them."""
    scope = f"（{chunk.scope}）" if chunk.scope else ""
    first, _, body = chunk.text.partition("\n")
    return first.replace(f"{chunk.org}{scope} {chunk.year}年 部门{chunk.kind}", "", 1), body


def format_value(value: Decimal | None) -> str:
    return "" if value is None else f"{value:,}"


def column_name(path: tuple[str, ...]) -> str:
    return "/".join(p for p in path if p) or "数值"


class _ChunkMaker:
    def __init__(self, doc: Document, glossary: Glossary):
        self.doc = doc
        self.glossary = glossary
        self.header = doc_header(doc)
        self.chunks: list[Chunk] = []
        self._ids: Counter[str] = Counter()

    # -- records ---------------------------------------------------------------------------
    def _add(self, chunk_type: str, text: str, line_start: int, line_end: int, *, table_id=None,
             table_title="", heading="", row_code=None, row_label=None, expand: str | None = None,
             dense: str = "") -> None:
        source = text if expand is None else expand
        aliases = self.glossary.aliases_for(source)
        if _PREVIOUS_YEAR.search(source):
            aliases.append(f"上年即{self.doc.meta.year - 1}年")   # "比上年增加" answers questions about that year
        if aliases:
            text += "\n相关词：" + "；".join(aliases)
            dense = dense and dense + "\n" + "；".join(aliases[:4])   # a few synonyms: embedding time grows with length
        base = f"{self.doc.doc_id}:{chunk_type}:{line_start}-{line_end}"
        self._ids[base] += 1
        chunk_id = base if self._ids[base] == 1 else f"{base}:{self._ids[base]}"
        meta = self.doc.meta
        self.chunks.append(Chunk(
            chunk_id=chunk_id, text=text, doc_id=self.doc.doc_id, org=meta.org, year=meta.year,
            kind=meta.kind, scope=meta.scope, chunk_type=chunk_type, table_id=table_id,
            table_title=table_title, line_start=line_start, line_end=line_end, heading=heading,
            row_code=row_code, row_label=row_label, dense_text=dense))

    # -- parsed tables -----------------------------------------------------------------------
    def table(self, table: Table, caption_line: int | None = None) -> None:
        title = _table_title(table)
        context = f"{self.header} · {title} · 单位：{table.unit}"
        for row in table.rows:
            self.row(table, title, row)
        with_code = any(r.code for r in table.rows)
        with_entity = any(r.entity for r in table.rows)
        names = (["单位"] if with_entity else []) + (["科目编码"] if with_code else []) + ["项目"]
        names += [column_name(c) for c in table.columns]
        head = _md_row(names) + "\n" + _md_row(["---"] * len(names))
        lines = [_md_row(([r.entity or ""] if with_entity else []) + ([r.code or ""] if with_code else [])
                         + [r.label] + [format_value(v) for v in r.cells]) for r in table.rows]
        parts = _pack(lines, budget=MAX_TABLE_CHARS - len(context) - len(head))
        start = 0
        for i, part in enumerate(parts):
            rows = table.rows[start:start + len(part)]
            start += len(part)
            first = (caption_line or table.line_start) if i == 0 else min(r.line for r in rows)
            last = table.line_end if i == len(parts) - 1 else max(r.line for r in rows)
            suffix = f"（第{i + 1}/{len(parts)}部分）" if len(parts) > 1 else ""
            text = f"{context}{suffix}\n{head}\n" + "\n".join(part)
            labels = "、".join(r.label for r in rows)
            self._add(TABLE, text, first, max(first, last), table_id=table.table_id, table_title=title,
                      expand=title, dense=f"{title}：{labels}"[:300])

    def row(self, table: Table, title: str, row: Row) -> None:
        path = " > ".join(tuple(row.path[:-1]) + (row.label,))   # the label as printed ends the path
        if is_total_row(row, self.doc.meta.org):
            # a total row answers for the whole table ("基本支出总表" total = 基本支出 in all)
            path = f"{title}：{path}" + ("" if _TOTAL_LABEL.search(row.label) else "（合计）")
            if _SUMMARY_TABLE.search(title) and not row.entity:
                path += whole_budget_mark(self.doc.meta.kind)     # the summary table's total is the whole budget
        lines = [f"{self.header} · {title} · 单位：{table.unit}"]
        if row.entity:
            lines.append(f"单位：{row.entity}")
        lines.append(f"{'科目编码 ' + row.code + ' ' if row.code else ''}{path}")
        values = [f"{column_name(c)}：{format_value(v)}" for c, v in zip(table.columns, row.cells) if v is not None]
        if values:
            lines.append("；".join(values))
        text = "\n".join(lines)
        self._add(ROW, text, row.line, row.line, table_id=table.table_id, table_title=title,
                  row_code=row.code, row_label=row.label, expand=f"{title} {path}",
                  dense=f"{title}：{path}" + (f"（{row.entity}）" if row.entity else ""))

    # -- running text and unparsed table-like lines --------------------------------------------
    def paragraph(self, seg: Segment) -> None:
        heading = " > ".join(seg.heading)
        text = f"{self.header}" + (f" · {heading}" if heading else "") + "\n" + seg.text
        self._add(PROSE, text, seg.line_start, seg.line_end, heading=heading, expand=seg.text,
                  dense=(f"{seg.heading[-1]}：" if seg.heading else "") + seg.text)

    def block(self, seg: Segment) -> None:
        """Table-like lines no parser claimed: one chunk per line plus Markdown-ish block chunks."""
        title = self._title_before(seg.line_start)
        context = f"{self.header}" + (f" · {title}" if title else "") + (
            f" · {' > '.join(seg.heading)}" if seg.heading and not title else "")
        numbers = [n for n in range(seg.line_start, seg.line_end + 1) if self.doc.line(n).strip()]
        header = _header_lines(self.doc, numbers)
        head_text = "\n".join(_cells(self.doc.line(n)) for n in header)
        for n in numbers:
            if n in header or _DOT_LEADER.search(self.doc.line(n)):
                continue                      # table-of-contents lines get no row chunk
            cells = _cells(self.doc.line(n))
            text = f"{context}\n" + (f"表头：{head_text}\n" if head_text else "") + cells
            label = cells.split(" | ")[0]
            self._add(ROW, text, n, n, table_title=title, row_label=label, expand=cells,
                      dense=f"{title}：{cells}")
        body = [_cells(self.doc.line(n)) for n in numbers if n not in header]
        body_lines = [n for n in numbers if n not in header]
        parts = _pack(body, budget=MAX_TABLE_CHARS - len(context) - len(head_text))
        start = 0
        for i, part in enumerate(parts):
            lines = body_lines[start:start + len(part)]
            start += len(part)
            first = seg.line_start if i == 0 else lines[0]
            last = seg.line_end if i == len(parts) - 1 else lines[-1]
            text = f"{context}\n" + (f"{head_text}\n" if head_text else "") + "\n".join(part)
            self._add(TABLE, text, first, last, table_title=title, expand=title,
                      dense=f"{title}：" + "\n".join(part)[:300])

    def section(self, start: Segment, members: list[Segment]) -> None:
        heading = " > ".join(start.heading)
        body = "\n".join([start.text] + [m.text for m in members])
        text = f"{self.header}" + (f" · {heading}" if heading else "") + "\n" + body
        self._add(SECTION, text, start.line_start, members[-1].line_end, heading=heading, expand=body,
                  dense=body[:200])       # sections are shown as parents; their vectors matter little

    def _title_before(self, line: int) -> str:
        """Short non-table lines just above a block: 表 3 / 支出总表 / 单位：万元."""
        found: list[str] = []
        n = line - 1
        while n >= 1 and len(found) < MAX_TITLE_LINES and line - n <= 12:
            raw = self.doc.line(n)
            text = clean(raw)
            n -= 1
            if not text:
                continue
            if is_tabular(raw) or len(text) > 40:
                break
            found.append(text)
        return " ".join(reversed(found))


_CAPTION_STOP = re.compile(r"^第[一二三四五六七八九十]+部分|。")


def caption_start(doc: Document, line_start: int, claimed: set[int], max_lines: int = 6) -> int:
    """First line of the caption just above a table: title, 表N / 公开NN表, 部门名称, 单位：万元 lines
    (short, not sentences, only blank lines between). Citations often point at these lines."""
    start = line_start
    n = line_start - 1
    taken = 0
    while n >= 1 and taken < max_lines:
        raw = doc.line(n)
        text = clean(raw)
        if not text:
            n -= 1
            continue
        if n in claimed or len(text) > 60 or _CAPTION_STOP.search(text) or (
                is_tabular(raw) and not re.search(r"单位|表", text)):
            break
        start = n
        taken += 1
        n -= 1
    return start


_SUMMARY_TABLE = re.compile(r"(?:收支|收入支出|收入|支出).{0,4}总(?:表|体)")
_TOTAL_LABEL = re.compile(r"(合计|总计|小计)\s*$")


def is_total_row(row: Row, org: str) -> bool:
    """合计 / 总计 / 小计 rows, and rows named after the unit itself (that unit's total)."""
    label = row.label.strip().rstrip("-—－")
    return bool(_TOTAL_LABEL.search(label)) or label in {row.entity, org}


def whole_budget_mark(kind: str) -> str:
    return f"（部门{kind}总额）"


def is_whole_budget_row(text: str) -> bool:
    """A row chunk marked as the summary table's total (the whole budget / final accounts)."""
    return any(whole_budget_mark(kind) in text for kind in ("预算", "决算"))


_TOTAL_START = re.compile(r"^(?:本年)?(?:收入|支出|收支)?(?:合计|总计)")


def is_total_label(label: str, org: str) -> bool:
    """A row label that names a total: 合计, 本年收入合计, 支出总计, or the unit's own name (also when an
    unparsed line's first cell runs on into its figures: "合计 201,787.57 …")."""
    label = label.strip().rstrip("-—－")
    return bool(_TOTAL_LABEL.search(label) or _TOTAL_START.match(label)) or label == org


def _header_lines(doc: Document, numbers: list[int]) -> list[int]:
    """Leading lines of a block with no figure cell: the column headers."""
    header: list[int] = []
    for n in numbers[:4]:
        cells = [c for c in doc.line(n).split("\t") if c.strip()]
        if any(is_number(c) for c in cells) or (len(cells) <= 1 and is_tabular(doc.line(n))):
            break
        header.append(n)
    return header


def _table_title(table: Table) -> str:
    part = f"（{table.part}）" if table.part and table.part not in table.title else ""
    bits = [table.number or "", table.title, part]
    return " ".join(b for b in bits if b).replace(" （", "（")


def _md_row(cells: list[str]) -> str:
    return "| " + " | ".join(c.replace("|", "/").replace("\n", " ") for c in cells) + " |"


def _cells(line: str) -> str:
    return " | ".join(c.strip() for c in line.strip().split("\t") if c.strip())


def _pack(lines: list[str], budget: int) -> list[list[str]]:
    """Group whole lines into parts of at most budget characters (a line longer than that stands alone)."""
    budget = max(budget, 200)
    parts: list[list[str]] = [[]]
    size = 0
    for line in lines:
        if parts[-1] and size + len(line) + 1 > budget:
            parts.append([])
            size = 0
        parts[-1].append(line)
        size += len(line) + 1
    return parts if parts[0] else []


def _sections(segments: list[Segment], lines: tuple[str, ...]) -> list[tuple[Segment, list[Segment]]]:
    """A heading or numbered list item with the paragraphs nested under it, when short enough and
    contiguous (only blank lines between; a table in between ends the section)."""
    found = []
    for i, start in enumerate(segments):
        if not (start.kind == HEADING or (start.kind == PARAGRAPH and start.level)):
            continue
        members: list[Segment] = []
        size = len(start.text)
        previous = start
        for seg in segments[i + 1:]:
            if seg.kind == TABULAR or (seg.level and seg.level <= start.level):
                break
            if any(lines[n - 1].strip() for n in range(previous.line_end + 1, seg.line_start)):
                break
            members.append(seg)
            previous = seg
            size += len(seg.text)
            if size > MAX_SECTION_CHARS:
                break
        if len(members) >= 2 and size <= MAX_SECTION_CHARS:
            found.append((start, members))
    return found
