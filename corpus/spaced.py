"""Space-joined tables with collapsed columns (placeholder)."""
from __future__ import annotations

from corpus.model import Document, Table


def parse_spaced_tables(doc: Document) -> list[Table]:
    return []
