"""One figure for one subject phrase in one target: the fitted ranker picks it (resolve.Resolver),
this stage turns it into an answer with its citations, near-match caveats and breakdowns."""
from __future__ import annotations

import re

from assistant.calculator import calculate, plain
from assistant.compose import citations_for, describe_measure, fmt_value, kind_clause, round_result, source_phrase
from assistant.model import Answer, Calculation
from assistant import pairing
from assistant.question import Parsed, is_total_topic
from assistant.resolve import ACCEPT, Ask, Measure, Target, display_label
from assistant.text import bigrams
from assistant.matching import MONEY_UNITS
from assistant.operands import BOTH_KINDS
from assistant.views import TOTAL_ROW, FactView
from assistant.helpers import (_PROJECT_WORD, CONTAINED, NEAR_MATCH, _earlier_year_note, _fig, _label_zh, _shown,
                               _purpose_words)


_BUDGET_ASKED = re.compile(r"预算数|年初|调整|全年|budget", re.I)
_BUDGET_COLUMN = re.compile(r"(?<!一般公共)(?<!部门)(?<!年)(?<!年度)预算数")   # not 2024年预算数: a year's budget


COLUMN_SHARE = 0.6
_SUBTOTAL = re.compile(r"小计|合计|总计")


def _summed(m: Measure, parts: list[Measure], keep_parts: bool) -> Measure:
    """m counted whole as the sum of its parts, through the calculator; keep_parts: the parts are basic and
    project spending, worded as such."""
    expr = " + ".join(plain(x.value) for x in parts)
    calc = calculate(expr)
    total = round_result(calc.result, m.unit)
    shown = " + ".join(_fig(x, False) for x in parts) + f" = {fmt_value(total, m.unit, None, False)}"
    return Measure(total, m.unit, m.label, m.column, [w for x in parts for w in x.views], m.target, m.score,
                   calculation=Calculation(expr, calc.result, shown), parts=parts if keep_parts else [])


class LookupMixin:
    """Methods of assistant.agent.BuiltinAgent (self.kb, self.resolver and the other stages)."""

    # -- operations inside one target ---------------------------------------------------------
    def _ask(self, p: Parsed, topic: str, context: str = "", unit_hint: str | None = "") -> Ask:
        unit = p.unit_hint if unit_hint == "" else unit_hint
        terms = self.resolver.terms(topic, p.quoted, p.codes, context, money=unit in MONEY_UNITS)
        return Ask(terms, unit, p.figures,
                   whole_unit=p.whole_unit and not _PROJECT_WORD.search(topic))

    def _find(self, p: Parsed, t: Target, topic: str, context: str = "", unit_hint: str | None = "",
              accept: float = ACCEPT) -> Measure | None:
        if is_total_topic(topic) and not context:
            m = self.resolver.previous(t, self._ask(p, topic), total=True) if t.ref_year else self.resolver.total(t)
            return m
        if t.doc.kind == "决算" and len(p.years.years) <= 1 and not _BUDGET_ASKED.search(topic) and \
                (p.kind.explicit and p.kind.kind == "预算" or _BUDGET_COLUMN.search(p.text)):
            topic = f"{topic} 预算数"      # 预算 asked of final accounts: their budget column (预算数), not 决算数
        ask = self._ask(p, topic, context, unit_hint)
        if t.ref_year:
            return self.resolver.previous(t, ask)
        return self.resolver.measure(t, ask, accept)

    def _lookup(self, p: Parsed, t: Target) -> Answer | None:
        m = self._find(p, t, p.topic, context=p.context_topic) if p.context_topic else None
        m = m or self._find(p, t, p.topic)
        cell = self._column_of_row(p, t, *p.container) if p.container else None
        if cell is not None:
            m = cell                          # "A项目3,871万元中，上年结余结转安排了多少": B is a column of A's row
        elif p.container and (m is None or m.query_cov < CONTAINED):
            inner, outer = p.container        # the whole phrase explains little: the item inside A
            m = self._find(p, t, inner, context=outer) or m
        if m is not None and isinstance(p.stated, FactView) and (p.context_topic or p.stated.prose):
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
        if anchor.fact.doc_id != t.doc.doc_id or not anchor.prose or t.ref_year:
            return m
        # the figure may be printed in several sentences (a summary table's row and the report's paragraph)
        anchors = [anchor] + [w for w in self.kb.doc_views(t.doc.doc_id) if w.prose and w is not anchor
                              and w.fact.value == anchor.fact.value and w.fact.unit == anchor.fact.unit]
        if any(pairing.same_sentence(a, m.primary) for a in anchors):
            return m
        ranked = self.resolver.rank(t, self._ask(p, p.topic, p.context_topic))
        changes = bool(pairing.CHANGE_CUE.search(p.text))
        beside = [s for s in ranked if s.score >= ACCEPT and s.view not in anchors and s.view.fact.unit == m.unit
                  and (s.view.change is None or changes) and any(pairing.same_sentence(a, s.view) for a in anchors)]
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

    def _column_of_row(self, p: Parsed, t: Target, inner: str, outer: str) -> Measure | None:
        """The cell of A's row (in any table printing A with the same figure) whose column header the inner phrase
        names (at least COLUMN_SHARE of the header's character pairs); None when no such column is named."""
        row = self._find(p, t, outer)
        if row is None or row.calculation is not None:
            return None
        v = row.primary
        views = self.kb.doc_views(v.fact.doc_id)
        same = re.sub(r"\s", "", v.label)
        rows = {(w.fact.table_id, w.fact.line) for w in views if not w.prose and w.fact.value == v.fact.value
                and re.sub(r"\s", "", w.label) == same}      # the row, and the same row printed in other tables
        pairs = set(bigrams(inner))
        best, share, name = None, 0.0, ""
        for w in views:
            if w.prose or w.fact.value == v.fact.value or (w.fact.table_id, w.fact.line) not in rows \
                    or not w.fact.column:
                continue
            levels = [c for c in w.fact.column if not _SUBTOTAL.fullmatch(c.strip())]
            header = set(bigrams(levels[-1])) if levels else set()
            got = len(header & pairs) / len(header) if header else 0.0
            if got > share:
                best, share, name = w, got, levels[-1]
        if best is None or share < COLUMN_SHARE:
            return None
        return Measure(best.fact.value, best.fact.unit, display_label(best), name, [best], t, row.score)

    def _measure_of(self, v: FactView, t: Target, score: float) -> Measure:
        return Measure(v.fact.value, v.fact.unit, display_label(v), "", [v], t, score)

    def _units_sum(self, p: Parsed, m: Measure) -> Answer | None:
        """A consolidated (汇总) document asked as a whole, whose table gives the figure per unit with no total
        row: the units' figures added up."""
        parts = self._unit_parts(m)
        if parts is None:
            return None
        answer = self._many(p, m.target, parts, "sum")
        units = "、".join(x.primary.entity or x.primary.fact.entity for x in parts)
        answer.text += (f" The consolidated document lists this per unit ({units}) without a total; the total is "
                        f"their sum." if p.english else f"（汇总文件按单位分列（{units}），未列合计，合计为各单位之和。）")
        return answer

    def _units_whole(self, m: Measure | None) -> Measure | None:
        """An operand (人员经费 per 在职人数) of a consolidated document asked as a whole, printed per unit with no
        total: the units' sum, through the calculator (144 + 98 + 51 = 293)."""
        parts = self._unit_parts(m) if m is not None else None
        return m if parts is None else _summed(m, parts, keep_parts=False)

    def _unit_parts(self, m: Measure) -> list[Measure] | None:
        """Each unit's row of the figure, when a consolidated document asked as a whole prints it per unit only."""
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
        return [Measure(w.fact.value, w.fact.unit, display_label(w), m.column, [w], t, m.score)
                for w in per_unit.values()]

    def _item_parts(self, p: Parsed, m: Measure) -> list[Measure] | None:
        """An economic item (30xxx) printed both in the basic-expenditure table and in the project-expenditure
        table, with no table giving it whole: its two parts, basic first."""
        v = m.primary
        code = v.fact.row_code or ""
        if m.calculation is not None or v.fact.source != "table" or not re.fullmatch(r"3\d{4}", code) or \
                re.search(r"基本|项目|basic|project", p.text, re.I) and not BOTH_KINDS.search(p.text):
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
        return parts[::-1] if here == "项目" else parts

    def _item_whole(self, p: Parsed, m: Measure | None) -> Measure | None:
        """An operand of a sum, share or difference that is printed in two parts counts whole: basic + project,
        through the calculator (办公费 6.50 + 0.80 = 7.30)."""
        parts = self._item_parts(p, m) if m is not None else None
        return m if parts is None else _summed(m, parts, keep_parts=True)

    def _split_item(self, p: Parsed, m: Measure) -> Answer | None:
        """An item printed in the basic and in the project table: both parts and their sum."""
        parts = self._item_parts(p, m)
        if parts is None:
            return None
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
            text = f"In {src}, {what} is {value_text} ({kind_clause(t, en, m)})."
        else:
            text = f"据{src}，{what}为 {value_text}（{kind_clause(t, en, m)}）。"
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
