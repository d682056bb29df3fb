"""All configuration in one place: environment variables, overridden by CLI flags.

Nothing reads os.environ elsewhere; components receive a Settings (or plain arguments).
"""
from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent

ENV = {
    "corpus_dir": "BUDGETQA_CORPUS",
    "data_dir": "BUDGETQA_DATA",
    "embedder": "BUDGETQA_EMBEDDER",
    "label_embedder": "BUDGETQA_LABEL_EMBEDDER",
    "chroma_host": "CHROMA_HOST",
    "chroma_port": "CHROMA_PORT",
    "llm": "BUDGETQA_LLM",
    "llm_base_url": "BUDGETQA_LLM_BASE_URL",
    "llm_model": "BUDGETQA_LLM_MODEL",
    "llm_api_key": "BUDGETQA_LLM_API_KEY",
    "llm_timeout": "BUDGETQA_LLM_TIMEOUT",
    "llm_tools": "BUDGETQA_LLM_TOOLS",
    "ranker": "BUDGETQA_RANKER",
    "host": "BUDGETQA_HOST",
    "port": "BUDGETQA_PORT",
    "max_question_chars": "BUDGETQA_MAX_QUESTION_CHARS",
    "max_history_turns": "BUDGETQA_MAX_HISTORY_TURNS",
    "max_history_chars": "BUDGETQA_MAX_HISTORY_CHARS",
}


@dataclass(frozen=True)
class Settings:
    corpus_dir: Path = ROOT / "corpus"
    data_dir: Path = ROOT / ".budgetqa"
    embedder: str = "use"                 # search: use | e5 | st:<model dir or name> (docs/embedders.md)
    label_embedder: str = "use"           # the assistant's semantic row-label matching; "index" = same as search
    chroma_host: str | None = None        # set to use a Chroma server (HttpClient)
    chroma_port: int = 8000
    llm: str = "builtin"                  # builtin | openai | ollama
    llm_base_url: str | None = None
    llm_model: str = "qwen2.5"
    llm_api_key: str = "not-needed"
    llm_timeout: float = 60.0
    llm_tools: str = "auto"               # auto | native (function calling) | react (text protocol)
    ranker: str = ""                      # fitted fact-ranker weights: "" = the shipped assistant/ranker.json, "off", or a path
    host: str = "127.0.0.1"
    port: int = 7860
    max_question_chars: int = 2000        # longer questions get HTTP 400 / a warning in the chat
    max_history_turns: int = 20           # chat history sent with a question: at most this many user turns …
    max_history_chars: int = 20000        # … and this many characters in all (past either: HTTP 400)

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides) -> "Settings":
        environ = os.environ if environ is None else environ
        values: dict = {}
        for f in fields(cls):
            raw = environ.get(ENV[f.name])
            if raw not in (None, ""):
                values[f.name] = _coerce(f.name, raw)
        values.update({k: _coerce(k, v) for k, v in overrides.items() if v is not None})
        return cls(**values)

    def with_(self, **changes) -> "Settings":
        return replace(self, **{k: _coerce(k, v) for k, v in changes.items() if v is not None})


def _coerce(name: str, value):
    if name in {"corpus_dir", "data_dir"}:
        return Path(value)
    if name in {"chroma_port", "port", "max_question_chars", "max_history_turns", "max_history_chars"}:
        return int(value)
    if name == "llm_timeout":
        return float(value)
    return value
