"""When the LLM answer cannot be used: classify why, log it, and return the built-in agent's answer with a notice."""
from __future__ import annotations

import asyncio
import dataclasses
import logging
from typing import Any, Callable

import httpx

from assistant.llm.prompts import notice
from assistant.model import Answer

log = logging.getLogger("assistant.llm")


class LLMFailure(Exception):
    """The LLM turn failed in a known way; `kind` selects the user notice (see prompts.NOTICES)."""

    def __init__(self, kind: str, detail: str):
        super().__init__(f"{kind}: {detail}")
        self.kind = kind
        self.detail = detail


def classify(exc: BaseException) -> LLMFailure:
    """Map client/library exceptions to a failure kind without importing optional backends eagerly."""
    if isinstance(exc, LLMFailure):
        return exc
    name = type(exc).__name__
    text = str(exc) or name
    if isinstance(exc, (asyncio.TimeoutError, TimeoutError, httpx.TimeoutException)) or name in {
            "APITimeoutError", "WorkflowTimeoutError", "ReadTimeout", "ConnectTimeout"}:
        return LLMFailure("timeout", text)
    if isinstance(exc, (httpx.ConnectError, ConnectionError)) or name == "APIConnectionError":
        cause = exc.__cause__ or exc.__context__
        if cause is not None and classify(cause).kind == "timeout":
            return LLMFailure("timeout", text)
        return LLMFailure("connection", text)
    status = getattr(exc, "status_code", None)
    if status is not None or name in {"APIStatusError", "ResponseError", "BadRequestError"}:
        return LLMFailure("server", f"HTTP {status}: {text}")
    if name == "WorkflowRuntimeError" and "max iterations" in text.lower():
        return LLMFailure("steps", text)
    return LLMFailure("error", f"{name}: {text}")


def rejects_tools(failure: LLMFailure) -> bool:
    """The endpoint refused native tool calling (vLLM without a tool parser, an Ollama model without tools)."""
    text = failure.detail.lower()
    return failure.kind == "server" and any(code in text for code in ("http 400", "http 404", "http 422",
                                                                          "http 501", "http 500")) and \
        any(word in text for word in ("tool", "function"))


def call_builtin(builtin: Any, question: str, history: Any, filters: Any) -> Answer:
    """The built-in agent's answer: BuiltinAgent.answer, an object's .ask, or a plain callable."""
    ask: Callable = getattr(builtin, "answer", None) or getattr(builtin, "ask", None) or builtin
    return ask(question, history, filters)


def fallback_answer(builtin: Any, question: str, history: Any, filters: Any, failure: LLMFailure,
                    language: str) -> Answer:
    """The built-in answer, prefixed with a one-line notice saying why the LLM answer is not shown."""
    log.warning("LLM answer not used (%s): %s; falling back to the built-in agent", failure.kind,
                failure.detail)
    message = notice(failure.kind, language)
    try:
        answer = call_builtin(builtin, question, history, filters)
    except Exception as exc:    # the user still gets a clear message, never a traceback
        log.exception("built-in agent failed too")
        text = ("抱歉，内置引擎也无法回答这个问题。" if language != "en"
                else "Sorry, the built-in engine could not answer this question either.")
        return Answer(text=f"{message}\n\n{text} ({type(exc).__name__})", refusal=True, language=language)
    return dataclasses.replace(answer, text=f"{message}\n\n{answer.text}")
