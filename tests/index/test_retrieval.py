"""Hybrid retrieval: reciprocal-rank fusion, filters, de-duplication, on a real (MiniLM + Chroma) index."""
from __future__ import annotations

import numpy as np
from hypothesis import given, strategies as st

from index.fusion import fuse
from tests.index.conftest import JIANGMEN


def test_an_item_found_by_both_retrievers_outranks_items_found_by_one():
    keyword = [(1, 9.0), (2, 8.0), (3, 7.0)]
    dense = [(4, 0.9), (2, 0.8), (5, 0.7)]
    fused = fuse([keyword, dense], [1.0, 1.0])
    assert fused[0][0] == 2
    assert {i for i, _ in fused} == {1, 2, 3, 4, 5}


def test_fusion_weights_decide_between_single_list_items():
    keyword, dense = [(1, 5.0)], [(2, 0.9)]
    assert fuse([keyword, dense], [1.0, 0.3])[0][0] == 1
    assert fuse([keyword, dense], [0.3, 1.0])[0][0] == 2
    assert fuse([[], []], [1.0, 1.0]) == []


@given(st.lists(st.lists(st.integers(0, 30), unique=True, max_size=15), min_size=1, max_size=4))
def test_fused_score_is_the_weighted_sum_of_reciprocal_ranks(lists):
    rankings = [[(i, 0.0) for i in ranking] for ranking in lists]
    fused = dict(fuse(rankings, [1.0] * len(rankings), rrf_k=60))
    for item, score in fused.items():
        expected = sum(1 / (60 + r.index(item) + 1) for r in lists if item in r)
        assert abs(score - expected) < 1e-12
    scores = [s for _, s in fuse(rankings, [1.0] * len(rankings))]
    assert scores == sorted(scores, reverse=True)


def test_search_finds_a_row_by_its_printed_name(jiangmen_index):
    hits = jiangmen_index.search("江门医保局2024年委托业务费安排了多少？", k=5)
    assert hits and any("委托业务费" in h.chunk.text for h in hits)
    assert all(h.chunk.doc_id == JIANGMEN for h in hits)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_results_mix_rows_text_and_tables_without_nested_duplicates(jiangmen_index):
    hits = jiangmen_index.search("三公经费预算是多少", k=8)
    assert len({h.chunk.chunk_type for h in hits}) >= 2
    for a in hits:
        for b in hits:
            if a is not b:
                inside = b.chunk.line_start <= a.chunk.line_start and a.chunk.line_end <= b.chunk.line_end
                assert not (inside and (b.chunk.line_start, b.chunk.line_end) != (a.chunk.line_start, a.chunk.line_end)
                            and hits.index(b) < hits.index(a)), "a hit inside a better hit's lines is dropped"


def test_filters_restrict_results_and_a_filter_matching_nothing_returns_nothing(jiangmen_index):
    assert jiangmen_index.search("三公经费", k=5, filters={"org": "江门市医疗保障局", "year": 2024})
    short = jiangmen_index.search("三公经费", k=5, filters={"org": "江门市医保局"})   # short form of the name
    assert short and all(h.chunk.org == "江门市医疗保障局" for h in short)
    assert jiangmen_index.search("三公经费", k=5, filters={"org": "深圳市医疗保障局"}) == []
    loose = jiangmen_index.search("三公经费", k=5, filters={"org": "医疗保障局"})   # contained in the org name
    assert loose and all(h.chunk.org == "江门市医疗保障局" for h in loose)
    assert jiangmen_index.search("三公经费", k=5, filters={"year": 2019}) == []
    assert jiangmen_index.search("三公经费", k=5, filters={"kind": "决算"}) == []
    rows = jiangmen_index.search("三公经费", k=5, filters={"chunk_type": "row", "doc": JIANGMEN})
    assert rows and all(h.chunk.chunk_type == "row" for h in rows)


def test_dense_half_is_real_and_answers_an_english_query(jiangmen_index):
    ranking = jiangmen_index.retriever.dense_ranking("official vehicles", 5, {})
    assert len(ranking) == 5
    sims = [s for _, s in ranking]
    assert sims == sorted(sims, reverse=True) and -1.0 <= sims[-1] <= sims[0] <= 1.0


def test_empty_or_blank_questions_return_no_hits(jiangmen_index):
    assert jiangmen_index.search("", k=5) == []
    assert jiangmen_index.search("   ", k=5) == []
    assert jiangmen_index.search("三公经费", k=0) == []


def _chunk(cid, kind, start, end, table_id=None, doc="d.txt"):
    from index.model import Chunk
    return Chunk(chunk_id=cid, text=cid, doc_id=doc, org="o", year=2024, kind="预算", scope=None,
                 chunk_type=kind, table_id=table_id, table_title="", line_start=start, line_end=end)


def test_rows_are_shown_as_their_table_part_and_nested_hits_fold():
    from index.selection import parents, select_hits
    chunks = [_chunk("row12", "row", 12, 12, "t1"), _chunk("row15", "row", 15, 15, "t1"),
              _chunk("table", "table", 10, 20, "t1"), _chunk("para", "prose", 31, 32),
              _chunk("small", "section", 30, 33), _chunk("big", "section", 28, 40), _chunk("other", "prose", 50, 50)]
    parent_of = parents(chunks)
    assert parent_of[:4] == [2, 2, 2, 4] and parent_of[6] == 6
    fused = [(0, 0.9), (3, 0.8), (1, 0.7), (5, 0.6), (6, 0.5)]
    hits = select_hits(fused, chunks, parent_of, k=3)
    assert [h.chunk.chunk_id for h in hits] == ["table", "big", "other"]
    assert [f.chunk_id for f in hits[0].focus] == ["row12", "row15"]
    assert {f.chunk_id for f in hits[1].focus} == {"small", "para"}      # the wider section swallowed the smaller
    rows_only = np.array([c.chunk_type == "row" for c in chunks])
    assert [h.chunk.chunk_id for h in select_hits(fused[:1], chunks, parent_of, 3, mask=rows_only)] == ["row12"]
