"""Optional LLM agent (BUDGETQA_LLM=openai|ollama): llama-index over the assistant's tools, numbers verified."""
from __future__ import annotations

from typing import Any


def make_agent(settings: Any, tools: Any, builtin: Any):
    """The agent `Assistant` uses when settings.llm is openai or ollama (see assistant/service.py)."""
    from assistant.llm.agent import LLMAgent
    return LLMAgent(settings, tools, builtin)


__all__ = ["make_agent"]
