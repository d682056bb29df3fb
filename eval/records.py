"""One evaluated item as recorded in a run's answers.jsonl, and Answer <-> JSON."""
from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from assistant.model import Answer, Calculation, Citation
from eval.grader import Grade

ANSWERS_FILE = "answers.jsonl"


def _dec(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def answer_from_json(d: dict) -> Answer:
    """Inverse of Answer.to_json (for re-grading recorded runs)."""
    citations = []
    for c in d.get("citations") or []:
        citations.append(Citation(
            doc=c.get("doc") or "", org=c.get("org") or "", year=int(c.get("year") or 0),
            kind=c.get("kind") or "", table=c.get("table") or "", row=c.get("row") or "",
            line=int(c.get("line") or 0), quote=c.get("quote") or "", value=_dec(c.get("value")),
            column=c.get("column") or "", unit=c.get("unit"), scope=c.get("scope"),
            table_id=c.get("table_id"), row_code=c.get("row_code")))
    calc = None
    if d.get("calculation"):
        calc = Calculation(expression=d["calculation"], result=_dec(d.get("value")) or Decimal(0),
                           shown=d.get("calculation_shown") or "")
    others = [Calculation(expression=c.get("expression") or "", result=_dec(c.get("result")) or Decimal(0),
                          shown=c.get("shown") or "")
              for c in d.get("calculations") or [] if isinstance(c, dict) and c.get("expression")]
    if calc is not None and others and others[0].expression == calc.expression:
        calc = others[0]                      # the recorded result, not the rounded value
    return Answer(text=d.get("answer") or "", value=_dec(d.get("value")), unit=d.get("unit"),
                  calculation=calc, refusal=bool(d.get("refusal")), citations=citations,
                  language=d.get("language") or "zh", calculations=others[1:] if calc is not None else others)


@dataclass(frozen=True)
class Retrieval:
    k: int
    all_sources: bool       # every gold source line lies inside some hit
    any_source: bool        # at least one does
    hits: tuple[dict, ...] = ()   # doc, line_start, line_end, score of each hit

    def to_json(self) -> dict:
        return {"k": self.k, "all_sources": self.all_sources, "any_source": self.any_source,
                "hits": list(self.hits)}

    @classmethod
    def from_json(cls, d: dict | None) -> "Retrieval | None":
        if not d:
            return None
        return cls(int(d["k"]), bool(d["all_sources"]), bool(d["any_source"]), tuple(d.get("hits") or ()))


@dataclass(frozen=True)
class Record:
    id: str
    question: str
    category: str
    docs: tuple[str, ...]
    expected: str            # short description of the gold answer
    gold: dict               # the gold item as in the set
    answer: dict | None      # Answer.to_json(), None when ask() failed
    grade: Grade
    latency_ms: float
    retrieval: Retrieval | None = None
    error: str | None = None

    @property
    def got(self) -> str:
        if self.error:
            return f"ERROR: {self.error}"
        return (self.answer or {}).get("answer") or ""

    def to_json(self) -> dict:
        return {
            "id": self.id, "question": self.question, "category": self.category,
            "docs": list(self.docs), "expected": self.expected, "gold": self.gold,
            "answer": self.answer, "latency_ms": round(self.latency_ms, 2),
            "grade": self.grade.to_json(),
            "retrieval": None if self.retrieval is None else self.retrieval.to_json(),
            "error": self.error,
        }

    @classmethod
    def from_json(cls, d: dict) -> "Record":
        return cls(id=d["id"], question=d["question"], category=d["category"],
                   docs=tuple(d.get("docs") or ()), expected=d.get("expected") or "",
                   gold=d.get("gold") or {}, answer=d.get("answer"),
                   grade=Grade.from_json(d["grade"]), latency_ms=float(d.get("latency_ms") or 0),
                   retrieval=Retrieval.from_json(d.get("retrieval")), error=d.get("error"))


def write_records(records: list[Record], path: Path) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r.to_json(), ensure_ascii=False, default=str) + "\n")


def read_records(path: Path) -> list[Record]:
    path = Path(path)
    if path.is_dir():
        path = path / ANSWERS_FILE
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no recorded answers (expected a run folder holding {ANSWERS_FILE})")
    records = []
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if line.strip():
                try:
                    records.append(Record.from_json(json.loads(line)))
                except (json.JSONDecodeError, KeyError, TypeError) as exc:
                    raise ValueError(f"{path}:{lineno}: not a run record ({exc})") from exc
    return records
