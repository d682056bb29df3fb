"""Split a topic phrase into operands: the part and the whole of a share, the two sides of a
difference, the items of a sum (pure functions)."""
from __future__ import annotations

import re

from assistant.changewords import CUT, RAISE
from assistant.question import measure_only

_RATIO_WORDS = r"(?:了)?(?:多大|多少|几)?(?:的)?(?:比例|比重|百分比|百分之(?:多少|几)?|份额|多少|几成|%)"
_DIRECTION = rf"(?:多|少|高|低|大|小|增加|减少|增长|下降|节约|超|{CUT}|{RAISE})"
_SUM_CUES = re.compile(r"加起来|加在一起|合起来|合计|总和|之和|相加|加总|一共|总共|共计|各项|各个|每一项|combined|in total|add(?:ed)? up|together|sum of")


def _clean(s: str) -> str:
    s = re.sub(r"^[\s的里中是了，,]+|[\s的里中是了，,]+$", "", s)
    return re.sub(r"\s+", " ", s).strip()


_BASIC = r"(?:基本(?:支出)?|basic(?: spending| expenditure)?)"
_PROJECT = r"(?:项目(?:支出)?|project(?: spending| expenditure)?)"
_JOIN = r"\s*(?:和|加上?|与|及|跟|、|\+|\band\b|\bplus\b)\s*"
BOTH_KINDS = re.compile(f"{_BASIC}{_JOIN}{_PROJECT}|{_PROJECT}{_JOIN}{_BASIC}", re.I)   # 基本支出加项目支出
SUM_WORDS = re.compile(r"加起来|加在一起|合起来|一共|总共|合计|共计|总计|\b(?:in total|combined|altogether|together|"
                       r"added up)\b", re.I)


def split_ratio(topic: str) -> tuple[str, str] | None:
    """(part, whole) of "A占B的比例" / "B中A占比" / "A相当于B的百分之几" / "share of A in B"."""
    t = topic
    m = re.search(r"(.+?)相当于(.+?)(?:的)?(?:百分之|多少|几|比例|%|$)", t)
    if m and _clean(m.group(1)) and _clean(m.group(2)):
        return _clean(m.group(1)), _clean(m.group(2))
    if "占" in t:
        before, after = t.split("占", 1)
        whole = _clean(re.sub(_RATIO_WORDS, " ", after))
        whole = _clean(re.sub(r"多大|多少|比例|比重|百分之|几", " ", whole))
        if whole:
            part = before
            inner = re.split(r"(?:中|里|当中|之中)(?=[^中里]*$)", before)
            if len(inner) == 2 and _clean(inner[1]):
                part = inner[1]
            return _clean(part), whole
        # "政府采购里 面向中小企业": a container word before a break, not one inside a word (面向中小企业)
        pieces = re.split(r"(?:当中|之中|中|里)(?=\s)", before.strip())
        if len(pieces) < 2:
            pieces = re.split(r"(?:当中|之中|中|里)", before)
        if len(pieces) >= 2 and _clean(pieces[-1]) and _clean("".join(pieces[:-1])):
            return _clean(pieces[-1]), _clean("中".join(pieces[:-1]))
        return (_clean(before), "") if _clean(before) else None
    m = re.search(r"(?:share|percentage|proportion|percent) of (.+?) (?:in|of|within) (.+)", t, re.I)
    if m:
        return _clean(m.group(1)), _clean(m.group(2))
    m = re.search(r"(?:share|percentage|proportion|percent|how much) of (.+?) (?:goes to|go to|went to|went on|is spent on|was spent on|is for|is|was|were|on) (.+)",
                  t, re.I)
    if m:
        return _clean(m.group(2)), _clean(m.group(1))
    m = re.search(r"(.+?) as an? (?:share|percentage|proportion) of (.+)", t, re.I)
    if m:
        return _clean(m.group(1)), _clean(m.group(2))
    return None


def strip_ratio_words(topic: str) -> str:
    """"编制 几成" -> "编制": the topic of a share whose part and whole the question does not name."""
    t = re.sub(r"(?:大概|大约|约)?(?:占了?)?" + _RATIO_WORDS.replace("|多少|", "|") + r"|占比|"
               r"\b(?:what|share|percentage|proportion|percent|rate)\b", " ", topic, flags=re.I)
    return _clean(t)


def split_times(topic: str) -> tuple[str, str] | None:
    m = re.search(r"(.+?)是(.+?)的?(?:几倍|多少倍)", topic)
    if m:
        return _clean(m.group(1)), _clean(m.group(2))
    return None


def split_difference(topic: str) -> tuple[str, str] | None:
    """(A, B) of "A比B少/多…" or "A和B相差…"."""
    m = re.search(rf"(.+?)比(.+?){_DIRECTION}", topic)
    if m and _clean(m.group(1)) and _clean(m.group(2)):
        return _clean(m.group(1)), _clean(m.group(2))
    m = re.search(r"(.+?)(?:和|与|跟)(.+?)(?:相差|差额|差多少|差距|之差)", topic)
    if m:
        return _clean(m.group(1)), _clean(m.group(2))
    m = re.search(r"(?:difference|gap) between (.+?)\s*、\s*(.+)", topic, re.I)
    if m and _clean(m.group(1)) and _clean(m.group(2)):
        return _clean(m.group(1)), _clean(m.group(2))
    m = re.search(r"(?:more|less|larger|smaller|higher|lower|bigger|greater) (?:is |are |was |were )?(.+?) than (.+)",
                  topic, re.I)
    if m:
        return _clean(m.group(1)), _clean(m.group(2))
    m = re.search(r"(.+?) (?:exceeds?|exceeded|outstrips?|surpass(?:es|ed)?) (.+)", topic, re.I)
    if m and _clean(m.group(1)) and _clean(m.group(2)):
        return _clean(m.group(1)), _clean(m.group(2))
    return None


def split_items(topic: str) -> tuple[list[str], str]:
    """Items of a sum or comparison, and the shared context: "三公经费各项（出国、接待）" ->
    (["出国", "接待"], "三公经费")."""
    m = re.search(r"[（(]([^）)]+)[)）]", topic)
    if m and re.search(r"[、,，/]|和|与|及", m.group(1)):
        items = [_clean(x) for x in re.split(r"[、,，/]|和|与|及|以及", m.group(1)) if _clean(x)]
        context = _clean(_SUM_CUES.sub(" ", topic[:m.start()] + " " + topic[m.end():]))
        return items, context
    t = _SUM_CUES.sub(" ", topic)
    t = re.sub(r"哪(?:个|家|一个|一家|项)[^ ]*|谁[^ ]*|最高|最多|最大|最低|最少|最小", " ", t)
    items = [_clean(x) for x in re.split(r"[、/+]|以及|和|与|及|跟|加上|\band\b|\bplus\b", t, flags=re.I) if _clean(x)]
    return _share_subject(_share_tail(_share_head(items))), ""


_MEASURE_TAIL = re.compile(r"(?:的)?(?:项目)?(?:绩效)?(?:自评)?(?:预算)?(?:得分|总分|评分|分数|执行率|完成率)\s*$|"
                           r"\s*(?:self-evaluation |self-assessment |performance )?(?:score|rating|execution rate)\s*$", re.I)


def _share_subject(items: list[str]) -> list[str]:
    """"一般公共预算财政拨款的年初预算、调整预算和实际执行": bare stage words (调整预算, 实际执行, 决算数) borrow the
    first item's subject."""
    if len(items) < 2:
        return items
    if any(measure_only(x) for x in items[1:]) and not measure_only(items[0]):
        # "A项目自评得分和预算执行率": a bare rate or score is of the first item's subject
        subject = _clean(_MEASURE_TAIL.sub("", items[0]))
        if subject and subject != items[0]:
            return [items[0]] + [f"{subject} {x}" if measure_only(x) else x for x in items[1:]]
    subject = _clean(re.sub(r"(?:的)?(?:年初|调整后?的?|全年|实际)?(?:预算|决算|执行)?数?$", "", items[0]))
    if not subject or subject == items[0]:
        return items
    return [items[0]] + [f"{subject} {x}" if not _STAGE.sub("", re.sub(r"\s+", "", x)) else x for x in items[1:]]


def _share_head(items: list[str]) -> list[str]:
    """"基本和项目支出" / "basic and project expenditure": a bare modifier borrows the last item's head noun."""
    if len(items) < 2:
        return items
    items = [re.sub(r"^(?:(?:is|are|was|were|of|the|total|sum|in|on|for)\s+)+|(?:\s+(?:in|of|on|for|is))+$", "", x,
                    flags=re.I).strip() or x for x in items]
    last = items[-1]
    if re.fullmatch(r"[A-Za-z]+", items[0]) and re.fullmatch(r"[A-Za-z]+(?: [A-Za-z]+)+", last):
        head = last.split(" ", 1)[1]
        return [f"{x} {head}" if re.fullmatch(r"[A-Za-z]+", x) else x for x in items[:-1]] + [last]
    if re.fullmatch(r"[\u4e00-\u9fff]{1,2}", items[0]) and re.fullmatch(r"[\u4e00-\u9fff]{4,}", last):
        from assistant.matching import segment
        words = segment(last)
        if len(words) >= 2 and len(words[-1]) >= 2:
            return [f"{x}{words[-1]}" if re.fullmatch(r"[\u4e00-\u9fff]{1,2}", x) else x for x in items[:-1]] + [last]
    return items


def _share_tail(items: list[str]) -> list[str]:
    """"医疗费用和生育费用报销 网上申请预审": the words after the last item's head noun (the head it shares
    with the first item, 费用) belong to every item -> 医疗费用 报销 网上申请预审 / 生育费用报销 网上申请预审."""
    if len(items) < 2 or not re.fullmatch(r"[\u4e00-\u9fff]{3,}", items[0]):
        return items
    first, last = items[0], items[-1]
    for n in range(len(first) - 1, 1, -1):
        at = last.find(first[-n:], 1)
        if at > 0:
            tail = _clean(last[at + n:])
            if len(re.findall(r"[\u4e00-\u9fff]", tail)) < 2:
                return items
            return [f"{x} {tail}" if x != last else x for x in items[:-1]] + [last]
    return items


_STAGE = re.compile(r"年初|调整后?的?|全年|实际|执行|决算|预算数|预算|支出|数|的|后")


def inherit_subject(a: str, b: str) -> tuple[str, str]:
    """"一般公共预算实际支出" vs "调整后预算": the bare stage word borrows the other side's subject
    -> ("一般公共预算实际支出", "一般公共预算支出 调整后预算")."""
    def bare(x: str) -> bool:
        return not _STAGE.sub("", re.sub(r"\s+", "", x))

    def subject(x: str) -> str:
        return re.sub(r"年初|调整后?的?|全年|实际|执行", "", x).strip()

    if bare(b) and not bare(a) and subject(a):
        return a, f"{subject(a)} {b}"
    if bare(a) and not bare(b) and subject(b):
        return f"{subject(b)} {a}", b
    return a, b
