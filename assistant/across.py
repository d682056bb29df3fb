"""Questions over several documents or organisations: one answer per target, merged; the same item
compared across documents."""
from __future__ import annotations

import re
from dataclasses import replace

from assistant import intent as ops
from assistant.compose import source_phrase
from assistant.model import Answer
from assistant.planning import Plan, plan_targets
from assistant.question import Parsed
from assistant.resolve import Measure, Target
from assistant.timeframe import KindHint
from assistant.helpers import _every_calculation, _common_org, _prefer_whole, _strip_cross_words


class AcrossMixin:
    """Methods of assistant.agent.BuiltinAgent (self.kb, self.resolver and the other stages)."""

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
            merged = self._with_notes(answers[0][1], plan, p)
        else:
            merged = self._merge(p, answers, plan)
        return self._note_unanswered(p, plan, answers, merged)

    def _note_unanswered(self, p: Parsed, plan: Plan, answers: list, merged: Answer) -> Answer:
        """江门和漳州…各减少了多少, with only 江门's stated: an organisation the question names but no figure was
        found for is said to be missing, not left out silently."""
        named = set(p.orgs.orgs)
        if len(named) < 2:
            return merged
        found = {t.org for t, _ in answers}
        years = set(p.years.years) or {t.year for t, _ in answers}
        missing = [t for t in plan.targets[:6] if t.org in named and t.org not in found and t.year in years]
        for t in {t.org: t for t in missing}.values():
            where = source_phrase(t, p.english, self.kb)
            merged.text += (f"\n(No matching figure was found in {where}.)" if p.english else
                            f"\n（{where}中没有找到对应的数字。）")
        return merged

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
        if op == ops.DIFFERENCE and a.target.year < b.target.year and (p.intent.percent or \
                re.search(r"变化|变动|增减|change|between|from \d{4} to", p.text, re.I)):
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
        return self._binary(p, a.target, a, b, "growth" if p.intent.percent else "difference", cross=True)
