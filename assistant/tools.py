"""The tools every agent uses (the built-in one and the LLM one). Each returns plain JSON-ready data
so an LLM can read it; every figure carries its citation (doc, line, quote)."""
from __future__ import annotations

import re
from decimal import Decimal

from assistant.calculator import CalculatorError, calculate, plain
from assistant.catalog import DocInfo
from assistant.knowledge import Knowledge
from assistant.matching import build_terms, score_view, temper_semantic
from assistant.text import nfkc, norm
from assistant.views import FactView


class Toolbox:
    """search / find_facts / get_table / calculator over one loaded Knowledge."""

    def __init__(self, kb: Knowledge):
        self.kb = kb

    # -- search -------------------------------------------------------------------------------
    def search(self, query: str, filters: dict | None = None, k: int = 5) -> list[dict]:
        """Hybrid (BM25 + embedding) search over document chunks: tables, table rows and paragraphs.

        Args:
            query: what to look for, in Chinese or English, e.g. "自助设备服务费" or "government procurement".
            filters: optional {"org": ..., "year": ..., "kind": "预算"|"决算", "doc": ...}.
            k: how many passages to return (1-20).
        Returns:
            passages, best first: {"doc", "org", "year", "kind", "line_start", "line_end", "text", "score"}.
        """
        k = max(1, min(int(k or 5), 20))
        if self.kb.search_fn is not None:
            try:
                return [_hit_json(h) for h in self.kb.search_fn(query, k, filters or None)]
            except Exception:          # index trouble: fall back to matching facts' lines
                pass
        return self._lexical_search(query, filters or {}, k)

    def _lexical_search(self, query: str, filters: dict, k: int) -> list[dict]:
        docs = {d.doc_id for d in self._docs(filters)}
        terms = build_terms(query, self.kb.glossary, self.kb.idf)
        seen, out = set(), []
        scored = sorted((score_view(v, terms, self.kb.idf) for v in self.kb.views if v.fact.doc_id in docs),
                        key=lambda s: -s.score)
        for s in scored:
            f = s.view.fact
            key = (f.doc_id, f.line)
            if key in seen:
                continue
            seen.add(key)
            out.append({"doc": f.doc_id, "org": f.org, "year": f.year, "kind": f.kind, "line_start": f.line,
                        "line_end": f.line, "text": f.quote, "score": round(s.score, 4)})
            if len(out) >= k:
                break
        return out

    # -- facts --------------------------------------------------------------------------------
    def find_facts(self, query: str = "", org: str | None = None, year: int | None = None,
                   kind: str | None = None, table_id: str | None = None, row: str | None = None,
                   column: str | None = None, limit: int = 10) -> list[dict]:
        """Figures printed in the documents, best match first.

        Args:
            query: the item asked about in any wording ("退休费", "公车运维", "self-service devices");
                matched against row labels, prose items, columns and table titles with a bilingual glossary.
            org: organisation name or alias (深圳医保中心, 江门医保局, Zhangzhou ...).
            year: document year (e.g. 2024).
            kind: "预算" (budget) or "决算" (final accounts).
            table_id: restrict to one table (ids come from earlier results).
            row: exact or fuzzy row label.
            column: column label, e.g. "基本支出", "项目支出", "一般公共预算".
            limit: how many facts to return (1-50).
        Returns:
            facts: {"value", "unit", "row", "column", "table", "table_id", "row_code", "doc", "org", "year",
                    "kind", "line", "quote", "entity", "score"}.
        """
        limit = max(1, min(int(limit or 10), 50))
        docs = {d.doc_id for d in self._docs({"org": org, "year": year, "kind": kind})}
        text = " ".join(x for x in (query, row or "", column or "") if x)
        terms = build_terms(text, self.kb.glossary, self.kb.idf, semantic=self.kb.semantic) if text.strip() else None
        views = [v for v in self.kb.views if v.fact.doc_id in docs
                 and (not table_id or v.fact.table_id == table_id)
                 and (not column or _column_matches(v, column))
                 and (not row or _row_matches(v, row))]
        if terms is None:
            return [fact_json(v, None) for v in views[:limit]]
        scored = [score_view(v, terms, self.kb.idf) for v in views]
        temper_semantic(scored, terms.unexplained)
        scored.sort(key=lambda s: (-s.score, s.view.idx))
        return [fact_json(s.view, s.score) for s in scored[:limit]]

    def get_table(self, table_id: str) -> dict | None:
        """One parsed table: title, unit, column paths and rows (label, code, values, source line).

        Args:
            table_id: e.g. "000_8eb411c3622be9ee.txt#3" (from find_facts or search results).
        Returns:
            {"table_id", "doc", "title", "unit", "columns", "rows": [{"label", "code", "line", "cells"}]} or None.
        """
        t = self.kb.tables.get(table_id)
        if t is None:
            return None
        return {
            "table_id": t.table_id, "doc": t.doc_id, "title": t.title, "unit": t.unit, "number": t.number,
            "columns": [" / ".join(c) for c in t.columns], "line_start": t.line_start, "line_end": t.line_end,
            "rows": [{"label": r.label, "code": r.code, "line": r.line, "entity": r.entity,
                      "cells": [None if c is None else str(c) for c in r.cells]} for r in t.rows],
            "notes": list(t.notes),
        }

    def calculator(self, expression: str) -> dict:
        """Exact decimal arithmetic. Allowed: numbers, + - * /, parentheses, sum(a, b, ...),
        round(x, n), x% (= x/100). Use the figures exactly as cited, e.g. "16506.19 - 2047.00".

        Args:
            expression: the arithmetic to evaluate (at most 1000 characters).
        Returns:
            {"value": "14459.19", "expression": "16506.19 - 2047.00"} or {"error": "..."}.
        """
        try:
            calc = calculate(expression)
        except CalculatorError as exc:
            return {"error": str(exc), "expression": str(expression)[:200]}
        return {"value": plain(calc.result), "expression": calc.expression}

    def documents(self) -> list[dict]:
        """The documents in the corpus: doc id, organisation, year, kind (预算/决算), scope, unit."""
        return [{"doc": d.doc_id, "org": d.org, "year": d.year, "kind": d.kind, "scope": d.scope, "unit": d.unit,
                 "sub_units": list(d.entities)} for d in self.kb.catalog.docs]

    # -- helpers ------------------------------------------------------------------------------
    def _docs(self, filters: dict) -> list[DocInfo]:
        docs = list(self.kb.catalog.docs)
        org = (filters or {}).get("org")
        if org:
            mentions = self.kb.orgs.detect(str(org))
            names = set(mentions.orgs) or {d.org for d in docs if norm(str(org)) in norm(d.org)}
            docs = [d for d in docs if d.org in names or set(d.entities) & names]
        year = (filters or {}).get("year")
        if year not in (None, ""):
            docs = [d for d in docs if d.year == int(year)]
        kind = (filters or {}).get("kind")
        if kind:
            want = "决算" if re.search(r"决算|final", str(kind), re.I) else "预算"
            docs = [d for d in docs if d.kind == want]
        doc = (filters or {}).get("doc")
        if doc:
            docs = [d for d in docs if d.doc_id == doc or d.doc_id.startswith(str(doc))]
        return docs


def fact_json(v: FactView, score: float | None) -> dict:
    f = v.fact
    out = {"value": str(f.value), "unit": f.unit, "row": f.row, "column": " / ".join(f.column), "table": f.table,
           "table_id": f.table_id, "row_code": f.row_code, "doc": f.doc_id, "org": f.org, "year": f.year,
           "kind": f.kind, "line": f.line, "quote": f.quote, "entity": v.entity, "qualifier": f.qualifier,
           "year_ref": f.year_ref}
    if score is not None:
        out["score"] = round(score, 4)
    return out


def _hit_json(h) -> dict:
    c = h.chunk
    return {"doc": c.doc_id, "org": c.org, "year": c.year, "kind": c.kind, "line_start": c.line_start,
            "line_end": c.line_end, "text": c.text, "score": round(float(h.score), 4),
            "table_id": c.table_id, "table": c.table_title}


def _column_matches(v: FactView, column: str) -> bool:
    want = norm(column)
    return bool(want) and (want in norm(" ".join(v.fact.column)))


def _row_matches(v: FactView, row: str) -> bool:
    want = norm(nfkc(row))
    label = norm(v.fact.row)
    return bool(want) and (want == label or want in label or (len(label) >= 2 and label in want))


__all__ = ["Toolbox", "fact_json", "Decimal"]
