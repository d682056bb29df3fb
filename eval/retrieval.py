"""Does a retrieval result cover the gold sources? (pure; hits are objects or dicts)."""
from __future__ import annotations

from pathlib import PurePath

from eval.gold import Source


def _field(hit, *names):
    """First non-None field, looked up on the hit, then on its chunk (index.model.Hit wraps a Chunk)."""
    for obj in (hit, hit.get("chunk") if isinstance(hit, dict) else getattr(hit, "chunk", None)):
        if obj is None:
            continue
        for name in names:
            value = obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)
            if value is not None:
                return value
    return None


def hit_span(hit) -> tuple[str, int, int]:
    """(doc, line_start, line_end) of a hit; a one-line hit may give only `line`."""
    doc = _field(hit, "doc", "doc_id")
    start = _field(hit, "line_start", "line")
    end = _field(hit, "line_end", "line_start", "line")
    if doc is None or start is None:
        raise ValueError(f"a search hit needs doc and line_start: {hit!r}")
    return PurePath(str(doc)).name, int(start), int(end)


def hit_json(hit) -> dict:
    doc, start, end = hit_span(hit)
    score = _field(hit, "score")
    return {"doc": doc, "line_start": start, "line_end": end,
            "score": None if score is None else round(float(score), 4)}


def covers(span: tuple[str, int, int], source: Source) -> bool:
    doc, start, end = span
    return doc == source.doc and start <= source.line <= end


def coverage(hits, sources: tuple[Source, ...]) -> tuple[bool, bool]:
    """(all sources covered, any source covered) by the hits."""
    spans = [hit_span(h) for h in hits]
    found = [any(covers(s, src) for s in spans) for src in sources]
    return bool(found) and all(found), any(found)
