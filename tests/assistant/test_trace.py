"""Every number in an answer is a cited figure or a calculator result — over the whole dev set."""
from __future__ import annotations

import json
from decimal import Decimal

import pytest

from assistant.model import Answer, Calculation, Citation
from assistant.trace import untraceable_numbers
from tests.assistant.conftest import DEV, ROOT

GOLD_SETS = [DEV, ROOT / "eval" / "paraphrase.jsonl", ROOT / "eval" / "probe.jsonl"]


def _questions(path=DEV):
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                item = json.loads(line)
                yield item["id"], item["question"], item.get("history") or None


def _dev_questions():
    return _questions(DEV)


def _untraceable(assistant, path) -> dict:
    years = set(assistant.kb.catalog.years)
    problems = {}
    for item_id, question, history in _questions(path):
        answer = assistant.ask(question, history)
        bad = untraceable_numbers(answer, years, question)
        if bad:
            problems[item_id] = (bad, answer.text)
    return problems


@pytest.fixture(scope="module")
def product_assistant():
    """The product's default set-up (as the eval runs it): the default index with semantic label matching."""
    from assistant.service import Assistant
    from index.api import SearchIndex
    from settings import Settings
    settings = Settings.from_env().with_(llm="builtin")
    index = SearchIndex.open(settings, build_if_missing=True, progress=False)
    return Assistant.from_settings(settings, index=index, log=lambda m: None)


@pytest.mark.parametrize("path", GOLD_SETS, ids=lambda p: p.stem)
def test_every_number_in_every_gold_answer_is_traceable(assistant, path):
    """Parsed corpus only (lexical matching): dev, paraphrase and probe questions, follow-ups included."""
    assert _untraceable(assistant, path) == {}


@pytest.mark.parametrize("path", GOLD_SETS, ids=lambda p: p.stem)
def test_every_number_in_every_gold_answer_is_traceable_with_the_index(product_assistant, path):
    assert _untraceable(product_assistant, path) == {}


def test_an_answer_for_each_document_keeps_every_calculation(assistant):
    """Several documents fit and each side is calculated: every calculation is kept, and each result the
    text shows is traceable to its own calculation (not only the first document's)."""
    answer = assistant.ask("2024年基本支出占支出总计的比例是多少？")
    calcs = answer.all_calculations()
    assert len(calcs) >= 2 and answer.calculation == calcs[0], answer.text
    for calc in calcs:
        assert calc.shown and calc.shown.split("= ")[-1] in answer.text
    assert untraceable_numbers(answer, set(assistant.kb.catalog.years)) == [], answer.text
    assert [c["expression"] for c in answer.to_json()["calculations"]] == [c.expression for c in calcs]


def test_answers_with_figures_always_cite(assistant):
    for _, question, history in _dev_questions():
        answer = assistant.ask(question, history)
        if answer.value is not None:
            assert answer.citations, question
        if answer.calculation is not None:
            assert answer.calculation.expression and answer.calculation.shown


def _citation(value: str, line: int = 10) -> Citation:
    return Citation(doc="x.txt", org="某局", year=2024, kind="预算", table="表", row="办公费", line=line,
                    quote=f"办公费\t{value}", value=Decimal(value), unit="万元")


def test_checker_flags_an_invented_number():
    answer = Answer(text="办公费为 84.79 万元，另有 999.99 万元。", value=Decimal("84.79"), unit="万元",
                    citations=[_citation("84.79")])
    assert untraceable_numbers(answer) == ["999.99"]


def test_checker_accepts_every_calculation_of_a_merged_answer():
    first = Calculation("84.79 / 100 * 100", Decimal("84.79"), "84.79 / 100 × 100 = 84.79%")
    second = Calculation("97.16 / 100 * 100", Decimal("97.16"), "97.16 / 100 × 100 = 97.16%")
    cites = [_citation("84.79"), _citation("100", 11)]
    text = "甲：84.79%。乙：97.16%。"
    assert untraceable_numbers(Answer(text=text, calculation=first, citations=cites)) == ["97.16"]
    merged = Answer(text=text, calculation=first, calculations=[first, second], citations=cites)
    assert merged.all_calculations() == [first, second]
    assert untraceable_numbers(merged) == []


def test_checker_accepts_calculations_conversions_and_years():
    calc = Calculation("84.79 + 10.01", Decimal("94.80"), "84.79 + 10.01 = 94.80")
    answer = Answer(text="2024年：84.79 + 10.01 = 94.80 万元，即 847,900 元。", value=Decimal("94.80"),
                    calculation=calc, citations=[_citation("84.79"), _citation("10.01", 11)])
    assert untraceable_numbers(answer) == []
