"""Cut a document into text blocks: prose paragraphs re-joined across PDF line breaks, table cells
and space-joined table rows, each with its heading path, sub-unit and line map."""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from corpus.prose.headings import (PART, SECTION, SUBSECTION, TABLE_TITLE, HeadingStack, is_table_title,
                             is_toc_line, label_of, list_marker, org_name, strip_decoration, topic_of)
from corpus.model import Document
from corpus.prose.units import normalize, scan_figures, starts_with_unit

PROSE, CELL, ROW = "prose", "cell", "row"
TERMINAL = "。！？!?：:；;"
SENTENCE_END_RE = re.compile(r"[。！？!?；;]")
_TAG_RE = re.compile(r"</?p>")
_ALIAS_RE = re.compile(r"([^，,。；;：:“”（）()]{2,40}?)[（(]以下简称[“\"]([^”\"]{2,20})[”\"][）)]")
_ALIAS_HEAD_RE = re.compile(r".*(?:包括|、|由|和|及)")
_NUMERIC_TOKEN_RE = re.compile(r"^[-+≥≤]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?$")
_DATE_WORDS = ("年", "月", "日", "号")
_UNIT_HINT_RE = re.compile(r"[（(](?:单位[:：])?\s*(万元|亿元|元|%|人|个|家|台)\s*[）)]")
_HEADING_MAX = 22
_DIGIT_END_RE = re.compile(r"[\d０-９][.,．，]?$")
_DIGIT_START_RE = re.compile(r"^[\d０-９.,．，]")
TOPIC_JOIN = "\x1f"                                  # joins the parts of a composed cell topic
_PAGE_RE = re.compile(r"^[-－—]\s*\d{1,3}\s*[-－—]$")


@dataclass
class Block:
    text: str
    kind: str
    starts: list[tuple[int, int]]          # (offset in text, line number), ascending
    path: tuple[str, ...] = ()
    entity: str | None = None
    topic: str = ""                        # own label (marker paragraph) or row label (cell)
    heading_label: str = ""                # nearest heading, fallback subject
    table_title: str = ""
    marker_end: int = 0                    # text before this offset is a list marker
    row_path: tuple[str, ...] = ()
    unit_hint: str = ""
    context: str = ""                      # cells: the whole row, for display
    _offsets: list[int] = field(default_factory=list, repr=False)

    def line_at(self, offset: int) -> int:
        if not self._offsets:
            self._offsets = [o for o, _ in self.starts]
        i = bisect.bisect_right(self._offsets, offset) - 1
        return self.starts[max(i, 0)][1]


def alias_map(doc: Document) -> dict[str, str]:
    """'市医保中心' -> '深圳市医疗保险基金管理中心' from （以下简称“…”） definitions."""
    aliases: dict[str, str] = {}
    for line in doc.lines:
        for m in _ALIAS_RE.finditer(line):
            full = _ALIAS_HEAD_RE.sub("", m.group(1)).strip()
            if full:
                aliases[m.group(2)] = full
    return aliases


def leading_org(text: str, aliases: dict[str, str], org: str = "") -> str | None:
    """The sub-unit a paragraph opens with, by its full name or a defined short name, when words follow
    it: "市医保局本级内设办公室…" -> 深圳市医疗保障局本级 (aliases: alias_map); None for the document's own
    organisation. Pure."""
    s = normalize(text).lstrip(" \u3000")
    names = {*aliases, *aliases.values(), org} - {""}
    for name in sorted(names, key=len, reverse=True):
        if s.startswith(name) and org_name(name) and len(s) > len(name) and "\u4e00" <= s[len(name)] <= "\u9fff":
            full = aliases.get(name, name)
            return full if full != org else None      # the document's own organisation: nothing to add
    return None


def is_spaced_row(text: str) -> bool:
    """A space-joined table row: two or more number cells not followed by a unit or date word."""
    tokens = normalize(text).split()
    cells = 0
    for i, tok in enumerate(tokens):
        if not _NUMERIC_TOKEN_RE.match(tok):
            continue
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        if nxt.startswith(_DATE_WORDS) or (nxt and starts_with_unit(nxt)):
            continue
        cells += 1
    return cells >= 2


def sentence_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in SENTENCE_END_RE.finditer(text):
        spans.append((start, m.end()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _cell_text(cell: str) -> str:
    return _TAG_RE.sub(lambda m: " " * len(m.group(0)), cell)


def _is_label_cell(cell: str) -> bool:
    """Row-label text: Chinese words, not a value such as ≥70家 / 开展1次 / 1,234.00."""
    s = cell.strip()
    if not s or len(s) > 60 or _NUMERIC_TOKEN_RE.match(normalize(s).replace(" ", "")):
        return False
    words = s
    for f in reversed(scan_figures(s)):
        words = words[:f.start] + words[f.end:]
    cjk = sum(1 for ch in words if "\u4e00" <= ch <= "\u9fff")
    return cjk >= (5 if len(words) < len(s) else 1)


class _Builder:
    def __init__(self, doc: Document):
        self.doc = doc
        self.aliases = alias_map(doc)
        self.stack = HeadingStack.empty()
        self.entity: str | None = None
        self.entity_level: int | None = None
        self.blocks: list[Block] = []
        self.current: Block | None = None
        self.last_text = ""
        self.carried: list[str] = []
        self.header: list[str] = []
        self.fragments: list[str] = []
        self.heading_open = False           # last line was a heading that may wrap

    # -- helpers -------------------------------------------------------------------------
    def _context(self, **kw) -> Block:
        return Block(path=self.stack.path(), entity=self.entity, heading_label=self.stack.nearest_label(),
                     table_title=self.stack.table_title(), **kw)

    def _flush(self) -> None:
        block = self.current
        if block is not None:
            if block.marker_end:
                block.topic = topic_of(label_of(block.text[block.marker_end:]))
            self.blocks.append(block)
        self.current = None

    def _resolve(self, label: str) -> str:
        return self.aliases.get(label, label)

    def _opening_org(self, text: str) -> str | None:
        """The sub-unit a paragraph is about when it opens with its name: "市医保局本级内设…" ."""
        return leading_org(text, self.aliases, self.doc.meta.org)

    def _push_heading(self, level: int, display: str, label: str) -> None:
        self.stack.push(level, display, label)
        if level in (SECTION, SUBSECTION) and org_name(label):
            self.entity, self.entity_level = self._resolve(label), level
        elif self.entity_level is not None and level <= self.entity_level:
            self.entity, self.entity_level = None, None

    def _next_line(self, n: int) -> str:
        for raw in self.doc.lines[n:]:
            if raw.strip():
                return raw
        return ""

    def _starts_block(self, raw: str) -> bool:
        text = strip_decoration(raw)
        return "\t" in raw or bool(list_marker(text)) or is_table_title(text) or is_spaced_row(text)

    # -- line handlers ------------------------------------------------------------------------
    def tab_row(self, n: int, raw: str) -> None:
        cells = raw.split("\t")
        if sum(1 for c in cells if _is_label_cell(c)) >= 2 and not any(ch.isdigit() for ch in normalize(raw)):
            self.header = [c.strip() for c in cells]
        header = self.header
        if len(self.carried) < len(cells):
            self.carried += [""] * (len(cells) - len(self.carried))
        for j, cell in enumerate(cells):
            if cell.strip() and _is_label_cell(cell):
                self.carried[j] = cell.strip()
                self.carried[j + 1:] = [""] * (len(self.carried) - j - 1)
        for j, cell in enumerate(cells):
            if not any(ch.isdigit() for ch in normalize(cell)):
                continue
            labels = [c.strip() for c in cells[:j] if _is_label_cell(c)] or \
                [c for c in self.carried[:j] if c]
            hint, topic = "", labels[-1] if labels else ""
            column = header[j] if j < len(header) else ""
            for source in labels + [column]:
                m = _UNIT_HINT_RE.search(source or "")
                if m:
                    hint = m.group(1)
            if not hint and column.endswith("人数") and labels:
                hint, topic = "人", f"{labels[0]}{TOPIC_JOIN}{column}"      # 单位名称 | 经费性质 | 在职人数
            path = tuple(c for c in self.carried[:j] if c) or tuple(labels)
            self.blocks.append(self._context(
                text=_cell_text(cell), kind=CELL, starts=[(0, n)], topic=topic,
                row_path=path, unit_hint=hint, context=" | ".join(c.strip() for c in cells if c.strip())))

    def heading(self, n: int, text: str, marker) -> None:
        label = label_of(marker.rest)
        rest = marker.rest.strip()
        figures = scan_figures(rest)
        heading_only = rest == label and not figures and (
            len(rest) <= _HEADING_MAX or self._starts_block(self._next_line(n)))
        if marker.level == PART and not label:
            nxt = strip_decoration(self._next_line(n))
            if nxt and len(nxt) <= 20 and not list_marker(nxt) and not scan_figures(nxt):
                label = nxt
        level = PART if label.endswith("部分") else marker.level
        self._push_heading(level, f"{marker.marker}{label}" if marker.level != PART
                           else f"{marker.marker} {label}".strip(), label)
        if heading_only:
            self.heading_open = True
            return
        self.current = self._context(text=text, kind=PROSE, starts=[(0, n)], marker_end=marker.offset)
        self.current.path = self.stack.path()[:-1]  # the paragraph's own label is its topic, not its section
        self.current.entity = self._opening_org(rest) or self.current.entity

    def prose(self, n: int, text: str) -> None:
        if self.heading_open and len(text) <= 6 and not scan_figures(text, bare=True) \
                and not any(ch in TERMINAL + "，," for ch in text) and self.stack.items:
            level, display, label = self.stack.items[-1]
            if level != PART and len(label) >= 14:
                self.stack.items[-1] = (level, display + text, label + text)
                return
        if self.stack.items and self.stack.items[-1][0] == PART and self.stack.items[-1][2] == text:
            return                                    # the title line of a bare 第X部分
        if self.current is not None and self.current.kind == PROSE and not self.last_text.endswith(tuple(TERMINAL)):
            if _DIGIT_END_RE.search(self.current.text) and _DIGIT_START_RE.match(text):
                self.current.text += " "          # never glue two numbers across a line break
            self.current.starts.append((len(self.current.text), n))
            self.current.text += text
            return
        self._flush()
        self.current = self._context(text=text, kind=PROSE, starts=[(0, n)])
        self.current.entity = self._opening_org(text) or self.current.entity

    def run(self) -> list[Block]:
        for n, raw in enumerate(self.doc.lines, 1):
            if not raw.strip():
                continue
            if "\t" in raw:
                self._flush()
                self.heading_open = False
                if not is_toc_line(raw):
                    self.tab_row(n, raw)
                continue
            text = strip_decoration(raw)
            if not _PAGE_RE.match(text):
                self.carried, self.header = [], []
            if _PAGE_RE.match(text):
                continue                                   # page number between two halves of a sentence
            if is_toc_line(raw) or not text:
                self._flush()
                continue
            if is_spaced_row(text):
                self._flush()
                topic = "".join(self.fragments) if scan_figures(text) and \
                    scan_figures(text)[0].start == 0 else ""
                self.blocks.append(self._context(text=text, kind=ROW, starts=[(0, n)], topic=topic))
                self.fragments, self.heading_open = [], False
                continue
            short = len(text) <= 24 and not scan_figures(text, bare=True) and not text.endswith(tuple(TERMINAL))
            self.fragments = (self.fragments + [text])[-3:] if short else []
            marker = list_marker(text)
            if marker:
                self._flush()
                self.heading_open = False
                self.heading(n, text, marker)
            elif is_table_title(text) and not scan_figures(text):
                self._flush()
                self.heading_open = False
                self._push_heading(TABLE_TITLE, text, text)
            else:
                self.prose(n, text)
                self.heading_open = False
            self.last_text = text
        self._flush()
        return self.blocks


def document_blocks(doc: Document) -> list[Block]:
    return _Builder(doc).run()


__all__ = ["Block", "document_blocks", "sentence_spans", "alias_map", "leading_org", "is_spaced_row",
           "PROSE", "CELL", "ROW", "PART", "SECTION", "SUBSECTION"]
