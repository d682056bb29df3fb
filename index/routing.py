"""Which documents a question points at: years, places, organisation type and budget/final accounts
mentioned in it, matched against each document's own metadata (nothing here names a document).

The result is a soft prior in [0, 1] per document; retrieval adds it to the fused score, so a
question about "江门 2024" prefers chunks of the 2024 Jiangmen budget without hiding the others.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from corpus.numbers import normalize_digits
from index.terms import ORG, PLACE, Glossary

_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
_YEAR_WORD = re.compile(r"(?<!\d)(20\d\d)(?!\d)\s*(?:年度|年)?")
_PLACE = re.compile(r"^([\u4e00-\u9fff]{2,4}?)(?:市|省|县|区)")
CENTRE_WORDS = ("中心", "centre", "center")
BUREAU_WORDS = ("局", "bureau")
FINAL_WORDS = ("决算", "final account", "actual spending", "actual expenditure", "实际支出", "实际花")
BUDGET_WORDS = ("预算", "budget")


SCOPE_WORDS = {"本级": ("本级",), "汇总": ("汇总", "consolidated")}


@dataclass(frozen=True)
class DocFacts:
    doc_id: str
    org: str
    year: int
    kind: str
    place: str
    scope: str | None = None


@dataclass
class DocRouter:
    docs: list[DocFacts]
    place_aliases: dict[str, tuple[str, ...]]   # place -> ways to write it (漳州 -> 漳州, zhangzhou)
    org_words: tuple[str, ...] = ()             # org names and their short forms, longest first

    @classmethod
    def build(cls, docs: list[tuple], glossary: Glossary | None = None) -> "DocRouter":
        """docs: (doc_id, org, year, kind[, scope]) per document."""
        glossary = glossary or Glossary()
        facts = []
        aliases: dict[str, tuple[str, ...]] = {}
        for doc_id, org, year, kind, *rest in docs:
            match = _PLACE.match(org)
            place = match.group(1) if match else ""
            facts.append(DocFacts(doc_id, org, year, kind, place, rest[0] if rest else None))
            if place and place not in aliases:
                extra = glossary.aliases_for(place + "市", kinds=(PLACE,))
                aliases[place] = tuple(dict.fromkeys([place] + [a.lower() for a in extra if a]))
        words = {d.org for d in facts}
        for term, term_aliases in glossary.entries:
            if glossary.kind(term) in (ORG, PLACE):
                words.update([term, *term_aliases])
        for names in aliases.values():
            words.update(names)
        words.update(w for names in SCOPE_WORDS.values() for w in names)
        words = {w for w in words if len(w) >= 2}
        return cls(facts, aliases, tuple(sorted(words, key=lambda w: (-len(w), w))))

    @property
    def place_words(self) -> set[str]:
        words = {w for names in self.place_aliases.values() for w in names}
        words |= {w for names in SCOPE_WORDS.values() for w in names}
        return words | {p + "市" for p in self.place_aliases}

    def split_query(self, query: str) -> tuple[str, list[str]]:
        """(the question without the words that only pick documents, those words). "江门医保局2024年
        委托业务费" -> ("委托业务费", ["江门", "医保局", "2024年"]): organisation, place and document-year
        words say which document, not which passage, so keyword search weighs them lightly."""
        text = normalize_digits(query)
        found: list[str] = []
        years = {d.year for d in self.docs}
        for match in list(_YEAR_WORD.finditer(text)):
            if int(match.group(1)) in years:
                found.append(match.group(0))
        text = _YEAR_WORD.sub(lambda m: " " if int(m.group(1)) in years else m.group(0), text)
        lowered = text.lower()
        for word in self.org_words:
            w = word.lower()
            if w.isascii():
                pattern = re.compile(rf"(?<![a-z]){re.escape(w)}(?![a-z])")
                if pattern.search(lowered):
                    found.append(word)
                    lowered = pattern.sub(" ", lowered)
            elif w in lowered:
                found.append(word)
                lowered = lowered.replace(w, " ")
        return lowered, found

    def selector_sort(self, word: str) -> str:
        """What a word split_query found names: year, scope (本级/汇总), place or org."""
        if _YEAR.search(normalize_digits(word)):
            return "year"
        if any(word in names for names in SCOPE_WORDS.values()):
            return "scope"
        return "place" if word.lower() in self.place_words or word in self.place_words else "org"

    def prior(self, query: str) -> dict[str, float]:
        """doc_id -> score in [0, 1]; empty when the question names nothing that tells documents apart."""
        q = normalize_digits(query).lower()
        years, places = self._named(q)
        centre = any(w in q for w in CENTRE_WORDS)
        bureau = any(w in q for w in BUREAU_WORDS)
        final = any(w in q for w in FINAL_WORDS)
        budget = not final and any(w in q for w in BUDGET_WORDS)
        scopes = {scope for scope, words in SCOPE_WORDS.items() if any(w in q for w in words)}
        scores: dict[str, float] = {}
        for d in self.docs:
            s = 0.0
            s += 1.0 if years and d.year in years else 0.0
            s += 1.0 if places and d.place in places else 0.0
            s += 0.5 if centre and d.org.endswith("中心") else 0.0
            s += 0.5 if bureau and d.org.endswith("局") else 0.0
            s += 0.5 if (final and d.kind == "决算") or (budget and d.kind == "预算") else 0.0
            s += 0.5 if d.scope and d.scope in scopes else 0.0
            scores[d.doc_id] = s
        top = max(scores.values(), default=0.0)
        if top <= 0 or len(set(scores.values())) == 1:
            return {}
        return {doc: s / top for doc, s in scores.items()}

    def contradictions(self, query: str) -> dict[str, int]:
        """doc_id -> how many things the question names outright that the document is not: a year
        of the corpus other than the document's, a place other than its own."""
        years, places = self._named(normalize_digits(query).lower())
        return {d.doc_id: int(bool(years) and d.year not in years) + int(bool(places) and d.place not in places)
                for d in self.docs}

    def _named(self, q: str) -> tuple[set[int], set[str]]:
        """The corpus years and places a (normalised, lower-cased) question names."""
        years = {int(y) for y in _YEAR.findall(q)} & {d.year for d in self.docs}
        places = {p for p, names in self.place_aliases.items() if any(_mentions(q, n) for n in names)}
        return years, places

    def named_documents(self, query: str, share: float = 0.8) -> list[str]:
        """Documents the question points at about equally (e.g. "江门、漳州和深圳…哪家最高" names three)."""
        prior = self.prior(query)
        against = self.contradictions(query)
        return [doc for doc, p in prior.items() if p >= share and not against.get(doc)]


def _mentions(query: str, name: str) -> bool:
    if name.isascii():
        return re.search(rf"(?<![a-z]){re.escape(name)}(?![a-z])", query) is not None
    return name in query
