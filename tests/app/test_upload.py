"""Admin upload: only documents that decode, carry metadata and parse are added; failures leave the corpus alone."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from settings import Settings
from webui.upload import add_document, inspect_upload, report_html, run_index_or_raise

CORPUS = Settings.from_env({}).corpus_dir


@pytest.fixture
def corpus(tmp_path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for path in sorted(CORPUS.glob("*.txt")):
        shutil.copy(path, folder / path.name)
    return folder


def listing(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def real_document_as_gbk() -> bytes:
    text = sorted(CORPUS.glob("*.txt"))[3].read_text(encoding="utf-8")
    return text.encode("gb18030")


@pytest.mark.parametrize("name, data, expected", [
    ("blob.txt", b"\x00\x01\x02binary\x00" * 100, "binary"),
    ("empty.txt", b"", "empty"),
    ("blank.txt", b"   \n\n", "empty"),
    ("report.md", "2024年某局部门预算".encode(), "unsupported"),
    ("report.pdf", "2024年某局部门预算".encode(), "not a readable pdf"),   # text named .pdf
    ("notes.txt", "会议纪要\n今天讨论了天气。\n".encode(), "title"),
    ("latin.txt", bytes(range(128, 256)) * 40, "decode"),
])
def test_bad_files_are_rejected_with_a_clear_message(corpus, name, data, expected):
    before = listing(corpus)
    report = add_document(Settings.from_env({}, corpus_dir=corpus), name, data, reindex=run_index_or_raise)
    assert not report.ok
    assert expected in report.message.lower()
    assert listing(corpus) == before
    assert "upload-report bad" in report_html(report)


def test_a_gbk_document_is_decoded_and_parsed_without_touching_the_corpus(corpus):
    before = listing(corpus)
    report, parsed = inspect_upload("新文件.txt", real_document_as_gbk(), corpus)
    assert report.ok, report.message
    assert parsed.document.encoding == "gb18030"
    assert report.meta.year >= 2000 and report.meta.org
    assert report.tables > 0 and report.facts > report.tables
    assert report.checks_passed + len(report.failed_checks) == sum(len(t.checks) for t in parsed.tables)
    assert listing(corpus) == before
    original = sorted(CORPUS.glob("*.txt"))[3].name
    assert any(original in w for w in report.warnings)  # same org, year and kind: the user is told
    html = report_html(report)
    assert report.meta.org in html and f"{report.tables}（" in html


def test_a_name_already_in_the_corpus_is_refused(corpus):
    existing = sorted(corpus.glob("*.txt"))[0]
    report, parsed = inspect_upload(existing.name, real_document_as_gbk(), corpus)
    assert not report.ok and parsed is None and "already" in report.message


def test_the_same_file_under_another_name_is_refused(corpus):
    existing = sorted(corpus.glob("*.txt"))[1]
    report, parsed = inspect_upload("copy.txt", existing.read_bytes(), corpus)
    assert not report.ok and parsed is None and existing.name in report.message


def test_paths_in_upload_names_cannot_escape_the_corpus(corpus):
    report, _ = inspect_upload("../../etc/evil.txt", real_document_as_gbk(), corpus)
    assert report.ok and report.doc_id == "evil.txt"


def test_a_good_document_is_added_and_indexed(corpus, tmp_path, app_settings, built_index):
    from index.api import SearchIndex
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    for cache in app_settings.data_dir.glob("embeddings-*.sqlite"):  # reuse vectors: only new text is embedded
        shutil.copy(cache, data_dir / cache.name)
    settings = Settings.from_env({}, corpus_dir=corpus, data_dir=data_dir)
    steps = []
    report = add_document(settings, "新文件.txt", real_document_as_gbk(), reindex=run_index_or_raise,
                          progress=lambda fraction, text: steps.append(fraction))
    assert report.ok, report.message
    assert (corpus / "新文件.txt").read_bytes() == real_document_as_gbk()
    assert steps == sorted(steps) and steps[-1] == 1.0
    index = SearchIndex.open(settings, build_if_missing=False, progress=False)
    added = index.parsed_document("新文件.txt")
    assert added is not None and len(added.facts) == report.facts and len(added.tables) == report.tables
    assert len(index.documents()) == len(list(CORPUS.glob("*.txt"))) + 1


def test_a_failed_reindex_removes_the_new_file_and_keeps_the_corpus(corpus, tmp_path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the index folder should be")
    settings = Settings.from_env({}, corpus_dir=corpus, data_dir=blocker)
    before = listing(corpus)
    report = add_document(settings, "新文件.txt", real_document_as_gbk(), reindex=run_index_or_raise)
    assert not report.ok
    assert "indexing failed" in report.message
    assert listing(corpus) == before


# --- other formats (issue 14): the same checks apply to .pdf, .xlsx and .docx ----------------------

@pytest.fixture(scope="module")
def rendered_003():
    from eval.rendering.render import render_document
    seed = sorted(CORPUS.glob("*.txt"))[3]
    return {suffix: render_document(seed, suffix) for suffix in (".pdf", ".xlsx", ".docx")}


@pytest.mark.parametrize("suffix", [".pdf", ".xlsx", ".docx"])
def test_a_rendered_document_is_parsed_like_its_text(corpus, rendered_003, suffix):
    seed = sorted(CORPUS.glob("*.txt"))[3]
    (corpus / seed.name).unlink()
    before = listing(corpus)
    report, parsed = inspect_upload(f"江门{suffix}", rendered_003[suffix], corpus)
    text_report, _ = inspect_upload("江门.txt", seed.read_bytes(), corpus)
    assert report.ok, report.message
    assert (report.tables, report.facts, report.checks_passed) == (text_report.tables, text_report.facts,
                                                                  text_report.checks_passed)
    if suffix == ".pdf":
        assert all(f.location.page for f in parsed.facts)
    assert listing(corpus) == before


def test_the_same_document_as_pdf_warns_it_covers_the_same_source(corpus, rendered_003):
    report, _ = inspect_upload("江门.pdf", rendered_003[".pdf"], corpus)
    assert report.ok and any(sorted(CORPUS.glob("*.txt"))[3].name in w for w in report.warnings)


def test_bad_office_and_pdf_files_leave_the_corpus_and_the_index_alone(corpus, rendered_003):
    from eval.rendering.pdf import render_damaged_pdfs
    from eval.rendering.xlsx import render_workbook_without_numbers
    damaged = render_damaged_pdfs(rendered_003[".pdf"])
    cases = {name: (data, reason) for name, data, reason in [
        ("truncated.pdf", damaged["truncated.pdf"], "not a readable pdf"),
        ("encrypted.pdf", damaged["encrypted.pdf"], "encrypted"),
        ("scanned.pdf", damaged["scanned.pdf"], "no text layer"),
        ("huge.pdf", b"%PDF-1.4\n" + b"0" * (50 * 1024 * 1024), "limit"),
        ("broken.xlsx", b"PK\x03\x04", "not a readable xlsx"),
        ("words.xlsx", render_workbook_without_numbers("2024年江门市医疗保障局部门预算"), "holds no numbers"),
    ]}
    before = listing(corpus)
    reindexed = []
    for name, (data, reason) in cases.items():
        report = add_document(Settings.from_env({}, corpus_dir=corpus), name, data, reindex=reindexed.append)
        assert not report.ok and name in report.message and reason in report.message.lower(), report.message
    assert listing(corpus) == before
    assert reindexed == []        # refused before the corpus or the live index was touched
