"""The optional LLM agent: a llama-index agent over the assistant's tools, with every number verified.

`LLMAgent(settings, tools, builtin_fallback).ask(question, history, filters) -> Answer`

- Native function calling (FunctionAgent) where the endpoint supports it, the ReAct text protocol
  (ReActAgent) where it does not (`Settings.llm_tools`: auto | native | react; auto switches to ReAct
  when the endpoint rejects tool calling).
- Tool results go to the model as fenced document data (see evidence.py).
- After the model answers, every number in its text must be a figure a tool returned this turn or a
  verified calculator result (verifier.py). Citations are built from those tool records only.
- Anything else (a failed check, timeout, connection error, malformed tool calls, step limit) returns
  the built-in agent's answer with a one-line notice; the reason is logged. Never a traceback, never
  a hang: per-request timeouts, no retries, a step limit and an overall deadline.
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Coroutine

from assistant.llm.client import build_llm
from assistant.llm.evidence import ToolCallLog, TurnEvidence
from assistant.llm.fallback import LLMFailure, classify, fallback_answer, rejects_tools
from assistant.llm.prompts import REFUSAL_MARKERS, SYSTEM_PROMPT
from assistant.llm.toolkit import build_tools
from assistant.llm.verifier import MONEY_FACTORS, PERCENT_UNITS, Match, Verdict, verify_numbers
from assistant.model import Answer, Citation

log = logging.getLogger("assistant.llm")

MAX_STEPS = 8            # LLM calls per question (each tool round is one)
MAX_TOOL_ERRORS = 3      # malformed / failing tool calls tolerated before giving up
MAX_HISTORY_MESSAGES = 12
MAX_HISTORY_CHARS = 2000
MEMORY_TOKENS = 24000

_THINK = re.compile(r"<think>.*?</think>", re.DOTALL | re.IGNORECASE)
_MARKER = re.compile(r"[\[【]\s*(R\d+(?:\s*[,，、]\s*R\d+)*)\s*[\]】]")
_REFUSAL_PHRASES = re.compile(r"文件中没有|文件未|没有找到|未找到|未提供|未公开|无法回答|不包含|没有.{0,6}(?:信息|数据|内容)"
                              r"|not (?:in|found in|contained in|covered by) the documents|documents do not"
                              r"|no (?:information|data) (?:on|about)|cannot answer", re.IGNORECASE)


@dataclass
class Turn:
    text: str
    evidence: TurnEvidence
    mode: str


class LLMAgent:
    verifies_numbers = True     # its answers already passed verifier.py (callers may skip re-checking)

    def __init__(self, settings: Any, tools: Any, builtin_fallback: Any, *,
                 max_steps: int = MAX_STEPS, max_tool_errors: int = MAX_TOOL_ERRORS):
        self.settings = settings
        self.tools = tools
        self.builtin = builtin_fallback
        self.max_steps = max_steps
        self.max_tool_errors = max_tool_errors

    @property
    def deadline(self) -> float:
        """Whole-question bound: every step may use the full per-request timeout, plus a margin."""
        return float(self.settings.llm_timeout) * (self.max_steps + 1) + 5.0

    # -- public ---------------------------------------------------------------------------
    def ask(self, question: str, history: list | None = None, filters: Any = None) -> Answer:
        language = detect_language(question)
        try:
            turn = run_sync(self._answer(question, history, filters), self.deadline)
            return self._verified_answer(question, turn, language)
        except Exception as exc:   # every failure becomes a notice + the built-in answer
            failure = classify(exc)
            if failure.kind == "error":
                log.debug("LLM agent error", exc_info=exc)
            return fallback_answer(self.builtin, question, history, filters, failure, language)

    def answer(self, question: str, history: list | None = None, filters: Any = None) -> Answer:
        """Same as ask(); the name assistant.service expects of an agent."""
        return self.ask(question, history, filters)

    # -- the agent run ----------------------------------------------------------------------
    async def _answer(self, question: str, history: list | None, filters: Any) -> Turn:
        mode = (getattr(self.settings, "llm_tools", "auto") or "auto").lower()
        if mode == "react":
            return await self._run(question, history, filters, native=False)
        try:
            return await self._run(question, history, filters, native=True)
        except Exception as exc:
            failure = classify(exc)
            if mode == "auto" and rejects_tools(failure):
                log.info("endpoint rejected native tool calling (%s); retrying with ReAct", failure.detail)
                return await self._run(question, history, filters, native=False)
            raise

    async def _run(self, question: str, history: list | None, filters: Any, native: bool) -> Turn:
        from llama_index.core.agent.workflow import AgentOutput, FunctionAgent, ReActAgent, ToolCallResult
        from llama_index.core.memory import ChatMemoryBuffer

        evidence = TurnEvidence(question, documents=_documents_of(self.tools))
        llm = build_llm(self.settings, function_calling=native)
        tools = build_tools(self.tools, evidence, filters)
        agent_cls = FunctionAgent if native else ReActAgent
        agent = agent_cls(tools=tools, llm=llm, system_prompt=SYSTEM_PROMPT, streaming=False,
                          timeout=self.deadline)
        memory = ChatMemoryBuffer.from_defaults(token_limit=MEMORY_TOKENS, llm=llm)
        handler = agent.run(user_msg=question, chat_history=history_messages(history), memory=memory,
                            max_iterations=self.max_steps)
        errors = 0
        try:
            async for event in handler.stream_events():
                if isinstance(event, AgentOutput) and event.retry_messages:   # unparseable ReAct step
                    errors += 1
                    evidence.record_error("(react)", {}, "output not in the Thought/Action/Answer format")
                    if errors >= self.max_tool_errors:
                        raise LLMFailure("tool_calls", _tool_error_summary(evidence))
                if isinstance(event, ToolCallResult) and _is_error(event):
                    errors += 1
                    if event.tool_output.is_error:   # raised inside llama-index (unknown tool, crash)
                        evidence.record_error(event.tool_name, dict(event.tool_kwargs or {}),
                                              str(event.tool_output.content)[:200])
                    if errors >= self.max_tool_errors:
                        raise LLMFailure("tool_calls", _tool_error_summary(evidence))
            result = await handler
        except BaseException:
            await _cancel(handler)
            raise
        text = _final_text(result)
        return Turn(text, evidence, "native" if native else "react")

    # -- verification and the answer ------------------------------------------------------------
    def _verified_answer(self, question: str, turn: Turn, language: str) -> Answer:
        evidence = turn.evidence
        text = turn.text.strip()
        if not text:
            raise LLMFailure("error", "the model returned an empty answer")
        verdict = verify_numbers(text, evidence.figures(), question, evidence.identifiers())
        if not verdict.ok:
            raise LLMFailure("unverified", verdict.reason())
        refusal = is_refusal(text)
        if not evidence.successful_calls:     # even a refusal must come from looking at the documents
            raise LLMFailure("no_evidence", "the model answered without calling any tool")
        citations, text = _citations(text, verdict, evidence)
        value, unit, calculation = _headline(verdict)
        log.info("LLM answer verified (%s mode, %d tool calls, %d numbers)", turn.mode,
                 len(evidence.calls), len(verdict.matches))
        return Answer(text=_strip_refusal_marker(text) if refusal else text, value=None if refusal else value,
                      unit=None if refusal else unit, calculation=None if refusal else calculation,
                      refusal=refusal, citations=citations, language=language)


# -- helpers ------------------------------------------------------------------------------------

def run_sync(coro: Coroutine, deadline: float) -> Any:
    """Run a coroutine to completion from sync code, even when called inside a running event loop."""
    async def bounded():
        return await asyncio.wait_for(coro, timeout=deadline)

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(bounded())
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, bounded()).result()


async def _cancel(handler: Any) -> None:
    try:
        if not handler.is_done():
            await asyncio.wait_for(handler.cancel_run(), timeout=2.0)
    except BaseException:   # best effort: the run is being abandoned anyway
        pass


def _is_error(event: Any) -> bool:
    output = event.tool_output
    return bool(output.is_error) or str(output.content).startswith("ERROR:")


def _tool_error_summary(evidence: TurnEvidence) -> str:
    return "; ".join(f"{c.tool}: {c.error}" for c in evidence.errors[-3:]) or "tool calls failed"


def _final_text(result: Any) -> str:
    response = getattr(result, "response", None)
    content = getattr(response, "content", None) if response is not None else None
    text = str(content if content is not None else result or "")
    text = _THINK.sub("", text)
    if "Answer:" in text and text.lstrip().startswith("Thought:"):   # raw ReAct text
        text = text.split("Answer:", 1)[1]
    return text.strip()


def detect_language(question: str) -> str:
    cjk = sum(1 for ch in question if "\u4e00" <= ch <= "\u9fff")
    latin = sum(1 for ch in question if ch.isascii() and ch.isalpha())
    return "en" if latin > 0 and cjk * 2 < latin / 3 else "zh"


def is_refusal(text: str) -> bool:
    head = text.lstrip()
    if any(head.startswith(m) for m in REFUSAL_MARKERS):
        return True
    return bool(_REFUSAL_PHRASES.search(text[:200])) and not re.search(r"\d", text)


def _strip_refusal_marker(text: str) -> str:
    head = text.lstrip()
    for marker in REFUSAL_MARKERS:
        if head.startswith(marker):
            return head[len(marker):].lstrip(" ：:\n")
    return text


def history_messages(history: list | None) -> list:
    """Earlier turns as chat messages: [{"role", "content"}], (user, assistant) pairs or ChatMessages."""
    from llama_index.core.llms import ChatMessage

    messages: list = []
    for item in history or []:
        if isinstance(item, ChatMessage):
            pairs = [(str(item.role.value if hasattr(item.role, "value") else item.role), item.content or "")]
        elif isinstance(item, dict):
            pairs = [(str(item.get("role", "user")), item.get("content"))]
        elif isinstance(item, (list, tuple)) and len(item) == 2:
            pairs = [("user", item[0]), ("assistant", item[1])]
        else:
            continue
        for role, content in pairs:
            if isinstance(content, list):   # multimodal-style content parts
                content = " ".join(str(p.get("text", "")) if isinstance(p, dict) else str(p) for p in content)
            if role not in ("user", "assistant") or not content:
                continue
            messages.append(ChatMessage(role=role, content=str(content)[:MAX_HISTORY_CHARS]))
    return messages[-MAX_HISTORY_MESSAGES:]


def _documents_of(tools: Any) -> dict:
    """Loaded documents behind the tools (Toolbox.kb.documents), for verbatim quotes; {} if unknown."""
    documents = getattr(getattr(tools, "kb", None), "documents", None)
    return documents if isinstance(documents, dict) else {}


def _citations(text: str, verdict: Verdict, evidence: TurnEvidence) -> tuple[list[Citation], str]:
    """Citations of the tool records behind the answer's numbers (and records it cites by id).

    The model's [R3] markers are renumbered to positions in the citation list; markers naming
    records that were never returned are dropped."""
    citations: list[Citation] = []

    def add(c: Citation) -> int:
        key = (c.doc, c.line, c.value, c.column)
        for i, existing in enumerate(citations):
            if (existing.doc, existing.line, existing.value, existing.column) == key:
                return i + 1
        citations.append(c)
        return len(citations)

    for match in verdict.matches:
        if match.figure is not None:
            for c in evidence.citations_for(match.figure):
                add(c)

    def renumber(m: re.Match) -> str:
        numbers = []
        for rid in re.split(r"\s*[,，、]\s*", m.group(1)):
            record = evidence.record_by_id(rid.strip())
            if record is not None and record.citation is not None:
                numbers.append(str(add(record.citation)))
        return "".join(f"[{n}]" for n in dict.fromkeys(numbers))

    return citations, _MARKER.sub(renumber, text)


def _headline(verdict: Verdict) -> tuple[Decimal | None, str | None, Any]:
    """The answer's main value: the last calculator result shown, else the first amount with a unit."""
    calc_matches = [m for m in verdict.matches if isinstance(getattr(m.figure, "ref", None), ToolCallLog)]
    if calc_matches:
        m = calc_matches[-1]
        calculation = m.figure.ref.calculation
        return m.mention.value, _unit_name(m.mention.unit), calculation
    for m in verdict.matches:
        if m.figure is not None and m.mention.unit is not None:
            if m.figure.unit and m.mention.unit in MONEY_FACTORS and m.figure.unit in MONEY_FACTORS:
                return m.figure.value, m.figure.unit, None
            return m.mention.value, _unit_name(m.mention.unit), None
    return None, None, None


def _unit_name(unit: str | None) -> str | None:
    if unit is None:
        return None
    return "%" if unit in PERCENT_UNITS else unit


__all__ = ["LLMAgent", "Match", "detect_language", "history_messages", "is_refusal", "run_sync"]
