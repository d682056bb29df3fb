"""In a real browser: an encrypted PDF is refused by name and reason and the index goes on answering; a
PDF uploaded on the Documents tab is indexed, its figures are answerable, and the citations name the
PDF page the figure is printed on. The app runs over a scratch copy of the corpus
without the document's text version, so every answer about it must come from the PDF."""
from __future__ import annotations

from decimal import Decimal

import pytest

from corpus.loader import document_from_bytes
from corpus.parse import parse_document
from eval.rendering.pdf import render_damaged_pdfs
from eval.rendering.render import render_document
from settings import Settings
from tests.app.live import CHROMIUM, ask_and_wait, listing, scratch_settings, serving, upload

CORPUS = Settings.from_env({}).corpus_dir
SEED = "003_e2aa0d4e68ff0396.txt"          # 江门市医疗保障局 2024 预算
PDF_NAME = "江门市医疗保障局2024年部门预算.pdf"
QUESTION = "江门医保局2024年“医疗保障政策管理”科目预算多少？"
OTHER_QUESTION = "2024年深圳医保中心的医保自助设备服务费预算是多少？"
ROW, VALUE = "医疗保障政策管理", Decimal("178.97")

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian chromium (make browser)")


@pytest.fixture(scope="module")
def app_without_the_text(tmp_path_factory, app_settings, built_index):
    from webui.services import AppServices
    settings = scratch_settings(tmp_path_factory.mktemp("pdf-app"), app_settings, leave_out=(SEED,))
    with serving(settings, AppServices.start(settings)) as live:
        yield live


def test_an_uploaded_pdf_is_answerable_with_citations_naming_the_page(app_without_the_text, page, tmp_path):
    live = app_without_the_text
    pdf = tmp_path / PDF_NAME
    pdf.write_bytes(render_document(CORPUS / SEED, ".pdf"))
    pages = {f.location.page for f in parse_document(document_from_bytes(pdf.name, pdf.read_bytes())).facts
             if f.row == ROW and f.value == VALUE}
    assert pages, "the rendered PDF prints the figure"

    page.goto(live.url + "/")
    page.get_by_role("tab", name="文件管理 / Documents").click()
    page.locator("#upload-file input[type=file]").wait_for(state="attached")
    before = listing(live.settings.corpus_dir)
    encrypted = tmp_path / "加密.pdf"
    encrypted.write_bytes(render_damaged_pdfs(pdf.read_bytes())["encrypted.pdf"])
    text = upload(page, encrypted)
    assert page.locator("#upload-report .upload-report.bad").count() == 1 and "加密.pdf" in text, text
    assert "encrypted" in text and listing(live.settings.corpus_dir) == before

    page.get_by_role("tab", name="问答 / Ask").click()
    ask_and_wait(page, OTHER_QUESTION)                      # the index still answers after the refusal
    assert "369" in page.locator("#chat .message-row.bot-row").last.inner_text()

    page.get_by_role("tab", name="文件管理 / Documents").click()
    text = upload(page, pdf, timeout=240_000)  # checks, re-indexes and reloads the assistant
    assert page.locator("#upload-report .upload-report.ok").count() == 1, text
    assert "added and indexed" in text and "江门市医疗保障局" in text
    assert listing(live.settings.corpus_dir) == before | {pdf.name: pdf.read_bytes()}

    page.get_by_role("tab", name="问答 / Ask").click()
    ask_and_wait(page, QUESTION)
    answer = page.locator("#chat .message-row.bot-row").last.inner_text()
    assert "178.97" in answer, answer

    cards = page.locator("#citations [data-cite]").filter(has_text="178.97")
    assert cards.count() >= 1, page.locator("#citations").inner_text()
    card_text = cards.first.inner_text()
    assert any(f"p. {n}" in card_text for n in pages), (card_text, pages)   # the card names the page
    cards.first.click()
    viewer = page.locator("#source-viewer")
    viewer.locator(".hit-cell").first.wait_for()
    assert "178.97" in viewer.locator(".hit-cell").first.inner_text()
    header = viewer.locator(".src-head").inner_text()
    assert pdf.name in header and any(f"p. {n}" in header for n in pages), header

