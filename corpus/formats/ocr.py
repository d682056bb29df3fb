"""Pages with no text layer (scanned images), read offline with RapidOCR.

rapidocr-onnxruntime's wheel carries its ONNX models (PP-OCRv4 detection and recognition) and reads
them from its own folder: nothing is downloaded at run time. Without the package the PDF reader
refuses such pages with a message naming them.

The page image's ruling lines make the table grid (a cell missing a border is merged with its
neighbour, its text in the first cell, as pdfplumber reads a vector table) and are then erased; a
detected text box is cut at the column lines it crosses, a long prose line between characters, and
each piece is recognised on its own. Text outside tables comes back as lines for the PDF reader's
paragraph path. Everything read here is marked OCR-derived (Location.ocr)."""
from __future__ import annotations

import functools
import importlib.util
from dataclasses import dataclass

from corpus.formats.base import Grid, join_wrapped
from corpus.model import Location

RESOLUTION = 200          # dpi the page is rendered at for recognition
_DARK = 128               # grey level below which a pixel is ink
_H_RUN = 50               # px: shortest horizontal ruling line
_V_RUN = 15               # px: shortest vertical ruling segment (one table row is ~30 px)
_SNAP = 4                 # px: line ends this close meet
_MAX_RATIO = 20           # a prose piece is recognised at most this many times as wide as high
_MIN_SCORE = 0.5          # recognition confidence below which a piece is dropped (RapidOCR's default)


def ocr_available() -> bool:
    return importlib.util.find_spec("rapidocr_onnxruntime") is not None


@functools.lru_cache(maxsize=1)
def _engine():
    from rapidocr_onnxruntime import RapidOCR
    return RapidOCR()


@dataclass(frozen=True)
class _Segment:
    x0: int
    y0: int
    x1: int
    y1: int


@dataclass
class _Table:
    ys: list[int]                       # horizontal line positions, top to bottom
    xs: list[int]                       # vertical line positions, left to right
    horizontal: list[_Segment]
    vertical: list[_Segment]

    @property
    def bbox(self) -> tuple[int, int, int, int]:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]


def ocr_page(page) -> tuple[list[tuple[float, Grid, float]], list[dict]]:
    """(tables as (top, grid, bottom) in points, text lines in pdfplumber's extract_text_lines form)."""
    import numpy as np

    pixels = np.asarray(page.to_image(resolution=RESOLUTION).original.convert("RGB"))
    scale = 72.0 / RESOLUTION
    tables, rules = _find_tables(pixels.mean(axis=2) < _DARK)
    pixels = pixels.copy()
    pixels[rules] = 255            # ruling lines read as strokes (一 over a line is 二): recognise without them
    cells: list[dict[tuple[int, int], list[tuple[float, float, str]]]] = [{} for _ in tables]
    lines: list[dict] = []
    for (x0, top, x1, bottom), k, pieces in _recognise(pixels, tables):
        if k is None:
            text = join_wrapped([t for _, t in pieces])
            if text:
                lines.append({"text": text, "x0": x0 * scale, "x1": x1 * scale, "top": top * scale,
                              "bottom": bottom * scale, "chars": [{"size": (bottom - top) * scale * 0.8}]})
            continue
        for slot, text in pieces:
            if text:
                cells[k].setdefault(slot, []).append(((top + bottom) / 2, x0, text))
    grids = [_grid(page.page_number, table, found, scale) for table, found in zip(tables, cells) if found]
    return grids, _merge_same_line(lines)


def _recognise(pixels, tables: list[_Table]):
    """Per detected text box: (box, table index or None, [(slot or piece number, text)]). A box over a
    table is cut at the table's column lines, a box of prose into pieces the recogniser reads reliably
    (at most _MAX_RATIO times as wide as high); each piece is recognised on its own."""
    engine = _engine()
    boxes, _ = engine.text_det(pixels)
    height, width = pixels.shape[:2]
    plan = []          # (box, k, [(key, (x0, y0, x1, y1))])
    for box in [] if boxes is None else boxes:
        x0, x1 = max(0, int(box[:, 0].min())), min(width, int(box[:, 0].max()) + 1)
        y0, y1 = max(0, int(box[:, 1].min())), min(height, int(box[:, 1].max()) + 1)
        if x1 - x0 < 3 or y1 - y0 < 3:
            continue
        k = _table_at(tables, (x0 + x1) / 2, (y0 + y1) / 2)
        if k is None:
            spans = _prose_spans(pixels, x0, y0, x1, y1)
            plan.append(((x0, y0, x1, y1), None, [(n, (a, y0, b, y1)) for n, (a, b) in enumerate(spans)]))
            continue
        cuts = [x0] + [x for x in tables[k].xs if x0 + 2 < x < x1 - 2] + [x1]
        parts = []
        for a, b in zip(cuts, cuts[1:]):
            slot = _slot(tables[k], (a + b) / 2, (y0 + y1) / 2)
            if slot is not None and b - a > 4:
                parts.append((slot, (a, y0, b, y1)))
        plan.append(((x0, y0, x1, y1), k, parts))
    crops = [pixels[y0:y1, x0:x1] for _, _, parts in plan for _, (x0, y0, x1, y1) in parts]
    results = engine.text_rec(crops)[0] if crops else []
    texts = iter([r[0] if r[1] >= _MIN_SCORE else "" for r in results])
    return [(box, k, [(key, next(texts)) for key, _ in parts]) for box, k, parts in plan]


def _prose_spans(pixels, x0: int, y0: int, x1: int, y1: int) -> list[tuple[int, int]]:
    """[x0, x1) cut between characters into spans at most _MAX_RATIO × the line height wide."""
    h = max(1, y1 - y0)
    ink = (pixels[y0:y1, x0:x1].mean(axis=2) < _DARK).sum(axis=0)
    spans, start = [], 0
    while (x1 - x0) - start > _MAX_RATIO * h:
        lo, hi = start + int(0.6 * _MAX_RATIO * h), start + _MAX_RATIO * h
        cut = lo + _widest_gap(ink[lo:hi])
        spans.append((x0 + start, x0 + cut))
        start = cut
    spans.append((x0 + start, x1))
    return spans


def _widest_gap(ink) -> int:
    """The middle of the longest run of ink-free columns (between characters), else the thinnest column."""
    best, best_len, run_start = None, 0, None
    for i, value in enumerate(list(ink) + [1]):
        if value == 0 and run_start is None:
            run_start = i
        elif value != 0 and run_start is not None:
            if i - run_start > best_len:
                best, best_len = (run_start + i) // 2, i - run_start
            run_start = None
    return best if best is not None else int(ink.argmin())


# ---------------------------------------------------------------- ruling lines -> table grids

def _find_tables(dark):
    """(tables, mask of their ruling lines' pixels)."""
    import cv2
    import numpy as np

    ink = dark.astype(np.uint8)
    h_mask = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, _H_RUN), np.uint8))
    v_mask = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((_V_RUN, 1), np.uint8))
    horizontal, vertical = _segments(h_mask), _segments(v_mask)
    vertical = [v for v in vertical if _touches(v, horizontal)]     # a grid line meets lines at both ends
    groups = _connected(horizontal, vertical)
    tables = []
    for hs, vs in groups:
        if len(hs) < 2 or len(vs) < 2:
            continue
        ys = _cluster([(h.y0 + h.y1) // 2 for h in hs])
        xs = _cluster([(v.x0 + v.x1) // 2 for v in vs])
        if len(ys) >= 2 and len(xs) >= 2:
            tables.append(_Table(ys, xs, hs, vs))
    rules = np.zeros(dark.shape, dtype=bool)
    for segment in (s for table in tables for s in table.horizontal + table.vertical):
        rules[max(0, segment.y0 - 1):segment.y1 + 2, max(0, segment.x0 - 1):segment.x1 + 2] = True
    return sorted(tables, key=lambda t: t.ys[0]), rules


def _segments(mask) -> list[_Segment]:
    import cv2
    count, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    return [_Segment(int(x), int(y), int(x + w - 1), int(y + h - 1)) for x, y, w, h, _ in stats[1:count]]


def _touches(v: _Segment, horizontal: list[_Segment]) -> bool:
    def meets(y: int) -> bool:
        return any(h.x0 - _SNAP <= v.x0 and v.x1 <= h.x1 + _SNAP and h.y0 - _SNAP <= y <= h.y1 + _SNAP
                   for h in horizontal)
    return meets(v.y0) and meets(v.y1)


def _connected(horizontal, vertical) -> list[tuple[list[_Segment], list[_Segment]]]:
    parent = list(range(len(horizontal)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    vertical_of: dict[int, list[_Segment]] = {}
    for v in vertical:
        met = [i for i, h in enumerate(horizontal)
               if h.x0 - _SNAP <= v.x0 and v.x1 <= h.x1 + _SNAP and v.y0 - _SNAP <= h.y1 and h.y0 <= v.y1 + _SNAP]
        for i in met[1:]:
            parent[find(i)] = find(met[0])
        if met:
            vertical_of.setdefault(met[0], []).append(v)
    groups: dict[int, tuple[list, list]] = {}
    for i, h in enumerate(horizontal):
        groups.setdefault(find(i), ([], []))[0].append(h)
    for i, vs in vertical_of.items():
        groups[find(i)][1].extend(vs)
    return list(groups.values())


def _cluster(values: list[int]) -> list[int]:
    out: list[list[int]] = []
    for value in sorted(values):
        if out and value - out[-1][-1] <= _SNAP:
            out[-1].append(value)
        else:
            out.append([value])
    return [sum(c) // len(c) for c in out]


def _table_at(tables: list[_Table], x: float, y: float) -> int | None:
    for k, table in enumerate(tables):
        x0, y0, x1, y1 = table.bbox
        if x0 <= x <= x1 and y0 <= y <= y1:
            return k
    return None


def _slot(table: _Table, x: float, y: float) -> tuple[int, int] | None:
    row = next((i for i in range(len(table.ys) - 1) if table.ys[i] <= y <= table.ys[i + 1]), None)
    col = next((j for j in range(len(table.xs) - 1) if table.xs[j] <= x <= table.xs[j + 1]), None)
    return None if row is None or col is None else _representative(table, row, col)


def _has_vertical(table: _Table, j: int, row: int) -> bool:
    """Is there a ruling line at xs[j] across band `row`?"""
    x, mid = table.xs[j], (table.ys[row] + table.ys[row + 1]) // 2
    return any(abs((v.x0 + v.x1) // 2 - x) <= _SNAP and v.y0 <= mid <= v.y1 for v in table.vertical)


def _has_horizontal(table: _Table, i: int, col: int) -> bool:
    """Is there a ruling line at ys[i] over column `col`?"""
    y, mid = table.ys[i], (table.xs[col] + table.xs[col + 1]) // 2
    return any(abs((h.y0 + h.y1) // 2 - y) <= _SNAP and h.x0 <= mid <= h.x1 for h in table.horizontal)


def _representative(table: _Table, row: int, col: int) -> tuple[int, int]:
    """The top-left slot of the merged cell holding (row, col)."""
    moved = True
    while moved:
        moved = False
        if col > 0 and not _has_vertical(table, col, row):
            col -= 1
            moved = True
        if row > 0 and not _has_horizontal(table, row, col):
            row -= 1
            moved = True
    return row, col


def _cell_text(glyphs: list[tuple[float, float, str]]) -> str:
    """A cell's recognised pieces in reading order: lines by their centres, left to right in a line."""
    lines: list[list[tuple[float, float, str]]] = []
    for glyph in sorted(glyphs):
        if lines and abs(glyph[0] - lines[-1][0][0]) <= 8:
            lines[-1].append(glyph)
        else:
            lines.append([glyph])
    return join_wrapped([join_wrapped([t for _, _, t in sorted(line, key=lambda g: g[1])]) for line in lines])


def _grid(page_number: int, table: _Table, cells, scale: float) -> tuple[float, Grid, float]:
    rows, locations = [], []
    width = len(table.xs) - 1
    for i in range(len(table.ys) - 1):
        rows.append(tuple(_cell_text(cells.get((i, j), [])) for j in range(width)))
        box = (table.xs[0] * scale, table.ys[i] * scale, table.xs[-1] * scale, table.ys[i + 1] * scale)
        locations.append(Location(page=page_number, bbox=tuple(round(v, 1) for v in box), ocr=True))
    keep = [k for k, row in enumerate(rows) if any(row)]
    grid = Grid(tuple(rows[k] for k in keep), tuple(locations[k] for k in keep), blank_before=True)
    return table.ys[0] * scale, grid, table.ys[-1] * scale


def _merge_same_line(lines: list[dict]) -> list[dict]:
    """Recognised pieces side by side on one line become one line, left to right, a space between them."""
    groups: list[list[dict]] = []
    for line in sorted(lines, key=lambda ln: ln["top"]):
        group = groups[-1] if groups else None
        if group is not None:
            top, bottom = min(g["top"] for g in group), max(g["bottom"] for g in group)
            if min(bottom, line["bottom"]) - max(top, line["top"]) > 0.5 * (line["bottom"] - line["top"]):
                group.append(line)
                continue
        groups.append([line])
    out = []
    for group in groups:
        group.sort(key=lambda ln: ln["x0"])
        out.append({"text": " ".join(g["text"] for g in group), "x0": group[0]["x0"],
                    "x1": max(g["x1"] for g in group), "top": min(g["top"] for g in group),
                    "bottom": max(g["bottom"] for g in group), "chars": group[0]["chars"]})
    return out
