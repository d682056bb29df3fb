"""Pure fusion of ranked lists: reciprocal rank fusion and weighted normalised scores."""
from __future__ import annotations

Ranking = list[tuple[int, float]]   # (item, score), best first


def fuse(rankings: list[Ranking], weights: list[float], rrf_k: float = 60.0) -> Ranking:
    """Reciprocal rank fusion: sum of weight / (rrf_k + rank) over the rankings an item appears in."""
    scores: dict[int, float] = {}
    for ranking, weight in zip(rankings, weights):
        for rank, (item, _) in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + weight / (rrf_k + rank)
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))


def fuse_scores(rankings: list[Ranking], weights: list[float]) -> Ranking:
    """Weighted sum of scores scaled to [0, 1] per ranking (best = 1, worst candidate = 0), which keeps
    how far ahead the best match is, unlike rank fusion."""
    scores: dict[int, float] = {}
    for ranking, weight in zip(rankings, weights):
        if not ranking or not weight:
            continue
        values = [v for _, v in ranking]
        top, low = max(values), min(values)
        span = (top - low) or 1.0
        for item, value in ranking:
            scores[item] = scores.get(item, 0.0) + weight * ((value - low) / span if top != low else 1.0)
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))


def round_robin(items: Ranking, groups: list[str], group_of) -> Ranking:
    """Interleave ranked items by group (e.g. document), keeping each group's order."""
    queues = {g: [it for it in items if group_of(it[0]) == g] for g in groups}
    out: Ranking = []
    while any(queues.values()):
        for g in groups:
            if queues[g]:
                out.append(queues[g].pop(0))
    return out
