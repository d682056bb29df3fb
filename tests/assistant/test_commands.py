"""`budget-qa ask`: readable output, and JSON lines for a batch read from stdin."""
from __future__ import annotations

import io
import json

import pytest

from assistant import commands
from assistant.service import Assistant
from settings import Settings
from tests.assistant.conftest import CORPUS


@pytest.fixture()
def patched(monkeypatch, assistant):
    """run_ask loads the assistant once; reuse the session's (real corpus, no index) to stay fast."""
    calls = []

    def from_settings(cls, settings, log=None):
        calls.append(settings)
        return assistant
    monkeypatch.setattr(Assistant, "from_settings", classmethod(from_settings))
    return calls


def test_batch_reads_plain_and_json_lines(patched, tmp_path):
    settings = Settings.from_env({}, corpus_dir=str(CORPUS), data_dir=str(tmp_path))
    stdin = io.StringIO("江门医保局2024年三公经费预算多少？\n\n"
                        + json.dumps({"id": "q2", "question": "那其中公务接待费呢？",
                                      "history": [{"role": "user", "content": "江门医保局2024年三公经费预算多少？"}]},
                                     ensure_ascii=False) + "\n"
                        + "{not json\n")
    out = io.StringIO()
    assert commands.run_ask(settings, "-", as_json=True, stdin=stdin, stdout=out) == 0
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(patched) == 1                      # loaded once for the whole batch
    assert [r["id"] for r in rows] == [1, "q2", 4]
    for r in rows:
        assert {"id", "question", "answer", "value", "unit", "calculation", "refusal", "citations"} <= set(r)
    assert rows[0]["value"] is not None and rows[0]["citations"][0]["line"] > 0
    assert rows[1]["value"] is not None and not rows[1]["refusal"]


def test_single_question_readable_and_json(patched, tmp_path):
    settings = Settings.from_env({}, corpus_dir=str(CORPUS), data_dir=str(tmp_path))
    out = io.StringIO()
    commands.run_ask(settings, "2020年医保中心基本支出中，工资福利支出决算是多少？", stdout=out)
    text = out.getvalue()
    assert "出处" in text and "行" in text and "决算" in text
    out = io.StringIO()
    commands.run_ask(settings, "2020年医保中心基本支出中，工资福利支出决算是多少？", as_json=True, stdout=out)
    record = json.loads(out.getvalue())
    assert record["citations"] and record["value"]


def test_from_settings_without_an_index_parses_the_corpus(tmp_path):
    settings = Settings.from_env({}, corpus_dir=str(CORPUS), data_dir=str(tmp_path / "empty"))
    logged = []
    real = Assistant.from_settings(settings, log=logged.append)
    assert real.kb.search_fn is None and logged          # says it runs without search
    assert real.ask("漳州医保局2024年三公经费预算多少？").value is not None


def test_service_rejects_empty_and_huge_questions(assistant):
    assert assistant.ask("").refusal
    huge = assistant.ask("预算" * 5000)
    assert huge.refusal and huge.value is None
