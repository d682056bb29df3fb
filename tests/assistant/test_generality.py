"""Questions in neither eval set, phrased the way the public asks (colloquial Chinese, English,
follow-ups, under-specified, several parts), to show the mechanisms generalise. Every expected
figure is read from the parsed documents here, never typed in."""
from __future__ import annotations

from decimal import Decimal

import pytest

from assistant.calculator import evaluate
from assistant.trace import untraceable_numbers
from tests.assistant.conftest import doc_id, facts_where

CENTRE, BUREAU = "深圳市医疗保险基金管理中心", "深圳市医疗保障局"
JIANGMEN, ZHANGZHOU = "江门市医疗保障局", "漳州市医疗保障局"


def user(text):
    return {"role": "user", "content": text}


def value(kb, org, year, row, column=None, source=None, code=None):
    """The row's total as printed (all its printings in total columns agree)."""
    doc = doc_id(kb, org, year)
    lines = {(f.line, f.value) for f in facts_where(kb, doc, row, column=column, source=source)
             if code is None or f.row_code == code}
    totals = {v.fact.value for v in kb.doc_views(doc) if (v.fact.line, v.fact.value) in lines
              and (v.total_col or column is not None or v.prose)}
    assert len(totals) == 1, (row, totals)
    return totals.pop()


def cited(answer):
    return {(c.doc, c.row.replace(" ", ""), c.value) for c in answer.citations}


def check(answer, kb):
    assert not answer.refusal, answer.text
    assert answer.citations, answer.text
    assert untraceable_numbers(answer, set(kb.catalog.years)) == [], answer.text


# -- follow-ups --------------------------------------------------------------------------------
def test_follow_up_changes_the_year_and_keeps_org_and_topic(agent, kb):
    h = [user("深圳医保中心2024年的培训费预算是多少？")]
    a = agent.answer("那2022年呢？", history=h)
    check(a, kb)
    doc22 = doc_id(kb, BUREAU, 2022)
    centre_part = [f for f in facts_where(kb, doc22, "培训费", source="prose") if f.value == a.value]
    assert centre_part and all(c.doc == doc22 for c in a.citations)
    assert CENTRE in a.text and "2022" in a.text


def test_follow_up_changes_the_org(agent, kb):
    h = [user("江门医保局2024年的公务接待费是多少？")]
    a = agent.answer("那漳州呢？", history=h)
    check(a, kb)
    assert a.value == value(kb, ZHANGZHOU, 2024, "公务接待费", code="30217")
    assert {c.org for c in a.citations} == {ZHANGZHOU}


def test_follow_up_share_is_of_the_previous_figure_not_the_whole_budget(agent, kb):
    h = [user("深圳医保中心2024年基本支出是多少？"),
         {"role": "assistant", "content": "深圳市医疗保险基金管理中心2024年基本支出为 6,996.01 万元。"}]
    a = agent.answer("其中人员支出占百分之几？", history=h)
    check(a, kb)
    part = a.calculation.expression.split("/")[0].strip()
    basic = {c.value for c in a.citations if c.row.replace(" ", "") == "基本支出" or "基本支出" in c.column}
    assert a.unit == "%" and basic
    whole = a.calculation.expression.split("/")[1].split("*")[0].strip()
    assert Decimal(whole) in basic
    assert a.calculation.result == evaluate(f"{part} / {whole} * 100")


def test_follow_up_adds_up_the_figures_of_the_previous_answer(agent, kb):
    h = [user("2024年各医保局的三公经费分别是多少？")]
    first = agent.answer(h[0]["content"])
    a = agent.answer("加起来一共多少？", history=h)
    check(a, kb)
    assert a.calculation is not None and a.calculation.expression.count("+") >= 2
    shown = {v for v in (c.value for c in first.citations) if v is not None}
    terms = [Decimal(x) for x in a.calculation.expression.split("+")]
    assert set(terms) <= shown
    assert a.value == sum(terms)


def test_english_follow_up_keeps_org_and_year(agent, kb):
    h = [user("What is Jiangmen bureau's 2024 budget for official receptions?")]
    a = agent.answer("and for official vehicle operation?", history=h)
    check(a, kb)
    assert a.value == value(kb, JIANGMEN, 2024, "公务用车运行维护费", code="30231")
    assert a.language == "en"


def test_english_follow_up_that_year_keeps_final_accounts(agent, kb):
    h = [user("What did the Shenzhen centre actually spend on training in 2020?")]
    a = agent.answer("And on travel that year?", history=h)
    check(a, kb)
    assert a.value == value(kb, CENTRE, 2020, "差旅费", code="30211")
    assert all(c.kind == "决算" for c in a.citations)


# -- several parts in one question ------------------------------------------------------------
def test_two_part_chinese_question_answers_both(agent, kb):
    a = agent.answer("江门医保局2024年的三公经费是多少？其中公务接待费呢？")
    check(a, kb)
    reception = value(kb, JIANGMEN, 2024, "公务接待费", code="30217")
    assert any(c.value == reception for c in a.citations)
    assert a.value != reception                     # the first part's figure leads
    assert f"{reception:,}" in a.text


def test_two_part_english_question_total_and_part(agent, kb):
    a = agent.answer("What was Zhangzhou's 2024 government procurement budget, and how much of it was for services?")
    check(a, kb)
    total = value(kb, ZHANGZHOU, 2024, "政府采购预算总额")
    services = value(kb, ZHANGZHOU, 2024, "政府采购服务")
    assert a.value == total
    assert f"{services:,}" in a.text and f"{total:,}" in a.text


# -- kind fallback, under-specified, family of orgs --------------------------------------------
def test_spent_on_an_item_only_budgets_list_answers_from_the_budgets_and_says_so(agent, kb):
    a = agent.answer("深圳医保中心档案整理花了多少钱？")
    check(a, kb)
    assert "决算中没有这一项" in a.text and "预算数" in a.text
    assert {c.kind for c in a.citations} == {"预算"}
    assert len({c.doc for c in a.citations}) >= 2       # the 2024 budget and the centre's part of 2022


def test_no_year_no_city_answers_for_each_document(agent, kb):
    a = agent.answer("医保局的公务接待费是多少？")
    check(a, kb)
    assert len({c.doc for c in a.citations}) >= 3
    assert value(kb, JIANGMEN, 2024, "公务接待费", code="30217") in {c.value for c in a.citations}


def test_yibao_bureau_without_city_includes_the_centre_for_that_year(agent, kb):
    a = agent.answer("2024年医保局的三公经费预算是多少？")
    check(a, kb)
    docs = {c.doc for c in a.citations}
    assert docs == {d.doc_id for d in kb.catalog.docs if d.year == 2024}


# -- refusals and not refusing -----------------------------------------------------------------
@pytest.mark.parametrize("question", ["江门医保局局长一个月工资多少？", "How much is the director of the Shenzhen centre paid?"])
def test_a_persons_pay_is_refused_and_the_aggregate_items_explained(agent, question):
    a = agent.answer(question)
    assert a.refusal and a.value is None
    assert "基本工资" in a.text


@pytest.mark.parametrize("question", ["What was Guangzhou's 2024 healthcare security budget?", "漳州医保局2021年的决算是多少？"])
def test_places_and_years_not_in_the_corpus_are_refused(agent, question):
    a = agent.answer(question)
    assert a.refusal and a.value is None


def test_unit_level_salary_item_is_answered_not_refused(agent, kb):
    a = agent.answer("What is the basic salary budget of Jiangmen bureau in 2024?")
    check(a, kb)
    assert a.value == value(kb, JIANGMEN, 2024, "基本工资", code="30101")


# -- constrained and compared ------------------------------------------------------------------
def test_own_level_excluding_the_centre_english(agent, kb):
    a = agent.answer("What is the 2022 basic expenditure of the Shenzhen bureau itself, excluding the fund management centre?")
    check(a, kb)
    assert "本级" in a.text and CENTRE not in a.text
    cell = [c for c in a.citations if c.value == a.value]
    assert cell and all(c.doc == doc_id(kb, BUREAU, 2022) for c in cell)


def test_budget_against_actual_uses_the_same_row_and_says_which_is_which(agent, kb):
    a = agent.answer("深圳医保中心的培训费，2024年预算比2020年实际花的多多少？")
    check(a, kb)
    budget = value(kb, CENTRE, 2024, "培训费", code="30216", column="支出总计")
    actual = value(kb, CENTRE, 2020, "培训费", code="30216")
    assert a.calculation.result == budget - actual
    assert "预算数" in a.text and "决算数" in a.text


def test_change_between_two_years_is_later_minus_earlier(agent, kb):
    a = agent.answer("How did the Shenzhen centre's training budget change between 2022 and 2024?")
    check(a, kb)
    later = value(kb, CENTRE, 2024, "培训费", code="30216", column="支出总计")
    terms = [Decimal(x) for x in a.calculation.expression.split("-")]
    assert terms[0] == later and a.value == terms[0] - terms[1]


def test_english_share_of_budget(agent, kb):
    a = agent.answer("What share of Jiangmen's 2024 budget goes to basic expenditure?")
    check(a, kb)
    assert a.unit == "%" and a.calculation.expression.endswith("* 100")
    assert "basic expenditure" in a.text


def test_english_add_up_two_items(agent, kb):
    a = agent.answer("Add up Jiangmen bureau's 2024 spending on official receptions and official vehicle operation.")
    check(a, kb)
    reception = value(kb, JIANGMEN, 2024, "公务接待费", code="30217")
    vehicles = value(kb, JIANGMEN, 2024, "公务用车运行维护费", code="30231")
    assert a.value == reception + vehicles


def test_chinese_yigong_adds_the_named_items(agent, kb):
    a = agent.answer("漳州医保局2024年公务接待费和公务用车运行维护费一共多少？")
    check(a, kb)
    assert a.value == value(kb, ZHANGZHOU, 2024, "公务接待费", code="30217") + \
        value(kb, ZHANGZHOU, 2024, "公务用车运行维护费", code="30231")


# -- English vocabulary of government budgets -------------------------------------------------
@pytest.mark.parametrize("question, org, year, row, code", [
    ("What are Jiangmen bureau's 2024 occupational annuity contributions?", JIANGMEN, 2024, "职业年金缴费", "30109"),
    ("How much is Zhangzhou's 2024 housing provident fund?", ZHANGZHOU, 2024, "住房公积金", "2210201"),
    ("And how much went on urban and rural medical assistance in the Shenzhen centre's 2020 final accounts?",
     CENTRE, 2020, "城乡医疗救助", "2101301"),
])
def test_english_budget_vocabulary(agent, kb, question, org, year, row, code):
    a = agent.answer(question)
    check(a, kb)
    assert a.value == value(kb, org, year, row, code=code)
    assert row in a.text


# -- more English operations and follow-ups ----------------------------------------------------
def test_english_the_year_before_is_derived_from_the_change_statement(agent, kb):
    h = [user("How much is Jiangmen's 2024 three public expenses budget?")]
    first = agent.answer(h[0]["content"])
    a = agent.answer("What about the year before?", history=h)
    check(a, kb)
    assert "2023" in a.text and a.calculation is not None
    assert a.calculation.expression.split(" ")[0] == str(first.value)     # 2024 figure ± the stated change
    assert a.calculation.result == evaluate(a.calculation.expression)


def test_english_times_and_share_across_organisations_in_question_order(agent, kb):
    total = {org: next(c.value for c in agent.answer(f"{city}医保局2024年的部门预算总额是多少？").citations)
             for org, city in ((ZHANGZHOU, "漳州"), (JIANGMEN, "江门"))}
    a = agent.answer("How many times larger is Zhangzhou's 2024 budget than Jiangmen's?")
    check(a, kb)
    assert a.unit == "倍" and a.calculation.expression == f"{total[ZHANGZHOU]} / {total[JIANGMEN]}"
    b = agent.answer("Which had the bigger 2024 budget, Jiangmen or Zhangzhou?")
    check(b, kb)
    assert b.value == max(total.values())


def test_english_per_device_divides_amount_by_count(agent, kb):
    a = agent.answer("How much did the Shenzhen centre spend per self-service device in 2024?")
    check(a, kb)
    amount, count = (Decimal(x) for x in a.calculation.expression.split("/"))
    units = {c.value: c.unit for c in a.citations}
    assert units.get(amount) == "万元" and units.get(count) == "台"


def test_item_split_between_basic_and_project_tables_is_added_up(agent, kb):
    doc = doc_id(kb, JIANGMEN, 2024)
    parts = {v.fact.value for v in kb.doc_views(doc) if v.fact.row_code == "30211" and v.total_col}
    assert len(parts) == 2                       # printed once in each table, nowhere whole
    a = agent.answer("江门医保局2024年差旅费是多少？")
    check(a, kb)
    assert a.value == sum(parts) and "基本支出" in a.text and "项目支出" in a.text
    only_project = agent.answer("江门医保局2024年项目支出里的差旅费是多少？")
    assert only_project.value in parts and only_project.value != a.value


def test_follow_up_comparison_keeps_the_earlier_year(agent, kb):
    h = [user("深圳医保中心2020年的基本支出决算是多少？")]
    a = agent.answer("比2024年的预算多还是少？", history=h)
    check(a, kb)
    assert {c.year for c in a.citations} >= {2020, 2024}
    assert "预算数" in a.text and "决算数" in a.text


def test_printed_per_person_standard_is_looked_up_not_divided(agent, kb):
    a = agent.answer("漳州医疗救助的救助标准是每人多少钱？")
    check(a, kb)
    assert a.unit == "元/人" and a.calculation is None


def test_follow_up_adds_up_the_last_two_turns(agent, kb):
    h = [user("江门医保局2024年的项目支出是多少？"), user("那基本支出呢？")]
    parts = [agent.answer(h[0]["content"]).value, agent.answer(h[1]["content"], history=h[:1]).value]
    a = agent.answer("两个加起来呢？", history=h)
    check(a, kb)
    assert a.value == sum(parts) and a.calculation is not None


def test_follow_up_two_years_back(agent, kb):
    h = [user("深圳医保中心2024年的三公经费是多少？")]
    a = agent.answer("那前年呢？", history=h)
    check(a, kb)
    assert {c.year for c in a.citations} == {2022}


def test_respectively_lists_each_item_and_says_what_is_missing(agent, kb):
    a = agent.answer("2024年漳州医保局的会议费和差旅费分别是多少？")
    check(a, kb)
    assert value(kb, ZHANGZHOU, 2024, "会议费", code="30215") in {c.value for c in a.citations}
    doc = doc_id(kb, ZHANGZHOU, 2024)
    if not facts_where(kb, doc, "差旅费"):
        assert "没有单列" in a.text


def test_follow_up_compares_the_earlier_org_with_the_new_one(agent, kb):
    h = [user("漳州医保局2024年的三公经费是多少？")]
    zhangzhou = agent.answer(h[0]["content"]).value
    jiangmen = agent.answer("江门医保局2024年的三公经费是多少？").value
    a = agent.answer("比江门多多少？", history=h)
    check(a, kb)
    assert [Decimal(x) for x in a.calculation.expression.split(" - ")] == [zhangzhou, jiangmen]
    b = agent.answer("是江门的几倍？", history=h)
    check(b, kb)
    assert [Decimal(x) for x in b.calculation.expression.split(" / ")] == [zhangzhou, jiangmen]


def test_english_share_of_that_and_average_per_unit_follow_ups(agent, kb):
    h = [user("What is Jiangmen bureau's 2024 basic expenditure?")]
    basic = agent.answer(h[0]["content"]).value
    a = agent.answer("What share of that is personnel?", history=h)
    check(a, kb)
    assert Decimal(a.calculation.expression.split("/")[1].split("*")[0]) == basic
    c = agent.answer("平均每台多少钱？", history=[user("深圳医保中心2024年有多少台自助设备？")])
    check(c, kb)
    assert c.unit == "万元/台"


def test_consolidated_document_without_a_total_row_adds_up_its_units(agent, kb):
    doc = doc_id(kb, BUREAU, 2022)
    per_unit = {(v.entity or v.fact.entity): v.fact.value for v in kb.doc_views(doc)
                if v.fact.source == "table" and v.fact.column and "微型企业" in v.fact.column[-1]}
    assert set(per_unit) == {BUREAU, CENTRE}
    a = agent.answer("深圳医保局2022年政府采购预算中面向小微企业的是多少？")
    check(a, kb)
    assert a.value == sum(per_unit.values()) and "汇总" in a.text
    own = agent.answer("深圳医保中心2022年政府采购预算中面向小微企业的是多少？")
    assert own.value == per_unit[CENTRE]
