"""Organisation names in questions. Aliases are derived from the documents' own org names:
深圳市医疗保险基金管理中心 -> 深圳医保中心 / 医保基金中心 / Shenzhen Medical Insurance Fund Management Center ...
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from functools import lru_cache

from assistant.catalog import Catalog, city_of
from assistant.glossary import Glossary
from assistant.text import nfkc

ABBREVIATIONS = {"医疗保险": ("医保",), "医疗保障": ("医保",)}   # how people shorten org words
DROPPABLE = ("基金", "管理", "监测")                              # words people leave out
GENERIC = ("管理",)                                                # not enough on their own
SUFFIXES = ("委员会", "办公室", "中心", "局", "院", "所", "站", "厅")
_NEGATED = re.compile(r"(?:不算|不含|不包括|除了|除去|扣除|excluding|without|not counting|other than|except(?: for)?)"
                      r"\s*(?:市|the|its|their)?\s*(?:[a-z]+\s+)?$", re.I)
_UNKNOWN_ORG_ZH = re.compile(r"([\u4e00-\u9fff]{2,3}?)(?:市(?:医疗保障局|医保局|医疗保险|医保中心|医保基金|医保)|"
                             r"(?:医疗保障局|医保局|医保中心|医疗保险基金))")
_UNKNOWN_ORG_EN = re.compile(
    r"\b([A-Z][a-z]+)(?:\s+(?:City|Municipal))?(?:'s)?\s+(?:Healthcare|Health\s*Care|Medical|Health)\s+"
    r"(?:Security|Insurance)")


@dataclass(frozen=True)
class OrgName:
    name: str                      # full name as printed, e.g. 深圳市医疗保障局
    city: str                      # 深圳
    suffix: str                    # 局 / 中心
    aliases: tuple[str, ...]       # Chinese aliases without the city
    english: tuple[str, ...]       # English aliases without the city (lower case)
    english_name: str = ""         # the plain English rendering, e.g. "healthcare security bureau"


@dataclass
class OrgMentions:
    orgs: list[str] = field(default_factory=list)        # resolved full names, in question order
    cities: list[str] = field(default_factory=list)      # corpus cities named
    unknown_places: list[str] = field(default_factory=list)   # places named that the corpus does not cover
    scope: str | None = None                             # 本级 / 汇总 when asked
    explicit: bool = False                               # an org or city was named at all
    groups: int = 0                                      # how many separate org / city mentions
    spans: list[tuple[int, int]] = field(default_factory=list)
    widened: list[str] = field(default_factory=list)     # added as the same family (医保局 -> 医保中心 too)


class OrgDirectory:
    def __init__(self, catalog: Catalog, glossary: Glossary):
        self.catalog = catalog
        self.glossary = glossary
        self.names = [describe_org(n, glossary) for n in catalog.orgs]
        self.top_level = {d.org for d in catalog.docs}
        self.cities = sorted({o.city for o in self.names if o.city}, key=len, reverse=True)
        self.city_english = {c: _pinyin(c) for c in self.cities}
        self.other_places = {p: e.asked for e in glossary.of_type("place") for p in e.printed}
        scope_entries = {e.printed[0]: e.asked for e in glossary.of_type("org") if e.printed[0] in ("本级", "汇总")}
        self.scope_words = scope_entries

    def detect(self, question: str) -> OrgMentions:
        q = nfkc(question)
        ql = q.lower()
        out = OrgMentions()
        taken = [False] * len(ql)
        named_cities = [c for c in self.cities if c in q or re.search(
            rf"(?<![a-z]){re.escape(self.city_english[c])}(?![a-z])", ql)]
        unknown = self._unknown_places(q, named_cities)
        unknown_forms = [u.lower() for u in unknown] + [a for u in unknown for a in self.other_places.get(u, ())]

        # 1. org aliases (longest first), remembering where they are
        hits: list[tuple[int, int, OrgName]] = []
        candidates: list[tuple[str, OrgName]] = []
        for o in self.names:
            for a in o.aliases:
                candidates.append((a, o))
            for a in o.english:
                candidates.append((a, o))
        candidates.sort(key=lambda ao: -len(ao[0]))
        for alias, o in candidates:
            pattern = _alias_pattern(alias)
            for m in pattern.finditer(ql):
                if _NEGATED.search(ql[max(0, m.start() - 16):m.start()]):
                    continue            # 不算医保中心: an org left out, not asked about
                before = ql[max(0, m.start() - 14):m.start()].rstrip(" 市的's")
                if any(before.endswith(u) for u in unknown_forms if u):
                    continue            # 北京医保局: an org of a city the corpus does not cover
                if any(taken[m.start():m.end()]) and not all(taken[m.start():m.end()]):
                    continue
                if all(taken[m.start():m.end()]) and not any(h[0] == m.start() and h[1] == m.end() for h in hits):
                    continue
                for i in range(m.start(), m.end()):
                    taken[i] = True
                hits.append((m.start(), m.end(), o, frozenset(n.name for n in self.names if _answers_to(n, alias))))

        # 1b. "Shenzhen centre" / "Jiangmen bureau": a city with a bare org word names the city's body of that kind
        for o in self.names:
            if not o.city:
                continue
            words = "|".join(re.escape(w) for w in self.glossary.translations(o.suffix) if " " not in w)
            if not words:
                continue
            own = "|".join(sorted({re.escape(w) for a in o.english for w in a.split()} - set(words.split("|")), key=len,
                                  reverse=True)) or "(?!)"
            pattern = (rf"(?<![a-z]){re.escape(self.city_english[o.city])}(?:'s|’s)?\s+(?:municipal\s+|city\s+)?"
                       rf"(?:(?:{own})\s+){{0,3}}(?:{words})(?![a-z])")
            for m in re.finditer(pattern, ql):
                if any(taken[m.start():m.end()]) or _NEGATED.search(ql[max(0, m.start() - 16):m.start()]):
                    continue
                named = re.sub(rf"^\S+\s+(?:municipal\s+|city\s+)?", "", m.group(0)).count(" ") > 0
                hits.append((m.start(), m.end(), o, frozenset({o.name}) if named else None))   # 'Zhangzhou's fund centre'
        for i in {i for h in hits for i in range(h[0], h[1])}:
            taken[i] = True

        # 2. cities (Chinese or pinyin)
        city_hits: list[tuple[int, int, str]] = []
        for c in self.cities:
            for m in re.finditer(re.escape(c), q):
                city_hits.append((m.start(), m.end(), c))
            for m in re.finditer(rf"(?<![a-z]){re.escape(self.city_english[c])}(?![a-z])", ql):
                city_hits.append((m.start(), m.end(), c))
        # 2b. a city shortened to its first character right before an org name: 深医保中心, 漳医保
        first = {c[0]: c for c in self.cities if sum(o[0] == c[0] for o in self.cities) == 1}
        short_words = tuple({w for ws in ABBREVIATIONS.values() for w in ws})
        alias_starts = {h[0] for h in hits}
        bare = {m.start(): m.end() for w in short_words for m in re.finditer(re.escape(w), q)
                if not any(h[0] <= m.start() < h[1] for h in hits)}
        for start in sorted(alias_starts | set(bare)):
            c = first.get(q[start - 1]) if start > 0 else None
            if c and not taken[start - 1] and not any(s <= start - 1 < e for s, e, _ in city_hits) and \
                    not (start > 1 and re.match(r"[\u4e00-\u9fff]", q[start - 2]) and
                         q[start - 2:start] in self.other_places) and \
                    not any(q[max(0, start - 1 - len(u)):start].startswith(u) for u in unknown if u):
                city_hits.append((start - 1, start, c))
                out.spans.append((start - 1, bare.get(start, start)))     # 漳医保: the city and the bare 医保
        city_hits.sort()
        out.cities = _unique(c for _, _, c in city_hits)

        # 3. pair each alias hit with a city right before it (or anywhere if only one city)
        groups: dict[int, set[str]] = {}
        for start, end, o, owners in sorted(hits, key=lambda h: h[0]):
            key = start
            near = [c for s, e, c in city_hits if e <= start and _adjacent(q[e:start])]
            groups.setdefault(key, set())
            inner = [c for s, e, c in city_hits if start <= s and e <= end]
            city = inner[0] if inner else near[-1] if near else out.cities[0] if len(out.cities) == 1 else None
            groups[key] |= {n.name for n in self.names if (city is None or n.city == city) and _same_kind(n, o)
                            and (owners is None or n.name in owners)}
            out.spans.append((start, end))
        paired_cities = {c for s, e, c in city_hits for h in hits
                         if (e <= h[0] and _adjacent(q[e:h[0]])) or (h[0] <= s and e <= h[1])}
        resolved: list[str] = []
        for key in sorted(groups):
            for name in self._order(groups[key]):
                if name not in resolved:
                    resolved.append(name)
        for s, e, c in city_hits:
            if c in paired_cities or any(self._city(n) == c for n in resolved):
                continue
            for name in self._order({d.org for d in self.catalog.docs if d.city == c}):
                if name not in resolved:
                    resolved.append(name)
        if hits and not out.cities and not unknown:
            # no city: people say 医保局 for any body of the 医保 family, so documents of the family's other
            # bodies fit too (the ambiguity rule then answers for each)
            fams = set().union(*(_family(o) for _, _, o, _ in hits if o.suffix == "局"))
            for name in self._order({n.name for n in self.names if n.name in self.top_level and _family(n) & fams}):
                if name not in resolved:
                    resolved.append(name)
                    out.widened.append(name)
        out.orgs = resolved
        out.groups = len(groups) + len({c for s, e, c in city_hits if c not in paired_cities})
        out.unknown_places = unknown
        out.scope = self._scope(ql)
        out.explicit = bool(resolved or out.cities or out.unknown_places)
        return out

    def _city(self, name: str) -> str:
        return city_of(name)

    def _order(self, names: set[str]) -> list[str]:
        order = [o.name for o in self.names]
        return sorted(names, key=lambda n: (n not in self.top_level, order.index(n)))

    def _scope(self, ql: str) -> str | None:
        ql = re.sub(r"汇总(?=一下|起来|一起)", " ", ql)          # 汇总一下: add up, not the consolidated scope
        for scope, asked in self.scope_words.items():
            if scope in ql or any(re.search(rf"(?<![a-z]){re.escape(a)}(?![a-z])", ql) for a in asked
                                  if re.search(r"[a-z]", a) and len(a) > 4):
                return scope
        if re.search(r"不算(?:医保)?中心|不含(?:医保)?中心|不包括(?:医保)?中心|局机关|"
                     r"(?:excluding|without|not counting|except(?: for)?) (?:the |its )?(?:[a-z]+ )?(?:fund |management )*cent(?:er|re)|"
                     r"\bown[- ]level\b", ql):
            return "本级"
        if CONSOLIDATED.search(ql):
            return "汇总"
        return None

    def _unknown_places(self, q: str, known: list[str]) -> list[str]:
        found: list[str] = []
        for place, asked in self.other_places.items():
            if place in known:
                continue
            if place in q or any(re.search(rf"(?<![a-z]){re.escape(a)}(?![a-z])", q.lower()) for a in asked):
                found.append(place)
        for m in _UNKNOWN_ORG_ZH.finditer(q):
            word = m.group(1)
            if word not in known and not any(word.endswith(k) or k.endswith(word) for k in known) \
                    and word not in found and _looks_like_place(word):
                found.append(word)
        for m in _UNKNOWN_ORG_EN.finditer(q):
            word = m.group(1)
            if word.lower() not in {self.city_english[c] for c in self.cities} and word not in found \
                    and not any(word.lower() in self.other_places.get(p, ()) for p in found) \
                    and word.lower() not in ("the", "what", "how", "which", "municipal", "city"):
                found.append(word)
        return found


# a consolidated figure asked by name (汇总口径, 含所属单位, consolidated), not 汇总一下 / combined (add up)
CONSOLIDATED = re.compile(r"汇总(?!一下|起来|一起|下)|(?:含|包含|连同|加上|包括)(?:所属|下属|附属)(?:单位|机构)|\bconsolidated\b|"
                          r"\b(?:including|with|plus) (?:its |the )?(?:subordinate|affiliated|attached) (?:units|bodies|agencies)\b",
                          re.I)


def _adjacent(gap: str) -> bool:
    """A city directly names the org after it: nothing, 市 or 的 in between."""
    return gap.strip() in ("", "市", "的", "市的", "'s", "’s", "city", "city's", "municipal", "city’s")


def _looks_like_place(word: str) -> bool:
    return not re.search(r"[的年了和与及在是个把比各该本市这那其全我你他她它们中省不算含包括给对为向跟同除按里内级加减共]", word)


def _same_kind(a: OrgName, b: OrgName) -> bool:
    """Two org names denote the same kind of body when their aliases overlap (医保局 ~ 医保局)."""
    return a.name == b.name or bool(set(a.aliases) & set(b.aliases)) and a.suffix == b.suffix


def _answers_to(o: OrgName, alias: str) -> bool:
    """The org goes by this alias: 医保中心 names either of a city's two centres, 医保基金中心 only one."""
    bare = alias[len(o.city) + 1:] if o.city and alias.startswith(o.city + "市") else \
        alias[len(o.city):] if o.city and alias.startswith(o.city) else alias
    return alias in o.aliases or alias in o.english or bare in o.aliases


def _family(o: OrgName) -> set[str]:
    """The shortened words an org's aliases start with (医保): bodies people name alike."""
    return {abbr for abbrs in ABBREVIATIONS.values() for abbr in abbrs if any(a.startswith(abbr) for a in o.aliases)}


def _alias_pattern(alias: str) -> re.Pattern:
    if re.search(r"[a-z]", alias):
        return re.compile(rf"(?<![a-z]){re.escape(alias)}(?![a-z])")
    return re.compile(re.escape(alias))


def _unique(items) -> list:
    out = []
    for i in items:
        if i not in out:
            out.append(i)
    return out


@lru_cache(maxsize=64)
def _pinyin(word: str) -> str:
    from pypinyin import lazy_pinyin
    return "".join(lazy_pinyin(word))


def split_morphemes(core: str, known: tuple[str, ...]) -> list[str]:
    """Greedy split of an org name core into known words; unknown runs stay whole."""
    parts: list[str] = []
    i, run = 0, ""
    while i < len(core):
        word = next((k for k in sorted(known, key=len, reverse=True) if core.startswith(k, i)), None)
        if word:
            if run:
                parts.append(run)
                run = ""
            parts.append(word)
            i += len(word)
        else:
            run += core[i]
            i += 1
    if run:
        parts.append(run)
    return parts


def describe_org(name: str, glossary: Glossary) -> OrgName:
    city = city_of(name)
    core = name[len(city) + 1:] if city else name
    suffix = next((s for s in SUFFIXES if core.endswith(s)), "")
    middle_text = core[: len(core) - len(suffix)] if suffix else core
    known = tuple({p for e in glossary.of_type("org") for p in e.printed} | set(ABBREVIATIONS) | set(DROPPABLE))
    middle = split_morphemes(middle_text, known)

    zh: set[str] = set()
    options = [((m,) + ABBREVIATIONS.get(m, ())) + (("",) if m in DROPPABLE or m in ABBREVIATIONS else ())
               for m in middle]
    for combo in itertools.product(*options):
        kept = [c for c in combo if c]
        if not kept or all(c in GENERIC for c in kept):
            continue
        if len(kept) < len([m for m in middle if m not in DROPPABLE]) and not any(k in DROPPABLE for k in kept):
            continue          # 医疗保障 may go only where a distinctive word stays: 基金中心, 监测中心
        zh.add("".join(kept) + suffix)
    en: set[str] = set()
    en_options = []
    for m in middle:
        words = glossary.translations(m) or (m,)
        droppable = m in DROPPABLE or (m in ABBREVIATIONS and "基金" in middle)   # "fund management center"
        en_options.append(tuple(words) + (("",) if droppable else ()))
    suffix_en = glossary.translations(suffix) or (suffix,)
    for combo in itertools.product(*en_options):
        kept = [c for c in combo if c]
        if not kept or kept in (["management"], ["administration"]):
            continue
        for s in suffix_en:
            en.add(" ".join(kept + [s]).lower())
    full_aliases = {name, core} | zh | ({f"{city}{a}" for a in zh} if city else set())
    plain = " ".join([(glossary.translations(m) or (m,))[0] for m in middle] + [suffix_en[0]])
    return OrgName(name=name, city=city, suffix=suffix,
                   aliases=tuple(sorted(full_aliases, key=len, reverse=True)),
                   english=tuple(sorted(en, key=len, reverse=True)), english_name=plain)
