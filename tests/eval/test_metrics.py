"""Run metrics on hand-built records with known figures."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from eval.grader import Grade
from eval.metrics import compute, percentile
from eval.records import Record, Retrieval


def rec(id, category, kind, correct, cited, refused=False, docs=("A",), latency=100.0, retrieval=None, error=None):
    g = Grade(kind, correct, cited, correct and cited, refused, () if correct and cited else ("why",))
    return Record(id=id, question=f"q {id}", category=category, docs=docs, expected="e", gold={},
                  answer=None if error else {"answer": f"a {id}"}, grade=g, latency_ms=latency,
                  retrieval=retrieval, error=error)


def hits(all_, any_):
    return Retrieval(5, all_, any_)


RECORDS = [
    rec("1", "lookup_table", "number", True, True, docs=("A",), latency=10, retrieval=hits(True, True)),
    rec("2", "lookup_table", "number", True, False, docs=("A", "B"), latency=20, retrieval=hits(False, True)),
    rec("3", "sum", "number", False, True, docs=("B",), latency=30, retrieval=hits(False, False)),
    rec("4", "refusal", "refusal", True, True, refused=True, docs=("C",), latency=40),
    rec("5", "refusal", "refusal", False, False, refused=False, docs=("C",), latency=50),
    rec("6", "lookup_table", "number", False, False, refused=True, docs=("A",), latency=60,
        retrieval=hits(True, True)),
    rec("7", "text_fact", "text", False, False, docs=("B",), latency=999, error="boom"),
]


def test_overall_and_groups():
    m = compute(RECORDS)
    assert m.n == 7
    assert m.accuracy == pytest.approx(3 / 7)
    assert m.answered_and_cited == pytest.approx(2 / 7)
    assert m.cited == pytest.approx(3 / 7)
    assert m.per_category["lookup_table"].n == 3
    assert m.per_category["lookup_table"].accuracy == pytest.approx(2 / 3)
    assert m.per_category["lookup_table"].answered_and_cited == pytest.approx(1 / 3)
    assert m.per_category["refusal"].answered_and_cited == pytest.approx(1 / 2)
    # an item citing two documents counts for both
    assert m.per_document["A"].n == 3 and m.per_document["B"].n == 3 and m.per_document["C"].n == 2
    assert m.per_document["B"].accuracy == pytest.approx(1 / 3)


def test_refusal_precision_and_recall():
    m = compute(RECORDS)
    assert m.refusals_predicted == 2 and m.refusals_gold == 2
    assert m.refusal_precision == pytest.approx(1 / 2)   # item 6 refused an answerable question
    assert m.refusal_recall == pytest.approx(1 / 2)      # item 5 should have refused


def test_retrieval_only_over_answerable_items_with_hits():
    m = compute(RECORDS)
    assert m.retrieval_k == 5 and m.retrieval_n == 4
    assert m.retrieval_all_sources == pytest.approx(2 / 4)
    assert m.retrieval_any_source == pytest.approx(3 / 4)


def test_latency_excludes_errors_and_failures_are_listed():
    m = compute(RECORDS)
    assert m.latency_p50_ms == pytest.approx(35.0)
    assert m.latency_p95_ms == pytest.approx(57.5)
    assert m.errors == 1
    assert [f.id for f in m.failures] == ["2", "3", "5", "6", "7"]
    assert m.failures[-1].got == "ERROR: boom"


def test_no_records_no_crash():
    m = compute([])
    assert m.n == 0 and m.accuracy == 0 and m.refusal_precision is None and m.latency_p50_ms is None


@given(st.lists(st.floats(min_value=0, max_value=1e6, allow_nan=False), min_size=1, max_size=50),
       st.sampled_from([0, 5, 50, 95, 100]))
def test_percentile_matches_numpy(values, q):
    assert percentile(values, q) == pytest.approx(float(np.percentile(values, q)), rel=1e-9, abs=1e-9)
