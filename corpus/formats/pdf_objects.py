"""A PDF page's characters and ruling lines read with pypdfium2 (PDFium, in C), in pdfplumber's object form.

pdfplumber finds tables and text lines well but reads a page's objects through pdfminer, in Python:
about 20 times slower than PDFium on the seeds. The page's objects are read here instead and handed
to pdfplumber, whose table finder and line clustering then run unchanged. Coordinates are pdfplumber's:
points from the page's top-left corner, `top`/`bottom` from the font's ascent and descent."""
from __future__ import annotations

import ctypes

_AXIS = 0.01   # points: a segment this close to horizontal/vertical is a ruling line


def page_objects(page, top_edge: float, page_number: int, initial_doctop: float = 0.0) -> dict[str, list[dict]]:
    """{'char': [...], 'line': [...]} for one pypdfium2 page; top_edge: the page's top in PDF user space."""
    return {"char": _chars(page, top_edge, page_number, initial_doctop),
            "line": _lines(page, top_edge, page_number, initial_doctop)}


def _chars(page, top_edge: float, page_number: int, doctop: float) -> list[dict]:
    import pypdfium2.raw as raw

    textpage = page.get_textpage()
    try:
        handle = textpage.raw
        left, bottom, right, top = (ctypes.c_double() for _ in range(4))
        rect = raw.FS_RECTF()
        matrix = raw.FS_MATRIX()
        chars = []
        for i in range(raw.FPDFText_CountChars(handle)):
            if raw.FPDFText_IsGenerated(handle, i) == 1:
                continue                         # spaces and line breaks PDFium infers
            code = raw.FPDFText_GetUnicode(handle, i)
            if code in (0, 0xFFFE, 0xFFFF) or code in (0x0A, 0x0D):
                continue
            if not raw.FPDFText_GetLooseCharBox(handle, i, rect):
                if not raw.FPDFText_GetCharBox(handle, i, left, right, bottom, top):
                    continue
                rect.left, rect.right, rect.bottom, rect.top = left.value, right.value, bottom.value, top.value
            raw.FPDFText_GetMatrix(handle, i, matrix)
            size = raw.FPDFText_GetFontSize(handle, i)
            y_top, y_bottom = top_edge - rect.top, top_edge - rect.bottom
            chars.append({
                "object_type": "char", "page_number": page_number, "text": chr(code), "fontname": "",
                "size": size, "upright": abs(matrix.b) < 1e-6 and abs(matrix.c) < 1e-6,
                "matrix": (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f),
                "x0": rect.left, "x1": rect.right, "y0": rect.bottom, "y1": rect.top,
                "width": rect.right - rect.left, "height": rect.top - rect.bottom,
                "top": y_top, "bottom": y_bottom, "doctop": doctop + y_top, "adv": rect.right - rect.left,
                "mcid": None, "tag": None, "ncs": None, "stroking_color": None, "non_stroking_color": None,
            })
        return chars
    finally:
        textpage.close()


def _lines(page, top_edge: float, page_number: int, doctop: float) -> list[dict]:
    import pypdfium2.raw as raw

    lines: list[dict] = []
    count = raw.FPDFPage_CountObjects(page.raw)
    for i in range(count):
        _walk(raw, raw.FPDFPage_GetObject(page.raw, i), (1.0, 0.0, 0.0, 1.0, 0.0, 0.0), lines,
              top_edge, page_number, doctop)
    return lines


def _walk(raw, obj, outer, lines, top_edge, page_number, doctop, depth: int = 0) -> None:
    kind = raw.FPDFPageObj_GetType(obj)
    if kind not in (raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_FORM) or depth > 8:
        return
    m = raw.FS_MATRIX()
    if not raw.FPDFPageObj_GetMatrix(obj, m):
        m.a, m.b, m.c, m.d, m.e, m.f = 1.0, 0.0, 0.0, 1.0, 0.0, 0.0
    matrix = _compose((m.a, m.b, m.c, m.d, m.e, m.f), outer)
    if kind == raw.FPDF_PAGEOBJ_FORM:
        for k in range(raw.FPDFFormObj_CountObjects(obj)):
            _walk(raw, raw.FPDFFormObj_GetObject(obj, k), matrix, lines, top_edge, page_number, doctop, depth + 1)
        return
    width = ctypes.c_float(0.0)
    raw.FPDFPageObj_GetStrokeWidth(obj, width)
    x, y = ctypes.c_float(), ctypes.c_float()
    start = previous = None
    for k in range(raw.FPDFPath_CountSegments(obj)):
        segment = raw.FPDFPath_GetPathSegment(obj, k)
        raw.FPDFPathSegment_GetPoint(segment, x, y)
        point = _apply(matrix, x.value, y.value)
        if raw.FPDFPathSegment_GetType(segment) == raw.FPDF_SEGMENT_MOVETO or previous is None:
            start = previous = point
            continue
        _add(lines, previous, point, width.value, top_edge, page_number, doctop)
        previous = point
        if raw.FPDFPathSegment_GetClose(segment) and start is not None:
            _add(lines, point, start, width.value, top_edge, page_number, doctop)
            previous = start


def _add(lines, a, b, width, top_edge, page_number, doctop) -> None:
    (x0, y0), (x1, y1) = a, b
    if abs(x0 - x1) > _AXIS and abs(y0 - y1) > _AXIS:
        return                                   # diagonal: no ruling line
    if abs(x0 - x1) <= _AXIS and abs(y0 - y1) <= _AXIS:
        return
    if abs(y0 - y1) <= _AXIS:
        y0 = y1 = (y0 + y1) / 2                  # pdfplumber: top == bottom makes a horizontal edge
    else:
        x0 = x1 = (x0 + x1) / 2
    top, bottom = top_edge - max(y0, y1), top_edge - min(y0, y1)
    lines.append({
        "object_type": "line", "page_number": page_number,
        "x0": min(x0, x1), "x1": max(x0, x1), "y0": min(y0, y1), "y1": max(y0, y1),
        "width": abs(x1 - x0), "height": abs(y1 - y0), "top": top, "bottom": bottom, "doctop": doctop + top,
        "pts": [(x0, top_edge - y0), (x1, top_edge - y1)], "linewidth": width, "stroke": True, "fill": False,
        "evenodd": False, "stroking_color": None, "non_stroking_color": None, "mcid": None, "tag": None,
        "dash": None, "path": [("m", (x0, top_edge - y0)), ("l", (x1, top_edge - y1))],
    })


def _compose(inner, outer):
    """inner then outer (PDF row-vector convention: p' = p · inner · outer)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _apply(m, x, y):
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f
