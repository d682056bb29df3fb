"""The built-in agent end to end on the real corpus: each operation, refusals, follow-ups, English,
and the ambiguity rule. Expected figures are read from the parsed facts, not typed in."""
from __future__ import annotations

from decimal import Decimal

import pytest

from assistant.calculator import evaluate
from assistant.trace import untraceable_numbers
from tests.assistant.conftest import doc_id, facts_where

CENTRE, BUREAU = "深圳市医疗保险基金管理中心", "深圳市医疗保障局"
JIANGMEN, ZHANGZHOU = "江门市医疗保障局", "漳州市医疗保障局"


def one(facts):
    values = {f.value for f in facts}
    assert len(values) == 1, facts
    return values.pop()


def cited_lines(answer):
    return {(c.doc, c.line) for c in answer.citations}


def assert_traceable(answer, kb):
    assert untraceable_numbers(answer, set(kb.catalog.years)) == [], answer.text


def test_lookup_cites_the_cell_and_says_kind_org_year_unit(agent, kb):
    doc = doc_id(kb, CENTRE, 2024)
    cell = facts_where(kb, doc, "劳务费", column="支出总计")[0]
    a = agent.answer("深圳医保中心2024年的劳务费预算多少？")
    assert a.value == cell.value and a.unit == "万元" and not a.refusal
    assert (doc, cell.line) in cited_lines(a)
    for part in ("预算", CENTRE, "2024", "万元"):
        assert part in a.text
    assert_traceable(a, kb)


def test_most_specific_row_wins(agent, kb):
    doc = doc_id(kb, CENTRE, 2024)
    pension = one(facts_where(kb, doc, "退休费", column="支出总计"))
    retired_admin = facts_where(kb, doc, "行政单位离退休", column="支出总计")
    a = agent.answer("深圳医保中心2024年退休的钱安排了多少？")
    assert a.value == pension
    assert all(a.value != f.value for f in retired_admin)


def test_column_asked_and_breakdown(agent, kb):
    doc = doc_id(kb, ZHANGZHOU, 2024)
    basic = facts_where(kb, doc, "医疗保障经办事务", column="基本支出")[0]
    a = agent.answer("漳州医保局2024年医疗保障经办事务里，基本支出安排了多少？")
    assert a.value == basic.value
    b = agent.answer("深圳医保中心2024年的“行政运行”是基本支出还是项目支出？")
    assert "基本支出" in b.text and "全部为" in b.text


def test_sum_goes_through_the_calculator(agent, kb):
    a = agent.answer("把2024年深圳医保中心三公经费的各项（出国、接待、购车、用车运维）加起来是多少？")
    assert a.calculation is not None and "+" in a.calculation.expression
    assert evaluate(a.calculation.expression) == a.calculation.result
    doc = doc_id(kb, CENTRE, 2024)
    printed_total = [f.value for f in facts_where(kb, doc, "财政拨款“三公”经费", source="prose")]
    assert a.value in printed_total          # the parts add up to the total the document prints
    assert_traceable(a, kb)


def test_difference_across_years_and_documents(agent, kb):
    a = agent.answer("深圳医保中心“医疗保障经办事务”科目（2101506）2024年预算比2022年增加了多少？")
    new = one(facts_where(kb, doc_id(kb, CENTRE, 2024), "医疗保障经办事务", column="支出总计"))
    old_doc = doc_id(kb, BUREAU, 2022)
    old = {f.value for f in facts_where(kb, old_doc, "医疗保障经办事务", column="支出总计")}
    assert a.calculation is not None
    assert any(a.value == new - o for o in old)
    assert {d for d, _ in cited_lines(a)} >= {doc_id(kb, CENTRE, 2024), old_doc}
    assert_traceable(a, kb)


def test_previous_year_derived_from_a_change_statement(agent, kb):
    a = agent.answer("江门市医保局本级2023年的部门预算是多少？")
    assert a.calculation is not None and not a.refusal
    assert "2023" in a.text and "推算" in a.text
    assert evaluate(a.calculation.expression) == a.calculation.result
    assert_traceable(a, kb)


def test_growth_and_change_wording(agent, kb):
    a = agent.answer("江门医保局2024年三公经费比上年减少了多少？")
    assert a.value is not None and abs(a.value) > 0 and not a.refusal
    assert_traceable(a, kb)


def test_ratio_shows_the_expression(agent, kb):
    a = agent.answer("漳州医保局2024年三公经费中，公务用车运行费占了多少比例？")
    assert a.unit == "%" and a.calculation is not None and "/" in a.calculation.expression
    assert Decimal(0) < a.value < Decimal(100)
    assert_traceable(a, kb)


def test_times_across_organisations(agent, kb):
    a = agent.answer("漳州医保局2024年的预算规模大约是江门医保局的几倍？")
    assert a.unit == "倍" and a.value > 1
    assert len({c.doc for c in a.citations}) == 2


def test_compare_picks_the_highest(agent, kb):
    a = agent.answer("江门、漳州和深圳医保中心这三家2024年的三公经费预算，哪家最高？")
    assert "最高" in a.text and not a.refusal
    values = [c.value for c in a.citations if c.value is not None]
    assert a.value == max(values)


def test_per_unit_average(agent, kb):
    a = agent.answer("深圳医保中心2024年医保自助设备服务费平均每台多少钱？")
    assert a.calculation is not None and "/" in a.calculation.expression
    assert "台" in a.unit
    assert_traceable(a, kb)


def test_remaining_budget(agent, kb):
    a = agent.answer("医疗保障经办管理项目2020年还有多少预算没执行掉？")
    assert a.calculation is not None and "-" in a.calculation.expression and a.value > 0


@pytest.mark.parametrize("question", [
    "深圳市医保中心2023年的决算支出是多少？",                 # a year that has no final accounts
    "江门市医保局2022年的部门预算是多少？",                   # a year not covered
    "What is the Guangzhou Healthcare Security Administration's 2024 budget?",   # a city not covered
    "漳州市文件里提到的余向红市长，一年工资是多少？",           # a person's salary
    "深圳医保中心2024年那个16亿元的涉密项目具体是做什么的？",   # classified content
    "2022年深圳医保局预算里，工作人员“基本工资”一项安排了多少钱？",  # a table the document lacks
])
def test_refusals_give_no_figure_and_say_what_exists(agent, question):
    a = agent.answer(question)
    assert a.refusal and a.value is None
    assert a.text


def test_refusal_says_what_the_corpus_contains(agent, kb):
    a = agent.answer("江门市医保局2022年的部门预算是多少？")
    assert "2024" in a.text and "江门" in a.text


def test_follow_up_inherits_org_year_and_kind(agent, kb):
    first = "深圳医保中心2024年三公经费预算是多少？"
    h = [{"role": "user", "content": first}, {"role": "assistant", "content": agent.answer(first).text}]
    a = agent.answer("那其中公务接待费呢？", history=h)
    doc = doc_id(kb, CENTRE, 2024)
    reception = {f.value for f in facts_where(kb, doc, "公务接待费")}
    assert a.value in reception and all(c.doc == doc for c in a.citations)
    b = agent.answer("那2022年呢？", history=h)
    assert any(c.year == 2022 for c in b.citations) and not b.refusal


def test_english_question_gets_an_english_answer_with_chinese_names(agent, kb):
    a = agent.answer("How much did the Shenzhen Medical Insurance Fund Management Center actually spend on "
                     "government procurement in 2020 (in 10,000 yuan)?")
    assert a.language == "en" and not a.refusal
    assert "final accounts (决算)" in a.text and "政府采购" in a.text
    assert_traceable(a, kb)


def test_several_documents_fit_answer_for_each(agent, kb):
    a = agent.answer("深圳医保中心的公务接待费是多少？")
    assert "分别" in a.text or "each" in a.text
    assert len({c.doc for c in a.citations}) >= 2


def test_this_year_means_the_latest_year(agent, kb):
    a = agent.answer("江门医保局今年的三公经费是多少？")
    assert str(kb.catalog.latest_year) in a.text and "今年" in a.text
