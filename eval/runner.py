"""Run gold items through an assistant in-process (loaded once) and record graded answers."""
from __future__ import annotations

import sys
import time
from typing import Callable, Iterator, Protocol

from tqdm import tqdm

from assistant.model import Answer
from eval.gold import GoldItem
from eval.grader import Grade, grade
from eval.records import Record, Retrieval
from eval.retrieval import coverage, hit_json


class EvalSetupError(RuntimeError):
    """The assistant or index cannot be loaded; the message says what to do."""


class Asks(Protocol):
    def ask(self, question: str, history: list[dict] | None = None, filters: dict | None = None) -> Answer: ...


class Searches(Protocol):
    def search(self, question: str, k: int, history: list[dict] | None = None): ...


def assistant_class():
    try:
        from assistant.service import Assistant
    except ImportError as exc:
        raise EvalSetupError(
            f"the assistant is not available: cannot import assistant.service.Assistant ({exc}). "
            "It is needed to run an evaluation; `budget-qa eval check` works without it.") from exc
    return Assistant


def load_assistant(settings, index=None) -> Asks:
    """The assistant for settings; index: an open index.api.SearchIndex to share (else it opens its own)."""
    Assistant = assistant_class()
    try:
        return Assistant.from_settings(settings, index=index)
    except Exception as exc:  # noqa: BLE001 - any start-up failure becomes one clear message
        raise EvalSetupError(f"the assistant could not start: {type(exc).__name__}: {exc}") from exc


def load_search_index(settings, warn=lambda msg: print(msg, file=sys.stderr)) -> Searches | None:
    """The search index for retrieval metrics, or None (with a warning) when it cannot be opened."""
    try:
        from index.api import SearchIndex
    except ImportError as exc:
        warn(f"retrieval metrics skipped: cannot import index.api.SearchIndex ({exc})")
        return None
    try:
        return SearchIndex.open(settings)
    except Exception as exc:  # noqa: BLE001
        warn(f"retrieval metrics skipped: the index could not be opened ({type(exc).__name__}: {exc}); "
             "run `budget-qa index` first")
        return None


def _retrieval(item: GoldItem, search: Searches, k: int) -> Retrieval:
    try:
        # a follow-up is searched with its conversation, as the assistant reads it
        found = search.search(item.question, k, history=item.history_json()) if item.history else \
            search.search(item.question, k)
        hits = list(found)[:k]
        all_src, any_src = coverage(hits, item.sources)
        return Retrieval(k, all_src, any_src, tuple(hit_json(h) for h in hits))
    except Exception as exc:  # noqa: BLE001 - a failed search is a miss, recorded with its reason
        return Retrieval(k, False, False, ({"error": f"{type(exc).__name__}: {exc}"},))


def evaluate_item(item: GoldItem, assistant: Asks, search: Searches | None = None, k: int = 5,
                  clock: Callable[[], float] = time.perf_counter) -> Record:
    answer_json, error = None, None
    start = clock()
    try:
        answer = assistant.ask(item.question, history=item.history_json(), filters=None)
        if not isinstance(answer, Answer):
            raise TypeError(f"ask() returned {type(answer).__name__}, not assistant.model.Answer")
    except Exception as exc:  # noqa: BLE001 - one failing question must not stop the run
        answer, error = None, f"{type(exc).__name__}: {exc}"
    latency_ms = (clock() - start) * 1000
    if answer is not None:
        answer_json = answer.to_json()
        result = grade(item, answer)
    else:
        result = Grade(item.answer.type, False, False, False, False, (f"error: {error}",))
    return Record(
        id=item.id, question=item.question, category=item.category, docs=item.docs,
        expected=item.answer.expected(), gold=item.raw, answer=answer_json, grade=result,
        latency_ms=latency_ms,
        retrieval=None if search is None or item.answer.type == "refusal" else _retrieval(item, search, k),
        error=error,
    )


def iter_records(items: list[GoldItem], assistant: Asks, search: Searches | None = None, k: int = 5,
                 progress: bool = True, before: Callable[[GoldItem], None] | None = None) -> Iterator[Record]:
    """Records one by one, with a progress bar on stderr (so an interrupted run keeps what it has).
    before: called with each item first (a cross-validated run picks the item's fold weights)."""
    bar = tqdm(items, desc="eval", unit="q", file=sys.stderr, disable=not progress, dynamic_ncols=True)
    passed = done = 0
    for item in bar:
        if before is not None:
            before(item)
        record = evaluate_item(item, assistant, search, k)
        passed += record.grade.answered_and_cited
        done += 1
        bar.set_postfix_str(f"ok {passed}/{done}", refresh=False)
        yield record


def run_items(items: list[GoldItem], assistant: Asks, search: Searches | None = None, k: int = 5,
              progress: bool = True) -> list[Record]:
    return list(iter_records(items, assistant, search, k, progress))
