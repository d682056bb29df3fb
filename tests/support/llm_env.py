"""Shared set-up for the LLM agent tests: the real tools and built-in agent over a corpus folder,
Settings pointing at a scripted server, and scripted "models" that read the tool results they get."""
from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Callable

from settings import Settings
from tests.support.scripted_llm_server import Reply, ScriptedLLMServer, last_tool_results

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
_RECORD = re.compile(r"^\[(R\d+)\] (.*)$", re.MULTILINE)


@lru_cache(maxsize=4)
def knowledge(corpus_dir: str = str(CORPUS)):
    """Parsed corpus + fact views, lexical search only (no index needed; fast and deterministic)."""
    from assistant.knowledge import Knowledge
    return Knowledge.from_settings(Settings(corpus_dir=Path(corpus_dir)), use_index=False, log=lambda m: None)


def parts(corpus_dir: Path = CORPUS):
    """(Toolbox, BuiltinAgent, Knowledge) — the same objects Assistant uses."""
    from assistant.agent import BuiltinAgent
    from assistant.tools import Toolbox
    kb = knowledge(str(corpus_dir))
    return Toolbox(kb), BuiltinAgent(kb), kb


def settings_for(server: ScriptedLLMServer | None = None, backend: str = "openai", url: str | None = None,
                 timeout: float = 5.0, tools: str = "auto") -> Settings:
    if url is None:
        assert server is not None
        url = server.ollama_url if backend == "ollama" else server.base_url
    return Settings(llm=backend, llm_base_url=url, llm_model="scripted-model", llm_timeout=timeout,
                    llm_tools=tools)


def records(tool_text: str) -> list[dict]:
    """Records as rendered for the model: [R1] key: value | key: value ..."""
    out = []
    for rid, body in _RECORD.findall(tool_text):
        fields = {"rid": rid}
        for part in body.split(" | "):
            key, sep, value = part.partition(": ")
            if sep:
                fields[key.strip()] = value
        out.append(fields)
    return out


def amount(value: str) -> str:
    """A figure printed the way the documents print money: 6,996.01."""
    return f"{Decimal(value):,}"


def answer_with_first_record(template: str, transform: Callable[[Decimal], Decimal] = lambda v: v,
                             react: bool = False) -> Callable[[dict], Reply]:
    """A scripted model step that reads the tool results it was sent and answers from record R1.

    template gets {value} (formatted like the documents), {unit}, {rid}, {row}, {org}, {year}, {kind}."""
    def step(body: dict) -> Reply:
        text = _latest_observation(body, react)
        first = records(text)[0]
        value = transform(Decimal(first["value"]))
        reply = template.format(value=amount(str(value)), unit=first.get("unit", ""), rid=first["rid"],
                                row=first.get("row", ""), org=first.get("org", ""),
                                year=first.get("year", ""), kind=first.get("kind", ""))
        return Reply(f"Thought: I can answer.\nAnswer: {reply}" if react else reply)
    return step


def _latest_observation(body: dict, react: bool) -> str:
    if not react:
        results = last_tool_results(body)
        assert results, "the client did not send tool results back"
        return results[-1]
    observations = [m.get("content") or "" for m in body.get("messages", [])
                    if "Observation:" in str(m.get("content") or "")]
    assert observations, "the client did not send the observation back"
    return observations[-1]
