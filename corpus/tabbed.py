"""Tab-separated tables (placeholder)."""
from __future__ import annotations

from corpus.model import Document, Table


def parse_tabbed_tables(doc: Document) -> list[Table]:
    return []
