"""Fitting the fact ranker on real gold items: recorded rankings, labels, folds and a usable model."""
from __future__ import annotations

from pathlib import Path

import pytest

from assistant.knowledge import Knowledge
from assistant.service import Assistant
from corpus.parse import parse_folder
from eval.fit import collect, cross_validate, fit_one, folds_of, gold_figures, top1
from eval.gold import load_gold

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def groups():
    parsed, _ = parse_folder(ROOT / "corpus")
    assistant = Assistant(Knowledge.from_parsed(parsed))
    items = load_gold(ROOT / "eval" / "dev.jsonl")[:30]
    out = collect(items, assistant, progress=False)
    assert assistant.builtin.resolver.observe is None      # the recorder is taken off again
    return out


def test_rankings_are_recorded_with_gold_labels(groups):
    assert len({g.item for g in groups}) >= 20
    labelled = [g for g in groups if g.y.any()]
    assert len(labelled) >= 15
    assert all(g.X.shape[0] == len(g.y) for g in groups)


def test_gold_figures_read_the_value_and_the_calculation():
    item = next(i for i in load_gold(ROOT / "eval" / "dev.jsonl") if i.calculation)
    figs = gold_figures(item)
    assert abs(item.answer.value) in figs


def test_folds_hold_each_question_out_once():
    items = [f"q{i}" for i in range(23)]
    folds = folds_of(items, 5)
    flat = [i for f in folds for i in f]
    assert sorted(flat) == sorted(items) and len(folds) == 5


def test_a_fit_ranks_at_least_as_well_as_chance_and_reports_cv(groups):
    r = fit_one(groups, 30.0, 0.62)
    assert 0.0 < r.scale and len(r.coef) == len(r.features)
    assert top1(groups, r) >= 0.5
    result = cross_validate(groups, 0.62, k=3, log=lambda m: None)
    rep = result["report"]
    assert 0.0 <= rep["top1_cv"] <= 1.0 and 0.0 <= rep["top1_train"] <= 1.0
    assert sum(len(f["held_out"]) for f in result["folds"]) == rep["questions"]
