"""Typed answers: every figure carries the citation of the cell or sentence it came from."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Citation:
    doc: str
    org: str
    year: int
    kind: str
    table: str
    row: str
    line: int
    quote: str
    value: Decimal | None = None
    column: str = ""
    unit: str | None = None
    scope: str | None = None
    table_id: str | None = None
    row_code: str | None = None
    year_ref: int | None = None    # the earlier year a figure refers to (较2023年增加 …), when not the doc year
    where: str = ""                # page / sheet for PDF, DOCX, XLSX sources ("p. 12"); "" for text

    def to_json(self) -> dict:
        return {
            "doc": self.doc, "org": self.org, "scope": self.scope, "year": self.year, "year_ref": self.year_ref,
            "kind": self.kind, "table": self.table, "table_id": self.table_id,
            "row": self.row, "row_code": self.row_code, "column": self.column,
            "line": self.line, "value": None if self.value is None else str(self.value),
            "unit": self.unit, "quote": self.quote,
        } | ({"where": self.where} if self.where else {})


@dataclass(frozen=True)
class Calculation:
    expression: str        # with the cited figures, e.g. "16506.19 - 2047.00"
    result: Decimal
    shown: str = ""        # expression with citation markers, e.g. "16,506.19[1] - 2,047.00[2] = 14,459.19"

    def to_json(self) -> dict:
        return {"expression": self.expression, "result": str(self.result), "shown": self.shown}


@dataclass
class Answer:
    text: str
    value: Decimal | None = None
    unit: str | None = None
    calculation: Calculation | None = None      # the calculation behind `value`, when it is calculated
    refusal: bool = False
    citations: list[Citation] = field(default_factory=list)
    language: str = "zh"
    # every other calculation the text shows: an answer for each of several documents, or for each part of a
    # several-part question, shows one per document / part (all_calculations() gives them with `calculation`)
    calculations: list[Calculation] = field(default_factory=list)

    def all_calculations(self) -> list[Calculation]:
        """Every calculation the answer shows, `calculation` first, each once."""
        out = [self.calculation] if self.calculation is not None else []
        for c in self.calculations:
            if c not in out:
                out.append(c)
        return out

    def to_json(self) -> dict:
        return {
            "answer": self.text,
            "value": None if self.value is None else str(self.value),
            "unit": self.unit,
            "calculation": None if self.calculation is None else self.calculation.expression,
            "calculation_shown": None if self.calculation is None else self.calculation.shown,
            "calculations": [c.to_json() for c in self.all_calculations()],
            "refusal": self.refusal,
            "citations": [c.to_json() for c in self.citations],
            "language": self.language,
            "chart": _chart_json(self),
        }


def _chart_json(answer: Answer) -> dict | None:
    """The figures a bar chart beside the answer shows (assistant/chart.py), for `ask --json` and /api/ask."""
    from assistant.chart import chart_for
    chart = chart_for(answer)
    return chart.to_json() if chart else None
