"""Compare the same figure across the tables of one document.

A row (by 科目编码, or label) and column meaning (the amount column, 基本支出, 项目支出 …) printed
in two tables with different values gets a note on both tables. When the tables cover different
scopes (all funds vs 一般公共预算 only, 基本支出 only …) and the label does not name its fund, the
note says the difference is a scope difference; otherwise the document contradicts itself. If the
difference equals another figure printed in the document, the note names it as a likely explanation."""
from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal

from corpus.checks.arith import fmt_figure, quantum
from corpus.tables.cells import norm_text, strip_numbering
from corpus.checks.columns import is_total_name
from corpus.model import Row, Table
from corpus.checks.rows import is_entity_row, is_total_row

FUND_SCOPES = ("一般公共预算", "政府性基金", "国有资本", "财政拨款", "政府预算拨款")
KIND_SCOPES = ("基本支出", "项目支出")
AMOUNT = "金额"
MAX_NOTES_PER_TABLE = 12
_PROJECT_FORM = re.compile(r"项目.*绩效(?:目标|自评)表|绩效(?:目标|自评)表[（(]")   # one project's own form


def _scope(title: str) -> tuple[str, str]:
    fund = next((w for w in FUND_SCOPES if w in title), "全部资金")
    kind = next((w for w in KIND_SCOPES if w in title), "全部支出")
    return fund, kind


def _column_keys(table: Table) -> list[str]:
    keys = []
    for i, path in enumerate(table.columns):
        names = [p for p in path if not p.endswith(("预算", "预算数")) or p in FUND_SCOPES]
        last = norm_text(names[-1] if names else (path[-1] if path else "")).removeprefix("其中：").removeprefix("其中")
        if len(table.columns) == 1 or (i == 0 and (is_total_name(last) or not last)):
            keys.append(AMOUNT)
        else:
            keys.append("/".join(norm_text(n) for n in names) or last)
    return keys


def _row_key(row: Row, unique_codes: dict[str, str], single_entity: bool) -> str | None:
    if is_total_row(row) or is_entity_row(row) or not row.label:
        return None
    label = strip_numbering(row.label)
    code = row.code or unique_codes.get(label)
    entity = "" if single_entity else (row.entity or "")
    return f"{entity}|{code or label}"


def _unique_codes(tables: list[Table]) -> dict[str, str]:
    seen: dict[str, set[str]] = defaultdict(set)
    for table in tables:
        for row in table.rows:
            if row.code:
                seen[strip_numbering(row.label)].add(row.code)
    return {label: next(iter(codes)) for label, codes in seen.items() if len(codes) == 1}


def cross_table_notes(tables: list[Table]) -> dict[str, list[str]]:
    codes = _unique_codes(tables)
    entities = {r.entity.split("（")[0] for t in tables for r in t.rows if r.entity}
    single = len(entities) <= 1
    figures: dict[tuple[str, str], list[tuple[Table, Row, Decimal]]] = defaultdict(list)
    by_value: dict[Decimal, list[tuple[Table, Row]]] = defaultdict(list)
    for table in tables:
        if _PROJECT_FORM.search(table.title):
            continue          # labels like 资金总额 / 总分 mean a different project in each form
        keys = _column_keys(table)
        for row in table.rows:
            key = _row_key(row, codes, single)
            for c, (col, value) in enumerate(zip(keys, row.cells)):
                if value is None or (c < len(row.cell_units) and row.cell_units[c] is not None):
                    continue          # a target printed with its own unit belongs to its project
                if value != 0:
                    by_value[value].append((table, row))
                if key:
                    figures[(key, col)].append((table, row, value))
    related = _related_pairs(figures)
    notes: dict[str, list[str]] = defaultdict(list)
    for (key, col), found in figures.items():
        _note_mismatches(col, found, by_value, related, notes)
    return {tid: found[:MAX_NOTES_PER_TABLE] for tid, found in notes.items()}


def _related_pairs(figures) -> set[tuple[str, str]]:
    """Table pairs that print the same things: at least half of their shared figures agree.
    (Per-project forms share labels like 资金总额 but are about different projects.)"""
    agree: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for found in figures.values():
        for i, (t1, _, v1) in enumerate(found):
            for t2, _, v2 in found[i + 1:]:
                if t1.table_id != t2.table_id:
                    pair = tuple(sorted((t1.table_id, t2.table_id)))
                    agree[pair][0] += v1 == v2
                    agree[pair][1] += 1
    return {pair for pair, (same, total) in agree.items() if same * 2 >= total}


def _note_mismatches(col, found, by_value, related, notes) -> None:
    seen_pairs: set[tuple[str, str]] = set()
    for i, (t1, r1, v1) in enumerate(found):
        for t2, r2, v2 in found[i + 1:]:
            pair = tuple(sorted((t1.table_id, t2.table_id)))
            if t1.table_id == t2.table_id or v1 == v2 or pair in seen_pairs or pair not in related:
                continue
            seen_pairs.add(pair)
            label = strip_numbering(r1.label)
            where = f"“{label}”" + ("" if col == AMOUNT else f"（{col}）")
            names_fund = any(w in label for w in FUND_SCOPES)
            hint = _explain(abs(v1 - v2), by_value, {id(r1), id(r2)})
            for (ta, ra, va), (tb, rb, vb) in (((t1, r1, v1), (t2, r2, v2)), ((t2, r2, v2), (t1, r1, v1))):
                sa, sb = _scope(ta.title), _scope(tb.title)
                if sa != sb and not names_fund:
                    verdict = (f"the two tables cover different scopes ({'/'.join(sa)} here, {'/'.join(sb)} there), "
                               f"which may explain the difference")
                else:
                    verdict = "the document contradicts itself; both figures are kept as printed"
                notes[ta.table_id].append(
                    f"{where} is {fmt_figure(va)} here (line {ra.line}) but {fmt_figure(vb)} in {tb.title} "
                    f"(line {rb.line}); {verdict}.{hint}")


def _explain(diff: Decimal, by_value, exclude: set[int]) -> str:
    """Name a printed figure equal to the difference (to the last printed digit)."""
    step = quantum(diff)
    for candidate in (diff, diff + step, diff - step):
        for table, row in by_value.get(candidate, []):
            if id(row) not in exclude:
                about = "equals" if candidate == diff else "matches, to rounding,"
                return (f" The difference {fmt_figure(diff)} {about} “{strip_numbering(row.label)}” "
                        f"{fmt_figure(candidate)} in {table.title} (line {row.line}).")
    return ""
