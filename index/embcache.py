"""A persistent cache of passage embeddings keyed by (embedder, text), so rebuilds embed only new text."""
from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import numpy as np


def text_key(spec: str, text: str) -> str:
    return hashlib.sha1(f"{spec}\x00{text}".encode("utf-8")).hexdigest()


class EmbeddingCache:
    def __init__(self, path: Path):
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.path = Path(path)
        self._db = sqlite3.connect(str(path))
        self._db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, dim INTEGER, vec BLOB)")

    def get_many(self, keys: list[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        for start in range(0, len(keys), 500):
            part = keys[start:start + 500]
            marks = ",".join("?" * len(part))
            for key, dim, blob in self._db.execute(f"SELECT key, dim, vec FROM vectors WHERE key IN ({marks})", part):
                vec = np.frombuffer(blob, dtype=np.float32)
                if vec.shape[0] == dim:
                    found[key] = vec
        return found

    def put_many(self, items: dict[str, np.ndarray]) -> None:
        rows = [(k, int(v.shape[0]), np.asarray(v, dtype=np.float32).tobytes()) for k, v in items.items()]
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO vectors (key, dim, vec) VALUES (?, ?, ?)", rows)

    def clear(self) -> None:
        with self._db:
            self._db.execute("DELETE FROM vectors")

    def close(self) -> None:
        self._db.close()


def embed_cached(cache: EmbeddingCache, spec: str, texts: list[str], embed, batch: int,
                 started=None, progress=None) -> tuple[np.ndarray | None, int]:
    """(vectors of texts, how many were embedded now): texts seen before are read from the cache, the rest
    are embedded batch by batch with embed(list of texts) and stored as each batch is done, so an interrupted
    run keeps what it embedded. started(n) is told how many texts are to be embedded, progress(n) is called
    after each batch. The vectors are None when there are no texts."""
    keys = [text_key(spec, t) for t in texts]
    known = cache.get_many(keys)
    missing = [i for i, k in enumerate(keys) if k not in known]
    if started:
        started(len(missing))
    for start in range(0, len(missing), batch):
        part = missing[start:start + batch]
        fresh = {keys[i]: v for i, v in zip(part, embed([texts[i] for i in part]))}
        cache.put_many(fresh)
        known.update(fresh)
        if progress:
            progress(len(part))
    vectors = np.stack([known[k] for k in keys]).astype(np.float32) if keys else None
    return vectors, len(missing)
