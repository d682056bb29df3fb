"""A property the documents state in words, not a figure ("什么级别的建制" → 正处级建制, "评价等级" → 优秀): the
sentence of a document whose words best cover the question's subject, re-joined across line breaks. Pure."""
from __future__ import annotations

import re
from dataclasses import dataclass

ASKS_PROPERTY = re.compile(r"什么(?:级别|等级|性质|建制|级|类型|档次|评价|结论)|(?:评价|评定|绩效)?等级|级别|建制|"
                           r"哪(?:一)?(?:级|个等级|类|一类)|评价(?:结果|结论)|"
                           r"\bwhat (?:grade|rating|level|rank|kind of (?:body|unit|agency))\b|\b(?:rated|graded)\b", re.I)
ASKS_FIGURE = re.compile(r"多少|几[个台人项家年次笔辆名倍成分]|百分之|金额|how much|how many|percent", re.I)
ASKS_PARTY = re.compile(r"哪(?:一)?家(?:公司|企业|单位|机构|供应商)|什么公司|哪个公司|谁(?:来)?(?:做|干|承接|中标|提供|负责)的?|"
                        r"承接(?:单位|公司|方)|中标(?:单位|公司|方|供应商)?|供应商|服务商|外包给|"
                        r"\bwhich (?:company|firm|vendor|supplier|contractor)\b|\bwho (?:got|won|runs|provides|supplies|"
                        r"did|does|was awarded)\b|\b(?:contractor|supplier|vendor)s?\b", re.I)
# the who itself, without the party nouns (外包给, 供应商) that an amount question may also use
_ASKS_WHO = re.compile(r"哪(?:一)?家|什么(?:公司|单位|机构)|哪个(?:公司|单位|机构)|谁|\bwhich (?:company|firm|vendor|supplier|"
                       r"contractor)\b|\bwho\b", re.I)
PARTY_WORDS = ("公司", "有限", "集团", "中标", "供应商", "服务商", "承接单位")
MIN_COVER = 0.5
MAX_LINES = 3
CONTEXT = 2            # earlier sentences read with a sentence for its subject


@dataclass(frozen=True)
class Statement:
    line: int          # 1-based line the sentence starts on
    text: str
    cover: float       # weighted share of the subject's words the sentence contains


def asks_party(question: str) -> bool:
    """Who does or supplies something (哪家公司做的 / which contractor): a name, never a figure. A party word in a
    question that asks an amount and no who (外包给第三方要花多少) asks the amount."""
    if not ASKS_PARTY.search(question):
        return False
    return bool(_ASKS_WHO.search(question)) or not ASKS_FIGURE.search(question)


def asks_property(question: str) -> bool:
    return bool(ASKS_PROPERTY.search(question)) and not ASKS_FIGURE.search(question)


def _sentences(lines: list[str]):
    """(first line, sentence) over the prose lines; a sentence broken over lines (blank lines between, as
    PDF extractions print them) is joined up to MAX_LINES text lines."""
    text_lines = [(n, line.strip()) for n, line in enumerate(lines, 1) if line.strip() and "\t" not in line]
    for i, (n, text) in enumerate(text_lines):
        j = i + 1
        while not re.search(r"[。；;!！]$", text) and j < len(text_lines) and j - i < MAX_LINES and \
                text_lines[j][0] - text_lines[j - 1][0] <= 2:
            text += text_lines[j][1]
            j += 1
        for part in re.split(r"(?<=[。；;])", text):
            if part.strip():
                yield n, part.strip()


PROPERTY_WORDS = ("等级", "级别", "建制", "性质", "类型", "档次", "结论", "grade", "rating", "level", "rank", "rated", "graded")
_EN_TO_ZH = {"grade": "等级", "rating": "等级", "rated": "等级", "graded": "等级", "level": "级", "rank": "级"}


def property_words(question: str) -> set[str]:
    """The words naming the property asked (等级, 建制 …), as the documents print them."""
    q = question.lower()
    return {_EN_TO_ZH.get(w, w) for w in PROPERTY_WORDS if w in q}


def best_statement(lines: list[str], units, must: set[str] = frozenset(), told=()) -> Statement | None:
    """units: the subject's matching units (assistant.matching.Unit: alts as bigram sets, weight); must: a
    sentence that states the property prints one of these words."""
    total = sum(u.weight for u in units) or 0.0
    if not total:
        return None
    best: Statement | None = None
    before: list[str] = []
    for n, text in _sentences(lines):
        context = "".join(before[-CONTEXT:]) + text       # "该项目…": the subject is named a sentence or two before
        before.append(text)
        if must and not any(w in text for w in must):
            continue
        bg = {context[i:i + 2] for i in range(len(context) - 1)}
        hit = sum(u.weight for u in units if any(a and a <= bg for a in u.alts))
        cover = hit / total
        if best is None or cover > best.cover:
            best = Statement(n, text, cover)
    known: Statement | None = None
    for n, text, subject in told:           # sentences whose subject is known: (line, sentence, subject)
        context = f"{subject}{text}"
        bg = {context[i:i + 2] for i in range(len(context) - 1)}
        cover = sum(u.weight for u in units if any(a and a <= bg for a in u.alts)) / total
        if known is None or cover > known.cover:
            known = Statement(n, text, cover)
    if known is not None and known.cover >= MIN_COVER:
        return known                        # its subject is read, not guessed from neighbouring sentences
    return best if best is not None and best.cover >= MIN_COVER else None

