"""Building: incremental manifest, build-aside-then-swap, bad and GBK documents, persistence."""
from __future__ import annotations

import json

import pytest

from index.api import SearchIndex
from index.build import IndexPaths, build_index, index_key, read_pointer
from index.store import ChromaStore, IndexUnavailableError
from tests.index.conftest import CORPUS, JIANGMEN, ZHANGZHOU, make_corpus, st_settings


def _paths(settings) -> IndexPaths:
    return IndexPaths(settings.data_dir, index_key(settings.embedder, settings.chroma_host, settings.chroma_port))


def test_only_changed_documents_are_parsed_and_embedded_again(tmp_path, minilm):
    corpus = make_corpus(tmp_path / "corpus", JIANGMEN, ZHANGZHOU)
    settings = st_settings(tmp_path, corpus)
    first = build_index(settings, progress=False, embedder=minilm)       # passages come from the warm cache
    assert sorted(first.changed) == [JIANGMEN, ZHANGZHOU] and first.chunks > 0 and first.embedded == 0

    again = build_index(settings, progress=False, embedder=minilm)
    assert again.up_to_date and again.build_id == first.build_id          # idempotent: nothing rebuilt

    path = corpus / ZHANGZHOU
    path.write_text(path.read_text(encoding="utf-8") + "\n补充说明：本表新增一行测试说明文字。\n", encoding="utf-8")
    third = build_index(settings, progress=False, embedder=minilm)
    assert third.changed == [ZHANGZHOU] and third.unchanged == [JIANGMEN]
    assert 0 < third.embedded < 10                                         # only the new text is embedded
    assert third.build_id != first.build_id
    index = SearchIndex.open(settings, build_if_missing=False, progress=False, embedder=minilm)
    hits = index.search("补充说明 新增一行测试说明文字", k=3)
    assert hits[0].chunk.doc_id == ZHANGZHOU and "测试说明" in hits[0].chunk.text

    (corpus / JIANGMEN).unlink()
    fourth = build_index(settings, progress=False, embedder=minilm)
    assert fourth.removed == [JIANGMEN] and not fourth.changed
    manifest = json.loads((_paths(settings).build_dir(fourth.build_id) / "manifest.json").read_text())
    assert list(manifest["docs"]) == [ZHANGZHOU]


def test_an_added_or_changed_document_updates_a_copy_of_the_live_store(tmp_path, minilm):
    """The incremental build (copy of the live Chroma folder, stale chunks deleted, new ones added,
    keyword counts reused) finds what a build from scratch finds, and leaves the live build as it was."""
    corpus = make_corpus(tmp_path / "corpus", JIANGMEN)
    settings = st_settings(tmp_path, corpus)
    first = build_index(settings, progress=False, embedder=minilm)
    live = _paths(settings).chroma_dir(first.build_id)
    before = sorted(p.name for p in live.rglob("*"))
    make_corpus(tmp_path / "corpus", ZHANGZHOU)
    path = corpus / JIANGMEN
    path.write_text(path.read_text(encoding="utf-8") + "\n补充说明：江门新增一行测试说明文字。\n", encoding="utf-8")
    second = build_index(settings, progress=False, embedder=minilm)
    assert sorted(second.changed) == [JIANGMEN, ZHANGZHOU]
    assert sorted(p.name for p in live.rglob("*")) == before                 # the live build only read
    fresh_settings = st_settings(tmp_path / "fresh", corpus)
    build_index(fresh_settings, progress=False, embedder=minilm)
    copied = SearchIndex.open(settings, build_if_missing=False, progress=False, embedder=minilm)
    fresh = SearchIndex.open(fresh_settings, build_if_missing=False, progress=False, embedder=minilm)
    assert copied._store.count(copied._collection) == len(copied.chunks) == len(fresh.chunks)
    for question in ("补充说明 新增一行测试说明文字", "漳州医保局差旅费", "江门 委托业务费", "official cars"):
        assert [h.chunk.chunk_id for h in copied.search(question, k=5)] == \
            [h.chunk.chunk_id for h in fresh.search(question, k=5)]


def test_a_failed_build_leaves_the_previous_index_answering(tmp_path, minilm, monkeypatch):
    corpus = make_corpus(tmp_path / "corpus", JIANGMEN)
    settings = st_settings(tmp_path, corpus)
    first = build_index(settings, progress=False, embedder=minilm)
    before = SearchIndex.open(settings, build_if_missing=False, progress=False, embedder=minilm)
    expected = [h.chunk.chunk_id for h in before.search("委托业务费", k=3)]

    shutil_copy = make_corpus(tmp_path / "corpus", ZHANGZHOU)   # a new document arrives
    assert shutil_copy == corpus
    original = ChromaStore.add_chunks

    def fail_halfway(self, collection, chunks, vectors, progress=None):
        original(self, collection, chunks[: len(chunks) // 2], vectors[: len(chunks) // 2], progress)
        raise KeyboardInterrupt("simulated interruption mid-build")

    monkeypatch.setattr(ChromaStore, "add_chunks", fail_halfway)
    with pytest.raises(KeyboardInterrupt):
        build_index(settings, progress=False, embedder=minilm)
    monkeypatch.undo()

    assert read_pointer(_paths(settings))["build"] == first.build_id           # the pointer never moved
    after = SearchIndex.open(settings, build_if_missing=False, progress=False, embedder=minilm)
    assert after.build_id == first.build_id
    assert [h.chunk.chunk_id for h in after.search("委托业务费", k=3)] == expected
    assert {d.doc_id for d in after.documents()} == {JIANGMEN}

    paths = _paths(settings)
    assert len(list(paths.builds.iterdir())) == 2                              # the failed build's leftovers
    recovered = build_index(settings, progress=False, embedder=minilm)        # next run finishes the job
    assert ZHANGZHOU in recovered.changed
    kept = {recovered.build_id, first.build_id}                                # live + previous, nothing else
    assert {p.name for p in paths.builds.iterdir()} == kept
    assert {p.name for p in (paths.data_dir / "chroma" / paths.key).iterdir()} == kept
    live = read_pointer(paths)
    assert ChromaStore.connect(paths.chroma_dir(live["build"])).collection_names() == [live["collection"]]


def test_gbk_documents_are_indexed_and_bad_files_are_reported_by_name(tmp_path, minilm):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = (CORPUS / JIANGMEN).read_text(encoding="utf-8")
    (corpus / "jiangmen_gbk.txt").write_bytes(text.encode("gbk"))
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    settings = st_settings(tmp_path, corpus)
    report = build_index(settings, progress=False, embedder=minilm)
    assert report.changed == ["jiangmen_gbk.txt"]
    assert any(e.startswith("empty.txt") for e in report.errors)
    assert any(e.startswith("binary.txt") for e in report.errors)
    index = SearchIndex.open(settings, build_if_missing=False, progress=False, embedder=minilm)
    assert index.documents()[0].encoding == "gb18030"
    hits = index.search("委托业务费", k=5)
    assert hits and all(h.chunk.doc_id == "jiangmen_gbk.txt" for h in hits)
    assert any("委托业务费" in h.chunk.text for h in hits)
    again = build_index(settings, progress=False, embedder=minilm)
    assert again.up_to_date                                  # bad files do not force rebuilds


def test_embedded_index_persists_across_clients(tmp_path, minilm):
    settings = st_settings(tmp_path, make_corpus(tmp_path / "corpus", JIANGMEN))
    build_index(settings, progress=False, embedder=minilm)
    first = SearchIndex.open(settings, build_if_missing=False, progress=False, embedder=minilm)
    query = "official vehicle operation and maintenance"
    ids = [cid for cid, _ in first._dense(query, 5, None)]
    del first
    import subprocess
    import sys
    script = (
        "import json,sys; sys.path.insert(0, %r)\n"
        "from settings import Settings\nfrom index.api import SearchIndex\n"
        "s = Settings(corpus_dir=%r, data_dir=%r, embedder='st:minilm')\n"
        "idx = SearchIndex.open(s, build_if_missing=False, progress=False)\n"
        "print(json.dumps([cid for cid, _ in idx._dense(%r, 5, None)]))\n"
    ) % (str(CORPUS.parent), str(settings.corpus_dir), str(settings.data_dir), query)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert json.loads(out.stdout.strip().splitlines()[-1]) == ids


def test_opening_without_an_index_says_what_to_do(tmp_path, minilm):
    settings = st_settings(tmp_path, make_corpus(tmp_path / "corpus", JIANGMEN))
    with pytest.raises(IndexUnavailableError, match="budget-qa index"):
        SearchIndex.open(settings, build_if_missing=False, progress=False, embedder=minilm)
    index = SearchIndex.open(settings, build_if_missing=True, progress=False, embedder=minilm)
    assert index.chunks and index.facts.all()
