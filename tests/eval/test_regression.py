"""Regression guard: each development gold set through the built-in agent, in-process, must keep
answered-and-cited at or above its floor (eval/floor.py; floors only ever rise)."""
from __future__ import annotations

import pytest

from assistant.service import Assistant
from eval.floor import FLOORS
from eval.gold import load_gold
from eval.metrics import compute
from eval.runner import run_items
from settings import ROOT, Settings


@pytest.fixture(scope="module")
def assistant():
    """The product's default set-up: the default index (built here on a fresh clone, as `make run`
    does on first start) with search and semantic label matching."""
    from index.api import SearchIndex
    settings = Settings.from_env().with_(llm="builtin")
    index = SearchIndex.open(settings, build_if_missing=True, progress=False)
    return Assistant.from_settings(settings, index=index)


@pytest.mark.parametrize("gold_set", sorted(FLOORS))
def test_answered_and_cited_stays_above_floor(assistant, gold_set):
    floor = FLOORS[gold_set]
    metrics = compute(run_items(load_gold(ROOT / "eval" / gold_set), assistant, progress=False))
    failures = "\n".join(f"  {f.id} [{f.category}] expected {f.expected}; got {f.got[:120]!r}; "
                         f"{'; '.join(f.reasons)}" for f in metrics.failures)
    assert metrics.answered_and_cited >= floor, (
        f"{gold_set}: answered-and-cited {metrics.answered_and_cited:.4f} fell below the floor {floor} "
        f"({metrics.errors} errors). Failures:\n{failures}")
