"""Families of questions served in session 9, each on phrasings made up for the test: a change of an item
(stated after a repeated figure, inside another item, between two named years), budget and actual of one
item, an organisation without the figure, counter words as units, "and roughly how many" parts."""
from __future__ import annotations

from decimal import Decimal

from assistant.agent import BuiltinAgent


def test_the_change_stated_after_a_repeated_item_is_that_items(kb):
    agent = BuiltinAgent(kb)
    for question in ("江门医保局24年公车运行维护的钱跟上年比少了多少？", "江门医保局2024年公务接待费较上年增加多少"):
        answer = agent.answer(question, [], None)
        assert not answer.refusal, question
        assert any(c.line == 456 for c in answer.citations), question
    assert "0.15" in agent.answer("江门医保局24年公车运行维护的钱跟上年比少了多少？", [], None).text


def test_a_change_asked_of_an_item_inside_another_is_the_inner_items(kb):
    agent = BuiltinAgent(kb)
    answer = agent.answer("漳州医保局24年三公经费里头，公务接待这块比上年多了多少？", [], None)
    assert not answer.refusal and "接待" in answer.text and "三公" not in answer.text.split("为")[0]
    answer = agent.answer("江门医保局2024年的三公经费，这里面公车的钱比上年少了多少", [], None)
    assert not answer.refusal and "0.15" in answer.text and "公务用车" in answer.text


def test_a_follow_up_starting_with_inside_it_names_the_inner_item(kb):
    agent = BuiltinAgent(kb)
    first = "深圳医保中心2024年三公经费是多少"
    history = [{"role": "user", "content": first}, {"role": "assistant", "content": agent.answer(first, [], None).text}]
    answer = agent.answer("那里头公务接待费是多少", history, None)
    assert not answer.refusal and answer.value == Decimal("0.68")


def test_a_change_between_two_named_years_uses_the_later_documents_year_before(kb):
    agent = BuiltinAgent(kb)
    answer = agent.answer("How much did Jiangmen's official car running costs fall from 2023 to 2024?", [], None)
    assert not answer.refusal and "0.15" in answer.text
    answer = agent.answer("深圳医保中心三公经费从2023年到2024年降了百分之几", [], None)
    assert not answer.refusal and "85.42" in answer.text and "52.68" in answer.text


def test_budget_and_actual_of_one_item_are_both_answered_and_named(kb):
    agent = BuiltinAgent(kb)
    answer = agent.answer("深圳医保中心2020年的三公经费，预算和决算各是多少？", [], None)
    assert not answer.refusal and "2.04" in answer.text and "1.74" in answer.text
    assert "决算中列示的预算" in answer.text
    answer = agent.answer("2020年深圳医保中心三公经费的预算数与实际数是多少", [], None)     # no 各: still both
    assert "2.04" in answer.text and "1.74" in answer.text
    answer = agent.answer("深圳医保中心公务用车运行维护费：2020年决算数与2024年预算数相差多少？", [], None)
    assert not answer.refusal and "5.26" in answer.text


def test_a_named_organisation_without_the_figure_is_said_to_be_missing(kb):
    answer = BuiltinAgent(kb).answer("江门医保局和漳州医保局24年的差旅费分别是多少", [], None)
    assert not answer.refusal and "2.50" in answer.text
    assert "漳州" in answer.text and "没有找到" in answer.text


def test_a_counter_word_is_the_unit_asked():
    from assistant.question import unit_hint
    assert unit_hint("计划新增立项几批价格项目？") == "批"
    assert unit_hint("病组要测算多少组") == "组"
    assert unit_hint("How many batches of new price items are planned?") == "批"
    assert unit_hint("一共多少个窗口") == "个"


def test_and_roughly_how_many_starts_a_second_part():
    from assistant.followup import split_questions
    parts = split_questions("For the 2022 targets, how many pilot hospitals, and approximately how many groups, were planned?")
    assert len(parts) == 2 and "hospitals" in parts[0] and "groups" in parts[1]


def test_a_column_of_the_named_row_is_the_cell_asked(kb):
    agent = BuiltinAgent(kb)
    answer = agent.answer("2022年深圳医保中心的医疗保障经办管理项目里，上年结转的钱有多少？", [], None)
    assert not answer.refusal and answer.value == Decimal("798") and "上年结余" in answer.text
    answer = agent.answer("2022年深圳医保中心的医疗保障经办管理项目中，一般公共预算拨款是多少", [], None)
    assert not answer.refusal and answer.value == Decimal("3073")
    answer = agent.answer("深圳医保中心2024年信息化项目里，国家医保平台的运营费是多少", [], None)
    assert answer.value not in (None, Decimal("0"))          # an item within A, not a column of A's row


def test_a_per_person_figure_of_a_consolidated_document_divides_by_all_its_units(kb):
    answer = BuiltinAgent(kb).answer("漳州医保局24年人员经费按三个单位的在职人数算，人均多少万元？", [], None)
    assert not answer.refusal and "293" in answer.text and "16.84" in answer.text
    shown = [c.shown for c in answer.all_calculations()]
    assert any("144" in s and "98" in s and "51" in s for s in shown)      # the 293 is itself a shown sum


def test_a_bracketed_a_over_b_spells_out_the_rate_and_its_whole_is_stated_beside_the_part(kb):
    from assistant.question import spell_out_ratio
    assert spell_out_ratio("江门医保局2024年人员经费占比是多少（人员经费/基本支出）").endswith("人员经费占基本支出的比例是多少？")
    assert spell_out_ratio("差旅费（30211）是多少") == "差旅费（30211）是多少"
    answer = BuiltinAgent(kb).answer("2020年深圳生育费用报销的网上预审完成比例（完成预审核÷申请预审）", [], None)
    assert not answer.refusal and "30,808" in answer.text and "98.97" in answer.text
