"""Operation families on phrasings made up here: percent change, 'each of', final accounts that do not exist."""
from __future__ import annotations

import pytest

from assistant import intent as ops
from assistant.intent import parse_intent


@pytest.mark.parametrize("q", ["三公经费比上年下降了百分之几", "接待费涨幅是多少百分比", "By what percent did travel costs increase?",
                               "2024年比2022年增长了百分之多少", "增长率是多少"])
def test_a_change_in_percent_is_a_difference_in_percent(q):
    it = parse_intent(q)
    assert it.operation == ops.DIFFERENCE and it.percent


@pytest.mark.parametrize("q", ["会议费和培训费各多少", "办公费、印刷费各安排了多少钱", "travel and training, each?"])
def test_each_of_several_items_is_a_list(q):
    assert parse_intent(q).operation == ops.LIST


def test_percent_change_is_new_minus_old_over_old(assistant):
    a = assistant.ask("深圳医保中心2022年三公经费预算比2021年增长了百分之多少？")
    assert not a.refusal and a.calculation is not None
    assert "-" in a.calculation.expression and "/" in a.calculation.expression
    assert abs(float(a.value) - 83.73) < 0.01           # (7.68 - 4.18) / 4.18, not 7.68 / 4.18


def test_each_part_of_a_two_item_question_is_answered(assistant):
    a = assistant.ask("江门医保局2024年印刷费和差旅费各多少？")
    assert "121.04" in a.text and "2.50" in a.text


@pytest.mark.parametrize("q", ["江门医保局2024年的差旅费决算数是多少？",
                               "What did the Zhangzhou bureau's 2024 final accounts show for travel?"])
def test_final_accounts_asked_for_a_year_with_only_a_budget_are_refused(assistant, q):
    a = assistant.ask(q)
    assert a.refusal and a.value is None
    assert "只有预算" in a.text or "only the budget" in a.text
