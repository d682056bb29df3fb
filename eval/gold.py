"""Gold QA items (format: eval/FORMAT.md): reading JSONL and typed records."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

CATEGORIES = frozenset({"lookup_table", "lookup_text", "sum", "difference", "ratio",
                        "compare_docs", "count", "refusal", "text_fact"})
ANSWER_TYPES = frozenset({"number", "text", "refusal"})
ROLES = frozenset({"user", "assistant"})


class GoldFormatError(ValueError):
    """A gold set that cannot be read; the message names the file and line or item."""


@dataclass(frozen=True)
class Source:
    doc: str
    line: int
    quote: str
    table: str = ""


@dataclass(frozen=True)
class Turn:
    role: str       # user | assistant
    content: str


@dataclass(frozen=True)
class GoldAnswer:
    type: str                          # number | text | refusal
    value: Decimal | None = None
    unit: str | None = None
    text: str = ""
    must_contain: tuple[str, ...] = ()
    tolerance: Decimal = Decimal(0)

    def expected(self) -> str:
        """Short human description of what a right answer gives."""
        if self.type == "number":
            return f"{self.value:,} {self.unit or ''}".strip()
        if self.type == "refusal":
            return "refusal: " + self.text
        return self.text


@dataclass(frozen=True)
class GoldItem:
    id: str
    question: str
    category: str
    answer: GoldAnswer
    sources: tuple[Source, ...]
    notes: str = ""
    calculation: str | None = None
    history: tuple[Turn, ...] = ()
    raw: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def docs(self) -> tuple[str, ...]:
        """Documents the item cites, sorted, without repeats."""
        return tuple(sorted({s.doc for s in self.sources}))

    def history_json(self) -> list[dict]:
        return [{"role": t.role, "content": t.content} for t in self.history]


def read_jsonl(path: Path) -> tuple[list[dict], list[str]]:
    """Objects of a JSONL file and the errors of lines that are not JSON objects."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise GoldFormatError(f"{path}: cannot read ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise GoldFormatError(f"{path}: not UTF-8 text ({exc.reason})") from exc
    objects, errors = [], []
    for lineno, raw in enumerate(text.splitlines(), 1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            errors.append(f"{path.name}:{lineno}: invalid JSON: {exc.msg}")
            continue
        if not isinstance(obj, dict):
            errors.append(f"{path.name}:{lineno}: expected a JSON object")
            continue
        objects.append(obj)
    return objects, errors


def _decimal(value, what: str, item_id: str) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise GoldFormatError(f"{item_id}: {what} must be a number")
    try:
        return Decimal(str(value).replace(",", ""))
    except InvalidOperation as exc:
        raise GoldFormatError(f"{item_id}: {what} {value!r} is not a number") from exc


def parse_history(raw, item_id: str = "?") -> tuple[Turn, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise GoldFormatError(f"{item_id}: history must be a list of turns")
    turns = []
    for n, turn in enumerate(raw, 1):
        if not isinstance(turn, dict) or turn.get("role") not in ROLES \
                or not isinstance(turn.get("content"), str) or not turn["content"].strip():
            raise GoldFormatError(
                f"{item_id}: history turn {n} must be {{\"role\": \"user\"|\"assistant\", \"content\": text}}")
        turns.append(Turn(turn["role"], turn["content"]))
    return tuple(turns)


def parse_item(raw: dict) -> GoldItem:
    """Typed item from one JSON object; GoldFormatError names what is missing."""
    item_id = str(raw.get("id") or "?")
    for key in ("id", "question", "category", "answer", "sources"):
        if not raw.get(key):
            raise GoldFormatError(f"{item_id}: missing {key}")
    ans = raw["answer"]
    if not isinstance(ans, dict) or ans.get("type") not in ANSWER_TYPES:
        raise GoldFormatError(f"{item_id}: answer.type must be one of {sorted(ANSWER_TYPES)}")
    must = ans.get("must_contain") or []
    if not isinstance(must, list) or not all(isinstance(m, str) for m in must):
        raise GoldFormatError(f"{item_id}: answer.must_contain must be a list of strings")
    answer = GoldAnswer(
        type=ans["type"],
        value=_decimal(ans.get("value"), "answer.value", item_id),
        unit=ans.get("unit") or None,
        text=ans.get("text") or "",
        must_contain=tuple(must),
        tolerance=_decimal(ans.get("tolerance"), "answer.tolerance", item_id) or Decimal(0),
    )
    if answer.type == "number" and answer.value is None:
        raise GoldFormatError(f"{item_id}: a number answer needs answer.value")
    sources = []
    for s in raw["sources"]:
        if not isinstance(s, dict) or not s.get("doc") or not isinstance(s.get("line"), int):
            raise GoldFormatError(f"{item_id}: each source needs doc and an integer line")
        sources.append(Source(doc=s["doc"], line=s["line"], quote=s.get("quote") or "",
                              table=s.get("table") or ""))
    return GoldItem(
        id=item_id, question=raw["question"], category=raw["category"], answer=answer,
        sources=tuple(sources), notes=raw.get("notes") or "",
        calculation=raw.get("calculation") or None,
        history=parse_history(raw.get("history"), item_id), raw=raw,
    )


def load_gold(path: Path) -> list[GoldItem]:
    """All items of a gold set; any unreadable line or item is an error naming it."""
    objects, errors = read_jsonl(path)
    items = []
    for obj in objects:
        try:
            items.append(parse_item(obj))
        except GoldFormatError as exc:
            errors.append(f"{Path(path).name}: {exc}")
    if errors:
        raise GoldFormatError("; ".join(errors[:5]) + (f" (+{len(errors) - 5} more)" if len(errors) > 5 else ""))
    if not items:
        raise GoldFormatError(f"{path}: no items")
    seen: set[str] = set()
    for it in items:
        if it.id in seen:
            raise GoldFormatError(f"{Path(path).name}: duplicate id {it.id}")
        seen.add(it.id)
    return items
