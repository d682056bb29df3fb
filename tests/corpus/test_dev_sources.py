"""Every figure a dev question cites from a table row is a Fact at that line with the same value.

One test per document, end to end through corpus.parse.parse_document. A source counts here when
its line lies inside a parsed table region of its document; the figures are the numbers in its
quote that are cell values (a row's 科目编码, years, dates and outline markers are not)."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pytest

from corpus.reports.coverage import figure_tokens
from corpus.loader import load_document
from corpus.model import ParsedDocument
from corpus.parse import parse_document

ROOT = Path(__file__).resolve().parents[2]
DEV = ROOT / "eval" / "dev.jsonl"


def dev_sources() -> list[tuple[str, dict]]:
    items = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(item["id"], source) for item in items for source in item["sources"]]


@lru_cache(maxsize=None)
def parsed(doc_id: str) -> ParsedDocument:
    return parse_document(load_document(ROOT / "corpus" / doc_id))


def cited_docs() -> list[str]:
    return sorted({source["doc"] for _, source in dev_sources()})


def quote_figures(quote: str, line: int, codes: set[str]) -> list:
    """Cell-value figures in a quote (tab- or space-separated), the row's codes left out."""
    return [t for t in figure_tokens(line, quote) if t.text not in codes]


@pytest.mark.parametrize("doc_id", cited_docs())
def test_table_sources_are_facts_at_their_line(doc_id):
    p = parsed(doc_id)
    facts = {(f.line, f.value) for f in p.facts}
    codes_at: dict[int, set[str]] = {}
    for table in p.tables:
        for row in table.rows:
            if row.code:
                codes_at.setdefault(row.line, set()).add(row.code)
    checked = 0
    problems = []
    for item_id, source in dev_sources():
        if source["doc"] != doc_id or source["line"] not in p.table_lines:
            continue
        line = source["line"]
        assert source["quote"] in p.document.line(line), (item_id, line)
        for token in quote_figures(source["quote"], line, codes_at.get(line, set())):
            checked += 1
            if (line, token.value) not in facts:
                problems.append(f"{item_id} line {line}: {token.text}")
    if not checked:
        pytest.skip(f"no dev source of {doc_id} lies in a parsed table")
    assert not problems, problems


# -- doc 002 (space-joined tables with collapsed columns) ------------------------------------------
DOC_002 = "002_339364824c9abd23.txt"


def _named_leaves(item: dict, leaves: set[str]) -> set[str]:
    """Column names the gold answer insists on (must_contain), else the single one the question names."""
    wanted = {s for s in item["answer"].get("must_contain", []) if s in leaves}
    if wanted:
        return wanted
    named = {leaf for leaf in leaves if leaf in item["question"]}
    return named if len(named) == 1 else set()


def test_doc002_table_answers_are_facts_in_the_named_column():
    """Lookups answered from a 002 table: the answer value is a fact at a cited line, in the column the
    question names (基本支出 vs 项目支出, 预算数 vs 决算数 …); every figure the quote prints is a fact too."""
    from decimal import Decimal

    from corpus.spaced.coverage import FIGURE, spaced_coverage

    p = parsed(DOC_002)
    figures = {(n.line, n.value) for n in spaced_coverage(p).numbers if n.kind == FIGURE}
    table_facts = [f for f in p.facts if f.source == "table"]
    items = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    checked = 0
    for item in items:
        lines = [s["line"] for s in item["sources"] if s["doc"] == DOC_002 and s["line"] in p.table_lines]
        if not lines:
            continue
        for source in item["sources"]:
            if source["doc"] != DOC_002 or source["line"] not in p.table_lines:
                continue
            printed = {v for (n, v) in figures if n == source["line"]}
            have = {f.value for f in table_facts if f.line == source["line"]}
            assert printed <= have, (item["id"], source["line"], printed - have)
        at_lines = [f for f in table_facts if f.line in lines]
        leaves = {f.column[-1] for f in at_lines if f.column}
        named = _named_leaves(item, leaves)
        answer = item["answer"]
        if answer["type"] == "number" and not item.get("calculation"):
            value = Decimal(str(answer["value"]))
            hits = [f for f in at_lines if abs(f.value - value) <= Decimal(str(answer.get("tolerance", 0.01)))]
            assert hits, (item["id"], value)
            if named:
                assert any(f.column[-1] in named for f in hits), (item["id"], named, [f.column for f in hits])
            checked += 1
        elif answer["type"] == "text" and named:
            first = lines[0]
            assert any(f.line == first and f.column[-1] in named for f in at_lines), (item["id"], named)
            checked += 1
    assert checked >= 5
