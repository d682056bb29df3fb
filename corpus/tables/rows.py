"""Turn the body rows of one table part into proto rows: column roles, misaligned-row repair,
科目编码 / label / entity / year cells, Decimal value cells and text cells."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from corpus.tables.cells import (cell_number, entity_name, header_text, is_code,
                          is_total_label, norm_text, numbering, split_code_label)
from corpus.tables.hierarchy import ENTITY, ITEM, TOTAL
from corpus.tables.measures import parse_measure
from corpus.tables.regions import SourceRow

CODE, CODE_PART, LABEL, ENTITY_COL, YEAR, TEXT, VALUE, GROUP, MEASURE = (
    "code", "code-part", "label", "entity", "year", "text", "value", "group", "measure")
_CODE_HEADERS = ("科目编码", "编码", "功能分类科目编码", "经济分类科目编码")
_CODE_PARTS = ("类", "款", "项")
_ENTITY_HEADERS = ("预算单位", "单位名称", "预算单位名称")
_LABEL_HEADERS = ("科目名称", "项目", "项目名称", "功能科目名称", "任务名称", "三级指标", "指标名称")
_LABEL_PREFIXES = ("项目名称", "支出项目类别", "部门预算支出经济科目", "经济科目名称", "功能科目")
_TEXT_HEADERS = ("主要内容", "绩效目标", "经费性质", "年度主要任务", "备注", "说明")
_GROUP_HEADERS = ("一级指标", "二级指标")
_MEASURE_HEADERS = ("目标值", "指标值")
LONG_LABEL = 40


@dataclass
class ProtoRow:
    line: int
    quote: str
    label: str                                  # display label (wrap spaces removed)
    base: str                                   # label without outline numbering
    style: str | None = None                    # outline numbering style
    code: str | None = None
    entity: str | None = None
    kind: str = ITEM
    cells: list[Decimal | None] = field(default_factory=list)
    text_cells: list[tuple[tuple[str, ...], str]] = field(default_factory=list)
    units: list[str | None] = field(default_factory=list)       # per cell, for targets like ≥70家
    qualifiers: list[str | None] = field(default_factory=list)  # per cell: ≥ ≤ 约 …
    path: tuple[str, ...] | None = None         # set for indicator/form rows
    unplaced: list[tuple[Decimal, tuple[int, ...]]] = field(default_factory=list)  # figures across columns


def header_role(path: tuple[str, ...]) -> str | None:
    names = [header_text(p) for p in path]
    last = names[-1] if names else ""
    if last in _CODE_PARTS:
        return CODE_PART
    if any(n in _CODE_HEADERS or n.endswith("编码") for n in names):
        return CODE
    if last in _ENTITY_HEADERS:
        return ENTITY_COL
    if last == "年度":
        return YEAR
    if last in _GROUP_HEADERS:
        return GROUP
    if last in _MEASURE_HEADERS:
        return MEASURE
    if last in _TEXT_HEADERS:
        return TEXT
    if last in _LABEL_HEADERS or any(last.startswith(p) for p in _LABEL_PREFIXES):
        return LABEL
    return None


def column_roles(paths: list[tuple[str, ...]], body: list[list[str]]) -> list[str]:
    roles: list[str] = []
    for c, path in enumerate(paths):
        role = header_role(path)
        if role is None:
            cells = [row[c] for row in body if c < len(row) and row[c]]
            numeric = sum(1 for x in cells if cell_number(x) is not None or parse_measure(x) is not None)
            texty = len(cells) - numeric
            if (numeric and numeric >= texty) or (not cells and path):
                role = VALUE
            elif LABEL not in roles and VALUE not in roles:
                role = LABEL
            else:
                role = TEXT
        roles.append(role)
    if LABEL not in roles:
        for c, role in enumerate(roles):
            if role in (TEXT, ENTITY_COL) and c < len(roles) - 1:
                roles[c] = LABEL if role == TEXT else role
                break
    return roles


def align(cells: list[str], roles: list[str]) -> list[str]:
    """Repair a row printed one or two cells off: shift it so its numbers land in value columns."""
    width = len(roles)
    values = {i for i, r in enumerate(roles) if r == VALUE}
    nums = [i for i, c in enumerate(cells)
            if c and cell_number(c) is not None and not (i < width and roles[i] in (CODE, CODE_PART))]
    if not nums or not values or all(i in values for i in nums):
        return (cells + [""] * width)[:max(width, len(cells))]
    for shift in (1, -1, 2, -2):
        if shift < 0 and any(cells[:-shift]):
            continue
        if all((i + shift) in values for i in nums):
            moved = [""] * shift + cells if shift > 0 else cells[-shift:]
            return (moved + [""] * width)[:max(width, len(moved))]
    return (cells + [""] * width)[:max(width, len(cells))]


def grid_rows(rows: list[SourceRow], paths: list[tuple[str, ...]], roles: list[str],
              start: int, end: int | None, merged: dict[int, tuple[tuple[int, int], ...]] | None = None
              ) -> list[ProtoRow]:
    """Rows of a grid part spanning columns [start, end); `merged`: line -> cells merged across columns."""
    out: list[ProtoRow] = []
    entity: str | None = None
    for src in rows:
        printed = list(src.cells[start:end])
        cells = align(printed, roles)
        unplaced = []
        if merged and src.line in merged and cells[:len(printed)] == printed:
            unplaced = _across_columns(cells, roles, merged[src.line], start)
        if out and _continues_text(cells, roles):
            _append_text(out[-1], cells, paths, roles)
            continue
        row = _grid_row(src, cells, paths, roles, entity)
        if row is None:
            continue
        row.unplaced = unplaced
        if row.entity:
            entity = row.entity
        out.append(row)
    return out


def _across_columns(cells: list[str], roles: list[str], spans, start: int) -> list[tuple[Decimal, tuple[int, ...]]]:
    """A figure in a cell merged over several value columns belongs to none of them alone: it is taken
    out of the cells and kept with the columns it could be (a failed column-assignment check)."""
    value_index = {k: n for n, k in enumerate(k for k, role in enumerate(roles) if role == VALUE)}
    found = []
    for first, last in spans:
        a, b = first - start, min(last - start, len(roles) - 1)
        under = [value_index[k] for k in range(max(a, 0), b + 1) if k in value_index]
        if a < 0 or a not in value_index or len(under) < 2 or not cells[a]:
            continue
        number = cell_number(cells[a])
        measure = parse_measure(cells[a]) if number is None else None
        value = number if measure is None else measure.value
        if value is not None:
            found.append((value, tuple(under)))
            cells[a] = ""
    return found


def _continues_text(cells: list[str], roles: list[str]) -> bool:
    """A wrapped description: only text columns are filled (the row above continues)."""
    filled = [roles[c] for c, text in enumerate(cells[:len(roles)]) if text]
    return bool(filled) and all(role in (TEXT, MEASURE) for role in filled)


def _append_text(row: ProtoRow, cells: list[str], paths, roles) -> None:
    for c, text in enumerate(cells[:len(roles)]):
        if not text:
            continue
        for k, (path, old) in enumerate(row.text_cells):
            if path == paths[c]:
                row.text_cells[k] = (path, old + text)
                break
        else:
            row.text_cells.append((paths[c], text))


@dataclass
class _Cells:
    """One grid row's cells sorted by column role."""
    code: str | None = None
    label: str | None = None
    entity: str | None = None
    year: str | None = None
    code_parts: list[str] = field(default_factory=list)
    values: list[Decimal | None] = field(default_factory=list)
    units: list[str | None] = field(default_factory=list)
    qualifiers: list[str | None] = field(default_factory=list)
    texts: list[tuple[tuple[str, ...], str]] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)      # 一级指标 / 二级指标 cells, outermost first
    spare: list[str] = field(default_factory=list)


def _read_cells(cells: list[str], paths, roles) -> _Cells:
    out = _Cells()
    for c, role in enumerate(roles):
        text = cells[c] if c < len(cells) else ""
        if role == VALUE:
            num = cell_number(text) if text else None
            measure = parse_measure(text) if text and num is None else None
            out.values.append(num if measure is None else measure.value)
            out.units.append(None if measure is None else measure.unit)
            out.qualifiers.append(None if measure is None else measure.qualifier)
            if text and num is None and text not in {"-", "—", "--"}:
                out.texts.append((paths[c], text))
        elif not text:
            continue
        elif role == CODE:
            if is_code(text):
                out.code = text
            else:
                out.spare.append(text)          # '合计' printed in the code column
        elif role == CODE_PART:
            out.code_parts.append(text)
        elif role == ENTITY_COL:
            out.entity = norm_text(text)
        elif role == YEAR:
            out.year = norm_text(text)
        elif role == LABEL and out.label is None:
            out.label = text
        elif role == GROUP:
            out.groups.append(norm_text(text))
        elif role in (TEXT, MEASURE):
            out.texts.append((paths[c], text))
        else:
            out.spare.append(text)
    if out.label and len(out.label) > LONG_LABEL:
        short = [(i, t) for i, (_, t) in enumerate(out.texts)
                 if len(t) <= LONG_LABEL // 2 and parse_measure(t) is None]     # a heading, not a figure
        if short:       # a long sentence in the label column: the short heading cell names the row
            i, heading = short[0]
            out.texts[i] = (paths[roles.index(LABEL)], out.label)
            out.label = heading
    return out


def _grid_row(src: SourceRow, cells: list[str], paths, roles, current_entity) -> ProtoRow | None:
    got = _read_cells(cells, paths, roles)
    code = got.code or (_join_code_parts(got.code_parts) if got.code_parts else None)
    label = got.label
    if label:
        printed, label = split_code_label(label)
        code = code or printed
    label = got.year or label or (got.spare[0] if got.spare else None) or got.entity
    if not label:
        return None          # a row with only its label is kept: its figures are printed blank
    display = norm_text(label)
    style, base = numbering(display)
    kind, entity = ITEM, got.entity or current_entity
    named = entity_name(display)
    if named and not got.year and not code:
        kind, entity = ENTITY, named
    elif got.entity and not got.year and not code and display == got.entity:
        kind = ENTITY
    elif is_total_label(display) and not code:
        kind, entity = TOTAL, got.entity
    path = tuple(got.groups) + (display,) if GROUP in roles else None
    return ProtoRow(line=src.line, quote=src.text, label=display, base=base, style=style, code=code,
                    entity=entity, kind=kind, cells=got.values, text_cells=got.texts,
                    units=got.units, qualifiers=got.qualifiers, path=path)


def _join_code_parts(parts: list[str]) -> str | None:
    digits = [p for p in parts if p.isdigit()]
    if not digits or len(digits[0]) != 3:
        return None
    return digits[0] + "".join(p.zfill(2) for p in digits[1:])


def indicator_rows(rows: list[SourceRow], depth: int, column: tuple[str, ...],
                   section_label: str | None) -> list[ProtoRow]:
    """Performance-indicator grid: value is the last filled cell, label the one before it,
    the cells before those are indicator levels (filled down; printed cells drift, so right-anchored)."""
    out: list[ProtoRow] = []
    levels: list[str] = []
    for src in rows:
        filled = [norm_text(c) for c in src.cells if c.strip()]
        if section_label and filled and filled[0] == section_label:
            filled = filled[1:]
        if len(filled) < 2:
            continue
        *groups, label, value = filled
        if groups:
            keep = max(0, depth - len(groups))
            levels = (levels + [""] * depth)[:keep] + groups[-depth:]
        path = tuple(x for x in levels if x) + (label,)
        measure = parse_measure(value)
        out.append(ProtoRow(line=src.line, quote=src.text, label=label, base=label,
                            cells=[measure.value if measure else None], text_cells=[(column, value)], path=path,
                            units=[measure.unit if measure else None],
                            qualifiers=[measure.qualifier if measure else None]))
    return out


def form_rows(rows: list[SourceRow], column: tuple[str, ...]) -> list[ProtoRow]:
    """Key/value form lines ('专项资金情况（万元） | 资金总额： | 9000.00'): group filled down."""
    out: list[ProtoRow] = []
    group = ""
    for src in rows:
        filled = [norm_text(c) for c in src.cells if c.strip()]
        if not filled:
            continue
        if src.cells[0].strip():
            group = header_text(filled[0])
        if len(filled) == 1:
            continue
        key = header_text(filled[-2]) if len(filled) >= 3 or not src.cells[0].strip() else header_text(filled[0])
        value = filled[-1]
        num = cell_number(value)
        path = tuple(x for x in (group, key) if x)
        if path and len(path) == 2 and path[0] == path[1]:
            path = path[:1]
        out.append(ProtoRow(line=src.line, quote=src.text, label=key, base=key, cells=[num],
                            text_cells=[] if num is not None else [(column, value)], path=path))
    return out
