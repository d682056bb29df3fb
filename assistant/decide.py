"""When we refuse, and what a refusal says: secret and personal items, reasons, items not found
(with what the documents do hold), scopes that do not exist."""
from __future__ import annotations

import re
from dataclasses import replace

from assistant import intent as ops
from assistant.compose import cite, corpus_summary, describe_measure, fmt_value, source_phrase
from assistant.model import Answer, Citation
from assistant.planning import Plan, plan_targets
from assistant.question import Parsed, is_total_topic
from assistant.timeframe import KindHint, Years
from assistant.views import FactView
from assistant.helpers import NEAR_MATCH, _close_amount
from assistant.statement import ASKS_PARTY, PARTY_WORDS, best_statement, property_words


class DecideMixin:
    """Methods of assistant.agent.BuiltinAgent (self.kb, self.resolver and the other stages)."""

    # -- refusals -----------------------------------------------------------------------------
    def _secret(self, p: Parsed, plan: Plan, named: bool = False) -> Answer | None:
        """What a 涉密 project is for. named: the question does not say 涉密, so it must name the project
        (its label, or its amount) for the document's 不予公开 to be the answer."""
        for t in plan.targets:
            for v in self.kb.doc_views(t.doc.doc_id):
                if v.prose and re.search(r"涉密", v.fact.quote) and v.fact.unit in ("万元", "元"):
                    by_figure = any(_close_amount(v, fig) for fig in p.figures)
                    by_name = len(v.fact.row) >= 3 and v.fact.row in p.text
                    if by_figure or (by_name if named else not p.figures):
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

    def _property(self, p: Parsed, plan: Plan) -> Answer | None:
        """A property stated in words (级别, 等级 …): the sentence that states it, quoted and cited."""
        terms = self.resolver.terms(re.sub(r"什么|哪一?[级类个种]|属于|如何|怎样|怎么样|多高|是", " ", p.topic))
        must = property_words(p.text)
        found = []
        for t in plan.targets[:3]:
            doc = self.kb.documents.get(t.doc.doc_id)
            if doc is None:
                continue
            # a sentence a prose figure sits in knows its subject ("该项目…" → the project named before)
            told = [(v.fact.line, (v.fact.context or v.fact.quote).strip(), v.subject) for v in self.kb.doc_views(t.doc.doc_id)
                    if v.prose and any(w in (v.fact.context or v.fact.quote) for w in must)]
            st = best_statement(doc.lines, terms.units, must, told)
            if st is not None:
                found.append((st.cover, t, st))
        if not found:
            return None
        _, t, st = max(found, key=lambda x: x[0])
        en = p.english
        lines = self.kb.documents[t.doc.doc_id].lines
        citation = Citation(doc=t.doc.doc_id, org=t.doc.org, year=t.doc.year, kind=t.doc.kind, table="", row="",
                            line=st.line, quote=lines[st.line - 1])
        text = (f"{source_phrase(t, en, self.kb)} states (quoted): “{st.text}”" if en else
                f"{source_phrase(t, en, self.kb)}写明：“{st.text}”")
        return Answer(text=text, citations=[citation], language=p.language)

    def _party(self, p: Parsed, plan: Plan) -> Answer:
        """Which company does or supplies it: the sentence that names one, or a plain no — budgets publish
        amounts, not contractors."""
        subject = re.sub(r"\s+", " ", _PARTY_LEFTOVERS.sub(" ", ASKS_PARTY.sub(" ", p.topic))).strip()
        terms = self.resolver.terms(subject)
        for t in plan.targets[:3]:
            doc = self.kb.documents.get(t.doc.doc_id)
            st = best_statement(doc.lines, terms.units, set(PARTY_WORDS)) if doc is not None else None
            if st is not None:
                lines = doc.lines
                citation = Citation(doc=t.doc.doc_id, org=t.doc.org, year=t.doc.year, kind=t.doc.kind, table="",
                                    row="", line=st.line, quote=lines[st.line - 1])
                text = (f"{source_phrase(t, p.english, self.kb)} states (quoted): “{st.text}”" if p.english else
                        f"{source_phrase(t, p.english, self.kb)}写明：“{st.text}”")
                return Answer(text=text, citations=[citation], language=p.language)
        docs = "、".join(dict.fromkeys(source_phrase(t, p.english, self.kb) for t in plan.targets))
        what = subject or p.topic
        return self._refuse(p, f"文件没有写明“{what}”由哪家公司或单位承接（已查{docs}）：部门预决算只公布金额，"
                               f"不公布供应商或中标单位。",
                            f"the documents do not name who does or supplies “{what}” (searched {docs}): budgets and "
                            f"final accounts publish amounts, not contractors or suppliers.")

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
        text += _consolidated_only(plan, en)
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


def _consolidated_only(plan: Plan, english: bool) -> str:
    """A sub-unit asked of a consolidated (汇总) document: its tables print the department as a whole."""
    units = [t for t in plan.targets if t.entity and t.entity != t.doc.org and t.doc.scope == "汇总"]
    if not units:
        return ""
    names = "、".join(dict.fromkeys(t.entity for t in units))
    t = units[0]
    if english:
        return (f" The {t.doc.year} document of {t.doc.org}（汇总） is consolidated: its tables print the department "
                f"as a whole, and it gives no figure of {names}'s own for this item.")
    return f"该文件为汇总{t.doc.kind}，表中为{t.doc.org}（汇总）的合计数，没有单列{names}自己的这一项。"


_PARTY_LEFTOVERS = re.compile(r"是给|给|是|做|干|由|谁|(?<![\u4e00-\u9fff])的|的(?![\u4e00-\u9fff])|"
                              r"\b(?:company|firm|runs?|provides?|supplies|does|did|who|which|for)\b", re.I)

