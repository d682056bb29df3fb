"""The fitted fact ranker: features on the real corpus, the weights file, and the shipped fit."""
from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from assistant.features import FEATURES, Request, feature_matrix
from assistant.matching import build_terms, rank
from assistant.ranker import DEFAULT_PATH, Ranker, RankerError, load_folds, load_ranker
from assistant.resolve import ACCEPT
from assistant.text import norm


def _ranker(n=len(FEATURES), **kw) -> Ranker:
    return Ranker(FEATURES[:n], [0.0] * n, [1.0] * n, [0.5] * n, 0.0, **kw)


def test_features_describe_the_candidates(kb):
    views = kb.doc_views("003_e2aa0d4e68ff0396.txt")
    terms = build_terms("差旅费", kb.glossary, kb.idf)
    scored = rank(views, terms, kb.idf, limit=30)
    X = feature_matrix(scored, Request(norm("差旅费"), "万元", 2024), None)
    assert X.shape == (len(scored), len(FEATURES))
    col = FEATURES.index
    travel = [i for i, s in enumerate(scored) if s.view.label_key == "差旅费"]
    assert travel, "the row printed 差旅费 is a candidate"
    assert all(X[i, col("label_in_topic")] == 1.0 for i in travel)
    assert all(X[i, col("unit_match")] == 1.0 for i in travel)
    assert X[:, col("hand_rank")].max() == 1.0          # the hand-set best is marked
    assert (X[:, col("hand_gap")] <= 0).all()


def test_weights_round_trip_and_bad_files(tmp_path):
    r = _ranker(accept=1.5, scale=0.2)
    path = tmp_path / "w.json"
    r.save(path)
    back = load_ranker(path)
    assert back.to_json() == r.to_json()
    X = np.random.default_rng(0).normal(size=(5, len(FEATURES)))
    assert np.allclose(back.logits(X), r.logits(X))
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(RankerError, match="bad.json"):
        load_ranker(bad)
    bad.write_text(json.dumps({**r.to_json(), "features": ["no_such_feature"] + list(FEATURES[1:])}))
    with pytest.raises(RankerError, match="unknown features"):
        load_ranker(bad)
    assert load_ranker(tmp_path / "missing.json") is None


@settings(max_examples=50, deadline=None)
@given(st.floats(-5, 5), st.floats(0.01, 2))
def test_the_accept_logit_lands_on_the_accept_score(accept, scale):
    r = _ranker(accept=accept, scale=scale)
    X = np.zeros((1, len(FEATURES)))
    shift = accept - float(r.logits(X)[0])
    r.intercept = shift                    # make this row's logit exactly the accept logit
    assert abs(float(r.scores(X, ACCEPT)[0]) - ACCEPT) < 1e-9


def test_shipped_weights_carry_their_provenance_and_folds():
    data = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))
    report = data["report"]
    assert {"top1_hand", "top1_train", "top1_cv", "sets"} <= set(report)
    assert 0.0 < report["top1_cv"] <= 1.0
    full, by_item = load_folds(DEFAULT_PATH)
    assert full.features == FEATURES
    held = [i for f in data["folds"] for i in f["held_out"]]
    assert len(held) == len(set(held)) == len(by_item)       # each question held out exactly once
    assert any(i.startswith("dev-") for i in held)
