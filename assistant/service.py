"""The assistant's front door: the eval harness, the CLI and the Gradio app call Assistant.ask."""
from __future__ import annotations

import sys

from assistant.agent import BuiltinAgent
from assistant.knowledge import Knowledge
from assistant.lead import lead_with_answer
from assistant.model import Answer
from assistant.ranker import Ranker, RankerError, load_ranker
from assistant.tools import Toolbox
from assistant.trace import untraceable_numbers

MAX_QUESTION_CHARS = 2000


class Assistant:
    def __init__(self, kb: Knowledge, agent=None, settings=None, ranker: Ranker | None = None):
        self.kb = kb
        self.tools = Toolbox(kb)
        self.builtin = BuiltinAgent(kb, ranker)
        self.agent = agent or self.builtin
        self.settings = settings

    @classmethod
    def from_settings(cls, settings, log=None, index=None) -> "Assistant":
        """Load the corpus (through the index when built) once; pick the agent from settings.llm.
        index: an already-open index.api.SearchIndex for these settings (the app opens it first, building
        it if needed), so it is not opened a second time.
        An LLM agent (assistant.llm.make_agent) is used when configured and importable; otherwise the
        built-in rule-driven agent answers."""
        log = log or (lambda m: print(m, file=sys.stderr))
        if index is not None:
            kb = Knowledge.from_index(index, settings, log)
        else:
            kb = Knowledge.from_settings(settings, log=log)
        assistant = cls(kb, settings=settings, ranker=ranker_for(settings, log))
        if getattr(settings, "llm", "builtin") not in ("builtin", "", None):
            try:
                from assistant.llm import make_agent     # written by the LLM agent's owner
                assistant.agent = make_agent(settings, assistant.tools, assistant.builtin)
            except Exception as exc:
                log(f"budget-qa: LLM agent unavailable ({exc}); using the built-in agent.")
        return assistant

    def ask(self, question: str, history: list[dict] | None = None, filters: dict | None = None) -> Answer:
        """Answer one question. history: earlier turns [{"role": "user"|"assistant", "content": ...}];
        filters: {"org", "year", "kind"} chosen in the UI, used when the question does not say."""
        question = (question or "").strip()
        if not question:
            return Answer(text="请输入问题。Please type a question.", refusal=True)
        if len(question) > MAX_QUESTION_CHARS:
            return Answer(text=f"问题太长（{len(question)} 字），请缩短到 {MAX_QUESTION_CHARS} 字以内。"
                               f"The question is too long; please keep it under {MAX_QUESTION_CHARS} characters.",
                          refusal=True)
        history = [h for h in (history or []) if isinstance(h, dict)]
        answer = self.agent.answer(question, history, filters)
        if self.agent is not self.builtin and untraceable_numbers(answer, set(self.kb.catalog.years)):
            answer = self.builtin.answer(question, history, filters)
        return lead_with_answer(answer)


def ranker_for(settings, log) -> Ranker | None:
    """The fitted fact ranker settings.ranker names ("" = the shipped weights, "off" = none)."""
    choice = getattr(settings, "ranker", "") or ""
    if choice == "off":
        return None
    try:
        return load_ranker(choice or None)
    except RankerError as exc:
        log(f"budget-qa: {exc}; ranking facts with the hand-set score.")
        return None
