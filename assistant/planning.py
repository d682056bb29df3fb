"""From a parsed question to targets: which documents (and sub-units, and looked-back years) the
answer must come from, or why none can."""
from __future__ import annotations

from dataclasses import dataclass, field

from corpus.model import BUDGET, FINAL_ACCOUNTS
from assistant.catalog import Catalog, DocInfo
from assistant.orgs import CONSOLIDATED
from assistant.question import Parsed
from assistant.resolve import Target


@dataclass
class Plan:
    targets: list[Target] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)       # what was asked for but is not in the corpus
    notes: list[str] = field(default_factory=list)         # e.g. "2024年只有预算"
    orgs: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)


def doc_mentions_year(doc_years: dict[str, set[int]], doc: DocInfo, year: int) -> bool:
    return year in doc_years.get(doc.doc_id, set())


def plan_targets(p: Parsed, catalog: Catalog, doc_years: dict[str, set[int]]) -> Plan:
    plan = Plan()
    orgs = list(p.orgs.orgs)
    named = bool(orgs)
    if not orgs:
        orgs = list(dict.fromkeys(d.org for d in catalog.docs))
    plan.orgs = orgs
    years = list(p.years.years)
    doc_year = p.years.doc_year
    if doc_year is not None and len(years) > 1:
        years = [y for y in years if y != doc_year] or years
    plan.years = years
    kind = p.kind.kind
    explicit_kind = p.kind.explicit

    for year in years or [None]:
        exact: list[Target] = []
        looked: list[Target] = []
        for org in orgs:
            holding = catalog.holding(org) if named else [d for d in catalog.docs if d.org == org]
            if not holding:
                continue
            for t in _targets_for(org, year, holding, p, doc_year, doc_years, kind, explicit_kind, plan):
                bucket = exact if (year is None or t.doc.year == year) else looked
                if t not in bucket:
                    bucket.append(t)
        for t in exact or looked:          # a document of that very year beats ones looking back to it
            if t not in plan.targets:
                plan.targets.append(t)
    if p.orgs.widened:
        # an org only added as the same family: its own documents, not its part of one already answered
        whole = {t.doc.doc_id for t in plan.targets if t.entity is None}
        plan.targets = [t for t in plan.targets if not (t.org in p.orgs.widened and t.entity and
                                                        t.doc.doc_id in whole)]
    if not p.orgs.spans:
        # no org named (or only a city): one answer per document, for the document's own org
        whole = {t.doc.doc_id for t in plan.targets if t.entity is None}
        plan.targets = [t for t in plan.targets if t.entity is None or t.doc.doc_id not in whole]
    if not plan.targets and not plan.missing and p.orgs.explicit:
        what = "、".join(orgs[:3]) if p.orgs.orgs else ""
        yrs = "、".join(f"{y}年" for y in years)
        kind_word = kind if (kind and explicit_kind) else ""
        plan.missing.append(f"{what}{yrs}{kind_word}".strip() or "所问内容")
    elif not plan.targets and not plan.missing:
        yrs = "、".join(f"{y}年" for y in years)
        plan.missing.append(f"{yrs}{kind if explicit_kind and kind else ''}".strip() or "所问内容")
    return plan


def _targets_for(org: str, year: int | None, holding: list[DocInfo], p: Parsed, doc_year: int | None,
                 doc_years: dict[str, set[int]], kind: str | None, explicit_kind: bool, plan: Plan) -> list[Target]:
    def entity_for(d: DocInfo) -> str | None:
        if org != d.org:
            return org
        if p.orgs.scope == "本级" and d.scope == "汇总":
            return org
        return None

    if year is None:
        docs = holding
        if doc_year is not None:
            docs = [d for d in holding if d.year == doc_year] or docs
        if kind:
            same = [d for d in docs if d.kind == kind]
            if same or explicit_kind:
                docs = same
        return [Target(d, entity_for(d), None, org) for d in docs]

    exact = [d for d in holding if d.year == year]
    if doc_year is not None and doc_year != year:
        exact = []
    if exact and CONSOLIDATED.search(p.text) and all(d.scope == "本级" and d.org == org for d in exact):
        # a consolidated figure asked where the year has only the organisation's own-level (本级) document
        plan.missing.append(f"{org}{year}年的汇总数（含所属单位；文件只有本级{exact[0].kind}）" if not p.english else
                            f"a consolidated {year} figure of {org} including its units (the documents have only "
                            f"its own-level (本级) {'budget' if exact[0].kind == '预算' else 'final accounts'})")
        return []
    if exact:
        as_of = year if year in p.years.as_of else None
        if kind:
            same = [d for d in exact if d.kind == kind]
            if same:
                exact = same
            elif explicit_kind and kind == "决算":
                # final accounts asked for by name where the year has only a budget: a budget cannot
                # answer for them (the other way round it can: final accounts print the 年初预算 columns)
                plan.missing.append(f"{org}{year}年的决算（{year}年只有预算，没有决算）" if not p.english else
                                    f"the {year} final accounts of {org} (for {year} there is only the budget)")
                return []
            else:                      # hinted (实际花了 / spent) a kind the year does not have
                other = exact[0].kind
                if p.english:
                    plan.notes.append(f"(For {year} the documents have only the "
                                      f"{'final accounts' if other == '决算' else 'budget'} ({other}), not the "
                                      f"{'final accounts' if kind == '决算' else 'budget'} ({kind}); the figure above is "
                                      f"taken from the {other}.)")
                else:
                    plan.notes.append(f"（{year}年只有{other}，没有{kind}文件；以上数字取自{other}。）")
        return [Target(d, entity_for(d), None, org, as_of=as_of) for d in exact]

    # documents that look back to (or report as of) that year
    later = [d for d in holding if (doc_year is None or d.year == doc_year)]
    looked_back = []
    for d in sorted(later, key=lambda d: d.year):
        if d.year == year:
            continue
        if explicit_kind and kind and d.kind != kind:
            continue
        as_of = year in p.years.as_of
        if as_of and d.year in (year, year + 1):
            looked_back.append(Target(d, entity_for(d), None, org, note=f"截至{year}年底", as_of=year))
        elif d.year > year and doc_mentions_year(doc_years, d, year):
            looked_back.append(Target(d, entity_for(d), year, org))
    return looked_back


def kind_word(kind: str, english: bool) -> str:
    if english:
        return "budget (预算)" if kind == BUDGET else "final accounts (决算)"
    return kind


__all__ = ["Plan", "plan_targets", "kind_word", "FINAL_ACCOUNTS", "BUDGET"]

