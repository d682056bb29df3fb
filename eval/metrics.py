"""Figures over a run's records: accuracy, answered-and-cited, refusals, retrieval, latency, failures."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field

from eval.records import Record


@dataclass(frozen=True)
class Group:
    n: int
    accuracy: float
    answered_and_cited: float
    cited: float


@dataclass(frozen=True)
class Failure:
    id: str
    category: str
    question: str
    expected: str
    got: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Metrics:
    n: int
    accuracy: float
    answered_and_cited: float
    cited: float
    per_category: dict[str, Group]
    per_document: dict[str, Group]
    refusal_precision: float | None     # of answers that refused, the share that should have
    refusal_recall: float | None        # of items that call for a refusal, the share refused
    refusals_predicted: int
    refusals_gold: int
    retrieval_k: int | None
    retrieval_n: int                    # answerable items with a recorded retrieval
    retrieval_all_sources: float | None
    retrieval_any_source: float | None
    latency_p50_ms: float | None
    latency_p95_ms: float | None
    latency_max_ms: float | None
    errors: int
    failures: list[Failure] = field(default_factory=list)

    def to_json(self) -> dict:
        d = asdict(self)
        d["failures"] = [{**asdict(f), "reasons": list(f.reasons)} for f in self.failures]
        return d


def percentile(values: list[float], q: float) -> float | None:
    """Linear-interpolated percentile (q in 0..100), as numpy's default."""
    if not values:
        return None
    xs = sorted(values)
    pos = (len(xs) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def _ratio(num: int, den: int) -> float | None:
    return None if den == 0 else num / den


def _group(records: list[Record]) -> Group:
    n = len(records)
    return Group(n=n,
                 accuracy=_ratio(sum(r.grade.correct for r in records), n) or 0.0,
                 answered_and_cited=_ratio(sum(r.grade.answered_and_cited for r in records), n) or 0.0,
                 cited=_ratio(sum(r.grade.cited for r in records), n) or 0.0)


def compute(records: list[Record]) -> Metrics:
    overall = _group(records)
    by_cat: dict[str, list[Record]] = defaultdict(list)
    by_doc: dict[str, list[Record]] = defaultdict(list)
    for r in records:
        by_cat[r.category].append(r)
        for doc in r.docs:
            by_doc[doc].append(r)

    gold_refusal = [r for r in records if r.grade.kind == "refusal"]
    predicted = [r for r in records if r.grade.refused]
    true_pos = sum(1 for r in predicted if r.grade.kind == "refusal")

    retrieved = [r for r in records if r.retrieval is not None and r.grade.kind != "refusal"]
    latencies = [r.latency_ms for r in records if r.error is None]

    failures = [Failure(r.id, r.category, r.question, r.expected, r.got, r.grade.reasons)
                for r in records if not r.grade.answered_and_cited]
    return Metrics(
        n=overall.n, accuracy=overall.accuracy, answered_and_cited=overall.answered_and_cited,
        cited=overall.cited,
        per_category={k: _group(v) for k, v in sorted(by_cat.items())},
        per_document={k: _group(v) for k, v in sorted(by_doc.items())},
        refusal_precision=_ratio(true_pos, len(predicted)),
        refusal_recall=_ratio(sum(1 for r in gold_refusal if r.grade.correct), len(gold_refusal)),
        refusals_predicted=len(predicted), refusals_gold=len(gold_refusal),
        retrieval_k=retrieved[0].retrieval.k if retrieved else None,
        retrieval_n=len(retrieved),
        retrieval_all_sources=_ratio(sum(r.retrieval.all_sources for r in retrieved), len(retrieved)),
        retrieval_any_source=_ratio(sum(r.retrieval.any_source for r in retrieved), len(retrieved)),
        latency_p50_ms=percentile(latencies, 50), latency_p95_ms=percentile(latencies, 95),
        latency_max_ms=max(latencies) if latencies else None,
        errors=sum(1 for r in records if r.error),
        failures=failures,
    )
