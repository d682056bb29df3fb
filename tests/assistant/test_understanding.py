"""Question understanding: organisation aliases derived from the documents, years, kinds, intents."""
from __future__ import annotations

import pytest

from assistant.glossary import default_glossary
from assistant.intent import (COMPARE, DIFFERENCE, LOOKUP, PER_UNIT, RATIO, REMAINING, SUM, TIMES,
                              parse_intent)
from assistant.operands import split_items, strip_ratio_words
from assistant.orgs import describe_org
from assistant.question import parse_question
from assistant.timeframe import parse_kind, parse_years


def _orgs(kb, text):
    return kb.orgs.detect(text).orgs


def test_aliases_are_derived_from_the_documents_org_names(kb):
    centre = next(d.org for d in kb.catalog.docs if d.org.endswith("中心"))
    described = describe_org(centre, default_glossary())
    for alias in ("医保中心", "医保基金中心", "医保基金管理中心"):
        assert alias in described.aliases
    assert any("fund management center" in e for e in described.english)


def test_colloquial_and_english_org_names(kb):
    centre = next(d.org for d in kb.catalog.docs if d.org.startswith("深圳") and d.org.endswith("中心"))
    bureau = next(d.org for d in kb.catalog.docs if d.org.startswith("深圳") and d.org.endswith("局"))
    assert _orgs(kb, "深圳医保中心2024年的基本支出") == [centre]
    assert _orgs(kb, "深圳医保基金中心的预算") == [centre]
    assert _orgs(kb, "深圳市医保局2022年预算") == [bureau]
    assert _orgs(kb, "Shenzhen Medical Insurance Fund Management Center budget") == [centre]
    assert _orgs(kb, "the Shenzhen Healthcare Security Bureau") == [bureau]
    jiangmen = _orgs(kb, "江门的三公经费")
    assert len(jiangmen) == 1 and jiangmen[0].startswith("江门")
    assert _orgs(kb, "Zhangzhou's budget")[0].startswith("漳州")


def test_several_orgs_in_one_question_keep_their_order(kb):
    found = _orgs(kb, "漳州医保局的预算是江门医保局的几倍")
    assert [o[:2] for o in found] == ["漳州", "江门"]
    three = kb.orgs.detect("江门、漳州和深圳医保中心这三家的三公经费")
    assert {o[:2] for o in three.orgs} == {"江门", "漳州", "深圳"} and three.groups == 3


def test_places_outside_the_corpus_are_recognised(kb):
    assert kb.orgs.detect("What is the Guangzhou Healthcare Security Administration's 2024 budget?").unknown_places
    assert kb.orgs.detect("广州市医保局的预算是多少").unknown_places
    assert not kb.orgs.detect("2022年深圳医保局本级（不算医保中心）的预算").unknown_places


def test_scope_words(kb):
    assert kb.orgs.detect("江门市医保局本级2024年项目支出").scope == "本级"
    assert kb.orgs.detect("漳州医保局（汇总）的三公经费").scope == "汇总"
    assert kb.orgs.detect("Zhangzhou budget (consolidated)").scope == "汇总"


def test_years_explicit_relative_and_as_of():
    assert parse_years("2024年比2022年少了多少").years == [2024, 2022]
    assert parse_years("深圳医保自助设备服务费，2022年和2024年比有变化吗").years == [2022, 2024]
    this = parse_years("江门医保局今年的三公经费", latest_year=2024)
    assert this.years == [2024] and this.relative == "this" and this.resolved_from_relative
    assert parse_years("this year's budget", latest_year=2024).years == [2024]
    assert parse_years("截至2021年底在编多少人").as_of == [2021]
    assert parse_years("看2024年那份预算表，它2023年的三公经费").doc_year == 2024
    assert parse_years("这钱算在2,047万里面吗").years == []          # a figure is not a year
    assert parse_years("上年结转结余是多少", latest_year=2024).years == []


def test_kind_words():
    assert parse_kind("2020年决算中项目支出").kind == "决算"
    assert parse_kind("2020年决算中项目支出").explicit
    assert parse_kind("公务接待费实际花了多少").kind == "决算"
    assert not parse_kind("公务接待费实际花了多少").explicit
    assert parse_kind("三公经费预算多少").kind == "预算"
    assert parse_kind("final accounts of 2020").kind == "决算"
    assert parse_kind("计划购买多少台").kind == "预算"
    assert parse_kind("一般公共预算支出是多少").kind is None      # a column name, not the document kind


def test_operations():
    assert parse_intent("医疗保障经办事务安排了多少").operation == LOOKUP
    assert parse_intent("出国、接待、购车加起来是多少").operation == SUM
    assert parse_intent("2024年比2022年少了多少").operation == DIFFERENCE
    assert parse_intent("有关项目占全部预算的百分之多少").operation == RATIO
    assert parse_intent("漳州的预算是江门的几倍").operation == TIMES
    assert parse_intent("哪家最高").operation == COMPARE
    assert parse_intent("还有多少预算没执行掉").operation == REMAINING
    assert parse_intent("平均每台多少钱").operation == PER_UNIT
    assert parse_intent("是基本支出还是项目支出").wants_breakdown
    assert parse_intent("余向红市长一年工资是多少").person_pay
    assert parse_intent("那个涉密项目具体是做什么的").secret_content


def test_topic_codes_units_and_quoted_figures(kb):
    p = parse_question("深圳医保中心2024年“医疗保障经办事务”（2101506）这个科目一共安排了多少钱？", kb.orgs, 2024)
    assert p.codes == ["2101506"]
    assert "医疗保障经办事务" in p.topic and "深圳" not in p.topic and "2024" not in p.topic
    assert p.quoted == ["医疗保障经办事务"]
    assert p.unit_hint == "万元"
    assert parse_question("自助设备服务数量定的是多少台", kb.orgs, 2024).unit_hint == "台"
    q = parse_question("那个16亿元的涉密项目", kb.orgs, 2024)
    assert q.figures and q.figures[0][0] == 160000 and q.figures[0][1] == "万元"
    assert parse_question("江门市医保局2022年的部门预算是多少？", kb.orgs, 2024).total_topic
    assert parse_question("What is the total 2024 budget of Zhangzhou (in 10,000 yuan)?", kb.orgs, 2024).total_topic


def test_two_digit_years():
    assert parse_years("医保专家工作经费，24年比22年多了多少？", latest_year=2024).years == [2024, 2022]
    assert parse_years("23年度的预算", latest_year=2024).years == [2023]
    assert parse_years("近10年来", latest_year=2024).years == []            # a duration
    assert parse_years("10年以来", latest_year=2024).years == []
    assert parse_years("共1,024年", latest_year=2024).years == []           # part of a number
    assert parse_years("85年的", latest_year=2024).years == []              # not a plausible document year


def test_the_document_to_work_back_from():
    y = parse_years("医保中心2019年政府性基金收入大概多少？用2020年决算推一下。")
    assert y.years == [2019, 2020] and y.doc_year == 2020
    assert parse_years("根据2024年预算，2023年的三公经费").doc_year == 2024


def test_shares_counts_and_count_nouns(kb):
    assert parse_intent("编制大概用了几成").operation == RATIO
    assert parse_question("编制大概用了几成？", kb.orgs, 2024).unit_hint == "%"
    assert parse_question("网上一共申请预审了多少宗？", kb.orgs, 2024).unit_hint == "宗"
    assert parse_question("养了多少员额人员？", kb.orgs, 2024).unit_hint == "人"
    p = parse_question("医保中心2019年政府性基金收入大概多少？用2020年决算推一下。", kb.orgs, 2024)
    assert p.topic == "政府性基金收入"
    assert "24" not in parse_question("医保专家工作经费，24年比22年多了多少？", kb.orgs, 2024).topic


def test_items_share_the_words_after_their_common_head():
    assert split_items("医疗费用和生育费用报销 网上 申请预审") == (
        ["医疗费用 报销 网上 申请预审", "生育费用报销 网上 申请预审"], "")
    assert split_items("基本支出和项目支出") == (["基本支出", "项目支出"], "")
    assert split_items("公务接待费和公务用车运行维护费") == (["公务接待费", "公务用车运行维护费"], "")


def test_ratio_words_leave_the_topic():
    assert strip_ratio_words("编制 几成") == "编制"
    assert strip_ratio_words("执行进度百分之几") == "执行进度"
    assert strip_ratio_words("占比") == ""


@pytest.mark.parametrize("q, city", [("深医保中心24年会议费多少", "深圳"), ("漳医保今年的差旅费", "漳州"), ("江医保局的三公经费", "江门")])
def test_a_city_shortened_to_one_character_before_an_org_word(kb, q, city):
    m = kb.orgs.detect(q)
    assert m.cities == [city]


def test_a_city_outside_the_corpus_is_not_shortened_into_one(kb):
    m = kb.orgs.detect("浙江医保局2024年会议费多少")
    assert "江门" not in m.cities and m.unknown_places


@pytest.mark.parametrize("q", ["漳州医保2024年机关运行经费多少", "漳医保2024年机关运行经费多少"])
def test_a_bare_yibao_after_a_city_names_the_body_not_the_item(assistant, q):
    a = assistant.ask(q)
    assert "377.99" in a.text


@pytest.mark.parametrize("topic, items", [
    ("政府性基金 年初预算、调整预算和实际执行", ["政府性基金 年初预算", "政府性基金 调整预算", "政府性基金 实际执行"]),
    ("公务接待费预算数和决算数", ["公务接待费预算数", "公务接待费 决算数"]),
    ("差旅费、会议费", ["差旅费", "会议费"]),
])
def test_bare_stage_words_borrow_the_first_items_subject(topic, items):
    assert split_items(topic)[0] == items


@pytest.mark.parametrize("q, years, doc_year", [
    ("漳州医保局2024年预算里会议费的上年数是多少", [2023], 2024),
    ("2024年的差旅费比上年多多少", [2024], None),
])
def test_the_year_before_a_named_year_is_read_from_the_named_years_document(q, years, doc_year):
    y = parse_years(q, 2024)
    assert y.years == years and y.doc_year == doc_year


# -- two years, each with its own kind --------------------------------------------------------------
def test_two_years_each_naming_its_kind_ask_each_years_own_document(agent, kb):
    from assistant.timeframe import parse_kind
    from tests.assistant.test_generality import check
    assert parse_kind("培训费2020年决算数和2024年预算数差多少").kind is None
    assert parse_kind("2020年决算的培训费").kind == "决算"
    a = agent.answer("深圳医保中心培训费2020年决算数和2024年预算数差多少")
    check(a, kb)
    assert {c.year for c in a.citations} >= {2020, 2024} and a.calculation is not None, a.text


# -- a bracketed aside; size words; a lead-in shared by English parts ---------------------------------
def test_a_bracketed_aside_explaining_the_item_is_not_part_of_it(agent, kb):
    from tests.assistant.test_generality import check
    a = agent.answer("How much did the Jiangmen bureau budget for meetings (conferences, seminars) in 2024?")
    check(a, kb)
    assert "会议费" in a.text, a.text
    a = agent.answer("What share of the Jiangmen bureau's 2024 spending was basic (day-to-day) expenditure?")
    check(a, kb)
    assert a.calculation is not None and "/" in a.calculation.expression, a.text


def test_an_aside_naming_whose_figure_is_kept(agent):
    a = agent.answer("What is the 2024 budget of the Shenzhen Healthcare Security Bureau (the bureau proper)?")
    assert a.refusal and a.value is None, a.text        # 2024 has only the centre's own document


def test_how_big_or_large_asks_the_total():
    from assistant.question import is_total_topic
    assert is_total_topic("big") and is_total_topic("large") and is_total_topic("went to itself")


def test_an_english_lead_in_is_shared_by_both_parts():
    from assistant.followup import split_questions
    parts = split_questions("For the Zhangzhou bureau's 2024 budget, how much is rent, and how much is printing?")
    assert parts == ["For the Zhangzhou bureau's 2024 budget, how much is rent?",
                     "For the Zhangzhou bureau's 2024 budget, how much is printing?"]


# -- a budget asked of final accounts is their budget column ----------------------------------------
@pytest.mark.parametrize("question", ["深圳医保中心2020年三公经费的预算是多少", "2020年深圳医保中心三公经费预算数多少钱"])
def test_a_budget_asked_of_final_accounts_is_their_budget_column(agent, kb, question):
    from tests.assistant.conftest import doc_id
    from tests.assistant.test_generality import CENTRE, check
    doc = doc_id(kb, CENTRE, 2020)
    budget = {v.fact.value for v in kb.doc_views(doc) if "三公" in v.fact.table and v.fact.column[:1] == ("预算数",)
              and v.total_col}
    a = agent.answer(question)
    check(a, kb)
    assert a.value in budget and "预算数" in a.text, a.text
    spent = agent.answer("深圳医保中心2020年三公经费实际花了多少")
    assert spent.value not in budget, spent.text
