"""Small pieces of the LLM agent: history conversion, failure classification, client set-up, refusals."""
from __future__ import annotations

import asyncio

import httpx
import pytest
from llama_index.core.llms import ChatMessage

from assistant.llm.agent import MAX_HISTORY_CHARS, detect_language, history_messages, is_refusal, run_sync
from assistant.llm.client import LLMConfigError, build_llm, ollama_base
from assistant.llm.fallback import LLMFailure, classify, rejects_tools
from settings import Settings


def test_history_accepts_dicts_pairs_chat_messages_and_content_parts():
    history = [{"role": "user", "content": "问题一"}, {"role": "assistant", "content": "回答一"},
               ("问题二", "回答二"), ChatMessage(role="user", content="问题三"),
               {"role": "assistant", "content": [{"type": "text", "text": "回答三"}]},
               {"role": "system", "content": "ignored"}, {"role": "user", "content": ""}, 42]
    messages = history_messages(history)
    assert [(m.role.value, m.content) for m in messages] == [
        ("user", "问题一"), ("assistant", "回答一"), ("user", "问题二"), ("assistant", "回答二"),
        ("user", "问题三"), ("assistant", "回答三")]


def test_history_is_bounded():
    long = [{"role": "user", "content": "长" * 10000}] * 50
    messages = history_messages(long)
    assert len(messages) == 12 and all(len(m.content) == MAX_HISTORY_CHARS for m in messages)
    assert history_messages(None) == []


@pytest.mark.parametrize("exc, kind", [
    (httpx.ConnectError("refused"), "connection"),
    (ConnectionError("Failed to connect to Ollama"), "connection"),
    (httpx.ReadTimeout("slow"), "timeout"),
    (asyncio.TimeoutError(), "timeout"),
    (ValueError("odd"), "error"),
])
def test_classify(exc, kind):
    assert classify(exc).kind == kind


def test_classify_openai_errors():
    import openai
    request = httpx.Request("POST", "http://127.0.0.1/v1/chat/completions")
    assert classify(openai.APITimeoutError(request=request)).kind == "timeout"
    assert classify(openai.APIConnectionError(request=request)).kind == "connection"
    response = httpx.Response(400, request=request, json={"error": {"message": "tools not supported"}})
    failure = classify(openai.BadRequestError("tools not supported", response=response, body=None))
    assert failure.kind == "server" and rejects_tools(failure)
    assert not rejects_tools(LLMFailure("server", "HTTP 400: context too long"))


def test_build_llm_for_each_backend():
    openai_llm = build_llm(Settings(llm="openai", llm_base_url="http://h:8000/v1/", llm_timeout=7), True)
    assert openai_llm.api_base == "http://h:8000/v1" and openai_llm.max_retries == 0
    assert openai_llm.timeout == 7 and openai_llm.metadata.is_function_calling_model
    ollama_llm = build_llm(Settings(llm="ollama", llm_base_url="http://h:11434/v1", llm_timeout=7), False)
    assert ollama_llm.base_url == "http://h:11434" and ollama_llm.request_timeout == 7
    assert not ollama_llm.metadata.is_function_calling_model
    with pytest.raises(LLMConfigError):
        build_llm(Settings(llm="nonsense"), True)
    with pytest.raises(LLMConfigError):
        build_llm(Settings(llm="openai", llm_timeout=0), True)


def test_ollama_base():
    assert ollama_base(None) == "http://127.0.0.1:11434"
    assert ollama_base("http://x:1/api/") == "http://x:1"


def test_refusal_detection():
    assert is_refusal("【无法回答】文件中没有该信息。")
    assert is_refusal("[NOT IN DOCUMENTS] The documents do not say.")
    assert is_refusal("文件中没有2019年的数据。") is False    # a number means it is not a bare refusal
    assert not is_refusal("基本支出为 6,996.01 万元。")


def test_language():
    assert detect_language("How much did Shenzhen spend on 医疗保障 in 2024?") == "en"
    assert detect_language("深圳医保中心2024年基本支出是多少？") == "zh"


def test_run_sync_works_inside_a_running_event_loop():
    async def inner():
        return run_sync(asyncio.sleep(0, result="done"), deadline=5)
    assert asyncio.run(inner()) == "done"
    with pytest.raises(asyncio.TimeoutError):
        run_sync(asyncio.sleep(5), deadline=0.05)
