"""Find the figure a topic phrase refers to inside one target (a document, optionally one of its
sub-units, optionally a year the document looks back to). Returns a Measure with the facts to cite."""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal

import numpy as np

from assistant.calculator import calculate, plain
from assistant.features import NO_HITS, Hits, feature_matrix, request_of
from assistant.ranker import Ranker
from assistant.catalog import DocInfo
from assistant.knowledge import Knowledge
from assistant.matching import (APPROX_LABEL, _bg, MONEY_UNITS, Scored, Terms, approximate_term, build_terms, named_coverage,
                               score_view, temper_semantic)
from assistant.model import Calculation
from assistant.text import norm
from assistant.views import FactView

ACCEPT = 0.62            # below this a match is not an answer
NEIGHBOUR_MARGIN = 0.05  # an approximate match names other items scoring this close as well
ALT_MARGIN = 0.4         # other printings of the same figure within this margin are cited too
PURPOSE_SHOWN = 0.5      # an item matched this well through its stated purpose shows that purpose
MAX_CITATIONS = 6
SEARCH_K = 20            # search hits read per question
DENSE_K = 8              # rows of a document nominated by their dense descriptors alone
MIN_SCORE = 0.2          # a candidate the hand-set score puts below this is dropped (unless densely nominated)
WHOLE_UNIT_PENALTY = 0.25
WHOLE_UNIT_BONUS = 0.1
_SELF = re.compile(r"^(?:我|本)(?:中心|局|部门|单位|委|厅|处)")
_ONE_PROJECT = re.compile(r"项目.{0,6}(?:绩效|自评|目标)|(?:绩效|自评).{0,6}项目")
_WEIGHT_COLUMN = re.compile(r"分值|满分|权重|标准分")
_MONEY_WORDS = re.compile(r"钱|元|费|资金|经费|工资|薪|支出|收入|金额|补助|补贴|拨款|预算数|决算数|"
                          r"cost|spend|spent|fund|money|yuan|pay|expens", re.I)
_NOT_COUNTS = ("%", "倍", "分", "元/人")
COUNT_UNITS = frozenset("人 名 台 辆 个 家 项 次 笔 宗 件 条 户 所 位 张 套 份 人次 万人 万人次".split())
_PART_WORDS = re.compile(r"基本|项目|人员|公用|日常|运转|一般公共|财政拨款|政府性基金|表|"
                         r"basic|project|personnel|operating|running|general public|fiscal|fund|table", re.I)
COLUMN_TIE = 0.02        # at most this much for a column path that names the topic (breaks ties only)
WHOLE_MARGIN = 0.1       # a whole this close to the best printing of its row is preferred to a part
_TOTAL_TABLE = re.compile(r"收支总|收支预算总|收入支出决算总|支出总|收入总|支出决算|部门预算")
_NOT_WHOLE_TABLE = re.compile(r"^(?:财政拨款|一般公共预算|政府预算拨款|政府性基金|国有资本)")
_TOTAL_LABELS_BUDGET = ("收入总计", "支出总计", "收入合计", "支出合计", "本年收入合计", "本年支出合计", "合计", "总计")
_TOTAL_LABELS_FINAL = ("本年支出合计", "支出合计", "支出总计", "合计", "总计")
_TOTAL_PROSE = re.compile(r"部门(?:预算)?(?:收入|支出)|^(?:收入|支出)预算|部门预算$|预算$|部门收入|部门支出|总收入合计|支出合计")


@dataclass(frozen=True)
class Target:
    doc: DocInfo
    entity: str | None = None      # sub-unit inside the document (None: the whole document)
    ref_year: int | None = None    # the year asked about when the document only looks back to it
    org: str = ""                  # the organisation the user asked about
    note: str = ""                 # e.g. only a budget exists for that year
    as_of: int | None = None       # "截至2023年底": figures stated as of the end of that year

    @property
    def year(self) -> int:
        return self.ref_year or self.doc.year

    @property
    def who(self) -> str:
        return self.entity or self.doc.org


@dataclass
class Measure:
    value: Decimal
    unit: str
    label: str
    column: str
    views: list[FactView]
    target: Target
    score: float
    calculation: Calculation | None = None     # when derived (previous year from a change)
    parts: list["Measure"] = field(default_factory=list)
    derived_from: str = ""                     # how it was derived, for the answer text
    label_cov: float = 1.0                     # how much of the label the question names (low: a near match)
    approximate: str = ""                      # the item the question names, when the label is only the closest
    query_cov: float = 1.0                     # share of the question's words the chosen fact (its label) matches
    neighbours: list[FactView] = field(default_factory=list)   # other near items, when approximate
    purpose: str = ""                          # what the document says the item is for, when that is what matched

    @property
    def primary(self) -> FactView:
        return self.views[0]


@dataclass
class Ask:
    """What to look for inside a target."""
    terms: Terms
    unit_hint: str | None = None
    figures: list[tuple[Decimal, str]] = field(default_factory=list)
    want_change: bool = False
    whole_unit: bool = False      # the department as a whole (整体 / overall), no project named


class Resolver:
    def __init__(self, kb: Knowledge, ranker: Ranker | None = None):
        self.kb = kb
        self.ranker = ranker          # the fitted ranker (None: the hand-set score alone orders candidates)
        self.observe = None           # eval.fit records every ranking: fn(target, ask, scored, features)
        self.hits = NO_HITS           # where the current question's search hits fall
        self._pending = None          # (question, history) not searched yet

    def terms(self, topic: str, quoted: list[str] | None = None, codes: list[str] | None = None,
              context: str = "", money: bool = False) -> Terms:
        return build_terms(topic, self.kb.glossary, self.kb.idf, quoted, codes, context, self.kb.semantic, money)

    def search(self, question: str, history: list[dict] | None) -> None:
        """The question being answered: its search hits become ranking features, searched on first need."""
        self._pending = (question, history)
        self.hits = NO_HITS

    def _question_hits(self) -> Hits:
        if self._pending is not None:
            question, history = self._pending
            self._pending = None
            if self.kb.search_fn is not None:
                try:
                    self.hits = Hits.of(self.kb.search_fn(question, SEARCH_K, None, history or None))
                except Exception:  # noqa: BLE001 - index trouble: rank without search hits
                    self.hits = NO_HITS
        return self.hits

    def _dense(self, terms: Terms):
        if self.kb.descriptors is None or not terms.topic.strip():
            return None
        return self.kb.descriptors.cosines(terms.topic)

    # -- ranking -----------------------------------------------------------------------------
    def rank(self, target: Target, ask: Ask, limit: int = 40) -> list[Scored]:
        out: list[Scored] = []
        wanted = set(ask.terms.all_bigrams)
        for u in ask.terms.units:
            for a in u.alts:
                wanted |= a
        wanted |= {"code:" + c for c in ask.terms.codes}
        semantic = ask.terms.semantic
        if semantic is not None and ask.terms.purpose_semantic is not None:
            semantic = np.maximum(semantic, ask.terms.purpose_semantic)
        found = self.kb.candidates(target.doc.doc_id, wanted, semantic)
        dense = self._dense(ask.terms)
        dense_only = frozenset()
        if dense is not None:
            seen = {v.idx for v in found}
            dense_only = frozenset(i for i in self.kb.descriptors.nearest(target.doc.doc_id, dense, DENSE_K)
                                   if i not in seen)
            found = found + [self.kb.views[i] for i in sorted(dense_only)]
        for v in found:
            s = score_view(v, ask.terms, self.kb.idf)
            if s.score < MIN_SCORE and v.idx not in dense_only:
                continue
            out.append(s)
        temper_semantic(out, ask.terms.unexplained, [s for s in out if _unit_fits(s.view.fact.unit, ask.unit_hint)])
        if _count_only(ask):            # "多少在编人员": a count answers, an amount of money cannot
            out = [s for s in out if s.view.fact.unit not in MONEY_UNITS]
        elif ask.unit_hint in MONEY_UNITS:  # an amount of money asked: a head count or a number of cars cannot answer
            out = [s for s in out if s.view.fact.unit not in COUNT_UNITS]
        for s in out:
            self._adjust(s, target, ask)
        # a figure printed in several places (table and text) is more likely the headline one
        # (counted by place: the same value in several columns of one row is one printing)
        support: dict[tuple, set] = {}
        good = [s for s in out if s.score >= ACCEPT - 0.1 and s.label_cov >= 0.5 and s.view.fact.value != 0]
        for s in good:
            key = (s.view.fact.value, s.view.fact.unit)
            support.setdefault(key, set()).add((s.view.fact.doc_id, s.view.fact.line))
        for s in good:
            s.score += 0.03 * min(len(support[(s.view.fact.value, s.view.fact.unit)]) - 1, 3)
        if not _PART_WORDS.search(ask.terms.text):
            _prefer_whole(good, self.kb.row_views)
        _prefer_category([s for s in out if s.score >= ACCEPT - 0.1], wanted)
        _prefer_precise(good)
        out.sort(key=lambda s: (-s.score, not s.view.total_col, s.view.idx))
        refit = self.ranker is not None and bool(out) and (self.ranker.mode == "replace" or out[0].score < ACCEPT)
        if refit or self.observe is not None:       # features only where they are read
            req = request_of(ask.terms.text, ask.unit_hint, target.year, target.entity, ask.figures)
            X = feature_matrix(out, req, ask.terms.cosines, self._question_hits(), dense, dense_only)
            if self.observe is not None:
                self.observe(target, ask, out, X)
            if refit:
                for s, fitted in zip(out, self.ranker.scores(X, ACCEPT)):
                    s.hand, s.score = s.score, float(fitted)
                out.sort(key=lambda s: (-s.score, not s.view.total_col, s.view.idx))
        return out[:limit]

    def _adjust(self, s: Scored, target: Target, ask: Ask) -> None:
        v = s.view
        # ties between columns of one row: the column path that spells out more of the topic
        if v.column_key and not v.prose:
            topic = _bg(ask.terms.text)
            if topic:
                s.score += COLUMN_TIE * len(topic & _bg(v.column_key)) / len(topic)
        # sub-unit scope
        if target.entity:
            if v.entity == target.entity:
                s.score += 0.1
            elif v.entity is None and not _mentions(v, target.entity, self.kb):
                # a consolidated (汇总) figure is not the sub-unit's own
                s.score -= 5.0 if target.doc.scope == "汇总" and target.entity != target.doc.org else 0.6
            else:
                s.score -= 1.0
        elif v.entity is not None and target.doc.scope == "汇总":
            s.score -= 0.12
        # years
        years = set(v.years)
        if target.as_of and target.as_of in years:
            s.score += 0.15
            years.discard(target.as_of)
        if target.ref_year:
            if target.ref_year in years:
                s.score += 0.3
            elif years - {target.doc.year}:
                s.score -= 0.5
            else:
                s.score -= 0.35
        elif years - {target.doc.year}:
            s.score -= 0.45
        # change statements (较上年增加 X) are not the figure itself
        if v.sub_item:
            s.score -= 0.08
        is_change = v.change is not None or (v.fact.qualifier in ("增加", "减少", "增长", "下降", "持平"))
        if is_change and not ask.want_change:
            s.score -= 0.5
        # unit
        unit = v.fact.unit
        if ask.unit_hint:
            money_hint = ask.unit_hint in MONEY_UNITS
            if money_hint and unit in MONEY_UNITS:
                s.score += 0.05
                if ask.unit_hint == "元":           # 精确到元: the figure printed in yuan
                    s.score += 0.15 if unit == "元" else -0.1
            elif ask.unit_hint == unit or (ask.unit_hint == "人" and unit in ("名", "人")):
                s.score += 0.15
            elif ask.unit_hint == "%" and unit != "%":
                s.score -= 0.05
            elif ask.unit_hint in ("倍",):
                pass
            elif money_hint != (unit in MONEY_UNITS):
                s.score -= 0.45
            elif not money_hint and unit != ask.unit_hint:
                s.score -= 0.2             # another count unit (个 for 台): a weaker clash
        # budget stage words must agree: 年初预算 is not 全年预算 nor 调整预算 nor 执行数
        asked = _stages(ask.terms.text)
        has = _stages(v.label_key + v.clause_key + v.column_key)
        if asked:
            if has and not (has & asked):
                s.score -= 0.4
        elif target.doc.kind == "决算" and has and has <= _BUDGET_STAGES:
            s.score -= 0.2             # a final-accounts question means the actual figure by default
        elif target.doc.kind == "决算" and has == {_ACTUAL_STAGE} and not v.total_col and \
                len(v.fact.column) == 2 and _TOTAL_LEAF.match(norm(v.fact.column[-1])) and not re.search(r"预算|budget", ask.terms.text, re.I):
            s.score += 0.1             # … so the 决算数 section's own 合计 is the row's whole, not a part of it
        if asked and asked <= _BUDGET_STAGES and target.doc.kind == "决算" and not has:
            s.score -= 0.4             # in final accounts a figure with no stage word is the actual one
        # 整体 / overall: a figure about one project (its self-evaluation or target table, its paragraph)
        # is not the department's own; one stated for the whole (部门整体…, 我中心 / 本部门 …) is
        if ask.whole_unit:
            where = v.table_key + " " + v.path_key
            if "整体" in where or _SELF.match(v.clause_key):
                s.score += WHOLE_UNIT_BONUS
            elif _ONE_PROJECT.search(where):
                s.score -= WHOLE_UNIT_PENALTY
        # a 参考分值 / 满分 / 权重 column gives the points an indicator is worth, not the score obtained
        if unit == "分" and _WEIGHT_COLUMN.search(v.column_key) and not _WEIGHT_COLUMN.search(ask.terms.text):
            s.score -= 0.2
        # a figure the question itself quotes
        for value, funit in ask.figures:
            if _same_amount(v.fact.value, unit, value, funit):
                s.score += 0.3
                break

    # -- one figure ---------------------------------------------------------------------------
    def measure(self, target: Target, ask: Ask, accept: float = ACCEPT) -> Measure | None:
        ranked = self.rank(target, ask)
        if not ranked or ranked[0].score < accept:
            return None
        return self._measure_from(ranked[0], ranked, target, ask)

    def _measure_from(self, best: Scored, ranked: list[Scored], target: Target, ask: Ask) -> Measure:
        v = best.view
        views = [v]
        same = [s for s in ranked[1:] if s.view.fact.value == v.fact.value and s.view.fact.unit == v.fact.unit
                and s.score >= best.score - ALT_MARGIN]
        tables = {v.fact.table_id}
        for pass_ in (0, 1):        # first one per table, then the rest
            for s in same:
                o = s.view
                if len(views) >= MAX_CITATIONS or o in views or o.fact.line in {w.fact.line for w in views}:
                    continue
                if pass_ == 0 and o.fact.table_id in tables and o.fact.table_id is not None:
                    continue
                views.append(o)
                tables.add(o.fact.table_id)
        # the question describes what the item is for rather than naming it: the stated purpose is shown
        purpose = v.purpose if best.purpose >= PURPOSE_SHOWN and best.lexical_label < APPROX_LABEL else ""
        approx = approximate_term(best, ask.terms, by_purpose=bool(purpose))
        neighbours: list[FactView] = []
        loose = bool(approx) or (best.lexical_label < APPROX_LABEL and not v.total_row and not v.prose)
        if loose:        # other items about as close (行政单位离退休 beside 事业单位离退休)
            for s in ranked[1:]:
                o = s.view
                if s.score >= best.score - NEIGHBOUR_MARGIN and o.fact.unit == v.fact.unit and o.total_col and \
                        not o.prose and not o.total_row and o.fact.value != v.fact.value and \
                        o.label_key not in v.label_key and v.label_key not in o.label_key and \
                        o.label_key not in {w.label_key for w in neighbours} and len(neighbours) < 2 and \
                        not (purpose and o.purpose == v.purpose) and \
                        (approximate_term(s, ask.terms) or s.lexical_label < APPROX_LABEL):
                    neighbours.append(o)
        return Measure(v.fact.value, v.fact.unit, display_label(v), v.column if not v.total_col else "",
                       views, target, best.score,
                       label_cov=max(named_coverage(best, ask.terms), 1.0 if best.label_cov >= 0.6 else 0.0),
                       approximate=approx, neighbours=neighbours, query_cov=best.named_query, purpose=purpose)

    # -- the organisation's overall budget ----------------------------------------------------
    def total(self, target: Target) -> Measure | None:
        doc = target.doc
        views = self.kb.doc_views(doc.doc_id)
        final = doc.kind == "决算"
        labels = _TOTAL_LABELS_FINAL if final else _TOTAL_LABELS_BUDGET
        cands: list[tuple[float, FactView]] = []
        entity = target.entity
        whole_values = set()
        for v in views:
            f = v.fact
            if f.unit not in MONEY_UNITS or v.change is not None or f.qualifier in ("增加", "减少", "增长", "下降"):
                continue
            if (v.years and set(v.years) - {doc.year}):
                continue
            if f.source == "table":
                title = norm(f.table)
                if _NOT_WHOLE_TABLE.match(title) or not _TOTAL_TABLE.search(title):
                    continue
                if entity is None:
                    if v.label in labels and v.total_col and (f.entity is None or "汇总" in (f.entity or "")
                                                              or v.entity is None):
                        rank = labels.index(v.label)
                        cands.append((3.0 - rank * 0.1, v))
                        whole_values.add(f.value)
                    elif v.label in (doc.org,) and v.total_col and v.entity is None:
                        cands.append((2.5, v))
                elif v.label == entity or (v.entity == entity and v.label == doc.org and v.total_col):
                    if v.total_col and v.entity == entity:
                        cands.append((2.8, v))
            else:
                label = norm(f.row)
                if entity is None and v.entity is None and _TOTAL_PROSE.search(label):
                    cands.append((2.9 if "支出" in label or final is False else 2.6, v))
                elif entity is not None and v.entity == entity and (
                        not v.label_key or "本级" in label or norm(entity) in label or label.endswith("预算")):
                    cands.append((2.9, v))
        if not cands:
            return None
        votes: dict[Decimal, float] = {}
        for w, v in cands:
            votes[v.fact.value] = votes.get(v.fact.value, 0) + w
        if entity is not None and entity == doc.org:        # the bureau proper shares its name with the total row
            for value in list(votes):
                if any(v.fact.value == value and v.entity is None for _, v in cands) or value in whole_values:
                    votes.pop(value, None)
        if not votes:
            return None
        best_value = max(votes, key=lambda val: (votes[val], val))
        chosen = sorted([(w, v) for w, v in cands if v.fact.value == best_value],
                        key=lambda wv: (-wv[0], not wv[1].prose, wv[1].idx))
        primary = chosen[0][1]
        cited, lines = [], set()
        for _, v in sorted(chosen, key=lambda wv: (not wv[1].prose, -wv[0], wv[1].idx)):
            if v.fact.line not in lines:
                cited.append(v)
                lines.add(v.fact.line)
        label = "部门决算支出" if final else "部门预算"
        return Measure(best_value, primary.fact.unit, label, "", cited[:MAX_CITATIONS], target, 3.0)

    # -- a year the document looks back to ----------------------------------------------------
    def previous(self, target: Target, ask: Ask, total: bool = False) -> Measure | None:
        """The figure for target.ref_year: printed directly (a 2023年 row), or derived from the
        document-year figure and its change statement (较2023年年初预算减少 X)."""
        # (a whole-document total only when the text prints that very item for the earlier year:
        # "与 2019 年度收入 17,677.03 万元相比" under 本年度总收入合计 -> 2019年度总收入)
        direct = self.measure(target, ask, accept=ACCEPT + (0.2 if total else 0.1))
        if direct and target.ref_year in direct.primary.years and direct.primary.change is None \
                and (not total or (direct.primary.prose and direct.label_cov >= 0.9)):
            return direct
        current_target = replace(target, ref_year=None)
        base = self.total(current_target) if total else self.measure(current_target, ask)
        if base is None:
            return None
        change = self._change_for(base, target.ref_year)
        if change is None:
            return None
        op = "-" if change.change.direction == "up" else "+"
        expr = f"{plain(base.value)} {op} {plain(change.fact.value)}"
        calc = calculate(expr)
        word = "增加" if change.change.direction == "up" else "减少"
        views = [base.views[0], change] + base.views[1:]
        base_prose = next((w for w in self.kb.doc_views(base.target.doc.doc_id) if w.prose and w.para[0] == change.para[0]
                           and w.fact.value == base.value and w.change is None), None)
        if base_prose is not None and base_prose not in views:
            views.insert(2, base_prose)
        return Measure(calc.result, base.unit, base.label, base.column, views,
                       target, base.score, calculation=calc, parts=[base],
                       derived_from=f"{base.target.doc.year}年{base.label} {plain(base.value)}，"
                                    f"较{target.ref_year}年{change.change.basis or ''}{word} {plain(change.fact.value)}")

    def _change_for(self, base: Measure, year: int) -> FactView | None:
        """The change statement that belongs to the base figure: same sentence, or the same
        numbered paragraph when the sentence has no figure of its own."""
        doc_views = self.kb.doc_views(base.target.doc.doc_id)
        bv = list(base.views) + [w for w in doc_views if w.prose and w not in base.views and w.change is None
                                 and w.fact.value == base.value and w.fact.unit == base.unit]
        cited = len(base.views)
        best, best_rank = None, None
        for v in doc_views:
            c = v.change
            if c is None or c.percent or c.year_ref != year or v.fact.unit != base.unit:
                continue
            for rank, b in enumerate(bv):
                if not b.prose or b.para[0] != v.para[0] or b.para[1] >= v.para[1]:
                    continue
                between = [w for w in doc_views if w.prose and w.para[0] == v.para[0]
                           and b.para[1] < w.para[1] < v.para[1] and w.change is None and w.fact.unit in MONEY_UNITS]
                same_sentence = b.para[1] >= v.sentence_start
                own_item = norm(v.fact.row).startswith(norm(b.fact.row)) if b.fact.row else False
                lead = not any(w.prose and w.para[0] == v.para[0] and w.para[1] < b.para[1] and w.change is None
                               and w.fact.unit in MONEY_UNITS for w in doc_views)     # the paragraph's own figure
                loose = rank < cited and (not between or lead and _sentence_has_no_figure(v, doc_views))
                if same_sentence or own_item or loose:
                    key = (0 if same_sentence or own_item else 1, rank)
                    if best_rank is None or key < best_rank:
                        best, best_rank = v, key
        return best


_STAGE_WORDS = (("年初", "初始", "原预算"), ("调整", "变更"), ("全年预算", "全年"), ("执行", "实际", "实际支出", "决算数"),
                ("预算数",))


_BUDGET_STAGES = {0, 1, 2, 4}
_ACTUAL_STAGE = 3
_TOTAL_LEAF = re.compile(r"^(?:合计|小计|总计)$")


def _stages(text: str) -> set[int]:
    return {i for i, words in enumerate(_STAGE_WORDS) if any(w in text for w in words)}


def _sentence_has_no_figure(change: FactView, doc_views: list[FactView]) -> bool:
    return not any(w.prose and w.para[0] == change.para[0] and change.sentence_start <= w.para[1] < change.para[1]
                   and w.change is None for w in doc_views)


def _mentions(v: FactView, entity: str, kb: Knowledge) -> bool:
    names = [o for o in kb.orgs.names if o.name == entity]
    text = v.fact.row + v.fact.quote[:60]
    return any(a in text for o in names for a in o.aliases if len(a) >= 4)


def _prefer_category(cands: list[Scored], wanted: set[str]) -> None:
    """公车 matches 公务用车购置费 and 公务用车运行维护费 alike: a subject that cannot tell sibling rows apart names
    the row they sit under (公务用车购置及运行维护费), when that row spells out as much of the subject."""
    def named(s: Scored) -> frozenset:
        return frozenset(_bg(s.view.label_key) & wanted)
    rows = [s for s in cands if not s.view.prose and s.view.fact.row_path and s.view.fact.unit in MONEY_UNITS]
    for parent in rows:
        f = parent.view.fact
        path, depth = tuple(f.row_path), len(f.row_path)
        kids = [s for s in rows if s.view.fact.table == f.table and s.view.fact.doc_id == f.doc_id and
                s.view.fact.column == f.column and len(s.view.fact.row_path) > depth and
                tuple(s.view.fact.row_path[:depth]) == path]
        if len({tuple(k.view.fact.row_path) for k in kids}) < 2:
            continue
        best = max(kids, key=lambda k: k.score)
        ties = {tuple(k.view.fact.row_path) for k in kids if named(k) == named(best)}
        if named(best) and len(ties) >= 2 and named(parent) >= named(best) and parent.score < best.score:
            parent.score = best.score + 0.01


def _prefer_whole(good: list[Scored], row_views) -> None:
    """One row printed with different totals (基本支出表 37.54; 按经济分类表 147.20 with 基本 37.54 and 项目 109.66 in
    the same line): a question that names no part means the whole, the printing whose own row also prints the
    other totals as its parts."""
    rows: dict[tuple, list[Scored]] = {}
    for s in good:
        v = s.view
        if v.total_col and not v.prose and v.fact.unit in MONEY_UNITS:
            rows.setdefault((v.label_key, v.entity, v.fact.unit), []).append(s)
    for group in rows.values():
        if len({s.view.fact.value for s in group}) < 2 or len({s.view.fact.row_code for s in group} - {None}) > 1:
            continue
        top = max(s.score for s in group)
        whole = max(group, key=lambda s: s.view.fact.value)
        parts = {v.fact.value for v in row_views(whole.view)}
        if all(s.view.fact.value in parts for s in group) and whole.score >= top - WHOLE_MARGIN:
            whole.score = top + 0.01


def _prefer_precise(good: list[Scored]) -> None:
    """One figure printed rounded in one place (执行率 57%) and exactly in another (57.4%): the exact one."""
    for s in good:
        v = s.view.fact.value
        if v != v.to_integral_value():
            continue
        for o in good:
            ov = o.view.fact.value
            if o is not s and o.view.fact.unit == s.view.fact.unit and ov != ov.to_integral_value() and \
                    abs(ov - v) < Decimal("0.5") and o.score >= s.score - WHOLE_MARGIN:
                o.score = max(o.score, s.score + 0.01)


def _count_only(ask: Ask) -> bool:
    """The question asks for a count (人, 台, 个 …) and says nothing of money."""
    hint = ask.unit_hint
    return bool(hint) and hint not in MONEY_UNITS and hint not in _NOT_COUNTS and \
        not _MONEY_WORDS.search(ask.terms.topic or ask.terms.text)


def _unit_fits(unit: str, hint: str | None) -> bool:
    """A figure of this unit can answer a question asking in `hint` (money for money, a count for its count)."""
    if not hint or hint in ("%", "倍"):
        return True
    if hint in MONEY_UNITS:
        return unit in MONEY_UNITS
    return unit == hint or hint == "人" and unit in ("名", "人")


def _same_amount(a: Decimal, aunit: str, b: Decimal, bunit: str) -> bool:
    scale = {"元": Decimal(1), "万元": Decimal(10000), "亿元": Decimal(100000000)}
    if aunit in scale and bunit in scale:
        return a * scale[aunit] == b * scale[bunit]
    return a == b and aunit == bunit


def tidy_label(label: str) -> str:
    """Drop fragments a sentence split leaves behind: "汇总）共有车辆" -> "共有车辆", "三公”经费" -> "三公经费"."""
    s = label.strip()
    s = re.sub(r"^[^（(]*[）)]", "", s) if re.search(r"^[^（(]*[）)]", s) else s
    for a, b in (("“", "”"), ("（", "）"), ("(", ")")):
        if s.count(a) != s.count(b):
            s = s.replace(a, "").replace(b, "")
    return s.strip() or label.strip()


def display_label(v: FactView) -> str:
    f = v.fact
    if v.prose:
        label = tidy_label(f.row) or v.label
        return f"{v.subject}{label}" if v.subject and v.subject not in label else label
    if v.total_row:
        return v.label if not v.total_col else (v.label if v.label in _TOTAL_LABELS_BUDGET else "合计")
    if v.subject and v.subject not in v.label:     # a project's own table: 资金总额 of which project
        return f"{v.subject}{v.label}"
    return v.label
