"""Chroma as the vector store: embedded (PersistentClient under the data dir) or a server (HttpClient).

Connection problems become IndexUnavailableError with a sentence a person can act on.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.model import Chunk

COLLECTION_NAME = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9._-]{1,510}[a-zA-Z0-9]$")


class IndexUnavailableError(RuntimeError):
    """The search index (or the Chroma server behind it) cannot be used; str() is a human sentence."""


def valid_collection_name(name: str) -> str:
    """Chroma accepts 3-512 characters of [a-zA-Z0-9._-], starting and ending with a letter or digit."""
    if not COLLECTION_NAME.match(name) or ".." in name:
        raise ValueError(f"invalid Chroma collection name {name!r}: use 3-512 characters of [a-zA-Z0-9._-]")
    return name


def _chroma_settings():
    from chromadb.config import Settings as ChromaSettings
    return ChromaSettings(anonymized_telemetry=False, allow_reset=False)


def server_label(host: str | None, port: int) -> str:
    return f"http://{host}:{port}" if host else "embedded"


@dataclass
class ChromaStore:
    """One Chroma client (embedded or server) and the collections we keep in it."""
    client: object
    label: str

    @classmethod
    def connect(cls, path: Path | None, host: str | None = None, port: int = 8000) -> "ChromaStore":
        """A server client when host is set, else an embedded store in the folder path."""
        import chromadb
        if host:
            try:
                client = chromadb.HttpClient(host=host, port=port, settings=_chroma_settings())
                client.heartbeat()
            except Exception as exc:  # ValueError, httpx.ConnectError, ... depending on what failed
                raise IndexUnavailableError(
                    f"Cannot reach the Chroma server at {server_label(host, port)}. Start it with "
                    f"`chroma run --path <dir> --host {host} --port {port}`, or unset CHROMA_HOST to use the "
                    f"embedded index. ({exc.__class__.__name__}: {exc})") from None
            return cls(client, server_label(host, port))
        path = Path(path)
        try:
            path.mkdir(parents=True, exist_ok=True)
            client = chromadb.PersistentClient(path=str(path), settings=_chroma_settings())
        except Exception as exc:
            raise IndexUnavailableError(f"Cannot open the embedded Chroma index at {path}: {exc}") from None
        return cls(client, "embedded")

    def _call(self, what: str, fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except IndexUnavailableError:
            raise
        except Exception as exc:
            if self.label != "embedded" and _looks_like_connection_error(exc):
                raise IndexUnavailableError(
                    f"The Chroma server at {self.label} stopped answering while trying to {what}. "
                    f"Check that `chroma run` is still running. ({exc.__class__.__name__}: {exc})") from None
            raise

    def collection_names(self) -> list[str]:
        cols = self._call("list collections", self.client.list_collections)
        return [c if isinstance(c, str) else c.name for c in cols]

    def create(self, name: str, embedding_function=None):
        valid_collection_name(name)
        return self._call("create a collection", self.client.create_collection, name=name,
                          embedding_function=embedding_function, configuration={"hnsw": {"space": "cosine"}},
                          get_or_create=False)

    def get(self, name: str, embedding_function=None):
        try:
            return self._call("open a collection", self.client.get_collection, name=name,
                              embedding_function=embedding_function)
        except IndexUnavailableError:
            raise
        except Exception as exc:
            raise IndexUnavailableError(f"The index collection {name!r} is missing from Chroma "
                                        f"({self.label}); run `budget-qa index`. ({exc})") from None

    def delete(self, name: str) -> None:
        try:
            self._call("delete a collection", self.client.delete_collection, name=name)
        except IndexUnavailableError:
            raise
        except Exception:
            pass  # already gone

    def add_chunks(self, collection, chunks: list[Chunk], vectors: np.ndarray, progress=None) -> None:
        batch = max(1, min(1000, int(self._call("read the batch size", self.client.get_max_batch_size))))
        for start in range(0, len(chunks), batch):
            part = chunks[start:start + batch]
            # texts live in the build's chunks.jsonl; Chroma holds vectors and filterable metadata only
            self._call("add chunks", collection.add, ids=[c.chunk_id for c in part],
                       embeddings=vectors[start:start + len(part)], metadatas=[c.metadata() for c in part])
            if progress:
                progress(len(part))

    def count(self, collection) -> int:
        return int(self._call("count chunks", collection.count))

    def query(self, collection, vector: np.ndarray, n: int, where: dict | None) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity) of the n nearest chunks passing the where filter."""
        result = self._call("search", collection.query, query_embeddings=[vector], n_results=n,
                            where=where or None, include=["distances"])
        ids = result["ids"][0] if result["ids"] else []
        dists = result["distances"][0] if result.get("distances") else [0.0] * len(ids)
        return [(i, 1.0 - float(d)) for i, d in zip(ids, dists)]


def _looks_like_connection_error(exc: Exception) -> bool:
    names = {c.__name__ for c in type(exc).__mro__}
    text = str(exc).lower()
    return bool(names & {"ConnectError", "ConnectTimeout", "ReadTimeout", "RemoteProtocolError",
                         "ConnectionError", "TransportError", "NetworkError"}) or "connect" in text


def where_clause(filters: dict | None) -> dict | None:
    """Chroma `where` for filters on org / year / kind / doc / scope / chunk_type (a list means any of)."""
    if not filters:
        return None
    parts = []
    for key, value in filters.items():
        if value is None or value == [] or key not in FILTER_KEYS:
            continue
        if isinstance(value, (list, tuple, set)):
            parts.append({key: {"$in": [_meta_value(key, v) for v in value]}})
        else:
            parts.append({key: _meta_value(key, value)})
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else {"$and": parts}


FILTER_KEYS = ("org", "year", "kind", "doc", "scope", "chunk_type", "table_id")


def _meta_value(key: str, value):
    return int(value) if key == "year" else str(value)
