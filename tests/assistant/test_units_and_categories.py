"""Sub-units of a consolidated document, bare head-count questions and generic item names, phrased
here (not taken from any eval set). Expected figures are read from the parsed documents."""
from __future__ import annotations

from assistant.trace import untraceable_numbers
from tests.assistant.conftest import doc_id, facts_where
from tests.assistant.test_generality import BUREAU, CENTRE, JIANGMEN, ZHANGZHOU, check

MONITORING, FUND = "漳州市医疗保障监测中心", "漳州市医疗保障基金中心"


def row_values(kb, doc, label):
    """Values of the rows whose own label (the last step of the row path) is `label`."""
    return {v.fact.value for v in kb.doc_views(doc) if v.fact.row_path and v.fact.row_path[-1] == label}


# -- which organisation an alias names ---------------------------------------------------------
def test_a_full_or_distinctive_name_picks_one_of_two_like_centres(kb):
    assert kb.orgs.detect("漳州市医疗保障基金中心的情况").orgs == [FUND]
    assert kb.orgs.detect("漳州医保监测中心怎么样").orgs == [MONITORING]
    assert kb.orgs.detect("the Zhangzhou fund centre").orgs == [FUND]
    assert kb.orgs.detect("What does Zhangzhou's monitoring centre spend?").orgs == [MONITORING]


def test_a_shared_alias_still_names_both_centres(kb):
    assert set(kb.orgs.detect("漳州医保中心有几个").orgs) == {MONITORING, FUND}
    assert set(kb.orgs.detect("Zhangzhou centre").orgs) == {MONITORING, FUND}


# -- a sub-unit inside a consolidated (汇总) document -------------------------------------------
def test_a_sub_units_own_item_is_refused_when_only_the_consolidated_figure_is_printed(agent, kb):
    doc = doc_id(kb, ZHANGZHOU, 2024)
    assert facts_where(kb, doc, "办公费")          # the consolidated figure exists …
    for q in ("漳州医保基金中心2024年办公费多少钱", "How much office expense did Zhangzhou's monitoring centre budget for 2024?"):
        a = agent.answer(q)
        assert a.refusal and a.value is None, a.text    # … and is not passed off as the centre's own
        assert "汇总" in a.text


def test_a_sub_units_own_row_is_answered(agent, kb):
    doc = doc_id(kb, ZHANGZHOU, 2024)
    staff = {f.value for f in facts_where(kb, doc, FUND) if f.unit == "人"}
    a = agent.answer("漳州医保基金中心2024年有多少人")
    check(a, kb)
    assert a.value in staff and a.unit == "人"


# -- a count question that names nothing but the count ----------------------------------------
def test_how_many_people_is_a_staff_count_never_money(agent, kb):
    a = agent.answer("深圳医保局2022年一共有多少人？")
    check(a, kb)
    doc = doc_id(kb, BUREAU, 2022)
    printed = {v.fact.value for v in kb.doc_views(doc) if v.fact.unit == "人" and "在编" in v.fact.row}
    assert a.unit == "人" and a.value in printed


def test_how_many_people_where_no_count_is_printed_is_refused(agent, kb):
    doc = doc_id(kb, JIANGMEN, 2024)
    assert not [v for v in kb.doc_views(doc) if v.fact.unit in ("人", "名") and "在" in v.fact.row]
    a = agent.answer("How many people work at the Jiangmen bureau in 2024?")
    assert a.refusal and a.value is None, a.text


# -- a generic name for items that sit under one row ------------------------------------------
def test_a_generic_name_means_the_row_its_items_sit_under(agent, kb):
    doc = doc_id(kb, JIANGMEN, 2024)
    parent = row_values(kb, doc, "公务用车购置及运行维护支出")
    a = agent.answer("江门医保局2024年公车一年要花多少钱")
    check(a, kb)
    assert a.value in parent


def test_a_name_that_picks_one_item_keeps_that_item(agent, kb):
    doc = doc_id(kb, JIANGMEN, 2024)
    purchase = row_values(kb, doc, "公务用车购置费")
    a = agent.answer("江门医保局2024年买新车的预算")
    assert a.value in purchase, a.text


def test_salaries_mean_the_wage_and_welfare_category(agent, kb):
    doc = doc_id(kb, ZHANGZHOU, 2024)
    wages = row_values(kb, doc, "工资福利支出")
    for q in ("漳州医保局2024年给员工发工资总共多少", "How much does Zhangzhou's bureau pay in wages in 2024?"):
        a = agent.answer(q)
        check(a, kb)
        assert a.value in wages, a.text
        assert untraceable_numbers(a, set(kb.catalog.years)) == []


# -- a follow-up naming a sub-unit only by its kind -----------------------------------------
def test_a_bare_centre_name_in_a_follow_up_stays_in_the_city_asked_about(kb):
    from assistant.followup import inherit
    from assistant.question import parse_question
    prev = parse_question("漳州医保局2024年的预算一共多少", kb.orgs, 2024)
    p = inherit(parse_question("其中基金中心的呢", kb.orgs, 2024), prev)
    assert p.orgs.orgs == [FUND]


def test_of_which_a_sub_unit_accounts_for_is_its_own_total_not_a_share(agent, kb):
    h = [{"role": "user", "content": "2022年深圳医保局的部门预算一共是多少？"}]
    a = agent.answer("其中医保中心占了多少钱", history=h)
    check(a, kb)
    doc = doc_id(kb, BUREAU, 2022)
    own = {v.fact.value for v in kb.doc_views(doc) if v.fact.row.strip() == CENTRE and v.fact.unit == "万元"}
    assert a.value in own and "%" not in a.text


# -- a follow-up that asks the amount after the rate -----------------------------------------
def test_after_a_projects_rate_the_amount_spent_is_that_projects_not_the_rate(agent, kb):
    h = [{"role": "user", "content": "深圳医保中心2020年医疗保障经办管理项目执行率多少"},
         {"role": "assistant", "content": "据2020年部门决算，该项目执行率为 57%。"}]
    a = agent.answer("那实际花了多少？", history=h)
    check(a, kb)
    assert a.unit == "万元" and "医疗保障经办管理" in a.text


# -- an English question that gives the Chinese name ------------------------------------------
def test_the_chinese_name_in_brackets_decides_the_item(agent, kb):
    doc = doc_id(kb, BUREAU, 2022)
    posts = {v.fact.value for v in kb.doc_views(doc) if v.fact.unit == "人" and "编制" in v.fact.row and "实有" not in v.fact.row}
    a = agent.answer("How many posts (编制) did the Shenzhen bureau have in its 2022 budget?")
    check(a, kb)
    assert a.value in posts, a.text


def test_a_scope_word_in_brackets_is_not_an_item(kb):
    from assistant.question import parse_question
    p = parse_question("How much did the Shenzhen bureau (本级) budget for training in 2022?", kb.orgs, 2024)
    assert "training" in p.topic


# -- who does it: a name the documents do not publish -----------------------------------------
def test_which_company_is_refused_without_a_figure(agent, kb):
    for q in ("江门医保局2024年的物业管理是哪家公司做的？", "Which contractor supplies the Shenzhen centre's self-service machines in 2024?"):
        a = agent.answer(q)
        assert a.refusal and a.value is None, a.text


def test_examples_before_a_category_name_ask_for_the_category(agent, kb):
    doc = doc_id(kb, CENTRE, 2024)
    postal = row_values(kb, doc, "邮电费") | {f.value for f in facts_where(kb, doc, "邮电费")}
    a = agent.answer("深圳医保中心2024年像电话费、网费这些邮电费一共多少？")
    check(a, kb)
    assert a.value in postal and a.calculation is None, a.text


def test_a_relative_year_restated_in_brackets_is_that_year(kb):
    from assistant.timeframe import parse_years
    assert parse_years("漳州医保局去年（2023年）的公务用车运行费", 2024).years == [2023]


# -- a printed name in brackets, a gloss, and a party word in an amount question ------------------
def test_a_bracketed_printed_name_is_the_item_when_the_words_find_nothing(agent, kb):
    doc = doc_id(kb, JIANGMEN, 2024)
    printed = row_values(kb, doc, "委托业务费")
    a = agent.answer("江门医保局2024年请外面的机构帮忙办事（委托业务费）预算多少")
    check(a, kb)
    assert a.value in printed


def test_a_gloss_in_brackets_does_not_join_the_item(kb):
    from assistant.question import parse_question
    p = parse_question("漳州医保局2024年的办公费（就是那些“纸笔钱”）是多少？", kb.orgs, 2024)
    assert "纸笔" not in p.topic and "纸笔钱" not in p.quoted and "办公费" in p.topic


def test_a_party_word_in_an_amount_question_asks_the_amount():
    from assistant.statement import asks_party
    assert not asks_party("2024年把审核工作外包给第三方要花多少钱？")
    assert asks_party("2024年的审核工作外包给哪家公司了？")
    assert asks_party("Which contractor runs the call centre?")
    assert not asks_party("How much is paid to contractors for the call centre?")


def test_by_what_percentage_with_a_long_subject_is_a_percent_change():
    from assistant.intent import parse_intent
    it = parse_intent("By what percentage did the Jiangmen bureau's official vehicle running and maintenance budget fall?")
    assert it.operation == "difference" and it.percent, it


# -- clauses that each ask a figure of one item; a money question with a staff word; a share of the year's budget --
def test_clauses_asking_their_own_figure_share_the_subject_named_before_them():
    from assistant.followup import split_questions
    parts = split_questions("江门医保局那个信息化运维项目，原计划多少钱，最后花了多少？")
    assert parts == ["江门医保局那个信息化运维项目，原计划多少钱？", "江门医保局那个信息化运维项目，最后花了多少？"]
    assert split_questions("漳州医保局的会议费是多少，主要用来干什么？") == ["漳州医保局的会议费是多少，主要用来干什么？"]
    assert split_questions("公务员医疗补助是多少，是哪个单位的？") == ["公务员医疗补助是多少，是哪个单位的？"]


def test_a_target_and_an_actual_of_one_indicator_are_both_answered(agent, kb):
    a = agent.answer("2020年深圳医保中心，少儿、大学生及非从业居民医保年度缴费补贴总人数，目标定了多少，实际完成多少？")
    check(a, kb)
    assert "322.5" in a.text and "305.63" in a.text, a.text


def test_a_staff_word_in_a_money_question_is_whom_the_money_is_for(agent, kb):
    from assistant.question import unit_hint
    assert unit_hint("2020年花在职工培训上的钱是多少") == "万元"
    assert unit_hint("给在编人员交的年金是多少") != "人"
    assert unit_hint("在编人员有多少") == "人"
    doc = doc_id(kb, ZHANGZHOU, 2024)
    a = agent.answer("漳州医保局2024年替在职职工缴的住房公积金有多少？")
    check(a, kb)
    assert a.value in row_values(kb, doc, "住房公积金"), a.text


def test_a_share_of_the_years_budget_is_a_share_of_the_department_total(agent, kb):
    a = agent.answer("漳州医保局2024年住房公积金占全年预算的比重是多少")
    check(a, kb)
    assert a.calculation is not None and "/" in a.calculation.expression
    assert "16,506.19" in a.text or "16506.19" in a.calculation.expression, a.text


# -- one item over both spending kinds; a follow-up after an answer that lists a total's parts ----
def test_one_item_over_basic_and_project_spending_is_the_items_two_printed_parts_added(agent, kb):
    doc = doc_id(kb, JIANGMEN, 2024)
    for item, en in (("办公费", "office expenses"), ("差旅费", "travel expenses")):
        parts = {v.fact.value for v in kb.doc_views(doc) if v.fact.row_path and v.fact.row_path[-1] == item
                 and "经济分类" in v.fact.table}
        assert len(parts) == 2, parts          # printed once in the basic and once in the project table
        for q in (f"江门医保局2024年{item}，基本和项目支出加在一起是多少",
                  f"Jiangmen bureau 2024 {en}, basic plus project spending combined?"):
            a = agent.answer(q)
            check(a, kb)
            assert a.calculation is not None and a.value == sum(parts), a.text


def test_a_follow_up_after_a_total_and_its_parts_asks_the_total_again(agent, kb):
    from tests.assistant.test_generality import user
    first = "漳州医保局2024年三公经费总共多少"
    said = agent.answer(first).text + "其中公务接待费2.70万元，公务用车运行费16.80万元。"
    a = agent.answer("江门的呢？", history=[user(first), {"role": "assistant", "content": said}])
    check(a, kb)
    doc = doc_id(kb, JIANGMEN, 2024)
    assert all(c.doc == doc for c in a.citations), a.text
    assert "三公" in a.text and "接待" not in a.text, a.text


# -- a word for two printed items; two item names written back to back -----------------------------
def test_a_word_for_two_items_is_their_sum_even_when_one_of_them_matches_alone(agent, kb):
    doc = doc_id(kb, JIANGMEN, 2024)
    a = agent.answer("江门医保局2024年水电费要多少钱")
    check(a, kb)
    water, power = row_values(kb, doc, "水费"), row_values(kb, doc, "电费")
    assert a.calculation is not None and any(a.value == w + p for w in water for p in power), a.text


def test_two_item_names_back_to_back_are_two_items(agent, kb):
    from assistant.question import mark_enumeration
    assert mark_enumeration("差旅费会议费分别多少") == "差旅费、会议费分别多少"
    assert mark_enumeration("培训费用多少") == "培训费用多少"
    assert mark_enumeration("办公费印刷费和邮电费加起来") == "办公费、印刷费和邮电费加起来"
    a = agent.answer("江门医保局2024年差旅费会议费分别多少")
    check(a, kb)
    assert "差旅费" in a.text and "会议费" in a.text, a.text
