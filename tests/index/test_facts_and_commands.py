"""The fact store, the SearchIndex facade and the `budget-qa retrieve` / `index` commands."""
from __future__ import annotations

import io
import json

from hypothesis import given, strategies as st

from index.commands import run_index, run_retrieve
from index.facts import FactStore, label_similarity, norm_label
from tests.index.conftest import JIANGMEN


def test_fact_queries_filter_by_every_facet(parsed_corpus):
    store = FactStore([f for p in parsed_corpus.values() for f in p.facts])
    assert len(store) == sum(len(p.facts) for p in parsed_corpus.values()) > 0
    coded = store.query(row_code="2101506", year=2024)
    assert coded and all(f.row_code == "2101506" and f.year == 2024 for f in coded)
    assert all("2101506" in f.quote for f in coded if f.source == "table")
    shenzhen = store.query(org="医疗保障局", kind="预算")           # loose org: contained in the name
    assert shenzhen and {f.org for f in shenzhen} <= {"深圳市医疗保障局", "江门市医疗保障局", "漳州市医疗保障局"}
    one_doc = store.query(doc=JIANGMEN)
    assert one_doc and {f.doc_id for f in one_doc} == {JIANGMEN}
    table_id = next(f.table_id for f in one_doc if f.table_id)
    assert all(f.table_id == table_id for f in store.query(table_id=table_id))
    column = store.query(doc=JIANGMEN, column=one_doc[0].column[-1]) if one_doc[0].column else one_doc
    assert column
    assert store.query(year=1999) == []


def test_row_lookup_is_fuzzy_and_exact_labels_come_first(parsed_corpus):
    store = FactStore([f for p in parsed_corpus.values() for f in p.facts])
    matches = store.find_rows("医疗保障经办事务", limit=3)
    assert matches and norm_label(matches[0].label) == norm_label("医疗保障经办事务") and matches[0].score == 1.0
    loose = store.find_rows("经办事务", limit=5)
    assert any("经办事务" in m.label for m in loose)
    assert [m.score for m in loose] == sorted((m.score for m in loose), reverse=True)
    only_jiangmen = store.find_rows("委托业务费", doc=JIANGMEN)
    assert only_jiangmen and all(f.doc_id == JIANGMEN for m in only_jiangmen for f in m.facts)


@given(st.text(min_size=1, max_size=20), st.text(min_size=1, max_size=20))
def test_label_similarity_is_symmetric_and_bounded(a, b):
    assert 0.0 <= label_similarity(a, b) <= 1.0
    assert abs(label_similarity(a, b) - label_similarity(b, a)) < 1e-9
    if norm_label(a):
        assert label_similarity(a, a) == 1.0


def test_search_index_facade_gives_tables_documents_and_facts(jiangmen_index):
    docs = jiangmen_index.documents()
    assert [d.doc_id for d in docs] == [JIANGMEN] and docs[0].meta.org == "江门市医疗保障局"
    hit = next(h for h in jiangmen_index.search("委托业务费", k=5) if h.chunk.table_id)
    table = jiangmen_index.get_table(hit.chunk.table_id)
    assert table is not None and table.line_start <= hit.chunk.line_end and hit.chunk.line_start <= table.line_end
    assert jiangmen_index.get_table("no-such-table") is None
    assert jiangmen_index.facts.all() and jiangmen_index.facts.query(doc=JIANGMEN)
    for h in jiangmen_index.search("三公经费", k=5):
        for focus in h.focus:                       # matched rows/paragraphs lie inside the hit
            assert h.chunk.line_start <= focus.line_start <= focus.line_end <= h.chunk.line_end


def test_retrieve_reads_json_lines_and_plain_lines(jiangmen_index, monkeypatch):
    from index import api
    monkeypatch.setattr(api.SearchIndex, "open", classmethod(lambda cls, *a, **k: jiangmen_index))
    stdin = io.StringIO('{"id": "q1", "question": "委托业务费安排了多少"}\n\n三公经费预算\n{not json\n{"id": 7}\n')
    out = io.StringIO()
    status = run_retrieve(None, "-", k=3, as_json=True, stdin=stdin, out=out)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["id"] for r in records] == ["q1", 3, 4, 7]
    assert records[0]["question"] == "委托业务费安排了多少" and len(records[0]["hits"]) == 3
    for hit in records[0]["hits"]:
        assert {"doc", "line_start", "line_end", "text", "score"} <= set(hit)
        assert hit["doc"] == JIANGMEN and hit["line_start"] <= hit["line_end"]
    assert records[2]["question"] == "{not json" and records[3].get("error") and status == 1

    out = io.StringIO()
    assert run_retrieve(None, "委托业务费", k=2, as_json=False, out=out) == 0
    assert "委托业务费" in out.getvalue() and JIANGMEN in out.getvalue()


def jiangmen_with(tmp_path, files: dict[str, bytes], minilm, monkeypatch):
    """Settings over 江门 plus files, built by `budget-qa index`'s run_index with MiniLM, quietly."""
    from index import build
    from tests.index.conftest import make_corpus, st_settings
    corpus = make_corpus(tmp_path / "corpus", JIANGMEN)
    for name, data in files.items():
        (corpus / name).write_bytes(data)
    real = build.build_index
    monkeypatch.setattr(build, "make_embedder", lambda spec, threads=None: minilm)
    monkeypatch.setattr("index.commands.build_index", lambda s, rebuild=False, progress=True, embedder=None: real(
        s, rebuild=rebuild, progress=False, embedder=embedder))
    return st_settings(tmp_path, corpus)


def test_index_command_reports_bad_documents_by_name(tmp_path, minilm, monkeypatch, capsys):
    settings = jiangmen_with(tmp_path, {"broken.txt": b"\x00\xff\x00binary"}, minilm, monkeypatch)
    assert run_index(settings) == 0
    captured = capsys.readouterr()
    assert "index built" in captured.out and "broken.txt" in captured.err
    assert run_index(settings) == 0
    assert "up to date" in capsys.readouterr().out


def test_index_command_skips_corrupt_encrypted_numberless_and_oversized_files_and_still_answers(
        tmp_path, minilm, monkeypatch, capsys):
    """Each bad file is named with its reason; the index is built from the rest and answers."""
    from corpus.loader import MAX_BYTES
    from eval.rendering.pdf import render_damaged_pdfs
    from eval.rendering.render import render_document
    from eval.rendering.xlsx import render_workbook_without_numbers
    from index.api import SearchIndex
    from tests.index.conftest import CORPUS
    damaged = render_damaged_pdfs(render_document(CORPUS / JIANGMEN, ".pdf"))
    bad = {"truncated.pdf": (damaged["truncated.pdf"], "not a readable PDF"),
           "encrypted.pdf": (damaged["encrypted.pdf"], "encrypted"),
           "words.xlsx": (render_workbook_without_numbers(), "holds no numbers"),
           "huge.pdf": (b"%PDF-1.4\n" + b"0" * MAX_BYTES, "over the 50 MiB limit")}
    settings = jiangmen_with(tmp_path, {name: data for name, (data, _) in bad.items()}, minilm, monkeypatch)
    assert run_index(settings) == 0
    err = capsys.readouterr().err
    assert f"{len(bad)} document(s) skipped" in err
    for name, (_, reason) in bad.items():
        assert any(line.strip().startswith(f"{name}:") and reason in line for line in err.splitlines()), (name, err)
    index = SearchIndex.open(settings, build_if_missing=False, progress=False, embedder=minilm)
    assert [d.doc_id for d in index.documents()] == [JIANGMEN]
    assert any(h.chunk.doc_id == JIANGMEN for h in index.search("委托业务费", k=3))
