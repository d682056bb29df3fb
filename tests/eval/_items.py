"""Small gold items over real corpus lines, and citation builders, for the eval tests."""
from __future__ import annotations

from decimal import Decimal

from assistant.model import Answer, Citation
from eval.gold import GoldItem, parse_item

SZ_2024 = "000_8eb411c3622be9ee.txt"     # 深圳市医疗保险基金管理中心 2024 预算
ROW_324 = "2101506\t医疗保障经办事务\t7,171.87\t0.00\t7,171.87"


def item(id="t-001", type="number", value=None, unit="万元", must=(), tol="0.01", category=None,
         sources=((SZ_2024, 324, ROW_324),), text="", history=None) -> GoldItem:
    raw = {
        "id": id, "question": f"question {id}",
        "category": category or {"number": "lookup_table", "text": "text_fact", "refusal": "refusal"}[type],
        "answer": {"type": type, "value": value, "unit": unit if type == "number" else None,
                   "text": text, "must_contain": list(must), "tolerance": float(tol) if tol else None},
        "sources": [{"doc": d, "line": ln, "quote": q} for d, ln, q in sources],
        "notes": "test item",
    }
    if history:
        raw["history"] = history
    return parse_item(raw)


def cite(line: int = 324, doc: str = SZ_2024, quote: str = "", value: str | None = None) -> Citation:
    return Citation(doc=doc, org="深圳市医疗保险基金管理中心", year=2024, kind="预算", table="表3 支出总表",
                    row="医疗保障经办事务", line=line, quote=quote,
                    value=None if value is None else Decimal(value))


def answer(text: str, value: str | None = None, citations=(), refusal: bool = False) -> Answer:
    return Answer(text=text, value=None if value is None else Decimal(value), unit=None,
                  refusal=refusal, citations=list(citations))


# The 2024 budget of 医疗保障经办事务 as printed on line 324 (7,171.87 万元).
EXPENSE = item("t-expense", value=7171.87, must=["7,171.87"])
