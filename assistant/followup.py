"""Conversation context: splitting a several-part question into turns, and what a follow-up keeps
from the turn before (org, year, kind, topic, operation). Pure functions over parsed questions."""
from __future__ import annotations

import re
from dataclasses import replace

from assistant import intent as ops
from assistant.changewords import CUT, RAISE
from assistant.catalog import city_of
from assistant.operands import split_ratio
from assistant.question import WHOLE_UNIT, Parsed, is_total_topic, measure_only
from assistant.text import is_english
from index.context import FOLLOW_UP, SHORT_QUESTION

_ASKS = re.compile(r"多少|几|呢|哪|什么|是否|有没有|how much|how many|what|which|is there|are there", re.I)
_ASKS_FIGURE = re.compile(r"多少|几[个台家人名辆笔项次分成%]?|how much|how many|what (?:is|was|were|are)\b|what's", re.I)
_PRONOUN_WHOLE = re.compile(r"^(?:it|that|this|them|those|these|the total|total|其|它|这|那|这个|那个|上面|上述|"
                            r"这些|那些|前者|总数|这笔钱|这笔|这部分|这个数|该项)?$", re.I)
_OP_WORDS = re.compile(r"平均|每[台人个家辆名笔次]|人均|多少钱|多少|几倍|倍数?|比例|比重|百分之几?|占比?|比|相差|差额|差|高|低|多|少|"
                       rf"[增涨降]幅|增速|增长率|下降率|变化率|增长|增加|下降|减少|降低|提高|上升|{CUT}|{RAISE}|涨|降|升|变化|幅度|几成|"
                       r"相当于|还是|\b(?:how|much|many|more|less|than|times|share|percentage|proportion|percent|what|is|that|it|"
                       r"this|per|average|on|of|bigger|larger|smaller|higher|lower|difference|or|by|was|were|did|"
                       r"does|do|grow|grew|rise|rose|fall|fell|drop|dropped|increase|decrease|change|up|down)\b|[?？的了是]", re.I)
# 比2024年的预算多还是少 / more or less than in 2022: the follow-up compares against another year
# "(budgeted for) running them" / "其运行费": a pronoun standing for the item the last turn asked about
_OBJECT_PRONOUN = re.compile(r"(?<=[a-z] )\b(?:them|it)\b(?! (?:is|was|were|are)\b)|^(?:其|它们的|它的|它)(?![中他余它])", re.I)
_SPENDING_KIND = re.compile(r"^(?:基本支出|项目支出|人员经费|公用经费|basic(?: spending| expenditure)?|"
                            r"project(?: spending| expenditure)?)(?:部分)?$", re.I)
_HEDGE = r"(?:roughly |approximately |about |also )?"      # ", and roughly how many": still a second part
_AGAINST = re.compile(r"^\s*(?:比|跟|和|与|相比|较)|\b(?:than|compared|versus|vs)\b", re.I)
# 两家差多少 / 双方 / both of them: the two organisations the conversation has been about
_BOTH_SIDES = re.compile(r"两家(?:单位|部门|机构)?|两边|双方|两地|两个(?:单位|部门|机构|城市|地方)|"
                         r"\bthe two (?:organi[sz]ations|bureaus|cent(?:er|re)s|cities|units|departments)\b", re.I)
_SUM_ONLY = re.compile(r"加起来|加在一起|合起来|一共|总共|合计|共计|总计|相加|加总|总和|之和|in total|add(?:ed)? (?:them |it |those |these )?up|"
                       r"combined|altogether", re.I)


def split_questions(q: str) -> list[str]:
    """"A是多少？其中B呢？" / "A, and how much of it was B?" -> the parts, each asking for something.
    A single question comes back whole."""
    pieces = [x for x in re.split(r"(?<=[？?])\s*", q.strip()) if x.strip()]
    parts: list[str] = []
    for piece in pieces:
        for sub in _split_clauses(piece):
            if parts and not (_ASKS_FIGURE.search(sub) or re.search(r"呢[？?]?$", sub) or _ASKS_VALUE.search(sub)):
                parts[-1] = parts[-1] + sub          # "拿来干嘛的" style remarks stay with their question
            else:
                parts.append(sub)
    if len(parts) > 1 and not all(_ASKS.search(x) for x in parts) or len(parts) > 1 and re.search(r"为什么|why", q, re.I):
        return [q]
    return parts if len(parts) <= 3 else [q]


def _split_clauses(piece: str) -> list[str]:
    m = re.search(rf",?\s+and {_HEDGE}(?=(?:how much|how many|what (?:share|part|portion|percentage|proportion)|which)\b)",
                  piece, re.I)
    if m and _ASKS_FIGURE.search(piece[:m.start()]):
        first, second = piece[:m.start()].strip(), piece[m.end():].strip()
        asked = _ASKS_FIGURE.search(first)
        cut = max(first.rfind(",", 0, asked.start()), first.rfind("，", 0, asked.start()))
        lead = first[:cut].strip() if cut > 0 else ""
        if lead and not _ASKS.search(lead):      # "For X's 2022 budget, how much A, and how much B": both of X's 2022
            second = f"{lead}, {second}"
        return _shared_subject(first + "?") + [second]
    m = re.search(r"(?<=呢)[，,；;]\s*", piece)         # "漳州那边呢，两家差多少": a question, then another
    if m and _ASKS.search(piece[m.end():]) and len(piece[:m.start()].strip()) >= 2:
        return [piece[:m.start()].strip() + "？", piece[m.end():].strip()]
    m = re.search(r"[，,；;]\s*(?=(?:其中|另外|还有|以及|那)[^，,。？?]*(?:多少|几|呢))", piece)
    if m and _ASKS_FIGURE.search(piece[:m.start()]) and not re.search(r"比|占|相差|差额", piece[:m.start()]):
        return [piece[:m.start()].strip() + "？", piece[m.end():].strip()]
    # "比上年少了多少，降了百分之几": two clauses, each asking its own figure (an amount, then a percentage)
    m = re.search(r"(?<=多少)[，,；;]\s*(?=[^，,。？?]{0,12}(?:百分之几|百分之多少|几成|%))", piece)
    if m and _ASKS_FIGURE.search(piece[:m.start()]):
        first, second = piece[:m.start()].strip(), piece[m.end():].strip()
        stem = re.sub(r"(?:多了|少了|增加了?|减少了?|增长了?|下降了?|降了|多|少)(?:多少)$", "", first)
        if stem != first and re.search(r"比\S{0,6}年$", stem):
            second = stem + second          # …比上年少了多少，降了百分之几 -> …比上年降了百分之几
        return [first + "？", second]
    return _shared_subject(piece)


_CLAUSE_SEP = re.compile(rf",?\s+and {_HEDGE}(?=(?:how|what|which)\b)|[，,；;、]\s*", re.I)
# a clause that asks a value that is not an amount: a grade, a share (not a purpose: 干什么; not a party: 哪个单位)
_ASKS_VALUE = re.compile(r"什么(?:等级|级别|档次|评级|结果)|\bwhat (?:grade|rating|level|share|percentage|"
                         r"proportion|part|portion)\b", re.I)
_OWN_SIDE = re.compile(r"\d{4}\s*年|去年|今年|明年|上年|\b(?:in|for) \d{4}\b|^\s*(?:比|占|相当于|跟|和|与)", re.I)


def _shared_subject(piece: str) -> list[str]:
    """"<item>，目标定的多少，实际做到多少" / "<item> scored how much, and what grade": each clause that asks
    its own figure is a part; the item named before the first asking clause is the subject of every part."""
    cuts = [(m.start(), m.end()) for m in _CLAUSE_SEP.finditer(piece)]
    bounds = [0] + [e for _, e in cuts]
    ends = [s for s, _ in cuts] + [len(piece)]
    clauses = [piece[b:e].strip() for b, e in zip(bounds, ends)]
    asking = [i for i, c in enumerate(clauses) if _ASKS_FIGURE.search(c) or _ASKS_VALUE.search(c)]
    if len(asking) < 2 or not _ASKS_FIGURE.search(clauses[asking[0]]):
        return [piece]
    later = [clauses[i] for i in asking[1:]]
    if any(_OWN_SIDE.search(c) for c in later) or asking[-1] != len(clauses) - 1:
        return [piece]                      # parallel sides (2020年…，2024年…) or a list of items are one question
    lead = piece[:ends[asking[0]]].strip()
    subject = piece[:ends[asking[0] - 1]].strip() if asking[0] > 0 and piece[ends[asking[0] - 1]] in "，," else ""
    english = is_english(piece)
    if subject and not _ASKS.search(subject):
        later = [f"{subject}{', ' if english else '，'}{c}" for c in later]
    return [lead + ("?" if english else "？")] + later


def inherit(p: Parsed, prev: Parsed) -> Parsed:
    """A follow-up keeps what it does not say from the turn before: org, year, kind, topic, operation.
    其中… / of it: the new item is looked for within the earlier topic; a share with no whole is a share
    of the earlier figure; 加起来一共多少 adds up the earlier figures; 去年 is the year before the earlier one."""
    follow = bool(FOLLOW_UP.search(p.text.strip())) or len(p.text) <= SHORT_QUESTION
    p.follow_up = True
    named_orgs = bool(p.orgs.orgs or p.orgs.cities or p.orgs.unknown_places)
    if not named_orgs:
        p.orgs = prev.orgs
    elif not p.orgs.cities and len({city_of(o) for o in p.orgs.orgs}) > 1:
        before = set(prev.orgs.cities) | {city_of(o) for o in prev.orgs.orgs}
        here = [o for o in p.orgs.orgs if city_of(o) in before]
        if here:                                   # 其中基金中心呢 after a 漳州 question: 漳州's centre
            p.orgs = replace(p.orgs, orgs=here, widened=[o for o in p.orgs.widened if o in here])
    if p.years.resolved_from_relative and p.years.relative in ("last", "last2", "next") and len(prev.years.years) == 1 \
            and follow:
        step = {"last": -1, "last2": -2, "next": 1}[p.years.relative]   # 那去年呢: the year before the one just asked about
        p.years.years = [prev.years.years[0] + step]
    if p.intent.operation == ops.DIFFERENCE and _AGAINST.search(p.topic) and \
            p.years.years and prev.years.years and not set(p.years.years) & set(prev.years.years):
        p.years.years = prev.years.years[:1] + p.years.years      # 比2024年的预算多还是少: the earlier year vs this one
    if not p.years.years and (follow or not p.orgs.explicit):
        p.years = prev.years
        p.years_inherited = bool(prev.years.years)
    if not p.kind.explicit and prev.kind.kind:
        p.kind = prev.kind
    own_topic = re.sub(r"^(?:那边|这边|[那这](?:里头|里面|里边)|那里|这里|那儿|那么?|那其中|其中|还有|另外|那这|and|what about|how about|also|then)\s*",
                       "", p.topic, flags=re.I)
    content = re.sub(r"\b(?:of|to|it|its|went|go|goes|on|in|is|as|than|and|what|about|how|much|that|this|them|"
                     r"spent|for|share|part|so|also|then|those|these|all|whole|lot|the|final accounts?|budget(?:ed)?|actual(?:ly)?|"
                     r"was|were|really|money|"
                     r"adjusted|figures?|numbers?)\b|(?:调整)?(?:预算|决算|执行)数?|实际", " ", own_topic, flags=re.I)
    within = bool(re.search(r"其中|[这那]里(?:面|头|边)|这当中|\bof (?:it|that|this|them|those|these)\b|\bwithin (?:it|that)\b",
                            p.text, re.I))
    if prev.topic and not within and p.intent.operation == ops.LOOKUP:
        named = _OBJECT_PRONOUN.sub(f" {prev.topic} ", own_topic)
        if named != own_topic and _OBJECT_PRONOUN.sub(" ", own_topic).strip():
            own_topic = p.topic = re.sub(r"\s+", " ", named).strip()    # "running them": them is the earlier item
    if re.match(r"^\s*(?:占|比|相当于|是.{0,3}几倍)", own_topic) and prev.topic:
        own_topic = f"{prev.topic} {own_topic}"       # 占总预算的比例呢: the share of what was just asked
    many = re.search(r"两个|两项|两者|二者|这两|三个|三项|这三|这几|这些|它们|\bboth\b|\b(?:all )?(?:three|two) of them\b|"
                     r"\bthem\b|\bthese\b|\bthose\b", p.text, re.I)
    rest = re.sub(r"两个|两项|两者|二者|这两个?|三个|三项|这三个?|这几个?|这些|它们|\bboth\b|\b(?:all )?(?:three|two) of them\b|"
                  r"\bthem\b|\bthese\b|\bthose\b|\ball\b", " ", _SUM_ONLY.sub("", content), flags=re.I)
    summing = bool(_SUM_ONLY.search(p.text)) and not rest.strip()
    if summing and prev.topic:
        p.sum_previous = True
        p.intent.operation = ops.SUM
        _take_topic(p, prev)
        earlier = list(dict.fromkeys(t for t in prev.topics + [prev.topic] if t))
        k = 3 if many and re.search(r"三|three", many.group(0), re.I) else 2
        if many and len(earlier) >= 2 and not prev.total_topic:
            p.topic = "、".join(earlier[-k:])            # 两个加起来呢: the items of the last turns
        return _language(p, prev)
    if p.intent.operation == ops.RATIO and prev.topic:       # a share of a total is fine: the total is the whole
        m = re.search(r"\b(?:that|it|this)\b (?:is |was )?(?:of|as an? (?:share|percentage|proportion) of) (?:the )?(.+?)\??$",
                      p.text, re.I)
        if m:                                          # what percentage is that of the total budget?
            p.topic = f"{prev.topic}占{m.group(1)}的比例"
            return _language(p, prev)
        split = split_ratio(own_topic)
        if split and split[0] and _PRONOUN_WHOLE.match(split[1].strip()):
            p.topic = f"{split[0]}占{prev.topic}的比例"   # 其中人员类占了百分之几: a share of the earlier figure
            return _language(p, prev)
        m = re.search(r"\b(?:share|percentage|proportion|percent) of (?:that|it|this|them|those|these)\b(.*)$", p.text, re.I)
        if m:                                          # what share of that is personnel?
            part = re.sub(r"\b(?:is|are|was|were|goes to|go to|went to|went on|go on|goes on|spent on|for|on)\b|[?？.]", " ",
                          m.group(1), flags=re.I).strip()
            if part:
                p.topic = f"{part}占{prev.topic}的比例"
                return _language(p, prev)
    if p.intent.operation in (ops.DIFFERENCE, ops.TIMES, ops.RATIO, ops.COMPARE, ops.PER_UNIT) and prev.topic and \
            not _OP_WORDS.sub(" ", _BOTH_SIDES.sub(" ", content)).strip():
        # 比江门多多少 / 是江门的几倍 / 平均每台多少钱: the operation applies to what was just asked
        both = _BOTH_SIDES.search(p.text)
        if both and not named_orgs and p.intent.operation != ops.PER_UNIT and prev.orgs.orgs:
            # 两家差多少 after "深圳…？漳州那边呢": the organisations of the last two turns, earlier one first
            other = next((o for o in reversed(prev.org_turns) if o.orgs and not set(o.orgs) & set(prev.orgs.orgs)), None)
            if other is not None:
                p.orgs = replace(prev.orgs, orgs=list(dict.fromkeys(other.orgs[:1] + prev.orgs.orgs[:1])),
                                 cities=list(dict.fromkeys(other.cities + prev.orgs.cities)),
                                 groups=max(prev.orgs.groups, 2), spans=[], scope=None)
                own_topic = _BOTH_SIDES.sub(" ", own_topic).strip()
        elif p.intent.operation != ops.PER_UNIT and p.orgs.orgs and prev.orgs.orgs and \
                not set(p.orgs.orgs) & set(prev.orgs.orgs):
            merged = list(dict.fromkeys(prev.orgs.orgs[:1] + p.orgs.orgs))
            p.orgs.orgs = merged
            p.orgs.groups = max(p.orgs.groups, 2)
            p.orgs.spans = p.orgs.spans or prev.orgs.spans
            p.orgs.scope = p.orgs.scope or prev.orgs.scope
            if not p.years.years:
                p.years = prev.years
        p.topic = own_topic if own_topic.startswith(prev.topic) else f"{prev.topic} {own_topic}".strip()
        p.context_topic, p.stated = "", prev.stated
        return _language(p, prev)
    if not content.strip() or is_total_topic(own_topic) and not prev.total_topic and follow and \
            not re.search(r"预算|决算|budget", p.text):
        _take_topic(p, prev)
        if p.intent.operation == ops.LOOKUP:
            p.intent = prev.intent
        if p.unit_hint is None or p.unit_hint == "万元" and not _MONEY_ASKED.search(p.text):
            p.unit_hint = prev.unit_hint
        elif p.unit_hint == "万元" and prev.unit_hint == "%":   # 执行率多少 … 那实际花了多少: the amount, not the rate
            p.topic = _RATE_WORDS.sub(lambda m: " 执行数 " if "执行" in m.group(0) or "xecution" in m.group(0) else " ",
                                      p.topic).strip() or p.topic
    else:
        p.topic = own_topic
        if within and prev.topic and not prev.total_topic and _SPENDING_KIND.match(content.strip()):
            p.topic = f"{prev.topic} {content.strip()}"     # 其中项目支出多少 after 邮电费: the item's project part
        elif within and prev.topic and not prev.total_topic:
            p.context_topic, p.stated = prev.topic, prev.stated
        elif follow and prev.topic and not prev.total_topic and not prev.whole_unit and measure_only(own_topic) \
                and not WHOLE_UNIT.search(p.text):
            p.context_topic, p.stated = prev.topic, prev.stated   # 执行率多少？ after a project: its rate, not the department's
            p.whole_unit = False
        elif follow and getattr(prev.stated, "prose", False):
            p.stated = prev.stated      # 收回了几份问卷？ after a sentence's figure: that sentence's count is preferred
    return _language(p, prev)


def remember(p: Parsed, prev: Parsed | None) -> Parsed:
    """Carry the conversation's topics (for 两个加起来呢) and organisations (for 两家差多少) forward."""
    p.topics = (prev.topics + [prev.topic] if prev is not None and prev.topic else []) if not p.topics else p.topics
    if prev is not None and not p.org_turns:
        p.org_turns = prev.org_turns + ([prev.orgs] if prev.orgs.orgs else [])
    return p


_MONEY_ASKED = re.compile(r"多少钱|金额|万元|花了|花费|花掉|用了多少|支出了?多少|how much|spen[dt]|cost", re.I)
_RATE_WORDS = re.compile(r"(?:预算)?执行率|完成率|执行进度|占比|比例|比重|\b(?:execution|completion) rate\b|\brate\b", re.I)


def _take_topic(p: Parsed, prev: Parsed) -> None:
    p.topic = prev.topic
    p.total_topic = prev.total_topic
    p.quoted = p.quoted or prev.quoted
    p.codes = p.codes or prev.codes
    p.context_topic = prev.context_topic
    p.whole_unit = p.whole_unit or prev.whole_unit
    p.stated = prev.stated


def _language(p: Parsed, prev: Parsed) -> Parsed:
    p.english = p.english or (prev.english and not re.search(r"[\u4e00-\u9fff]{3,}", p.text))
    return p


def fill_from_answer(state: Parsed, answer: Parsed) -> Parsed:
    """What the earlier answer names (one org, one year, the kind) fills what the user turns left open."""
    if not state.orgs.orgs and len(answer.orgs.orgs) == 1:
        state.orgs = answer.orgs
    if not state.years.years and len(answer.years.years) == 1:
        state.years = answer.years
    if not state.kind.kind and answer.kind.explicit:
        state.kind = answer.kind
    return state
