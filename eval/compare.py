"""Compare two runs item by item: what got better, what got worse."""
from __future__ import annotations

from dataclasses import dataclass, field

from eval.metrics import Metrics, compute
from eval.records import Record

METRICS = ("answered_and_cited", "accuracy", "cited", "refusal_precision", "refusal_recall",
           "retrieval_all_sources", "retrieval_any_source", "latency_p50_ms", "latency_p95_ms")


@dataclass(frozen=True)
class Change:
    id: str
    question: str
    before: str          # "pass" / "fail: reasons"
    after: str


@dataclass
class Comparison:
    a: Metrics
    b: Metrics
    better: list[Change] = field(default_factory=list)   # failed in A, passes in B
    worse: list[Change] = field(default_factory=list)    # passed in A, fails in B
    only_a: list[str] = field(default_factory=list)
    only_b: list[str] = field(default_factory=list)
    same_pass: int = 0
    same_fail: int = 0


def _state(r: Record) -> str:
    if r.grade.answered_and_cited:
        return "pass"
    return "fail: " + "; ".join(r.grade.reasons)


def compare(a: list[Record], b: list[Record]) -> Comparison:
    by_a, by_b = {r.id: r for r in a}, {r.id: r for r in b}
    result = Comparison(compute(a), compute(b),
                        only_a=[i for i in by_a if i not in by_b], only_b=[i for i in by_b if i not in by_a])
    for iid, ra in by_a.items():
        rb = by_b.get(iid)
        if rb is None:
            continue
        pa, pb = ra.grade.answered_and_cited, rb.grade.answered_and_cited
        if pa == pb:
            result.same_pass += pa
            result.same_fail += not pa
            continue
        change = Change(iid, rb.question, _state(ra), _state(rb))
        (result.better if pb else result.worse).append(change)
    return result


def _fmt(name: str, value) -> str:
    if value is None:
        return "—"
    return f"{value:,.0f} ms" if name.endswith("_ms") else f"{100 * value:.1f}%"


def render(c: Comparison, name_a: str = "A", name_b: str = "B") -> str:
    out = [f"A = {name_a}", f"B = {name_b}", "", f"{'metric':<24}{'A':>12}{'B':>12}"]
    for name in METRICS:
        va, vb = getattr(c.a, name), getattr(c.b, name)
        out.append(f"{name:<24}{_fmt(name, va):>12}{_fmt(name, vb):>12}")
    out += ["", f"better (fail -> pass): {len(c.better)}"]
    out += [f"  + {ch.id}  {ch.question}\n      was {ch.before}\n      now {ch.after}" for ch in c.better]
    out += [f"worse (pass -> fail): {len(c.worse)}"]
    out += [f"  - {ch.id}  {ch.question}\n      was {ch.before}\n      now {ch.after}" for ch in c.worse]
    out.append(f"unchanged: {c.same_pass} pass, {c.same_fail} fail")
    if c.only_a:
        out.append("only in A: " + ", ".join(c.only_a))
    if c.only_b:
        out.append("only in B: " + ", ".join(c.only_b))
    return "\n".join(out)
