"""Regression guard: the dev set through the built-in agent, in-process, must keep answered-and-cited >= FLOOR."""
from __future__ import annotations

import importlib.util

import pytest

from eval.floor import FLOOR
from eval.gold import load_gold
from eval.metrics import compute
from eval.runner import run_items
from settings import ROOT, Settings

DEV = ROOT / "eval" / "dev.jsonl"


def test_dev_set_answered_and_cited_stays_above_floor():
    if importlib.util.find_spec("assistant.service") is None:
        # TODO(lead): remove this skip once assistant/service.py exists.
        pytest.skip("assistant.service is not written yet")
    from assistant.service import Assistant

    assistant = Assistant.from_settings(Settings.from_env().with_(llm="builtin"))
    metrics = compute(run_items(load_gold(DEV), assistant, progress=False))
    failures = "\n".join(f"  {f.id} [{f.category}] expected {f.expected}; got {f.got[:120]!r}; "
                         f"{'; '.join(f.reasons)}" for f in metrics.failures)
    assert metrics.answered_and_cited >= FLOOR, (
        f"answered-and-cited {metrics.answered_and_cited:.4f} fell below the floor {FLOOR} "
        f"({metrics.errors} errors). Failures:\n{failures}")
