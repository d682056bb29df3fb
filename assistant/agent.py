"""The built-in agent: understand the question, rank the facts in scope with the fitted ranker,
decide whether to answer, compute with the calculator, compose a cited answer. No LLM involved.

Each stage is its own module: understand.py (the request), resolve.py + ranker.py (which fact), decide.py
(when we refuse), compute.py (arithmetic), across.py (several documents), lookup.py / wording.py (answers)."""
from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

from assistant import intent as ops
from assistant.changewords import CHANGE_WORDS
from assistant.calculator import CalculatorError, calculate, plain
from assistant.compose import cite, fmt_value, kind_clause, round_result, source_phrase
from assistant.knowledge import Knowledge
from assistant.model import Answer, Calculation
from assistant.followup import split_questions
from assistant import rowfilter
from assistant.operands import split_difference, split_items
from assistant.planning import Plan, plan_targets
from assistant.ranker import Ranker
from assistant.question import Parsed, is_total_topic, mark_enumeration, spell_out_ratio
from assistant.statement import asks_party, asks_property
from assistant.resolve import Resolver, Target, display_label
from assistant.text import nfkc
from assistant.timeframe import Years
from assistant.views import FactView
from assistant.helpers import _every_calculation, _earlier_year_side
from assistant.understand import UnderstandMixin
from assistant.decide import DecideMixin
from assistant.lookup import LookupMixin
from assistant.compute import ComputeMixin
from assistant.across import AcrossMixin
from assistant.wording import WordingMixin


class BuiltinAgent(UnderstandMixin, DecideMixin, LookupMixin, ComputeMixin, AcrossMixin, WordingMixin):
    def __init__(self, kb: Knowledge, ranker: Ranker | None = None):
        self.kb = kb
        self.resolver = Resolver(kb, ranker)
        self.doc_years: dict[str, set[int]] = {}
        self._by_value: dict[Decimal, list[FactView]] | None = None     # figures with a specific label, by value
        for v in kb.views:
            self.doc_years.setdefault(v.fact.doc_id, set()).update(v.years)
        for d in kb.catalog.docs:
            self.doc_years.setdefault(d.doc_id, set()).add(d.year)
        self.text_groups = rowfilter.text_groups(kb.tables)

    # -- entry point --------------------------------------------------------------------------
    def answer(self, question: str, history: list[dict] | None = None, filters: dict | None = None) -> Answer:
        question = mark_enumeration(self.kb.homophones.correct(nfkc(question)))   # 住房公基金 -> 住房公积金
        self.resolver.search(question, history)
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
        p = self.understand(spell_out_ratio(question), history, filters)
        try:
            answer = self._answer(p)
            if answer.refusal:
                answer = self._by_bracketed_name(p) or self._without_brackets(p) or answer
            if p.intent.why and not answer.refusal and answer.value is not None:
                plan = plan_targets(p, self.kb.catalog, self.doc_years)
                answer = self._answer_with_reason(p, plan, answer)
            return answer
        except CalculatorError as exc:        # never expected: every expression is built from figures
            return self._refuse(p, f"计算失败：{exc}", f"the calculation failed: {exc}")

    def _by_bracketed_name(self, p: Parsed) -> Answer | None:
        """"把业务外包给第三方做（委托业务）要花多少": when the question's own words find nothing, the printed
        name it gives in brackets is the item asked."""
        if p.english or not p.bracketed or p.intent.operation != "lookup":
            return None
        topic = " ".join(p.bracketed)
        answer = self._answer(replace(p, topic=topic, quoted=p.quoted + p.bracketed, total_topic=is_total_topic(topic)))
        return None if answer.refusal else answer

    def _without_brackets(self, p: Parsed) -> Answer | None:
        """"basic (day-to-day running) expenditure": when the words with a bracketed aside find nothing, the
        aside explains the item to the reader; the words without it are the item."""
        asides = _ASIDE.findall(p.text)
        if not asides or any(_WHO_OR_WHEN.search(a) or self.kb.orgs.detect(a).explicit for a in asides):
            return None                 # "(the bureau proper)", "(2023年)": the aside says whose or when
        topic = re.sub(r"\s+", " ", _ASIDE.sub(" ", p.topic)).strip()
        if not topic or topic == p.topic.strip():
            return None
        answer = self._answer(replace(p, topic=topic, total_topic=is_total_topic(topic)))
        return None if answer.refusal else answer

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
        if it.secret_content or it.asks_content:
            secret = self._secret(p, plan, named=not it.secret_content)
            if secret is not None:
                return secret
        op = it.operation
        asks_figure = bool(re.search(r"多少|几|how much|how many|what is|金额", p.text, re.I))
        if asks_party(p.text):
            return self._party(p, plan)
        if asks_property(p.text):
            stated = self._property(p, plan)
            if stated is not None:
                return stated
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
        earlier = _earlier_year_side(p) if op == ops.DIFFERENCE else None
        later = [t for t in plan.targets if t.ref_year is None and t.doc.year > (earlier or 0)]
        if earlier and later and not any(t.doc.year == earlier for t in plan.targets):
            # from 2023 to 2024, with no 2023 document: the change the later document states or its year-before column
            return self._each(p, replace(plan, targets=later), self._change)
        cross = self._cross_groups(p, plan)
        if cross is None and op == ops.COMPARE and len({t.doc.doc_id for t in plan.targets}) >= 2:
            cross = [(t.org, t) for t in plan.targets if t.entity is None or t.entity == t.doc.org]
        if cross and op in (ops.DIFFERENCE, ops.RATIO, ops.TIMES, ops.COMPARE, ops.SUM):
            return self._cross(p, plan, cross) or self._not_found(p, plan)
        if op == ops.RATIO:
            return self._each(p, plan, self._ratio)
        if op == ops.TIMES:
            return self._each(p, plan, self._times)
        if op == ops.DIFFERENCE and (_earlier_year_side(p) is not None or _change_of_one(p)):
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


_ASIDE = re.compile(r"[(（][^()（）]{2,40}[)）]")
_WHO_OR_WHEN = re.compile(r"本级|汇总|局|中心|单位|预算|决算|\d{2,4}|\b(?:bureau|cent(?:er|re)|proper|itself|own|whole|"
                          r"consolidated|units?|budget|final accounts?)\b", re.I)


def _change_of_one(p: Parsed) -> bool:
    """"增幅多少" / "涨了百分之几" / "by what percent did it fall": a change of one item with no other side named
    is its change on the year before."""
    if re.search(r"比|较|相比|从.{1,24}?到|由.{1,24}?(?:到|增|减)|\b(?:than|compared|from\b.{1,40}\bto)\b", p.text, re.I):
        return False                        # the question names the other side itself
    return not split_difference(p.topic) and len(p.years.years) <= 1 and \
        bool(p.intent.percent or re.search(rf"{CHANGE_WORDS}|[涨降]了", p.text))
