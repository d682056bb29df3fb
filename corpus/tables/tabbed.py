"""Tab-separated tables: regions -> sections/parts -> rows, then document-wide hierarchy and checks."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

from corpus.checks.tables import check_table
from corpus.tables.entities import disambiguate_entities
from corpus.tables.headers import (INDICATOR_WORDS, column_paths, is_header_like, is_indicator_header,
                            is_meta_row, side_by_side_parts, signature)
from corpus.tables.hierarchy import Node, assign_codes, build_paths
from corpus.model import Document, Row, Table
from corpus.tables.regions import Region, SourceRow, find_regions
from corpus.tables.rows import (VALUE, ProtoRow, column_roles, form_rows, grid_rows,
                               indicator_rows)

INDICATOR_PART = "绩效指标"
FORM_COLUMN = ("值",)
_HEADER_UNIT = ((re.compile(r"[（(](?:单位[：:])?万元[)）]"), "万元"), (re.compile(r"[（(](?:单位[：:])?元[)）]"), "元"),
                (re.compile(r"人数$"), "人"))


@dataclass
class ProtoTable:
    title: str
    number: str | None
    unit: str
    part: str | None
    columns: list[tuple[str, ...]]
    rows: list[ProtoRow]
    line_start: int
    line_end: int
    structured: bool = True     # False: rows carry their own paths (indicator / form)


def parse_tabbed_tables(doc: Document) -> list[Table]:
    protos = [p for region in find_regions(doc.lines) for p in _region_tables(region, doc)]
    for proto in protos:
        disambiguate_entities(proto.rows, doc.meta.org)
    label_codes = _label_codes(protos)
    children = _learned_children(protos)
    tables = []
    for n, proto in enumerate(protos, 1):
        table = _finish(doc, proto, n, label_codes, children)
        tables.append(replace(table, checks=check_table(table)))
    return tables


# --- regions -> sections -> parts -------------------------------------------------------------

def _split_sections(region: Region) -> list[tuple[list[SourceRow], list[SourceRow]]]:
    """(header rows, body rows) per section; page-break header repeats are dropped."""
    rows = region.rows
    i = 0
    while i < len(rows) and is_meta_row(rows[i].cells):
        i += 1
    header: list[SourceRow] = []
    while i < len(rows) and is_header_like(rows[i].cells) and not (header and is_indicator_header(rows[i].cells)):
        header.append(rows[i])
        i += 1
    if header and is_indicator_header(header[0].cells):
        sections = [([], []), (header, [])]
    else:
        sections = [(header, [])]
    seen = {signature(r.cells) for r in header}
    fragment_starts = set(region.fragment_starts[1:])
    skipping = False
    for k in range(i, len(rows)):
        row = rows[k]
        if k in fragment_starts:
            skipping = True
        if skipping and (is_meta_row(row.cells) or (is_header_like(row.cells) and not is_indicator_header(row.cells))):
            continue
        skipping = False
        if signature(row.cells) in seen or is_meta_row(row.cells):
            continue
        if is_header_like(row.cells) and is_indicator_header(row.cells):
            sections.append(([row], []))
            seen.add(signature(row.cells))
            continue
        sections[-1][1].append(row)
    return [s for s in sections if s[1]]


def _filled_width(row: SourceRow) -> int:
    return max((i + 1 for i, c in enumerate(row.cells) if c), default=0)


def _width(header: list[SourceRow], body: list[SourceRow]) -> int:
    """Columns the header spans, or the width most body rows fill (a row printed one cell
    off is repaired later rather than widening the table)."""
    head = max((_filled_width(r) for r in header), default=0)
    widths = Counter(_filled_width(r) for r in body)
    common = widths.most_common(1)[0][0] if widths else 0
    return max(head, common, 1)


def _header_unit(header: list[SourceRow]) -> str | None:
    for row in header:
        for cell in row.cells:
            for pattern, unit in _HEADER_UNIT:
                if pattern.search(cell.replace(" ", "")):
                    return unit
    return None


def _region_tables(region: Region, doc: Document) -> list[ProtoTable]:
    pre = region.preamble
    title = pre.title or "表格"
    out: list[ProtoTable] = []
    for header, body in _split_sections(region):
        unit = pre.unit or _header_unit(header) or doc.meta.unit
        start, end = (header or body)[0].line, body[-1].line
        if header and is_indicator_header(header[0].cells):
            out.append(_indicator_table(title, pre.number, unit, header[0], body, start, end,
                                        part=INDICATOR_PART if out else None))
            continue
        if not header:
            out.append(ProtoTable(title, pre.number, unit, None, [FORM_COLUMN], form_rows(body, FORM_COLUMN),
                                  start, end, structured=False))
            continue
        width = _width(header, body)
        cells = [list(r.cells) for r in header]
        paths = column_paths(cells, width)
        parts = side_by_side_parts(cells, width) or [(0, width, None)]
        for a, b, name in parts:
            part_paths = [p[1:] if name and p and p[0] == name else p for p in paths[a:b]]
            b_cut = b if b < width else None     # the last part keeps cells printed past the header
            body_cells = [list(r.cells[a:b]) for r in body]
            roles = column_roles(part_paths, body_cells)
            rows = grid_rows(body, part_paths, roles, a, b_cut, _merged_cells(doc, body))
            if not rows:
                continue
            columns = [p for p, role in zip(part_paths, roles) if role == VALUE]
            out.append(ProtoTable(f"{title}（{name}）" if name else title, pre.number, unit, name, columns,
                                  rows, start, end))
    return out


def _merged_cells(doc: Document, body: list[SourceRow]) -> dict[int, tuple[tuple[int, int], ...]]:
    found = {}
    for row in body:
        location = doc.location(row.line)
        if location is not None and location.merged:
            found[row.line] = location.merged
    return found


def _indicator_table(title, number, unit, header: SourceRow, body, start, end, part) -> ProtoTable:
    names = [c for c in header.cells if c]
    depth = sum(1 for c in names if c in ("一级指标", "二级指标"))
    value_name = next((c for c in reversed(names) if c in INDICATOR_WORDS), "目标值")
    section_label = names[0] if names and names[0] not in INDICATOR_WORDS else None
    rows = indicator_rows(body, depth, (value_name,), section_label)
    return ProtoTable(f"{title}（{part}）" if part else title, number, unit, part, [(value_name,)], rows,
                      start, end, structured=False)


# --- document-wide knowledge -------------------------------------------------------------------

def _label_codes(protos: list[ProtoTable]) -> dict[str, set[str]]:
    """Label -> 科目编码 as printed in the document's coded tables."""
    known: dict[str, set[str]] = {}
    for proto in protos:
        for row in proto.rows:
            if row.code:
                known.setdefault(row.base, set()).add(row.code)
    return known


def _nodes(proto: ProtoTable, children: dict[str, str] | None = None) -> list[Node]:
    children = children or {}
    return [Node(r.base, r.code, r.style, r.kind, children.get(r.base) if not r.style else None)
            for r in proto.rows]


def _learned_children(protos: list[ProtoTable]) -> dict[str, str]:
    """Child label -> parent label where the document numbers the child under the parent ('1. 一般公共预算拨款')."""
    learned: dict[str, str] = {}
    for proto in protos:
        if not proto.structured:
            continue
        for row, path in zip(proto.rows, build_paths(_nodes(proto))):
            if row.style and len(path) == 2 and path[0]:
                learned.setdefault(path[1], path[0])
    return learned


def _finish(doc: Document, proto: ProtoTable, n: int, label_codes, children) -> Table:
    if proto.structured and not all(r.path for r in proto.rows):
        nodes = assign_codes(_nodes(proto, children), label_codes)
        paths = build_paths(nodes)
    else:
        paths = [r.path or (r.label,) for r in proto.rows]
    rows = tuple(
        Row(label=r.label, cells=tuple(r.cells), line=r.line, quote=r.quote, code=r.code,
            path=path, entity=r.entity, text_cells=tuple(r.text_cells),
            cell_units=tuple(r.units) if any(u is not None for u in r.units) else (),
            cell_qualifiers=tuple(r.qualifiers) if any(r.qualifiers) else (), unplaced=tuple(r.unplaced))
        for r, path in zip(proto.rows, paths))
    return Table(table_id=f"{doc.doc_id}#{n}", doc_id=doc.doc_id, title=proto.title, unit=proto.unit,
                 columns=tuple(proto.columns), rows=rows, line_start=proto.line_start,
                 line_end=proto.line_end, number=proto.number, part=proto.part)

