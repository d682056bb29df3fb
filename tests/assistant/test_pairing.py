"""Figures one sentence prints together (assistant.pairing) and the answers built on them: the ends of
"从 A 增加到 B", the used part of a quota or plan, earlier-year figures printed in a later report, shares
and sums of prose counts. Expected figures are read from the parsed facts, not typed in."""
from __future__ import annotations

from decimal import Decimal

from assistant import pairing
from assistant.calculator import evaluate
from assistant.trace import untraceable_numbers
from tests.assistant.conftest import doc_id, facts_where

CENTRE, BUREAU = "深圳市医疗保险基金管理中心", "深圳市医疗保障局"


def _view(kb, doc, row, **kw):
    found = [v for v in kb.doc_views(doc) if v.fact.row.replace(" ", "") == row
             and all(getattr(v.fact, k) == val for k, val in kw.items())]
    assert found, row
    return found[0]


def _traceable(answer, kb):
    assert untraceable_numbers(answer, set(kb.catalog.years)) == [], answer.text


def cited(answer):
    return {(c.doc, c.line) for c in answer.citations}


# --- the pure functions over the corpus's views -----------------------------------------------------------

def test_from_to_partners(kb):
    doc = doc_id(kb, CENTRE, 2020)
    views = kb.doc_views(doc)
    start, end = _view(kb, doc, "医保服务窗口（机构改革前）"), _view(kb, doc, "医保服务窗口（现在）")
    assert pairing.end_of(start, views) is end and pairing.start_of(end, views) is start
    other = _view(kb, doc, "医保服务网点（机构改革前）")
    assert pairing.end_of(other, views) is _view(kb, doc, "医保服务网点（现在）")
    assert pairing.start_of(other, views) is None and pairing.end_of(end, views) is None


def test_actual_after_a_quota_or_plan(kb):
    doc = doc_id(kb, BUREAU, 2022)
    views = kb.doc_views(doc)
    quota = _view(kb, doc, "编制总数", line=71)
    actual = pairing.actual_after(quota, views)
    assert actual is not None and actual.fact.row == "实有在编人数" and actual.fact.line == 71
    assert actual.fact.value < quota.fact.value
    assert pairing.actual_after(actual, views) is None            # an actual figure has no actual of its own
    doc20 = doc_id(kb, CENTRE, 2020)
    plan = _view(kb, doc20, "政府采购计划金额")
    paid = pairing.actual_after(plan, kb.doc_views(doc20))
    assert paid is not None and paid.fact.unit == "万元" and paid.fact.value < plan.fact.value


def test_cues():
    assert pairing.USAGE_CUE.search("编制大概用了几成") and pairing.USAGE_CUE.search("采购计划执行了多少")
    assert not pairing.USAGE_CUE.search("执行进度百分之几")
    assert pairing.CHANGE_CUE.search("窗口增加了多少个") and pairing.CHANGE_CUE.search("比机构改革前多了多少")
    assert not pairing.CHANGE_CUE.search("现在有多少个窗口")


# --- answers ------------------------------------------------------------------------------------------------

def test_from_to_difference_within_one_statement(agent, kb):
    doc = doc_id(kb, CENTRE, 2020)
    start, end = _view(kb, doc, "医保服务窗口（机构改革前）"), _view(kb, doc, "医保服务窗口（现在）")
    for q in ("2020年医保服务窗口从机构改革前到现在增加了多少个？", "深圳医保中心的医保服务窗口比机构改革前多了几个？"):
        a = agent.answer(q)
        assert a.value == end.fact.value - start.fact.value and a.unit == "个", a.text
        assert a.calculation and evaluate(a.calculation.expression) == a.value
        assert f"{a.value:,}个" in a.text                       # a whole count stays whole
        assert (doc, end.fact.line) in cited(a)
        _traceable(a, kb)


def test_usage_share_of_a_quota_in_the_sub_unit(agent, kb):
    doc = doc_id(kb, BUREAU, 2022)
    quota = _view(kb, doc, "编制总数", line=71)
    actual = pairing.actual_after(quota, kb.doc_views(doc))
    a = agent.answer("截至2021年底，深圳医保局本级的编制用了百分之几？")
    expected = (actual.fact.value / quota.fact.value * 100).quantize(Decimal("0.01"))
    assert a.value == expected and a.unit == "%", a.text
    assert "本级" in a.text and "预算" in a.text
    _traceable(a, kb)


def test_plan_executed_is_the_amount_printed_after_the_plan(agent, kb):
    doc = doc_id(kb, CENTRE, 2020)
    plan = _view(kb, doc, "政府采购计划金额")
    paid = pairing.actual_after(plan, kb.doc_views(doc))
    a = agent.answer("2020年医保中心的政府采购计划执行了多少？")
    assert a.value == paid.fact.value and a.unit == "万元", a.text
    assert {(doc, plan.fact.line), (doc, paid.fact.line)} <= cited(a)
    _traceable(a, kb)


def test_a_rate_the_document_prints_is_quoted(agent, kb):
    doc = doc_id(kb, CENTRE, 2020)
    rate = _view(kb, doc, "采购执行进度")
    a = agent.answer("2020年医保中心采购执行进度是百分之几？")
    assert (a.value, a.unit) == (rate.fact.value, "%") and (doc, rate.fact.line) in cited(a)


def test_earlier_year_printed_in_a_later_report_is_labelled(agent, kb):
    doc = doc_id(kb, CENTRE, 2020)
    income = facts_where(kb, doc, "2019年度总收入", source="prose")[0]
    a = agent.answer("深圳医保中心2019年的收入是多少？")
    assert a.value == income.value and not a.refusal, a.text
    assert "2019" in a.text and "2020年部门决算" in a.text and "对比" in a.text
    _traceable(a, kb)


def test_earlier_year_worked_back_from_a_change_statement(agent, kb):
    doc = doc_id(kb, CENTRE, 2020)
    now = facts_where(kb, doc, "政府性基金收入、支出", source="prose")[0]
    change = [f for f in kb.facts() if f.doc_id == doc and f.qualifier == "增加" and f.year_ref == 2019
              and f.unit == "万元" and f.row.startswith("政府性基金收入")][0]
    a = agent.answer("医保中心2019年政府性基金收入是多少？按2020年决算推算一下")
    assert a.value == now.value - change.value, a.text
    assert a.calculation and evaluate(a.calculation.expression) == a.value
    assert {(doc, now.line), (doc, change.line)} <= cited(a)
    _traceable(a, kb)


def test_sum_of_two_prose_counts_sharing_their_words(agent, kb):
    doc = doc_id(kb, CENTRE, 2020)
    medical = facts_where(kb, doc, "医疗费用报销业务网上申请预审", source="prose")[0]
    maternity = facts_where(kb, doc, "生育费用报销业务网上申请预审", source="prose")[0]
    a = agent.answer("2020年生育费用和医疗费用报销网上申请预审合计多少宗？")
    assert (a.value, a.unit) == (medical.value + maternity.value, "宗"), a.text
    _traceable(a, kb)


def test_whole_department_score_is_not_a_projects(agent, kb):
    doc = doc_id(kb, CENTRE, 2020)
    own = facts_where(kb, doc, "部门整体绩效自评", source="prose")[0]
    a = agent.answer("深圳医保中心2020年部门整体绩效自评得分是多少？")
    assert a.value == own.value and a.unit == "分", a.text
