"""A document's lines re-joined into paragraphs, so a sentence broken over lines (002's prose) is read whole."""
from __future__ import annotations

import re


class ParagraphText:
    """A document's text with broken lines re-joined into paragraphs (needed for 002-style prose)."""

    def __init__(self, lines: tuple[str, ...]):
        self.lines = lines
        self.para_of: dict[int, tuple[int, int]] = {}
        start = None
        last = None
        for n, raw in enumerate(lines, 1):
            line = raw.strip()
            if not line:
                continue
            if start is None:
                start, last = n, n
                continue
            prev = lines[last - 1].strip()
            joined = not re.search(r"[。；：！？!?]$|^[#\-]|万元$", prev) and not _starts_item(line) and n - last <= 2 \
                and "\t" not in line and "\t" not in prev and not _is_heading(prev)
            if joined:
                last = n
            else:
                for k in range(start, last + 1):
                    self.para_of[k] = (start, last)
                start, last = n, n
        if start is not None:
            for k in range(start, last + 1):
                self.para_of[k] = (start, last)

    def paragraph(self, line: int) -> tuple[str, dict[int, int]]:
        """Joined text of the paragraph holding `line`, and each line's offset in it."""
        a, b = self.para_of.get(line, (line, line))
        text, offsets = "", {}
        for k in range(a, b + 1):
            raw = self.lines[k - 1].strip()
            if not raw:
                continue
            offsets[k] = len(text)
            text += raw
        return text, offsets


def _is_heading(line: str) -> bool:
    return _starts_item(line) and len(line) <= 40 and not re.search(r"[，,。；]", line)


def _starts_item(line: str) -> bool:
    return bool(re.match(r"^(?:[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、|\d+[.．、](?!\d)|第[一二三四五六七八九十]+部分|附件)", line))
