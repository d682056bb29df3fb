"""Typos by sound are corrected only into what the documents print (made-up misspellings)."""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st


@pytest.mark.parametrize("typed, meant", [
    ("江门的住房公基金多少", "住房公积金"),
    ("三工经费一共多少", "三公经费"),
    ("差率费是多少", "差旅费"),
    ("培驯费安排了多少", "培训费"),
    ("物叶管理费", "物业管理费"),
])
def test_a_misspelt_item_becomes_the_printed_one(kb, typed, meant):
    assert meant in kb.homophones.correct(typed)


@pytest.mark.parametrize("question", [
    "深圳医保中心2024年预算里那个涉密的“有关项目”占全部预算的百分之多少？",
    "给员工交的养老保险花了多少钱",
    "How much was spent on travel?",
])
def test_ordinary_questions_are_left_alone(kb, question):
    assert kb.homophones.correct(question) == question


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_printed_text_is_never_changed(kb, data):
    doc = data.draw(st.sampled_from(sorted(kb.documents)))
    lines = [l for l in kb.documents[doc].lines if l.strip()]
    line = data.draw(st.sampled_from(lines))
    assert kb.homophones.correct(line) == line


def test_function_words_next_to_item_names_stay(kb):
    q = "22年深圳医保局的信息化系统运行维护项目里，国家医保平台的后续运营费是多少？"
    assert kb.homophones.correct(q) == q


@pytest.mark.parametrize("typed, meant", [
    ("深证医保中心的办公费预算", "深圳医保中心"),           # zhen / zheng: a front or back nasal slip
    ("漳洲那边的医保局花了多少", "漳州那边"),
    ("江们医保局有几辆车", "江门医保局"),
    ("江门那边的会议废多少钱", "会议费"),                    # the item's last character, a function word after
    ("漳州医保局的公务接待废", "公务接待费"),
])
def test_a_misspelt_place_or_item_ending_becomes_the_printed_one(kb, typed, meant):
    assert meant in kb.homophones.correct(typed)


@pytest.mark.parametrize("question", [
    "看一下深圳医保中心今年买电脑花多少钱",
    "三家单位一共多少人",
    "同一指标两年各是多少",
    "深圳已激活电子凭证的人多吗",
    "广州医保局的办公费",
    "常州医保局办公费",
    "项目预算多少？占部门预算支出总计的比重是多少？",
])
def test_common_words_and_other_places_are_not_corrected(kb, question):
    assert kb.homophones.correct(question) == question


def test_a_character_printed_with_its_other_neighbour_is_meant(kb):
    q = "2020年生育费用网上申请预审合计多少宗"      # 审合 is unprinted, but 合计 is: no 预审核计
    assert kb.homophones.correct(q) == q
