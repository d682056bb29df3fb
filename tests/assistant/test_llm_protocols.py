"""Tool protocols other than OpenAI function calling: the ReAct text protocol (explicit, and as the
automatic fallback when an endpoint rejects tools) and Ollama's native /api/chat, each over real HTTP."""
from __future__ import annotations

from decimal import Decimal

import pytest

from assistant.llm.agent import LLMAgent
from assistant.llm.prompts import NOTICES
from tests.support.llm_env import answer_with_first_record, records, settings_for
from tests.support.scripted_llm_server import (Call, HttpError, Reply, ScriptedLLMServer,
                                               free_port_with_nothing_listening, last_tool_results)

QUESTION = "江门市医疗保障局2024年的基本支出是多少？"
ARGS = {"query": "基本支出", "org": "江门市医疗保障局", "year": 2024, "limit": 3}
REACT_CALL = Reply('Thought: 需要查文件。\nAction: find_facts\nAction Input: '
                   '{"query": "基本支出", "org": "江门市医疗保障局", "year": 2024, "limit": 3}')
HONEST = "江门市医疗保障局2024年预算的基本支出为 {value} {unit}[{rid}]。"


@pytest.fixture(scope="module")
def env(kb):
    """The real tools and built-in agent over the session's parsed corpus (tests/assistant/conftest.py)."""
    from assistant.agent import BuiltinAgent
    from assistant.tools import Toolbox
    return Toolbox(kb), BuiltinAgent(kb), kb


def _ask(env, server=None, **settings):
    toolbox, builtin, _ = env
    return LLMAgent(settings_for(server, **settings), toolbox, builtin).ask(QUESTION)


def _expected(env) -> dict:
    return env[0].find_facts(**ARGS)[0]


def _assert_verified(answer, expected):
    assert not answer.text.startswith(tuple(n[0] for n in NOTICES.values())), answer.text
    assert f"{Decimal(expected['value']):,}" in answer.text
    assert answer.citations[0].doc == expected["doc"] and answer.citations[0].line == expected["line"]


def test_react_protocol_when_configured(env):
    with ScriptedLLMServer([REACT_CALL, answer_with_first_record(HONEST, react=True)]) as server:
        answer = _ask(env, server, tools="react")
    first, second = server.chat_requests()
    assert "tools" not in first.body                       # plain chat, tools described in the prompt
    assert "find_facts" in first.messages[0]["content"] and "Action Input" in first.messages[0]["content"]
    observation = second.messages[-1]["content"]
    assert observation.startswith("Observation: <<<DATA id=")
    _assert_verified(answer, _expected(env))


def test_auto_switches_to_react_when_the_endpoint_rejects_tools(env):
    rejected = HttpError(400, '"auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser')
    script = [rejected, REACT_CALL, answer_with_first_record(HONEST, react=True)]
    with ScriptedLLMServer(script) as server:
        answer = _ask(env, server)
    requests = server.chat_requests()
    assert "tools" in requests[0].body and all("tools" not in r.body for r in requests[1:])
    _assert_verified(answer, _expected(env))


def test_react_malformed_output_is_retried_then_bounded(env):
    garbage = Reply("Thought: I should look it up.\nAction: find_facts\nAction Input: {broken")
    with ScriptedLLMServer([garbage] * 20) as server:
        answer = _ask(env, server, tools="react")
    requests = server.chat_requests()
    assert len(requests) == 3                              # asked to fix the format, then given up on
    assert "Error while parsing the output" in requests[1].messages[-1]["content"]
    assert answer.text.startswith(NOTICES["tool_calls"][0])


def test_react_step_limit_bounds_a_model_that_never_answers(env):
    with ScriptedLLMServer([REACT_CALL] * 20) as server:
        answer = _ask(env, server, tools="react")
    assert len(server.chat_requests()) <= 8
    assert answer.text.startswith(NOTICES["steps"][0])


def test_react_invented_number_is_rejected(env):
    invent = answer_with_first_record(HONEST, transform=lambda v: v * 2, react=True)
    with ScriptedLLMServer([REACT_CALL, invent]) as server:
        answer = _ask(env, server, tools="react")
    assert answer.text.startswith(NOTICES["unverified"][0])


def test_ollama_native_protocol(env):
    with ScriptedLLMServer([Call.one("find_facts", ARGS), answer_with_first_record(HONEST)]) as server:
        answer = _ask(env, server, backend="ollama")
    first, second = server.chat_requests()
    assert first.path == "/api/chat" and {t["function"]["name"] for t in first.body["tools"]} >= {"find_facts"}
    assert records(last_tool_results(second.body)[-1])[0]["value"] == _expected(env)["value"]
    _assert_verified(answer, _expected(env))


def test_ollama_invented_number_is_rejected(env):
    invent = answer_with_first_record(HONEST, transform=lambda v: v + Decimal("0.5"))
    with ScriptedLLMServer([Call.one("find_facts", ARGS), invent]) as server:
        answer = _ask(env, server, backend="ollama")
    assert answer.text.startswith(NOTICES["unverified"][0])


def test_ollama_timeout_and_down(env):
    with ScriptedLLMServer([Reply("late")], delay=10) as server:
        assert _ask(env, server, backend="ollama", timeout=0.5).text.startswith(NOTICES["timeout"][0])
    url = f"http://127.0.0.1:{free_port_with_nothing_listening()}"
    assert _ask(env, backend="ollama", url=url).text.startswith(NOTICES["connection"][0])
