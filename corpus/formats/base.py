"""What every format reader returns: the document's lines in reading order, each with its location.

A table row becomes one tab-separated line (a merged cell's continuation is a blank cell), so the
tab-table parser, its header/column logic and its arithmetic checks apply to every format unchanged."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from corpus.model import Location


class DocumentError(ValueError):
    """A document that cannot be read; the message names the file."""


@dataclass(frozen=True)
class Paragraph:
    text: str
    location: Location | None = None
    blank_before: bool = False     # a visible gap (a blank line in text terms) precedes it


@dataclass(frozen=True)
class Grid:
    rows: tuple[tuple[str, ...], ...]
    locations: tuple[Location | None, ...] = ()   # per row
    blank_before: bool = False
    merged: tuple[tuple[int, int, int], ...] = ()  # (row, first, last) cells merged across columns


Block = Paragraph | Grid


@dataclass(frozen=True)
class Layout:
    lines: tuple[str, ...]
    locations: tuple[Location | None, ...] = ()
    encoding: str = "utf-8"
    warnings: tuple[str, ...] = field(default=())


_CJK_OR_PUNCT = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef（）“”、，。：；]")


def join_wrapped(pieces: list[str]) -> str:
    """Re-join text a renderer wrapped: nothing between CJK characters, a space between Latin/digits."""
    out = ""
    for piece in (p.strip() for p in pieces):
        if not piece:
            continue
        if out and not (_CJK_OR_PUNCT.match(out[-1]) or _CJK_OR_PUNCT.match(piece[0])):
            out += " "
        out += piece
    return out


def layout_from_blocks(blocks: list[Block]) -> Layout:
    """Lines in order: a paragraph per line, a grid row per tab-joined line, gaps as blank lines."""
    lines: list[str] = []
    locations: list[Location | None] = []
    for block in blocks:
        if block.blank_before and lines and lines[-1] != "":
            lines.append("")
            locations.append(None)
        if isinstance(block, Paragraph):
            lines.append(block.text)
            locations.append(block.location)
            continue
        width = max((len(r) for r in block.rows), default=0)
        for i, row in enumerate(block.rows):
            cells = [c.replace("\t", " ").replace("\n", " ") for c in row] + [""] * (width - len(row))
            lines.append("\t".join(cells))
            locations.append(block.locations[i] if i < len(block.locations) else None)
    return Layout(tuple(lines), tuple(locations))
