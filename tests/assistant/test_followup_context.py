"""Follow-ups that lean on what the conversation already established: the item an earlier answer stated,
the sentence it came from, a change the document prints itself, and the organisations of earlier turns.
Questions in no eval set; every expected figure is read from the parsed documents here."""
from __future__ import annotations

from decimal import Decimal

from assistant.calculator import evaluate
from assistant.intent import DIFFERENCE, parse_intent
from assistant.trace import untraceable_numbers
from tests.assistant.conftest import doc_id, facts_where

CENTRE, BUREAU = "深圳市医疗保险基金管理中心", "深圳市医疗保障局"
JIANGMEN, ZHANGZHOU = "江门市医疗保障局", "漳州市医疗保障局"


def user(text):
    return {"role": "user", "content": text}


def assistant_turn(text):
    return {"role": "assistant", "content": text}


def check(answer, kb):
    assert not answer.refusal, answer.text
    assert answer.citations, answer.text
    assert untraceable_numbers(answer, set(kb.catalog.years)) == [], answer.text


def prose_value(kb, org, year, row):
    values = {f.value for f in facts_where(kb, doc_id(kb, org, year), row, source="prose")}
    assert len(values) == 1, (row, values)
    return values.pop()


def test_that_means_the_item_the_earlier_answer_stated(agent, kb):
    """The user's words match the item poorly, but the earlier answer named the printed item and its figure:
    "was that more or less than in 2022" compares that item in both years."""
    item = "医保志愿服务经费"
    now, before = prose_value(kb, CENTRE, 2024, item), prose_value(kb, BUREAU, 2022, item)
    h = [user("How much does the Shenzhen centre budget in 2024 for medical insurance volunteers?"),
         assistant_turn(f"In its 2024 budget the centre allocates {now}万元 to {item}.")]
    a = agent.answer("Was that more or less than in 2022, and by how much?", history=h)
    check(a, kb)
    assert [Decimal(x) for x in a.calculation.expression.split(" - ")] == [now, before]
    assert a.value == evaluate(a.calculation.expression)
    assert {c.year for c in a.citations} == {2024, 2022}


def test_a_rate_asked_after_a_project_is_that_projects_rate_from_the_same_statement(agent, kb):
    doc = doc_id(kb, CENTRE, 2020)
    sentence = next(v for v in kb.doc_views(doc) if v.prose and "医疗保障经办管理" in v.label
                    and "全年预算" in v.label and v.fact.unit == "万元")
    rate = next(v for v in kb.doc_views(doc) if v.prose and v.fact.unit == "%" and v.para == (sentence.para[0], v.para[1])
                and v.sentence_start == sentence.sentence_start)
    h = [user("医保中心2020年医疗保障经办管理项目预算多少？"),
         assistant_turn(f"2020年{CENTRE}“医疗保障经办管理”项目全年预算数{sentence.fact.value:,}万元。")]
    a = agent.answer("执行率是多少？", history=h)
    check(a, kb)
    assert a.value == rate.fact.value and a.unit == "%"
    assert a.citations[0].line == rate.fact.line
    spent = agent.answer("最后实际花了多少？", history=h)       # the amount executed, printed right after the plan
    check(spent, kb)
    assert spent.value < sentence.fact.value and {c.line for c in spent.citations} <= {sentence.fact.line, rate.fact.line}


def test_a_printed_percentage_change_is_quoted_not_recomputed(agent, kb):
    assert parse_intent("比上年降了百分之几？").operation == DIFFERENCE
    assert parse_intent("比去年涨了多少？").operation == DIFFERENCE
    doc = doc_id(kb, ZHANGZHOU, 2024)
    h = [user("漳州医保局2024年机关运行经费多少？")]
    h.append(assistant_turn(agent.answer(h[0]["content"]).text))
    a = agent.answer("比上年涨了百分之几？", history=h)
    check(a, kb)
    printed = [v for v in kb.doc_views(doc) if v.change is not None and v.change.percent and v.fact.value == a.value]
    assert printed and a.unit == "%" and a.calculation is None
    assert printed[0].fact.line in {c.line for c in a.citations}


def test_the_two_organisations_of_the_last_turns_are_compared(agent, kb):
    jiangmen = agent.answer("江门医保局2024年的会议费是多少？").value
    zhangzhou = agent.answer("漳州医保局2024年的会议费是多少？").value
    h = [user("江门医保局2024年的会议费是多少？"), user("漳州那边呢？")]
    a = agent.answer("两家差多少？", history=h)
    check(a, kb)
    assert [Decimal(x) for x in a.calculation.expression.split(" - ")] == [jiangmen, zhangzhou]
    # the same conversation typed as one message: each part answered, the difference last and shown
    b = agent.answer("江门医保局2024年的会议费是多少？漳州那边呢，两家差多少？")
    check(b, kb)
    assert [c.expression for c in b.all_calculations()] == [a.calculation.expression]
    assert b.text.count("\n") >= 2


def test_an_english_amount_with_its_unit_gloss_is_a_quoted_figure():
    from assistant.question import figures_in
    assert figures_in("the classified 160,000 (10,000 yuan) project") == [(Decimal(160000), "万元")]
    assert figures_in("a 1.5 (100 million yuan) fund") == [(Decimal("15000.0"), "万元")]


# -- an English second part after ", and how/what"; a pronoun standing for the earlier item -----
def test_an_english_second_part_is_split_and_its_pronoun_is_the_earlier_item(agent, kb):
    from assistant.followup import split_questions
    from tests.assistant.test_generality import check
    q = "How many official cars does Zhangzhou's bureau have in 2024, and how much is budgeted for running them?"
    assert len(split_questions(q)) == 2
    assert split_questions("For Jiangmen in 2024, how many cars are there, and roughly how much goes to running them?")[1] \
        .startswith("For Jiangmen in 2024, ")
    a = agent.answer(q)
    check(a, kb)
    assert "辆" in a.text and "万元" in a.text and "运行" in a.text, a.text


def test_qi_stands_for_the_item_just_asked(agent, kb):
    from tests.assistant.test_generality import check
    first = "江门医保局2024年有几辆公务车"
    said = agent.answer(first).text
    a = agent.answer("其运行维护费是多少", history=[{"role": "user", "content": first},
                                           {"role": "assistant", "content": said}])
    check(a, kb)
    assert a.unit == "万元" and "运行" in a.text, a.text


def test_a_follow_up_count_is_taken_from_the_sentence_that_printed_the_earlier_figure(kb):
    """With the shipped fitted ranker, as the app runs: the stated figure's own sentence wins over a total."""
    from assistant.agent import BuiltinAgent
    from assistant.ranker import load_ranker
    agent = BuiltinAgent(kb, load_ranker(None))
    first = "2020年深圳医保中心针对医疗机构做的满意度调查，综合满意度是多少"
    said = agent.answer(first)
    assert "99.30" in said.text, said.text
    a = agent.answer("问卷收回几份", history=[{"role": "user", "content": first},
                                        {"role": "assistant", "content": said.text}])
    assert a.value == 142 and a.unit == "份", a.text


def test_of_it_a_spending_kind_is_the_items_own_part(agent, kb):
    from tests.assistant.conftest import doc_id
    from tests.assistant.test_generality import CENTRE, check
    doc = doc_id(kb, CENTRE, 2024)
    project = {v.fact.value for v in kb.doc_views(doc) if v.fact.row_path and v.fact.row_path[-1] == "邮电费"
               and v.fact.column and v.fact.column[-1] == "项目支出"}
    for q in ("深圳医保中心2024年邮电费多少？其中项目支出多少？",
              "What did the Shenzhen centre budget for postage and telecoms in 2024, and how much of it is project spending?"):
        a = agent.answer(q)
        check(a, kb)
        assert any(str(v) in a.text for v in project), a.text
