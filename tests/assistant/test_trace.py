"""Every number in an answer is a cited figure or a calculator result — over the whole dev set."""
from __future__ import annotations

import json
from decimal import Decimal

from assistant.model import Answer, Calculation, Citation
from assistant.trace import untraceable_numbers
from tests.assistant.conftest import DEV


def _dev_questions():
    with open(DEV, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                item = json.loads(line)
                yield item["id"], item["question"], item.get("history") or None


def test_every_number_in_every_dev_answer_is_traceable(assistant, kb):
    years = set(kb.catalog.years)
    problems = {}
    for item_id, question, history in _dev_questions():
        answer = assistant.ask(question, history)
        bad = untraceable_numbers(answer, years, question)
        if bad:
            problems[item_id] = (bad, answer.text)
    assert problems == {}


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


def test_checker_accepts_calculations_conversions_and_years():
    calc = Calculation("84.79 + 10.01", Decimal("94.80"), "84.79 + 10.01 = 94.80")
    answer = Answer(text="2024年：84.79 + 10.01 = 94.80 万元，即 847,900 元。", value=Decimal("94.80"),
                    calculation=calc, citations=[_citation("84.79"), _citation("10.01", 11)])
    assert untraceable_numbers(answer) == []
