"""Split a document's running text into headings, paragraphs and table-like blocks.

PDF-extracted text breaks sentences across lines (often with blank lines between), so a
paragraph continues while its last line does not end a sentence. Every segment keeps the
1-based line range it came from and the heading path above it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from corpus.numbers import NUMBER_RE, normalize_digits

HEADING = "heading"
PARAGRAPH = "paragraph"
TABULAR = "tabular"

MAX_HEADING_CHARS = 40
MAX_PARAGRAPH_CHARS = 500
_TERMINAL = set("。！？；;：:!?")
_CLOSERS = "”’\"'）)】」』 "
_NUMBERING = (
    (1, re.compile(r"^第[一二三四五六七八九十百]+部分")),
    (2, re.compile(r"^[一二三四五六七八九十]+[、.．]")),
    (3, re.compile(r"^[（(][一二三四五六七八九十]+[)）]")),
    (4, re.compile(r"^\d{1,2}[.．、](?!\d)")),
    (5, re.compile(r"^[（(]\d{1,2}[)）]")),
)
_SENTENCE_PUNCT = re.compile(r"[，。；,;！？、]")
_SENTENCE_END = re.compile(r"(?<=[。；;！？!?])")


@dataclass(frozen=True)
class Segment:
    kind: str                 # HEADING, PARAGRAPH or TABULAR
    text: str
    line_start: int
    line_end: int
    heading: tuple[str, ...]  # heading path above (for a heading: its parents)
    level: int = 0            # numbering level of a heading or numbered paragraph (0 = none)


def clean(line: str) -> str:
    """Drop Markdown heading/bullet marks and surrounding blanks."""
    return re.sub(r"^\s*(?:#{1,6}\s*|[-*•]\s+)", "", line).strip()


def is_tabular(line: str) -> bool:
    """A table row: tab-separated, or several figures with no sentence punctuation (space-joined tables)."""
    if "\t" in line.strip():
        return True
    text = normalize_digits(line).strip()
    if not text or _SENTENCE_PUNCT.search(text) or len(text) > 200:
        return False
    return len(NUMBER_RE.findall(text)) >= 2


def numbering_level(text: str) -> int:
    for level, pattern in _NUMBERING:
        if pattern.match(text):
            return level
    return 0


def is_heading(raw: str, text: str) -> bool:
    """Markdown headings, and short numbered titles (第X部分 / 一、 / （一）) that are not sentences.

    Numbered items of deeper levels (1. / （1）) are list items: they start a paragraph instead."""
    if raw.lstrip().startswith("#"):
        return True
    return (0 < numbering_level(text) <= 3 and len(text) <= MAX_HEADING_CHARS
            and not re.search(r"[，,。]", text) and not ends_sentence(text))


def ends_sentence(text: str) -> bool:
    stripped = text.rstrip(_CLOSERS)
    return bool(stripped) and stripped[-1] in _TERMINAL


def short_label(text: str, limit: int = 30) -> str:
    """A heading-path label for a numbered paragraph: its text up to the first comma."""
    head = re.split(r"[，,。：:]", text, maxsplit=1)[0]
    return head[:limit]


def segment_lines(lines: tuple[str, ...] | list[str], skip: frozenset[int] | set[int] = frozenset()) -> list[Segment]:
    """Headings, paragraphs and table-like blocks of the lines not in skip (1-based line numbers)."""
    segments: list[Segment] = []
    stack: dict[int, str] = {}          # level -> heading label
    para: list[tuple[int, str]] = []    # (line number, text) of the paragraph being joined
    block: list[int] = []               # line numbers of the table-like block being collected

    def path(below: int | None = None) -> tuple[str, ...]:
        return tuple(stack[k] for k in sorted(stack) if below is None or k < below)

    def flush_para() -> None:
        if para:
            level = numbering_level(para[0][1])
            segments.extend(_split_paragraph(para, path(level or None), level))
            para.clear()

    def flush_block() -> None:
        if block:
            text = "\n".join(lines[n - 1].rstrip() for n in block)
            segments.append(Segment(TABULAR, text, block[0], block[-1], path()))
            block.clear()

    def set_heading(level: int, label: str) -> None:
        for k in [k for k in stack if k >= level]:
            del stack[k]
        stack[level] = label

    for number, raw in enumerate(lines, start=1):
        if number in skip:
            flush_para()
            flush_block()
            continue
        text = clean(raw)
        if not text:
            continue                    # blank lines never end a paragraph by themselves
        if is_tabular(raw):
            flush_para()
            block.append(number)
            continue
        flush_block()
        if is_heading(raw, text):
            flush_para()
            level = numbering_level(text) or (raw.lstrip().count("#") or 1)
            segments.append(Segment(HEADING, text, number, number, path(level), level))
            set_heading(level, text)
            continue
        level = numbering_level(text)
        if para and (level or ends_sentence(para[-1][1])):
            flush_para()
        if not para and level:
            set_heading(level, short_label(text))
        para.append((number, text))
        if sum(len(t) for _, t in para) > 4 * MAX_PARAGRAPH_CHARS:
            flush_para()
    flush_para()
    flush_block()
    return segments


def _split_paragraph(parts: list[tuple[int, str]], heading: tuple[str, ...], level: int) -> list[Segment]:
    """One segment, or several at sentence ends when long; each keeps the lines its text came from."""
    text = "".join(t for _, t in parts)
    if len(text) <= MAX_PARAGRAPH_CHARS:
        return [Segment(PARAGRAPH, text, parts[0][0], parts[-1][0], heading, level)]
    offsets: list[tuple[int, int]] = []   # (start offset, line number)
    pos = 0
    for number, t in parts:
        offsets.append((pos, number))
        pos += len(t)

    def line_at(offset: int) -> int:
        found = offsets[0][1]
        for start, number in offsets:
            if start <= offset:
                found = number
        return found

    pieces: list[tuple[int, int]] = []    # (start, end) character spans
    start = 0
    for sentence in _SENTENCE_END.split(text):
        if not sentence:
            continue
        end = start + len(sentence)
        if pieces and (pieces[-1][1] - pieces[-1][0]) + len(sentence) <= MAX_PARAGRAPH_CHARS:
            pieces[-1] = (pieces[-1][0], end)
        else:
            pieces.append((start, end))
        start = end
    # later pieces of a numbered item ("2. 医疗保障经办管理 5,636.94 万元，…") keep the item's label
    label = f"（接上文：{short_label(text)}）" if level else ""
    return [Segment(PARAGRAPH, text[s:e] if i == 0 else label + text[s:e], line_at(s), line_at(max(s, e - 1)),
                    heading, level if i == 0 else 0)
            for i, (s, e) in enumerate(pieces)]
