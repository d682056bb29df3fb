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
