"""Answer-guided search over a real index (embedded Chroma, USE) of the Jiangmen budget."""
from __future__ import annotations

import pytest

from assistant.guided import GuidedSearch, LineChunks
from assistant.service import Assistant
from index.model import Chunk
from settings import Settings

JIANGMEN = "003_e2aa0d4e68ff0396.txt"


@pytest.fixture(scope="module")
def searcher(tmp_path_factory):
    embedders = pytest.importorskip("index.embedders")
    from index.api import SearchIndex
    from index.build import build_index
    from tests.index.conftest import make_corpus
    try:
        use = embedders.make_embedder("use", threads=1)
    except embedders.EmbedderError as exc:
        pytest.skip(str(exc))
    tmp = tmp_path_factory.mktemp("guided")
    settings = Settings(corpus_dir=make_corpus(tmp / "corpus", JIANGMEN), data_dir=tmp / "data", embedder="use")
    build_index(settings, progress=False, embedder=use)
    index = SearchIndex.open(settings, build_if_missing=False, progress=False, embedder=use)
    assistant = Assistant.from_settings(settings, log=lambda m: None, index=index)
    return GuidedSearch(assistant, index)


def _covers(hit, doc, line):
    return hit.chunk.doc_id == doc and hit.chunk.line_start <= line <= hit.chunk.line_end


def test_every_line_the_answer_cites_is_in_the_first_hits(searcher):
    question = "江门医保局24年出差的钱和开会的钱一共预算了多少"
    answer = searcher.assistant.builtin.answer(question, [], None)
    assert not answer.refusal and len({c.line for c in answer.citations}) >= 2
    hits = searcher.search(question, k=8)
    cited = {(c.doc, c.line) for c in answer.citations}
    leading = hits[:len(cited)]
    assert all(any(_covers(h, d, line) for h in leading) for d, line in cited)
    assert len({h.chunk.chunk_id for h in hits}) == len(hits) <= 8


def test_a_refused_question_gets_the_hybrid_hits(searcher):
    question = "江门医保局2021年决算的差旅费是多少"
    assert searcher.assistant.builtin.answer(question, [], None).refusal
    guided = [h.chunk.chunk_id for h in searcher.search(question, k=5)]
    assert guided == [h.chunk.chunk_id for h in searcher.index.search(question, 5)]


def test_a_cited_line_is_shown_in_its_table_rather_than_its_row_alone():
    def chunk(kind, start, end):
        return Chunk(chunk_id=f"{kind}{start}", text="x", doc_id="d", org="o", year=2024, kind="预算",
                     scope="本级", chunk_type=kind, table_id=None, table_title="", line_start=start, line_end=end)
    lines = LineChunks.of([chunk("section", 1, 40), chunk("table", 10, 30), chunk("row", 12, 12),
                           chunk("prose", 35, 36)])
    assert lines.at("d", 12).chunk_type == "table"
    assert lines.at("d", 35).chunk_type == "prose"
    assert lines.at("d", 2).chunk_type == "section"
    assert lines.at("d", 99) is None and lines.at("other", 12) is None
