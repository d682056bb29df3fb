"""Which documents a question points at: years, places, organisation type and budget/final accounts
mentioned in it, matched against each document's own metadata (nothing here names a document).

The result is a soft prior in [0, 1] per document; retrieval adds it to the fused score, so a
question about "江门 2024" prefers chunks of the 2024 Jiangmen budget without hiding the others.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from corpus.numbers import normalize_digits
from index.terms import Glossary

_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
_PLACE = re.compile(r"^([\u4e00-\u9fff]{2,4}?)(?:市|省|县|区)")
CENTRE_WORDS = ("中心", "centre", "center")
BUREAU_WORDS = ("局", "bureau")
FINAL_WORDS = ("决算", "final account", "actual spending", "actual expenditure", "实际支出", "实际花")
BUDGET_WORDS = ("预算", "budget")


@dataclass(frozen=True)
class DocFacts:
    doc_id: str
    org: str
    year: int
    kind: str
    place: str


@dataclass
class DocRouter:
    docs: list[DocFacts]
    place_aliases: dict[str, tuple[str, ...]]   # place -> ways to write it (漳州 -> 漳州, zhangzhou)

    @classmethod
    def build(cls, docs: list[tuple[str, str, int, str]], glossary: Glossary | None = None) -> "DocRouter":
        glossary = glossary or Glossary()
        facts = []
        aliases: dict[str, tuple[str, ...]] = {}
        for doc_id, org, year, kind in docs:
            match = _PLACE.match(org)
            place = match.group(1) if match else ""
            facts.append(DocFacts(doc_id, org, year, kind, place))
            if place and place not in aliases:
                extra = glossary.aliases_for(place + "市") + glossary.aliases_for(place)
                aliases[place] = tuple(dict.fromkeys([place] + [a.lower() for a in extra if a]))
        return cls(facts, aliases)

    def prior(self, query: str) -> dict[str, float]:
        """doc_id -> score in [0, 1]; empty when the question names nothing that tells documents apart."""
        q = normalize_digits(query).lower()
        years = {int(y) for y in _YEAR.findall(q)} & {d.year for d in self.docs}
        places = {p for p, names in self.place_aliases.items() if any(_mentions(q, n) for n in names)}
        centre = any(w in q for w in CENTRE_WORDS)
        bureau = any(w in q for w in BUREAU_WORDS)
        final = any(w in q for w in FINAL_WORDS)
        budget = not final and any(w in q for w in BUDGET_WORDS)
        scores: dict[str, float] = {}
        for d in self.docs:
            s = 0.0
            s += 1.0 if years and d.year in years else 0.0
            s += 1.0 if places and d.place in places else 0.0
            s += 0.5 if centre and d.org.endswith("中心") else 0.0
            s += 0.5 if bureau and d.org.endswith("局") else 0.0
            s += 0.5 if (final and d.kind == "决算") or (budget and d.kind == "预算") else 0.0
            scores[d.doc_id] = s
        top = max(scores.values(), default=0.0)
        if top <= 0 or len(set(scores.values())) == 1:
            return {}
        return {doc: s / top for doc, s in scores.items()}


def _mentions(query: str, name: str) -> bool:
    if name.isascii():
        return re.search(rf"(?<![a-z]){re.escape(name)}(?![a-z])", query) is not None
    return name in query
