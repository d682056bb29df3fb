"""Fit the fact ranker (assistant.ranker) on gold sets, with k-fold cross-validation grouped by question.

Every ranking the built-in agent makes while answering a gold question is recorded (the candidates
and their features); a candidate is right when it is a figure the gold item cites (its line and its
value). A logistic model is fit on those candidates; the accept threshold (below it the agent says
the documents do not hold the item) is the logit that best separates answerable questions whose best
candidate is right from refusal questions. Each fold's model is fit without its questions and kept,
so `eval run --cv` can answer every question with weights that never saw it."""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

import numpy as np

from assistant.features import FEATURES
from assistant.ranker import Ranker
from eval.gold import GoldItem

FOLDS = 5
L2_GRID = (3.0, 10.0, 30.0, 100.0, 300.0)
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


@dataclass
class Group:
    """One ranking: the candidates of one document for one operand of one question."""
    item: str
    refusal: bool
    X: np.ndarray
    y: np.ndarray          # 1 where the candidate is a gold figure


def gold_figures(item: GoldItem) -> set[Decimal]:
    out: set[Decimal] = set()
    if item.answer.value is not None:
        out.add(Decimal(item.answer.value))
    for text in [item.calculation or ""] + list(item.answer.must_contain):
        for m in _NUMBER.finditer(text):
            try:
                out.add(Decimal(m.group(0).replace(",", "")))
            except InvalidOperation:
                pass
    return {abs(v) for v in out} | {abs(v) * 10000 for v in out} | {abs(v) / 10000 for v in out}


def is_gold(item: GoldItem, view, figures: set[Decimal]) -> bool:
    """A cited figure; or the same non-zero figure printed elsewhere in a cited document (an answer
    citing that printing cites the gold line too, as the figure's other printings are cited with it)."""
    f = view.fact
    value_ok = abs(f.value) in figures
    if any(s.doc == f.doc_id and s.line == f.line for s in item.sources):
        return not figures or value_ok or item.answer.type == "text"
    return value_ok and f.value != 0 and any(s.doc == f.doc_id for s in item.sources)


def collect(items: list[GoldItem], assistant, progress: bool = True) -> list[Group]:
    """Ask every item through the built-in agent and record its rankings."""
    resolver = assistant.builtin.resolver
    groups: list[Group] = []
    calls: list = []
    resolver.observe = lambda target, ask, scored, X: calls.append((scored, X))
    try:
        for n, item in enumerate(items, 1):
            calls.clear()
            try:
                assistant.ask(item.question, history=item.history_json())
            except Exception as exc:  # noqa: BLE001 - one failing question must not stop the fit
                print(f"fit: {item.id} failed ({type(exc).__name__}: {exc})", file=sys.stderr)
            figures = gold_figures(item)
            for scored, X in calls:
                if not len(X):
                    continue
                y = np.array([is_gold(item, s.view, figures) for s in scored], dtype=np.int64)
                groups.append(Group(item.id, item.answer.type == "refusal", X, y))
            if progress and (n % 20 == 0 or n == len(items)):
                print(f"fit: recorded {n}/{len(items)} questions, {len(groups)} rankings", file=sys.stderr)
    finally:
        resolver.observe = None
    return groups


def fit_one(groups: list[Group], l2: float, hand_accept: float) -> Ranker:
    """A listwise (softmax over each ranking's candidates) linear model: the right figure should come
    first in its own ranking. The hand-set score is not penalised, the other features are, so a strong
    penalty keeps the hand ordering and a weak one lets the features correct it."""
    from scipy.optimize import minimize

    useful = [g for g in groups if g.y.any() and not g.refusal]
    X = np.vstack([g.X for g in useful])
    mean, std = X.mean(axis=0), X.std(axis=0)
    std = np.where(std > 1e-9, std, 1.0)
    Zs = [(g.X - mean) / std for g in useful]
    targets = [g.y / g.y.sum() for g in useful]
    penalty = np.full(X.shape[1], l2)
    penalty[FEATURES.index("hand")] = 1e-4

    def loss(w):
        total, grad = 0.0, np.zeros_like(w)
        for Z, t in zip(Zs, targets):
            s = Z @ w
            p = np.exp(s - s.max())
            p /= p.sum()
            total -= float(t @ np.log(p + 1e-12))
            grad -= Z.T @ (t - p)
        return total + 0.5 * float((penalty * w) @ w), grad + penalty * w

    w = minimize(loss, np.zeros(X.shape[1]), jac=True, method="L-BFGS-B", options={"maxiter": 500}).x
    r = Ranker(FEATURES, mean.tolist(), std.tolist(), w.tolist(), 0.0)
    hand = X[:, FEATURES.index("hand")]
    r.scale = float(np.std(hand) / max(np.std(r.logits(X)), 1e-9))
    r.accept = choose_accept(groups, r, hand_accept)
    return r


def _best(g: Group, r: Ranker | None) -> tuple[float, bool]:
    """(best candidate's logit (or hand score), whether it is right)."""
    s = r.logits(g.X) if r is not None else g.X[:, FEATURES.index("hand")]
    i = int(np.argmax(s))
    return float(s[i]), bool(g.y[i])


def choose_accept(groups: list[Group], r: Ranker | None, default: float) -> float:
    """The threshold that answers the most answerable rankings rightly and refuses the most refusal ones
    (each question weighs one, however many rankings it made)."""
    per_item: dict[str, int] = {}
    for g in groups:
        per_item[g.item] = per_item.get(g.item, 0) + 1
    pts = []
    for g in groups:
        if not g.refusal and not g.y.any():
            continue
        best, right = _best(g, r)
        w = 1.0 / per_item[g.item]
        pts.append((best, w if (right and not g.refusal) else 0.0, w if g.refusal else 0.0))
    if not pts:
        return default
    cands = sorted({p[0] for p in pts})
    best_t, best_v = default, -1.0
    for t in [cands[0] - 1.0] + [(a + b) / 2 for a, b in zip(cands, cands[1:])]:
        v = sum(ok for s, ok, _ in pts if s >= t) + sum(ref for s, _, ref in pts if s < t)
        if v > best_v:
            best_t, best_v = t, v
    return float(best_t)


def top1(groups: list[Group], r: Ranker | None) -> float:
    ranked = [g for g in groups if g.y.any() and not g.refusal]
    return sum(_best(g, r)[1] for g in ranked) / len(ranked) if ranked else 0.0


def folds_of(items: list[str], k: int = FOLDS) -> list[list[str]]:
    """Questions dealt to k folds in a fixed order (a follow-up stays with the set order it came in)."""
    out: list[list[str]] = [[] for _ in range(k)]
    for i, item in enumerate(sorted(set(items))):
        out[i % k].append(item)
    return out


def cross_validate(groups: list[Group], hand_accept: float, k: int = FOLDS, log=print) -> dict:
    items = sorted({g.item for g in groups})
    folds = folds_of(items, k)
    scores = {}
    for l2 in L2_GRID:
        cv = []
        for held in folds:
            held_set = set(held)
            train = [g for g in groups if g.item not in held_set]
            test = [g for g in groups if g.item in held_set]
            cv.append((top1(test, fit_one(train, l2, hand_accept)), len([g for g in test if g.y.any()])))
        scores[l2] = sum(a * n for a, n in cv) / max(sum(n for _, n in cv), 1)
        log(f"fit: l2={l2}: cross-validated top-1 {scores[l2]:.3f}")
    l2 = max(scores, key=lambda c: (scores[c], c))
    fold_models = []
    for held in folds:
        held_set = set(held)
        r = fit_one([g for g in groups if g.item not in held_set], l2, hand_accept)
        fold_models.append({"held_out": held, "weights": r.to_json(),
                            "top1": top1([g for g in groups if g.item in held_set], r)})
    full = fit_one(groups, l2, hand_accept)
    n = sum(1 for g in groups if g.y.any() and not g.refusal)
    report = {"l2": l2, "rankings": len(groups), "rankings_with_gold": n, "questions": len(items),
              "top1_hand": round(top1(groups, None), 4), "top1_train": round(top1(groups, full), 4),
              "top1_cv": round(sum(f["top1"] * len([g for g in groups if g.item in set(f["held_out"]) and g.y.any()
                                                    and not g.refusal]) for f in fold_models) / max(n, 1), 4),
              "cv_by_l2": {str(c): round(v, 4) for c, v in scores.items()}}
    full.provenance = {"fitted": datetime.now().isoformat(timespec="seconds"), **report}
    return {"full": full.to_json(), "folds": fold_models, "report": report}
