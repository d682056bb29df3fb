"""How far a document read from another format agrees with the text parser's reading of the same document:
the share of the text's facts found with the same row, column, value and unit, and whether each table's
arithmetic checks agree."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from corpus.tables.cells import norm_text
from corpus.model import Fact, ParsedDocument, Table


@dataclass(frozen=True)
class Agreement:
    doc_id: str
    gold: int                  # facts the text parser finds
    found: int                 # of those, found from the other format
    extra: int                 # facts the other format finds that the text does not
    tables: int                # text tables
    checks_agree: int          # text tables whose checks (name, passed) the other format reproduces
    missing: tuple[str, ...] = ()     # a few gold facts not found, for the report
    check_mismatches: tuple[str, ...] = ()

    @property
    def share(self) -> float:
        return self.found / self.gold if self.gold else 1.0

    @property
    def checks_ok(self) -> bool:
        return self.checks_agree == self.tables


def fact_key(fact: Fact) -> tuple:
    return (norm_text(fact.row), tuple(norm_text(c) for c in fact.column), fact.value.normalize(), fact.unit)


def table_key(table: Table) -> tuple:
    return tuple(norm_text(r.label) for r in table.rows)   # titles are presentation; rows identify


def _check_summary(table: Table) -> tuple:
    return tuple(sorted(Counter((c.name, c.passed) for c in table.checks).items()))


def compare(gold: ParsedDocument, other: ParsedDocument, examples: int = 5) -> Agreement:
    want = Counter(fact_key(f) for f in gold.facts)
    have = Counter(fact_key(f) for f in other.facts)
    found = sum(min(n, have[k]) for k, n in want.items())
    missing = [k for k, n in want.items() if have[k] < n][:examples]
    other_checks: dict[tuple, list[tuple]] = {}
    for table in other.tables:
        other_checks.setdefault(table_key(table), []).append(_check_summary(table))
    agree, mismatches = 0, []
    for table in gold.tables:
        if _check_summary(table) in other_checks.get(table_key(table), []):
            agree += 1
        else:
            mismatches.append(table.title)
    return Agreement(doc_id=other.document.doc_id, gold=sum(want.values()), found=found,
                     extra=sum((have - want).values()), tables=len(gold.tables), checks_agree=agree,
                     missing=tuple(" / ".join(str(x) for x in k) for k in missing),
                     check_mismatches=tuple(mismatches[:examples]))


def format_agreement(results: list[Agreement]) -> str:
    lines = []
    for r in results:
        lines.append(f"{r.doc_id}: facts {r.found}/{r.gold} = {r.share:.4f} (extra {r.extra})  "
                     f"checks agree {r.checks_agree}/{r.tables}{'' if r.checks_ok else '  MISMATCH'}")
        lines += [f"  missing: {m}" for m in r.missing]
        lines += [f"  checks differ: {t}" for t in r.check_mismatches]
    return "\n".join(lines)
