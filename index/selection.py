"""From fused candidates to hits: "small to big" parents, nesting, one hit per parent.

A matched row is shown as the table part that holds it and a paragraph as the short section that
holds it; the matched chunks become the hit's focus. A hit inside a better hit is folded into it, and
a wider hit swallows the hits it contains.
"""
from __future__ import annotations

import numpy as np

from index.fusion import Ranking
from index.model import PROSE, ROW, SECTION, TABLE, Chunk, Hit


def inside(chunk: Chunk, other: Chunk) -> bool:
    return chunk.doc_id == other.doc_id and other.line_start <= chunk.line_start and chunk.line_end <= other.line_end


def parents(chunks: list[Chunk]) -> list[int]:
    """For each chunk, the chunk it is shown as: a row's table part (the part of the same parsed table,
    or the unparsed block, spanning the row), a paragraph's smallest section; else itself."""
    holders: dict[str, list[int]] = {}
    for i, c in enumerate(chunks):
        if c.chunk_type in (TABLE, SECTION):
            holders.setdefault(c.doc_id, []).append(i)
    result = list(range(len(chunks)))
    for i, c in enumerate(chunks):
        if c.chunk_type not in (ROW, PROSE):
            continue
        want = TABLE if c.chunk_type == ROW else SECTION
        best = None
        for j in holders.get(c.doc_id, ()):
            p = chunks[j]
            if p.chunk_type != want or not inside(c, p) or (want == TABLE and p.table_id != c.table_id):
                continue
            if best is None or (p.line_end - p.line_start) < (chunks[best].line_end - chunks[best].line_start):
                best = j
        if best is not None:
            result[i] = best
    return result


def select_hits(fused: Ranking, chunks: list[Chunk], parent_of: list[int] | None, k: int,
                mask: np.ndarray | None = None, dedupe: bool = True) -> list[Hit]:
    """The best k hits from fused (chunk index, score) pairs, best first."""
    picked: dict[int, list] = {}          # shown chunk -> [score, focus chunk indices]
    order: list[int] = []
    for i, score in fused:
        shown = parent_of[i] if parent_of is not None else i
        if mask is not None and not mask[shown]:
            shown = i                     # the filters exclude the parent (e.g. chunk_type=row)
        focus = [i] if i != shown else []
        if shown in picked:
            picked[shown][1] += focus
            continue
        chunk = chunks[shown]
        if dedupe:
            holder = next((p for p in order if inside(chunk, chunks[p])), None)
            if holder is not None:        # already shown inside a better hit
                picked[holder][1] += focus or [shown]
                continue
            inner = [p for p in order if inside(chunks[p], chunk)]
            if inner:                     # a wider hit swallows the hits it contains, at the best one's place
                place = order.index(inner[0])
                gathered = [f for p in inner for f in [p] + picked[p][1]]
                best = max(picked[p][0] for p in inner)
                for p in inner:
                    order.remove(p)
                    del picked[p]
                order.insert(place, shown)
                picked[shown] = [best, gathered + focus]
                continue
        if len(order) == k:
            continue                      # keep collecting focus for the hits already chosen
        picked[shown] = [score, focus]
        order.append(shown)
    return [Hit(chunks[p], picked[p][0], tuple(chunks[f] for f in dict.fromkeys(picked[p][1]) if f != p))
            for p in order]
