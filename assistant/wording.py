"""Two-figure and many-figure answers: the calculation shown with each operand cited, worded in
the question's language."""
from __future__ import annotations

from assistant.calculator import calculate
from assistant.compose import citations_for, kind_clause, round_result
from assistant.model import Answer, Calculation
from assistant.question import Parsed
from assistant.resolve import Measure, Target
from assistant.helpers import _TWO_FIGURE_TEXT, _operand, _fig, _source_prefix, _result_text, _side


class WordingMixin:
    """Methods of assistant.agent.BuiltinAgent (self.kb, self.resolver and the other stages)."""

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
            fall = "" if kind != "growth" or value >= 0 else \
                f", i.e. a fall of {_result_text(-value, unit, en)}" if en else f"，即下降 {_result_text(-value, unit, en)}"
            text = _TWO_FIGURE_TEXT[kind][0 if en else 1].format(
                la=la, lb=lb, a=_fig(a, en), b=_fig(b, en), shown=shown, b_unit=b.unit,
                times=_result_text(value, "倍", en), fall=fall)
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
        return Answer(text=text, value=value, unit=unit, calculation=calc, citations=cites, language=p.language,
                      calculations=_operand_calculations([a, b]))

    def _many(self, p: Parsed, t: Target, measures: list[Measure], kind: str, cross: bool = False) -> Answer:
        en = p.english
        unit = measures[0].unit
        items = [f"{_side(m, cross, en, self.kb)} {_fig(m, en)}{_parts_note(m, en)}{_column_note(m, en, cross)}"
                 for m in measures]
        cites = citations_for(measures, self.kb)
        if kind == "list":
            text = ("; ".join(items) + "." if en else "；".join(items) + "。")
            if not cross:
                text = _source_prefix(t, en, self.kb) + text
            return Answer(text=text, value=measures[0].value, unit=unit, citations=cites, language=p.language,
                          calculations=_operand_calculations(measures))
        if kind == "compare":
            ordered = sorted(measures, key=lambda m: m.value, reverse=p.intent.descending)
            top = ordered[0]
            word = ("highest" if p.intent.descending else "lowest") if en else ("最高" if p.intent.descending else "最低")
            if en:
                text = f"{'; '.join(items)}. The {word} is {_side(top, cross, en, self.kb)}: {_fig(top, en)}."
            else:
                text = f"{'；'.join(items)}。{word}的是{_side(top, cross, en, self.kb)}，{_fig(top, en)}。"
            return Answer(text=text, value=top.value, unit=unit, citations=cites, language=p.language,
                          calculations=_operand_calculations(measures))
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
        return Answer(text=text, value=value, unit=unit, calculation=calc, citations=cites, language=p.language,
                      calculations=_operand_calculations(measures))


def _operand_calculations(measures: list[Measure]) -> list[Calculation]:
    """The calculations behind operands that are themselves calculated (an item's two parts added, an earlier
    year derived from a change): shown with the answer so every figure it prints is traceable."""
    return [m.calculation for m in measures if m.calculation is not None]


def _column_note(m: Measure, english: bool, cross: bool) -> str:
    """"（决算中列示的预算数）" after an item whose column is not what the answer's heading says (the budget
    column of final accounts, listed beside the amount spent)."""
    own = kind_clause(m.target, english, m)
    if cross or own == kind_clause(m.target, english):
        return ""
    return f" ({own})" if english else f"（{own}）"


def _parts_note(m: Measure, english: bool) -> str:
    """"（基本支出 2.50 万元 + 项目支出 4.10 万元）" after an item counted whole from its two printed parts."""
    if m.calculation is None or len(m.parts) != 2:
        return ""
    basic, project = (_fig(x, english) for x in m.parts)
    return f" (basic {basic} + project {project})" if english else f"（基本支出 {basic} + 项目支出 {project}）"
