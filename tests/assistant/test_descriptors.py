"""Dense descriptors: one text per row (shared by its columns) or per prose figure, and the nearest rows of a document."""
from __future__ import annotations

import hashlib

import numpy as np

from assistant.descriptors import Descriptors, descriptor_text


class BagOfCharacters:
    """A deterministic stand-in embedder: normalised character counts hashed into 64 dimensions."""
    spec = "bag"
    dim = 64

    def _one(self, text: str) -> np.ndarray:
        v = np.zeros(self.dim, dtype=np.float32)
        for ch in text:
            v[int(hashlib.md5(ch.encode()).hexdigest(), 16) % self.dim] += 1
        n = np.linalg.norm(v)
        return v / n if n else v

    def embed_documents(self, texts):
        return np.vstack([self._one(t) for t in texts])

    def embed_query(self, text):
        return self._one(text)


def test_every_column_of_a_row_shares_one_descriptor(kb):
    row = [v for v in kb.views if v.fact.doc_id.startswith("000") and v.fact.row == "邮电费" and not v.prose]
    by_line: dict[int, set] = {}
    for v in row:
        by_line.setdefault(v.fact.line, set()).add(descriptor_text(v))
    assert by_line and all(len(texts) == 1 for texts in by_line.values())
    assert all("邮电费" in t for texts in by_line.values() for t in texts)


def test_a_prose_figure_is_described_by_its_clause(kb):
    prose = next(v for v in kb.views if v.prose and "自助设备" in v.fact.row)
    assert "自助设备" in descriptor_text(prose)


def test_nearest_rows_come_with_all_their_columns(kb, tmp_path):
    d = Descriptors.build(kb.views, BagOfCharacters(), tmp_path, progress=False)
    doc = next(k for k in kb.by_doc if k.startswith("003"))
    cos = d.cosines("差旅费")
    near = d.nearest(doc, cos, 1)
    assert near and all(kb.views[i].fact.doc_id == doc for i in near)
    assert len({descriptor_text(kb.views[i]) for i in near}) == 1
    text = descriptor_text(kb.views[near[0]])
    same = {v.idx for v in kb.doc_views(doc) if descriptor_text(v) == text}
    assert same == set(near)
    # the matrix is cached: a second build reads it back instead of embedding
    again = Descriptors.build(kb.views, BagOfCharacters(), tmp_path, progress=False)
    assert np.allclose(again.matrix, d.matrix)
    assert list((tmp_path / "semantic").glob("descriptors-*.npy"))
