"""Semantic matching of row labels and prose items (assistant/semantic.py) with the real USE
multilingual embedder over the real Jiangmen 2024 budget (one document keeps the test to seconds)."""
from __future__ import annotations

import os

import numpy as np
import pytest

from assistant.agent import BuiltinAgent
from assistant.knowledge import Knowledge
from assistant.matching import Scored, fuse, temper_semantic
from assistant.semantic import SemanticLabels, cache_path, view_text

os.environ.setdefault("HF_HUB_OFFLINE", "1")
JIANGMEN = "003_e2aa0d4e68ff0396.txt"
ZHANGZHOU = "004_7457e2252370b02a.txt"


class CountingEmbedder:
    """The real embedder, counting how many texts it is asked to embed (to observe cache reuse)."""

    def __init__(self, inner):
        self.inner = inner
        self.spec = inner.spec
        self.dim = inner.dim
        self.documents_embedded = 0

    def embed_documents(self, texts):
        self.documents_embedded += len(texts)
        return self.inner.embed_documents(texts)

    def embed_query(self, text):
        return self.inner.embed_query(text)


@pytest.fixture(scope="module")
def use():
    embedders = pytest.importorskip("index.embedders")
    try:
        return embedders.make_embedder("use", threads=1)
    except embedders.EmbedderError as exc:
        pytest.skip(str(exc))


@pytest.fixture(scope="module")
def jiangmen(parsed):
    return [p for p in parsed if p.document.doc_id == JIANGMEN]


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("semantic-cache")


@pytest.fixture(scope="module")
def semantic_kb(jiangmen, use, cache_dir) -> Knowledge:
    return Knowledge.from_parsed(jiangmen, embedder=use, cache_dir=cache_dir)


def best_label(kb: Knowledge, topic: str) -> str:
    cos = kb.semantic.cosines(topic)
    best = max((v for v in kb.views if not v.total_row), key=lambda v: cos[v.idx])
    return best.label


@pytest.mark.parametrize("english, label", [
    ("urban and rural medical assistance", "城乡医疗救助"),
    ("property management fees", "物业管理费"),
    ("retirement pay", "退休费"),
    ("money for holding meetings", "会议"),
    ("pay back the medical insurance fund for non-medical COVID nucleic-acid tests",
     "财政应归还医保基金已支付非就医看病核酸检测费用"),
])
def test_an_english_phrase_finds_its_chinese_label_among_the_real_labels(semantic_kb, english, label):
    assert semantic_kb.semantic is not None
    assert best_label(semantic_kb, english).startswith(label)


def test_strength_is_zero_for_unrelated_topics_and_high_for_the_right_label(semantic_kb):
    unrelated = semantic_kb.semantic.strengths("space exploration research")
    assert unrelated is not None and float(unrelated.max()) < 0.5
    right = semantic_kb.semantic.strengths("property management fees")
    target = [v.idx for v in semantic_kb.views if v.label == "物业管理费"]
    assert target and float(right[target].max()) > 0.7


def test_the_label_matrix_is_cached_on_disk_and_reused(jiangmen, use, tmp_path):
    counting = CountingEmbedder(use)
    first = Knowledge.from_parsed(jiangmen, embedder=counting, cache_dir=tmp_path)
    texts = first.semantic.texts
    purposes = first.semantic.purpose_texts
    assert len(texts) > 50 and purposes                       # labels, and items read with their stated purpose
    assert counting.documents_embedded == len(texts) + len(purposes)
    files = list((tmp_path / "semantic").glob("labels-use-*.npy"))
    assert files == [cache_path(tmp_path, "use", texts)]
    assert list((tmp_path / "semantic").glob("purposes-use-*.npy")) == [cache_path(tmp_path, "use", purposes,
                                                                                     "purposes")]

    again = CountingEmbedder(use)
    second = Knowledge.from_parsed(jiangmen, embedder=again, cache_dir=tmp_path)
    assert again.documents_embedded == 0                      # read from disk, nothing re-embedded
    assert np.array_equal(second.semantic.matrix, first.semantic.matrix)
    # another label list (one more document) gets its own file; the first stays valid
    assert cache_path(tmp_path, "use", texts + ["新标签"]) != files[0]


def test_a_damaged_cache_file_is_rebuilt(jiangmen, use, tmp_path):
    texts = Knowledge.from_parsed(jiangmen, embedder=use, cache_dir=tmp_path).semantic.texts
    path = cache_path(tmp_path, "use", texts)
    path.write_bytes(b"not a numpy file")
    counting = CountingEmbedder(use)
    kb = Knowledge.from_parsed(jiangmen, embedder=counting, cache_dir=tmp_path)
    assert counting.documents_embedded == 0                     # each text is still in the per-text cache
    assert kb.semantic.matrix.shape == (len(texts), use.dim)
    assert np.load(path).shape == (len(texts), use.dim)
    for cache in tmp_path.glob("embeddings-*.sqlite"):
        cache.write_bytes(b"not a database either")
    path.unlink()
    again = CountingEmbedder(use)
    kb = Knowledge.from_parsed(jiangmen, embedder=again, cache_dir=tmp_path)
    assert again.documents_embedded >= len(texts) and kb.semantic.matrix.shape == (len(texts), use.dim)


class RecordingEmbedder(CountingEmbedder):
    def __init__(self, inner):
        super().__init__(inner)
        self.texts: list[str] = []

    def embed_documents(self, texts):
        self.texts += list(texts)
        return super().embed_documents(texts)


def test_adding_a_document_embeds_only_its_new_texts(parsed, jiangmen, use, tmp_path):
    zhangzhou = [p for p in parsed if p.document.doc_id == ZHANGZHOU]
    alone, both = RecordingEmbedder(use), RecordingEmbedder(use)
    Knowledge.from_parsed(jiangmen, embedder=alone, cache_dir=tmp_path / "a")
    Knowledge.from_parsed(jiangmen + zhangzhou, embedder=both, cache_dir=tmp_path / "b")
    added = RecordingEmbedder(use)
    Knowledge.from_parsed(jiangmen, embedder=use, cache_dir=tmp_path / "c")
    kb = Knowledge.from_parsed(jiangmen + zhangzhou, embedder=added, cache_dir=tmp_path / "c")
    assert sorted(added.texts) == sorted(set(both.texts) - set(alone.texts)) != []
    assert kb.semantic.matrix.shape[0] == len(kb.semantic.texts)


def test_without_an_embedder_the_agent_still_answers_lexically(jiangmen):
    kb = Knowledge.from_parsed(jiangmen)
    assert kb.semantic is None
    answer = BuiltinAgent(kb).answer("江门医保局2024年城乡医疗救助预算是多少？")
    assert not answer.refusal and answer.value is not None and float(answer.value) == 340.0


def test_an_embedder_that_fails_leaves_lexical_matching_on(jiangmen, use):
    class Broken(CountingEmbedder):
        def embed_documents(self, texts):
            raise RuntimeError("model file unreadable")

    logged = []
    kb = Knowledge.from_parsed(jiangmen, embedder=Broken(use), cache_dir=None, log=logged.append)
    assert kb.semantic is None and "semantic label matching off" in logged[0]
    assert not BuiltinAgent(kb).answer("江门医保局2024年会议费是多少？").refusal


def test_the_agent_answers_an_english_paraphrase_with_the_chinese_row(semantic_kb):
    answer = BuiltinAgent(semantic_kb).answer(
        "How much did Jiangmen's healthcare security bureau budget in 2024 for property management fees?")
    assert not answer.refusal
    assert float(answer.value) == 20.0
    assert any(c.row.endswith("物业管理费") for c in answer.citations)


@pytest.mark.parametrize("question", [
    "How much did Jiangmen's healthcare security bureau budget in 2024 for space exploration research?",
    "How much did Jiangmen's healthcare security bureau budget in 2024 for staff gym memberships?",
])
def test_semantic_similarity_does_not_turn_an_absent_topic_into_an_answer(semantic_kb, question):
    answer = BuiltinAgent(semantic_kb).answer(question)
    assert answer.refusal and answer.value is None


def test_view_text_uses_the_table_title_for_total_rows(semantic_kb):
    totals = [v for v in semantic_kb.views if v.total_row]
    assert totals and all(view_text(v) == v.table_key for v in totals)


def test_words_that_name_a_row_keep_it_ahead_of_a_merely_similar_one(semantic_kb):
    """temper_semantic: when the best lexical match is complete, semantic gains are removed."""
    views = semantic_kb.views[:2]
    named = Scored(views[0], score=1.0, label_cov=1.0, query_cov=1.0, lexical=1.0, lexical_label=1.0,
                   lexical_query=1.0)
    similar = Scored(views[1], score=0.4 + 0.45, label_cov=fuse(0.3, 1.0), query_cov=0.8, lexical=0.4,
                     lexical_label=0.3, lexical_query=0.5, semantic_gain=0.45)
    temper_semantic([named, similar])
    assert similar.score == pytest.approx(0.4) and similar.label_cov == pytest.approx(0.3)
    assert named.score > similar.score


def test_semantic_gain_is_kept_when_no_row_is_named_by_the_words(semantic_kb):
    views = semantic_kb.views[:2]
    english = Scored(views[0], score=0.75, label_cov=0.85, query_cov=0.85, lexical=0.1, lexical_label=0.0,
                     lexical_query=0.2, semantic_gain=0.65)
    other = Scored(views[1], score=0.2, label_cov=0.2, query_cov=0.2, lexical=0.2, lexical_label=0.2,
                   lexical_query=0.4)
    temper_semantic([english, other])
    assert english.score == pytest.approx(0.75)


def test_candidates_are_limited_to_the_document_and_to_strong_matches(semantic_kb, parsed, use, cache_dir):
    strengths = semantic_kb.semantic.strengths("property management fees")
    ids = semantic_kb.semantic.candidates(JIANGMEN, strengths)
    assert ids and all(semantic_kb.views[i].fact.doc_id == JIANGMEN for i in ids)
    assert all(strengths[i] >= 0.5 for i in ids)
    assert semantic_kb.semantic.candidates("no-such-doc.txt", strengths) == []
    assert semantic_kb.semantic.candidates(JIANGMEN, None) == []


def test_build_over_no_views_is_empty(use, tmp_path):
    empty = SemanticLabels.build([], use, tmp_path)
    assert empty.texts == [] and empty.cosines("anything") is None


def test_english_words_no_glossary_entry_covers_count_as_unexplained(kb):
    from assistant.matching import build_terms
    english = build_terms("pre-checking cash reimbursement paperwork", kb.glossary, kb.idf)
    assert 0.3 < english.unexplained < 1.0          # "cash reimbursement" is a glossary phrase, the rest is not
    assert build_terms("城乡医疗救助", kb.glossary, kb.idf).unexplained == 0.0
    assert build_terms("money for the zorblax widgets", kb.glossary, kb.idf).unexplained == 1.0


def test_unexplained_english_reopens_the_semantic_route(semantic_kb):
    views = semantic_kb.views[:2]
    glossary_only = Scored(views[0], score=0.6, label_cov=0.2, query_cov=1.0, lexical=0.6, lexical_label=0.2,
                           lexical_query=1.0)
    meant = Scored(views[1], score=0.59 + 0.3, label_cov=0.85, query_cov=1.0, lexical=0.59, lexical_label=0.15,
                   lexical_query=1.0, semantic_gain=0.3)
    temper_semantic([glossary_only, meant], unexplained=0.67)
    assert meant.score == pytest.approx(0.89)
    assert meant.score > glossary_only.score


def test_old_label_matrices_of_the_same_embedder_are_pruned(jiangmen, use, tmp_path):
    folder = tmp_path / "semantic"
    folder.mkdir()
    old = []
    for n in range(4):
        f = folder / f"labels-use-old{n}.npy"
        np.save(f, np.zeros((1, 2), dtype=np.float32))
        os.utime(f, (1_000_000 + n, 1_000_000 + n))
        old.append(f)
    other = folder / "labels-e5-keepme.npy"
    np.save(other, np.zeros((1, 2), dtype=np.float32))
    kb = Knowledge.from_parsed(jiangmen, embedder=use, cache_dir=tmp_path)
    kept = sorted(p.name for p in folder.glob("labels-use-*.npy"))
    assert cache_path(tmp_path, "use", kb.semantic.texts).name in kept and len(kept) == 3
    assert old[3].name in kept and old[2].name in kept          # the newest old ones stay
    assert other.exists()                                       # another embedder's matrix is untouched


def test_a_query_the_embedder_cannot_embed_is_matched_by_words_only(jiangmen, use, cache_dir):
    class FailsOnQueries(CountingEmbedder):
        def embed_query(self, text):
            raise RuntimeError("embedder crashed")

    kb = Knowledge.from_parsed(jiangmen, embedder=FailsOnQueries(use), cache_dir=cache_dir)
    assert kb.semantic is not None and kb.semantic.strengths("property management fees") is None
    answer = BuiltinAgent(kb).answer("江门医保局2024年物业管理费是多少？")
    assert not answer.refusal and float(answer.value) == 20.0


# -- an item matched by what it is for (its stated purpose), by meaning ------------------------------
BUREAU_2022 = "001_e7d8d3c89f9e36b3.txt"
ZHANGZHOU_2024 = "004_7457e2252370b02a.txt"


@pytest.fixture(scope="module")
def purpose_kbs(parsed, use, cache_dir):
    docs = {p.document.doc_id: p for p in parsed}
    return {d: (Knowledge.from_parsed([docs[d]], embedder=use, cache_dir=cache_dir), Knowledge.from_parsed([docs[d]]))
            for d in (BUREAU_2022, ZHANGZHOU_2024)}


@pytest.mark.parametrize("doc, question, label", [
    (BUREAU_2022, "How much did Shenzhen's 2022 healthcare security budget put into checking hospital wards with face "
                  "recognition to stop fake admissions and use of other people's cards?", "智能核卡项目"),
    (ZHANGZHOU_2024, "How much does Zhangzhou's 2024 budget give for the medical insurance of employees of firms in "
                     "difficulty and staff of firms about to go bankrupt?", "其他卫生健康支出"),
])
def test_an_english_description_of_what_an_item_is_for_finds_it(purpose_kbs, doc, question, label):
    semantic, lexical = purpose_kbs[doc]
    assert lexical.semantic is None and BuiltinAgent(lexical).answer(question).refusal   # words alone cannot
    answer = BuiltinAgent(semantic).answer(question)
    assert not answer.refusal, answer.text
    rows = [v for v in semantic.doc_views(doc) if v.label == label and v.purpose]
    assert rows and answer.value == rows[0].fact.value
    assert "The document says it is for" in answer.text


def test_purpose_texts_are_the_item_read_with_its_use(purpose_kbs):
    semantic, _ = purpose_kbs[BUREAU_2022]
    assert any(t.startswith("智能核卡项目：用于人脸识别") for t in semantic.semantic.purpose_texts)
    strengths = semantic.semantic.purpose_strengths("face recognition checks of hospital wards")
    best = max(range(len(semantic.views)), key=lambda i: strengths[i])
    assert semantic.views[best].label == "智能核卡项目"


@pytest.mark.parametrize("question", [
    "How much did Shenzhen's 2022 healthcare security budget allocate to running the city's subway?",
    "How much did Shenzhen's 2022 healthcare security budget set aside for the pooled fund's own spending?",
])
def test_a_purpose_that_is_merely_similar_does_not_answer(purpose_kbs, question):
    semantic, _ = purpose_kbs[BUREAU_2022]
    answer = BuiltinAgent(semantic).answer(question)
    assert answer.refusal and answer.value is None, answer.text
