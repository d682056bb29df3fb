"""A small Okapi BM25 keyword index over token lists (see index/tokenize.py)."""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass

import numpy as np

from index.tokenize import tokenize


def term_counts(text: str, context: str | None = None, context_weight: float = 0.3) -> dict[str, float]:
    """Token counts of a text, its context's tokens counting context_weight each."""
    counts: Counter = Counter(tokenize(text))
    if context:
        for token, n in Counter(tokenize(context)).items():
            counts[token] += context_weight * n
    return dict(counts)


@dataclass
class BM25Index:
    postings: dict[str, tuple[np.ndarray, np.ndarray]]  # token -> (doc positions, term frequencies)
    doc_len: np.ndarray
    k1: float = 1.2
    b: float = 0.45

    @classmethod
    def build(cls, texts: list[str], k1: float = 1.2, b: float = 0.45, contexts: list[str] | None = None,
              context_weight: float = 0.3) -> "BM25Index":
        """Index texts; an optional context per text (a title, a heading path) counts context_weight
        per occurrence instead of 1 (a light BM25F)."""
        counts = [term_counts(text, contexts[i] if contexts is not None else None, context_weight)
                  for i, text in enumerate(texts)]
        return cls.from_counts(counts, k1, b)

    @classmethod
    def from_counts(cls, counts: list[dict[str, float]], k1: float = 1.2, b: float = 0.45) -> "BM25Index":
        """Index texts already counted by term_counts (a rebuild reuses the counts of unchanged chunks)."""
        lists: dict[str, tuple[list[int], list[float]]] = defaultdict(lambda: ([], []))
        lengths = []
        for i, text_counts in enumerate(counts):
            lengths.append(sum(text_counts.values()))
            for token, tf in text_counts.items():
                docs, tfs = lists[token]
                docs.append(i)
                tfs.append(tf)
        postings = {t: (np.asarray(d, dtype=np.int32), np.asarray(f, dtype=np.float32)) for t, (d, f) in lists.items()}
        return cls(postings, np.asarray(lengths, dtype=np.float32), k1, b)

    @property
    def size(self) -> int:
        return len(self.doc_len)

    def idf(self, token: str) -> float:
        df = len(self.postings[token][0]) if token in self.postings else 0
        return math.log(1 + (self.size - df + 0.5) / (df + 0.5))

    def scores(self, query: str | list[str], extra: dict[str, float] | None = None) -> np.ndarray:
        """BM25 score of every indexed text for the query (0 where nothing matches); extra maps
        further tokens (synonyms, document-picking words) to their own query weights."""
        weights = {t: n ** 0.5 for t, n in Counter(tokenize(query) if isinstance(query, str) else query).items()}
        for token, weight in (extra or {}).items():
            weights[token] = max(weights.get(token, 0.0), weight)
        scores = np.zeros(self.size, dtype=np.float32)
        if not self.size:
            return scores
        avg = float(self.doc_len.mean()) or 1.0
        for token, weight in weights.items():
            if token not in self.postings:
                continue
            docs, tf = self.postings[token]
            norm = tf + self.k1 * (1 - self.b + self.b * self.doc_len[docs] / avg)
            scores[docs] += weight * self.idf(token) * tf * (self.k1 + 1) / norm
        return scores

    def top(self, query: str, k: int = 10, mask: np.ndarray | None = None) -> list[tuple[int, float]]:
        scores = self.scores(query)
        if mask is not None:
            scores = np.where(mask, scores, 0.0)
        order = np.argsort(-scores, kind="stable")[:k]
        return [(int(i), float(scores[i])) for i in order if scores[i] > 0]
