"""The one object the assistant uses: open once, then search chunks, look up facts and tables."""
from __future__ import annotations

import sys
from pathlib import Path

from corpus.model import Document, ParsedDocument, Table
from index.adapters import ChromaEmbeddingFunction
from index.build import (IndexPaths, LoadedBuild, build_index, collection_exists, index_key, is_stale, load_build,
                         open_store, read_pointer)
from index.embedders import Embedder, make_embedder
from index.facts import FactStore
from index.model import Chunk, Hit
from index.retrieval import FusionConfig, HybridRetriever
from index.store import ChromaStore, IndexUnavailableError
from index.terms import Glossary

__all__ = ["SearchIndex", "Hit", "Chunk", "IndexUnavailableError"]


class SearchIndex:
    def __init__(self, loaded: LoadedBuild, store: ChromaStore, collection, embedder: Embedder,
                 config: FusionConfig | None = None):
        self.build_id: str = loaded.pointer["build"]
        self.manifest: dict = loaded.manifest
        self.chunks: list[Chunk] = loaded.chunks
        self.parsed: list[ParsedDocument] = loaded.parsed
        self.facts = FactStore([f for p in loaded.parsed for f in p.facts])
        self.embedder = embedder
        self._store = store
        self._collection = collection
        self._tables = {t.table_id: t for p in loaded.parsed for t in p.tables}
        self.dense_error: str | None = None
        self.retriever = HybridRetriever(loaded.chunks, loaded.bm25, self._dense, Glossary.load(), config)

    @classmethod
    def open(cls, settings, build_if_missing: bool = True, progress: bool = True,
             embedder: Embedder | None = None) -> "SearchIndex":
        """Load the live index for settings (embedder, data dir, Chroma). With build_if_missing, a
        missing or out-of-date index (documents added/changed/removed, code changed) is built first."""
        paths = IndexPaths(Path(settings.data_dir),
                           index_key(settings.embedder, settings.chroma_host, settings.chroma_port))
        pointer = read_pointer(paths)
        loaded = None
        if pointer:
            try:
                loaded = load_build(paths, pointer)
            except IndexUnavailableError:
                if not build_if_missing:
                    raise
        if loaded is not None and not collection_exists(paths, settings, loaded.pointer):
            if not build_if_missing:
                raise IndexUnavailableError(f"The index's vector collection is missing from Chroma; run "
                                            f"`budget-qa index`.")
            loaded = None
        if loaded is not None and build_if_missing and is_stale(loaded.manifest, settings.corpus_dir, settings.embedder):
            loaded = None
        if loaded is None:
            if not build_if_missing:
                raise IndexUnavailableError(f"No index for embedder {settings.embedder!r} in {paths.data_dir}; "
                                            f"run `budget-qa index` first.")
            embedder = embedder or make_embedder(settings.embedder)
            report = build_index(settings, progress=progress, embedder=embedder,
                                 log=(lambda m: print(m, file=sys.stderr)) if progress else (lambda m: None))
            if progress and not report.up_to_date:
                print(report.summary(), file=sys.stderr)
            loaded = load_build(paths)
        store = open_store(paths, settings, loaded.pointer["build"])
        embedder = embedder or make_embedder(settings.embedder)
        collection = store.get(loaded.pointer["collection"], embedding_function=ChromaEmbeddingFunction(embedder))
        return cls(loaded, store, collection, embedder)

    # -- search -------------------------------------------------------------------------------
    def _dense(self, query: str, n: int, filters: dict | None) -> list[tuple[str, float]]:
        """Nearest chunks from Chroma. If the Chroma server stops answering mid-session, searches go on
        with keywords only; the reason is kept in dense_error and printed once."""
        from index.store import where_clause
        vector = self.embedder.embed_query(query)
        try:
            return self._store.query(self._collection, vector, n, where_clause(filters))
        except IndexUnavailableError as exc:
            if self.dense_error is None:
                print(f"warning: {exc} Searching with keywords only.", file=sys.stderr)
            self.dense_error = str(exc)
            return []

    def warm_up(self) -> None:
        """Load what the first search would otherwise load (jieba's dictionary, the vector index pages,
        the embedder's buffers): about a second once, so later searches take milliseconds."""
        for query in ("预算支出合计是多少", "How much is the total budget?"):
            self.search(query, k=1)

    def search(self, query: str, k: int = 5, filters: dict | None = None,
               history: list[dict] | None = None) -> list[Hit]:
        """Top-k chunks for the query. filters: org, year, kind, doc, scope, chunk_type, table_id
        (a value or a list of values; org may be given loosely, e.g. 江门市医疗保障局). history: the
        earlier turns [{"role", "content"}]; a follow-up is searched together with the last user turn."""
        return self.retriever.search(query, k, filters, history)

    # -- structured access ---------------------------------------------------------------------
    def get_table(self, table_id: str) -> Table | None:
        return self._tables.get(table_id)

    def tables(self, doc: str | None = None) -> list[Table]:
        return [t for t in self._tables.values() if doc is None or t.doc_id == doc]

    def documents(self) -> list[Document]:
        return [p.document for p in self.parsed]

    def parsed_document(self, doc_id: str) -> ParsedDocument | None:
        return next((p for p in self.parsed if p.document.doc_id == doc_id), None)

    def chunk(self, chunk_id: str) -> Chunk | None:
        return next((c for c in self.chunks if c.chunk_id == chunk_id), None)
