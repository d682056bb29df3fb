"""Answers lead with the answer, in the question's language: the figure first, caveats after it."""
from __future__ import annotations

import re

from corpus.numbers import normalize_digits

HEADLINE = "深圳医保中心自助设备花了多少钱"


def test_the_headline_question_starts_with_the_2024_figure(assistant):
    answer = assistant.ask(HEADLINE)
    first = answer.text.split("\n")[0]
    assert first.startswith("2024年") and "369 万元" in first
    assert answer.text.index("369") < answer.text.index("没有这一项")     # what was not found comes after
    years = {c.year for c in answer.citations if c.value is not None and str(c.value) == "369"}
    assert {2024, 2022} <= years


def test_a_closest_item_caveat_follows_the_figure(assistant):
    answer = assistant.ask("江门医保局本级有多少在编人员？")
    if "最接近" in answer.text:          # (if the matcher finds the exact item one day, nothing to move)
        assert re.search(r"\d", answer.text[:answer.text.index("最接近")])
        assert not answer.text.startswith("文件中没有")


def test_a_derived_figure_leads_with_the_result(assistant):
    answer = assistant.ask("江门市医保局本级2023年的部门预算是多少？")
    assert answer.calculation is not None
    result = f"{answer.value:,}"
    assert answer.text.startswith("2023年") and result in answer.text.split("。")[0]


def test_an_sql_like_chinese_question_is_answered_in_chinese(assistant):
    answer = assistant.ask("'; DROP TABLE facts; -- 三公经费")
    assert answer.language == "zh"
    assert re.search(r"[\u4e00-\u9fff]", answer.text) and "The documents" not in answer.text


def test_english_amounts_are_in_yuan_with_the_chinese_figure_in_brackets(assistant):
    answer = assistant.ask("How much is Jiangmen's 2024 budget for 三公 expenses?")
    assert answer.language == "en" and not answer.refusal
    assert "units of 10,000 yuan" not in answer.text
    m = re.search(r"([\d,.]+) (million |billion )?yuan \(([\d,.]+) 万元\)", normalize_digits(answer.text))
    assert m, answer.text
    scale = {"million ": 10 ** 6, "billion ": 10 ** 9, None: 1}[m.group(2)]
    yuan = float(m.group(1).replace(",", "")) * scale
    assert abs(yuan - float(m.group(3).replace(",", "")) * 10_000) <= scale * 0.005 + 0.01


def test_an_english_derived_figure_leads_in_yuan_and_stays_traceable(assistant):
    from assistant.trace import untraceable_numbers
    answer = assistant.ask("What was the Jiangmen Healthcare Security Bureau's total budget in 2023?")
    assert answer.text.startswith("The 2023 figure is about ") and "million yuan" in answer.text.split(")")[0]
    assert untraceable_numbers(answer) == []
    for question in (HEADLINE, "江门医保局本级有多少在编人员？", "江门市医保局本级2023年的部门预算是多少？"):
        assert untraceable_numbers(assistant.ask(question), set(assistant.kb.catalog.years)) == []  # (2020: a doc named)
