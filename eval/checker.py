"""Validate a gold set against the corpus folder (a port of eval/check_gold.py's rules).

Per item: schema, unique ids, valid category and answer type, every quote an exact substring of its
1-based line in corpus/<doc>, calculations recomputed with Decimal and equal to the value within
tolerance, calculation literals printed in a quote (except 100 and 10000), lookup values among the
quoted numbers, must_contain consistent with the value or text, and a well-formed history.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from corpus.loader import DocumentError, load_document
from eval.calc import CalcError, evaluate
from eval.gold import ANSWER_TYPES, CATEGORIES, GoldFormatError, parse_history, read_jsonl

NEEDS_CALC = frozenset({"sum", "difference", "ratio"})
UNIT_CONSTANTS = frozenset({Decimal(100), Decimal(10000)})
_NUM_RE = re.compile(r"\d+(?:\.\d+)?")


@dataclass
class CheckReport:
    items: int = 0
    errors: dict[str, list[str]] = field(default_factory=dict)   # item id (or file:line) -> problems
    quotes_checked: int = 0
    calculations: int = 0
    per_category: Counter = field(default_factory=Counter)
    per_doc: Counter = field(default_factory=Counter)
    multi_turn: int = 0

    @property
    def failed(self) -> list[str]:
        return sorted(k for k, v in self.errors.items() if v)

    @property
    def ok(self) -> bool:
        return self.items > 0 and not self.failed

    def lines(self) -> list[str]:
        out = [f"FAIL {iid}: {e}" for iid in self.failed for e in self.errors[iid]]
        passed = self.items - len([f for f in self.failed if not f.startswith("line ")])
        out += [
            f"items: {self.items}  quotes checked: {self.quotes_checked}  "
            f"calculations recomputed: {self.calculations}  multi-turn: {self.multi_turn}",
            "per category: " + str(dict(sorted(self.per_category.items()))),
            "quotes per document: " + str(dict(sorted(self.per_doc.items()))),
            f"passed {passed}/{self.items}",
        ]
        return out


class _Corpus:
    """Lines of corpus documents, loaded on first use."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self._lines: dict[str, tuple[str, ...] | None] = {}

    def lines(self, doc: str) -> tuple[str, ...] | None:
        if doc not in self._lines:
            path = self.folder / doc
            try:
                ok = path.resolve().parent == self.folder.resolve() and path.is_file()
                self._lines[doc] = load_document(path).lines if ok else None
            except DocumentError:
                self._lines[doc] = None
        return self._lines[doc]


def _numbers(text: str) -> list[Decimal]:
    return [Decimal(m) for m in _NUM_RE.findall(text.replace(",", ""))]


def _as_decimal(value) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value).replace(",", ""))
    except InvalidOperation:
        return None


def check_item(raw: dict, corpus: _Corpus, report: CheckReport) -> list[str]:
    err: list[str] = []
    for key in ("id", "question", "category", "answer", "sources", "notes"):
        if not raw.get(key):
            err.append(f"missing {key}")
    category = raw.get("category")
    if category not in CATEGORIES:
        err.append(f"bad category {category!r}")
    ans = raw.get("answer") if isinstance(raw.get("answer"), dict) else {}
    atype = ans.get("type")
    if atype not in ANSWER_TYPES:
        err.append(f"bad answer.type {atype!r}")
    if (atype == "refusal") != (category == "refusal"):
        err.append("refusal category/type mismatch")
    must = ans.get("must_contain")
    if not isinstance(must, list) or not all(isinstance(m, str) for m in must):
        err.append("answer.must_contain must be a list of strings")
        must = []
    try:
        if parse_history(raw.get("history"), str(raw.get("id"))):
            report.multi_turn += 1
    except GoldFormatError as exc:
        err.append(str(exc).split(": ", 1)[-1])

    quote_numbers: list[Decimal] = []
    sources = raw.get("sources") if isinstance(raw.get("sources"), list) else []
    for src in sources:
        if not isinstance(src, dict):
            err.append("source must be an object")
            continue
        doc, line, quote = src.get("doc"), src.get("line"), src.get("quote")
        lines = corpus.lines(doc) if isinstance(doc, str) and doc else None
        if lines is None:
            err.append(f"unknown doc {doc!r} (not in {corpus.folder})")
            continue
        report.per_doc[doc[:3]] += 1
        if not isinstance(line, int) or isinstance(line, bool) or not 1 <= line <= len(lines):
            err.append(f"{doc}: line {line} out of range")
            continue
        report.quotes_checked += 1
        if not quote or quote not in lines[line - 1]:
            err.append(f"{doc}:{line}: quote not found: {quote!r}")
        else:
            quote_numbers.extend(_numbers(quote))

    if atype == "number":
        err.extend(_check_number(raw, ans, must, quote_numbers, report))
    elif atype == "text":
        if not ans.get("text"):
            err.append("text answer needs answer.text")
        err.extend(f"must_contain {m!r} not in answer.text" for m in must if m not in (ans.get("text") or ""))
    elif atype == "refusal" and not ans.get("text"):
        err.append("refusal needs answer.text describing the expected behaviour")
    return err


def _check_number(raw: dict, ans: dict, must: list[str], quote_numbers: list[Decimal],
                  report: CheckReport) -> list[str]:
    value, tol = _as_decimal(ans.get("value")), _as_decimal(ans.get("tolerance"))
    if value is None or tol is None:
        return ["number answer needs value and tolerance"]
    err = [] if ans.get("unit") else ["number answer needs unit"]
    calc = raw.get("calculation")
    if raw.get("category") in NEEDS_CALC and not calc:
        err.append("category needs a calculation")
    if calc:
        try:
            got, literals = evaluate(str(calc))
        except CalcError as exc:
            err.append(f"calculation not evaluable: {exc}")
        else:
            report.calculations += 1
            if abs(got - value) > tol:
                err.append(f"calculation {calc} = {got:f} != value {value} (tolerance {tol})")
            err.extend(f"calculation literal {d} not printed in any quote" for d in literals
                       if d not in UNIT_CONSTANTS and d not in quote_numbers)
    elif not any(abs(q - value) <= tol for q in quote_numbers):
        err.append(f"lookup value {value} not among quoted numbers")
    slack = max(tol, Decimal("0.005"))
    if not any((d := _as_decimal(m)) is not None and abs(d - value) <= slack for m in must):
        err.append(f"must_contain {must} has no entry equal to value {value}")
    return err


def check_set(path: Path, corpus_dir: Path) -> CheckReport:
    """Check every item of a gold set; the report holds all problems (nothing raised for bad items)."""
    objects, json_errors = read_jsonl(Path(path))
    report = CheckReport(items=len(objects))
    for n, e in enumerate(json_errors):
        report.errors[f"line {n + 1}"] = [e]
    corpus = _Corpus(corpus_dir)
    ids = Counter(str(o.get("id")) for o in objects)
    for n, raw in enumerate(objects, 1):
        iid = str(raw.get("id") or f"#{n}")
        err = check_item(raw, corpus, report)
        if ids[str(raw.get("id"))] > 1:
            err.append(f"duplicate id (appears {ids[str(raw.get('id'))]} times)")
        report.per_category[raw.get("category")] += 1
        if err:
            report.errors.setdefault(iid, []).extend(err)
    return report
