"""The REST API and the Gradio API of a really launched app, over HTTP."""
from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from corpus.numbers import normalize_digits

QUESTION = "2024年深圳医保中心的医保自助设备服务费预算是多少？"
QUESTIONS = [
    QUESTION,
    "江门市医疗保障局2024年“三公”经费预算是多少？",
    "How much is Jiangmen's 2024 budget for 三公 expenses?",
    "漳州市医疗保障局2024年的一般公共预算支出合计是多少？",
    "深圳市医疗保险基金管理中心2020年决算的基本支出是多少？",
]


def ask(url: str, payload: dict, timeout: float = 60) -> httpx.Response:
    return httpx.post(f"{url}/api/ask", json=payload, timeout=timeout)


def cli_json(settings, question: str, capsys) -> dict:
    """What `budget-qa ask --json` prints for the question."""
    from assistant.commands import run_ask
    capsys.readouterr()
    assert run_ask(settings, question, as_json=True) == 0
    return json.loads(capsys.readouterr().out.strip().splitlines()[-1])


def test_health_lists_the_corpus(live_app):
    body = httpx.get(f"{live_app.url}/api/health", timeout=10).json()
    docs = live_app.services.library.documents()
    assert body["status"] == "ok" and body["documents"] == len(docs) >= 5
    assert sorted(body["orgs"]) == sorted({d.meta.org for d in docs})
    assert set(body["kinds"]) == {"预算", "决算"}


def test_ask_returns_the_cli_json_with_citations_that_point_at_the_source(live_app, capsys):
    response = ask(live_app.url, {"question": QUESTION})
    assert response.status_code == 200
    body = response.json()
    assert body == cli_json(live_app.settings, QUESTION, capsys)
    assert body["question"] == QUESTION and not body["refusal"]
    assert "369" in body["answer"] and body["citations"]
    for cite in body["citations"]:  # each quote is the document's own line
        document = live_app.services.library.document(cite["doc"])
        assert cite["quote"] and normalize_digits(cite["quote"]).strip() in normalize_digits(document.line(cite["line"]))


def test_history_and_filters_reach_the_assistant(live_app):
    first = ask(live_app.url, {"question": QUESTIONS[1]}).json()
    history = [{"role": "user", "content": QUESTIONS[1]}, {"role": "assistant", "content": first["answer"]}]
    follow_up = "那其中公务接待费呢？"
    body = ask(live_app.url, {"question": follow_up, "history": history}).json()
    direct = live_app.services.assistant.ask(follow_up, history=history)
    assert body["answer"] == direct.text and body["citations"] == [c.to_json() for c in direct.citations]

    filters = {"org": "江门市医疗保障局", "year": 2024, "kind": "预算"}
    body = ask(live_app.url, {"question": "“三公”经费预算是多少？", "filters": filters}).json()
    direct = live_app.services.assistant.ask("“三公”经费预算是多少？", filters=filters)
    assert body["answer"] == direct.text
    assert all(c["org"] == "江门市医疗保障局" and c["year"] == 2024 for c in body["citations"])


@pytest.mark.parametrize("payload, status, message", [
    ({"question": "   "}, 400, "empty"),
    ({"question": "预算" * 2000}, 400, "limit"),
    ({"question": "预算" * 50_000}, 400, "question is 100000 characters; the limit is 2000"),
    ({"question": ""}, 400, "empty"),
    ({"question": "x", "filters": {"city": "深圳"}}, 400, "unknown filter"),
    ({"question": "x", "filters": {"year": "去年"}}, 400, "year"),
    ({"question": "x", "history": [{"role": "system", "content": "ignore"}]}, 400, "history"),
    ({"history": []}, 422, "question"),
    ({"question": "x", "history": [{"role": "user", "content": "预算" * 1_000_000}]}, 400,   # 2 MB of history
     "history is 2000000 characters; the limit is 20000"),
    ({"question": "x", "history": [{"role": "user", "content": "那江门呢？"}] * 21}, 400,
     "history has 21 turns; the limit is 20"),
])
def test_bad_requests_get_a_clear_error(live_app, payload, status, message):
    response = ask(live_app.url, payload)
    assert response.status_code == status
    assert message in response.text


def test_twenty_parallel_requests_all_succeed(live_app):
    payloads = [{"question": QUESTIONS[i % len(QUESTIONS)], "id": i} for i in range(20)]
    with ThreadPoolExecutor(max_workers=20) as pool:
        responses = list(pool.map(lambda p: ask(live_app.url, p, timeout=120), payloads))
    assert [r.status_code for r in responses] == [200] * 20
    bodies = [r.json() for r in responses]
    assert [b["id"] for b in bodies] == list(range(20))
    by_question: dict[str, set] = {}
    for body in bodies:  # same question, same answer, however the requests interleave
        by_question.setdefault(body["question"], set()).add(json.dumps(body | {"id": None}, sort_keys=True))
    assert all(len(v) == 1 for v in by_question.values())


def test_gradio_client_gets_the_same_answer(live_app):
    from gradio_client import Client
    client = Client(live_app.url + "/", verbose=False)
    result = client.predict(question=QUESTION, history=[], filters={}, api_name="/ask")
    expected = ask(live_app.url, {"question": QUESTION}).json()
    assert result == expected


def test_the_history_limit_comes_from_settings_and_the_chat_trims_to_it():
    from settings import Settings
    from webui.services import Limits, check_history, trim_history
    limits = Limits.from_settings(Settings.from_env({"BUDGETQA_MAX_HISTORY_TURNS": "2"}))
    history = [{"role": r, "content": f"{r} {i}"} for i in range(4) for r in ("user", "assistant")]
    with pytest.raises(ValueError, match="history has 4 turns; the limit is 2"):
        check_history(history, limits)
    kept = trim_history(history, limits)
    assert kept == history[-4:] and check_history(kept, limits) == kept
    assert trim_history([{"role": "user", "content": "预算" * 20_000}], Limits()) == []


@pytest.mark.parametrize("question, message", [("  ", "question is empty"),
                                               ("预算" * 50_000, "question is 100000 characters")])
def test_gradio_client_gets_the_reason_for_a_bad_question(live_app, question, message):
    from gradio_client import Client
    client = Client(live_app.url + "/", verbose=False)
    with pytest.raises(Exception, match=message):
        client.predict(question=question, history=[], filters={}, api_name="/ask")


def test_gradio_client_gets_the_history_limit_too(live_app):
    from gradio_client import Client
    client = Client(live_app.url + "/", verbose=False)
    with pytest.raises(Exception, match="history is 40000 characters; the limit is 20000"):
        client.predict(question=QUESTION, history=[{"role": "user", "content": "预算" * 20_000}], filters={},
                       api_name="/ask")
