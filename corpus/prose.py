"""Facts from prose sentences (placeholder)."""
from __future__ import annotations

from corpus.model import Document, Fact


def extract_prose_facts(doc: Document, table_facts: list[Fact]) -> list[Fact]:
    return []
