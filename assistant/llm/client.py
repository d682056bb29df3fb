"""Build the llama-index LLM client from Settings (OpenAI-compatible endpoint or Ollama), with bounded timeouts."""
from __future__ import annotations

from typing import Any

CONTEXT_WINDOW = 32768
DEFAULT_URLS = {"openai": "http://127.0.0.1:8000/v1", "ollama": "http://127.0.0.1:11434"}
BACKENDS = ("openai", "ollama")


class LLMConfigError(ValueError):
    pass


def build_llm(settings: Any, function_calling: bool) -> Any:
    """A fresh client per question (no connection pool is shared across event loops)."""
    backend = (settings.llm or "builtin").lower()
    timeout = float(settings.llm_timeout)
    if timeout <= 0:
        raise LLMConfigError("BUDGETQA_LLM_TIMEOUT must be a positive number of seconds")
    if backend == "openai":
        from llama_index.llms.openai_like import OpenAILike
        return OpenAILike(
            model=settings.llm_model, api_base=(settings.llm_base_url or DEFAULT_URLS["openai"]).rstrip("/"),
            api_key=settings.llm_api_key or "not-needed", is_chat_model=True,
            is_function_calling_model=function_calling, context_window=CONTEXT_WINDOW,
            temperature=0.0, timeout=timeout, max_retries=0, reuse_client=False)
    if backend == "ollama":
        from llama_index.llms.ollama import Ollama
        headers = None
        if settings.llm_api_key and settings.llm_api_key != "not-needed":
            headers = {"Authorization": f"Bearer {settings.llm_api_key}"}
        return Ollama(
            model=settings.llm_model, base_url=ollama_base(settings.llm_base_url),
            request_timeout=timeout, context_window=CONTEXT_WINDOW, temperature=0.0,
            is_function_calling_model=function_calling, headers=headers)
    raise LLMConfigError(f"unknown LLM backend {settings.llm!r}; expected one of builtin, openai, ollama")


def ollama_base(url: str | None) -> str:
    """Accept http://host:11434, …/api or …/v1 (people paste the OpenAI-style URL too)."""
    url = (url or DEFAULT_URLS["ollama"]).rstrip("/")
    for suffix in ("/v1", "/api"):
        if url.endswith(suffix):
            url = url[: -len(suffix)]
    return url
