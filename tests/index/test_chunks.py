"""Chunking rules on the real documents: tables, rows, paragraphs, sections."""
from __future__ import annotations

from collections import Counter

from hypothesis import given, settings as hsettings, strategies as st

from corpus.model import ParsedDocument
from index.chunks import MAX_TABLE_CHARS, _pack, chunk_document, keyword_text
from index.layout import PARAGRAPH, segment_lines
from index.model import ROW, TABLE
from index.terms import Glossary

GLOSSARY = Glossary.load()


def _chunks(parsed):
    return chunk_document(parsed, GLOSSARY)


def test_every_chunk_carries_document_metadata_and_a_valid_line_range(parsed_corpus):
    for doc_id, parsed in parsed_corpus.items():
        chunks = _chunks(parsed)
        meta = parsed.document.meta
        assert len({c.chunk_id for c in chunks}) == len(chunks)
        for c in chunks:
            assert (c.doc_id, c.org, c.year, c.kind, c.scope) == (doc_id, meta.org, meta.year, meta.kind, meta.scope)
            assert 1 <= c.line_start <= c.line_end <= len(parsed.document.lines)
            assert c.text.strip() and c.embed_text.strip()


def test_table_parts_repeat_the_header_row_and_never_split_a_row(parsed_corpus):
    split_seen = False
    for parsed in parsed_corpus.values():
        chunks = _chunks(parsed)
        for table in parsed.tables:
            parts = [c for c in chunks if c.chunk_type == TABLE and c.table_id == table.table_id]
            assert parts, f"no table chunk for {table.table_id}"
            split_seen |= len(parts) > 1
            headers = {c.text.split("\n")[1] for c in parts}
            assert len(headers) == 1, "every part repeats the same header row"
            width = headers.pop().count(" | ") + 1
            data_lines = []
            for c in parts:
                lines = c.text.split("\n相关词：")[0].split("\n")
                assert lines[2].startswith("| ---")
                rows = table.rows[len(data_lines):len(data_lines) + len(lines) - 3]
                assert all(c.line_start <= r.line <= c.line_end for r in rows), "a part spans its rows' lines"
                data_lines += lines[3:]
            assert len(data_lines) == len(table.rows), "each row exactly once, whole"
            for line, row in zip(data_lines, table.rows):
                assert line.startswith("| ") and line.endswith(" |") and line.count(" | ") + 1 == width
                assert row.label.replace("|", "/") in line
            assert parts[0].line_start <= table.line_start and parts[-1].line_end == table.line_end   # caption included
    assert split_seen, "the corpus has tables big enough to be split"


def test_one_row_chunk_per_table_row_with_path_code_and_values(parsed_corpus):
    for parsed in parsed_corpus.values():
        chunks = _chunks(parsed)
        rows = Counter(c.table_id for c in chunks if c.chunk_type == ROW and c.table_id)
        for table in parsed.tables:
            assert rows[table.table_id] == len(table.rows)
        for c in chunks:
            if c.chunk_type == ROW and c.table_id:
                assert c.line_start == c.line_end
                assert c.row_label and c.row_label in c.text
                if c.row_code:
                    assert f"科目编码 {c.row_code}" in c.text


def test_a_budget_row_carries_colloquial_and_english_terms(parsed_corpus):
    chunks = _chunks(parsed_corpus["000_8eb411c3622be9ee.txt"])
    rows = [c for c in chunks if c.chunk_type == ROW and c.row_code == "2101506"]
    assert rows
    for c in rows:
        assert "医保经办" in c.text and "handling insured people's claims" in c.text
        assert "7,171.87" in c.text


def test_broken_pdf_lines_are_joined_into_one_paragraph_keeping_the_line_range(parsed_corpus):
    parsed = parsed_corpus["002_339364824c9abd23.txt"]
    lines = parsed.document.lines
    start = next(n for n, line in enumerate(lines, 1) if line.startswith("深圳市医疗保险基金管理中心的主要职责是"))
    prose = [c for c in _chunks(parsed) if c.chunk_type == "prose" and c.line_start == start]
    assert prose
    chunk = prose[0]
    assert chunk.line_end > start + 2
    tail = lines[start - 1].strip()[-4:] + lines[start + 1].strip()[:4]   # across the line break
    assert tail in chunk.text
    assert "部门职责" in chunk.heading


def test_prose_chunks_keep_their_heading_path(parsed_corpus):
    parsed = parsed_corpus["000_8eb411c3622be9ee.txt"]
    chunk = next(c for c in _chunks(parsed) if c.chunk_type == "prose" and "（一）人员支出" in c.text)
    assert "第三部分 部门预算支出具体情况" in chunk.heading
    assert chunk.heading in chunk.text


def test_table_like_lines_no_parser_claimed_still_get_row_chunks(parsed_corpus):
    document = parsed_corpus["000_8eb411c3622be9ee.txt"].document
    bare = chunk_document(ParsedDocument(document=document), GLOSSARY)   # as if the parsers found nothing
    line = next(n for n, text in enumerate(document.lines, 1) if text.strip().startswith("2101506"))
    rows = [c for c in bare if c.chunk_type == ROW and c.line_start == line]
    assert rows and "2101506" in rows[0].text and "支出总表" in rows[0].table_title
    assert any(c.chunk_type == TABLE and c.line_start <= line <= c.line_end for c in bare)


def test_keyword_text_drops_the_repeated_document_header(parsed_corpus):
    chunk = _chunks(parsed_corpus[next(iter(parsed_corpus))])[0]
    assert chunk.org in chunk.text.split("\n")[0]
    assert f"{chunk.year}年 部门{chunk.kind}" not in keyword_text(chunk)


@given(st.lists(st.text(min_size=0, max_size=80), max_size=40), st.integers(min_value=1, max_value=400))
def test_pack_keeps_every_line_whole_and_in_order(lines, budget):
    parts = _pack(lines, budget)
    assert [line for part in parts for line in part] == lines
    limit = max(budget, 200)
    for part in parts:
        assert part
        assert len(part) == 1 or sum(len(x) + 1 for x in part) <= limit


_LINE = st.one_of(
    st.just(""), st.just("第一部分 概况"), st.just("一、部门职责"), st.just("（二）机构设置"),
    st.just("1. 项目支出 120 万元，用于"), st.just("保障运行。"), st.just("收入\t1,000.00\t支出\t900.00"),
    st.text(alphabet="预算支出经费项目，。；123", min_size=1, max_size=30))


@hsettings(max_examples=80)
@given(st.lists(_LINE, max_size=40), st.sets(st.integers(min_value=1, max_value=40), max_size=8))
def test_segments_stay_inside_the_document_and_skip_claimed_lines(lines, skip):
    segments = segment_lines(lines, skip=frozenset(skip))
    covered: list[int] = []
    for seg in segments:
        assert 1 <= seg.line_start <= seg.line_end <= len(lines)
        if seg.kind == PARAGRAPH:
            assert not any(n in skip for n in range(seg.line_start, seg.line_end + 1))
        covered.append(seg.line_start)
    assert all(n not in skip for n in covered)


def test_big_tables_stay_under_the_size_budget(parsed_corpus):
    for parsed in parsed_corpus.values():
        for c in _chunks(parsed):
            if c.chunk_type == TABLE and c.table_id:
                body = c.text.split("\n相关词：")[0]
                data = body.split("\n")[3:]
                assert len(data) == 1 or len(body) <= MAX_TABLE_CHARS + 200
