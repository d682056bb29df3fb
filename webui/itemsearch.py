"""Search over item names for the Browse tab and /api/facts: Chinese text, pinyin initials (gwjdf ->
公务接待费) and the glossary's English and colloquial terms (reception -> 公务接待费)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from index.terms import DEFAULT_TERMS_FILE, GLOSSARY_FILE, Glossary, english_stems

_BLANKS = re.compile(r"[\s“”\"'‘’（）()、，,：:·]+")


def squash(text: str) -> str:
    return _BLANKS.sub("", text or "").lower()


@lru_cache(maxsize=20000)
def initials(label: str) -> str:
    """Pinyin initials of the Chinese characters of a label (other characters dropped)."""
    from pypinyin import Style, lazy_pinyin
    cjk = "".join(ch for ch in label if "\u4e00" <= ch <= "\u9fff")
    return "".join(p[:1] for p in lazy_pinyin(cjk, style=Style.FIRST_LETTER)).lower()


@dataclass(frozen=True)
class Needle:
    """What a search text matches: the text itself, printed terms it names, or pinyin initials."""
    text: str
    terms: tuple[str, ...] = ()
    initials: str = ""

    def matches(self, label: str) -> bool:
        name = squash(label)
        if not self.text:
            return True
        if self.text in name or any(t in name for t in self.terms):
            return True
        return bool(self.initials) and self.initials in initials(label)


class ItemSearch:
    """Builds Needles from the bilingual vocabulary (index/row_terms.tsv + index/glossary.tsv terms)."""

    def __init__(self, glossary: Glossary | None = None):
        self.glossary = glossary or Glossary.load(DEFAULT_TERMS_FILE, (GLOSSARY_FILE, ("term",)))

    def needle(self, query: str | None) -> Needle:
        text = squash(query or "")
        if not text:
            return Needle("")
        terms = [squash(t) for t in self.glossary.terms_for_query(query, english_only=False)]
        if not terms and re.fullmatch(r"[a-z][a-z '-]{2,}", query.strip().lower()):   # "office": "office expenses"
            words = f" {english_stems(query)} "
            terms += [squash(term) for term, aliases in self.glossary.entries
                      if any(a.isascii() and words in f" {english_stems(a)} " for a in aliases)]
        terms = list(dict.fromkeys(terms))
        latin = text if re.fullmatch(r"[a-z]{2,}", text) else ""   # gwjdf, also tried as pinyin initials
        return Needle(text, tuple(t for t in terms if t), latin)
