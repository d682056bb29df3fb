"""The runner and the `budget-qa eval run|report|compare` commands, with a scripted in-test assistant."""
from __future__ import annotations

import base64
import json
import sys
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest

import cli
import eval.runner as runner
from assistant.model import Answer
from eval.records import read_records
from eval.runner import EvalSetupError, evaluate_item, load_assistant, run_items
from settings import Settings
from tests.eval._items import EXPENSE, ROW_324, SZ_2024, cite, item

REFUSE = item("t-refuse", type="refusal", text="not in the documents", unit=None, tol=None,
              sources=((SZ_2024, 106, "涉密项目不予公开"),))
FOLLOW_UP = item("t-follow", value=4380.51, must=["4,380.51"],
                 sources=((SZ_2024, 323, "2101501\t行政运行\t4,380.51"),),
                 history=[{"role": "user", "content": "深圳医保中心2024年支出总表"},
                          {"role": "assistant", "content": "见表3。"}])


class ScriptedAssistant:
    """Implements Assistant.ask's signature; answers from a script and remembers the calls."""

    def __init__(self, script: dict[str, Answer | BaseException]):
        self.script = script
        self.calls: list[tuple[str, list, object]] = []

    def ask(self, question: str, history: list[dict] | None = None, filters: dict | None = None) -> Answer:
        self.calls.append((question, history, filters))
        reply = self.script[question]
        if isinstance(reply, BaseException):
            raise reply
        return reply


@dataclass
class Hit:
    doc: str
    line_start: int
    line_end: int
    score: float = 1.0


class LineSearch:
    """Returns fixed hit spans; `fail` makes search raise."""

    def __init__(self, spans, fail=False):
        self.spans, self.fail, self.calls = spans, fail, []

    def search(self, question, k, history=None):
        self.calls.append((question, k, history))
        if self.fail:
            raise ConnectionError("chroma down")
        return [Hit(*s) for s in self.spans] + [{"doc": SZ_2024, "line_start": 1, "line_end": 2}] * 10


RIGHT = {
    EXPENSE.question: Answer("医疗保障经办事务7,171.87万元[1]", Decimal("7171.87"), "万元", citations=[cite(324)]),
    REFUSE.question: Answer("文件未公开该项目内容。", refusal=True),
    FOLLOW_UP.question: Answer("行政运行4,380.51万元[1]", Decimal("4380.51"), "万元", citations=[cite(323)]),
}


def test_records_answers_grades_latency_and_history():
    bot = ScriptedAssistant(RIGHT)
    records = run_items([EXPENSE, REFUSE, FOLLOW_UP], bot, progress=False)
    assert [r.grade.answered_and_cited for r in records] == [True, True, True]
    assert all(r.latency_ms >= 0 and r.error is None and r.retrieval is None for r in records)
    assert records[0].answer["value"] == "7171.87" and records[0].answer["citations"][0]["line"] == 324
    assert bot.calls[0] == (EXPENSE.question, [], None)
    assert bot.calls[2][1] == FOLLOW_UP.history_json() and len(bot.calls[2][1]) == 2


def test_a_failing_question_is_recorded_and_the_run_goes_on():
    bot = ScriptedAssistant({**RIGHT, EXPENSE.question: RuntimeError("index missing"),
                             REFUSE.question: "not an Answer"})
    records = run_items([EXPENSE, REFUSE, FOLLOW_UP], bot, progress=False)
    assert records[0].error == "RuntimeError: index missing" and not records[0].grade.correct
    assert "not assistant.model.Answer" in records[1].error
    assert records[2].grade.answered_and_cited


def test_retrieval_coverage_from_hits():
    two = item("t-two", value=7171.87, must=["7,171.87"],
               sources=((SZ_2024, 324, ROW_324), (SZ_2024, 512, ROW_324)))
    bot = ScriptedAssistant({two.question: RIGHT[EXPENSE.question], REFUSE.question: RIGHT[REFUSE.question]})
    both = evaluate_item(two, bot, LineSearch([(SZ_2024, 320, 330), (SZ_2024, 510, 512)]), k=5).retrieval
    assert both.all_sources and both.any_source and len(both.hits) == 5
    one = evaluate_item(two, bot, LineSearch([(SZ_2024, 320, 330)]), k=5).retrieval
    assert not one.all_sources and one.any_source
    wrong_doc = evaluate_item(two, bot, LineSearch([("001_e7d8d3c89f9e36b3.txt", 1, 9999)]), k=5).retrieval
    assert not wrong_doc.any_source
    search = LineSearch([(SZ_2024, 320, 330)])
    evaluate_item(FOLLOW_UP, ScriptedAssistant(RIGHT), search, k=5)      # a follow-up is searched with its turns
    assert search.calls == [(FOLLOW_UP.question, 5, FOLLOW_UP.history_json())]
    down = evaluate_item(two, bot, LineSearch([], fail=True), k=5).retrieval
    assert not down.any_source and "chroma down" in down.hits[0]["error"]
    assert evaluate_item(REFUSE, bot, LineSearch([]), k=5).retrieval is None   # refusals have nothing to find


def test_missing_assistant_is_a_clear_error(monkeypatch, tmp_path, capsys):
    monkeypatch.setitem(sys.modules, "assistant.service", None)       # import fails as if not written
    with pytest.raises(EvalSetupError, match="cannot import assistant.service"):
        load_assistant(Settings())
    assert cli.main(["eval", "run", "--set", "eval/dev.jsonl", "--out", str(tmp_path / "r")]) == 2
    assert "the assistant is not available" in capsys.readouterr().err
    assert not (tmp_path / "r").exists()


def test_agent_llm_needs_a_configured_llm(capsys):
    assert cli.main(["eval", "--llm", "builtin", "run", "--agent", "llm"]) == 2
    assert "BUDGETQA_LLM" in capsys.readouterr().err


def write_set(path: Path, items) -> Path:
    path.write_text("".join(json.dumps(i.raw, ensure_ascii=False) + "\n" for i in items), encoding="utf-8")
    return path


def run_cli(monkeypatch, bot, args) -> int:
    seen = {}

    def fake_load(settings, index=None):
        seen["llm"] = settings.llm
        return bot
    monkeypatch.setattr(runner, "load_assistant", fake_load)
    monkeypatch.setattr(runner, "load_search_index", lambda settings: LineSearch([(SZ_2024, 300, 330)]))
    rc = cli.main(["eval", "run", *args])
    assert seen["llm"] == "builtin"
    return rc


def test_cli_run_writes_report_then_report_and_compare(monkeypatch, tmp_path, capsys):
    gold = write_set(tmp_path / "set.jsonl", [EXPENSE, REFUSE, FOLLOW_UP])
    run_a, run_b = tmp_path / "a", tmp_path / "b"
    worse = {**RIGHT, EXPENSE.question: Answer("医疗保障经办事务7,171.87元", Decimal("7171.87"), citations=[cite()])}
    assert run_cli(monkeypatch, ScriptedAssistant(worse), ["--set", str(gold), "--out", str(run_a), "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "answered-and-cited         66.7%" in out and "report.html" in out

    for name in ("answers.jsonl", "report.json", "report.md", "report.html", "category.png"):
        assert (run_a / name).stat().st_size > 0
    records = read_records(run_a)
    assert [r.id for r in records] == ["t-expense", "t-refuse", "t-follow"]
    assert records[0].retrieval.all_sources and records[0].gold["id"] == "t-expense"
    report = json.loads((run_a / "report.json").read_text(encoding="utf-8"))
    assert report["meta"]["items"] == 3 and report["metrics"]["retrieval_all_sources"] == 1.0
    assert [f["id"] for f in report["metrics"]["failures"]] == ["t-expense"]

    assert run_cli(monkeypatch, ScriptedAssistant(RIGHT), ["--set", str(gold), "--out", str(run_b), "--quiet"]) == 0
    capsys.readouterr()
    assert cli.main(["eval", "compare", str(run_a), str(run_b)]) == 0
    out = capsys.readouterr().out
    assert "better (fail -> pass): 1" in out and "+ t-expense" in out
    assert "worse (pass -> fail): 0" in out and "unchanged: 2 pass, 0 fail" in out
    assert cli.main(["eval", "compare", str(run_b), str(run_a)]) == 0
    assert "- t-expense" in capsys.readouterr().out

    # re-grading a recorded run gives the same figures and rewrites the report
    (run_a / "report.html").unlink()
    assert cli.main(["eval", "report", str(run_a)]) == 0
    assert "answered-and-cited         66.7%" in capsys.readouterr().out
    assert (run_a / "report.html").exists()
    assert [r.grade for r in read_records(run_a)] == [r.grade for r in records]


def test_compare_missing_run_is_a_clear_error(tmp_path, capsys):
    assert cli.main(["eval", "compare", str(tmp_path), str(tmp_path)]) == 2
    assert "no recorded answers" in capsys.readouterr().err


def test_html_report_is_self_contained_with_a_real_png(monkeypatch, tmp_path, capsys):
    gold = write_set(tmp_path / "set.jsonl", [EXPENSE, REFUSE])
    script = {**RIGHT, REFUSE.question: Answer("该项目安排160,000万元<script>", Decimal("160000"))}
    assert run_cli(monkeypatch, ScriptedAssistant(script), ["--set", str(gold), "--out", str(tmp_path / "r"),
                                                             "--quiet"]) == 0
    html = (tmp_path / "r" / "report.html").read_text(encoding="utf-8")
    png = base64.b64decode(html.split("data:image/png;base64,")[1].split('"')[0])
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5000
    assert "src=\"http" not in html and "href=\"http" not in html and "<link" not in html
    assert "&lt;script&gt;" in html and "<script>" not in html        # answers are escaped
    assert "Failures (1)" in html and "t-refuse" in html
    md = (tmp_path / "r" / "report.md").read_text(encoding="utf-8")
    assert "| refusal | 1 | 0.0% |" in md and "## Failures (1)" in md


def test_coverage_reads_the_index_layer_hit_records():
    from index.model import Chunk, Hit as IndexHit
    from eval.retrieval import coverage, hit_json

    chunk = Chunk(chunk_id="c1", text="…", doc_id=SZ_2024, org="深圳市医疗保险基金管理中心", year=2024, kind="预算",
                  scope=None, chunk_type="row", table_id=None, table_title="表3", line_start=324, line_end=324)
    hit = IndexHit(chunk=chunk, score=0.9)
    assert coverage([hit], EXPENSE.sources) == (True, True)
    assert hit_json(hit) == {"doc": SZ_2024, "line_start": 324, "line_end": 324, "score": 0.9}
    assert coverage([hit.to_json()], FOLLOW_UP.sources) == (False, False)


def test_interrupted_run_keeps_what_it_has(monkeypatch, tmp_path, capsys):
    gold = write_set(tmp_path / "set.jsonl", [EXPENSE, REFUSE, FOLLOW_UP])
    bot = ScriptedAssistant({**RIGHT, REFUSE.question: KeyboardInterrupt()})
    assert run_cli(monkeypatch, bot, ["--set", str(gold), "--out", str(tmp_path / "r"), "--quiet"]) == 130
    assert "interrupted" in capsys.readouterr().err
    assert [r.id for r in read_records(tmp_path / "r")] == ["t-expense"]
    meta = json.loads((tmp_path / "r" / "report.json").read_text(encoding="utf-8"))["meta"]
    assert meta["interrupted_after"] == 1
