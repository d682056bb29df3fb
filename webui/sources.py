"""Find the document and table behind a citation, and the filter choices, from the corpus folder."""
from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from assistant.model import Citation
from corpus.loader import DocumentError, iter_document_paths, load_document
from corpus.metadata import MetadataError
from corpus.model import BUDGET, FINAL_ACCOUNTS, Document, ParsedDocument, Table
from corpus.parse import parse_document


@dataclass(frozen=True)
class Facets:
    """Filter choices taken from the corpus documents' own metadata."""
    orgs: tuple[str, ...]
    years: tuple[int, ...]
    kinds: tuple[str, ...]


class SourceLibrary:
    """Parsed documents by file name, parsed lazily and cached; refresh() after the corpus changes."""

    def __init__(self, corpus_dir: Path):
        self.corpus_dir = Path(corpus_dir)
        self._lock = threading.Lock()
        self._documents: dict[str, Document] = {}
        self._parsed: dict[str, ParsedDocument] = {}
        self.errors: list[str] = []
        self.refresh()

    def refresh(self) -> None:
        documents: dict[str, Document] = {}
        errors: list[str] = []
        for path in iter_document_paths(self.corpus_dir):
            try:
                documents[path.name] = load_document(path)
            except (DocumentError, MetadataError) as exc:
                errors.append(str(exc))
        with self._lock:
            self._documents, self._parsed, self.errors = documents, {}, errors

    def documents(self) -> list[Document]:
        with self._lock:
            return list(self._documents.values())

    def document(self, doc_id: str) -> Document | None:
        with self._lock:
            return self._documents.get(doc_id)

    def parsed(self, doc_id: str) -> ParsedDocument | None:
        with self._lock:
            cached = self._parsed.get(doc_id)
            document = self._documents.get(doc_id)
        if cached is not None or document is None:
            return cached
        parsed = parse_document(document)
        with self._lock:
            self._parsed[doc_id] = parsed
        return parsed

    def table_for(self, c: Citation) -> Table | None:
        """The cited table, by table_id; None for prose citations (the viewer then shows the paragraph)."""
        parsed = self.parsed(c.doc) if c.table_id else None
        if parsed is None:
            return None
        return next((t for t in parsed.tables if t.table_id == c.table_id), None)

    def facets(self) -> Facets:
        docs = self.documents()
        kinds = [k for k in (BUDGET, FINAL_ACCOUNTS) if any(d.meta.kind == k for d in docs)]
        return Facets(
            orgs=tuple(sorted({d.meta.org for d in docs})),
            years=tuple(sorted({d.meta.year for d in docs}, reverse=True)),
            kinds=tuple(kinds),
        )
