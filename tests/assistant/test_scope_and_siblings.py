"""Follow-ups inside an earlier topic, the department as a whole, the closest printed item, one row
added up over sibling tables, and "A里，B" questions. Expected figures are read from the parsed
documents, never typed in."""
from __future__ import annotations

import pytest

from assistant.calculator import evaluate
from assistant.glossary import default_glossary
from assistant.siblings import every_topic, sibling_rows
from tests.assistant.conftest import doc_id, facts_where
from tests.assistant.test_generality import BUREAU, CENTRE, ZHANGZHOU, check, user, value

SMALL_MICRO = "其中：面向小型、微型企业政府采购项目"


def _column_figures(kb, doc, leaf):
    return [v for v in kb.doc_views(doc) if v.fact.column and v.fact.column[-1].replace(" ", "") == leaf]


# -- 其中 / of that: the part lies within the earlier topic -------------------------------------
def test_follow_up_small_and_micro_within_procurement(agent, kb):
    doc = doc_id(kb, BUREAU, 2022)
    parts = _column_figures(kb, doc, SMALL_MICRO)
    assert len(parts) == 2                      # the bureau proper and the centre, no total row
    h = [user("2022年深圳医保局政府采购预算多少？")]
    for question in ("其中面向小微企业的呢？", "How much of that was reserved for small and micro enterprises?"):
        a = agent.answer(question, history=h if "其中" in question else
                         [user("What is the Shenzhen bureau's 2022 government procurement budget?")])
        check(a, kb)
        assert a.value == sum(v.fact.value for v in parts)
        assert {c.line for c in a.citations} == {v.fact.line for v in parts}


def test_parent_column_bigrams_are_per_level(kb):
    doc = doc_id(kb, BUREAU, 2022)
    v = _column_figures(kb, doc, SMALL_MICRO)[0]
    parent = v.bigrams["column_parent"]
    assert "采购" not in parent or "采购" in v.bigrams["column_leaf_key"]   # shared with the leaf: not a parent's own
    assert not {"其中", "目其", "中面"} & parent                           # no bigram spans two levels


# -- the department as a whole ------------------------------------------------------------------
def _department_rate(kb):
    doc = doc_id(kb, CENTRE, 2020)
    rows = [v for v in kb.doc_views(doc) if v.prose and v.fact.unit == "%" and v.clause_key.startswith("我中心")
            and "执行率" in v.clause_key]
    assert len(rows) == 1
    return rows[0]


def test_whole_department_execution_rate_in_english_and_chinese(agent, kb):
    rate = _department_rate(kb)
    for question in ("What was the overall budget execution rate of the Shenzhen centre in 2020?",
                     "深圳医保中心2020年整体预算执行率是多少？",
                     "2020年深圳医保中心全年预算执行率多少？"):
        a = agent.answer(question)
        check(a, kb)
        assert a.value == rate.fact.value, (question, a.text)
        assert rate.fact.line in {c.line for c in a.citations}


def test_a_named_project_is_not_overridden_by_the_whole(agent, kb):
    doc = doc_id(kb, CENTRE, 2020)
    h = [user("深圳医保中心2020年整体绩效自评得了几分？")]
    a = agent.answer("那“财政对医疗保障的补助”这个项目自评多少分？", history=h)
    check(a, kb)
    project = [v for v in kb.doc_views(doc) if v.fact.unit == "分" and v.label == "总分" and
               "财政对医疗保障的补助" in v.fact.table and v.fact.column and v.fact.column[-1] == "得分"]
    assert len(project) == 1
    assert a.value == project[0].fact.value
    assert a.value != agent.answer("深圳医保中心2020年整体绩效自评得了几分？").value


# -- the closest printed item -------------------------------------------------------------------
def test_closest_item_is_named_with_its_neighbours(agent, kb):
    a = agent.answer("漳州退休费是多少？")
    check(a, kb)
    assert a.value == value(kb, ZHANGZHOU, 2024, "事业单位离退休", code="2080502")
    assert "最接近" in a.text and "“事业单位离退休”" in a.text and "“退休费”" in a.text
    near = value(kb, ZHANGZHOU, 2024, "行政单位离退休", code="2080501")
    assert "行政单位离退休" in a.text and near in {c.value for c in a.citations}


def test_exact_item_has_no_closest_caveat(agent, kb):
    for question in ("深圳医保中心2024年退休费是多少？", "江门医保局今年公车运维费多少？", "深圳医保中心2024年人员经费是多少？"):
        a = agent.answer(question)
        check(a, kb)
        assert "最接近" not in a.text and "相近" not in a.text, a.text


# -- one row over every sibling table -----------------------------------------------------------
def test_every_project_table_is_added_up_and_checked_against_the_stated_total(agent, kb):
    doc = doc_id(kb, ZHANGZHOU, 2024)
    funds = [f for f in facts_where(kb, doc, "资金总额：") + facts_where(kb, doc, "资金总额") if f.source == "table"
             and "绩效目标" in f.table]
    assert len({f.table_id for f in funds}) >= 3
    total = sum({f.table_id: f.value for f in funds}.values())
    for question in ("Add up the funding of all the project performance-target tables in Zhangzhou's 2024 "
                     "healthcare security budget. What's the total?",
                     "漳州2024年所有项目绩效目标表的资金总额加起来是多少？"):
        a = agent.answer(question)
        check(a, kb)
        assert a.value == total
        assert evaluate(a.calculation.expression) == total
        assert len(a.calculation.expression.split("+")) == len({f.table_id for f in funds})
        stated = [c for c in a.citations if c.value == total]
        assert stated, "the sentence stating the same total is cited"


def test_same_figure_reprinted_in_summary_tables_is_not_a_family(kb):
    doc = doc_id(kb, CENTRE, 2024)
    views = kb.doc_views(doc)
    reprints = [v for v in views if v.label == "购房补贴" and v.total_col and v.fact.source == "table"]
    assert len({v.fact.table_id for v in reprints}) >= 2
    assert sibling_rows(views, reprints[0]) == []


def test_every_topic_keeps_the_row_words():
    assert every_topic("所有 项目绩效目标表里 资金总额 加起来") == "项目绩效目标 资金总额"
    assert every_topic("Add up funding of all project performance-target tables") == "funding of project performance-target"
    assert every_topic("sum up total funds listed in each project performance target table.") == \
        "total funds in project performance target"


def test_glossary_english_phrases_match_hyphenated():
    found = default_glossary().find("the performance-target tables")
    assert any("绩效目标" in m.entry.printed for m in found)


# -- "A里，B是多少" -------------------------------------------------------------------------------
def test_item_inside_a_named_project(agent, kb):
    doc = doc_id(kb, BUREAU, 2022)
    fee = [f for f in facts_where(kb, doc, "国家医疗保障平台后续运营费", source="prose")]
    assert fee
    a = agent.answer("22年深圳医保局的信息化系统运行维护项目里，国家医保平台的后续运营费是多少？")
    check(a, kb)
    assert a.value == fee[0].value


def test_column_of_a_named_row_still_answers_the_row(agent, kb):
    doc = doc_id(kb, ZHANGZHOU, 2024)
    basic = {f.value for f in facts_where(kb, doc, "医疗保障经办事务") if f.column and f.column[-1] == "基本支出"}
    a = agent.answer("漳州市医保局2024年医疗保障经办事务里，基本支出安排了多少？")
    check(a, kb)
    assert a.value in basic


# -- final accounts: the 决算数 section's total, and breakdown wording ----------------------------
def test_final_accounts_three_public_expenses_is_the_actual_total(agent, kb):
    doc = doc_id(kb, CENTRE, 2020)
    actual = [v for v in kb.doc_views(doc) if "三公" in v.fact.table and v.fact.column
              and tuple(c.replace(" ", "") for c in v.fact.column) == ("决算数", "合计")]
    assert len(actual) == 1
    a = agent.answer("深圳医保中心2020年的三公经费是多少？")
    check(a, kb)
    assert a.value == actual[0].fact.value


def test_basic_or_project_question_states_the_row_whole(agent, kb):
    a = agent.answer("深圳医保中心2024年的劳务费预算多少？是基本支出还是项目支出？")
    check(a, kb)
    doc = doc_id(kb, CENTRE, 2024)
    whole = value(kb, CENTRE, 2024, "劳务费", code="30226")
    assert a.value == whole and doc in {c.doc for c in a.citations}
    assert "中“基本支出”为" not in a.text


def test_rate_and_score_questions_are_about_the_department(kb):
    from assistant.question import parse_question
    for q, whole in (("深圳医保中心2020年全年预算执行率多少？", True), ("整体绩效自评得分", True),
                     ("预算准备金的执行率", False), ("What was the overall budget execution rate?", True)):
        assert parse_question(q, kb.orgs, kb.catalog.latest_year).whole_unit is whole, q


def test_unit_of_an_english_rate_is_percent(kb):
    from assistant.question import unit_hint
    assert unit_hint("What was the budget execution rate in 2020?") == "%"
    assert unit_hint("how much was budgeted for X") == "万元"


# -- a consolidated figure asked where only the organisation's own-level document exists -----------
@pytest.mark.parametrize("question", [
    "江门医保局连同下属单位2024年一共预算多少",
    "What is the Jiangmen bureau's consolidated 2024 budget, including its subordinate units?",
])
def test_a_consolidated_figure_of_an_own_level_only_organisation_is_refused(agent, question):
    a = agent.answer(question)
    assert a.refusal and a.value is None, a.text
    assert "本级" in a.text, a.text


@pytest.mark.parametrize("question", [
    "What are the Jiangmen bureau's 2024 office and travel expenses combined?",
    "江门医保局2024年办公费和差旅费汇总一下是多少",
])
def test_adding_up_is_not_asking_for_the_consolidated_scope(agent, kb, question):
    from tests.assistant.test_generality import check
    a = agent.answer(question)
    check(a, kb)
    assert a.calculation is not None and "+" in a.calculation.expression, a.text
