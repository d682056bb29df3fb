"""GET /api/facts and the Browse tab's view against `budget-qa facts`: every table of the corpus, every figure."""
from __future__ import annotations

import csv
import io
import json
import re
from collections import defaultdict

import httpx
import pytest

from corpus.reports.export import run_facts

RECEPTION = "公务接待费"


@pytest.fixture(scope="module")
def cli_facts(app_settings) -> list[dict]:
    """What `budget-qa facts --format jsonl` prints for the corpus."""
    out = io.StringIO()
    assert run_facts(app_settings.corpus_dir, "jsonl", False, out) == 0
    return [json.loads(line) for line in out.getvalue().splitlines()]


def get(url: str, **params) -> httpx.Response:
    return httpx.get(f"{url}/api/facts", params=params, timeout=60)


def test_every_table_of_the_corpus_matches_budget_qa_facts(live_app, cli_facts):
    by_table: dict[str, list[dict]] = defaultdict(list)
    for record in cli_facts:
        by_table[record["table_id"] or "prose:" + record["doc"]].append(record)
    tables = [t for d in live_app.services.library.documents() for t in live_app.services.facts.tables(d.doc_id)]
    assert {k for k in by_table if not k.startswith("prose:")} <= {t.table_id for t in tables}
    assert len({t.doc_id for t in tables}) == 5
    from webui.browse import table_choices
    for d in live_app.services.library.documents():    # the Browse tab offers every parsed table
        offered = {value for _, value in table_choices(live_app.services, d.doc_id)}
        assert {t.table_id for t in live_app.services.facts.tables(d.doc_id)} < offered
    for table_id in [t.table_id for t in tables] + [k for k in by_table if k.startswith("prose:")]:
        expected = by_table.get(table_id, [])
        if table_id.startswith("prose:"):
            body = get(live_app.url, doc=table_id[6:], table="prose", page_size=5000).json()
        else:
            body = get(live_app.url, table=table_id, page_size=5000).json()
        assert body["total"] == len(expected) and body["facts"] == expected, table_id


def test_paging_covers_every_fact_once(live_app, cli_facts):
    first = get(live_app.url, page_size=500).json()
    assert first["total"] == len(cli_facts) and first["pages"] == -(-len(cli_facts) // 500)
    seen = []
    for page in range(1, first["pages"] + 1):
        seen += get(live_app.url, page_size=500, page=page).json()["facts"]
    assert seen == cli_facts


def test_filters_and_csv_and_xlsx(live_app, cli_facts):
    body = get(live_app.url, org="江门市医疗保障局", year=2024, kind="预算", page_size=5000).json()
    expected = [r for r in cli_facts if r["org"] == "江门市医疗保障局" and r["year"] == 2024 and r["kind"] == "预算"]
    assert body["facts"] == expected and expected
    rows = list(csv.DictReader(io.StringIO(get(live_app.url, org="江门市医疗保障局", format="csv").text)))
    assert [(r["doc"], r["line"], r["value"]) for r in rows] == [(r["doc"], str(r["line"]), r["value"]) for r in expected]
    from openpyxl import load_workbook
    response = get(live_app.url, q="接待", format="xlsx")
    assert response.status_code == 200 and "spreadsheetml" in response.headers["content-type"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row - 1 == get(live_app.url, q="接待").json()["total"]
    assert get(live_app.url, year="去年").status_code == 400


@pytest.mark.parametrize("query", ["接待", "reception", "gwjdf"])
def test_reception_finds_reception_rows_in_every_document_that_has_them(live_app, cli_facts, query):
    having = {r["doc"] for r in cli_facts if RECEPTION in r["row"] or "接待" in r["row"]}
    assert len(having) >= 3
    found = get(live_app.url, q=query, page_size=5000).json()["facts"]
    assert {r["doc"] for r in found if RECEPTION in r["row"]} == having
    if query != "reception":
        assert all("接待" in r["row"] or "接待" in "".join(r["row_path"][-1:]) for r in found)


def test_the_browse_view_of_every_table_shows_each_of_its_figures(live_app, cli_facts):
    from webui.browse import query_of, view
    by_table: dict[str, list[dict]] = defaultdict(list)
    for record in cli_facts:
        if record["table_id"]:
            by_table[record["table_id"]].append(record)
    for table_id, expected in by_table.items():
        doc = table_id.split("#")[0]
        html, facts = view(live_app.services, query_of("", "", "", doc, table_id, ""))
        assert [f.to_json() for f in facts] == expected
        cells = re.findall(r'data-fact="(\d+)"[^>]*>([^<]*)<', html)
        assert sorted(int(i) for i, _ in cells) == list(range(len(expected))), table_id
        for i, text in cells:          # each cell shows its fact's figure
            value = expected[int(i)]["value"]
            assert f"{float(value):,.{len(value.split('.')[1]) if '.' in value else 0}f}" in text.replace("\u2009", "")
        assert ("校验" in html) == bool(next(t for t in live_app.services.facts.tables(doc) if t.table_id == table_id).checks)
