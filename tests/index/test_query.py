"""What a question says besides its words (index/query.py): quoted amounts, codes, asking for a total."""
from __future__ import annotations

from index.query import asks_for_total, asks_for_whole_budget, quoted_amounts, quoted_codes
from index.routing import DocRouter
from index.terms import Glossary

ROUTER = DocRouter.build([("j", "江门市医疗保障局", 2024, "预算", "本级"), ("s", "深圳市医疗保险基金管理中心", 2020, "决算")],
                         Glossary.load())


def _content(question: str) -> str:
    return ROUTER.split_query(question)[0]


def test_questions_asking_for_a_whole_are_told_from_questions_about_an_item():
    for q in ("江门市医保局本级2024年项目支出一共多少？", "江门医保局2024年的预算是多少？",
              "医保中心2020年决算中，项目支出实际是多少？", "What is Jiangmen's total budget for 2024?",
              "How much larger is Jiangmen's healthcare security budget?"):
        assert asks_for_total(_content(q)), q
    for q in ("江门医保局2024年委托业务费是多少？", "江门医保局2024年三公经费预算，哪家最高？",
              "How much is the 2024 budget for archive sorting?", "彩票公益金那个项目给了多少钱"):
        assert not asks_for_total(_content(q)), q


def test_amounts_and_codes_are_read_from_the_question():
    assert quoted_amounts("这钱算在2,047万里面吗？542.73呢") == ["2047", "542.73"]
    assert quoted_codes("住房公积金（30113）决算多少？2024年") == ["30113"]


def test_a_whole_budget_is_told_from_the_total_of_one_part():
    for q in ("江门医保局2024年的预算是多少？", "江门医保局2024年的预算规模有多大？", "What is Jiangmen's total 2024 budget?"):
        assert asks_for_whole_budget(_content(q)), q
    for q in ("江门市医保局本级2024年项目支出一共多少？", "江门医保局2024年基本支出总共多少？", "江门医保局2024年委托业务费是多少？"):
        assert not asks_for_whole_budget(_content(q)), q


def test_a_whole_budget_question_finds_the_summary_tables_total_row(jiangmen_index):
    hits = jiangmen_index.search("江门医保局2024年的预算总共是多少？", k=5)
    focus = [f for h in hits for f in h.focus] + [h.chunk for h in hits]
    assert any(c.chunk_type == "row" and "部门预算总额" in c.text for c in focus)
