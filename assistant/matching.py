"""Match a topic phrase to facts: IDF-weighted character bigrams over row labels, columns, table
titles and the clause around a prose figure, widened with the glossary. Pure and fast (no I/O)."""
from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field

from assistant.glossary import Glossary
from assistant.text import nfkc, norm
from assistant.views import FactView

FIELD_WEIGHTS = {"label_key": 1.0, "post_key": 1.0, "clause_key": 0.9, "column_leaf_key": 0.9, "column_key": 0.8,
                 "path_key": 0.6, "table_key": 0.6, "sentence_key": 0.45}
TOTAL_ROW_FIELDS = dict(FIELD_WEIGHTS, table_key=1.0, column_leaf_key=1.0, column_key=0.9)
UNSEEN_WEIGHT = 0.25
PROSE_WEIGHT = 1.0            # a bigram only the documents' running text uses (no item is named by it)
PARENT_CAP = 0.2               # most an unnamed upper column level costs a column the question names
TOTAL_ROW_LABEL = 0.9          # a total row's label (合计, the org name, 2024年) is as good as what its table/column explain
TITLE_BASE = 0.5               # ... scaled from this (the question names none of the title) to 1 (all of it)
GENERIC_TOTAL = re.compile(r"^(?:合计|总计|小计|金额合计|.*-小计)$")    # a row named only as the table's total
MONEY_UNITS = ("万元", "元", "亿元")


def _bg(s: str) -> frozenset:
    if len(s) < 2:
        return frozenset([s]) if s else frozenset()
    return frozenset(s[i:i + 2] for i in range(len(s) - 1))


@dataclass
class Unit:
    text: str
    alts: list[frozenset]
    weight: float
    from_glossary: bool = False
    named: str = ""             # glossary unit: the printed item the question names (matching form)
    absent: bool = False        # a word the documents never use (in no label and nowhere in their text)


@dataclass
class Terms:
    """A topic phrase ready for matching."""
    text: str                                   # matching form of the topic
    units: list[Unit] = field(default_factory=list)
    all_bigrams: frozenset = frozenset()
    quoted: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    semantic: object = None                     # per-view semantic strength in [0, 1] (numpy array) or None
    purpose_semantic: object = None             # ... of the item read with its stated purpose alone
    unexplained: float = 0.0                    # share of the topic's English content words no glossary entry covers
    context_bigrams: frozenset = frozenset()    # the earlier topic a 其中 / of-it follow-up lies within
    cosines: object = None                      # per-view raw cosine of the topic with the label (numpy) or None
    topic: str = ""                             # the subject phrase as asked (for the dense descriptors)

    @property
    def empty(self) -> bool:
        return not self.units and not self.codes


class Idf:
    """texts: what items are named by (labels, clauses, columns, titles); prose: the documents' running text
    (sentences, stated purposes). A bigram no item name holds weighs UNSEEN_WEIGHT (colloquial filler: 花钱,
    一年), or PROSE_WEIGHT when the documents' text uses it (a budget concept no item is named by: 统筹)."""

    def __init__(self, texts: list[str], prose: list[str] | None = None):
        df: dict[str, int] = defaultdict(int)
        distinct = set(t for t in texts if t)
        for t in distinct:
            for b in _bg(t):
                df[b] += 1
        self.n = max(len(distinct), 1)
        self.df = dict(df)
        self.prose = frozenset(b for t in set(prose or ()) if t for b in _bg(t)) - set(self.df)

    def __call__(self, bigram: str) -> float:
        d = self.df.get(bigram)
        if not d:
            return PROSE_WEIGHT if bigram in self.prose else UNSEEN_WEIGHT
        return math.log(1 + self.n / d)

    def seen(self, bigram: str) -> bool:
        return bigram in self.df

    def known(self, bigram: str) -> bool:
        """The documents use this bigram somewhere: in an item's name or in their running text."""
        return bigram in self.df or bigram in self.prose


CONTEXT_WEIGHT = 0.3


def build_terms(topic: str, glossary: Glossary, idf: Idf, quoted: list[str] | None = None,
                codes: list[str] | None = None, context: str = "", semantic=None, money: bool = False) -> Terms:
    """Units: each glossary phrase in the topic (any printed or asked form satisfies it) and each
    remaining Chinese bigram. semantic (assistant.semantic.SemanticLabels): adds the topic's
    semantic strength against every fact's label."""
    text = nfkc(topic)
    low = text.lower()
    units: list[Unit] = []
    mentions = glossary.find(low)
    mask = list(low)
    for m in mentions:
        alts = [_bg(norm(p)) for p in m.entry.printed]
        asked = norm(m.text)
        if re.search(r"[\u4e00-\u9fff]", asked):
            alts.append(_bg(asked))
        alts = [a for a in alts if a]
        if not alts:
            continue
        weight = max(sum(idf(b) for b in a) / max(len(a), 1) for a in alts) * 1.5
        units.append(Unit(m.text, alts, max(weight, 1.0), True, named_item(m.text, m.entry.printed)))
        for i in range(m.start, m.end):
            mask[i] = " "
    if money and any(u.named not in HEADCOUNT_ITEMS for u in units):
        units = [u for u in units if u.named not in HEADCOUNT_ITEMS]   # 给职工的福利费 asks money: 职工 is not 在职人数
    residual = "".join(mask)
    for run in re.findall(r"[\u4e00-\u9fff]{2,}", residual):
        for word in segment(run):
            if len(word) < 2:
                continue
            bg = _bg(word)
            weight = sum(idf(b) for b in bg) / len(bg)
            units.append(Unit(word, [frozenset(bg)], weight if len(bg) > 1 else idf(word),
                              absent=any(not idf.known(b) for b in bg)))
    all_bg: set[str] = set(_bg(norm(text)))
    for u in units:
        for a in u.alts:
            all_bg |= a
    terms = Terms(norm(text), units, frozenset(all_bg), [norm(q) for q in quoted or [] if norm(q)],
                  list(codes or []))
    terms.unexplained = _unexplained_share(low, residual)
    if context:
        extra = build_terms(context, glossary, idf)
        own = {a for u in units for a in u.alts}
        for u in extra.units:
            if not any(a in own for a in u.alts):
                terms.units.append(Unit(u.text, u.alts, u.weight * CONTEXT_WEIGHT, u.from_glossary))
        terms.context_bigrams = extra.all_bigrams
    terms.topic = topic
    if semantic is not None:
        terms.semantic = semantic.strengths(topic)
        terms.cosines = getattr(semantic, "cosines", lambda t: None)(topic)
        terms.purpose_semantic = getattr(semantic, "purpose_strengths", lambda t: None)(topic)
    return terms


_EN_FUNCTION = frozenset(
    "the and for with from into onto that this these those what which how much many its their there was were "
    "are is has have had been does did plus also about per all any each our your his her them they than then "
    "budget budgeted budgets spend spent spending plan plans planned give gives given set aside put went goes".split())


def _content_words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z][a-z'-]{2,}", text) if w not in _EN_FUNCTION]


def _unexplained_share(text: str, residual: str) -> float:
    """Share of English content words left after glossary phrases were taken out: words the bigram
    matching cannot see, so a full lexical coverage of the rest overstates what the words explain."""
    words = _content_words(text)
    return len(_content_words(residual)) / len(words) if words else 0.0


_JIEBA = None


def segment(text: str) -> list[str]:
    """Chinese words (jieba), so that "政府采购预算中" gives 政府采购 / 预算 / 中, not the bigram 算中."""
    global _JIEBA
    if _JIEBA is None:
        import logging

        import jieba
        jieba.setLogLevel(logging.WARNING)
        jieba.initialize()
        _JIEBA = jieba
    return [w for w in _JIEBA.lcut(text, HMM=False) if w.strip()]


def coverage(target: frozenset, query: frozenset, idf: Idf) -> float:
    """IDF-weighted share of target's bigrams found in query."""
    if not target:
        return 0.0
    total = sum(idf(b) for b in target)
    hit = sum(idf(b) for b in target if b in query)
    return hit / total if total else 0.0


def _satisfied(alt: frozenset, field_bg: frozenset) -> bool:
    if not alt or not field_bg:
        return False
    if len(alt) == 1:
        return next(iter(alt)) in field_bg
    return len(alt & field_bg) / len(alt) >= (0.74 if len(alt) <= 4 else 0.67)


@dataclass
class Scored:
    view: FactView
    score: float
    label_cov: float
    query_cov: float
    column_asked: bool = False
    notes: list[str] = field(default_factory=list)
    named: float = 1.0        # share of the question's concepts the label (or total row's table/column) itself names
    lexical: float = 0.0         # coverage score from words alone (before semantic fusion)
    lexical_label: float = 0.0   # label coverage from words alone
    lexical_query: float = 0.0   # share of the question's words this row matches
    semantic_gain: float = 0.0   # what semantic fusion added to score (temper_semantic scales it)
    purpose: float = 0.0         # how well the item's stated purpose (by meaning or by words) explains the question
    named_query: float = 0.0     # query coverage by the words and the label's meaning, leaving the purpose out
    hand: float | None = None    # the hand-set score, when the fitted ranker replaced it


def query_coverage(view: FactView, terms: Terms, fields=FIELD_WEIGHTS) -> tuple[float, set[str]]:
    total = sum(u.weight for u in terms.units)
    if not total:
        return 0.0, set()
    got = 0.0
    used_fields: set[str] = set()
    for u in terms.units:
        best, best_field = 0.0, None
        for name, w in fields.items():
            if w <= best:
                continue
            fb = view.bigrams.get(name)
            if fb and any(_satisfied(a, fb) for a in u.alts):
                best, best_field = w, name
        got += u.weight * best
        if best_field:
            used_fields.add(best_field)
    return got / total, used_fields


def score_view(view: FactView, terms: Terms, idf: Idf) -> Scored:
    q_all = terms.all_bigrams
    asked_all = q_all | terms.context_bigrams
    column_cov = coverage(view.bigrams["column_leaf_key"], asked_all, idf) if not view.total_col else 0.0
    column_asked = column_cov >= 0.6
    if view.prose:
        label_bg = view.bigrams["label_key"] or view.bigrams["clause_key"]
        label_cov = max(coverage(label_bg, q_all, idf), coverage(view.bigrams["post_key"], q_all, idf)
                        if view.bigrams["post_key"] else 0.0)
    else:
        label_cov = coverage(view.bigrams["label_key"], q_all, idf)
    q_cov, used = query_coverage(view, terms, TOTAL_ROW_FIELDS if view.total_row and not view.prose else FIELD_WEIGHTS)
    lexical_query = q_cov
    total_row = view.total_row and not view.prose
    if total_row and (GENERIC_TOTAL.match(view.label) or view.label == view.fact.org.replace(" ", "")):
        # a total row's label is its table (or column): how much of that title the question names counts,
        # so that a table's 合计 does not answer for an item that merely shares its head noun (基金 / 支出)
        # (a row matching every word of the question cannot be about something else)
        title = max(coverage(view.bigrams["table_key"], asked_all, idf),
                    coverage(view.bigrams["column_leaf_key"], asked_all, idf) if not view.total_col else 0.0,
                    min(max(2.0 * q_cov - 1.0, 0.0), 1.0))
        lexical_label = TOTAL_ROW_LABEL * q_cov * (TITLE_BASE + (1.0 - TITLE_BASE) * title)
    else:
        lexical_label = TOTAL_ROW_LABEL * q_cov if total_row else label_cov
    lexical = 0.45 * lexical_label + 0.55 * q_cov
    purpose = purpose_strength(view, terms)
    label_sem = semantic_strength(view, terms)
    named_query = fuse(q_cov, label_sem) if label_sem else q_cov
    sem = max(label_sem, purpose)
    if sem:
        # the label means what the topic says in other words (or another language): a second route to
        # coverage, which never lowers what the words themselves match
        label_cov = fuse(label_cov, sem)
        q_cov = fuse(q_cov, sem)
    if total_row:
        label_cov = max(lexical_label, TOTAL_ROW_LABEL * fuse(0.0, sem))
    gain = 0.45 * label_cov + 0.55 * q_cov - lexical
    score = lexical + gain + SEMANTIC_TIE * sem
    notes = []
    if not view.total_col and not column_asked:
        score -= 0.2
        notes.append("non-total column not asked")
    if column_asked and not view.total_col:
        score += 0.05
        parents = view.bigrams.get("column_parent", view.bigrams["column_key"] - view.bigrams["column_leaf_key"])
        if len(parents) >= 2:      # 因公出国(境)费 / 一般公共预算: the upper level must fit the question too
            # (or the earlier topic a 其中 follow-up lies within: 政府采购 → 其中面向小微企业的)
            # (capped: a column the question names never ends below one it does not name)
            score -= min(0.3 * (1 - coverage(parents, asked_all, idf)), PARENT_CAP)
    if terms.codes:
        if view.fact.row_code and view.fact.row_code in terms.codes:
            score += 0.6
            notes.append("code match")
        elif view.fact.row_code:
            score -= 0.2
    if terms.quoted:
        if view.label_key in terms.quoted:
            score += 0.25
        elif any(q and q in view.label_key for q in terms.quoted):
            score += 0.1
    return Scored(view, score, label_cov, q_cov, column_asked, notes, lexical=lexical,
                  lexical_label=lexical_label, lexical_query=lexical_query, semantic_gain=gain, purpose=purpose,
                  named_query=named_query)


SEMANTIC_WEIGHT = 0.85     # a perfect semantic match alone is worth this much coverage
SEMANTIC_TIE = 0.0         # (a tie-break bonus proved a knife-edge on unit choices; kept at 0)


def semantic_strength(view: FactView, terms: Terms) -> float:
    if terms.semantic is None or view.idx >= len(terms.semantic):
        return 0.0
    return float(terms.semantic[view.idx])


PURPOSE_FROM = 0.3         # share of the question the item and its stated purpose must explain before it counts
PURPOSE_FULL = 0.8         # ... and the share at which it counts fully


def purpose_strength(view: FactView, terms: Terms) -> float:
    """How well the item read with what the document says it is for (用于… / its 绩效目标) explains the
    question's words, in [0, 1]: "请第三方做市级统筹的课题研究" meets 医保政策研究项目经费, whose target is
    "委托第三方…对基本医疗保险市级统筹…进行课题研究". A route like the semantic one (fused, tempered)."""
    if not view.bigrams.get("purpose_key"):
        return 0.0
    by_meaning = 0.0
    if terms.purpose_semantic is not None and view.idx < len(terms.purpose_semantic):
        by_meaning = float(terms.purpose_semantic[view.idx])
    share = _purpose_coverage(view, terms) * (1.0 - terms.unexplained)   # words no unit carries
    return max(by_meaning, min(max((share - PURPOSE_FROM) / (PURPOSE_FULL - PURPOSE_FROM), 0.0), 1.0))


def _purpose_coverage(view: FactView, terms: Terms) -> float:
    """Weighted share of the question's units the label names or the purpose prints whole (a long text
    holds most bigrams of many a phrase: 预算执行率 is not 预算执行中). A one-concept question ("pooled")
    is not matched by a purpose that merely mentions it: 0 unless two units or more are found."""
    if len(terms.units) < 2:
        return 0.0
    # a word the documents never use (年终奖, 无人机) is as telling as the question's weightiest word: a
    # description that merely shares the generic ones (员工, 购买 … 经费) is not what is asked about
    heaviest = max(u.weight for u in terms.units)
    weights = [heaviest if u.absent else u.weight for u in terms.units]
    own = [view.bigrams.get(f) for f in ("label_key", "post_key", "clause_key")]
    purpose = view.bigrams.get("purpose_key", frozenset())
    got = 0.0
    for u, w in zip(terms.units, weights):
        if any(fb and _satisfied(a, fb) for a in u.alts for fb in own) or \
                any(a and a <= purpose for a in u.alts):
            got += w
    return got / sum(weights)


def fuse(lexical: float, sem: float) -> float:
    """Coverage by words or by meaning, whichever is higher."""
    return max(lexical, SEMANTIC_WEIGHT * sem)


SEMANTIC_NAMED = 0.85      # some row matches this much of the question's words: meaning adds nothing
SEMANTIC_OPEN = 0.30       # ... and it has full say once the best word match falls this far below


def temper_semantic(scored: list[Scored], unexplained: float = 0.0, reference: list[Scored] | None = None) -> None:
    """Scale each row's semantic gain by how much of the question the words leave unexplained: when
    some row matches all of the question's words, a merely similar row must not overtake it
    (面向中小企业 vs 政府采购; 政府采购支出总额 vs 政府采购计划金额); when none does (English,
    paraphrase, or English words no glossary entry covers: `unexplained`), meaning carries the match.
    In place."""
    gains = [s for s in scored if s.semantic_gain > 0]
    if not gains:
        return
    # (reference: the rows that could answer at all, e.g. of the unit asked; a count row the words name does not
    # make an amount's meaning-match suspect)
    best = max((s.lexical_query for s in (reference if reference is not None else scored)), default=0.0) * \
        (1.0 - unexplained)
    weight = min(max((SEMANTIC_NAMED - best) / SEMANTIC_OPEN, 0.0), 1.0)
    if weight >= 1.0:
        return
    for s in gains:
        s.score -= (1.0 - weight) * s.semantic_gain
        s.label_cov = s.lexical_label + weight * (s.label_cov - s.lexical_label)
        s.semantic_gain *= weight


def named_item(asked: str, printed: tuple[str, ...]) -> str:
    """The printed item a glossary phrase names: itself when the documents print it (退休费), else the
    entry's first printed form (公车 -> 公务用车, pension -> 退休费)."""
    forms = [norm(p) for p in printed if norm(p)]
    own = norm(asked)
    return own if own in forms else (forms[0] if forms else "")


HEADCOUNT_ITEMS = {"在职人数", "在职人员", "在编人数", "实有在编人数"}
APPROX_LABEL = 0.6         # a label the question's words explain less than this is a different item


def approximate_term(s: Scored, terms: Terms, by_purpose: bool = False) -> str:
    """The printed item the question names that the matched label does not print, when the label is
    only a neighbouring item (退休费 asked, 事业单位离退休 printed): the label satisfies the phrase only
    through a wider glossary alternative and most of the label is unexplained. "" when exact."""
    v = s.view
    label = v.label_key if not v.prose else (v.label_key or v.clause_key)
    if not label or v.total_row or s.lexical_label >= APPROX_LABEL:
        return ""
    printed = label + " " + (v.column_leaf_key if s.column_asked else "")
    fields = [v.bigrams.get(f, frozenset()) for f in ("label_key", "clause_key", "post_key")]
    if s.column_asked:
        fields.append(v.bigrams.get("column_leaf_key", frozenset()))
    context = [v.bigrams.get(f, frozenset()) for f in ("table_key", "path_key", "column_key", "sentence_key",
                                                       "purpose_key")]
    for u in terms.units:
        asked = norm(u.text)
        if not u.from_glossary or not u.named or u.named in printed or \
                re.search(r"[\u4e00-\u9fff]", asked) and asked in printed:
            continue           # the label prints the item (or the question's own Chinese words)
        if by_purpose and u.named in v.purpose_key:
            continue           # what the item is for names it, and the answer shows that
        in_label = any(_satisfied(a, fb) for a in u.alts for fb in fields)
        if in_label or not by_purpose and not any(_satisfied(a, fb) for a in u.alts for fb in context):
            return u.named     # the label carries the phrase through another printed form, or only by meaning
            # (by_purpose: the item matched through what it is for, which the answer shows)
    return ""


def named_coverage(s: Scored, terms: Terms) -> float:
    """Share of the question's concepts that the label itself (or a total row's table / column) names."""
    view = s.view
    own = {"label_key": 1.0, "post_key": 1.0, "clause_key": 1.0}
    if s.column_asked or view.total_row:
        own.update(column_leaf_key=1.0, column_key=1.0)
    if view.total_row:
        own["table_key"] = 1.0
    return query_coverage(view, terms, own)[0]


def rank(views: list[FactView], terms: Terms, idf: Idf, limit: int = 50) -> list[Scored]:
    scored = [score_view(v, terms, idf) for v in views]
    scored.sort(key=lambda s: (-s.score, s.view.idx))
    return scored[:limit]
