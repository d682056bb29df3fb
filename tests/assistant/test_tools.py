"""The tools the agents share: typed, JSON-ready, and citing every figure."""
from __future__ import annotations

import inspect

from assistant.tools import Toolbox
from tests.assistant.conftest import doc_id, facts_where


def test_find_facts_matches_colloquial_and_english_terms(tools, kb):
    doc = doc_id(kb, "深圳市医疗保险基金管理中心", 2024)
    car = {f.value for f in facts_where(kb, doc, "公务用车运行维护费")}
    hits = tools.find_facts("公车运维", org="深圳医保中心", year=2024)
    assert hits and hits[0]["doc"] == doc and hits[0]["row"] == "公务用车运行维护费"
    assert {h["value"] for h in hits[:3]} & {str(v) for v in car}
    english = tools.find_facts("self-service devices", org="Shenzhen Medical Insurance Fund Management Center",
                               year=2024)
    assert any("自助设备" in h["row"] for h in english[:3])
    for h in hits:
        assert {"doc", "line", "quote", "value", "unit"} <= set(h)


def test_find_facts_filters(tools, kb):
    hits = tools.find_facts(org="江门", year=2024, column="项目支出", limit=50)
    assert hits and all(h["org"].startswith("江门") and "项目支出" in h["column"] for h in hits)
    assert tools.find_facts("三公经费", kind="决算", limit=5)
    assert all(h["kind"] == "决算" for h in tools.find_facts("三公经费", kind="决算", limit=5))


def test_get_table_returns_rows_with_lines(tools, kb):
    fact = tools.find_facts("医疗保障经办事务", org="漳州", year=2024)[0]
    table = tools.get_table(fact["table_id"])
    assert table["title"] == fact["table"]
    assert any(r["line"] == fact["line"] for r in table["rows"])
    assert tools.get_table("no-such-table") is None


def test_calculator_tool_returns_value_or_error(tools):
    assert tools.calculator("16506.19 - 2047.00") == {"value": "14459.19", "expression": "16506.19 - 2047.00"}
    assert "error" in tools.calculator("__import__('os')")
    assert "error" in tools.calculator("x" * 5000)


def test_search_without_index_falls_back_to_lines(tools):
    hits = tools.search("公务接待费", filters={"org": "江门"}, k=3)
    assert hits and all(h["org"].startswith("江门") for h in hits)
    assert all({"doc", "line_start", "line_end", "text"} <= set(h) for h in hits)


def test_tools_have_typed_signatures_and_docstrings():
    for name in ("search", "find_facts", "get_table", "calculator"):
        fn = getattr(Toolbox, name)
        assert fn.__doc__ and len(fn.__doc__) > 40
        sig = inspect.signature(fn)
        assert all(p.annotation is not inspect.Parameter.empty for p in sig.parameters.values() if p.name != "self")
        assert sig.return_annotation is not inspect.Signature.empty
