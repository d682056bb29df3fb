"""Which rows of a grid are its header, and which header cells are merged (spans) when rendered."""
from __future__ import annotations

from corpus.tables.headers import is_header_like, is_meta_row

MAX_HEADER_ROWS = 5

Span = tuple[tuple[int, int], tuple[int, int]]


def header_rows(rows: list[list[str]]) -> int:
    """Leading meta and header-like rows (repeated on every page), never the whole grid."""
    n = 0
    while n < min(len(rows) - 1, MAX_HEADER_ROWS) and (is_meta_row(rows[n]) or is_header_like(rows[n])):
        n += 1
    return n


def header_spans(rows: list[list[str]]) -> list[Span]:
    """(col, row) corners of merged header cells. A heading over blank cells whose lower rows hold
    sub-headings spans right; a heading over blank cells spans down. Read back, a merged cell's
    continuation is blank, as in the text."""
    start = 0
    while start < len(rows) and is_meta_row(rows[start]):
        start += 1
    header = rows[start:]
    spans: list[Span] = []
    covered: set[tuple[int, int]] = set()
    for r, row in enumerate(header):
        for c, text in enumerate(row):
            end = c
            while (text and end + 1 < len(row) and not row[end + 1]
                   and any(header[u][end + 1] for u in range(r + 1, len(header)))):
                end += 1
            if end > c:
                spans.append(((c, r + start), (end, r + start)))
                covered.update((k, r) for k in range(c, end + 1))
    for r, row in enumerate(header):
        for c, text in enumerate(row):
            if not text or (c, r) in covered:
                continue
            down = r
            while down + 1 < len(header) and not header[down + 1][c] and (c, down + 1) not in covered:
                down += 1
            if down > r:
                spans.append(((c, r + start), (c, down + start)))
                covered.update((c, k) for k in range(r, down + 1))
    return spans
