"""What a rebuild takes over from the live build, so adding one document costs about that document.

* keyword counts: each chunk's BM25 term counts are kept beside the build (terms.pkl) and reused for
  chunks whose text and context did not change; only new text is tokenized.
* vectors in the embedded store: the previous build's Chroma folder is copied (a file copy), the
  chunks of removed or changed documents are deleted from the copy, and only the new chunks are added.
  With a Chroma server the collection is written whole, as before.
The live build is only read, never written, so a failed rebuild leaves it answering.
"""
from __future__ import annotations

import hashlib
import pickle
import shutil
from pathlib import Path

import numpy as np

from index.bm25 import term_counts
from index.chunks import keyword_fields
from index.model import Chunk

TERMS_FILE = "terms.pkl"


def _key(context: str, body: str) -> str:
    return hashlib.sha1(f"{context}\x00{body}".encode("utf-8")).hexdigest()


def load_terms(folder: Path | None) -> dict[str, dict[str, float]]:
    """The term counts a build kept ({} when there are none or they cannot be read)."""
    if folder is None:
        return {}
    try:
        with open(folder / TERMS_FILE, "rb") as fh:
            terms = pickle.load(fh)
        return terms if isinstance(terms, dict) else {}
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
        return {}


def keyword_counts(chunks: list[Chunk], known: dict[str, dict[str, float]]) -> tuple[list[dict], dict]:
    """(term counts per chunk, the counts to keep by text key), counting only texts not in known."""
    counts, kept = [], {}
    for chunk in chunks:
        context, body = keyword_fields(chunk)
        key = _key(context, body)
        found = known.get(key)
        if found is None:
            found = term_counts(body, context)
        kept[key] = found
        counts.append(found)
    return counts, kept


def save_terms(folder: Path, kept: dict) -> None:
    with open(folder / TERMS_FILE, "wb") as fh:
        pickle.dump(kept, fh, protocol=pickle.HIGHEST_PROTOCOL)


def copy_collection(source_dir: Path, target_dir: Path, connect, old_name: str, new_name: str,
                    keep_ids: set[str], chunks: list[Chunk], vectors: np.ndarray, progress=None):
    """The new build's collection made from a copy of the previous embedded store: chunks not kept are
    deleted, the others added. Returns (store, collection), or None when the copy cannot be used (the
    caller then writes the collection whole)."""
    try:
        shutil.copytree(source_dir, target_dir)
        store = connect(target_dir)
        collection = store.client.get_collection(old_name)
        stale = [i for i in collection.get(include=[])["ids"] if i not in keep_ids]
        for start in range(0, len(stale), 1000):
            collection.delete(ids=stale[start:start + 1000])
        fresh = [i for i, c in enumerate(chunks) if c.chunk_id not in keep_ids]
        if fresh:
            store.add_chunks(collection, [chunks[i] for i in fresh], vectors[fresh], progress=progress)
        if progress:
            progress(len(chunks) - len(fresh))
        collection.modify(name=new_name)
        return store, store.client.get_collection(new_name)
    except Exception:                   # noqa: BLE001 - any trouble with the copy: write the collection whole
        shutil.rmtree(target_dir, ignore_errors=True)
        return None
