"""Operation families on phrasings made up here: percent change, 'each of', final accounts that do not exist."""
from __future__ import annotations

from decimal import Decimal

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


@pytest.mark.parametrize("q, a, b", [
    ("project spending exceeds basic spending", "project spending", "basic spending"),
    ("how much bigger is the centre's budget than the bureau's", "the centre's budget", "the bureau's"),
])
def test_english_comparatives_split_into_two_sides(q, a, b):
    from assistant.operands import split_difference
    assert split_difference(q) == (a, b)


@pytest.mark.parametrize("q", ["By how much does project spending exceed basic spending?",
                               "Which city spent more on travel in 2024, and by how much?",
                               "哪家的会议费高，高多少？"])
def test_which_is_bigger_and_by_how_much_is_a_difference(q):
    assert parse_intent(q).operation == ops.DIFFERENCE


def test_plus_adds_items(assistant):
    a = assistant.ask("Jiangmen bureau 2024: printing plus travel in basic spending, in total?")
    assert a.calculation is not None and "+" in a.calculation.expression


def test_an_amount_and_a_percentage_in_one_breath_are_two_parts():
    from assistant.followup import split_questions
    parts = split_questions("漳州医保局2024年会议费比上年多了多少，涨了百分之几？")
    assert len(parts) == 2 and parts[1].startswith("漳州医保局2024年会议费比上年") and "百分之几" in parts[1]
    assert split_questions("2020年实际花了多少，2024年预算又是多少？") == ["2020年实际花了多少，2024年预算又是多少？"]


def test_a_count_is_never_answered_with_money(assistant):
    a = assistant.ask("江门医保局有多少名在职职工？")
    assert a.value is None or a.unit not in ("万元", "元")


def test_an_amount_is_never_answered_with_a_head_count(assistant):
    a = assistant.ask("漳州市医疗保障监测中心2024年预算经费是多少钱？")
    assert a.unit in (None, "万元", "元", "%")


def test_a_row_asked_whole_is_its_total_over_basic_and_project(assistant):
    a = assistant.ask("深圳医保中心2024年差旅费一共预算多少？")
    assert "18.34" in a.text                             # 表8 支出总计 (基本 7.51 + 项目 10.83)
    b = assistant.ask("深圳医保中心2024年基本支出里的差旅费是多少？")
    assert "7.51" in b.text


def test_the_exact_printing_beats_a_rounded_one(assistant):
    a = assistant.ask("2020年深圳医保中心医保综合管理项目的预算执行率")
    assert "89.51" in a.text


def test_a_share_of_a_total_asked_in_a_follow_up(assistant):
    history = [{"role": "user", "content": "What did the Jiangmen bureau spend in total in its 2024 budget?"},
               {"role": "assistant", "content": "2,047 万元"}]
    a = assistant.ask("What percentage of that is basic spending?", history=history)
    assert a.calculation is not None and "/" in a.calculation.expression


@pytest.mark.parametrize("q, op", [("其中江门医保局本级占多少钱？", ops.LOOKUP), ("人员经费占总支出多少", ops.RATIO)])
def test_zhan_duoshao_qian_asks_for_an_amount(q, op):
    assert parse_intent(q).operation == op


def test_a_group_word_asked_as_one_figure_is_the_sum_of_its_items(assistant):
    a = assistant.ask("深圳医保中心2024年水电费预算一共多少？")     # 水电 stands for 水费 + 电费 (glossary type "group")
    assert a.calculation is not None and "+" in a.calculation.expression
    assert {c.row for c in a.citations} >= {"水费", "电费"}


# -- colloquial and official words for a cut or a rise (made-up phrasings) -----------------------
@pytest.mark.parametrize("question", [
    "漳州医保局公车运行费比上年调增了百分之几",
    "江门医保局的接待费比去年砍了百分之多少",
    "深圳医保中心三公经费压减了几成",
    "By what percent was the Jiangmen bureau's reception budget slashed?",
    "How much, in percent, was the Shenzhen centre's training budget trimmed?",
])
def test_a_cut_or_rise_in_percent_is_a_percent_change(question):
    from assistant.intent import parse_intent
    it = parse_intent(question)
    assert it.operation == "difference" and it.percent, (question, it)


def test_a_cut_named_colloquially_is_computed_as_new_minus_old_over_old_and_worded_as_a_fall(agent, kb):
    from tests.assistant.test_generality import check
    a = agent.answer("深圳医保中心2024年的三公经费比2023年压减了百分之多少")
    check(a, kb)
    expr = a.calculation.expression
    assert expr.startswith("(") and ") /" in expr and a.value < 0, expr
    assert f"下降 {-a.value}" in a.text, a.text


# -- a change of one item with no other side named; how to derive it is not what is asked -------
def test_a_change_of_one_item_is_its_change_on_the_year_before(agent, kb):
    from tests.assistant.test_generality import check
    for q in ("漳州医保局2024年公务用车运行费涨了多少", "江门医保局2024年三公经费降了百分之几？"):
        a = agent.answer(q)
        check(a, kb)
        assert "2023" in a.text and ("增加" in a.text or "下降" in a.text), a.text
    first = "江门医保局2024年三公经费多少"
    said = agent.answer(first).text
    a = agent.answer("增幅多少？", history=[{"role": "user", "content": first}, {"role": "assistant", "content": said}])
    check(a, kb)
    assert "%" in a.text and "2023" in a.text, a.text


def test_a_derivation_method_named_in_the_question_is_not_a_change_asked():
    from assistant.intent import parse_intent
    for q in ("按增减额推算2023年为多少？", "根据文件列明的增减额倒推上年是多少"):
        assert parse_intent(q).operation == "lookup", q


def test_the_earlier_year_is_derived_by_the_stated_increase_when_asked_how_to_get_it(agent, kb):
    from tests.assistant.test_generality import check
    a = agent.answer("漳州医保局2024年公务用车运行费是多少？根据文件列出的增减额倒推2023年是多少？")
    check(a, kb)
    assert a.calculations and any("-" in c.expression for c in a.all_calculations()), a.text
    assert "2023" in a.text


def test_a_paragraphs_closing_change_belongs_to_its_lead_figure_not_the_last_item_listed(agent, kb):
    a = agent.answer("深圳医保中心2023年培训费是多少")       # the 2024 paragraph lists 培训费 8.44 last, then
    assert not any(c.expression.startswith("8.44") for c in a.all_calculations()), a.text   # the project's change


# -- a share of a named section's total -----------------------------------------------------------
@pytest.mark.parametrize("question", [
    "深圳医保局2022年货物采购占政府采购总额的百分之几",
    "What share of the Shenzhen bureau's 2022 total government procurement was goods?",
])
def test_a_share_of_a_named_sections_total_is_of_that_sections_total(agent, kb, question):
    from tests.assistant.test_generality import check
    a = agent.answer(question)
    check(a, kb)
    assert a.calculation is not None and a.calculation.expression.startswith("452 / 4650"), a.text


def test_items_added_up_come_from_one_classification(agent, kb):
    from tests.assistant.conftest import doc_id
    from tests.assistant.test_generality import JIANGMEN, check
    a = agent.answer("江门医保局2024年职业年金、职工医保缴费和公务员医疗补助加起来多少")
    check(a, kb)
    doc = doc_id(kb, JIANGMEN, 2024)
    economic = {}
    for v in kb.doc_views(doc):
        if v.fact.row_code in ("30109", "30110", "30111") and "基本支出" in v.fact.table and "经济分类" in v.fact.table:
            economic.setdefault(v.fact.row_code, v.fact.value)        # each row's first (total) column
    assert len(economic) == 3
    assert a.value == sum(economic.values()), a.text    # all three by economic class, none by function (2101103)
    assert "2101103" not in a.text, a.text


def test_a_bare_rate_or_score_in_a_list_is_of_the_first_items_subject(agent, kb):
    from assistant.operands import split_items
    from tests.assistant.test_generality import check
    items, _ = split_items("信息化运维 项目自评得分和执行率")
    assert items == ["信息化运维 项目自评得分", "信息化运维 执行率"]
    a = agent.answer("2020年深圳医保中心“医疗保障经办管理”项目的得分和执行率分别是多少")
    check(a, kb)
    rates = {v.fact.value for v in kb.views if v.fact.unit == "%" and "医疗保障经办管理" in (v.label + v.fact.row)
             and "执行率" in (v.label + v.fact.row)}
    assert rates and any(str(r) in a.text for r in rates), a.text


def test_items_listed_each_come_from_one_classification(agent, kb):
    from tests.assistant.test_generality import check
    a = agent.answer("江门医保局2024年职业年金、职工医保缴费和公务员医疗补助分别是多少")
    check(a, kb)
    assert "30111" in a.text and "2101103" not in a.text, a.text


def test_an_item_printed_in_two_tables_counts_whole_in_a_sum_and_a_share(agent, kb):
    from tests.assistant.conftest import doc_id
    from tests.assistant.test_generality import JIANGMEN, check
    doc = doc_id(kb, JIANGMEN, 2024)

    def whole(item):
        parts = {v.fact.table: v.fact.value for v in kb.doc_views(doc) if v.fact.row_path
                 and v.fact.row_path[-1] == item and "经济分类" in v.fact.table and v.total_col}
        assert len(parts) == 2, parts                   # basic and project table
        return sum(parts.values())

    a = agent.answer("江门医保局2024年差旅费和办公费合计多少钱")
    check(a, kb)                                        # the parts' sums are shown calculations too
    assert a.value == whole("办公费") + whole("差旅费"), a.text
    a = agent.answer("江门医保局2024年差旅费占部门预算总额的百分之几")
    check(a, kb)
    part = a.calculation.expression.split(" / ")[0]
    assert Decimal(part) == whole("差旅费"), a.calculation


def test_an_item_printed_in_two_tables_is_listed_whole(agent, kb):
    from tests.assistant.test_generality import check
    a = agent.answer("江门医保局2024年印刷费和差旅费分别多少")
    check(a, kb)
    assert len(a.all_calculations()) >= 1, a.text       # 差旅费's basic + project parts, shown


def test_items_listed_together_are_of_one_kind(agent, kb):
    from tests.assistant.test_generality import check
    a = agent.answer("漳州医保局2024年出国、接待和公车分别花多少")
    check(a, kb)
    assert "辆" not in a.text and a.text.count("万元") >= 3, a.text     # 公车 is the car budget, not the car count


def test_two_items_added_up_come_from_the_first_ones_classification(agent, kb):
    from tests.assistant.test_generality import check
    a = agent.answer("江门医保局2024年职工医保缴费和公务员医疗补助一共多少")
    check(a, kb)
    assert "30110" in a.text and "30111" in a.text and "2101103" not in a.text, a.text
