"""Typed records of the index layer: what is searched (Chunk) and what a search returns (Hit)."""
from __future__ import annotations

from dataclasses import asdict, dataclass

TABLE = "table"      # a whole table (or one part of a big table), Markdown with a context header
ROW = "row"          # one table row: path, column headers and values
PROSE = "prose"      # one paragraph / bullet of running text
SECTION = "section"  # a short heading section (heading + its paragraphs), for questions spanning a list
CHUNK_TYPES = (TABLE, ROW, PROSE, SECTION)


@dataclass(frozen=True)
class Chunk:
    chunk_id: str
    text: str                     # what is shown, embedded and keyword-indexed
    doc_id: str
    org: str
    year: int
    kind: str                     # 预算 / 决算
    scope: str | None             # 本级 / 汇总 where stated
    chunk_type: str               # one of CHUNK_TYPES
    table_id: str | None          # parsed table id; None for prose and for unparsed table-like blocks
    table_title: str
    line_start: int               # 1-based, inclusive
    line_end: int                 # 1-based, inclusive
    heading: str = ""             # heading path for prose, e.g. "第三部分 … > （四）项目支出"
    row_code: str | None = None   # 科目编码 of a row chunk
    row_label: str | None = None  # row label of a row chunk
    dense_text: str = ""          # what the embedder sees (body without the repeated document header)

    @property
    def embed_text(self) -> str:
        return self.dense_text or self.text

    def covers(self, doc_id: str, line: int) -> bool:
        return doc_id == self.doc_id and self.line_start <= line <= self.line_end

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> "Chunk":
        return cls(**data)

    def metadata(self) -> dict:
        """Flat, None-free metadata for the vector store (filters use org, year, kind, doc, chunk_type)."""
        return {
            "doc": self.doc_id, "org": self.org, "year": self.year, "kind": self.kind,
            "scope": self.scope or "", "chunk_type": self.chunk_type, "table_id": self.table_id or "",
            "table_title": self.table_title, "line_start": self.line_start, "line_end": self.line_end,
            "heading": self.heading,
        }


@dataclass(frozen=True)
class Hit:
    chunk: Chunk
    score: float
    focus: tuple[Chunk, ...] = ()   # the rows / paragraphs inside chunk that matched, best first

    def to_json(self) -> dict:
        c = self.chunk
        return {
            "doc": c.doc_id, "line_start": c.line_start, "line_end": c.line_end, "text": c.text,
            "score": round(self.score, 6), "chunk_id": c.chunk_id, "chunk_type": c.chunk_type,
            "org": c.org, "year": c.year, "kind": c.kind, "scope": c.scope,
            "table_id": c.table_id, "table_title": c.table_title, "heading": c.heading,
            "row_code": c.row_code, "row_label": c.row_label,
            "focus": [{"chunk_id": f.chunk_id, "chunk_type": f.chunk_type, "line_start": f.line_start,
                       "line_end": f.line_end, "row_label": f.row_label, "row_code": f.row_code}
                      for f in self.focus],
        }
