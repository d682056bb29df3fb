"""In a real browser: the Browse tab (filter, pick a table, search, open a figure's source, download) and a
bar chart beside a comparison answer, with screenshots for the README."""
from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest

from tests.app.live import CHROMIUM
from webui.facts import FactQuery

DOCS = Path(__file__).resolve().parents[2] / "docs"
COMPARISON = "2024年三家单位的公务接待费各是多少"
HEADLINE = "深圳医保中心自助设备花了多少钱"
JIANGMEN = "江门市医疗保障局"

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian chromium (make browser)")


def choose(page, elem_id: str, option: str) -> None:
    """Pick an option of a Gradio dropdown by its visible text."""
    page.locator(f"#{elem_id} input").click()
    page.locator("[data-testid=dropdown-option]", has_text=option).first.click()


def number(text: str) -> Decimal:
    return Decimal(re.search(r"-?[\d,]+(?:\.\d+)?", text).group().replace(",", ""))


def open_browse(page, url: str) -> None:
    page.goto(url + "/")
    page.get_by_role("tab", name="数据浏览 / Browse").click()


def test_browse_filter_pick_a_table_and_open_a_cell(live_app, page):
    open_browse(page, live_app.url)
    choose(page, "browse-org", JIANGMEN)            # one document left: it is picked
    doc = next(d for d in live_app.services.library.documents() if d.meta.org == JIANGMEN)
    page.wait_for_function("d => document.querySelector('#browse-doc input').value.includes(d)", arg=doc.doc_id)
    table = next(t for t in live_app.services.facts.tables(doc.doc_id) if t.checks)
    choose(page, "browse-table", table.title)
    grid = page.locator(f"#browse-view .browse-table[data-table='{table.table_id}']")
    grid.wait_for()
    facts = live_app.services.facts.select(FactQuery(doc=doc.doc_id, table=table.table_id))
    assert grid.locator("[data-fact]").count() == len(facts)
    assert "校验" in grid.locator(".tbl-caption").inner_text()     # the arithmetic-check badge
    cell = grid.locator("[data-fact]").nth(len(facts) // 2)
    shown = number(cell.inner_text())
    cell.click()
    hit = page.locator("#browse-viewer .hit-cell").first
    hit.wait_for()
    assert number(hit.inner_text()) == shown
    assert doc.doc_id in page.locator("#browse-viewer .src-head").inner_text()


def test_browse_search_click_and_download(live_app, page, tmp_path):
    open_browse(page, live_app.url)
    box = page.locator("#browse-search input, #browse-search textarea").first
    box.fill("reception")
    box.press("Enter")
    results = page.locator("#browse-view .browse-results")
    results.wait_for()
    text = results.inner_text()
    having = {d.doc_id for d in live_app.services.library.documents()
              if any("接待" in f.row for f in live_app.services.library.parsed(d.doc_id).facts)}
    assert "公务接待费" in text and all(doc in text for doc in having)
    cell = results.locator("[data-fact]").first
    cell.click()
    page.locator("#browse-viewer .src-head").wait_for()
    assert "接待" in page.locator("#browse-viewer").inner_text()
    DOCS.mkdir(exist_ok=True)
    page.screenshot(path=str(DOCS / "screenshot-browse.png"), full_page=True)

    with page.expect_download() as download:
        page.locator("#browse-downloads a[data-format=csv]").click()
    path = tmp_path / "facts.csv"
    download.value.save_as(path)
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert rows and all("接待" in r["row"] for r in rows)
    assert len(rows) == live_app.services.facts.page(FactQuery(q="reception")).total
    with page.expect_download() as download:
        page.locator("#browse-downloads a[data-format=xlsx]").click()
    assert download.value.suggested_filename.endswith(".xlsx")


def ask(page, question: str) -> None:
    box = page.locator("#question textarea")
    box.fill(question)
    box.press("Enter")


def test_a_comparison_answer_shows_a_bar_chart(live_app, page):
    page.goto(live_app.url + "/")
    ask(page, COMPARISON)
    chart = page.locator("#calc .chart-box svg.answer-chart")
    chart.wait_for(timeout=60_000)
    expected = live_app.services.ask(COMPARISON).to_json()["chart"]
    bars = chart.locator("g.bar")
    assert bars.count() == len(expected["figures"]) >= 2
    for i, figure in enumerate(expected["figures"]):   # each bar: its figure and citation number
        label = bars.nth(i).locator(".bar-value").text_content()
        assert f"[{figure['citation']}]" in label and number(label) == Decimal(figure["value"])
    page.screenshot(path=str(DOCS / "screenshot-chart.png"), full_page=True)


def test_the_headline_question_leads_with_the_2024_figure(live_app, page):
    page.goto(live_app.url + "/")
    ask(page, HEADLINE)
    answer = page.locator("#chat .message-row.bot-row").filter(has=page.locator(".ref")).last
    answer.wait_for(timeout=60_000)
    first = answer.inner_text().strip().split("\n")[0]
    assert first.startswith("2024年") and "369" in first
    page.screenshot(path=str(DOCS / "screenshot-headline.png"), full_page=True)
