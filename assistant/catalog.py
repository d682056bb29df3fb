"""What the corpus holds: one DocInfo per document (org, year, kind, scope, sub-units)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from corpus.model import Fact, FINAL_ACCOUNTS, BUDGET

_ORG_LIKE = re.compile(r"^[\u4e00-\u9fff]{2,4}市[\u4e00-\u9fff]{2,20}(?:局|中心|委员会|办公室|院|所|站)$")


@dataclass(frozen=True)
class DocInfo:
    doc_id: str
    org: str
    year: int
    kind: str                  # 预算 / 决算
    scope: str | None          # 本级 / 汇总
    unit: str
    title: str = ""
    entities: tuple[str, ...] = ()   # sub-unit organisations whose figures the document also gives

    @property
    def city(self) -> str:
        return city_of(self.org)

    def describe(self, english: bool = False) -> str:
        scope = f"（{self.scope}）" if self.scope else ""
        if english:
            kind = "budget (预算)" if self.kind == BUDGET else "final accounts (决算)"
            return f"{self.org}{scope} {self.year} {kind}"
        return f"{self.org}{scope}{self.year}年部门{self.kind}"


@dataclass
class Catalog:
    docs: list[DocInfo] = field(default_factory=list)

    @property
    def years(self) -> list[int]:
        return sorted({d.year for d in self.docs})

    @property
    def latest_year(self) -> int | None:
        return max(self.years) if self.docs else None

    @property
    def orgs(self) -> list[str]:
        seen: list[str] = []
        for d in self.docs:
            for name in (d.org, *d.entities):
                if name not in seen:
                    seen.append(name)
        return seen

    def get(self, doc_id: str) -> DocInfo | None:
        return next((d for d in self.docs if d.doc_id == doc_id), None)

    def holding(self, org: str) -> list[DocInfo]:
        """Documents whose own org is `org`, or that give `org`'s figures as a sub-unit."""
        return [d for d in self.docs if d.org == org or org in d.entities]

    def summary(self, english: bool = False) -> str:
        parts = [d.describe(english) for d in sorted(self.docs, key=lambda d: (d.org, d.year))]
        return ("; " if english else "；").join(parts)


def city_of(org: str) -> str:
    m = re.match(r"^([\u4e00-\u9fff]{2,4}?)市", org)
    return m.group(1) if m else ""


def build_catalog(docs: list[tuple[str, object]], facts: list[Fact]) -> Catalog:
    """docs: (doc_id, DocMeta) pairs; sub-units are org-like row labels or entities in a document's facts."""
    entities: dict[str, list[str]] = {}
    for f in facts:
        for name in (f.entity, f.row if f.source == "table" else None):
            if not name:
                continue
            name = re.sub(r"\s+", "", name)
            if name != f.org and _ORG_LIKE.match(name) and city_of(name) == city_of(f.org):
                bucket = entities.setdefault(f.doc_id, [])
                if name not in bucket:
                    bucket.append(name)
    infos = [DocInfo(doc_id, m.org, m.year, m.kind, m.scope, m.unit, m.title, tuple(entities.get(doc_id, ())))
             for doc_id, m in docs]
    return Catalog(sorted(infos, key=lambda d: d.doc_id))


__all__ = ["DocInfo", "Catalog", "build_catalog", "city_of", "BUDGET", "FINAL_ACCOUNTS"]
