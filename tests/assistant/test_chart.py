"""Which answers get a bar chart, and which figures it shows (assistant/chart.py over real answers)."""
from __future__ import annotations

COMPARISON = "2024年三家单位的公务接待费各是多少"


def test_a_comparison_across_organisations_charts_one_bar_each(assistant):
    answer = assistant.ask(COMPARISON)
    chart = answer.to_json()["chart"]
    assert chart and chart["across"] == ["org"] and chart["unit"] == "万元"
    assert len(chart["figures"]) == len({c.org for c in answer.citations}) >= 3
    for bar in chart["figures"]:           # each bar is a cited figure, named by its citation number
        cited = answer.citations[bar["citation"] - 1]
        assert str(cited.value) == bar["value"] and cited.org in bar["label"]


def test_items_of_one_document_chart_by_item(assistant):
    chart = assistant.ask("深圳医保中心2024年水费和电费加起来多少？").to_json()["chart"]
    assert chart and chart["across"] == ["item"]
    assert [b["label"] for b in chart["figures"]] == ["水费", "电费"]


def test_one_figure_or_a_refusal_gets_no_chart(assistant):
    one = assistant.ask("2024年深圳市医保中心的基本支出总共是多少？")   # one figure, printed in several tables
    assert len(one.citations) > 1 and one.to_json()["chart"] is None
    assert assistant.ask("广州市医疗保障局2024年部门预算收入多少？").to_json()["chart"] is None
