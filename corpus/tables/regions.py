"""Find table regions in tab-separated text: runs of tab lines, their title/number/unit lines,
and page-break fragments (the title block printed again) merged into one region."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from corpus.tables.cells import norm_text, split_cells

PREAMBLE_LINES = 10
_NUMBER = re.compile(r"^(?:#+\s*)?(表\s*\d+|公开\s*\d+\s*表)$")
_UNIT = re.compile(r"单位\s*[：:]\s*(万元|元|%|分)")
_ORG_LINE = re.compile(r"^(?:部门名称|单位名称|部门（单位）名称|编制单位|部门)\s*[：:]")   # 部门：X  单位：万元
_YEAR_LINE = re.compile(r"^(?:19|20)\d\d\s*年度?$")
_NOTE_LINE = re.compile(r"^(?:注|备注|说明)\s*[：:]|^本套报表|^注\s*[：:]?$")
_TOC_CELL = re.compile(r"\.{3,}|…{2,}|^第.{1,3}部分")
_SENTENCE = re.compile(r"[。；，,;]|如下[：:]$|见下表")
_MARKUP = re.compile(r"^[#\-\s*]+|\*+$")
_HEADING_NUMBER = re.compile(r"^(?:第[一二三四五六七八九十]+部分\s*|[一二三四五六七八九十]+\s*[、.]\s*|"
                             r"[（(][一二三四五六七八九十]+[）)]\s*|\d+\s*[.、]\s*)")
_LEADING_YEAR = re.compile(r"^(?:19|20)\d\d\s*年度?\s*")


@dataclass(frozen=True)
class SourceRow:
    line: int                 # 1-based line number
    text: str                 # the line as printed
    cells: tuple[str, ...]    # stripped tab-separated cells


@dataclass(frozen=True)
class Preamble:
    title: str | None = None
    number: str | None = None
    unit: str | None = None
    heading: str | None = None    # nearest section heading when the title is a lead-in sentence


@dataclass
class Region:
    """One logical table as printed: rows of all its page fragments."""
    rows: list[SourceRow]
    preamble: Preamble
    fragment_starts: list[int] = field(default_factory=lambda: [0])  # indexes into rows

    @property
    def line_start(self) -> int:
        return self.rows[0].line

    @property
    def line_end(self) -> int:
        return self.rows[-1].line


def is_tab_line(line: str) -> bool:
    return "\t" in line and any(c.strip() for c in line.split("\t"))


def _is_rule_row(cells: tuple[str, ...]) -> bool:
    """A markdown separator row like '--\\t-----'."""
    filled = [c for c in cells if c]
    return bool(filled) and all(set(c) <= set("-—:| ") for c in filled)


def _is_toc_run(rows: list[SourceRow]) -> bool:
    hits = sum(1 for r in rows if r.cells and _TOC_CELL.search(r.cells[0]))
    return hits * 2 >= len(rows)


def find_runs(lines: tuple[str, ...] | list[str]) -> list[tuple[list[SourceRow], int]]:
    """Runs of tab lines (blank lines allowed inside). Returns (rows, index of the line before the run)."""
    runs: list[tuple[list[SourceRow], int]] = []
    current: list[SourceRow] = []
    start_prev = 0
    for idx, line in enumerate(lines):
        if is_tab_line(line):
            if not current:
                start_prev = idx
            cells = tuple(split_cells(line))
            if not _is_rule_row(cells):
                current.append(SourceRow(idx + 1, line, cells))
        elif line.strip():
            if current:
                runs.append((current, start_prev))
                current = []
    if current:
        runs.append((current, start_prev))
    return [(rows, start) for rows, start in runs if rows and not _is_toc_run(rows)]


def clean_title(text: str) -> str:
    s = norm_text(_MARKUP.sub("", text.strip()))
    s = _HEADING_NUMBER.sub("", s)
    s = _LEADING_YEAR.sub("", s)
    return s.strip("：: ")


def _title_candidate(text: str) -> bool:
    s = _MARKUP.sub("", text.strip())
    return 2 <= len(s) <= 45 and not _SENTENCE.search(s) and not re.fullmatch(r"[\d\s.]+", s)


def parse_preamble(lines: list[str]) -> Preamble:
    """Lines above a run, nearest last. Reads the table number, unit and title; when the nearest
    text is a lead-in sentence ('…情况如下：'), the title is the nearest heading above it."""
    number = unit = title = heading = None
    saw_sentence = False
    for raw in reversed(lines):
        text = raw.strip()
        if not text:
            continue
        bare = _MARKUP.sub("", text)
        if m := _NUMBER.match(bare):
            number = number or re.sub(r"\s+", "", m.group(1))
            continue
        if m := _UNIT.search(bare):
            unit = unit or m.group(1)
            if len(bare) < 12:
                continue
        if _ORG_LINE.match(bare) or _YEAR_LINE.match(bare) or _NOTE_LINE.match(bare):
            continue
        if title is None and _title_candidate(bare):
            if saw_sentence:
                heading = clean_title(bare)
                title = heading
                break
            title = clean_title(bare)
            continue
        if title is None:
            saw_sentence = True
            continue
        break
    return Preamble(title=title, number=number, unit=unit, heading=heading)


def find_regions(lines: tuple[str, ...] | list[str]) -> list[Region]:
    """Regions in reading order; a run whose title block repeats the previous one's is a page fragment."""
    regions: list[Region] = []
    prev_end = 0
    for rows, start in find_runs(lines):
        window = list(lines[max(prev_end, start - PREAMBLE_LINES * 3):start])
        pre = parse_preamble(window)
        last = regions[-1] if regions else None
        if last is not None and _continues(last.preamble, pre):
            last.fragment_starts.append(len(last.rows))
            last.rows.extend(rows)
        else:
            regions.append(Region(rows=list(rows), preamble=pre))
        prev_end = rows[-1].line
    return regions


def _continues(prev: Preamble, new: Preamble) -> bool:
    if new.number and prev.number:
        return new.number == prev.number
    if new.title and prev.title and not new.number and not prev.number:
        return new.title == prev.title
    return False
