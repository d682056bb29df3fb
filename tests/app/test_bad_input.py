"""Bad input in a real browser: the app says what is wrong and loses nothing (the typed text, the conversation,
the corpus). Uploads run against a scratch copy of the corpus and index, so the real corpus is never touched."""
from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.app.live import CHROMIUM, ask_and_wait, chat_rows, listing, scratch_settings, serving, upload

QUESTION = "2024年深圳医保中心的医保自助设备服务费预算是多少？"
TOO_LONG = "预算" * 50_000  # 100,000 characters; the limit is 2,000
GBK_SOURCE = "003_e2aa0d4e68ff0396.txt"  # a real corpus document, re-encoded as GBK below

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian chromium (make browser)")


@pytest.fixture(scope="module")
def scratch_app(tmp_path_factory, app_settings, built_index):
    """The app over a copy of the corpus with its own index folder (stored vectors reused: nothing is re-embedded)."""
    from webui.services import AppServices
    settings = scratch_settings(tmp_path_factory.mktemp("scratch-app"), app_settings)
    with serving(settings, AppServices.start(settings)) as live:
        yield live


def test_an_empty_or_too_long_question_is_explained_and_the_text_and_chat_are_kept(live_app, page):
    page.goto(live_app.url + "/")
    ask_and_wait(page, QUESTION)
    conversation = page.locator("#chat").inner_text()
    box = page.locator("#question textarea")

    box.fill("   ")
    box.press("Enter")
    page.locator("[data-testid=toast-body]").filter(has_text="question is empty").wait_for()

    box.fill(TOO_LONG)
    box.press("Enter")
    page.locator("[data-testid=toast-body]").filter(has_text="question is 100000 characters; the limit is 2000").wait_for()
    assert box.input_value() == TOO_LONG  # still there to be shortened, not cleared
    assert chat_rows(page) == 2 and page.locator("#chat").inner_text() == conversation

    ask_and_wait(page, "那医保智能监督系统人工审核呢？")  # the conversation goes on as if nothing happened
    assert chat_rows(page) == 4


def test_uploads_empty_then_gbk_are_reported_and_nothing_is_lost(scratch_app, page, tmp_path):
    corpus = scratch_app.settings.corpus_dir
    services = scratch_app.services
    page.goto(scratch_app.url + "/")
    ask_and_wait(page, QUESTION)
    conversation = page.locator("#chat").inner_text()
    page.get_by_role("tab", name="文件管理 / Documents").click()
    page.locator("#documents").get_by_text(GBK_SOURCE).first.wait_for()  # the tab is rendered
    page.locator("#upload-file input[type=file]").wait_for(state="attached")

    before = listing(corpus)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    text = upload(page, empty)
    assert page.locator("#upload-report .upload-report.bad").count() == 1 and "the file is empty" in text, text
    assert listing(corpus) == before

    gbk = tmp_path / "江门预算GBK.txt"
    gbk.write_bytes((corpus / GBK_SOURCE).read_text(encoding="utf-8").encode("gbk"))
    text = upload(page, gbk, timeout=240_000)  # checks, re-indexes and reloads the assistant
    assert page.locator("#upload-report .upload-report.ok").count() == 1, text
    assert "added and indexed" in text and "江门市医疗保障局" in text and GBK_SOURCE in text  # same org, year, kind: warned
    assert listing(corpus) == before | {gbk.name: gbk.read_bytes()}  # added byte for byte, nothing else changed
    row = page.locator("#documents [role=row]").filter(has_text=gbk.name)
    assert "gb18030" in row.inner_text()  # decoded as GBK (GB18030 is its superset)
    assert f"{len(before) + 1} 份文件" in page.locator("#app-header").inner_text()
    body = httpx.get(f"{scratch_app.url}/api/health", timeout=10).json()
    assert body["documents"] == len(before) + 1 and not body["corpus_errors"]
    assert any(p.document.doc_id == gbk.name for p in services.assistant.kb.parsed)  # the reloaded assistant has it

    page.get_by_role("tab", name="问答 / Ask").click()
    assert page.locator("#chat").inner_text() == conversation  # the conversation survived both uploads
