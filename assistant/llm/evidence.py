"""What the tools returned in one turn: records shown to the model as fenced data, their figures and citations.

Every item a tool returns becomes a `Record` with an id (R1, R2, ...) the model can cite. Tool output
is rendered as data between nonce-tagged fences; document lines that read like instructions to a
model are flagged in the rendering, and their numbers never count as evidence. Calculator results
count as evidence only when every operand is itself evidence (or a unit/percent constant), so the
calculator cannot launder an invented number.
"""
from __future__ import annotations

import dataclasses
import re
import secrets
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from typing import Any, Mapping

from assistant.llm.prompts import DATA_HEADER, FLAGGED_LINE
from assistant.llm.verifier import Figure, figures_in_text, normalize, numbers_in
from assistant.model import Calculation, Citation
from corpus.injection import looks_like_instruction

_UNIT_STATEMENT = re.compile(r"单位\s*[：:]\s*(万元|元)")
_FENCE = re.compile(r"<<<|>>>")
META_KEYS = {"line", "line_start", "line_end", "score", "chunk_id", "table_id", "id", "rank", "doc",
             "doc_id", "row_path", "checks", "notes", "sha256", "encoding"}
LABEL_KEYS = {"year", "year_ref", "row_code", "code", "number", "table", "table_title", "title", "column"}
CALC_CONSTANTS = {Decimal(0), Decimal(1), Decimal(100), Decimal(1000), Decimal(10000), Decimal(100000000)}


def to_plain(obj: Any, depth: int = 0) -> Any:
    """JSON-able view of a tool result: to_json() when offered, dataclass fields, Decimals as text."""
    if depth > 8:
        return str(obj)
    if obj is None or isinstance(obj, (str, int, float, bool)):
        return obj
    if isinstance(obj, Decimal):
        return format(obj, "f")
    if hasattr(obj, "to_json") and callable(obj.to_json):
        return to_plain(obj.to_json(), depth + 1)
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_plain(getattr(obj, f.name), depth + 1) for f in dataclasses.fields(obj)}
    if isinstance(obj, dict):
        return {str(k): to_plain(v, depth + 1) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set, frozenset)):
        return [to_plain(v, depth + 1) for v in obj]
    return str(obj)


def _items(result: Any) -> list[Any]:
    """A tool result as a list of records: lists stay lists; a table becomes its rows with a header."""
    plain = to_plain(result)
    if isinstance(plain, list):
        return plain
    if isinstance(plain, dict) and isinstance(plain.get("rows"), list) and plain.get("columns") is not None:
        return _table_rows(plain)
    if isinstance(plain, dict):
        for key in ("results", "hits", "facts", "items"):
            if isinstance(plain.get(key), list):
                return plain[key]
    return [plain]


def _table_rows(table: dict) -> list[dict]:
    """One record per table row, each carrying the table's identity and unit."""
    columns = [" / ".join(c) if isinstance(c, list) else str(c) for c in table.get("columns", [])]
    shared = {k: table.get(k) for k in ("doc_id", "doc", "org", "year", "kind", "scope", "title",
                                        "unit", "table_id", "number") if table.get(k) not in (None, "")}
    rows = []
    for row in table["rows"]:
        if not isinstance(row, dict):
            continue
        cells = row.get("cells") or []
        values = {col: cell for col, cell in zip(columns, cells) if cell is not None}
        rows.append({**shared, "row": row.get("label"), "row_code": row.get("code"),
                     "cells": values, "line": row.get("line"), "quote": row.get("quote")})
    return rows or [shared]


@dataclass
class Record:
    rid: str
    tool: str
    data: Any
    flagged_lines: tuple[str, ...] = ()
    citation: Citation | None = None

    def unit(self) -> str | None:
        if isinstance(self.data, dict):
            unit = self.data.get("unit")
            if unit:
                return str(unit)
            for key in ("text", "quote"):
                m = _UNIT_STATEMENT.search(str(self.data.get(key) or ""))
                if m:
                    return m.group(1)
        return None


@dataclass
class ToolCallLog:
    tool: str
    arguments: dict
    records: list[Record] = field(default_factory=list)
    error: str | None = None
    calculation: Calculation | None = None
    operands_verified: bool = False
    operand_figures: list[Figure] = field(default_factory=list)


class TurnEvidence:
    """Collects every tool call of one turn; renders results for the model; yields verified figures."""

    def __init__(self, question: str = "", nonce: str | None = None, documents: Mapping[str, Any] | None = None):
        self.question = question
        self.nonce = nonce or secrets.token_hex(3)
        self.documents = documents or {}     # doc id → Document (.line(n), .meta): verbatim quotes
        self.calls: list[ToolCallLog] = []
        self._rid = 0

    # -- recording -------------------------------------------------------------------
    def record(self, tool: str, arguments: dict, result: Any) -> str:
        """Log a successful call and return the fenced text the model will see."""
        log = ToolCallLog(tool, dict(arguments))
        calculation = as_calculation(result)
        if calculation is not None:
            log.calculation = calculation
            self._check_operands(log)
        for item in ([] if result is None or calculation is not None else _items(result)):
            self._rid += 1
            data, flagged = _neutralise(item)
            citation = citation_from(item, self.documents)
            log.records.append(Record(f"R{self._rid}", tool, data, tuple(flagged), citation))
        self.calls.append(log)
        return self.render(log)

    def record_error(self, tool: str, arguments: dict, message: str) -> None:
        self.calls.append(ToolCallLog(tool, dict(arguments), error=message))

    @property
    def errors(self) -> list[ToolCallLog]:
        return [c for c in self.calls if c.error]

    @property
    def successful_calls(self) -> list[ToolCallLog]:
        return [c for c in self.calls if not c.error]

    def records(self) -> list[Record]:
        return [r for c in self.calls for r in c.records]

    def record_by_id(self, rid: str) -> Record | None:
        return next((r for r in self.records() if r.rid == rid), None)

    # -- what the model sees ------------------------------------------------------------
    def render(self, log: ToolCallLog) -> str:
        lines = [f"<<<DATA id={self.nonce} tool={log.tool}>>>", DATA_HEADER]
        if log.calculation is not None:
            lines.append(f"calculator: {log.calculation.expression} = {format(log.calculation.result, 'f')}")
        if not log.records:
            lines.append("(no results / 没有结果)")
        for record in log.records:
            lines.append(f"[{record.rid}] {_render_fields(record.data)}")
        lines.append(f"<<<END DATA id={self.nonce}>>>")
        return "\n".join(lines)

    # -- evidence --------------------------------------------------------------------------
    def document_figures(self) -> list[Figure]:
        """Numbers in non-calculator tool output, excluding lines flagged as instructions."""
        figures: list[Figure] = []
        for log in self.successful_calls:
            if log.calculation is not None:
                continue
            for record in log.records:
                figures += _record_figures(record)
        return figures

    def figures(self) -> list[Figure]:
        """All evidence: document figures plus calculator results whose operands are evidence."""
        figures = self.document_figures()
        for log in self.successful_calls:
            if log.calculation is not None and log.operands_verified:
                figures.append(Figure(log.calculation.result, None, f"{log.tool}", log))
        return figures

    def citations_for(self, figure: Figure) -> list[Citation]:
        """Where a figure is printed: the fact/row it came from, narrowed to the cell or line.

        A calculator result cites its operands."""
        ref = figure.ref
        if isinstance(ref, ToolCallLog):
            return [c for f in ref.operand_figures for c in self.citations_for(f)]
        if not isinstance(ref, Record) or ref.citation is None:
            return []
        citation = ref.citation
        data = ref.data if isinstance(ref.data, dict) else {}
        cells = data.get("cells")
        if isinstance(cells, dict):          # a table row: name the column holding this value
            column = next((col for col, v in cells.items() if _same(v, figure.value)), None)
            citation = replace(citation, value=figure.value, column=str(column or ""))
        elif citation.value is not None and citation.value != figure.value:
            citation = replace(citation, value=figure.value, column="")   # another number on the quoted line
        start, end = data.get("line_start"), data.get("line_end")
        if isinstance(start, int) and isinstance(end, int) and "quote" not in data:   # a passage
            citation = self._narrow(citation, start, end, figure)
        return [citation]

    def _narrow(self, citation: Citation, start: int, end: int, figure: Figure) -> Citation:
        """The document line inside a passage that prints the figure, quoted verbatim."""
        doc = self.documents.get(citation.doc)
        if doc is None or not figure.text:
            return replace(citation, value=figure.value, unit=figure.unit or citation.unit)
        for n in range(start, end + 1):
            try:
                line = doc.line(n)
            except (IndexError, AttributeError):
                break
            if figure.text in line or figure.text in normalize(line):
                return replace(citation, line=n, quote=line, value=figure.value,
                               unit=figure.unit or citation.unit)
        return replace(citation, value=figure.value, unit=figure.unit or citation.unit)

    def identifiers(self) -> set[str]:
        """Alphanumeric tokens (file names, ids) that appear in tool output, so answers may repeat them."""
        found: set[str] = set()
        for record in self.records():
            for text in _strings(record.data):
                found.update(re.findall(r"[0-9A-Za-z_][0-9A-Za-z_.\-#]*[0-9A-Za-z_]", text))
        return found

    def _check_operands(self, log: ToolCallLog) -> None:
        """Operands must be figures returned earlier this turn, earlier calculator results, or constants."""
        pool = self.document_figures() + [
            Figure(c.calculation.result, None, c.tool, c) for c in self.successful_calls
            if c.calculation is not None and c.operands_verified]
        question_numbers = set(numbers_in(self.question))
        ok = True
        for operand in numbers_in(log.calculation.expression):
            same = [f for f in pool if abs(f.value) == operand]
            hit = next((f for f in same if f.ref is not None), same[0] if same else None)
            if hit is not None:
                log.operand_figures.append(hit)
            elif operand not in CALC_CONSTANTS and operand not in question_numbers:
                ok = False
        log.operands_verified = ok


def _record_label(data: Any) -> str:
    if not isinstance(data, dict):
        return ""
    return str(data.get("row") or data.get("row_label") or data.get("label") or data.get("item") or "")


def _record_figures(record: Record) -> list[Figure]:
    unit = record.unit()
    label = _record_label(record.data)
    figures: list[Figure] = []
    if isinstance(record.data, dict):
        value = record.data.get("value", record.data.get("result"))
        if value is not None and not record.flagged_lines:
            for number in numbers_in(str(value)):
                figures.append(Figure(number, unit, record.tool, record, str(value), label))
    flagged = set(record.flagged_lines)
    for key, text in _keyed_strings(record.data):
        if key in META_KEYS or (flagged and key != "text"):
            continue      # a record built from an instruction-like line is not evidence (only a
                          # passage's other lines are)
        if key in LABEL_KEYS:        # years, codes: evidence for the text, but not a cited figure
            figures += [replace(f, ref=None) for f in figures_in_text(text, record.tool)]
            continue
        for line in text.split("\n"):
            if line in flagged or line.startswith(FLAGGED_LINE):
                continue
            figures += figures_in_text(line, record.tool, record, default_unit=unit, label=label)
    return figures


def _keyed_strings(data: Any, key: str = "") -> list[tuple[str, str]]:
    if isinstance(data, str):
        return [(key, data)]
    if isinstance(data, (int, float)) and not isinstance(data, bool):
        return [(key, str(data))]
    if isinstance(data, dict):
        return [pair for k, v in data.items() for pair in _keyed_strings(v, k if k else key)] + \
            [(key, k) for k in data if key == "cells"]
    if isinstance(data, list):
        return [pair for v in data for pair in _keyed_strings(v, key)]
    return []


def _strings(data: Any) -> list[str]:
    return [text for _, text in _keyed_strings(data)]


def _neutralise(item: Any) -> tuple[Any, list[str]]:
    """Break fence look-alikes and prefix instruction-like lines; return the flagged original lines."""
    flagged: list[str] = []

    def clean(value: Any) -> Any:
        if isinstance(value, str):
            out = []
            for line in _FENCE.sub("‹‹", value).split("\n"):
                if looks_like_instruction(line):
                    flagged.append(FLAGGED_LINE + line)
                    line = FLAGGED_LINE + line
                out.append(line)
            return "\n".join(out)
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items()}
        if isinstance(value, list):
            return [clean(v) for v in value]
        return value

    return clean(item), flagged


_FIELD_ORDER = ("org", "scope", "year", "kind", "title", "table", "table_title", "heading", "row",
                "row_label", "row_code", "column", "entity", "value", "unit", "cells", "qualifier",
                "year_ref", "doc", "doc_id", "line", "line_start", "line_end", "quote", "text")
_HIDDEN = {"score", "chunk_id", "row_path", "checks", "notes", "sha256", "encoding", "source",
           "chunk_type"}


def _render_fields(data: Any) -> str:
    if not isinstance(data, dict):
        return str(data)
    keys = [k for k in _FIELD_ORDER if k in data] + [k for k in data if k not in _FIELD_ORDER]
    parts = []
    for key in keys:
        value = data[key]
        if key in _HIDDEN or value in (None, "", [], {}):
            continue
        if isinstance(value, list):
            value = " / ".join(str(v) for v in value)
        elif isinstance(value, dict):
            value = "; ".join(f"{k}={v}" for k, v in value.items())
        parts.append(f"{key}: {value}")
    return " | ".join(parts)


def as_calculation(result: Any) -> Calculation | None:
    """A calculator result, as a Calculation or as the tool's {"value", "expression"} dict."""
    if isinstance(result, Calculation):
        return result
    if isinstance(result, dict) and set(result) <= {"value", "expression", "result", "shown", "unit"} \
            and "expression" in result and ("value" in result or "result" in result):
        try:
            value = Decimal(str(result.get("value", result.get("result"))).replace(",", ""))
        except InvalidOperation:
            return None
        expression = str(result["expression"])
        shown = str(result.get("shown") or f"{expression} = {format(value, 'f')}")
        return Calculation(expression=expression, result=value, shown=shown)
    return None


def _same(text: Any, value: Decimal) -> bool:
    try:
        return Decimal(str(text).replace(",", "")) == value
    except InvalidOperation:
        return False


def citation_from(data: Any, documents: Mapping[str, Any] | None = None) -> Citation | None:
    """A Citation built from what a tool returned (a fact, a table row, a search hit); None if unsourced.

    Missing org/year/kind and quotes are filled from the document itself when it is at hand."""
    if not isinstance(data, dict):
        return None
    data = dict(data)
    doc = data.get("doc") or data.get("doc_id")
    line = data.get("line", data.get("line_start"))
    document = (documents or {}).get(doc) if doc else None
    if document is not None:
        meta = document.meta
        for key in ("org", "year", "kind", "scope"):
            if data.get(key) in (None, ""):
                data[key] = getattr(meta, key, None)
        if not (data.get("quote") or data.get("text")) and isinstance(line, int):
            try:
                data["quote"] = document.line(line)
            except IndexError:
                pass
    quote = data.get("quote") or data.get("text")
    if not doc or line in (None, "") or not quote:
        return None
    value = data.get("value")
    try:
        value = None if value in (None, "") else Decimal(str(value))
    except ArithmeticError:
        value = None
    column = data.get("column") or ""
    if isinstance(column, list):
        column = " / ".join(str(c) for c in column)
    year = data.get("year")
    return Citation(
        doc=str(doc), org=str(data.get("org") or ""), year=int(year) if str(year or "").isdigit() else 0,
        kind=str(data.get("kind") or ""), table=str(data.get("table") or data.get("table_title")
                                                     or data.get("title") or data.get("heading") or ""),
        row=str(data.get("row") or data.get("row_label") or ""), line=int(line), quote=str(quote),
        value=value, column=str(column), unit=data.get("unit"), scope=data.get("scope"),
        table_id=data.get("table_id"), row_code=data.get("row_code"))
