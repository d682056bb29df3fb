"""The figures behind the Browse tab and GET /api/facts: every fact of the corpus (as `budget-qa facts`
prints it), filtered by document, organisation, year, kind, table and item name, paged."""
from __future__ import annotations

import io
from dataclasses import dataclass

from assistant.model import Citation
from corpus.reports.export import CSV_FIELDS, fact_record, write_fact_records
from corpus.model import Fact, Table
from webui.itemsearch import ItemSearch
from webui.sources import SourceLibrary

PROSE = "prose"          # the table choice for figures printed in the text, not in a table
MAX_PAGE_SIZE = 5000


@dataclass(frozen=True)
class FactQuery:
    doc: str | None = None
    org: str | None = None
    year: int | None = None
    kind: str | None = None
    table: str | None = None        # a table_id, or PROSE
    q: str | None = None            # item-name search: Chinese, pinyin initials, English terms
    page: int = 1
    page_size: int = 100


@dataclass(frozen=True)
class FactPage:
    facts: tuple[Fact, ...]          # this page
    total: int                       # matches over all pages
    query: FactQuery

    def to_json(self) -> dict:
        return {"total": self.total, "page": self.query.page, "page_size": self.query.page_size,
                "pages": -(-self.total // self.query.page_size) if self.query.page_size else 1,
                "facts": [fact_record(f) for f in self.facts]}


class FactBrowser:
    """Facts of the library's documents (parsed there once), selected by FactQuery."""

    def __init__(self, library: SourceLibrary, search: ItemSearch | None = None):
        self.library = library
        self.search = search or ItemSearch()

    def documents(self, query: FactQuery):
        """The documents the org / year / kind / doc filters leave, in file order."""
        docs = sorted(self.library.documents(), key=lambda d: d.doc_id)
        return [d for d in docs if (query.doc in (None, d.doc_id)) and (query.org in (None, d.meta.org))
                and (query.year in (None, d.meta.year)) and (query.kind in (None, d.meta.kind))]

    def tables(self, doc_id: str) -> tuple[Table, ...]:
        parsed = self.library.parsed(doc_id)
        return parsed.tables if parsed else ()

    def select(self, query: FactQuery) -> list[Fact]:
        needle = self.search.needle(query.q)
        out: list[Fact] = []
        for doc in self.documents(query):
            parsed = self.library.parsed(doc.doc_id)
            for fact in parsed.facts if parsed else ():
                if query.table == PROSE and fact.table_id is not None:
                    continue
                if query.table not in (None, PROSE) and fact.table_id != query.table:
                    continue
                if needle.text and not (needle.matches(fact.row) or
                                        (fact.row_path and needle.matches(fact.row_path[-1]))):
                    continue
                out.append(fact)
        return out

    def page(self, query: FactQuery) -> FactPage:
        facts = self.select(query)
        size = max(1, min(query.page_size, MAX_PAGE_SIZE))
        start = (max(query.page, 1) - 1) * size
        return FactPage(tuple(facts[start:start + size]), len(facts), query)


def facts_csv(facts: list[Fact]) -> str:
    out = io.StringIO()
    write_fact_records(facts, "csv", out)
    return out.getvalue()


def facts_xlsx(facts: list[Fact]) -> bytes:
    """The same columns as the CSV, one sheet; figures as numbers."""
    from openpyxl import Workbook
    book = Workbook()
    sheet = book.active
    sheet.title = "facts"
    sheet.append(CSV_FIELDS)
    for fact in facts:
        record = fact_record(fact, flat=True)
        row = [record.get(k) for k in CSV_FIELDS]
        row[CSV_FIELDS.index("value")] = fact.value   # a number in the sheet (openpyxl writes Decimal as is)
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def fact_citation(fact: Fact, scope: str | None = None) -> Citation:
    """The citation the chat's source viewer takes, for one fact."""
    return Citation(doc=fact.doc_id, org=fact.org, year=fact.year, kind=fact.kind, table=fact.table, row=fact.row,
                    line=fact.line, quote=fact.quote, value=fact.value, column=" / ".join(fact.column),
                    unit=fact.unit, scope=scope or fact.scope, table_id=fact.table_id, row_code=fact.row_code,
                    year_ref=fact.year_ref)
