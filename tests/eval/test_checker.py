"""Gold-set validation against the corpus folder, and the exact calculator it uses."""
from __future__ import annotations

import json
import shutil
from decimal import Decimal, localcontext
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import cli
from eval.calc import CalcError, evaluate
from eval.checker import check_set
from eval.gold import GoldFormatError, load_gold
from settings import ROOT, Settings
from tests.eval._items import ROW_324, SZ_2024

DEV = ROOT / "eval" / "dev.jsonl"
CORPUS = Settings().corpus_dir


def good_item(**changes) -> dict:
    base = {"id": "x-001", "question": "深圳医保中心2024年医疗保障经办事务预算？", "category": "lookup_table",
            "answer": {"type": "number", "value": 7171.87, "unit": "万元", "must_contain": ["7,171.87"],
                       "tolerance": 0.01},
            "sources": [{"doc": SZ_2024, "line": 324, "quote": ROW_324}], "notes": "n"}
    base.update(changes)
    return base


def write_set(tmp_path: Path, items: list, name="set.jsonl") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(i if isinstance(i, str) else json.dumps(i, ensure_ascii=False) for i in items) + "\n",
                    encoding="utf-8")
    return path


def test_dev_set_passes_against_the_corpus():
    report = check_set(DEV, CORPUS)
    assert report.ok, report.lines()[:5]
    assert report.items == 80 and report.quotes_checked >= 80 and report.calculations >= 20


def test_dev_set_loads_typed():
    items = load_gold(DEV)
    assert len({i.id for i in items}) == len(items) == 80
    assert all(i.answer.value is not None for i in items if i.answer.type == "number")


def test_each_kind_of_mistake_is_reported(tmp_path):
    calc_src = [{"doc": SZ_2024, "line": 86, "quote": "医保自助设备服务费 369 万元"},
                {"doc": SZ_2024, "line": 324, "quote": ROW_324}]
    bad = [
        good_item(id="q-quote", sources=[{"doc": SZ_2024, "line": 324, "quote": "7,171.88"}]),
        good_item(id="q-line", sources=[{"doc": SZ_2024, "line": 99999, "quote": ROW_324}]),
        good_item(id="q-doc", sources=[{"doc": "nope.txt", "line": 1, "quote": "x"}]),
        good_item(id="q-cat", category="guess"),
        good_item(id="q-calc", category="sum", calculation="369 + 7171.87",
                  answer={"type": "number", "value": 7540.8, "unit": "万元", "must_contain": ["7540.8"],
                          "tolerance": 0.01}, sources=calc_src),
        good_item(id="q-literal", category="sum", calculation="369 + 7000",
                  answer={"type": "number", "value": 7369, "unit": "万元", "must_contain": ["7369"],
                          "tolerance": 0.01}, sources=calc_src),
        good_item(id="q-unsafe", category="sum", calculation="__import__('os')", sources=calc_src),
        good_item(id="q-lookup", answer={"type": "number", "value": 7000, "unit": "万元",
                                         "must_contain": ["7000"], "tolerance": 0.01}),
        good_item(id="q-history", history=[{"role": "bot", "content": "hi"}]),
        good_item(id="q-dup"), good_item(id="q-dup"),
        "{not json",
    ]
    report = check_set(write_set(tmp_path, bad), CORPUS)
    errs = {k: " ".join(v) for k, v in report.errors.items()}
    assert "quote not found" in errs["q-quote"]
    assert "out of range" in errs["q-line"]
    assert "unknown doc" in errs["q-doc"]
    assert "bad category" in errs["q-cat"]
    assert "= 7540.87 != value 7540.8" in errs["q-calc"]
    assert "literal 7000 not printed" in errs["q-literal"]
    assert "not allowed" in errs["q-unsafe"]
    assert "not among quoted numbers" in errs["q-lookup"]
    assert "history turn 1" in errs["q-history"]
    assert "duplicate id" in errs["q-dup"]
    assert any("invalid JSON" in v for v in errs.values())
    assert not report.ok


def test_valid_multi_turn_item_passes(tmp_path):
    ok = good_item(history=[{"role": "user", "content": "深圳医保中心2024年预算？"},
                            {"role": "assistant", "content": "总计190,254.32万元。"}],
                   question="其中医疗保障经办事务呢？")
    report = check_set(write_set(tmp_path, [ok]), CORPUS)
    assert report.ok and report.multi_turn == 1
    assert load_gold(tmp_path / "set.jsonl")[0].history_json()[1]["role"] == "assistant"


def test_reads_documents_from_the_configured_corpus_even_in_gbk(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = (CORPUS / SZ_2024).read_text(encoding="utf-8")
    (corpus / SZ_2024).write_bytes(text.encode("gb18030"))
    path = write_set(tmp_path, [good_item()])
    assert check_set(path, corpus).ok
    assert not check_set(path, tmp_path / "empty").ok          # another corpus lacks the doc


def test_cli_check(tmp_path, capsys):
    assert cli.main(["eval", "check", str(DEV)]) == 0
    assert "passed 80/80" in capsys.readouterr().out
    corpus = tmp_path / "c"
    corpus.mkdir()
    shutil.copy(CORPUS / SZ_2024, corpus)
    bad = write_set(tmp_path, [good_item(sources=[{"doc": SZ_2024, "line": 1, "quote": ROW_324}])])
    assert cli.main(["eval", "--corpus", str(corpus), "check", str(bad)]) == 1
    assert "FAIL x-001" in capsys.readouterr().out
    assert cli.main(["eval", "check", str(tmp_path / "missing.jsonl")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_load_gold_errors_name_the_problem(tmp_path):
    with pytest.raises(GoldFormatError, match="duplicate id"):
        load_gold(write_set(tmp_path, [good_item(), good_item()]))
    with pytest.raises(GoldFormatError, match="invalid JSON"):
        load_gold(write_set(tmp_path, ["{", good_item()]))
    with pytest.raises(GoldFormatError, match="no items"):
        load_gold(write_set(tmp_path, []))


# ------------------------------------------------------------------ calculator

decimals = st.decimals(min_value=Decimal("-99999"), max_value=Decimal("99999"), places=2)


@given(decimals, decimals, decimals, st.sampled_from(["+", "-", "*", "/"]))
def test_evaluate_equals_decimal_arithmetic(a, b, c, op):
    expr = f"({a} + {b}) {op} {c}"
    with localcontext() as ctx:
        ctx.prec = 40
        if op == "/" and c == 0:
            with pytest.raises(CalcError):
                evaluate(expr)
            return
        expected = {"+": (a + b) + c, "-": (a + b) - c, "*": (a + b) * c, "/": (a + b) / c if c else None}[op]
    value, literals = evaluate(expr)
    assert value == expected
    assert [abs(x) for x in literals] == [abs(a), abs(b), abs(c)]


@pytest.mark.parametrize("expr", ["__import__('os').system('true')", "2 ** 99999", "1" * 600, "a + 1", "1 +"])
def test_hostile_or_bad_expressions_are_refused(expr):
    with pytest.raises(CalcError):
        evaluate(expr)


def test_literals_keep_printed_decimals():
    value, literals = evaluate("24,772,100.00 / 10000")
    assert value == Decimal("2477.21") and str(literals[0]) == "24772100.00"
