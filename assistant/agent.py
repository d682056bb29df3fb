"""The built-in agent: maps a question to a plan, runs the tools (fact matching, totals, the
calculator) and writes an answer with cell-level citations. No LLM involved."""
from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

from assistant import intent as ops
from assistant.calculator import CalculatorError, calculate, plain
from assistant.compose import (citations_for, cite, corpus_summary, describe_measure, fmt_value, kind_clause,
                               round_result, source_phrase)
from assistant.knowledge import Knowledge
from assistant.model import Answer, Calculation, Citation
from assistant.followup import fill_from_answer, inherit, remember, split_questions
from assistant import pairing, rowfilter
from assistant.operands import (inherit_subject, split_difference, split_items, split_ratio, split_times,
                                strip_ratio_words)
from assistant.planning import Plan, plan_targets
from assistant.question import Parsed, container_split, is_total_topic, parse_question
from assistant.resolve import ACCEPT, Ask, Measure, Resolver, Target, display_label
from assistant.siblings import every_topic, sibling_rows, stated_total
from assistant.text import nfkc, norm
from assistant.timeframe import KindHint, Years
from assistant.views import TOTAL_ROW, FactView

_STATED_FIGURE = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|\d{1,3}(?:,\d{3})+\.\d+)(?![\d.,]*\s*年)"
                            r"(?=\s*(?:万元|亿元|元|%|人|分|个|台|家|辆|项|次|笔))")
_PROJECT_WORD = re.compile(r"项目|\bprojects?\b", re.I)
CONTAINED = 0.7           # "A里，B": B is looked for inside A when the whole phrase matches less than this
NEAR_MATCH = 0.45          # a label the question names less than this much is only "the closest item"


# Two-figure operations: (English, Chinese) answer text.
_TWO_FIGURE_TEXT = {
    "ratio": ("{la} is {a}, {lb} is {b}; the share is {shown}.",
              "{la}为 {a}，{lb}为 {b}，占比 = {shown}。"),
    "times": ("{la} is {a}, {lb} is {b}; {la} is {shown} {lb}.",
              "{la}为 {a}，{lb}为 {b}，{shown}，即约为后者的 {times}。"),
    "growth": ("{la} is {a}, {lb} is {b}; growth rate = {shown}.",
               "{la}为 {a}，{lb}为 {b}，增长率 = {shown}。"),
    "per_unit": ("{la} is {a} and {lb} is {b}; per unit: {shown}.",
                 "{la}为 {a}，{lb}为 {b}，平均每{b_unit} = {shown}。"),
    "remaining": ("{la} is {a} and {lb} is {b}, so the unspent amount is {shown}.",
                  "{la}为 {a}，{lb}为 {b}，未执行（剩余）= {shown}。"),
}


class BuiltinAgent:
    def __init__(self, kb: Knowledge):
        self.kb = kb
        self.resolver = Resolver(kb)
        self.doc_years: dict[str, set[int]] = {}
        self._by_value: dict[Decimal, list[FactView]] | None = None     # figures with a specific label, by value
        for v in kb.views:
            self.doc_years.setdefault(v.fact.doc_id, set()).update(v.years)
        for d in kb.catalog.docs:
            self.doc_years.setdefault(d.doc_id, set()).add(d.year)
        self.text_groups = rowfilter.text_groups(kb.tables)

    # -- entry point --------------------------------------------------------------------------
    def answer(self, question: str, history: list[dict] | None = None, filters: dict | None = None) -> Answer:
        picked = self._rows_by_text(question, history, filters)
        if picked is not None:               # 标着“X”的有几项？加起来多少钱？ is one question about one set of rows
            return picked
        parts = split_questions(nfkc(question))
        if len(parts) > 1:
            return self._answer_parts(parts, history, filters)
        return self._answer_one(question, history, filters)

    def _answer_parts(self, parts: list[str], history: list[dict] | None, filters: dict | None) -> Answer:
        """"A是多少？其中B呢？": each part answered in turn, the later ones as follow-ups of the earlier."""
        turns = list(history or [])
        answers = []
        for part in parts:
            a = self._answer_one(part, turns, filters)
            answers.append(a)
            turns = turns + [{"role": "user", "content": part}, {"role": "assistant", "content": a.text}]
        found = [a for a in answers if not a.refusal]
        if not found:
            return answers[0]
        first = found[0]
        texts = [a.text if not a.refusal else a.text.split("\n")[0] for a in answers]
        cites = [c for a in found for c in a.citations]
        return Answer(text="\n".join(texts), value=first.value, unit=first.unit, calculation=first.calculation,
                      citations=list(dict.fromkeys(cites)), language=first.language,
                      calculations=_every_calculation(found))

    def _rows_by_text(self, question: str, history: list[dict] | None, filters: dict | None) -> Answer | None:
        """Rows a table marks with the text the question names (绩效目标 “运转类支出，无绩效目标”): how many,
        and their amounts added up, both through the calculator."""
        q = nfkc(question)
        count, total = rowfilter.wants(q)
        quoted = [m.group(1) for m in re.finditer(r"[“\"「『]([^”\"」』]{2,60})[”\"」』]", q)]
        if not (count or total) or not any(rowfilter.named_text(q, quoted, text)
                                          for groups in self.text_groups.values() for _, _, text, _ in groups):
            return None
        p = self.understand(question, history, filters)
        for t in plan_targets(p, self.kb.catalog, self.doc_years).targets[:3]:
            rs = rowfilter.rows_by_text(self.text_groups.get(t.doc.doc_id, []),
                                        lambda tid, r: self.kb.by_row.get((t.doc.doc_id, tid, r.line, r.label), []),
                                        q, quoted)
            if rs is not None:
                return self._row_set_answer(p, t, rs, count, total)
        return None

    def _row_set_answer(self, p: Parsed, t: Target, rs: "rowfilter.RowSet", count: bool, total: bool) -> Answer:
        en = p.english
        unit = rs.views[0].fact.unit
        figures = [plain(v.fact.value) for v in rs.views]
        counted = calculate(f"count({', '.join(figures)})")
        printed = ", ".join(v.printed or plain(v.fact.value) for v in rs.views)
        counted = Calculation(counted.expression, counted.result, f"count({printed}) = {plain(counted.result)}")
        summed = calculate(" + ".join(figures))
        shown = " + ".join(fmt_value(v.fact.value, unit, v, False) for v in rs.views)
        summed = Calculation(summed.expression, summed.result,
                             f"{shown} = {fmt_value(round_result(summed.result, unit), unit, None, False)}")
        items = [f"{display_label(v)} {fmt_value(v.fact.value, unit, v, en)}" for v in rs.views]
        n = plain(counted.result)
        result = fmt_value(round_result(summed.result, unit), unit, None, en)
        if en:
            text = (f"From {source_phrase(t, en, self.kb)} ({kind_clause(t, en)}): in 《{rs.table}》, {n} rows have "
                    f"“{rs.text}” in the {rs.column} column: {'; '.join(items)}. Number of items: {counted.shown}. "
                    f"Total: {summed.shown}.")
        else:
            text = (f"据{source_phrase(t, en, self.kb)}（{kind_clause(t, en)}），《{rs.table}》中“{rs.column}”一栏为"
                    f"“{rs.text}”的共 {n} 项：{'；'.join(items)}。项数：{counted.shown}；合计：{summed.shown}。")
        main, other = (summed, counted) if total or not count else (counted, summed)
        value = round_result(summed.result, unit) if main is summed else counted.result
        return Answer(text=text, value=value, unit=unit if main is summed else "项", calculation=main,
                      calculations=[other], citations=[cite(v, self.kb) for v in rs.views], language=p.language)

    def _answer_one(self, question: str, history: list[dict] | None = None, filters: dict | None = None) -> Answer:
        p = self.understand(question, history, filters)
        try:
            answer = self._answer(p)
            if p.intent.why and not answer.refusal and answer.value is not None:
                plan = plan_targets(p, self.kb.catalog, self.doc_years)
                answer = self._answer_with_reason(p, plan, answer)
            return answer
        except CalculatorError as exc:        # never expected: every expression is built from figures
            return self._refuse(p, f"计算失败：{exc}", f"the calculation failed: {exc}")

    def understand(self, question: str, history: list[dict] | None = None, filters: dict | None = None) -> Parsed:
        latest = self.kb.catalog.latest_year
        main, context = _main_clause(nfkc(question))
        p = parse_question(main, self.kb.orgs, latest)
        if context:
            c = parse_question(context, self.kb.orgs, latest)
            if not p.orgs.orgs and not p.orgs.cities:
                p.orgs = c.orgs
            extra = [y for y in c.years.years if y not in p.years.years]
            if extra and p.years.years and p.years.doc_year is None:
                p.years.doc_year = extra[0]
            elif extra and not p.years.years:
                p.years.years = extra
            if not p.kind.explicit and c.kind.explicit:
                p.kind = c.kind
            p.english = p.english or c.english
        split = container_split(main) if p.intent.operation == ops.LOOKUP else None
        if split:                    # "A项目里，B是多少": B may be an item within A (or a column of A's row)
            outer, inner = (parse_question(x, self.kb.orgs, latest).topic for x in split)
            if outer and inner and not is_total_topic(inner):
                p.container = (inner, outer)
        previous = self._previous(history)
        if previous is not None:
            p = inherit(p, previous)
        if filters:
            p = self._apply_filters(p, filters)
        return p

    def _previous(self, history: list[dict] | None) -> Parsed | None:
        if not history:
            return None
        state: Parsed | None = None
        for turn in history:
            content = str(turn.get("content", "")).strip()
            if not content:
                continue
            if turn.get("role") == "assistant":
                if state is not None:        # the answer may name what the question left open
                    said = parse_question(nfkc(content[:400]), self.kb.orgs, self.kb.catalog.latest_year)
                    state = self._stated_item(fill_from_answer(state, said), content)
                continue
            if turn.get("role") != "user":
                continue
            p = parse_question(nfkc(content), self.kb.orgs, self.kb.catalog.latest_year)
            state = p if state is None else remember(inherit(p, state), state)
        return state

    def _stated_item(self, state: Parsed, content: str) -> Parsed:
        """The item an earlier answer states ("…allocates 60万元 to 社会医疗保险异地就医报销部分业务购买服务",
        "“住房公积金”为 459.31 万元"): a printed label the answer names together with a figure printed for that
        label. A follow-up about "that" means this item, so it becomes the conversation's topic (quoted, so
        the same printed row is preferred in every document)."""
        if state.total_topic or state.intent.operation != ops.LOOKUP or not state.topic:
            return state
        text = nfkc(content[:600])
        key = norm(text)
        if self._by_value is None:
            self._by_value = {}
            for v in self.kb.views:
                if len(v.label_key) >= 4 and not TOTAL_ROW.match(v.label):
                    self._by_value.setdefault(v.fact.value, []).append(v)
        for m in _STATED_FIGURE.finditer(text):          # the figures in the order the answer states them
            value = Decimal(m.group(1).replace(",", ""))
            named = [v for v in self._by_value.get(value, ()) if v.label_key in key]
            if named:            # the label printed nearest the figure ("城乡医疗救助340.00万元", "60万元 to …")
                at = len(norm(text[:m.start()]))
                end = at + len(norm(m.group(0)))
                best = min(named, key=lambda v: (_distance(key, v.label_key, at, end), -len(v.label_key)))
                state.topic, state.quoted = best.label, [best.label]
                state.context_topic, state.stated = "", best
                return state
        return state

    def _apply_filters(self, p: Parsed, filters: dict) -> Parsed:
        org, year, kind = filters.get("org"), filters.get("year"), filters.get("kind")
        if org and not p.orgs.orgs:
            names = [n.name for n in self.kb.orgs.names if org in (n.name, n.city) or org in n.aliases]
            if names:
                p.orgs.orgs = names
                p.orgs.explicit = True
        if year and not p.years.years:
            p.years.years = [int(year)]
        if kind and not p.kind.explicit:
            p.kind.kind, p.kind.explicit = kind, True
        return p

    # -- planning -----------------------------------------------------------------------------
    def _answer(self, p: Parsed) -> Answer:
        it = p.intent
        if it.person_pay:
            return self._refuse(p, "文件中没有任何个人的工资或薪酬信息：部门预决算只公开整个单位的汇总科目"
                                   "（如全单位的“基本工资”“津贴补贴”“工资福利支出”），不公开任何个人的收入，"
                                   "也不能由汇总数推算某个人的工资。",
                                "the documents contain no salary of any individual: budgets and final accounts "
                                "publish only aggregate items for the whole unit (e.g. basic salary (基本工资) or "
                                "wages and benefits (工资福利支出) of all staff), never a person's pay, and a person's "
                                "pay cannot be derived from them.")
        if p.orgs.unknown_places and not p.orgs.orgs:
            place = "、".join(p.orgs.unknown_places[:2])
            return self._refuse(p, f"文件中没有{place}的预决算资料。", f"the corpus contains no document for {place}.")
        plan = plan_targets(p, self.kb.catalog, self.doc_years)
        if not plan.targets and p.years_inherited:      # "江门呢？" after a 2022 question: any year of 江门
            p.years = Years()
            plan = plan_targets(p, self.kb.catalog, self.doc_years)
        if not plan.targets:
            what = "、".join(plan.missing)
            return self._refuse(p, f"文件中没有{what}的相关数据。", f"the documents do not cover {what}.")
        if it.secret_content:
            secret = self._secret(p, plan)
            if secret is not None:
                return secret
        op = it.operation
        asks_figure = bool(re.search(r"多少|几|how much|how many|what is|金额", p.text, re.I))
        if it.why and not asks_figure:
            why = self._why(p, plan)
            if why is not None:
                return why
        if p.sum_previous:            # 加起来一共多少: the earlier turn's items, or its figure in each document
            items, _ = split_items(p.topic)
            if len(items) < 2 and len(plan.targets) >= 2:
                return self._cross(p, plan, [(t.org, t) for t in plan.targets[:6]]) or self._not_found(p, plan)
            if len(items) < 2:
                return self._each(p, plan, self._lookup)
        cross = self._cross_groups(p, plan)
        if cross is None and op == ops.COMPARE and len({t.doc.doc_id for t in plan.targets}) >= 2:
            cross = [(t.org, t) for t in plan.targets if t.entity is None or t.entity == t.doc.org]
        if cross and op in (ops.DIFFERENCE, ops.RATIO, ops.TIMES, ops.COMPARE, ops.SUM):
            return self._cross(p, plan, cross) or self._not_found(p, plan)
        if op == ops.RATIO:
            return self._each(p, plan, self._ratio)
        if op == ops.TIMES:
            return self._each(p, plan, self._times)
        if op == ops.DIFFERENCE and _earlier_year_side(p) is not None:
            return self._each(p, plan, self._change)
        if op == ops.DIFFERENCE and split_difference(p.topic):
            return self._each(p, plan, self._difference)
        if op == ops.PER_UNIT:
            return self._each(p, plan, self._per_unit)
        if op == ops.REMAINING:
            return self._each(p, plan, self._remaining)
        if op == ops.SUM and it.every:
            return self._each(p, plan, self._sum_every)
        if op in (ops.SUM, ops.COMPARE, ops.LIST):
            return self._each(p, plan, self._sum_or_compare)
        return self._each(p, plan, self._lookup)

    def _answer_with_reason(self, p: Parsed, plan: Plan, answer: Answer) -> Answer:
        if not p.intent.why or answer.refusal:
            return answer
        why = self._why(p, plan)
        if why is not None and not why.refusal:
            answer.text += ("\n" if not p.english else " ") + why.text
            answer.citations += why.citations
            answer.calculations += [c for c in why.all_calculations() if c not in answer.all_calculations()]
        return answer

    def _cross_groups(self, p: Parsed, plan: Plan) -> list[tuple[str, Target]] | None:
        """Targets that differ by year or by organisation, one per side, in question order."""
        targets = plan.targets
        if len(targets) < 2:
            return None
        years_asked = [y for y in p.years.years if y != p.years.doc_year] if p.years.doc_year else p.years.years
        if len(set(years_asked)) >= 2:
            groups = []
            common = _common_org(targets, years_asked)
            for y in years_asked:
                cands = [t for t in targets if t.year == y]
                if common:
                    cands = [t for t in cands if t.org == common] or cands
                if cands:
                    groups.append((f"{y}", _prefer_whole(cands)))
            return groups if len(groups) >= 2 else None
        orgs = []
        for t in targets:
            if t.org not in [o for o, _ in orgs]:
                orgs.append((t.org, t))
        if len(orgs) >= 2 and p.orgs.groups >= 2:
            return sorted(orgs, key=lambda ot: self._position(ot[0], p.text))     # in question order
        return None

    def _position(self, org: str, text: str) -> int:
        """Where the question first names an organisation (its alias, or its city)."""
        low = text.lower()
        for o in self.kb.orgs.names:
            if o.name != org:
                continue
            spots = [low.find(a.lower()) for a in (*o.aliases, *o.english)] + \
                    [low.find(f"{self.kb.orgs.city_english.get(o.city, '')} {w}") for w in ("cent", "bur", "fund", "med")]
            spots = [i for i in spots if i >= 0]
            if not spots and o.city:
                spots = [i for i in (low.find(o.city), low.find(self.kb.orgs.city_english.get(o.city, "\0"))) if i >= 0]
            return min(spots) if spots else -1       # not named here: the earlier turn's subject comes first
        return -1

    def _each(self, p: Parsed, plan: Plan, fn) -> Answer:
        """Run fn for every target; several documents fit -> answer for each."""
        answers = []
        for t in plan.targets[:6]:
            a = fn(p, t)
            if a is not None:
                answers.append((t, a))
        if not answers:
            return self._elsewhere(p, plan, fn) or self._not_found(p, plan)
        if len(answers) == 1:
            a = answers[0][1]
            return self._with_notes(a, plan, p)
        return self._merge(p, answers, plan)

    def _elsewhere(self, p: Parsed, plan: Plan, fn) -> Answer | None:
        """The preferred kind (花了 -> 决算) lacks the item but other documents of the same organisation
        have it: answer from those and say so. Only when the question pins no year."""
        if p.years.years or p.years.as_of or not plan.targets or not p.orgs.explicit:
            return None
        tried = {(t.doc.doc_id, t.entity) for t in plan.targets}
        wider = replace(p, kind=KindHint())
        others = [t for t in plan_targets(wider, self.kb.catalog, self.doc_years).targets
                  if (t.doc.doc_id, t.entity) not in tried]
        answers = [(t, a) for t in others[:6] for a in [fn(p, t)] if a is not None]
        if not answers:
            return None
        en = p.english
        looked = "、".join(dict.fromkeys(source_phrase(t, en, self.kb) for t in plan.targets))
        kinds = "、".join(dict.fromkeys(t.doc.kind for t, _ in answers))
        if en:
            kinds_en = " and ".join(dict.fromkeys("budget (预算)" if t.doc.kind == "预算" else "final accounts (决算)"
                                                  for t, _ in answers))
            head = (f"{looked[0].upper() + looked[1:]} has no such item. Other documents of the same organisation do; "
                    f"note these are {kinds_en} figures:")
        else:
            head = f"{looked}中没有这一项；同一单位的其他文件中有，以下为{kinds}数："
        lines = [head] + [f"· {a.text}" for _, a in answers]
        first = answers[0][1]
        return Answer(text="\n".join(lines), value=first.value, unit=first.unit, calculation=first.calculation,
                      citations=[c for _, a in answers for c in a.citations], language=p.language,
                      calculations=_every_calculation(a for _, a in answers))

    def _merge(self, p: Parsed, answers: list[tuple[Target, Answer]], plan: Plan) -> Answer:
        head = ("Several documents fit the question; here is the figure from each:" if p.english
                else "有多份文件符合这个问题，分别是：")
        lines = [head]
        cites = []
        for i, (t, a) in enumerate(answers, 1):
            lines.append(f"· {a.text}")
            cites += a.citations
        first = answers[0][1]
        text = "\n".join(lines)
        return self._with_notes(Answer(text=text, value=first.value, unit=first.unit, calculation=first.calculation,
                                       citations=cites, language=p.language,
                                       calculations=_every_calculation(a for _, a in answers)), plan, p)

    def _with_notes(self, a: Answer, plan: Plan, p: Parsed) -> Answer:
        notes = plan.notes
        if p.years.resolved_from_relative and p.years.relative == "this":
            y = p.years.years[0]
            notes = notes + ([f"（“今年”按文件中最新的年份 {y} 年理解。）"] if not p.english
                             else [f"(“this year” is taken as {y}, the latest year in the documents.)"])
        if notes:
            a.text = a.text + "\n" + "\n".join(notes)
        return a

    # -- operations inside one target ---------------------------------------------------------
    def _ask(self, p: Parsed, topic: str, context: str = "", unit_hint: str | None = "") -> Ask:
        terms = self.resolver.terms(topic, p.quoted, p.codes, context)
        return Ask(terms, p.unit_hint if unit_hint == "" else unit_hint, p.figures,
                   whole_unit=p.whole_unit and not _PROJECT_WORD.search(topic))

    def _find(self, p: Parsed, t: Target, topic: str, context: str = "", unit_hint: str | None = "",
              accept: float = ACCEPT) -> Measure | None:
        if is_total_topic(topic) and not context:
            m = self.resolver.previous(t, self._ask(p, topic), total=True) if t.ref_year else self.resolver.total(t)
            return m
        ask = self._ask(p, topic, context, unit_hint)
        if t.ref_year:
            return self.resolver.previous(t, ask)
        return self.resolver.measure(t, ask, accept)

    def _lookup(self, p: Parsed, t: Target) -> Answer | None:
        m = self._find(p, t, p.topic, context=p.context_topic) if p.context_topic else None
        m = m or self._find(p, t, p.topic)
        if p.container and (m is None or m.query_cov < CONTAINED):
            inner, outer = p.container        # the whole phrase explains little: the item inside A
            m = self._find(p, t, inner, context=outer) or m
        if m is not None and p.context_topic and isinstance(p.stated, FactView):
            m = self._beside_stated(p, t, m)
        if m is None:
            return None
        paired = self._paired(p, m)
        if paired is not None:
            return paired
        answer = self._split_item(p, m) or self._units_sum(p, m) or self._lookup_answer(p, m)
        if t.doc.kind == "决算" and p.kind.kind != "决算" and "执行" in (m.label + m.column) and not t.ref_year \
                and m.unit in ("万元", "元"):
            # a budget asked of final accounts: the full-year budget printed beside the amount spent
            planned = self._find(p, t, f"{p.topic} 全年预算数")
            if planned is not None and planned.primary is not m.primary and planned.unit == m.unit \
                    and "预算" in planned.label + planned.column and planned.value != m.value:
                what = describe_measure(planned, p.english, self.kb)
                fig = fmt_value(planned.value, planned.unit, planned.primary, p.english)
                answer.text += (f" The full-year budget printed beside it: {what} {fig}." if p.english else
                                f"同一文件列出的全年预算数：{what}为 {fig}。")
                answer.citations += citations_for([planned], self.kb)
        return answer

    def _beside_stated(self, p: Parsed, t: Target, m: Measure) -> Measure:
        """A follow-up asking a measure of the item just discussed (执行率多少？ after a project's budget): when the
        sentence that printed the earlier answer's figure also prints a good match, that one answers (the project's
        own statement, not a similar figure elsewhere)."""
        anchor = p.stated
        if anchor.fact.doc_id != t.doc.doc_id or not anchor.prose or pairing.same_sentence(anchor, m.primary):
            return m
        ranked = self.resolver.rank(t, self._ask(p, p.topic, p.context_topic))
        beside = [s for s in ranked if s.score >= ACCEPT and s.view is not anchor and s.view.fact.unit == m.unit
                  and pairing.same_sentence(anchor, s.view)]
        return self._measure_of(beside[0].view, t, beside[0].score) if beside else m

    def _paired(self, p: Parsed, m: Measure) -> Answer | None:
        """Figures one sentence prints together: "X增加了多少" of the end of "从 A 增加到 B" is B − A;
        "计划执行了多少" of a plan figure is the used amount printed right after it."""
        t, v = m.target, m.primary
        if m.calculation is not None or not v.prose:
            return None
        views = self.kb.doc_views(v.fact.doc_id)
        if pairing.CHANGE_CUE.search(p.text):
            start, end = pairing.start_of(v, views) or v, pairing.end_of(v, views) or v
            if start is not end:
                return self._binary(p, t, self._measure_of(end, t, m.score), self._measure_of(start, t, m.score),
                                    "difference")
        actual = pairing.actual_after(v, views) if pairing.USAGE_CUE.search(p.text) else None
        if actual is None:
            return None
        used = self._measure_of(actual, t, m.score)
        en = p.english
        what, fig = describe_measure(m, en, self.kb), fmt_value(m.value, m.unit, v, en)
        used_what, used_fig = describe_measure(used, en, self.kb), fmt_value(used.value, used.unit, actual, en)
        text = (f"In {source_phrase(t, en, self.kb)}, {what} is {fig}, of which {used_what} is {used_fig} "
                f"({kind_clause(t, en)})." if en else
                f"据{source_phrase(t, en, self.kb)}，{what}为 {fig}，其中{used_what}为 {used_fig}（{kind_clause(t, en)}）。")
        return Answer(text=text, value=used.value, unit=used.unit, citations=citations_for([used, m], self.kb),
                      language=p.language)

    def _measure_of(self, v: FactView, t: Target, score: float) -> Measure:
        return Measure(v.fact.value, v.fact.unit, display_label(v), "", [v], t, score)

    def _units_sum(self, p: Parsed, m: Measure) -> Answer | None:
        """A consolidated (汇总) document asked as a whole, whose table gives the figure per unit with no total
        row: the units' figures added up."""
        t, v = m.target, m.primary
        unit_of = v.entity or v.fact.entity
        if t.entity is not None or t.doc.scope != "汇总" or v.fact.source != "table" or not unit_of or \
                m.calculation is not None:
            return None
        table = [w for w in self.kb.doc_views(v.fact.doc_id) if w.fact.table_id == v.fact.table_id
                 and w.fact.column == v.fact.column and w.fact.unit == v.fact.unit]
        known = set(t.doc.entities) | {t.doc.org}
        if TOTAL_ROW.match(v.label) or any(not (w.entity or w.fact.entity) or TOTAL_ROW.match(w.label) or
                                           (w.entity or w.fact.entity) not in known for w in table):
            return None                 # the table prints a whole-document figure itself
        per_unit: dict[str, FactView] = {}
        for w in table:       # each unit's row of the same kind (its 2022年 row, not its 2021年 or change row)
            if w.label == v.label or (w.entity or w.fact.entity) == w.label:
                per_unit.setdefault(w.entity or w.fact.entity, w)
        if len(per_unit) < 2 or unit_of not in per_unit:
            return None
        parts = [Measure(w.fact.value, w.fact.unit, display_label(w), m.column, [w], t, m.score)
                 for w in per_unit.values()]
        answer = self._many(p, t, parts, "sum")
        units = "、".join(per_unit)
        answer.text += (f" The consolidated document lists this per unit ({units}) without a total; the total is "
                        f"their sum." if p.english else f"（汇总文件按单位分列（{units}），未列合计，合计为各单位之和。）")
        return answer

    def _split_item(self, p: Parsed, m: Measure) -> Answer | None:
        """An economic item (30xxx) printed both in the basic-expenditure table and in the project-expenditure
        table, with no table giving it whole: both parts and their sum."""
        v = m.primary
        code = v.fact.row_code or ""
        if m.calculation is not None or v.fact.source != "table" or not re.fullmatch(r"3\d{4}", code) or \
                re.search(r"基本|项目|basic|project", p.text, re.I):
            return None
        here = "基本" if "基本" in v.fact.table else "项目" if "项目" in v.fact.table else None
        if here is None:
            return None
        other_kind = "项目" if here == "基本" else "基本"
        others = [w for w in self.kb.doc_views(v.fact.doc_id)
                  if w.fact.source == "table" and w.fact.row_code == code and w.total_col and w.fact.unit == v.fact.unit
                  and w.fact.table_id != v.fact.table_id and other_kind in w.fact.table and w.entity == v.entity]
        whole = [w for w in self.kb.doc_views(v.fact.doc_id)
                 if w.fact.source == "table" and w.fact.row_code == code and w.total_col
                 and not re.search(r"基本|项目", w.fact.table) and w.entity == v.entity]
        if len({w.fact.value for w in others}) != 1 or whole or others[0].fact.value == 0:
            return None
        o = others[0]
        parts = [m, Measure(o.fact.value, o.fact.unit, display_label(o), "", [o], m.target, m.score)]
        if here == "项目":
            parts.reverse()
        answer = self._many(p, m.target, parts, "sum")
        en = p.english
        a, b = (_fig(x, en) for x in parts)
        what = describe_measure(m, en, self.kb)
        if en:
            answer.text = (f"From {source_phrase(m.target, en, self.kb)} ({kind_clause(m.target, en)}): {what} is printed "
                           f"in two tables, {a} in the basic-expenditure table (《{parts[0].primary.fact.table}》) and {b} in "
                           f"the project-expenditure table (《{parts[1].primary.fact.table}》). "
                           f"Total: {answer.calculation.shown}.")
        else:
            answer.text = (f"据{source_phrase(m.target, en, self.kb)}（{kind_clause(m.target, en)}），{what}分两处列示："
                           f"基本支出《{parts[0].primary.fact.table}》{a}，项目支出《{parts[1].primary.fact.table}》{b}，"
                           f"合计：{answer.calculation.shown}。")
        return answer

    def _lookup_answer(self, p: Parsed, m: Measure) -> Answer:
        en = p.english
        t = m.target
        src = source_phrase(t, en, self.kb)
        what = describe_measure(m, en, self.kb)
        cites = citations_for([m], self.kb)
        if m.calculation is not None:
            base = m.parts[0]
            value = round_result(m.calculation.result, m.unit)
            shown = _shown(m.calculation, [base.primary, m.views[1]], m.unit)
            calc = Calculation(m.calculation.expression, m.calculation.result, shown)
            if en:
                text = (f"The documents do not print the {t.ref_year} figure directly; from {src}: "
                        f"{m.derived_from.replace('，', '; ')}. So the {t.ref_year} figure is {shown} "
                        f"(unit: {m.unit}; {kind_clause(t, en)}).")
            else:
                text = (f"文件没有直接列出{t.ref_year}年的数，可由{src}推算：{m.derived_from}，"
                        f"因此{t.ref_year}年{_label_zh(m)}约为 {shown}（{kind_clause(t, en)}，单位：{m.unit}）。")
            return Answer(text=text, value=value, unit=m.unit, calculation=calc, citations=cites, language=p.language)
        if p.intent.wants_breakdown and m.primary.fact.source == "table" and not m.primary.total_col:
            total = next((w for w in self.kb.row_views(m.primary) if w.total_col and w.fact.unit == m.unit), None)
            if total is not None:
                m = Measure(total.fact.value, total.fact.unit, m.label, "", [total] + m.views, m.target, m.score,
                            label_cov=m.label_cov)
                what = describe_measure(m, en, self.kb)     # the row's whole, not the column first matched
        value_text = fmt_value(m.value, m.unit, m.primary, en)
        qual = m.primary.fact.qualifier if m.primary.fact.qualifier in ("≥", "≤", ">", "<", "=", "以上", "以下") else ""
        if qual in ("≥", "≤", ">", "<", "="):
            value_text = qual + value_text
        elif qual:
            value_text = value_text + qual
        if en:
            text = f"In {src}, {what} is {value_text} ({kind_clause(t, en)})."
        else:
            text = f"据{src}，{what}为 {value_text}（{kind_clause(t, en)}）。"
        if t.ref_year and t.ref_year != t.doc.year:
            text += _earlier_year_note(t, en)
        if m.purpose and _purpose_words(m.purpose):     # matched by what the item is for: say what that is
            text += (f" The document says it is for: “{_purpose_words(m.purpose)}”." if en else
                     f"文件说明该项{'' if re.match(r'(?:主要)?用于', _purpose_words(m.purpose)) else '为：'}"
                     f"{_purpose_words(m.purpose)}。")
        if m.approximate:
            text = self._closest_note(p, m) + text
        elif m.label_cov < NEAR_MATCH and p.topic and not m.purpose:     # (a purpose shown says why it fits)
            text = (f"The documents have no item named exactly “{p.topic}”; the closest is this one. " if en else
                    f"文件中没有与“{p.topic}”完全对应的条目，最接近的是这一项：") + text
        if m.neighbours:                 # 离退休 asked: 事业单位离退休 and 行政单位离退休 both fit
            text += self._neighbours_note(p, m)
            cites = cites + citations_for([self._measure_of(w, t, m.score) for w in m.neighbours], self.kb)
        extra = self._breakdown(p, m) if p.intent.wants_breakdown else ""
        if extra:
            text += extra
        elif len(m.views) > 1 and not en:
            tables = [f"《{v.fact.table}》" for v in m.views[1:] if v.fact.source == "table"]
            if tables:
                text += f"同一数字也见于{'、'.join(dict.fromkeys(tables))}。"
        return Answer(text=text, value=m.value, unit=m.unit, citations=cites, language=p.language)

    def _closest_note(self, p: Parsed, m: Measure) -> str:
        """退休费 asked, only 事业单位离退休 printed: say the answer is the closest printed item, by name."""
        code = m.primary.fact.row_code
        label = f"“{m.label}”" + (f"（{code}）" if code else "")
        if p.english:
            label = f"“{m.label}”" + (f" ({code})" if code else "")
            return (f"The documents print no item named “{m.approximate}” here; the closest printed item is "
                    f"{label}, which is not necessarily the same thing. ")
        return f"文件中没有单列“{m.approximate}”这一项，最接近的印列条目是{label}（口径未必相同）。"

    def _neighbours_note(self, p: Parsed, m: Measure) -> str:
        code = "（{}）" if not p.english else " ({})"
        items = [f"“{display_label(w)}”" + (code.format(w.fact.row_code) if w.fact.row_code else "") + " " +
                 fmt_value(w.fact.value, w.fact.unit, w, p.english) for w in m.neighbours]
        if p.english:
            return f" Other items nearly as close: {'; '.join(items)}."
        return f"相近的条目还有：{'；'.join(items)}。"

    def _breakdown(self, p: Parsed, m: Measure) -> str:
        """基本支出还是项目支出 / 钱从哪来 / 由哪个单位: the row's other columns and its sub-unit."""
        en = p.english
        v = m.primary
        parts = []
        if v.fact.source == "table":
            row = [w for w in self.kb.row_views(v) if w is not v and not w.total_col and w.fact.unit == v.fact.unit]
            nonzero = [w for w in row if w.fact.value != 0]
            if nonzero:
                shown = [f"{w.column or '/'.join(w.fact.column)} {fmt_value(w.fact.value, w.fact.unit, w, en)}"
                         for w in nonzero[:4]]
                if len(nonzero) == 1 and nonzero[0].fact.value == v.fact.value:
                    sole = nonzero[0].column or "/".join(nonzero[0].fact.column)
                    parts.append(f" All of it is {sole} ({shown[0]})." if en else f"全部为{sole}（{shown[0]}）。")
                else:
                    parts.append((" Breakdown: " if en else "其中：") + ("; ".join(shown) if en else "，".join(shown))
                                 + ("." if en else "。"))
                m.views.extend(w for w in nonzero[:2] if w not in m.views)
        q = p.text
        if re.search(r"哪个单位|哪家单位|由谁|which unit", q, re.I):
            unit = v.entity or v.fact.entity
            if not unit or unit == m.target.doc.org:
                same = [w for w in self.kb.doc_views(v.fact.doc_id) if w.entity and w.entity != m.target.doc.org and
                        (w.fact.row_code and w.fact.row_code == v.fact.row_code or
                         w.label == v.label and w.fact.value == v.fact.value)]
                if same:
                    unit = same[0].entity
                    m.views.append(same[0])
            if unit:
                parts.append(f" It is spent by {unit}." if en else f"该科目由{unit}执行。")
        return "".join(parts)

    def _ratio(self, p: Parsed, t: Target) -> Answer | None:
        split = split_ratio(p.topic)
        if not split:
            return self._usage_ratio(p, t)
        part_topic, whole_topic = split
        if whole_topic:
            part_topic, whole_topic = inherit_subject(part_topic, whole_topic)
        part = self._find(p, t, part_topic, context=whole_topic if not is_total_topic(whole_topic) else "",
                          unit_hint=None)
        whole = self._find(p, t, whole_topic or "部门预算", unit_hint=None) if (whole_topic and not is_total_topic(
            whole_topic)) else (self.resolver.total(t) if not t.ref_year else None)
        if whole is not None and whole_topic and not is_total_topic(whole_topic) and part is not None:
            alt = self._find(p, t, whole_topic, context=part_topic, unit_hint=None)
            if alt is not None and alt.score > whole.score and alt.value != part.value:
                whole = alt
        if part is None or whole is None or whole.value == 0:
            return None
        if part.primary is whole.primary or part.value == whole.value and part.primary.fact.line == whole.primary.fact.line:
            return None
        return self._binary(p, t, part, whole, "ratio")

    def _usage_ratio(self, p: Parsed, t: Target) -> Answer | None:
        """A share with no part named: "编制用了几成" is the used figure the sentence prints after the quota
        over the quota; "执行进度百分之几" is a percentage the document prints itself."""
        topic = strip_ratio_words(p.topic)
        if not topic:
            return None
        if pairing.USAGE_CUE.search(p.text):
            whole = self._find(p, t, topic, unit_hint=None)
            actual = pairing.actual_after(whole.primary, self.kb.doc_views(t.doc.doc_id)) if whole else None
            if actual is not None and whole.value != 0:
                return self._binary(p, t, self._measure_of(actual, t, whole.score), whole, "ratio")
        printed = self._find(p, t, topic, unit_hint="%")
        if printed is not None and printed.unit == "%":
            return self._lookup_answer(p, printed)
        return None

    def _times(self, p: Parsed, t: Target) -> Answer | None:
        split = split_times(p.topic)
        if not split:
            return None
        a = self._find(p, t, split[0], unit_hint=None)
        b = self._find(p, t, split[1], unit_hint=None)
        if a is None or b is None or b.value == 0:
            return None
        return self._binary(p, t, a, b, "times")

    def _difference(self, p: Parsed, t: Target) -> Answer | None:
        split = split_difference(p.topic)
        if not split:
            return None
        left, right = inherit_subject(*split)
        a = self._find(p, t, left, unit_hint=None)
        b = self._find(p, t, right, context=left, unit_hint=None)
        if a is None or b is None or a.unit != b.unit:
            return None
        end = pairing.end_of(b.primary, self.kb.doc_views(t.doc.doc_id))
        if end is not None and end is not a.primary:        # "从 A 增加到 B": compare within the one statement
            ranked = {s.view.idx: s.score for s in self.resolver.rank(t, self._ask(p, left, unit_hint=None))}
            if ranked.get(end.idx, 0.0) >= ACCEPT - 0.1:
                a = self._measure_of(end, t, ranked[end.idx])
        if a.primary is b.primary:
            return None
        return self._binary(p, t, a, b, "difference")

    def _change(self, p: Parsed, t: Target) -> Answer | None:
        """比上年增加了多少 / 增长了百分之几: the change the document states, or one computed from the
        document-year figure and the earlier year's figure."""
        split = split_difference(p.topic)
        topic = split[0] if split else re.sub(r"比上年|较上年|比去年|上年|去年|增长|增加|减少|下降|降低|上升|[降涨升]|变化|了|"
                                              r"多少|百分之几|百分之多少|几个百分点", " ", p.topic)
        earlier = _earlier_year_side(p) or t.doc.year - 1
        if earlier >= t.doc.year:
            return None
        target = replace(t, ref_year=earlier)
        want_pct = p.unit_hint == "%"
        ask = self._ask(p, topic, unit_hint="%" if want_pct else None)
        ask.want_change = True
        ranked = [s for s in self.resolver.rank(replace(t, ref_year=None), ask)
                  if s.view.change is not None and s.view.change.year_ref == earlier and s.view.change.percent == want_pct]
        if ranked and ranked[0].score >= ACCEPT - 0.1:
            best = ranked[0]
            m = Measure(best.view.fact.value, best.view.fact.unit, display_label(best.view), "", [best.view], t, best.score)
            a = self._lookup_answer(p, m)
            word = {"up": "增加", "down": "减少", "flat": "持平"}[best.view.change.direction]
            if not p.english:
                a.text = a.text.rstrip("。") + f"（较{earlier}年{word}）。"
            else:
                a.text = a.text.rstrip(".") + f" (a change versus {earlier}: {word})."
            return a
        now = self._find(p, t, topic, unit_hint=None)
        stated = self._stated_change(now, earlier, want_pct) if now is not None else None
        if stated is not None:                # the document's own statement, quoted rather than recomputed
            return self._change_answer(p, now, stated, earlier)
        before = self._find(p, target, topic, unit_hint=None)
        if now is None or before is None:
            return None
        return self._binary(p, t, now, before, "growth" if want_pct else "difference", cross=True)

    def _stated_change(self, base: Measure, earlier: int, percent: bool) -> FactView | None:
        """The change a sentence prints right after the figure itself ("三公经费4.15万元，比上年减少0.15万元，
        下降3.49%"): same sentence, after the figure, only other change statements in between."""
        if base.calculation is not None or base.value == 0:
            return None
        views = self.kb.doc_views(base.target.doc.doc_id)
        bases = [w for w in views if w.prose and w.change is None and w.fact.value == base.value
                 and w.fact.unit == base.unit]
        found = []
        for b in bases:
            for c in views:
                if c.change is None or c.change.percent != percent or c.change.year_ref != earlier or \
                        not pairing.same_sentence(b, c) or c.para[1] <= b.para[1]:
                    continue
                if any(w.prose and w.change is None and w.para[0] == b.para[0] and b.para[1] < w.para[1] < c.para[1]
                       for w in views):
                    continue              # another figure comes first: the change is about that one
                found.append((c.para[1] - b.para[1], b in base.views, c))
        if not found:
            return None
        return min(found, key=lambda x: (not x[1], x[0]))[2]

    def _change_answer(self, p: Parsed, base: Measure, change: FactView, earlier: int) -> Answer:
        en, t = p.english, base.target
        c = self._measure_of(change, t, base.score)
        what, fig = describe_measure(base, en, self.kb), fmt_value(base.value, base.unit, base.primary, en)
        amount = fmt_value(change.fact.value, change.fact.unit, change, en)
        up = change.change.direction == "up"
        if en:
            word = ("up" if up else "down" if change.change.direction == "down" else "unchanged")
            text = (f"In {source_phrase(t, en, self.kb)}, {what} is {fig}; the document states it is {word} {amount} "
                    f"compared with {earlier} ({kind_clause(t, en)}).")
        else:
            word = {"up": "增长" if change.change.percent else "增加",
                    "down": "下降" if change.change.percent else "减少", "flat": "持平"}[change.change.direction]
            text = (f"据{source_phrase(t, en, self.kb)}，{what}为 {fig}，文件列明比{earlier}年{word} {amount}"
                    f"（{kind_clause(t, en)}）。")
        return Answer(text=text, value=change.fact.value, unit=change.fact.unit,
                      citations=citations_for([c, base], self.kb), language=p.language)

    def _per_unit(self, p: Parsed, t: Target) -> Answer | None:
        """每台 / 人均: an amount divided by a count, both cited."""
        m = re.search(r"每(台|人|个|家|辆|名|笔|次)|人均|\bper (?:[\w-]+ )?(person|capita|head|unit|device|machine|terminal|kiosk|"
                      r"vehicle|car|employee|staff)", p.text, re.I)
        unit = (m.group(1) or ("人" if re.search(r"人均|person|capita|head|employee|staff", m.group(0), re.I) else
                               "辆" if re.search(r"vehicle|car", m.group(0), re.I) else "台")) if m else "个"
        unit = "人" if unit == "名" else unit
        money_topic = re.sub(r"平均|每[台人个家辆名笔次]|人均|\bper\b|average|on average|\b(?:spend|cost)\b", " ", p.topic,
                             flags=re.I).strip()
        count_words = {"人": "人员 人数", "台": "数量 台数", "辆": "车辆 数量", "家": "机构 数量"}.get(unit, "数量")
        count_topic = re.sub(r"经费|费用|预算|资金|费$|费(?=\s)", " ", money_topic).strip() + " " + count_words
        money = self._find(p, t, money_topic, unit_hint="万元")
        count = self._find(p, t, count_topic, unit_hint=unit)
        if money is None or count is None or count.value == 0 or count.unit not in (unit, "名", "人") and count.unit != unit:
            return None
        return self._binary(p, t, money, count, "per_unit")

    def _remaining(self, p: Parsed, t: Target) -> Answer | None:
        item = re.sub(r"还剩|剩下|剩余|没用掉|没用完|未用完|没执行掉?|未执行|没花掉?|没花完|结余|节余|预算|多少|最后|精确到元|"
                      r"unspent|left over|remaining", " ", p.topic)
        item = re.sub(r"\s+", " ", item).strip()
        unit = p.unit_hint if p.unit_hint == "元" else None
        budget = self._find(p, t, f"{item} 全年预算数", unit_hint=unit)
        spent = self._find(p, t, f"{item} 执行数", unit_hint=unit)
        if budget is None or spent is None or budget.primary is spent.primary or budget.unit != spent.unit:
            return None
        if spent.value > budget.value:
            return None
        return self._binary(p, t, budget, spent, "remaining")

    def _sum_or_compare(self, p: Parsed, t: Target) -> Answer | None:
        items, context = split_items(p.topic)
        compare = p.intent.operation == ops.COMPARE
        if p.intent.operation == ops.LIST:
            if len(items) < 2:
                return self._lookup(p, t)
            pairs = [(item, self._find(p, t, item, context=context, unit_hint=None)) for item in items]
            found = [m for _, m in pairs if m is not None]
            missing = [item for item, m in pairs if m is None]
            if not found or len({m.primary.idx for m in found}) < len(found):
                return self._lookup(p, t)
            answer = self._many(p, t, found, "list") if len(found) > 1 else self._lookup_answer(p, found[0])
            if missing:
                names = "、".join(f"“{x}”" for x in missing)
                answer.text += (f" The documents list no item for {names} here." if p.english else
                                f"文件中没有单列{names}。")
            return answer
        if len(items) < 2:
            if not compare:
                return self._sum_column(p, t) or self._lookup(p, t)
            return self._lookup(p, t)
        strong = bool(re.search(r"加起来|合计|相加|加在一起|总和|之和|各项|合起来|add up|combined|sum", p.text, re.I))
        whole = None
        if not compare and not strong:
            whole = self._find(p, t, p.topic)
            # one row naming every item (公务用车购置及运行维护费) answers it; otherwise the items are added up
            if whole is not None and (not re.search(r"一共|总共|共计|total", p.text, re.I) or
                                      all(norm(i) in norm(whole.label) for i in items)):
                return self._lookup_answer(p, whole)
        fallback = self._lookup_answer(p, whole) if whole is not None else None
        measures = []
        for item in items:
            m = self._find(p, t, item, context=context, unit_hint=None if context else "")
            if m is None:
                return None if strong or compare else fallback or self._lookup(p, t)
            measures.append(m)
        units = {m.unit for m in measures}
        if len(units) != 1 or len({m.primary.idx for m in measures}) < len(measures):
            return fallback
        return self._many(p, t, measures, "compare" if compare else "sum")

    def _sum_every(self, p: Parsed, t: Target) -> Answer | None:
        """所有项目绩效目标表的资金总额加起来 / add up X over all the project tables: the row in each
        sibling table, added up; a sentence stating the same total is cited as a check."""
        m = self._find(p, t, every_topic(p.topic))
        rows = sibling_rows(self.kb.doc_views(t.doc.doc_id), m.primary) if m is not None else []
        if not rows:
            return self._sum_or_compare(p, t)
        parts = [Measure(w.fact.value, w.fact.unit, display_label(w), "", [w], t, m.score) for w in rows]
        answer = self._many(p, t, parts, "sum")
        en = p.english
        items = [f"《{w.fact.table}》{display_label(w)}" + (f"（{w.column}）" if w.column and not w.total_col else "") +
                 f" {_fig(x, en)}" for w, x in zip(rows, parts)]
        answer.text = _source_prefix(t, en, self.kb) + (
            f"{'; '.join(items)}. Total over these tables: {answer.calculation.shown}." if en else
            f"{'；'.join(items)}。以上各表合计：{answer.calculation.shown}。")
        stated = stated_total(self.kb.doc_views(t.doc.doc_id), answer.calculation.result, m.unit)
        if stated is not None:
            answer.text += (f" This matches the total the document states: “{stated.fact.quote.strip()[:80]}”."
                            if p.english else f"与文件所述合计一致：“{stated.fact.quote.strip()[:80]}”。")
            answer.citations.append(cite(stated, self.kb))
        return answer

    def _sum_column(self, p: Parsed, t: Target) -> Answer | None:
        """一共有多少在职人员: add the column over the table's rows when the table has no total."""
        m = self._find(p, t, p.topic)
        if m is None or m.primary.fact.source != "table":
            return None
        v = m.primary
        if not re.search(r"和|与|及|、|加起来|合计|各|所有|全部|下属", p.text):
            return None
        table = [w for w in self.kb.doc_views(v.fact.doc_id) if w.fact.table_id == v.fact.table_id
                 and w.fact.column == v.fact.column and w.fact.unit == v.fact.unit]
        totals = [w for w in table if TOTAL_ROW.match(w.label)]
        rows = [w for w in table if not TOTAL_ROW.match(w.label)]
        if totals or len(rows) < 2:
            return None
        parts = [Measure(w.fact.value, w.fact.unit, w.label, w.column, [w], t, m.score) for w in rows]
        return self._many(p, t, parts, "sum")

    # -- operations across documents / organisations / years -----------------------------------
    def _same_row(self, p: Parsed, t: Target, first: Measure, m: Measure) -> Measure:
        """Compare like with like: when the other document prints the row the first side came from
        (same label, same classification code), use it rather than a differently classified one."""
        code = first.primary.fact.row_code
        if t.ref_year or norm(m.label) == norm(first.label) and m.primary.fact.row_code == code:
            return m
        same = [v for v in self.kb.doc_views(t.doc.doc_id)
                if norm(v.label) == norm(first.label) and v.fact.unit == first.unit and v.total_col
                and (not code or not v.fact.row_code or v.fact.row_code == code)
                and (v.entity == t.entity if t.entity else v.entity in (None, t.doc.org))]
        if not same:
            return m
        v = sorted(same, key=lambda v: (v.fact.row_code != code, v.idx))[0]
        return Measure(v.fact.value, v.fact.unit, display_label(v), "", [v], t, m.score)

    def _cross(self, p: Parsed, plan: Plan, groups: list[tuple[str, Target]]) -> Answer:
        op = p.intent.operation
        topic = p.topic
        measures: list[Measure] = []
        cross_topic = _strip_cross_words(topic)
        for key, t in groups:
            if op == ops.RATIO and t.entity is None and any(g[1].entity for g in groups):
                m = self.resolver.total(t)
            else:
                m = self._find(p, t, cross_topic)
                if m is not None and measures and not measures[0].primary.total_row:
                    m = self._same_row(p, t, measures[0], m)
            if m is None:
                continue
            measures.append(m)
        if len(measures) < 2:
            missing = [source_phrase(t, p.english, self.kb) for k, t in groups
                       if t not in [m.target for m in measures]]
            if measures:
                one = self._lookup_answer(p, measures[0])
                miss = "、".join(missing)
                one.text += (f"\nNo matching figure was found in {miss}, so the comparison cannot be made."
                             if p.english else f"\n但在{miss}中没有找到对应的数，无法比较。")
                return one
            return self._not_found(p, plan)
        if op == ops.COMPARE or (op == ops.SUM and len(measures) > 2):
            return self._many(p, measures[0].target, measures, "compare" if op == ops.COMPARE else "sum", cross=True)
        a, b = measures[0], measures[1]
        if op == ops.DIFFERENCE and a.target.year < b.target.year and \
                re.search(r"变化|变动|增减|change|between|from \d{4} to", p.text, re.I):
            a, b = b, a                        # a change between two years: the later minus the earlier
        if a.target.doc.kind != b.target.doc.kind:
            answer = self._cross_pair(p, a, b, op)
            if answer is None or answer.refusal:
                return answer
            answer.text += (" Note: one side is a budget (预算) figure and the other a final-accounts (决算) figure."
                            if p.english else "（注意：两者一为预算数、一为决算数。）")
            return answer
        return self._cross_pair(p, a, b, op)

    def _cross_pair(self, p: Parsed, a: Measure, b: Measure, op: str) -> Answer:
        if op == ops.RATIO:
            part, whole = (a, b) if a.target.entity and not b.target.entity else (b, a) \
                if b.target.entity and not a.target.entity else (a, b)
            return self._binary(p, a.target, part, whole, "ratio", cross=True)
        if op == ops.TIMES:
            return self._binary(p, a.target, a, b, "times", cross=True)
        if op == ops.SUM:
            return self._many(p, a.target, [a, b], "sum", cross=True)
        return self._binary(p, a.target, a, b, "difference", cross=True)

    # -- arithmetic and wording ---------------------------------------------------------------
    def _binary(self, p: Parsed, t: Target, a: Measure, b: Measure, kind: str, cross: bool = False) -> Answer:
        en = p.english
        va, vb = _operand(a), _operand(b)
        if a.unit != b.unit and kind in ("difference", "remaining", "growth"):
            return None
        if kind == "ratio":
            expr = f"{va} / {vb} * 100"
            unit = "%"
        elif kind == "growth":
            expr = f"({va} - {vb}) / {vb} * 100"
            unit = "%"
        elif kind == "per_unit":
            expr = f"{va} / {vb}"
            unit = f"{a.unit}/{b.unit}"
        elif kind == "times":
            expr = f"{va} / {vb}"
            unit = "倍"
        else:
            expr = f"{va} - {vb}"
            unit = a.unit
        calc = calculate(expr)
        value = round_result(calc.result, unit)
        if kind == "growth":
            shown = f"({_fig(a, False)} - {_fig(b, False)}) / {_fig(b, False)} × 100 = {_result_text(value, unit, False)}"
        else:
            shown = f"{_fig(a, False)} {'/' if kind in ('ratio', 'times', 'per_unit') else '-'} {_fig(b, False)}" + \
                (" × 100" if kind == "ratio" else "") + f" = {_result_text(value, unit, False)}"
        calc = Calculation(expr, calc.result, shown)
        la, lb = _side(a, cross, en, self.kb), _side(b, cross, en, self.kb)
        cites = citations_for([a, b], self.kb)
        if kind in _TWO_FIGURE_TEXT:
            text = _TWO_FIGURE_TEXT[kind][0 if en else 1].format(
                la=la, lb=lb, a=_fig(a, en), b=_fig(b, en), shown=shown, b_unit=b.unit,
                times=_result_text(value, "倍", en))
        else:
            diff = abs(value)
            word_en = "more" if value > 0 else "less" if value < 0 else "the same"
            word = "多" if value > 0 else "少" if value < 0 else "持平"
            if en:
                text = (f"{la} is {_fig(a, en)}; {lb} is {_fig(b, en)}. Difference: {shown}, i.e. "
                        f"{_result_text(diff, unit, en)} {word_en}." if value != 0 else
                        f"{la} is {_fig(a, en)} and {lb} is {_fig(b, en)}: no change ({shown}).")
            else:
                text = (f"{la}为 {_fig(a, en)}，{lb}为 {_fig(b, en)}。差额：{shown}，即前者比后者{word} "
                        f"{_result_text(diff, unit, en)}。" if value != 0 else
                        f"{la}为 {_fig(a, en)}，{lb}为 {_fig(b, en)}，两者相同，没有变化（差额 {shown}）。")
        if not cross:
            text = _source_prefix(t, en, self.kb) + text
        return Answer(text=text, value=value, unit=unit, calculation=calc, citations=cites, language=p.language)

    def _many(self, p: Parsed, t: Target, measures: list[Measure], kind: str, cross: bool = False) -> Answer:
        en = p.english
        unit = measures[0].unit
        items = [f"{_side(m, cross, en, self.kb)} {_fig(m, en)}" for m in measures]
        cites = citations_for(measures, self.kb)
        if kind == "list":
            text = ("; ".join(items) + "." if en else "；".join(items) + "。")
            if not cross:
                text = _source_prefix(t, en, self.kb) + text
            return Answer(text=text, value=measures[0].value, unit=unit, citations=cites, language=p.language)
        if kind == "compare":
            ordered = sorted(measures, key=lambda m: m.value, reverse=p.intent.descending)
            top = ordered[0]
            word = ("highest" if p.intent.descending else "lowest") if en else ("最高" if p.intent.descending else "最低")
            if en:
                text = f"{'; '.join(items)}. The {word} is {_side(top, cross, en, self.kb)}: {_fig(top, en)}."
            else:
                text = f"{'；'.join(items)}。{word}的是{_side(top, cross, en, self.kb)}，{_fig(top, en)}。"
            return Answer(text=text, value=top.value, unit=unit, citations=cites, language=p.language)
        expr = " + ".join(_operand(m) for m in measures)
        calc = calculate(expr)
        value = round_result(calc.result, unit)
        shown = " + ".join(_fig(m, False) for m in measures) + f" = {_result_text(value, unit, False)}"
        calc = Calculation(expr, calc.result, shown)
        if en:
            text = f"{'; '.join(items)}. Total: {shown}."
        else:
            text = f"{'；'.join(items)}。合计：{shown}。"
        if not cross:
            text = _source_prefix(t, en, self.kb) + text
        return Answer(text=text, value=value, unit=unit, calculation=calc, citations=cites, language=p.language)

    # -- refusals -----------------------------------------------------------------------------
    def _secret(self, p: Parsed, plan: Plan) -> Answer | None:
        for t in plan.targets:
            for v in self.kb.doc_views(t.doc.doc_id):
                if v.prose and re.search(r"涉密", v.fact.quote) and v.fact.unit in ("万元", "元"):
                    if any(_close_amount(v, fig) for fig in p.figures) or not p.figures:
                        en = p.english
                        label = v.fact.row
                        amount = fmt_value(v.fact.value, v.fact.unit, v, en)
                        text = (f"The documents do not disclose what this project is for: {source_phrase(t, en, self.kb)} "
                                f"only says that “{label}” ({amount}) is a classified (涉密) project whose content is not "
                                f"published (不予公开)." if en else
                                f"文件未公开该项目的具体内容和用途：{source_phrase(t, en, self.kb)}只说明“{label}”"
                                f"（{amount}）为涉密项目，根据相关工作要求不予公开，因此无法回答钱具体花在哪里。")
                        return Answer(text=text, refusal=True, citations=[cite(v, self.kb)], language=p.language)
        return None

    def _why(self, p: Parsed, plan: Plan) -> Answer | None:
        """为什么 / 原因: quote the sentence in which the document gives its reason."""
        core = re.sub(r"为什么|为何|原因|怎么|why|reason", " ", p.topic, flags=re.I)
        terms = self.resolver.terms(core)
        about_total = is_total_topic(re.sub(r"为|减少|增加|下降|增长|变化|了|会", " ", core))
        best, best_score = None, 0.0
        for t in plan.targets[:3]:
            doc = self.kb.documents.get(t.doc.doc_id)
            if doc is None:
                continue
            for n, line in enumerate(doc.lines, 1):
                if "原因" not in line or "\t" in line:
                    continue
                bg = {line[i:i + 2] for i in range(len(line) - 1)}
                hit = sum(u.weight for u in terms.units if any(a and a <= bg for a in u.alts))
                total = sum(u.weight for u in terms.units) or 1.0
                score = hit / total
                if about_total or re.search(r"部门预算|总预算|整体|收支", p.topic):
                    score += 0.6 if re.search(r"收支|总体|部门预算", line) else 0.0
                if score > best_score:
                    best, best_score = (t, n, line.strip()), score
        if best is None or best_score < 0.34:
            en = p.english
            docs = "、".join(dict.fromkeys(source_phrase(t, en, self.kb) for t in plan.targets[:3]))
            return Answer(text=(f"The documents ({docs}) give no reason for this." if en else
                                f"文件中没有找到对此的原因说明（已查{docs}）。"), refusal=True, language=p.language)
        t, n, line = best
        reason = line[line.index("原因"):] if "原因" in line else line
        reason = re.split(r"(?<=[。])", reason)[0][:300]
        en = p.english
        f = self.kb.documents[t.doc.doc_id]
        citation = Citation(doc=t.doc.doc_id, org=t.doc.org, year=t.doc.year, kind=t.doc.kind, table="", row="",
                            line=n, quote=f.lines[n - 1])
        text = (f"{source_phrase(t, en, self.kb)} gives this reason (quoted): “{reason}”" if en else
                f"{source_phrase(t, en, self.kb)}给出的原因是：“{reason}”")
        return Answer(text=text, citations=[citation], language=p.language)

    def _not_found(self, p: Parsed, plan: Plan) -> Answer:
        en = p.english
        docs = list(dict.fromkeys(source_phrase(t, en, self.kb) for t in plan.targets))
        what = p.topic or p.text
        if en:
            text = (f"The documents do not contain this figure: nothing in {', '.join(docs)} matches “{what}” "
                    f"closely enough to be an answer.")
        else:
            text = f"文件中没有找到“{what}”的具体数字（已查{'、'.join(docs)}），无法回答。"
        note, views = self._what_is_there(p, plan)
        answer = self._refuse(p, None, None, text=text + note)
        answer.citations = [cite(v, self.kb) for v in views]
        return answer

    def _what_is_there(self, p: Parsed, plan: Plan) -> tuple[str, list[FactView]]:
        """What the documents do contain instead: the item in another document of the same organisation, when
        the pinned year or kind lacks it (2024年预算执行率 -> the 2020 final accounts print one)."""
        if not p.topic or is_total_topic(p.topic) or not plan.targets or p.intent.operation != ops.LOOKUP:
            return "", []
        en = p.english
        tried = {(t.doc.doc_id, t.entity) for t in plan.targets}
        wider = replace(p, kind=KindHint(), years=Years()) if p.orgs.explicit else None
        others = [t for t in (plan_targets(wider, self.kb.catalog, self.doc_years).targets if wider else [])
                  if (t.doc.doc_id, t.entity) not in tried]
        found = [m for t in others[:4] for m in [self._find(p, t, p.topic)]
                 if m is not None and m.calculation is None and not m.approximate and m.label_cov >= NEAR_MATCH]
        if found:
            items = [f"{source_phrase(m.target, en, self.kb)}: {describe_measure(m, en, self.kb)} "
                     f"{fmt_value(m.value, m.unit, m.primary, en)}" if en else
                     f"{source_phrase(m.target, en, self.kb)}中，{describe_measure(m, en, self.kb)}为 "
                     f"{fmt_value(m.value, m.unit, m.primary, en)}" for m in found[:2]]
            return ((f" Other documents of the same organisation do print it — {'; '.join(items)}." if en else
                     f"同一单位的其他文件中有这一项：{'；'.join(items)}。"), [m.primary for m in found[:2]])
        return "", []

    def _refuse(self, p: Parsed, zh: str | None, en: str | None, text: str | None = None) -> Answer:
        body = text or (en if p.english else zh) or ""
        summary = corpus_summary(self.kb, p.english)
        tail = f" The corpus contains: {summary}." if p.english else f"现有文件包括：{summary}。"
        if p.english and text is None:
            body = body[0].upper() + body[1:] if body else body
        return Answer(text=(body + ("\n" if not p.english else "") + tail).strip(), refusal=True, language=p.language)


# -- helpers -------------------------------------------------------------------------------------
def _distance(key: str, label: str, start: int, end: int) -> int:
    """Characters between a label's nearest occurrence in the text and a figure at [start, end)."""
    best, i = len(key), key.find(label)
    while i >= 0:
        j = i + len(label)
        best = min(best, start - j if j <= start else i - end if i >= end else 0)
        i = key.find(label, i + 1)
    return best


def _every_calculation(answers) -> list[Calculation]:
    """The calculations of answers merged into one (one per document or part), in order, each once: every
    calculated figure the merged text shows stays traceable to its calculation."""
    out: list[Calculation] = []
    for a in answers:
        out += [c for c in a.all_calculations() if c not in out]
    return out


def _earlier_year_note(t: Target, english: bool) -> str:
    """A figure of a year no document covers, printed for comparison in a later document: say so."""
    kind_en = "final accounts (决算)" if t.doc.kind == "决算" else "budget (预算)"
    if english:
        return (f" The corpus has no {t.ref_year} document; this is the {t.ref_year} figure that the {t.doc.year} "
                f"{kind_en} prints for comparison.")
    return f"（文件中没有{t.ref_year}年的部门{t.doc.kind}；这是{t.doc.year}年部门{t.doc.kind}中作为对比列出的{t.ref_year}年数。）"


def _main_clause(q: str) -> tuple[str, str]:
    """"…少了很多，那2023年的年初预算总额是多少？" -> (the last clause, the context before it)."""
    m = list(re.finditer(r"[，,；;。]\s*(?=那么?|那其中|所以|so\b|then\b)", q))
    if m:
        cut = m[-1]
        return q[cut.end():], q[:cut.start()]
    return q, ""


def _earlier_year_side(p: Parsed) -> int | None:
    """比上年 / 较2023年 against a document year: the earlier year compared with."""
    m = re.search(r"(?:比|较|与|相比|compared (?:with|to)|than|versus|vs\.?)\s*(上年|上一年|去年|last year|the previous year|"
                  r"(?:19|20)\d\d\s*年?)", p.text, re.I)
    if not m:
        return None
    digits = re.sub(r"\D", "", m.group(1))
    if digits:
        return int(digits)
    return (p.years.years[0] - 1) if p.years.years else 0


def _common_org(targets: list[Target], years: list[int]) -> str | None:
    by_year = [{t.org for t in targets if t.year == y} for y in years]
    common = set.intersection(*by_year) if by_year else set()
    return sorted(common)[0] if len(common) == 1 else (next(iter(common)) if common else None)


def _prefer_whole(cands: list[Target]) -> Target:
    return sorted(cands, key=lambda t: (t.ref_year is not None, t.entity is not None and t.entity != t.org))[0]


def _strip_cross_words(topic: str) -> str:
    t = re.sub(r"比.*?(?:多|少|高|低|增加|减少|增长|下降|大|小)(?:了)?|相比|有变化|变化|变动|增减|相差|差额|差多少|哪(?:个|家|一家)\S*|最高|最多|"
               r"最大|最低|最少|的?几倍|多少倍|这?[三四五两二几]家(?:单位|部门|机构)?|这几家|分别|各自|占了?|多大|比重|比例|"
               r"谁的?|largest|biggest|most|least|smallest|of the \d{4} budgets|budgets|"
               r"百分之\S*|占比|\bhow many times\b|\btimes\b|\bas an? (?:share|percentage|proportion) of\b|\bshare of\b|"
               r"\bpercentage of\b|\bproportion of\b|\bbigger\b|\bgreater\b|\bdifference between\b|"
               r"how much|larger|smaller|more|less|than|compar\w*|higher|lower|which|highest|lowest|\bor\b|、", " ", topic,
               flags=re.I)
    return re.sub(r"\s+", " ", t).strip()


def _operand(m: Measure) -> str:
    value = m.calculation.result if m.calculation is not None else m.value
    if m.calculation is not None:
        value = round_result(value, m.unit)
    return plain(value)


def _fig(m: Measure, english: bool) -> str:
    if m.calculation is not None:
        return fmt_value(round_result(m.calculation.result, m.unit), m.unit, None, english)
    return fmt_value(m.value, m.unit, m.primary, english)


def _source_prefix(t, english: bool, kb) -> str:
    """'From <document> (<kind>): ' / '据<document>（<kind>）：' before an answer from one document."""
    if english:
        return f"From {source_phrase(t, english, kb)} ({kind_clause(t, english)}): "
    return f"据{source_phrase(t, english, kb)}（{kind_clause(t, english)}）："


def _result_text(value: Decimal, unit: str | None, english: bool) -> str:
    return fmt_value(value, unit, None, english)


def _side(m: Measure, cross: bool, english: bool, kb) -> str:
    what = describe_measure(m, english, kb)
    if not cross:
        return what
    t = m.target
    src = source_phrase(t, english, kb)
    year = t.ref_year or t.doc.year
    if english:
        return f"{what} in {src}" + (f" (for {year})" if t.ref_year else "")
    return f"{src}{'（' + str(year) + '年）' if t.ref_year else ''}{what}"


def _label_zh(m: Measure) -> str:
    return m.label if m.label else "该项"


def _shown(calc: Calculation, views, unit) -> str:
    return f"{calc.expression} = {fmt_value(round_result(calc.result, unit), unit)}"


def _purpose_words(purpose: str) -> str:
    """A stated purpose as shown: its clauses up to the first one carrying a number (a figure shown must be cited)."""
    kept = ""
    for clause in re.split(r"(?<=[，,；;。])", purpose.strip()):
        if re.search(r"\d", clause) or len(kept) + len(clause) > 80:
            if not kept and not re.search(r"\d", clause):
                kept = clause[:80] + "…"
            break
        kept += clause
    return kept.rstrip("，,；;。 ")


def _close_amount(v, fig) -> bool:
    value, unit = fig
    if unit == v.fact.unit:
        return v.fact.value == value
    return False


__all__ = ["BuiltinAgent", "replace"]
