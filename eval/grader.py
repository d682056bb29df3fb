"""Grade one answer against one gold item (pure functions, no I/O).

correct            number: a figure in the answer text equals the gold value within tolerance
                   (units converted exactly, 万元 <-> 元) and every must_contain entry is present;
                   text: every must_contain entry is present; refusal: the answer refuses and
                   gives no figure as the answer (Answer.value is None).
cited              a citation points at a gold source (same doc and line, or same doc and a quote
                   containing the source quote; a PDF/XLSX/DOCX rendering of the gold .txt, named by
                   its stem, counts as the same doc by quote only); a correct refusal counts as cited.
answered_and_cited correct and cited.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from decimal import Decimal
from pathlib import PurePath

from assistant.model import Answer, Citation
from eval.figures import as_number, compact, extract_figures, in_unit
from eval.gold import GoldItem, Source

_REFUSAL_PATTERNS = [re.compile(p, re.I) for p in (
    r"(文件|文档|资料|材料|报告|预算|决算|公开|语料)[^。；;!！\n]{0,24}(没有|未|并未|不|均未|都没有)"
    r"(包含|包括|提供|公开|披露|列出|列明|载明|说明|涉及|记载|提及|出现|覆盖|收录|给出)",
    r"(未能|没有|无法|不能|未)(找到|查到|检索到|回答|确定|提供相关)",
    r"(没有|并无|无|缺少|缺乏)(相关|该项?|此项?|这方面的?|具体)?(的)?(数据|信息|内容|记录|资料|文件)",
    r"(文件|文档|资料|语料|材料)(中|里|内|里面)?(没有|并无|不含|未见|未列|未提供)",
    r"不在(所给|现有|提供的)?(文件|文档|资料)|不予公开|未予公开|找不到|查不到",
    r"\b(do(es)?\s*n[o']?t|did\s*n[o']?t|cannot|can['’]?t|could\s*n[o']?t)\s+(contain|include|cover|mention|"
    r"publish|provide|give|say|state|find|disclose|list|report|answer)",
    r"\bnot\s+(in|found|available|published|disclosed|covered|included|provided|stated|mentioned|given)\b",
    r"\bno\s+(data|information|figures?|records?|documents?|mention)\b",
)]


@dataclass(frozen=True)
class Grade:
    kind: str                 # the gold answer type: number | text | refusal
    correct: bool
    cited: bool
    answered_and_cited: bool
    refused: bool             # the answer is a refusal (flag, or says so with no value)
    reasons: tuple[str, ...] = ()   # why it is not correct / not cited
    matched: str | None = None      # the figure that matched the gold value

    def to_json(self) -> dict:
        d = asdict(self)
        d["reasons"] = list(self.reasons)
        return d

    @classmethod
    def from_json(cls, d: dict) -> "Grade":
        return cls(**{**d, "reasons": tuple(d.get("reasons") or ())})


def says_not_in_documents(text: str) -> bool:
    """The text says the documents do not contain what was asked."""
    return any(p.search(text or "") for p in _REFUSAL_PATTERNS)


def is_refusal(answer: Answer) -> bool:
    return bool(answer.refusal) or (answer.value is None and says_not_in_documents(answer.text))


def _close(a: Decimal, b: Decimal, tol: Decimal) -> bool:
    return abs(abs(a) - abs(b)) <= tol      # direction is said in words (少了 / decreased)


def find_value(text: str, value: Decimal, unit: str | None, tol: Decimal) -> str | None:
    """The printed figure that equals value (in unit) within tolerance, if any."""
    for fig in extract_figures(text):
        if any(_close(v, value, tol) for v in in_unit(fig, unit)):
            return fig.text
    return None


def contains(text: str, needle: str, unit: str | None = None, tol: Decimal = Decimal(0)) -> bool:
    """needle is in text: numerically for numbers ("7,171.87" ~ "7171.87", "400000" ~ "40万"),
    otherwise as a normalised substring (full-width/half-width, >= vs ≥, spaces, thousands commas)."""
    number = as_number(needle)
    if number is None:
        return compact(needle) in compact(text)
    for fig in extract_figures(text):          # never as a substring: "369" is not in "13,690"
        values = in_unit(fig, unit) + [fig.value]
        if any(_close(v, number, tol) for v in values):
            return True
    return False


RENDERED_SUFFIXES = (".pdf", ".xlsx", ".docx")


def _doc_match(cited: str, gold: str) -> str | None:
    """'same' when the citation names the gold file; 'rendering' when it names the same document in
    another format (000_x.pdf for gold 000_x.txt: the renderer keeps the stem, and its line numbers
    are its own, so only the quote can match); None otherwise."""
    name, want = PurePath(cited or "").name, PurePath(gold)
    if not name:
        return None
    if name == want.name:
        return "same"
    path = PurePath(name)
    if path.stem == want.stem and path.suffix.lower() in RENDERED_SUFFIXES and want.suffix == ".txt":
        return "rendering"
    return None


def cites_source(citations: list[Citation], sources: tuple[Source, ...]) -> bool:
    """A citation names a gold source's doc and line, or its quote contains the source quote."""
    for c in citations:
        for s in sources:
            match = _doc_match(c.doc, s.doc)
            if match is None:
                continue
            if match == "same" and c.line == s.line:
                return True
            quote = compact(s.quote)
            if len(quote) >= 4 and quote in compact(c.quote or ""):
                return True
    return False


def grade(item: GoldItem, answer: Answer) -> Grade:
    gold = item.answer
    text = answer.text or ""
    refused = is_refusal(answer)
    reasons: list[str] = []
    matched = None

    if gold.type == "refusal":
        if not refused:
            reasons.append("did not refuse: the documents do not contain this")
        if answer.value is not None:
            reasons.append(f"refusal item but the answer gives a value ({answer.value})")
        correct = not reasons
        return Grade(gold.type, correct, correct, correct, refused, tuple(reasons))

    if answer.refusal:
        reasons.append("refused an answerable question")
    if not text.strip():
        reasons.append("empty answer text")
    if gold.type == "number":
        matched = find_value(text, gold.value, gold.unit, gold.tolerance)
        if matched is None:
            reasons.append(f"no figure equal to {gold.value} {gold.unit or ''} (±{gold.tolerance}) in the text")
    for needle in gold.must_contain:
        if not contains(text, needle, gold.unit, gold.tolerance):
            reasons.append(f"missing {needle!r}")
    correct = not reasons
    cited = cites_source(answer.citations, item.sources)
    if not cited:
        reasons.append("no citation of a gold source line")
    return Grade(gold.type, correct, cited, correct and cited, refused, tuple(reasons), matched)
