"""Multi-row table headers: detect header rows, fill merged (spanning) cells, build column paths,
and split side-by-side layouts (收入 | 支出) into parts."""
from __future__ import annotations

import re

from corpus.tables.cells import cell_number, entity_name, header_text, is_code, is_total_label, norm_text

HEADER_CELL_MAX = 30
_YEAR = re.compile(r"(?:19|20)\d\d年度?")
_NOT_HEADER = re.compile(r"[\d《〔。；]")   # figures, document titles, sentences
LABEL_HEADERS = ("项目", "项目名称", "科目名称", "科目")
INDICATOR_WORDS = ("一级指标", "二级指标", "三级指标", "目标值", "指标值", "指标内容")
META_KEYS = ("单位名称", "部门名称", "部门（单位）名称", "预算单位名称")


def is_header_like(cells: list[str] | tuple[str, ...]) -> bool:
    """Short, non-numeric cells only (a year heading like '2024 年预算数' is not a number)."""
    filled = [c for c in cells if c.strip()]
    if not filled or (len(filled) == 1 and is_total_label(filled[0])):
        return False          # a 合计 row printed without figures is a row, not a heading
    for c in filled:
        text = norm_text(c)
        if cell_number(c) is not None or is_code(c) or len(text) > HEADER_CELL_MAX:
            return False
        if _NOT_HEADER.search(_YEAR.sub("", text)):
            return False
    return True


def is_meta_row(cells: list[str] | tuple[str, ...]) -> bool:
    """'单位名称 | | 深圳市医疗保险基金管理中心 | 主管部门 | 深圳市医疗保障局' (a form line, not a header)."""
    filled = [header_text(c) for c in cells if c.strip()]
    return bool(filled) and filled[0] in META_KEYS and any(entity_name(c) for c in filled[1:])


LEVEL_WORDS = ("一级指标", "二级指标", "三级指标")


def is_indicator_header(cells: list[str] | tuple[str, ...]) -> bool:
    """'一级指标 | 二级指标 | 三级指标 | 目标值': indicator levels named once each, then one target column.
    A grid naming several figure columns after its levels (年度指标值 | 实际完成值 | 分值 | 得分) is an
    ordinary grid whose level columns group its rows."""
    names = [header_text(c) for c in cells if c.strip()]
    if len(set(names) & set(INDICATOR_WORDS)) < 2:
        return False
    levels = [i for i, n in enumerate(names) if n in LEVEL_WORDS]
    if len(levels) != len({names[i] for i in levels}):
        return False
    after = names[levels[-1] + 1:] if levels else names
    return len(after) <= 1


def signature(cells: list[str] | tuple[str, ...]) -> str:
    """Compare header rows across page breaks, ignoring wrap spaces and column drift."""
    return "|".join(header_text(c) for c in cells if c.strip())


def fill_header(rows: list[list[str]], width: int) -> list[list[str]]:
    """Fill merged header cells: a blank cell takes the text on its left when no row above
    starts a new heading at that column (the spanning cell continues). Blank stays blank otherwise."""
    grid = [[header_text(c) for c in row] + [""] * (width - len(row)) for row in rows]
    grid = [row[:width] for row in grid]
    filled = [row[:] for row in grid]
    for r, row in enumerate(grid):
        for c in range(1, width):
            if row[c] or not filled[r][c - 1]:
                continue
            if all(not grid[u][c] for u in range(r)) and _same_parent(filled, r, c):
                filled[r][c] = filled[r][c - 1]
    return filled


def _same_parent(filled: list[list[str]], r: int, c: int) -> bool:
    return all(filled[u][c] == filled[u][c - 1] for u in range(r))


def column_paths(rows: list[list[str]], width: int) -> list[tuple[str, ...]]:
    """One path per column from the top header row down, e.g. ('财政拨款', '一般公共预算')."""
    filled = fill_header(rows, width)
    paths = []
    for c in range(width):
        path: list[str] = []
        for row in filled:
            if row[c] and (not path or path[-1] != row[c]):
                path.append(row[c])
        paths.append(tuple(path))
    return paths


def side_by_side_parts(rows: list[list[str]], width: int) -> list[tuple[int, int, str]] | None:
    """(start, end, name) per part when a header row repeats the same column headings
    starting with a label heading ('项目 | 预算数 | 项目 | 预算数'), or starts two or more runs of
    headings with a label heading under a row naming each run ('收入 | | 支出 | | |' over
    '项目 | 金额 | 项目 | 合计 | 一般公共预算'); else None."""
    filled = fill_header(rows, width)
    for r, row in enumerate(rows):
        cells = [header_text(c) for c in row] + [""] * (width - len(row))
        starts = [i for i, c in enumerate(cells[:width]) if c in LABEL_HEADERS]
        if len(starts) < 2:
            continue
        bounds = starts + [width]
        chunks = [tuple(c for c in cells[a:b] if c) for a, b in zip(bounds, bounds[1:])]
        if min(len(c) for c in chunks) < 2:
            continue
        if len(set(chunks)) != 1 and not _named_runs(filled[r - 1] if r > 0 else [], bounds):
            continue
        parts = []
        for i, (a, b) in enumerate(zip(bounds, bounds[1:])):
            name = filled[r - 1][a] if r > 0 and filled[r - 1][a] else f"第{i + 1}部分"
            parts.append((a, b, re.sub(r"\s+", "", name)))
        return parts
    return None


def _named_runs(above: list[str], bounds: list[int]) -> bool:
    """Each run [a, b) sits under one name of its own in the header row above."""
    names = [set(above[a:b]) for a, b in zip(bounds, bounds[1:])]
    return all(len(n) == 1 and "" not in n for n in names) and len({next(iter(n)) for n in names}) == len(names)
