"""Arithmetic over ranked operands, every step through the calculator: shares, times, differences,
changes versus an earlier year (percent change = (new - old) / old), per unit, remaining, sums."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from assistant import intent as ops
from assistant.changewords import CUT, CUT_RAISE_EN, RAISE
from assistant.compose import citations_for, cite, describe_measure, fmt_value, kind_clause, source_phrase
from assistant.model import Answer
from assistant import pairing
from assistant.operands import (inherit_subject, split_difference, split_items, split_ratio, split_times,
                                strip_ratio_words)
from assistant.question import Parsed, is_total_topic
from assistant.matching import MONEY_UNITS
from assistant.resolve import ACCEPT, Measure, Target, display_label
from assistant.siblings import every_topic, sibling_rows, stated_total
from assistant.text import norm
from assistant.views import TOTAL_ROW, FactView
from assistant.helpers import _earlier_year_side, _fig, _source_prefix


_STAGED = re.compile(r"实际|执行|决算|调整|年初|完成|actual|spent|executed", re.I)   # 实际支出相当于全年预算: stages of one item
_TOTAL_TAIL = re.compile(r"(?:的)?(?:预算|决算)?(?:总额|总计|合计|总数|总量|总规模|总支出|总预算)\s*$|"
                         r"^\s*(?:the )?(?:total|overall|whole)\s+|\s+(?:total|overall)\s*$", re.I)


class ComputeMixin:
    """Methods of assistant.agent.BuiltinAgent (self.kb, self.resolver and the other stages)."""

    def _ratio(self, p: Parsed, t: Target) -> Answer | None:
        split = split_ratio(p.topic)
        if not split:
            return self._usage_ratio(p, t)
        part_topic, whole_topic = split
        if whole_topic and not _STAGED.search(part_topic) and \
                is_total_topic(re.sub(r"全年|年度|本年|当年|\b(?:annual|yearly|this year's)\b", "", whole_topic)):
            whole_topic = "部门预算"      # 占全年预算的比例 / share of the year's spending: the department's total
        core = _TOTAL_TAIL.sub("", whole_topic or "").strip()
        if core and core != whole_topic.strip() and not is_total_topic(core):
            whole_topic = core            # 占政府采购预算总额的比例: the whole is the named section, its total
        if whole_topic:
            part_topic, whole_topic = inherit_subject(part_topic, whole_topic)
        whole = self._find(p, t, whole_topic or "部门预算", unit_hint=None) if (whole_topic and not is_total_topic(
            whole_topic)) else (self.resolver.total(t) if not t.ref_year else None)
        # the part is of the whole's kind: money of money, people of people
        part = self._find(p, t, part_topic, context=whole_topic if not is_total_topic(whole_topic) else "",
                          unit_hint=whole.unit if whole is not None and whole.unit in MONEY_UNITS else None)
        if whole is not None and whole_topic and not is_total_topic(whole_topic) and part is not None:
            alt = self._find(p, t, whole_topic, context=part_topic, unit_hint=None)
            if alt is not None and alt.score > whole.score and alt.value != part.value:
                whole = alt
        if part is None or whole is None or whole.value == 0:
            return None
        whole = self._whole_beside(p, t, part, whole, whole_topic) or whole
        if part.primary is whole.primary or part.value == whole.value and part.primary.fact.line == whole.primary.fact.line:
            return None
        if not re.search(r"基本|项目", whole.primary.fact.table):    # a basic-table total keeps the basic part
            part = self._item_whole(p, part)
        return self._binary(p, t, part, whole, "ratio")

    def _whole_beside(self, p: Parsed, t: Target, part: Measure, whole: Measure, whole_topic: str) -> Measure | None:
        """A part stated in a sentence: the whole of the same kind stated in that sentence ("生育费用报销业务网上
        申请预审30808宗，完成预审核30492宗"), when the question's name for the whole fits it."""
        whole_already_beside = whole.primary.prose and pairing.same_sentence(part.primary, whole.primary)
        if not part.primary.prose or whole_already_beside or not whole_topic:
            return None
        beside = {w.idx for w in self.kb.doc_views(t.doc.doc_id) if w.prose and w.change is None and w is not part.primary
                  and w.fact.unit == part.unit and pairing.same_sentence(part.primary, w)}
        ranked = [s for s in self.resolver.rank(t, self._ask(p, whole_topic, unit_hint=None)) if s.view.idx in beside]
        if not ranked or ranked[0].score < ACCEPT - 0.1:
            return None
        return self._measure_of(ranked[0].view, t, ranked[0].score)

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
        topic = split[0] if split else self._change_topic(p.topic)
        context = ""
        if p.container:                  # 三公经费里头，公车的钱比上年少了多少: the change of the item inside
            topic, context = self._change_topic(p.container[0]), p.container[1]
        earlier = _earlier_year_side(p) or t.doc.year - 1
        if earlier >= t.doc.year:
            return None
        target = replace(t, ref_year=earlier)
        want_pct = p.unit_hint == "%" or p.intent.percent
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
        base_unit = p.unit_hint if p.unit_hint not in ("%", "倍") else None    # 公车的钱: money, not the cars
        now = self._find_then_within(p, t, topic, context, base_unit)
        stated = self._stated_change(now, earlier, want_pct) if now is not None else None
        if stated is not None:                # the document's own statement, quoted rather than recomputed
            return self._change_answer(p, now, stated, earlier)
        if now is None:
            return None
        before = self._find_then_within(p, target, topic, context, base_unit)
        if before is None:
            return None
        return self._binary(p, t, now, before, "growth" if want_pct else "difference", cross=True)

    def _find_then_within(self, p: Parsed, t: Target, topic: str, context: str, unit: str | None) -> Measure | None:
        """The item by its own words; failing that, as part of the item it lies within (context)."""
        return self._find(p, t, topic, unit_hint=unit) or \
            (self._find(p, t, topic, context=context, unit_hint=unit) if context else None)

    @staticmethod
    def _change_topic(topic: str) -> str:
        """The item whose change is asked, the change words taken out."""
        return re.sub(rf"比上年|较上年|比去年|上年|去年|增长|增加|减少|下降|降低|上升|{CUT}|{RAISE}|"
                      r"[降涨升]|[少多](?=\s*$)|变化|了|"
                      r"多少|百分之几|百分之多少|几个百分点|百分比|百分点|幅度|[涨增降]幅|增长率|增速|"
                      r"\b(?:by )?(?:what )?percent(?:age)?(?: change)?\b|"
                      rf"\b(?:fall|fell|fallen|drop(?:ped)?|rise|rose|risen|increased?|decreased?|grow|grew|grown|"
                      rf"declined?|changed?|go(?:ne)? (?:up|down)|went (?:up|down)|{CUT_RAISE_EN})\b", " ", topic).strip()

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
        count = self._units_whole(self._find(p, t, count_topic, unit_hint=unit))
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
        if len(items) >= 2 and any(re.search(r"\band\b|和|与|及|、", m.text)
                                   for m in self.kb.glossary.find(p.topic, ("term",))):
            items = [p.topic]           # "postage and telecom": one item's name, not a list of two
        compare = p.intent.operation == ops.COMPARE
        if p.intent.operation == ops.LIST:
            if len(items) < 2:
                return self._lookup(p, t)
            pairs = [(item, self._find(p, t, item, context=context, unit_hint=None)) for item in items]
            if all(m is not None for _, m in pairs):
                found = self._one_unit(p, t, items, [m for _, m in pairs], context)
                pairs = list(zip(items, self._one_table(p, t, items, found, context)))
            pairs = [(item, self._item_whole(p, m)) for item, m in pairs]
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
        strong = bool(re.search(r"加起来|合计|相加|加在一起|总和|之和|各项|合起来|汇总一下|汇总起来|add up|combined|sum",
                                p.text, re.I))
        whole = None
        if not compare and not strong:
            whole = self._find(p, t, p.topic)
            # one row naming every item (公务用车购置及运行维护费) answers it; otherwise the items are added up
            one_item = whole is not None and any(norm(whole.label) in norm(i) for i in items if norm(i))
            if whole is not None and not one_item and (not re.search(r"一共|总共|共计|total", p.text, re.I) or
                                                       all(norm(i) in norm(whole.label) for i in items)):
                return self._lookup_answer(p, whole)
        fallback = self._lookup_answer(p, whole) if whole is not None else None
        measures = []
        for item in items:
            m = self._find(p, t, item, context=context, unit_hint=None if context else "")
            if m is None:
                return None if strong or compare else fallback or self._lookup(p, t)
            measures.append(m)
        measures = self._one_unit(p, t, items, measures, context)
        measures = [self._item_whole(p, m) for m in self._one_table(p, t, items, measures, context)]
        units = {m.unit for m in measures}
        if len(units) != 1 or len({m.primary.idx for m in measures}) < len(measures):
            return fallback
        return self._many(p, t, measures, "compare" if compare else "sum")

    def _one_unit(self, p: Parsed, t: Target, items: list[str], measures: list[Measure], context: str) -> list[Measure]:
        """Items listed together are of one kind: when most are amounts, an item found as a count (公车 -> 车辆 2辆
        beside 接待费 0.68 万元) is looked for again as an amount."""
        counted = Counter(m.unit for m in measures)
        unit, n = counted.most_common(1)[0]
        if len(counted) < 2 or n * 2 <= len(measures):
            return measures
        out = []
        for item, m in zip(items, measures):
            again = self._find(p, t, item, context=context, unit_hint=unit) if m.unit != unit else None
            out.append(again if again is not None and again.unit == unit else m)
        return out

    def _one_table(self, p: Parsed, t: Target, items: list[str], measures: list[Measure], context: str) -> list[Measure]:
        """Items added up or compared come from one classification: when most were found in one table, an item
        found elsewhere (公务员医疗补助 by function, 2101103) is taken from that table too (by economic class,
        30111), the same column, if it is printed there well enough."""
        where = [(m.primary.fact.table_id, m.primary.fact.column) if m.primary.fact.source == "table"
                 and m.calculation is None else None for m in measures]
        counted = Counter(w for w in where if w is not None)
        if not counted:
            return measures
        (main, n) = counted.most_common(1)[0]
        if len(measures) == 2 and len(counted) == 2 and where[0] is not None:
            main, n = where[0], 2       # two items from two tables: the first one's classification, if printed there
        if n < 2 or n * 2 <= len(measures) or counted.get(main) == len(measures):
            return measures
        out = []
        for item, m, w in zip(items, measures, where):
            if w == main or m.calculation is not None:
                out.append(m)
                continue
            ranked = self.resolver.rank(t, self._ask(p, item, context=context, unit_hint=None))
            alt = next((s for s in ranked if s.score >= ACCEPT and s.view.fact.source == "table"
                        and (s.view.fact.table_id, s.view.fact.column) == main), None)
            out.append(self._measure_of(alt.view, t, alt.score) if alt is not None else m)
        return out

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
