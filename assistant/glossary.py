"""The bilingual budget glossary (index/glossary.tsv, shared with the index): asked phrases -> printed phrases."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from assistant.text import nfkc
from index.terms import DEFAULT_TERMS_FILE, GLOSSARY_FILE

GLOSSARY_PATH = GLOSSARY_FILE
# The index layer's row-term file (same format) widens matching; entries naming totals or whole
# tables are left out: totals are a concept of their own here, not a synonym of every question.
INDEX_TERMS_PATH = DEFAULT_TERMS_FILE
_SKIP_INDEX_TERMS = {"合计", "总计", "收入总计", "支出总计", "本年收入合计", "本年支出合计", "收入合计", "支出合计",
                     "收入预算", "部门预算收入", "部门预算支出", "部门预算", "部门决算", "决算数", "预算数", "收支总表",
                     "收入总表", "支出总表", "对个人和家庭的补助", "人员支出", "商品和服务支出", "编制", "全年预算数"}


@dataclass(frozen=True)
class Entry:
    printed: tuple[str, ...]   # as the documents print it
    asked: tuple[str, ...]     # as people ask for it
    type: str = "term"         # term | group (stands for the sum of its printed items) | org | place | kind


@dataclass(frozen=True)
class Mention:
    entry: Entry
    start: int
    end: int
    text: str


class Glossary:
    def __init__(self, entries: list[Entry]):
        self.entries = entries
        phrases: list[tuple[str, Entry]] = []
        for e in entries:
            for p in set(e.asked + e.printed):
                if p:
                    phrases.append((p, e))
        phrases.sort(key=lambda pe: -len(pe[0]))
        self._phrases = phrases
        self._patterns = [(_pattern(p), e) for p, e in phrases]

    @classmethod
    def load(cls, path: Path = GLOSSARY_PATH, extra: Path | None = INDEX_TERMS_PATH) -> "Glossary":
        entries = parse_glossary(path.read_text(encoding="utf-8"))
        if extra is not None and Path(extra).exists():
            for e in parse_glossary(Path(extra).read_text(encoding="utf-8")):
                if e.type == "term" and not (set(e.printed) & _SKIP_INDEX_TERMS):
                    entries.append(e)
        return cls(entries)

    def find(self, text: str, types: tuple[str, ...] = ("term",)) -> list[Mention]:
        """Non-overlapping glossary phrases in text, longest first."""
        s = nfkc(text).lower()
        taken = [False] * len(s)
        found: list[Mention] = []
        families = {_FAMILY.get(t, t) for t in types}
        for pattern, entry in self._patterns:
            if _FAMILY.get(entry.type, entry.type) not in families:
                continue
            wanted = entry.type in types or (entry.type == "group" and "term" in types)   # a group is a term too
            for m in pattern.finditer(s):
                if any(taken[m.start():m.end()]):
                    continue
                for i in range(m.start(), m.end()):
                    taken[i] = True        # a longer phrase of another type still holds its span (邮电费 ⊅ 电费)
                if wanted:
                    found.append(Mention(entry, m.start(), m.end(), m.group(0)))
        return sorted(found, key=lambda m: m.start)

    def expansions(self, text: str) -> list[str]:
        """Printed forms for every glossary phrase in text (used to widen a topic phrase)."""
        out: list[str] = []
        for m in self.find(text):
            for p in m.entry.printed:
                if p not in out:
                    out.append(p)
        return out

    def of_type(self, type_: str) -> list[Entry]:
        return [e for e in self.entries if e.type == type_]

    def translations(self, chinese: str) -> tuple[str, ...]:
        """English forms of a printed Chinese phrase (org parts, places)."""
        for e in self.entries:
            if chinese in e.printed:
                return tuple(a for a in e.asked if re.search(r"[a-z]", a))
        return ()


def parse_glossary(text: str) -> list[Entry]:
    entries = []
    for raw in text.splitlines():
        line = raw.rstrip("\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) < 2:
            raise ValueError(f"glossary line needs 'printed<TAB>asked[<TAB>type]': {line!r}")
        printed = tuple(nfkc(p).strip() for p in parts[0].split("|") if p.strip())
        asked = tuple(nfkc(p).strip().lower() for p in parts[1].split("|") if p.strip())
        type_ = parts[2].strip() if len(parts) > 2 and parts[2].strip() else "term"
        entries.append(Entry(printed, asked, type_))
    return entries


def _pattern(phrase: str) -> re.Pattern:
    p = re.escape(nfkc(phrase).lower())
    if re.search(r"[a-z]", phrase.lower()):
        p = re.sub(r"(?<=[a-z])(?:\\ |\\-|-)(?=[a-z])", r"[\\s-]", p)   # performance target = performance-target
        return re.compile(rf"(?<![a-z]){p}(?![a-z])")
    if 2 <= len(phrase) <= 3 and re.fullmatch(r"[\u4e00-\u9fff]+", phrase):   # 买车 = 买新车 / 买辆车 / 交了社保
        return re.compile(re.escape(phrase[0]) + _INSERTED + re.escape(phrase[1:]))
    return re.compile(p)


_FAMILY = {"term": "item", "group": "item"}      # item names hold their spans against each other, not against org names
_INSERTED = "(?:[了个辆台些新点次]{1,2})?"     # aspect, classifier or 新 between a verb and its object


@lru_cache(maxsize=1)
def default_glossary() -> Glossary:
    return Glossary.load()
