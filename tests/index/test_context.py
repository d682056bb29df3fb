"""Follow-ups searched with the turn they follow (index/context.py), on the real router and a real index."""
from __future__ import annotations

from hypothesis import given, strategies as st

from index.context import contextual_query, is_follow_up, last_user_turn
from index.routing import DocRouter
from index.terms import Glossary
from tests.index.conftest import JIANGMEN

DOCS = [("j", "江门市医疗保障局", 2024, "预算", "本级"), ("z", "漳州市医疗保障局", 2024, "预算", "汇总"),
        ("s", "深圳市医疗保障局", 2022, "预算", "汇总")]


def _router() -> DocRouter:
    return DocRouter.build(DOCS, Glossary.load())


def _ask(question: str, earlier: str) -> str:
    router = _router()
    history = [{"role": "user", "content": earlier}, {"role": "assistant", "content": "（答复）"}]
    return contextual_query(question, history, router.split_query, router.selector_sort)


def test_follow_ups_are_recognised_and_full_questions_are_not():
    for q in ("那其中公务接待费呢？", "and in 2022?", "What about Zhangzhou?", "去年呢", "其中面向小微企业的呢？"):
        assert is_follow_up(q), q
    assert not is_follow_up("江门市医疗保障局2024年一般公共预算“三公”经费预算是多少万元？")


def test_a_follow_up_keeps_the_earlier_topic_and_document():
    query = _ask("那其中公务接待费呢？", "漳州医保局2024年三公经费预算多少？")
    assert "三公经费" in query and "漳州" in query and query.endswith("那其中公务接待费呢？")


def test_the_follow_ups_own_place_or_year_replaces_the_earlier_one():
    query = _ask("那漳州呢？", "江门医保局2024年住房公积金预算多少？")
    assert "江门" not in query and "漳州" in query and "住房公积金" in query and "2024" in query
    query = _ask("and in 2022?", "How much does the Shenzhen centre budget for archive sorting in 2024?")
    assert "2024" not in query and "2022" in query and "archive sorting" in query and "Shenzhen" in query


def test_a_full_question_or_no_history_is_searched_as_asked():
    full = "江门医保局2024年委托业务费安排了多少？"
    assert _ask(full, "漳州医保局2024年三公经费预算多少？") == full
    router = _router()
    assert contextual_query("那其中公务接待费呢？", None, router.split_query, router.selector_sort) == "那其中公务接待费呢？"


@given(st.lists(st.one_of(st.none(), st.integers(), st.dictionaries(st.sampled_from(["role", "content"]),
                                                                     st.text(max_size=20)))))
def test_any_history_shape_gives_a_string_and_never_raises(history):
    assert isinstance(last_user_turn(history), str)


def test_search_with_history_finds_the_row_a_follow_up_asks_for(jiangmen_index):
    history = [{"role": "user", "content": "江门医保局2024年三公经费预算是多少？"},
               {"role": "assistant", "content": "江门市医疗保障局（本级）2024年“三公”经费预算 3.00 万元。"}]
    followed = jiangmen_index.search("那其中公务接待费呢？", k=5, history=history)
    assert followed and all(h.chunk.doc_id == JIANGMEN for h in followed)
    shown = " ".join(h.chunk.text for h in followed[:3])
    assert "公务接待费" in shown and "三公" in shown
