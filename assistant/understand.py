"""How a question is understood: the question, its history and the UI filters become a
Parsed request (scope, operation, subject phrase), a follow-up filled in from the earlier turns."""
from __future__ import annotations

from decimal import Decimal

from assistant import intent as ops
from assistant.followup import fill_from_answer, inherit, remember
from assistant.question import Parsed, container_split, is_total_topic, parse_question
from assistant.text import nfkc, norm
from assistant.views import TOTAL_ROW
from assistant.helpers import _STATED_FIGURE, _distance, _main_clause
from assistant.operands import BOTH_KINDS, SUM_WORDS


class UnderstandMixin:
    """Methods of assistant.agent.BuiltinAgent (self.kb, self.resolver and the other stages)."""

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
        split = container_split(main) if p.intent.operation in (ops.LOOKUP, ops.DIFFERENCE) else None
        if split:                    # "A项目里，B是多少" / "A里头，B比上年少了多少": B may be an item within A
            outer, inner = (parse_question(x, self.kb.orgs, latest).topic for x in split)
            if outer and inner and not is_total_topic(inner):
                p.container = (inner, outer)
        previous = self._previous(history)
        if previous is not None:
            p = inherit(p, previous)
        _item_across_kinds(p)
        self._expand_groups(p)
        if filters:
            p = self._apply_filters(p, filters)
        return p

    def _expand_groups(self, p: Parsed) -> None:
        """A word standing for several printed items (水电 = 水费 + 电费; glossary type "group") asked as one
        figure is their sum."""
        if p.intent.operation not in (ops.LOOKUP, ops.SUM) or not p.topic:
            return
        found = self.kb.glossary.find(p.topic, ("group",))
        if len(found) != 1 or len(found[0].entry.printed) < 2:
            return
        m = found[0]
        rest = (p.topic[:m.start] + " " + p.topic[m.end:]).strip()
        items = "、".join(f"{rest} {x}".strip() if rest and p.intent.operation == ops.LOOKUP else x
                         for x in m.entry.printed)
        p.topic = items
        p.intent.operation = ops.SUM

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
        for m in _STATED_FIGURE.finditer(text):          # the answer's first figure: the one it was asked for
            value = Decimal(m.group(1).replace(",", ""))
            named = [v for v in self._by_value.get(value, ()) if v.label_key in key]
            if named:            # the label printed nearest the figure ("城乡医疗救助340.00万元", "60万元 to …")
                at = len(norm(text[:m.start()]))
                end = at + len(norm(m.group(0)))
                best = min(named, key=lambda v: (_distance(key, v.label_key, at, end), -len(v.label_key)))
                topic_key = norm(state.topic)
                if best.label_key in topic_key and len(best.label_key) < len(topic_key):
                    return state        # the question said more (医保综合管理项目预算执行率) than the row's label
                state.topic, state.quoted = best.label, [best.label]
                state.context_topic, state.stated = "", best
                return state
            return state         # the answer leads with the figure asked; the later ones are its parts
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


def _item_across_kinds(p: Parsed) -> None:
    """"办公费，基本支出加项目支出一共多少": one item over both spending kinds is the item's whole figure
    (the lookup adds its two printed parts), not a sum of the item and the project table. In place."""
    if not BOTH_KINDS.search(p.topic):
        return
    rest = SUM_WORDS.sub(" ", BOTH_KINDS.sub(" ", p.topic)).strip(" ，,的")
    if rest and not is_total_topic(rest):
        p.topic = rest
        p.intent.operation = ops.LOOKUP
