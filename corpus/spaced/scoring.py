"""The 部门整体支出绩效评价 scoring table (…共性指标体系框架) from its one-fragment-per-line text.

The PDF text prints each cell as short fragments on their own lines ("预算 / 编制 / 合理 / 性 / 5"), with
the 指标说明 and 参考评分标准 prose interleaved; a few lines merge cells ("目标设 10 绩效 3 部门…， 3").
Reading order per indicator: name fragments and 参考分值 for 一级/二级/三级 (as many levels as start here),
then prose, with the 得分 a standalone number inside it. Names cut by a page break continue after the prose
starts ("置 目标 / 完整 / 性"). Rows: one per indicator level; checks: children's 分值 add up to the
parent's, and the 总分 row holds the sums.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from corpus.model import Document
from corpus.numbers import normalize_digits
from corpus.spaced.draft import Draft, DraftRow
from corpus.spaced.regions import Region
from corpus.spaced.text import is_page_number

SCORING_COLUMNS = (("一级指标", "参考分值"), ("二级指标", "参考分值"), ("三级指标", "参考分值"), ("得分",))
_PAGE_HEADER = {"评价指标", "指标说明参考评分标准得分", "一级指标二级指标三级指标", "名称", "参考", "分值"}
_PLAIN = re.compile(r"^\d+(?:\.\d+)?$")
_FRAGMENT = re.compile(r"^[\u4e00-\u9fff]{1,5}、?$")
_MARKER = re.compile(r"^(\d+)\.(?!\d)")


@dataclass
class _Entry:
    level: int                   # 0 一级, 1 二级, 2 三级
    name: str
    value: Decimal
    line: int
    parent: "_Entry | None" = None
    score: Decimal | None = None
    score_line: int | None = None
    children: list["_Entry"] = field(default_factory=list)


def _chunks(line: str) -> list[tuple[str, str]]:
    """('num' | 'frag' | 'text', chunk). A number glued to 分/%, after 扣/得/×, or opening a prose line
    belongs to the prose; a score glued to the next criterion's marker is split off by the reader."""
    parts = normalize_digits(line).split()

    def plain_number(i: int) -> bool:
        before = parts[i - 1] if i else ""
        after = parts[i + 1] if i + 1 < len(parts) else ""
        return bool(_PLAIN.match(parts[i])) and not after.startswith(("分", "%", "）", ")")) \
            and not before.endswith(("扣", "得", "×"))

    all_fragments = all(_FRAGMENT.match(p) for p in parts)
    kinds = ["frag" if _FRAGMENT.match(p) and (all_fragments or (i + 1 < len(parts) and plain_number(i + 1)))
             else "text" for i, p in enumerate(parts)]
    out = []
    for i, p in enumerate(parts):
        after_kind = kinds[i + 1] if i + 1 < len(parts) else None
        before_kind = kinds[i - 1] if i else None
        if plain_number(i) and (after_kind != "text" or before_kind == "frag"):
            out.append(("num", p))
        else:
            out.append((kinds[i], p))
    return out


class _Reader:
    def __init__(self, draft: Draft):
        self.draft = draft
        self.entries: list[_Entry] = []
        self.buffer = ""
        self.pending: list[tuple[str, Decimal, int]] = []
        self.current: _Entry | None = None        # the 三级 entry whose 得分 is due
        self.group: list[_Entry] = []             # entries opened by the last names block
        self.held: list[tuple[str, int, bool]] = []   # fragments inside the prose: new names or a cut name
        self.marker = 0                           # last criterion number ("2.") of the current indicator
        self.in_text = False
        self.parents: list[_Entry | None] = [None, None, None]

    def frag(self, text: str, line: int, first_on_line: bool) -> None:
        if self.in_text:
            self.held.append((text, line, first_on_line))   # continuation or new names: the next item says
            return
        self.in_text = False
        self.buffer += text

    def _release(self, continuation: bool) -> None:
        held, self.held = self.held, []
        if not held:
            return
        if continuation and self.group:
            first_line = held[0][1]
            on_first = [h for h in held if h[1] == first_line]
            targets = self.group[-len(on_first):] if len(on_first) <= len(self.group) else [self.group[-1]]
            for text, line, _ in held:
                target = targets.pop(0) if line == first_line and targets else self.group[-1]
                target.name += text
            return
        self.in_text = False
        self.buffer += "".join(text for text, _, _ in held)

    def number(self, value: Decimal, line: int) -> None:
        self._release(continuation=False)
        if self.buffer:
            self.pending.append((self.buffer, value, line))
            self.buffer = ""
        elif self.in_text and self.current is not None and self.current.score is None:
            self.current.score, self.current.score_line = value, line
        else:
            self.draft.notes.append(f"line {line}: number {value} not placed in the scoring table")

    def glued_score(self, line: str) -> Decimal | None:
        """'5.852.部分…' / '02.当年度…': a 得分 glued to the next criterion's number (expected marker + 1)."""
        if not (self.in_text and self.current is not None and self.current.score is None):
            m = _MARKER.match(line)
            if m and self.in_text:
                self.marker = int(m.group(1))
            return None
        expected = str(self.marker + 1)
        m = re.match(r"^(\d+(?:\.\d\d)?)(\d+)\.(?!\d)", line)
        if m and m.group(2) == expected:
            self.marker += 1
            return Decimal(m.group(1))
        m = _MARKER.match(line)
        if m:
            self.marker = int(m.group(1))
        return None

    def text(self, line: int) -> None:
        self._release(continuation=True)
        if self.pending:
            self._open(line)
        self.buffer = ""
        self.in_text = True

    def _open(self, line: int) -> None:
        levels = list(range(3 - len(self.pending), 3)) if len(self.pending) <= 3 else []
        if not levels:
            self.draft.notes.append(f"line {line}: {len(self.pending)} names before the criteria; not read")
            self.pending = []
            return
        self.group = []
        for level, (name, value, at) in zip(levels, self.pending):
            parent = self.parents[level - 1] if level else None
            entry = _Entry(level, name, value, at, parent)
            if parent is not None:
                parent.children.append(entry)
            self.parents[level] = entry
            for deeper in range(level + 1, 3):
                self.parents[deeper] = None
            self.entries.append(entry)
            self.group.append(entry)
        self.current = self.group[-1] if self.group[-1].level == 2 else None
        self.pending = []
        self.marker = 0


def build_scoring(doc: Document, region: Region) -> list[Draft]:
    draft = Draft(title=region.title, unit="分", columns=SCORING_COLUMNS, rows=[], line_start=region.start,
                  line_end=region.end, checked=False)
    reader = _Reader(draft)
    total_row = None
    for n in range(region.body[0], region.body[1] + 1):
        line = doc.line(n)
        flat = re.sub(r"\s+", "", line)
        if flat in _PAGE_HEADER or is_page_number(line):
            continue
        if not flat:
            continue
        if flat.startswith("总分"):
            numbers = re.findall(r"\d+(?:\.\d+)?", normalize_digits(line))
            if len(numbers) == len(SCORING_COLUMNS):
                total_row = DraftRow(label="总分", values=tuple(Decimal(x) for x in numbers), line=n, quote=line,
                                     fixed=tuple(range(len(numbers))), path=("总分",))
            break
        first = True
        glued = reader.glued_score(normalize_digits(line).strip())
        if glued is not None:
            reader.number(glued, n)
        for kind, chunk in _chunks(line):
            if kind == "frag":
                reader.frag(chunk, n, first)
            elif kind == "num":
                reader.number(Decimal(chunk), n)
            else:
                reader.text(n)
            first = False
    for entry in reader.entries:
        path = tuple(e.name for e in _lineage(entry))
        if entry.level == 2:
            values, fixed, lines = (entry.value,), (2,), (entry.line,)
            if entry.score is not None:
                values, fixed, lines = values + (entry.score,), (2, 3), (entry.line, entry.score_line)
            else:
                draft.notes.append(f"line {entry.line}: {entry.name}: 得分 not found")
        else:
            values, fixed, lines = (entry.value,), (entry.level,), (entry.line,)
        draft.rows.append(DraftRow(label=entry.name, values=values, line=entry.line, quote=doc.line(entry.line),
                                   fixed=fixed, path=path, lines=lines))
    if total_row is not None:
        draft.rows.append(total_row)
    return [draft]


def _lineage(entry: _Entry) -> list[_Entry]:
    chain = [entry]
    while chain[-1].parent is not None:
        chain.append(chain[-1].parent)
    return list(reversed(chain))
