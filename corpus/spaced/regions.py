"""Find table regions in a space-joined document: title, number, unit, header lines and body lines.

Two families:
  * numbered public tables: a title line, "公开 03 表", "部门：… 单位：万元", a header ending in a 栏次 line
    (or a bare "1 2 … n" line), body rows, then a "注：" / "说明：" line;
  * tables of the performance report: "表 2 …调查表" survey tables, "项目支出绩效自评表" (附件 2-x) and the
    "…共性指标体系框架" scoring table; each ends at its own closing row.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from corpus.model import Document

NUMBERED, SURVEY, PROJECT, SCORING = "numbered", "survey", "project", "scoring"

_PUBLIC_NO = re.compile(r"^\s*公开\s*(\d+)\s*表\s*$")
_UNIT = re.compile(r"单位\s*[：:]\s*(万元|元)")
_COLUMN_INDEX = re.compile(r"^\s*栏\s*次")
_BARE_INDEX = re.compile(r"^\s*1(?:\s+\d+)+\s*$")
_NOTE = re.compile(r"^\s*(?:注|说明)\s*[：:]")
_CODE_START = re.compile(r"^\s*\d{3}(?:\d{2}){0,2}\s*[\u4e00-\u9fff]")
_MONEY = re.compile(r"\d\.\d\d")
_SURVEY_TITLE = re.compile(r"^\s*表\s*\d+\s+.*表\s*$")
_SECTION = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十\d]+）|\(\d+\))")
_ATTACHMENT = re.compile(r"^\s*附件\s*\d*(?:-\d+)?\s*$")


@dataclass(frozen=True)
class Region:
    family: str
    title: str
    number: str | None       # 公开03表 / 表2 / 附件2-3
    unit: str | None
    start: int               # first line of the region (title), 1-based
    header: tuple[int, int]  # first and last header line (inclusive); (0, -1) when none
    body: tuple[int, int]    # first and last body line (inclusive)

    @property
    def end(self) -> int:
        return self.body[1]


def _next_nonblank(doc: Document, n: int, step: int = 1) -> int | None:
    while 1 <= n <= len(doc.lines):
        if doc.line(n).strip():
            return n
        n += step
    return None


def find_regions(doc: Document) -> list[Region]:
    regions = _numbered(doc) + _surveys(doc) + _projects(doc) + _scoring(doc)
    return sorted(regions, key=lambda r: r.start)


def _numbered(doc: Document) -> list[Region]:
    found: list[Region] = []
    marks = [n for n in range(1, len(doc.lines) + 1) if _PUBLIC_NO.match(doc.line(n))]
    for i, n in enumerate(marks):
        title_line = _next_nonblank(doc, n - 1, -1) or n
        number = "公开" + _PUBLIC_NO.match(doc.line(n)).group(1).zfill(2) + "表"
        limit = (marks[i + 1] - 1) if i + 1 < len(marks) else len(doc.lines)
        unit, unit_line = None, n
        for m in range(n + 1, min(n + 6, limit) + 1):
            match = _UNIT.search(doc.line(m))
            if match:
                unit, unit_line = match.group(1), m
                break
        nxt = _next_title(doc, marks, i)
        limit = min(limit, nxt - 1) if nxt else limit
        end = next((m for m in range(unit_line + 1, limit + 1)
                    if _NOTE.match(doc.line(m)) or _ends_table(doc.line(m))), limit + 1)
        body_end = _last_nonblank(doc, unit_line + 1, end - 1)
        header_end = next((m for m in range(unit_line + 1, end)
                           if _COLUMN_INDEX.match(doc.line(m)) or _BARE_INDEX.match(doc.line(m))), None)
        if header_end is None:
            first_row = next((m for m in range(unit_line + 1, end)
                              if _CODE_START.match(doc.line(m)) or _MONEY.search(doc.line(m))), end)
            header_end = first_row - 1
        found.append(Region(NUMBERED, doc.line(title_line).strip(), number, unit, title_line,
                            (unit_line + 1, header_end), (header_end + 1, max(body_end, header_end))))
    return found


def _ends_table(line: str) -> bool:
    """Prose after a table whose 注 line is missing: a section heading or a sentence without figures."""
    text = line.strip()
    if re.search(r"\d\s*万?元[，。,；]|%[，。；]|^（[一二三四五六七八九十]+）", text):
        return True
    if not text or _MONEY.search(text):
        return False
    if text.endswith(("。", "，", "；", "：")) and len(text) > 12:
        return True
    return bool(re.match(r"^[一二三四五六七八九十]+、", text)) and not re.search(r"(?<!\d)\d{1,3}(?!\d)", text)


def _next_title(doc: Document, marks: list[int], i: int) -> int | None:
    if i + 1 >= len(marks):
        return None
    return _next_nonblank(doc, marks[i + 1] - 1, -1)


def _last_nonblank(doc: Document, first: int, last: int) -> int:
    for m in range(last, first - 1, -1):
        if doc.line(m).strip():
            return m
    return first - 1


def _surveys(doc: Document) -> list[Region]:
    """'表 2 … 满意度调查表': header runs to the last header word line; body to the first prose line."""
    found: list[Region] = []
    for n in range(1, len(doc.lines) + 1):
        line = doc.line(n)
        if not _SURVEY_TITLE.match(line) or "公开" in line:
            continue
        number = re.sub(r"\s+", "", re.match(r"^\s*(表\s*\d+)", line).group(1))
        first_row = next((m for m in range(n + 1, min(n + 60, len(doc.lines)) + 1)
                          if len(re.findall(r"\d+(?:\.\d+)?%", doc.line(m))) >= 2), None)
        if first_row is None:
            continue
        header_end = first_row - 1
        # label lines of the first row sit above it: the header ends at its last word ("意").
        while header_end > n and not _is_header_tail(doc.line(header_end)):
            header_end -= 1
        end = first_row
        m = first_row + 1
        while m <= len(doc.lines):
            text = doc.line(m).strip()
            if text and (_SECTION.match(text) or _SURVEY_TITLE.match(text)):
                break
            if len(re.findall(r"\d+(?:\.\d+)?%", text)) >= 2:
                end = m
            m += 1
        found.append(Region(SURVEY, _title_text(line), number, "%", n, (n + 1, header_end),
                            (header_end + 1, end)))
    return found


def _is_header_tail(line: str) -> bool:
    return line.strip() in ("意", "不满意", "满意")


def _title_text(line: str) -> str:
    return re.sub(r"^\s*表\s*\d+\s*", "", line).strip()


def _projects(doc: Document) -> list[Region]:
    """附件 2-x 项目支出绩效自评表: from the 附件 line to the 总分 row."""
    found: list[Region] = []
    for n in range(1, len(doc.lines) + 1):
        if doc.line(n).strip() != "项目支出绩效自评表":
            continue
        start = _next_nonblank(doc, n - 1, -1)
        number = None
        if start and _ATTACHMENT.match(doc.line(start)):
            number = re.sub(r"\s+", "", doc.line(start))
        else:
            start = n
        end = next((m for m in range(n + 1, len(doc.lines) + 1) if doc.line(m).strip().startswith("总分")),
                   None)
        if end is None:
            continue
        found.append(Region(PROJECT, "项目支出绩效自评表", number, "元", start, (0, -1), (n + 1, end)))
    return found


def _scoring(doc: Document) -> list[Region]:
    """The 部门整体支出绩效评价 scoring table (指标体系框架): title line to its 总分 row."""
    found: list[Region] = []
    for n in range(1, len(doc.lines) + 1):
        line = doc.line(n).strip()
        if not line.endswith("指标体系框架"):
            continue
        end = next((m for m in range(n + 1, len(doc.lines) + 1) if doc.line(m).strip().startswith("总分")),
                   None)
        if end is not None:
            found.append(Region(SCORING, line, None, None, n, (0, -1), (n + 1, end)))
    return found
