"""Parse a document into tables and facts; parse a folder, collecting per-file errors."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from corpus.checks.links import cross_table_checks
from corpus.checks.tables import cross_table_notes
from corpus.tables.facts import table_facts
from corpus.loader import DocumentError, iter_document_paths, load_document
from corpus.metadata import MetadataError
from corpus.model import Check, Document, ParsedDocument, Table
from corpus.prose.facts import extract_prose_facts
from corpus.spaced.tables import parse_spaced_tables
from corpus.tables.tabbed import parse_tabbed_tables


def parse_tables(doc: Document) -> list[Table]:
    """Tab-separated tables where the text has tabs; otherwise space-joined tables."""
    has_tabs = any("\t" in line for line in doc.lines)
    tables = parse_tabbed_tables(doc) if has_tabs else []
    return tables or parse_spaced_tables(doc)


def parse_document(doc: Document) -> ParsedDocument:
    tables = parse_tables(doc)
    notes = cross_table_notes(tables)
    linked = cross_table_checks(tables)
    tables = [replace(t, notes=t.notes + tuple(notes.get(t.table_id, ())),
                      checks=_with_check(t.checks, linked.get(t.table_id))) for t in tables]
    table_lines = frozenset(n for t in tables for n in range(t.line_start, t.line_end + 1))
    facts = [f for t in tables for f in table_facts(doc, t)]
    facts += extract_prose_facts(doc, facts)
    if doc.locations:
        facts = [replace(f, location=doc.location(f.line)) for f in facts]
    return ParsedDocument(document=doc, tables=tuple(tables), facts=tuple(facts),
                          table_lines=table_lines)


def _with_check(checks: tuple[Check, ...], extra: Check | None) -> tuple[Check, ...]:
    """Add a cross-table check; a table it compares is no longer one with 'no arithmetic'."""
    if extra is None:
        return checks
    return tuple(c for c in checks if c.name != "no-arithmetic") + (extra,)


def parse_folder(folder: Path, progress=None) -> tuple[list[ParsedDocument], list[str]]:
    """Every readable document in folder; unreadable ones become error messages, not crashes."""
    parsed: list[ParsedDocument] = []
    errors: list[str] = []
    for path in iter_document_paths(folder):
        if progress:
            progress(path.name)
        try:
            parsed.append(parse_document(load_document(path)))
        except (DocumentError, MetadataError) as exc:
            errors.append(str(exc))
    return parsed, errors
