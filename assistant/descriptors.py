"""Dense descriptors: what each fact is, in words, embedded with the index's own embedder (e5 by default).

A table fact's descriptor is its row path read with its table title ("一般公共预算 > 差旅费（基本支出表）"); a
prose fact's is the clause around its figure (semantic.view_text). Descriptors are shared by every column
of a row, so about 1,700 texts cover the seeds' 4,400 facts; the matrix is cached on disk like the label
matrix (semantic._embedded). The ranker reads the cosine of the subject phrase with each descriptor as a
feature, and the nearest descriptors of a document join the candidates, so a paraphrase sharing no
character with the printed label ("修东西的钱" → 维修（护）费) can still be ranked."""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from assistant.semantic import QueryMemo, _embedded, query_text, view_text, views_by_doc
from assistant.text import nfkc
from assistant.views import FactView

MAX_CHARS = 120


def descriptor_text(v: FactView) -> str:
    f = v.fact
    if v.prose:
        return view_text(v)[:MAX_CHARS]
    path = " > ".join(p for p in (f.row_path or (f.row,)) if p)
    return nfkc(f"{path}（{f.table}）" if f.table else path).strip()[:MAX_CHARS]


class Descriptors:
    """Descriptor embeddings for a fixed list of fact views; per-view cosines for a subject phrase."""

    def __init__(self, matrix: np.ndarray, text_of_view: np.ndarray, embed_query: Callable,
                 doc_of_view: Sequence[str], spec: str = ""):
        self.matrix = np.asarray(matrix, dtype=np.float32)
        self.text_of_view = np.asarray(text_of_view, dtype=np.int64)
        self.spec = spec
        self._embed_query = embed_query
        self._memo = QueryMemo()
        self._doc_views = views_by_doc(doc_of_view)

    @classmethod
    def build(cls, views: list[FactView], embedder, cache_dir: Path | None = None, progress: bool = True,
              log: Callable[[str], None] | None = None) -> "Descriptors":
        spec = getattr(embedder, "spec", type(embedder).__name__)
        _, matrix, text_of_view = _embedded([descriptor_text(v) for v in views], embedder, cache_dir, spec,
                                            "descriptors", progress, log)
        return cls(matrix, text_of_view, embedder.embed_query, [v.fact.doc_id for v in views], spec)

    def cosines(self, topic: str) -> np.ndarray | None:
        """Cosine of the subject phrase with each view's descriptor (0 where a view has none)."""
        key = query_text(topic)
        if not key or not len(self.matrix):
            return None
        hit = self._memo.get(key)
        if hit is not None:
            return hit
        try:
            q = np.asarray(self._embed_query(key), dtype=np.float32)
        except Exception:               # an embedder failing mid-session: rank without dense descriptors
            return None
        if q.shape != (self.matrix.shape[1],):
            return None
        by_text = self.matrix @ q
        per_view = np.where(self.text_of_view >= 0, by_text[np.maximum(self.text_of_view, 0)], 0.0)
        per_view = per_view.astype(np.float32)
        self._memo.put(key, per_view)
        return per_view

    def nearest(self, doc_id: str, cosines: np.ndarray | None, k: int) -> list[int]:
        """Every view (each column of a row) of the k descriptors of one document closest to the phrase."""
        ix = self._doc_views.get(doc_id)
        if cosines is None or ix is None or not len(ix) or k <= 0:
            return []
        order = ix[np.argsort(-cosines[ix], kind="stable")]
        chosen: list[int] = []
        for i in order:
            t = int(self.text_of_view[i])
            if t >= 0 and t not in chosen:
                chosen.append(t)
                if len(chosen) >= k:
                    break
        keep = np.isin(self.text_of_view[ix], chosen)
        return [int(i) for i in ix[keep]]
