"""End to end: `BUDGETQA_LLM=openai BUDGETQA_LLM_BASE_URL=… budget-qa ask "…"` against the scripted server,
as a subprocess with the environment set; and Assistant delegating to the LLM agent."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from assistant.llm.prompts import NOTICES
from tests.support.llm_env import ROOT, answer_with_first_record, records
from tests.support.scripted_llm_server import Call, Reply, ScriptedLLMServer, last_tool_results

QUESTION = "深圳医保中心2024年的基本支出总共是多少？"
FACTS_CALL = Call.one("find_facts", {"query": "基本支出", "org": "深圳医保中心", "year": 2024, "limit": 3})
HONEST = "深圳市医疗保险基金管理中心2024年预算的基本支出为 {value} {unit}[{rid}]。"
CLI = [str(Path(sys.executable).with_name("budget-qa"))]


def _run_cli(args: list[str], server_url: str, tmp_path: Path, stdin: str | None = None):
    env = {**os.environ, "BUDGETQA_LLM": "openai", "BUDGETQA_LLM_BASE_URL": server_url,
           "BUDGETQA_LLM_TIMEOUT": "10", "BUDGETQA_DATA": str(tmp_path / "no-index"),
           "BUDGETQA_CORPUS": str(ROOT / "corpus"), "HF_HUB_OFFLINE": "1"}
    cmd = CLI if Path(CLI[0]).exists() else [sys.executable, str(ROOT / "cli.py")]
    return subprocess.run(cmd + args, env=env, input=stdin, capture_output=True, text=True, timeout=180,
                          cwd=tmp_path)


def test_budget_qa_ask_uses_the_llm_end_to_end(tmp_path):
    with ScriptedLLMServer([FACTS_CALL, answer_with_first_record(HONEST)]) as server:
        result = _run_cli(["ask", QUESTION], server.base_url, tmp_path)
    assert result.returncode == 0, result.stderr
    assert len(server.chat_requests()) == 2
    sent = records(last_tool_results(server.chat_requests()[1].body)[-1])[0]
    out = result.stdout
    assert out.startswith("深圳市医疗保险基金管理中心2024年预算的基本支出为")
    assert f"{Decimal(sent['value']):,} 万元[1]" in out
    assert "出处 / sources:" in out and f"{sent['doc']} 第{sent['line']}行" in out
    assert "Traceback" not in result.stderr


def test_budget_qa_ask_json_batch_with_a_failing_llm(tmp_path):
    requests = "\n".join(json.dumps({"id": i, "question": QUESTION}, ensure_ascii=False) for i in ("a", "b"))
    invent = answer_with_first_record(HONEST, transform=lambda v: v + 1)
    with ScriptedLLMServer([FACTS_CALL, answer_with_first_record(HONEST), FACTS_CALL, invent]) as server:
        result = _run_cli(["ask", "--json", "-"], server.base_url, tmp_path, stdin=requests + "\n")
    assert result.returncode == 0, result.stderr
    first, second = [json.loads(line) for line in result.stdout.splitlines()]
    assert first["id"] == "a" and not first["answer"].startswith(NOTICES["unverified"][0])
    assert first["citations"] and first["citations"][0]["quote"]
    assert second["id"] == "b" and second["answer"].startswith(NOTICES["unverified"][0])
    assert "unverified" in result.stderr and "Traceback" not in result.stderr


def test_assistant_delegates_to_the_llm_agent(tmp_path):
    from assistant.service import Assistant
    from settings import Settings
    with ScriptedLLMServer([FACTS_CALL, answer_with_first_record(HONEST),
                            Reply("no tools used 1 2 3")]) as server:
        settings = Settings(corpus_dir=ROOT / "corpus", data_dir=tmp_path / "no-index", llm="openai",
                            llm_base_url=server.base_url, llm_timeout=10)
        assistant = Assistant.from_settings(settings, log=lambda m: None)
        verified = assistant.ask(QUESTION)
        fallback = assistant.ask(QUESTION)
    assert len(server.chat_requests()) == 3
    assert verified.text.startswith("深圳市医疗保险基金管理中心2024年预算的基本支出为") and verified.citations
    assert fallback.text.startswith(NOTICES["unverified"][0])


@pytest.mark.parametrize("value", ["builtin", ""])
def test_builtin_is_the_default(value, tmp_path):
    from settings import Settings
    settings = Settings.from_env({"BUDGETQA_LLM": value} if value else {})
    assert settings.llm == "builtin" and settings.llm_tools == "auto"
