"""Features of one candidate fact for one request: what the fitted ranker (assistant.ranker) weighs.

Each feature is general: how well the words and the meaning of the subject phrase meet the fact's
descriptor (table, row path, column, sentence), whether the unit, the measure column and the scope
agree, what kind of row it is. The hand-set matcher's own scores (assistant.matching) enter as
features too, so the fit decides how much each is worth rather than a branch in code. Pure."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from assistant.matching import MONEY_UNITS, Scored, _bg
from assistant.text import norm

FEATURES = (
    "hand", "hand_gap", "hand_rank",
    "lexical", "lexical_label", "lexical_query", "label_cov", "query_cov", "semantic_gain", "purpose",
    "named_query", "column_asked",
    "cos", "cos_gap", "cos_rank",
    "dice_label", "dice_desc", "label_in_topic", "topic_in_label", "column_in_topic",
    "unit_match", "unit_clash", "money",
    "total_row", "total_col", "prose", "sub_item", "change", "depth", "column_index",
    "other_year", "entity_clash", "zero", "quoted_figure",
    "hit_rr", "hit_row",
    "dcos", "dcos_gap", "dcos_rank", "dense_only",
)


@dataclass(frozen=True)
class Request:
    """What the ranker needs to know about the request (not the whole question)."""
    topic_key: str                      # matching form of the subject phrase
    unit_hint: str | None = None
    doc_year: int = 0
    entity: str | None = None
    figures: tuple = ()                 # (value, unit) the question itself quotes


def _dice(a: set[str], b: set[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0


def _rank_share(values: np.ndarray) -> np.ndarray:
    """1 for the best in the group, falling as 1 / (1 + place)."""
    order = np.argsort(-values, kind="stable")
    places = np.empty(len(values))
    places[order] = np.arange(len(values))
    return 1.0 / (1.0 + places)


@dataclass(frozen=True)
class Hits:
    """Where the question's search hits fall: (doc, line) -> reciprocal rank of the best hit covering the
    line, and of the best row or paragraph hit on that very line."""
    covering: dict
    exact: dict

    @classmethod
    def of(cls, hits) -> "Hits":
        covering: dict = {}
        exact: dict = {}
        for rank, h in enumerate(hits):
            rr = 1.0 / (1.0 + rank)
            c = h.chunk
            for line in range(c.line_start, c.line_end + 1):
                covering.setdefault((c.doc_id, line), rr)
            for part in (c, *getattr(h, "focus", ())):
                if part.line_start == part.line_end:
                    exact.setdefault((part.doc_id, part.line_start), rr)
        return cls(covering, exact)


NO_HITS = Hits({}, {})


def _per_view(scored: list[Scored], values: np.ndarray | None) -> np.ndarray:
    return np.array([float(values[s.view.idx]) if values is not None and s.view.idx < len(values) else 0.0
                     for s in scored])


def feature_matrix(scored: list[Scored], req: Request, cosines: np.ndarray | None,
                   hits: Hits = NO_HITS, dense: np.ndarray | None = None,
                   dense_only: frozenset = frozenset()) -> np.ndarray:
    """One row of FEATURES per candidate, in the order given."""
    n = len(scored)
    X = np.zeros((n, len(FEATURES)), dtype=np.float64)
    if not n:
        return X
    topic_bg = _bg(req.topic_key)
    col = {name: i for i, name in enumerate(FEATURES)}
    hand = np.array([s.score for s in scored])
    cos = _per_view(scored, cosines)
    dcos = _per_view(scored, dense)
    X[:, col["hand"]] = hand
    X[:, col["hand_gap"]] = hand - hand.max()
    X[:, col["hand_rank"]] = _rank_share(hand)
    X[:, col["cos"]] = cos
    X[:, col["cos_gap"]] = cos - cos.max()
    X[:, col["cos_rank"]] = _rank_share(cos)
    X[:, col["dcos"]] = dcos
    X[:, col["dcos_gap"]] = dcos - dcos.max()
    X[:, col["dcos_rank"]] = _rank_share(dcos)
    X[:, col["dense_only"]] = [float(s.view.idx in dense_only) for s in scored]
    for i, s in enumerate(scored):
        v = s.view
        f = v.fact
        label = v.label_key or v.clause_key
        desc = label + v.path_key + (v.column_leaf_key if not v.total_col else "") + v.table_key
        row = X[i]
        row[col["lexical"]] = s.lexical
        row[col["lexical_label"]] = s.lexical_label
        row[col["lexical_query"]] = s.lexical_query
        row[col["label_cov"]] = s.label_cov
        row[col["query_cov"]] = s.query_cov
        row[col["semantic_gain"]] = s.semantic_gain
        row[col["purpose"]] = s.purpose
        row[col["named_query"]] = s.named_query
        row[col["column_asked"]] = float(s.column_asked)
        row[col["dice_label"]] = _dice(topic_bg, _bg(label))
        row[col["dice_desc"]] = _dice(topic_bg, _bg(desc))
        row[col["label_in_topic"]] = float(len(label) >= 2 and label in req.topic_key)
        row[col["topic_in_label"]] = float(len(req.topic_key) >= 2 and req.topic_key in (label + v.sentence_key))
        leaf = v.column_leaf_key
        row[col["column_in_topic"]] = float(not v.total_col and len(leaf) >= 2 and leaf in req.topic_key)
        money = f.unit in MONEY_UNITS
        hint = req.unit_hint
        if hint and hint not in ("%", "倍"):
            hinted_money = hint in MONEY_UNITS
            row[col["unit_match"]] = float(f.unit == hint or (hinted_money and money) or
                                           (hint == "人" and f.unit in ("人", "名")))
            row[col["unit_clash"]] = float(hinted_money != money)
        elif hint == "%":
            row[col["unit_match"]] = float(f.unit == "%")
        row[col["money"]] = float(money)
        row[col["total_row"]] = float(v.total_row)
        row[col["total_col"]] = float(v.total_col)
        row[col["prose"]] = float(v.prose)
        row[col["sub_item"]] = float(v.sub_item)
        row[col["change"]] = float(v.change is not None or f.qualifier in ("增加", "减少", "增长", "下降", "持平"))
        row[col["depth"]] = min(len(f.row_path), 4) / 4
        row[col["column_index"]] = min(v.column_index, 6) / 6
        row[col["other_year"]] = float(bool(set(v.years) - {req.doc_year}))
        row[col["entity_clash"]] = float(bool(req.entity) and v.entity != req.entity)
        row[col["zero"]] = float(f.value == 0)
        row[col["quoted_figure"]] = float(any(f.value == val for val, _ in req.figures))
        row[col["hit_rr"]] = hits.covering.get((f.doc_id, f.line), 0.0)
        row[col["hit_row"]] = hits.exact.get((f.doc_id, f.line), 0.0)
    return X


def request_of(terms_text: str, unit_hint: str | None, doc_year: int, entity: str | None, figures) -> Request:
    return Request(norm(terms_text), unit_hint, doc_year, entity, tuple(figures or ()))
