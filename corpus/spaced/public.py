"""Builders for the numbered public tables (公开NN表) of a space-joined 决算/预算 document.

Layouts:
  * code tables: "科目编码 科目名称 figures…" rows under a 合计 row (收入决算表, 支出决算表, …);
  * side-by-side tables: "收入 项目 行次 决算数 | 支出 项目 行次 决算数" → two drafts, part 收入 / 支出;
  * economic tables: three "经济分类科目编码 科目名称 决算数" groups per line (基本支出决算表);
  * single-row tables: one unlabeled row of figures ("三公"经费支出决算表).
"""
from __future__ import annotations

import re

from corpus.model import Document
from corpus.spaced.draft import Draft, DraftRow, funds_of, set_code_parents
from corpus.spaced.headers import header_from_words, segment
from corpus.spaced.regions import Region
from corpus.spaced.text import INT, NUM, TEXT, Token, is_page_number, squeeze, tokenize

_CODE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")
_INDEX_GROUPS = re.compile(r"栏\s*次((?:\s+\d+)+)")


def build_public(doc: Document, region: Region) -> list[Draft]:
    header_text = " ".join(doc.line(n) for n in range(region.header[0], region.header[1] + 1))
    index_line = doc.line(region.header[1]) if region.header[1] >= region.header[0] else ""
    groups = [len(g.split()) for g in _INDEX_GROUPS.findall(index_line)]
    if not groups and re.match(r"^\s*1(?:\s+\d+)+\s*$", index_line):
        groups = [len(index_line.split())]
    words, unknown = segment(header_text)
    base = dict(title=region.title, unit=region.unit or doc.meta.unit, number=region.number,
                line_start=region.start, line_end=region.end, funds=funds_of(region.title))
    body = [n for n in range(region.body[0], region.body[1] + 1)
            if doc.line(n).strip() and not is_page_number(doc.line(n))]
    if len(groups) == 2:
        return _side_by_side(doc, body, words, unknown, groups, base)
    if words and len(words) >= 2 and len(set(words)) == 1 and not groups:
        return [_economic(doc, body, words, unknown, base)]
    header = header_from_words(words, unknown, groups[0] if groups else None)
    draft = Draft(columns=header.columns, relations=header.relations, rows=[], **base)
    draft.notes.extend(f"header: {u}" for u in header.unknown if u)
    rows = _code_rows(doc, body)
    if rows and all(not r.label and r.code is None for r in rows):
        return [_single_row(draft, rows)]
    _finish_code_table(draft, rows)
    return [draft]


# -- code tables --------------------------------------------------------------------------------
def _code_rows(doc: Document, body: list[int]) -> list[DraftRow]:
    """Rows start at a 科目编码 or a text label; figures follow the label. Merged rows split at codes."""
    rows: list[DraftRow] = []
    for n in body:
        line = doc.line(n)
        current: DraftRow | None = None
        for tok in tokenize(line):
            starts_row = (tok.kind == INT and _CODE.match(tok.text)) or (
                tok.kind == TEXT and (current is None or current.values))
            if starts_row:
                if tok.kind == TEXT and current is None and rows and not rows[-1].values and rows[-1].line == n - 1:
                    current = rows[-1]           # a label wrapped onto this line
                    current.label += tok.text
                    continue
                current = DraftRow(label="", values=(), line=n, quote=line,
                                   code=tok.text if tok.kind == INT else None)
                if tok.kind == TEXT:
                    current.label = tok.text
                rows.append(current)
            elif tok.kind == TEXT:
                current.label = (current.label + tok.text) if not current.values else current.label
            elif tok.kind in (NUM, INT):
                if current is None:
                    current = DraftRow(label="", values=(), line=n, quote=line)
                    rows.append(current)
                current.values += (tok.value,)
    return rows


def _finish_code_table(draft: Draft, rows: list[DraftRow]) -> None:
    root = next((i for i, r in enumerate(rows) if r.code is None and squeeze(r.label) in ("合计", "总计")), None)
    if root is not None:
        rows[root].total = True
        if not rows[root].values and any(r.values for r in rows):
            rows[root].known = False
            draft.notes.append("合计 row printed without figures; its cells are taken as the sum of the rows")
    set_code_parents(rows, root)
    n = len(draft.columns)
    for row in rows:
        if len(row.values) == n:
            row.fixed = tuple(range(n))
    draft.rows = rows


def _single_row(draft: Draft, rows: list[DraftRow]) -> Draft:
    row = rows[0]
    row.label = draft.title
    row.path = (draft.title,)
    draft.rows = [row] + rows[1:]
    draft.zero_blanks = True
    draft.notes.append("one unlabeled row of figures: each column is an item; blank cells decided by the "
                       "arithmetic are read as 0")
    return draft


# -- side-by-side tables ------------------------------------------------------------------------
def _side_by_side(doc: Document, body: list[int], words: list[str], unknown: list[str],
                  groups: list[int], base: dict) -> list[Draft]:
    left_words, right_words = words[:groups[0]], words[groups[0]:groups[0] + groups[1]]
    sides = []
    for part, part_words, count in (("收入", left_words, groups[0]), ("支出", right_words, groups[1])):
        header = header_from_words(part_words, [], count)
        draft = Draft(columns=header.columns, relations=header.relations, rows=[], part=part, **base)
        draft.notes.extend(f"header: {u}" for u in header.unknown + tuple(unknown) if u)
        sides.append(draft)
    left_rows: list[DraftRow] = []
    right_rows: list[DraftRow] = []
    expect = [1, None]
    for n in body:
        line = doc.line(n)
        toks = tokenize(line)
        split = _split_side_line(toks, expect)
        if split is None:
            sides[0].notes.append(f"line {n}: not a side-by-side row: {line.strip()}")
            continue
        (llabel, lidx, lvals), (rlabel, ridx, rvals) = split
        expect = [lidx + 1, (ridx + 1) if ridx is not None else expect[1]]
        for label, vals, rows, idx in ((llabel, lvals, left_rows, lidx), (rlabel, rvals, right_rows, ridx)):
            if idx is None or (not label and not vals):
                continue
            rows.append(DraftRow(label=label or f"（行次{idx}）", values=vals, line=n, quote=line))
    for draft, rows in zip(sides, (left_rows, right_rows)):
        _side_hierarchy(rows)
        ncol = len(draft.columns)
        for row in rows:
            if len(row.values) == ncol:
                row.fixed = tuple(range(ncol))
        draft.rows = rows
    return sides


def _split_side_line(toks: list[Token], expect: list[int | None]):
    """[左项目] 左行次 [左数…] [右项目] 右行次 [右数…] → ((label, 行次, figures), (label, 行次, figures))."""
    ints = [i for i, t in enumerate(toks) if t.kind == INT]
    if not ints:
        return None
    left_i = next((i for i in ints if int(toks[i].text) == expect[0]), ints[0])
    rest = [i for i in ints if i > left_i]
    right_i = None
    if rest:
        right_i = next((i for i in rest if expect[1] is not None and int(toks[i].text) == expect[1]), rest[0])
    left_label = "".join(t.text for t in toks[:left_i] if t.kind == TEXT)
    stop = right_i if right_i is not None else len(toks)
    left_vals, right_label_parts = [], []
    for t in toks[left_i + 1:stop]:
        if t.kind == NUM and not right_label_parts:
            left_vals.append(t.value)
        elif t.kind == TEXT:
            right_label_parts.append(t.text)
    right_vals = [t.value for t in toks[stop + 1:] if t.kind == NUM] if right_i is not None else []
    left = (left_label, int(toks[left_i].text), tuple(left_vals))
    right = ("".join(right_label_parts), int(toks[right_i].text) if right_i is not None else None,
             tuple(right_vals))
    return left, right


def _side_hierarchy(rows: list[DraftRow]) -> None:
    """Ordinal rows (一、…) sum into the 本年…合计 row; 总计 = 本年合计 + the balance rows after it;
    fund rows under a 结转和结余 row are its parts."""
    total_i = next((i for i, r in enumerate(rows) if "合计" in r.label and r.label.startswith("本年")), None)
    grand_i = next((i for i, r in enumerate(rows) if squeeze(r.label) == "总计"), None)
    group = None
    for i, row in enumerate(rows):
        row.path = (row.label,)
        if total_i is not None and i < total_i:
            row.parent = total_i
        elif i in (total_i, grand_i):
            row.parent = grand_i if i == total_i else None
        elif grand_i is not None and i < grand_i:
            if "结转" in row.label or "结余" in row.label:
                row.parent, group = grand_i, i
            elif group is not None:
                row.parent = group
                row.path = (rows[group].label, row.label)
            else:
                row.parent = grand_i
    if grand_i is not None:
        rows[grand_i].total = True
    elif total_i is not None:
        rows[total_i].total = True


# -- economic classification tables (three groups per line) ------------------------------------
def _economic(doc: Document, body: list[int], words: list[str], unknown: list[str], base: dict) -> Draft:
    column = words[0]
    draft = Draft(columns=((column,),), rows=[], **base)
    entries: list[DraftRow] = []
    for n in body:
        line = doc.line(n)
        current: DraftRow | None = None
        for tok in tokenize(line):
            if (tok.kind == INT and _CODE.match(tok.text)) or (tok.kind == TEXT and (current is None or current.values)):
                current = DraftRow(label="" if tok.kind == INT else tok.text, values=(), line=n, quote=line,
                                   code=tok.text if tok.kind == INT else None)
                entries.append(current)
            elif tok.kind == TEXT:
                current.label += tok.text
            elif tok.kind == NUM and current is not None:
                current.values += (tok.value,)
    coded = sorted((r for r in entries if r.code), key=lambda r: (int(r.code[:3]), len(r.code) > 3, r.line))
    # keep children after their class row
    ordered: list[DraftRow] = []
    for cls in dict.fromkeys(r.code[:3] for r in coded):
        ordered += [r for r in coded if r.code == cls] + [r for r in coded if r.code[:3] == cls and r.code != cls]
    summary = [r for r in entries if not r.code]
    rows = ordered + summary
    set_code_parents(rows, None)
    for r in summary:
        r.parent = None
        r.path = (r.label,)
    for r in rows:
        r.fixed = (0,) if len(r.values) == 1 else () if not r.values else None
    draft.rows = rows
    return draft
