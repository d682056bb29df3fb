"""Synonyms and English glosses for budget terms, read from a data file (index/row_terms.tsv).

Each line: a term as printed in the documents, a tab, aliases separated by "|", and optionally a tab
and a type: term (default), org or place. Chunks that print a term get its aliases appended, so
"医保经办" or "handling claims" finds "医疗保障经办事务"; an English query also gets the printed
terms of the English aliases it uses. org and place entries only help tell documents apart.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

DEFAULT_TERMS_FILE = Path(__file__).resolve().parent / "row_terms.tsv"
# the bilingual glossary of asked phrases; only its plain terms (no org / place parts) serve the index
GLOSSARY_FILE = Path(__file__).resolve().parent / "glossary.tsv"
_SPACES = re.compile(r"\s+")
_ENGLISH_WORD = re.compile(r"[a-z0-9][a-z0-9'-]*")


def _squash(text: str) -> str:
    """Lower-case and drop blanks: PDF text often has spaces inside Chinese words."""
    return _SPACES.sub("", text).lower()


TERM, ORG, PLACE = "term", "org", "place"
DEFAULT_SOURCES = ((DEFAULT_TERMS_FILE, None), (GLOSSARY_FILE, (TERM, "group"), "english"))


def _read_entries(path: Path):
    """(printed forms, aliases, type) per line of a vocabulary file: printed<TAB>aliases[<TAB>type],
    "|" between alternatives, "#" comments."""
    for raw in path.read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.lstrip().startswith("#") or "\t" not in raw:
            continue
        printed, aliases, kind = (raw.split("\t") + [TERM])[:3]
        yield ([p.strip() for p in printed.split("|") if p.strip()],
               [a.strip() for a in aliases.split("|") if a.strip()], kind.strip() or TERM)


@dataclass
class Glossary:
    entries: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)  # (term, aliases)
    types: dict[str, str] = field(default_factory=dict)                      # term -> term/org/place

    @classmethod
    def load(cls, *sources) -> "Glossary":
        """Read vocabulary files. A source is a path (every entry and alias), or (path, entry types to
        take or None[, "english"]): "english" keeps only the English aliases (the glossary's colloquial
        Chinese phrasings are for reading questions; appended to chunks they blur keyword search).
        The first column may list several printed forms ("档案整理|档案"). Default: DEFAULT_SOURCES."""
        entries: dict[str, list[str]] = {}
        types: dict[str, str] = {}
        for source in sources or DEFAULT_SOURCES:
            path, wanted, *only = source if isinstance(source, tuple) else (source, None)
            if not Path(path).exists():
                continue
            for printed, aliases, kind in _read_entries(Path(path)):
                if wanted is not None and kind not in wanted:
                    continue
                for term in printed:
                    types.setdefault(term, kind)
                    bucket = entries.setdefault(term, [])
                    bucket.extend(a for a in aliases if a not in bucket and (not only or a.isascii()))
        # longest terms first, so specific entries are listed before generic ones
        ordered = sorted(entries.items(), key=lambda kv: -len(kv[0]))
        return cls([(term, tuple(aliases)) for term, aliases in ordered], types)

    def kind(self, term: str) -> str:
        return self.types.get(term, TERM)

    @cached_property
    def _squashed(self) -> list[tuple[str, str, tuple[tuple[str, str], ...]]]:
        """(squashed term, kind, (alias, squashed alias)...) per entry, computed once per glossary."""
        return [(_squash(term), self.kind(term), tuple((a, _squash(a)) for a in aliases))
                for term, aliases in self.entries]

    def aliases_for(self, text: str, kinds: tuple[str, ...] = (TERM,)) -> list[str]:
        """Aliases of every term (of the given kinds) printed in text that the text does not already contain."""
        squashed = _squash(text)
        found: list[str] = []
        for term, kind, aliases in self._squashed:
            if kind in kinds and term in squashed:
                for alias, alias_squashed in aliases:
                    if alias_squashed not in squashed and alias not in found:
                        found.append(alias)
        return found

    def terms_for_query(self, query: str, english_only: bool = True, kinds: tuple[str, ...] = (TERM,)) -> list[str]:
        """Printed terms whose alias the query uses ("three public expenses" -> “三公”经费). Chinese
        aliases are left out by default: chunks already carry them (see aliases_for)."""
        squashed = _squash(query)
        spaced = " " + _SPACES.sub(" ", query.lower()) + " "
        found: list[str] = []
        for term, aliases in self.entries:
            if self.kind(term) not in kinds or _squash(term) in squashed or term in found:
                continue
            if any(_alias_in(alias, squashed, spaced) for alias in aliases
                   if not english_only or alias.isascii()):
                found.append(term)
        return found

    def fingerprint(self) -> str:
        return "\n".join(f"{t}\t{'|'.join(a)}\t{self.kind(t)}" for t, a in self.entries)


def english_stems(text: str) -> str:
    """Lower-case English words with plural endings taken off: "Basic Salaries" -> "basic salary"."""
    return " ".join(stem(w) for w in _ENGLISH_WORD.findall(text.lower()))


def stem(word: str) -> str:
    word = word.strip("'-")
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _alias_in(alias: str, squashed_query: str, spaced_query: str) -> bool:
    if alias.isascii():
        # whole words only for English aliases ("tax" must not match "taxi"), singular or plural
        words = _SPACES.sub(" ", alias.lower().strip())
        return len(words) >= 3 and f" {english_stems(words)} " in f" {english_stems(spaced_query)} "
    a = _squash(alias)
    return len(a) >= 2 and a in squashed_query
