"""What the app serves: the assistant, the source library and their reload after the corpus changes."""
from __future__ import annotations

import threading
from dataclasses import dataclass
from collections.abc import Callable
from typing import Any, Protocol

from assistant.model import Answer
from corpus.model import BUDGET, FINAL_ACCOUNTS
from settings import Settings
from webui.facts import FactBrowser
from webui.sources import SourceLibrary



@dataclass(frozen=True)
class Limits:
    """Request size caps (from settings): a question's length, the history's turns and characters."""
    question_chars: int = 2000
    history_turns: int = 20
    history_chars: int = 20000

    @classmethod
    def from_settings(cls, settings: Settings) -> "Limits":
        return cls(settings.max_question_chars, settings.max_history_turns, settings.max_history_chars)


class AskingAssistant(Protocol):
    def ask(self, question: str, history: list[dict] | None = None, filters: dict | None = None) -> Answer: ...


class RequestError(ValueError):
    """A request the app cannot answer as given; the message says why (shown to the user / HTTP 400)."""


@dataclass(frozen=True)
class Filters:
    org: str | None = None
    year: int | None = None
    kind: str | None = None

    def to_dict(self) -> dict:
        return {k: v for k, v in (("org", self.org), ("year", self.year), ("kind", self.kind)) if v is not None}


def parse_filters(raw: dict | None) -> Filters:
    """Filters from JSON or the UI; blank values mean 'all'. Unknown keys or bad values are a RequestError."""
    if not raw:
        return Filters()
    if not isinstance(raw, dict):
        raise RequestError("filters must be an object like {\"org\": ..., \"year\": 2024, \"kind\": \"预算\"}")
    unknown = set(raw) - {"org", "year", "kind"}
    if unknown:
        raise RequestError(f"unknown filter(s): {', '.join(sorted(unknown))}; allowed: org, year, kind")
    org = str(raw.get("org") or "").strip() or None
    year_raw = raw.get("year")
    year = None
    if year_raw not in (None, ""):
        try:
            year = int(str(year_raw).strip())
        except ValueError:
            raise RequestError(f"filter year must be a year like 2024, not {year_raw!r}") from None
    kind = str(raw.get("kind") or "").strip() or None
    kind = {"budget": BUDGET, "final": FINAL_ACCOUNTS, "final accounts": FINAL_ACCOUNTS}.get((kind or "").lower(), kind)
    if kind not in (None, BUDGET, FINAL_ACCOUNTS):
        raise RequestError(f"filter kind must be 预算 (budget) or 决算 (final accounts), not {kind!r}")
    return Filters(org=org, year=year, kind=kind)


def check_question(question: Any, limits: Limits = Limits()) -> str:
    if not isinstance(question, str) or not question.strip():
        raise RequestError("问题为空 / question is empty; ask something like 2024年江门市医疗保障局的“三公”经费预算是多少？")
    question = question.strip()
    if len(question) > limits.question_chars:
        raise RequestError(f"问题有 {len(question)} 字，上限 {limits.question_chars} 字，请缩短 / "
                           f"question is {len(question)} characters; the limit is {limits.question_chars}")
    return question


def check_history(history: Any, limits: Limits = Limits()) -> list[dict]:
    """History as [{"role": "user"|"assistant", "content": str}]; past the turn or character cap, a RequestError."""
    if not history:
        return []
    if not isinstance(history, list):
        raise RequestError("history must be a list of {\"role\", \"content\"} messages")
    clean = []
    for item in history:
        if not isinstance(item, dict) or item.get("role") not in ("user", "assistant") \
                or not isinstance(item.get("content"), str):
            raise RequestError("each history item must be {\"role\": \"user\"|\"assistant\", \"content\": \"...\"}")
        clean.append({"role": item["role"], "content": item["content"]})
    turns = sum(1 for item in clean if item["role"] == "user")
    if turns > limits.history_turns:
        raise RequestError(f"对话历史有 {turns} 轮，上限 {limits.history_turns} 轮 / history has {turns} turns; "
                           f"the limit is {limits.history_turns} (send only the most recent turns)")
    chars = sum(len(item["content"]) for item in clean)
    if chars > limits.history_chars:
        raise RequestError(f"对话历史有 {chars} 字，上限 {limits.history_chars} 字 / history is {chars} characters; "
                           f"the limit is {limits.history_chars} (send only the most recent turns)")
    return clean


def trim_history(history: list[dict], limits: Limits) -> list[dict]:
    """The chat's own history cut to the limits, oldest turns first (so a long conversation keeps going)."""
    kept: list[dict] = []
    chars = turns = 0
    for item in reversed(history):
        chars += len(item["content"])
        turns += item["role"] == "user"
        if chars > limits.history_chars or turns > limits.history_turns:
            break
        kept.insert(0, item)
    while kept and kept[0]["role"] != "user":   # start at a question
        kept.pop(0)
    return kept


class AppServices:
    """The assistant and the source library for one corpus; swapped atomically after an upload."""

    def __init__(self, settings: Settings, assistant: AskingAssistant, library: SourceLibrary,
                 assistant_factory: Callable[[Settings], AskingAssistant] | None = None):
        self.settings = settings
        self.assistant = assistant
        self.library = library
        self.assistant_factory = assistant_factory or load_assistant
        self.update_lock = threading.Lock()   # one corpus change at a time
        self.limits = Limits.from_settings(settings)
        self.facts = FactBrowser(library)

    @classmethod
    def start(cls, settings: Settings, index=None) -> "AppServices":
        """Open (building on first run, with progress) the index, then load the assistant over that same
        index. index: an already-open SearchIndex for these settings (tests share one)."""
        index = index if index is not None else open_index(settings)
        return cls(settings, load_assistant(settings, index), SourceLibrary(settings.corpus_dir))

    def ask(self, question: str, history: list[dict] | None = None, filters: dict | None = None) -> Answer:
        question = check_question(question, self.limits)
        history = check_history(history, self.limits)
        chosen = parse_filters(filters).to_dict()
        return self.assistant.ask(question, history=history or None, filters=chosen or None)

    def reload(self) -> None:
        """After the corpus and index changed: a fresh assistant and library (requests in flight finish on the old)."""
        assistant = self.assistant_factory(self.settings)
        self.library.refresh()
        self.assistant = assistant


def open_index(settings: Settings):
    from index.api import SearchIndex
    return SearchIndex.open(settings, build_if_missing=True)


def load_assistant(settings: Settings, index=None) -> AskingAssistant:
    """The assistant over index (already open) or, without one, over the index it opens itself."""
    from assistant.service import Assistant
    return Assistant.from_settings(settings, index=index)
