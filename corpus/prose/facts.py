"""Facts from prose: every printed figure with its item, unit, qualifier, change direction and line.

Blocks come from corpus.prose.sentences (paragraphs re-joined across PDF line breaks, table cells, space-joined
rows); items from corpus.prose.items. A figure already published as a table fact (same line and value) is skipped.
The two ends of "从 A 增加到 B" get qualifier 从 / 到 and items naming their states (窗口（机构改革前） /
窗口（现在）); a figure compared with ("与 2019 年度收入 X 相比") carries the year it belongs to.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from corpus.injection import instruction_lines
from corpus.prose.items import (Base, after_noun, base_mentions, budget_item, clean, compose, direction_at_end,
                          earlier_item, echo_phrase, from_to, is_generic, modifier_of, subject_of)
from corpus.model import BUDGET, Document, Fact
from corpus.prose.sentences import CELL, PROSE, ROW, TOPIC_JOIN, Block, alias_map, document_blocks, sentence_spans
from corpus.prose.units import MONEY_UNITS, NUMBER_RE, Figure, normalize, scan_figures

_CLAUSE_END = set("，,。；;：:！？!?\t")
_AFTER_FIGURE_BREAK = set("、（()）")
_TITLE_SUFFIX_RE = re.compile(r"(?:项目)?(?:支出)?绩效(?:目标|自评)表$|表$")
_RULE_RE = re.compile(r"[得扣]\s*\d+(?:\.\d+)?\s*分|[（(]\s*\d+(?:\.\d+)?\s*分\s*[）)]|[=×÷＝]")
_NUMERIC_CELL_RE = re.compile(r"^\s*[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\s*$")


@dataclass
class _Seen:
    item: str
    figure: Figure
    year_ref: int | None


@dataclass
class _Item:
    item: str
    qualifier: str | None
    year_ref: int | None = None
    code: str | None = None
    subject: str | None = None       # set when this item may be the subject of later generic items


@dataclass
class _Sentence:
    start: int
    end: int
    figures: list[Figure]
    bases: list[Base]
    last_subject: str | None = None
    seen: list[_Seen] = field(default_factory=list)


def extract_prose_facts(doc: Document, table_facts: list[Fact]) -> list[Fact]:
    taken = {(f.line, f.value) for f in table_facts}
    flagged = set(instruction_lines(doc.lines))
    orgs = _org_names(doc)
    facts: list[Fact] = []
    keys: set[tuple] = set()
    for block in document_blocks(doc):
        for fact in _block_facts(doc, block, orgs):
            key = (fact.line, fact.value, fact.unit, fact.row, fact.qualifier)
            if (fact.line, fact.value) in taken or key in keys or fact.line in flagged:
                continue
            keys.add(key)
            facts.append(fact)
    return facts


def _org_names(doc: Document) -> tuple[str, ...]:
    names = {doc.meta.org, *alias_map(doc).values(), *alias_map(doc).keys()}
    names |= {f"{doc.meta.org}{left}{scope}{right}" for scope in ("汇总", "本级") for left, right in ("（）", "()")}
    return tuple(sorted((n for n in names if n), key=len, reverse=True))


def _figures(block: Block) -> list[Figure]:
    figures = scan_figures(block.text)
    if block.kind == CELL and block.unit_hint and _NUMERIC_CELL_RE.match(normalize(block.text)):
        figures = [Figure(f.start, f.end, f.num_start, f.num_end, f.value, block.unit_hint, f.qualifier, f.text)
                   for f in scan_figures(block.text, bare=True)]
    return figures


def _clause_start(text: str, lo: int, fig: Figure, earlier: list[Figure]) -> int:
    """Where the clause holding fig begins: after punctuation, or after a figure followed by 、 / （."""
    spans = [(f.start, f.end) for f in earlier]
    start = lo
    for i in range(fig.start - 1, lo - 1, -1):
        if text[i] in _CLAUSE_END and not any(s <= i < e for s, e in spans):
            start = i + 1
            break
    for f in earlier:
        j = f.end
        while j < fig.start and text[j] == " ":
            j += 1
        if j < fig.start and text[j] in _AFTER_FIGURE_BREAK and j + 1 > start:
            start = j + 1
    return start


def _without_numbers(text: str, start: int, figures: list[Figure], bare_too: bool) -> str:
    chars = list(text)
    for f in figures:
        for i in range(max(f.start, start), f.end):
            if i < len(chars):
                chars[i] = " "
    out = "".join(chars)
    if bare_too:
        out = NUMBER_RE.sub(lambda m: " " * len(m.group(0)), normalize(out))
    return out


def _table_topic(block: Block) -> str:
    title = block.table_title
    return _TITLE_SUFFIX_RE.sub("", title) if title else ""


class _BlockReader:
    def __init__(self, doc: Document, block: Block, orgs: tuple[str, ...]):
        self.doc, self.block, self.orgs = doc, block, orgs
        self.budget = doc.meta.kind == BUDGET
        if block.kind == CELL:                             # a row label: keep unit names, keep parts apart
            parts = [clean(p, (), doc.meta.year).item for p in block.topic.split(TOPIC_JOIN)]
            own = " ".join(p for p in parts if p)
        else:
            own = clean(block.topic, orgs, doc.meta.year).item if block.topic else ""
        if own and self.budget:
            own = budget_item(own)
        self.own_topic = own
        self.first_subject: str | None = None
        self.change_subject: str | None = None

    def topic(self) -> str:
        return self.own_topic if not is_generic(self.own_topic) else (
            self.first_subject or _table_topic(self.block) or self.block.heading_label or self.own_topic)

    def facts(self) -> list[Fact]:
        text, block = self.block.text, self.block
        figures = _figures(block)
        if not figures:
            return []
        bases = base_mentions(text, self.doc.meta.year)
        out: list[Fact] = []
        for s0, s1 in sentence_spans(text):
            inside = [f for f in figures if s0 <= f.num_start < s1]
            if inside and _RULE_RE.search(text[s0:s1]):
                continue                                   # scoring rules / formulas, not figures
            sentence = _Sentence(s0, s1, inside, bases)
            self.change_subject = None
            ends = self._from_to_items(inside, s0)
            for k, fig in enumerate(inside):
                found = ends.get(k) or self._item(sentence, k)
                if k in ends:
                    sentence.last_subject = ends[k].subject
                    found = replace(found, subject=None)
                if found.subject:
                    sentence.last_subject = found.subject
                    self.first_subject = self.first_subject or found.subject
                sentence.seen.append(_Seen(found.item, fig, found.year_ref))
                out.append(self._fact(fig, found, block.context or text[s0:s1]))
        return out

    def _item(self, sentence: "_Sentence", k: int) -> _Item:
        text, block, fig = self.block.text, self.block, sentence.figures[k]
        earlier = sentence.figures[:k]
        start = _clause_start(text, sentence.start, fig, earlier)
        phrase = _without_numbers(text, start, earlier, bare_too=block.kind == ROW)[start:fig.start]
        change = direction_at_end(phrase)
        if change:
            return self._change_item(sentence, start, phrase, change)
        base = next((b for b in sentence.bases if start <= b.start and b.end <= fig.start
                     and not clean(text[b.end:fig.start], self.orgs).item), None)
        if base:                                           # 比上年决算数 149.77 万元
            return _Item(compose(sentence.last_subject or self.topic(), base.what), fig.qualifier, base.year)
        lead = start
        for f in earlier:                                  # 我市 5937 家两定机构有 4188 家: not part of the item
            opening = f.start <= lead + 1 or not clean(text[lead:f.start], self.orgs).item
            if f.end > lead and opening and (f.start <= lead + 1 or f.is_count):
                lead = f.end
        cleaned = clean(text[lead:fig.start] if block.kind != ROW else phrase, self.orgs, self.doc.meta.year)
        own = cleaned.item
        if self.budget and not (cleaned.years and own[:1].isdigit()):
            own = budget_item(own)
        value_cell = block.kind == CELL and not phrase.strip() and self.own_topic
        if fig.is_count and not value_cell:
            noun = self._counted_noun(sentence, k)
            if noun:
                own = modifier_of(own) + noun
                return _Item(own, fig.qualifier, None, cleaned.code, subject_of(own))
        year_ref = next((y for y in cleaned.years if y != self.doc.meta.year), None)
        seen = sentence.seen
        if year_ref is None and seen:
            before = text[sentence.start:fig.start]
            if before.count("（") + before.count("(") > before.count("）") + before.count(")"):
                year_ref = seen[-1].year_ref               # （基本支出2,579.24万元，项目支出…）of 2019
        if not own:
            if seen and not phrase.strip(" 　") and block.kind != CELL:
                return _Item(seen[-1].item, fig.qualifier, seen[-1].year_ref)   # 322.5 万人 | 305.63 万人
            return _Item(self._topic_item(sentence.last_subject), fig.qualifier, year_ref, cleaned.code)
        if year_ref is not None and any(b.start <= fig.start < b.end and b.text.startswith("与") for b in sentence.bases):
            # 本年度总收入合计 …。与 2019 年度收入 17,677.03 万元相比: the earlier year's 总收入
            own = earlier_item(own, sentence.last_subject or self.first_subject or self.topic())
        if is_generic(own) or (block.kind == CELL and len(own) <= 2 and self.own_topic):
            subject = sentence.last_subject or self.topic()
            return _Item(compose(subject, own), fig.qualifier, year_ref, cleaned.code)
        if block.kind == PROSE:                            # 开展部门整体绩效自评工作，自评 90.49 分
            own = echo_phrase(own, text[sentence.start:start], self.orgs, self.doc.meta.year)
        can_lead = year_ref is None and (fig.unit in MONEY_UNITS or fig.is_count)
        return _Item(own, fig.qualifier, year_ref, cleaned.code, subject_of(own) if can_lead else None)

    def _from_to_items(self, inside: list[Figure], s0: int) -> dict[int, _Item]:
        """"医保服务网点从机构改革前的 33 个增加到现在的 584 个，窗口从 48 个增加到 1127 个": each start
        figure is the item in its start state (qualifier 从), each end figure the item now (qualifier 到).
        A pair printed without state words is elliptical: it takes the states of the pair before it in the
        same sentence, and a bare one-word subject (窗口) that pair's modifier (医保服务网点 -> 医保服务窗口)."""
        text, year = self.block.text, self.doc.meta.year
        out: dict[int, _Item] = {}
        states: tuple[str, str] | None = None
        previous = ""
        for k in range(1, len(inside)):
            a, b = inside[k - 1], inside[k]
            if k - 1 in out or a.unit != b.unit:
                continue
            start = _clause_start(text, s0, a, inside[:k - 1])
            ends = from_to(text[start:a.start], text[a.end:b.start])
            if ends is None:
                continue
            subject = clean(ends.subject, self.orgs, year).item
            elliptical = not (ends.before or ends.after) and states is not None
            before, after = states if elliptical else (ends.before, ends.after)
            if elliptical and 2 <= len(subject) <= 3 and len(previous) >= len(subject) + 2 \
                    and not previous.endswith(subject):
                subject = previous[:-2] + subject
            states = (before, after)
            subject = subject or self.topic()
            previous = subject
            first = f"{subject}（{before or '原'}）"
            last = f"{subject}（{after}）" if after else subject
            out[k - 1] = _Item(first, "从", _other_year(before, year), None, subject)
            out[k] = _Item(last, "到", _other_year(after, year), None, subject)
        return out

    def _change_item(self, sentence: "_Sentence", start: int, phrase: str, change: tuple[str, int]) -> _Item:
        """较2023年年初预算减少 154,650.12 万元 -> '<subject> 较2023年年初预算减少', qualifier 减少, year 2023."""
        direction, dpos = change
        base = next((b for b in reversed(sentence.bases)
                     if sentence.start <= b.start and b.end <= start + dpos), None)
        explicit_raw = phrase[:dpos]
        if base and base.start >= start:
            explicit_raw = phrase[: base.start - start] + phrase[base.end - start: dpos]
        explicit = clean(explicit_raw, self.orgs, self.doc.meta.year)
        subject = subject_of(explicit.item) if explicit.item else None
        if subject:
            self.change_subject = subject
        subject = subject or self.change_subject or sentence.last_subject \
            or self._clause_before(sentence.start, start) or self.topic()
        item = compose(subject, (base.text if base else "") + direction)
        return _Item(item, direction, base.year if base else None, explicit.code)

    def _counted_noun(self, sentence: "_Sentence", k: int) -> str:
        """The noun printed after a count: 1246台|社保（医保）自助服务终端，…"""
        text, fig = self.block.text, sentence.figures[k]
        stop = sentence.end
        for j in range(fig.end, sentence.end):
            if text[j] in _CLAUSE_END or text[j] == "、":
                stop = j
                break
        later = [f.start for f in sentence.figures[k + 1:] if f.start >= fig.end]
        return after_noun(text[fig.end: min([stop] + later)], fig.unit)

    def _clause_before(self, s0: int, start: int) -> str | None:
        """The clause just before a bare change phrase (…纳入预算编制，增加3,663万元) as its subject."""
        text = self.block.text
        end = start - 1
        while end > s0 and text[end - 1] in " ":
            end -= 1
        begin = end
        while begin > s0 and text[begin - 1] not in _CLAUSE_END:
            begin -= 1
        if begin >= end:
            return None
        item = clean(text[begin:end], self.orgs, self.doc.meta.year).item
        return item if 2 <= len(item) <= 30 and not is_generic(item) and not scan_figures(item) else None

    def _topic_item(self, last_subject: str | None) -> str:
        """Item of a figure with no words before it: the cell's row label / the paragraph topic."""
        own = self.own_topic
        if own and not is_generic(own):
            return own
        if own:
            return compose(_table_topic(self.block) or self.block.heading_label, own)
        return last_subject or self.topic()

    def _fact(self, fig: Figure, found: _Item, context: str) -> Fact:
        meta, block = self.doc.meta, self.block
        line = block.line_at(fig.num_start)
        return Fact(
            doc_id=self.doc.doc_id, org=meta.org, year=meta.year, kind=meta.kind, scope=meta.scope,
            value=fig.value, unit=fig.unit, line=line, quote=self.doc.line(line),
            row=found.item or block.heading_label, table=" > ".join(block.path), table_id=None,
            row_code=found.code, row_path=block.row_path, entity=block.entity, source="prose",
            qualifier=found.qualifier, year_ref=found.year_ref, context=context.strip(),
        )


def _other_year(state: str, doc_year: int) -> int | None:
    """The year a state phrase names (2019年 -> 2019) when it is not the document's own year."""
    m = re.search(r"((?:19|20)\d\d)\s*年", state)
    return int(m.group(1)) if m and int(m.group(1)) != doc_year else None


def _block_facts(doc: Document, block: Block, orgs: tuple[str, ...]) -> list[Fact]:
    return _BlockReader(doc, block, orgs).facts()
