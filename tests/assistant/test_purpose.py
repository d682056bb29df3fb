"""Items matched by what they are for (the 用于 clause, a 绩效目标 cell, a project table's own description),
the project a "该项目…" sentence is about, rows picked by a text column (counted and added up), a share
between two cells of one row, and refusals that stay strict. Real corpus, lexical matching (no embedder);
expected figures are read from the parsed documents, never typed in."""
from __future__ import annotations

from decimal import Decimal

import pytest

from assistant.calculator import calculate
from assistant.matching import Idf, build_terms, purpose_strength
from assistant.operands import split_ratio
from assistant.question import WHOLE_UNIT
from assistant.rowfilter import named_text, wants
from tests.assistant.conftest import doc_id
from tests.assistant.test_generality import BUREAU, CENTRE, JIANGMEN, ZHANGZHOU, check, value

NO_TARGET = "运转类支出，无绩效目标。"


def _view(kb, org, year, label, prose=None, unit=None):
    doc = doc_id(kb, org, year)
    out = [v for v in kb.doc_views(doc) if v.label == label and (prose is None or v.prose == prose)
           and (unit is None or v.fact.unit == unit)]
    assert out, label
    return out[0]


# -- what an item is for ------------------------------------------------------------------------
def test_a_prose_item_takes_the_use_clause_after_its_figure(kb):
    card = _view(kb, BUREAU, 2022, "智能核卡项目", prose=True)
    assert card.purpose.startswith("用于人脸识别查房")
    # the heading item's own clause lists its parts ("主要包括：医疗监督检查 354 万元，用于基金监管检查…"),
    # whose 用于 clauses are theirs (its own purpose, if any, comes from its 绩效目标 elsewhere)
    assert "基金监管检查" not in _view(kb, BUREAU, 2022, "基金监督管理", prose=True).purpose


def test_a_purpose_in_the_next_sentence_and_in_a_table_cell(kb):
    doc = doc_id(kb, ZHANGZHOU, 2024)
    coded = [v for v in kb.doc_views(doc) if v.prose and v.fact.row_code == "2109999" or
             v.prose and "2109999" in v.fact.quote and v.fact.unit == "万元"]
    assert coded and "困难企业职工" in coded[0].purpose          # "…10.00 万元。主要用于困难企业职工…"
    research = _view(kb, JIANGMEN, 2024, "医保政策研究项目经费")
    assert "市级统筹" in research.purpose and "课题研究" in research.purpose   # its 绩效目标 cell
    # every printing of the item in the document carries the purpose stated for it
    assert all("市级统筹" in v.purpose for v in kb.doc_views(research.fact.doc_id) if v.label == research.label)


def test_a_project_tables_funding_rows_take_its_description(kb):
    doc = doc_id(kb, ZHANGZHOU, 2024)
    funds = [v for v in kb.doc_views(doc) if v.fact.table.startswith("困难企业职工") and v.label.startswith("资金总额")]
    assert funds and "破产企业" in funds[0].purpose and funds[0].subject.endswith("项目")


def test_purpose_words_explain_a_question_that_names_no_item(agent, kb):
    cases = [("江门医保局2024年拿来测算新增医疗服务价格项目成本的是哪笔钱，多少？", JIANGMEN, "物价管理经费"),
             ("江门医保局2024年委托第三方研究基本医疗保险市级统筹的经费是多少？", JIANGMEN, "医保政策研究项目经费"),
             ("深圳医保中心2024年资助低收入群体购买医疗保险的钱有多少？", CENTRE, "福利彩票公益金项目")]
    for question, org, label in cases:
        a = agent.answer(question)
        check(a, kb)
        assert a.value == value(kb, org, 2024, label), (question, a.text)
        assert "文件说明该项" in a.text                      # the answer says what the item is for


def test_a_purpose_that_only_shares_generic_words_is_no_match(agent, kb):
    for question in ("江门医保局2024年购买无人机的经费是多少？",        # 购买 … 经费 in 政府购买服务; 无人机 nowhere
                     "深圳医保中心2024年给员工发年终奖多少钱？",
                     "深圳医保中心2024年的预算执行率是多少？"):        # 预算执行率 is not 预算执行中
        a = agent.answer(question)
        assert a.refusal and a.value is None, (question, a.text)


def test_purpose_strength_needs_most_of_the_question(kb):
    research = _view(kb, JIANGMEN, 2024, "医保政策研究项目经费")
    asked = build_terms("委托第三方 市级统筹 课题研究 经费", kb.glossary, kb.idf)
    one_word = build_terms("统筹", kb.glossary, kb.idf)
    assert purpose_strength(research, asked) > 0.8
    assert purpose_strength(research, one_word) == 0.0       # one concept the description merely mentions


def test_a_refusal_points_to_the_document_that_has_the_item(agent, kb):
    a = agent.answer("深圳医保中心2024年的预算执行率是多少？")
    assert a.refusal and a.value is None
    assert a.citations and {c.doc for c in a.citations} == {doc_id(kb, CENTRE, 2020)}
    assert "同一单位的其他文件中有这一项" in a.text


# -- the project a "该项目…" sentence is about ------------------------------------------------------
def test_a_score_sentence_is_about_the_project_named_before_it(agent, kb):
    doc = doc_id(kb, CENTRE, 2020)
    scores = [v for v in kb.doc_views(doc) if v.prose and v.fact.unit == "分" and v.subject]
    by_subject = {v.subject: v.fact.value for v in scores}
    assert len(by_subject) == 2 and len(set(by_subject.values())) == 2
    for subject, score in by_subject.items():
        short = subject.replace("医疗保险", "医保").replace("承办业务", "")
        a = agent.answer(f"深圳医保中心2020年{short}的综合得分是多少？")
        check(a, kb)
        assert a.value == score, (short, a.text)
        assert subject in a.text                       # the answer names the project, not just 综合得分


def test_overall_score_is_not_the_department_as_a_whole():
    assert not WHOLE_UNIT.search("what overall score did the project get")
    assert WHOLE_UNIT.search("the overall budget execution rate")


# -- rows picked by what a text column says --------------------------------------------------------
def _marked_rows(kb):
    doc = doc_id(kb, JIANGMEN, 2024)
    rows = [r for t in kb.tables.values() if t.doc_id == doc for r in t.rows
            if any(txt.strip() == NO_TARGET for _, txt in r.text_cells)]
    assert len(rows) >= 2
    return rows


def test_rows_marked_with_a_text_are_counted_and_added_up(agent, kb):
    rows = _marked_rows(kb)
    total = sum(r.cells[0] for r in rows)
    for question, want in (("江门医保局2024年绩效目标一栏写“运转类支出，无绩效目标”的支出，合计多少钱？", total),
                           ("江门医保局2024年有几项支出的绩效目标是“运转类支出，无绩效目标”？", Decimal(len(rows)))):
        a = agent.answer(question)
        check(a, kb)
        assert a.value == want, a.text
        assert {c.line for c in a.citations} == {r.line for r in rows}
        shown = {c.result for c in a.all_calculations()}
        assert {total, Decimal(len(rows))} <= shown           # both the count and the sum are calculator results


def test_a_text_is_named_when_quoted_or_printed_whole():
    assert named_text("标着“运转类支出”的有几项", ["运转类支出"], NO_TARGET) is False    # too little of it
    assert named_text("标着“运转类支出，无绩效目标”的有几项", ["运转类支出，无绩效目标"], NO_TARGET)
    assert named_text("绩效目标是运转类支出，无绩效目标的有几项", [], NO_TARGET)
    assert wants("有几项？加起来多少钱？") == (True, True)


def test_the_calculator_counts_figures():
    assert calculate("count(25.00, 3.00, 4.00)").result == 3


# -- a share between two cells of one row --------------------------------------------------------
def test_share_of_a_part_column_in_its_parent_column(agent, kb):
    doc = doc_id(kb, CENTRE, 2024)
    row = [v for v in kb.doc_views(doc) if v.fact.table.startswith("支出总表") and v.total_row and v.fact.column]
    part = next(v for v in row if "面向中小企业" in v.fact.column[-1]).fact.value
    whole = next(v for v in row if "政府采购" in v.fact.column[0] and v.fact.column[-1] == "小计").fact.value
    a = agent.answer("2024年深圳医保中心的政府采购里，面向中小企业的部分占多大比例？")
    check(a, kb)
    assert a.unit == "%" and a.calculation is not None
    assert abs(a.value - part / whole * 100) < Decimal("0.01")


@pytest.mark.parametrize("topic, part, whole", [
    ("政府采购里 面向中小企业 占几成", "面向中小企业", "政府采购"),       # 中 inside 面向中小企业 is no container word
    ("项目支出中人员经费占 比例", "人员经费", "项目支出"),
])
def test_split_ratio_finds_the_container_word(topic, part, whole):
    got = split_ratio(topic)
    assert got is not None and got[0] == part and got[1].startswith(whole)


# -- strict refusals ------------------------------------------------------------------------------
def test_the_funds_own_pooled_spending_is_not_a_table_total(agent):
    for question in ("深圳医保中心2024年医保统筹基金一年支出多少亿元？", "漳州医保局2024年职工医保统筹基金的收入有多少？"):
        a = agent.answer(question)
        assert a.refusal and a.value is None, (question, a.text)


def test_words_only_the_documents_text_uses_weigh_more_than_unknown_ones():
    idf = Idf(["物价管理经费", "医保政策研究项目经费"], prose=["对基本医疗保险市级统筹进行课题研究"])
    assert idf("统筹") > idf("花钱")                   # a budget concept no item is named by vs. filler
    assert idf.known("统筹") and not idf.known("花钱")
