"""Properties stated in words (级别, 等级, 性质): the sentence that states them, found on made-up phrasings."""
from __future__ import annotations

import pytest

from assistant.statement import asks_property, property_words


@pytest.mark.parametrize("q, asks", [("漳州医保局是什么性质的单位", True), ("深圳医保中心的绩效评价等级", True),
                                     ("What rating did the project get?", True), ("三公经费是多少", False),
                                     ("评价得了多少分", False)])
def test_a_property_is_asked_in_words_not_as_a_figure(q, asks):
    assert asks_property(q) is asks


def test_property_words_are_the_documents_own():
    assert property_words("what grade was it rated") == {"等级"}


def test_the_stated_level_is_quoted_with_its_line(assistant):
    a = assistant.ask("江门市医保局属于哪一级的建制？")
    assert "正处级" in a.text and not a.refusal
    assert a.citations and a.citations[0].doc.startswith("003")


def test_the_grade_of_a_project_named_sentences_before(assistant):
    a = assistant.ask("2020年深圳医保中心的城镇居民医疗保险财政补贴项目评价等级如何")
    assert "优秀" in a.text
