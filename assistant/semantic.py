"""Semantic matching of row labels and prose items: the topic phrase and every distinct label are
embedded with the project's embedder (index.embedders; USE multilingual by default, so an English
or colloquial topic meets the Chinese label it means). The label matrix is cached on disk, keyed by
a hash of the label list and the embedder, so start-up only reads one .npy file.

The similarity is turned into a strength in [0, 1] (`strength`) that matching.score_view fuses with
the lexical coverage; a weak similarity contributes nothing, so it cannot turn a refusal into an answer."""
from __future__ import annotations

import hashlib
import re
import sys
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from assistant.text import nfkc
from assistant.views import FactView

# cosine -> strength, relative to how close the topic is to labels in general: a label counts from
# max(FLOOR, the topic's BACKGROUND percentile over all labels) and fully SPAN above it (USE multilingual,
# probed on this corpus: the right label of an English or colloquial topic sits 0.15-0.35 above that level,
# the 98th percentile; near misses within 0.1 of it)
FLOOR = 0.45
BACKGROUND = 98
SPAN = 0.20
# an item read with its stated purpose (longer texts, fewer of them): from max(PURPOSE_FLOOR, the topic's 98th
# percentile over the purpose texts); probed: the item a description means sits 0.2-0.3 above that level,
# near misses within 0.1 of it, absent topics (gym memberships, the fund's own pooled spending) below the floor
PURPOSE_FLOOR = 0.35
PURPOSE_SPAN = 0.15      # purpose texts are longer and closer to one another: a smaller margin is as telling
QUERY_MEMO = 256
CACHE_VERSION = "2"
KEEP_CACHES = 3          # label matrices kept per embedder (older corpora's files are removed)
EMBED_BATCH = 128
SHORT_LABEL = 6          # a prose label this short ("累计服务", "单价") is read with its sentence
CONTEXT_CHARS = 40
_NOISE_EN = re.compile(r"\b(?:in|on|to|of|for|is|are|was|as|at|plans?|planned|planning|budgeted|spend|spends|spent|"
                       r"spending|set aside|went|goes|go|put|into|much|how|what|its?)\b", re.I)


def view_text(v: FactView) -> str:
    """What a fact is about, in words: a row's label; a total row's table title; a prose item's
    label (read with the start of its sentence when the label alone says little) and the noun after
    a count."""
    if v.prose:
        text = v.label if len(v.label_key) >= 4 or not v.clause_key else v.clause_key
        key = v.label_key or v.clause_key
        if len(key) <= SHORT_LABEL and v.sentence_key:
            at = v.sentence_key.find(key)
            if at > 0:
                text = v.sentence_key[max(0, at + len(key) - CONTEXT_CHARS):at + len(key)]
        if v.post_key:
            text = f"{text} {v.post_key}"
        return nfkc(text).strip()
    if v.total_row:
        return v.table_key
    return nfkc(v.label).strip()


def purpose_text(v: FactView) -> str:
    """An item read with what the document says it is for ("智能核卡项目：用于人脸识别查房筛查…"), so that a
    question describing the use meets the item; "" when no purpose is stated."""
    if not v.purpose:
        return ""
    label = nfkc(v.label).strip() if not v.total_row else v.table_key
    return f"{label}：{nfkc(v.purpose).strip()}"


def query_text(topic: str) -> str:
    """The topic as embedded: English function words and spending verbs carry no meaning to match."""
    text = _NOISE_EN.sub(" ", nfkc(topic))
    return re.sub(r"\s+", " ", text).strip().lower() or nfkc(topic).strip().lower()


def strength(cos: np.ndarray, base: float, floor: float = FLOOR, span: float = SPAN) -> np.ndarray:
    return np.clip((cos - max(floor, base)) / span, 0.0, 1.0)


class SemanticLabels:
    """Label embeddings for a fixed list of fact views, and per-view strengths for a topic."""

    def __init__(self, texts: list[str], matrix: np.ndarray, text_of_view: np.ndarray, embed_query: Callable,
                 doc_of_view: Sequence[str], spec: str = "", purposes: tuple | None = None):
        self.texts = texts
        self.matrix = np.asarray(matrix, dtype=np.float32)
        self.text_of_view = text_of_view          # view idx -> row of matrix (-1: no text)
        self.spec = spec
        # (texts, matrix, text_of_view) of items read with their stated purpose (purpose_text)
        self.purpose_texts, self.purpose_matrix, self.purpose_of_view = purposes or (
            [], np.zeros((0, self.matrix.shape[1] if self.matrix.ndim == 2 else 1), dtype=np.float32),
            np.full(len(text_of_view), -1, dtype=np.int64))
        self.purpose_matrix = np.asarray(self.purpose_matrix, dtype=np.float32)
        self._embed_query = embed_query
        self._memo = QueryMemo()
        self._doc_views = views_by_doc(doc_of_view)

    @classmethod
    def build(cls, views: list[FactView], embedder, cache_dir: Path | None = None, progress: bool = True,
              log: Callable[[str], None] | None = None) -> "SemanticLabels":
        spec = getattr(embedder, "spec", type(embedder).__name__)
        texts, matrix, text_of_view = _embedded([view_text(v) for v in views], embedder, cache_dir, spec, "labels",
                                                progress, log)
        purposes = _embedded([purpose_text(v) for v in views], embedder, cache_dir, spec, "purposes", progress, log)
        return cls(texts, matrix, text_of_view, embedder.embed_query, [v.fact.doc_id for v in views], spec, purposes)

    def _lookup(self, topic: str) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        key = query_text(topic)
        if not key or not self.texts:
            return None
        hit = self._memo.get(key)
        if hit is not None:
            return hit
        try:
            q = np.asarray(self._embed_query(key), dtype=np.float32)
        except Exception:               # an embedder failing mid-session: this topic is matched by words only
            return None
        if q.shape != (self.matrix.shape[1],):
            return None
        by_text = self.matrix @ q
        per_view = np.where(self.text_of_view >= 0, by_text[np.maximum(self.text_of_view, 0)], 0.0).astype(np.float32)
        sure = strength(per_view, float(np.percentile(by_text, BACKGROUND)))
        purpose = np.zeros_like(sure)
        if len(self.purpose_texts):
            # an item whose stated purpose is what the topic describes (the purpose texts' own background)
            by_purpose = self.purpose_matrix @ q
            of_view = np.where(self.purpose_of_view >= 0, by_purpose[np.maximum(self.purpose_of_view, 0)], -1.0)
            purpose = strength(of_view, float(np.percentile(by_purpose, BACKGROUND)), PURPOSE_FLOOR, PURPOSE_SPAN)
        hit = (per_view, sure.astype(np.float32), purpose.astype(np.float32))
        self._memo.put(key, hit)
        return hit

    def cosines(self, topic: str) -> np.ndarray | None:
        """Cosine of the topic with each view's text (0 for views without text); memoised per topic."""
        hit = self._lookup(topic)
        return None if hit is None else hit[0]

    def strengths(self, topic: str) -> np.ndarray | None:
        """Per-view strength in [0, 1]: how far the label stands out above the topic's background."""
        hit = self._lookup(topic)
        return None if hit is None else hit[1]

    def purpose_strengths(self, topic: str) -> np.ndarray | None:
        """Per-view strength of the item read with its stated purpose alone (0 where none is stated)."""
        hit = self._lookup(topic)
        return None if hit is None else hit[2]

    def either(self, topic: str) -> np.ndarray | None:
        """Per-view strength of the label or of the label read with its stated purpose, whichever is higher."""
        hit = self._lookup(topic)
        return None if hit is None else np.maximum(hit[1], hit[2])

    def candidates(self, doc_id: str, strengths: np.ndarray | None, minimum: float = 0.5,
                   limit: int = 40) -> list[int]:
        """View indices of one document the topic is semantically close to, best first. Views sharing
        no words with the topic need a strong similarity to matter, so weaker ones are left out."""
        if strengths is None:
            return []
        ix = self._doc_views.get(doc_id)
        if ix is None or not len(ix):
            return []
        s = strengths[ix]
        keep = ix[s >= minimum]
        if len(keep) > limit:
            keep = keep[np.argsort(-strengths[keep], kind="stable")[:limit]]
        return [int(i) for i in keep]


class QueryMemo:
    """A small thread-safe LRU of per-topic results (the web app may ask from several threads)."""

    def __init__(self, size: int = QUERY_MEMO):
        self.size = size
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            hit = self._items.get(key)
            if hit is not None:
                self._items.move_to_end(key)
            return hit

    def put(self, key, value) -> None:
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)


def views_by_doc(doc_of_view: Sequence[str]) -> dict[str, np.ndarray]:
    """doc id -> the indices of its views."""
    by_doc: dict[str, list[int]] = {}
    for i, d in enumerate(doc_of_view):
        by_doc.setdefault(d, []).append(i)
    return {d: np.asarray(ix, dtype=np.int64) for d, ix in by_doc.items()}


def cache_path(cache_dir: Path, spec: str, texts: list[str], kind: str = "labels") -> Path:
    h = hashlib.sha1(f"{CACHE_VERSION}\x00{spec}\x00".encode("utf-8"))
    h.update("\x1f".join(texts).encode("utf-8"))
    from index.embedders import embedder_slug
    return Path(cache_dir) / "semantic" / f"{kind}-{embedder_slug(spec)}-{h.hexdigest()[:16]}.npy"


def _embedded(texts_of_view: list[str], embedder, cache_dir: Path | None, spec: str, kind: str, progress: bool,
              log: Callable[[str], None] | None) -> tuple[list[str], np.ndarray, np.ndarray]:
    """(distinct texts, their embeddings, view -> text row or -1), the matrix read from or written to the cache."""
    texts = sorted({t for t in texts_of_view if t})
    position = {t: i for i, t in enumerate(texts)}
    text_of_view = np.asarray([position.get(t, -1) for t in texts_of_view], dtype=np.int64)
    matrix = None
    path = cache_path(cache_dir, spec, texts, kind) if cache_dir is not None else None
    if path is not None and path.exists():
        try:
            loaded = np.load(path, allow_pickle=False)
            if loaded.shape[0] == len(texts):
                matrix = loaded
        except (OSError, ValueError):
            matrix = None                # a damaged cache is rebuilt
    if matrix is None:
        matrix = _embed_new(embedder, texts, cache_dir, spec, progress, kind)
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = path.with_suffix(".tmp.npy")
                np.save(tmp, matrix, allow_pickle=False)
                tmp.replace(path)
                _prune(path)
            except OSError as exc:
                (log or (lambda m: print(m, file=sys.stderr)))(
                    f"budget-qa: could not cache label embeddings in {path.parent} ({exc})")
    return texts, matrix, text_of_view


def _prune(latest: Path) -> None:
    """Keep the newest KEEP_CACHES label matrices of this embedder; the rest belong to old corpora."""
    prefix = latest.name.rsplit("-", 1)[0]
    files = sorted(latest.parent.glob(f"{prefix}-*.npy"), key=lambda f: f.stat().st_mtime, reverse=True)
    for old in files[KEEP_CACHES:]:
        if old != latest:
            old.unlink(missing_ok=True)


def _embed_new(embedder, texts: list[str], cache_dir: Path | None, spec: str, progress: bool, kind: str) -> np.ndarray:
    """Embeddings of texts, reading those embedded before (by any corpus) from the per-text cache the index
    also uses, so adding a document embeds only its new labels and descriptors. A cache that cannot be
    read or written is passed by: everything is embedded."""
    if cache_dir is not None and texts:
        import sqlite3
        from tqdm import tqdm
        from index.embcache import EmbeddingCache, embed_cached
        from index.embedders import embedder_slug
        try:
            store = EmbeddingCache(Path(cache_dir) / f"embeddings-{embedder_slug(spec)}.sqlite")
            try:
                with tqdm(total=0, desc=f"embedding {kind}", unit="text", file=sys.stderr, leave=False,
                          disable=not progress) as bar:
                    vectors, _ = embed_cached(store, spec, texts, embedder.embed_documents, EMBED_BATCH,
                                              bar.reset, bar.update)
                return vectors
            finally:
                store.close()
        except (sqlite3.Error, OSError):
            pass
    return _embed_all(embedder, texts, progress, desc=f"embedding {kind}")


def _embed_all(embedder, texts: list[str], progress: bool, batch: int = EMBED_BATCH,
               desc: str = "embedding labels") -> np.ndarray:
    if not texts:
        return np.zeros((0, getattr(embedder, "dim", 1)), dtype=np.float32)
    parts = []
    steps = range(0, len(texts), batch)
    if progress:
        try:
            from tqdm import tqdm
            steps = tqdm(steps, desc=desc, unit="batch", file=sys.stderr, leave=False)
        except ImportError:
            pass
    for start in steps:
        parts.append(np.asarray(embedder.embed_documents(texts[start:start + batch]), dtype=np.float32))
    return np.vstack(parts)
