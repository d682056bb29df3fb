"""Section headings and list markers of budget documents: 第三部分 > 一、 > （四） > 1. > （1）."""
from __future__ import annotations

import re
from dataclasses import dataclass

from corpus.prose.units import scan_figures

_CN = "一二三四五六七八九十"
PART, SECTION, SUBSECTION, ITEM, SUBITEM, TABLE_TITLE = range(6)

_MARKERS = (
    (PART, re.compile(rf"^(第[{_CN}]+部分)\s*")),
    (PART, re.compile(r"^(附件\s*\d*(?:-\d+)?)(?=\s|$)\s*")),
    (SECTION, re.compile(rf"^([{_CN}]+、)\s*")),
    (SUBSECTION, re.compile(rf"^([（(][{_CN}]+[）)])\s*")),
    (ITEM, re.compile(r"^(\d{1,2}[.．、])(?!\d)\s*")),
    (SUBITEM, re.compile(r"^([（(]\d{1,2}[）)])\s*")),
)
_DECOR_RE = re.compile(r"^[#\s]*(?:\*\*)?|(?:\*\*)?\s*$")
_TOC_RE = re.compile(r"^\s*-\s|\.{3,}|^第[一二三四五六七八九十]+部分[^\t]*\t\d+\s*$")
_LABEL_STOP_RE = re.compile(r"[，,。：:；;！？]")
_TABLE_TITLE_RE = re.compile(r"^(?:表\s*\d+\s*)?\S.{0,38}表$")
_SUFFIX_RE = re.compile(r"(?:项目)?(?:绩效自评综述|情况说明|综述|情况)$")
_CODE_RE = re.compile(r"^(\d{3,9})\s*[-－—]\s*")
_ORG_RE = re.compile(r"^(?:\S{0,12}?(?:市|区|县))?\S{0,16}?(?:局本级|本级|中心|局|院|所|站)$")
_NOT_ORG_RE = re.compile(r"情况|说明|部分|职责|设置|目标|经费|支出|收入|范围|要求|其他|概况|预算")


def strip_decoration(line: str) -> str:
    """Markdown hashes / bold marks and surrounding whitespace removed."""
    return _DECOR_RE.sub("", line.strip()).strip()


@dataclass(frozen=True)
class Marker:
    level: int
    marker: str      # e.g. （四）
    rest: str        # text after the marker
    offset: int      # where rest starts in the stripped line


def list_marker(text: str) -> Marker | None:
    """The heading / list marker a line of prose starts with, if any."""
    for level, rx in _MARKERS:
        m = rx.match(text)
        if m:
            return Marker(level, m.group(1), text[m.end():], m.end())
    return None


def is_toc_line(line: str) -> bool:
    return bool(_TOC_RE.search(line))


def label_of(rest: str) -> str:
    """The heading words of a marker line: up to the first clause punctuation or figure."""
    figures = scan_figures(rest)
    cut = figures[0].start if figures else len(rest)
    stop = _LABEL_STOP_RE.search(rest)
    if stop:
        cut = min(cut, stop.start())
    return rest[:cut].strip()[:40]


def split_code(label: str) -> tuple[str, str | None]:
    """'2080501-行政单位离退休' -> ('行政单位离退休', '2080501')."""
    m = _CODE_RE.match(label)
    return (label[m.end():], m.group(1)) if m else (label, None)


def topic_of(label: str) -> str:
    """A heading label as the subject of its figures: 绩效自评综述 / 情况说明 suffixes dropped."""
    label, _ = split_code(label)
    stripped = _SUFFIX_RE.sub("", label)
    return stripped if len(stripped) >= 2 else label


def is_table_title(text: str) -> bool:
    return bool(_TABLE_TITLE_RE.match(text)) and not _LABEL_STOP_RE.search(text)


def org_name(label: str) -> bool:
    """Heading text that names an organisation unit (市医保中心, 市医保局本级 ...)."""
    return bool(_ORG_RE.match(label)) and not _NOT_ORG_RE.search(label)


@dataclass
class HeadingStack:
    """Open headings while reading a document top to bottom."""
    items: list[tuple[int, str, str]]   # (level, display, label)

    @classmethod
    def empty(cls) -> "HeadingStack":
        return cls([])

    def push(self, level: int, display: str, label: str) -> None:
        while self.items and self.items[-1][0] >= level:
            self.items.pop()
        self.items.append((level, display, label))

    def path(self) -> tuple[str, ...]:
        return tuple(display for _, display, _ in self.items)

    def nearest_label(self) -> str:
        for level, _, label in reversed(self.items):
            if label and level != TABLE_TITLE:
                return topic_of(label)
        return ""

    def table_title(self) -> str:
        return self.items[-1][2] if self.items and self.items[-1][0] == TABLE_TITLE else ""
