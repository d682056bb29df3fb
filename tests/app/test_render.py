"""The source viewer and chat rendering, checked against the real corpus: the highlighted cell is the cited one."""
from __future__ import annotations

import re
from decimal import Decimal
from html import unescape

import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from assistant.model import Answer, Calculation, Citation
from corpus.numbers import parse_number
from settings import Settings
from webui import render
from webui.sources import SourceLibrary

HIT_ROW = re.compile(r'<tr class="hit-row" data-line="(\d+)">(.*?)</tr>', re.S)
HIT_TD = re.compile(r'<td class="num hit-cell">([^<]*)</td>')
HIT_MARK = re.compile(r'<mark class="hit-cell">([^<]*)</mark>')


@pytest.fixture(scope="module")
def library() -> SourceLibrary:
    return SourceLibrary(Settings.from_env({}).corpus_dir)


@pytest.fixture(scope="module")
def parsed(library):
    return [library.parsed(d.doc_id) for d in library.documents()]


def citation_from_fact(fact) -> Citation:
    return Citation(doc=fact.doc_id, org=fact.org, year=fact.year, kind=fact.kind, table=fact.table,
                    row=fact.row, line=fact.line, quote=fact.quote, value=fact.value,
                    column="/".join(fact.column), unit=fact.unit, scope=fact.scope,
                    table_id=fact.table_id, row_code=fact.row_code)


def table_facts(parsed):
    return [f for p in parsed for f in p.facts if f.source == "table"]


def prose_facts(parsed):
    return [f for p in parsed for f in p.facts if f.source == "prose"]


def test_corpus_has_tables_and_prose_to_render(parsed):
    assert len(table_facts(parsed)) > 500
    assert len(prose_facts(parsed)) > 50


@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_table_citation_highlights_exactly_the_cited_cell(library, parsed, data):
    fact = data.draw(st.sampled_from(table_facts(parsed)))
    citation = citation_from_fact(fact)
    table = library.table_for(citation)
    assert table is not None and table.table_id == fact.table_id
    row_index = render.find_row(table, citation)
    row = table.rows[row_index]
    column = table.columns.index(fact.column)
    assert fact.line == row.line or fact.line == row.cell_lines[column]  # a row may span lines
    assert render.find_column(table, row, citation) == column

    html = render.source_html(1, citation, library.document(fact.doc_id), table)
    rows = HIT_ROW.findall(html)
    assert [int(line) for line, _ in rows] == [row.line]
    cells = HIT_TD.findall(rows[0][1])
    assert [parse_number(unescape(c)) for c in cells] == [fact.value]
    assert unescape(html).count(fact.doc_id) >= 1 and fact.org in unescape(html)


def test_every_table_fact_locates_its_own_row_and_column(library, parsed):
    misses = []
    for fact in table_facts(parsed):
        citation = citation_from_fact(fact)
        table = library.table_for(citation)
        row_index = render.find_row(table, citation)
        column = table.columns.index(fact.column)
        row = table.rows[row_index] if row_index is not None else None
        if row is None or row.cells[column] != fact.value or render.find_column(table, row, citation) != column:
            misses.append((fact.table_id, fact.line, fact.row, fact.column))
    assert not misses, misses[:5]


def test_long_tables_show_a_window_around_the_cited_row(library, parsed):
    long_tables = [t for p in parsed for t in p.tables if len(t.rows) > render.MAX_TABLE_ROWS]
    assert long_tables, "the corpus has long tables"
    for table in long_tables:
        hit = len(table.rows) - 1
        html = render.table_html(table, hit, 0)
        shown = len(re.findall(r"<tr[^>]*data-line=", html))
        omitted = sum(int(n) for n in re.findall(r"省略 (\d+) 行", html))
        assert shown + omitted == len(table.rows)
        assert f'data-line="{table.rows[hit].line}"' in html


def test_header_spans_cover_every_column_of_every_real_table(parsed):
    for table in (t for p in parsed for t in p.tables):
        top = render._header_rows(table.columns)[0]
        assert sum(colspan for _, colspan, _ in top) == len(table.columns), table.table_id


@given(st.lists(st.lists(st.sampled_from(["本年", "上年", "预算", "决算", "基本支出", "项目支出"]),
                         min_size=1, max_size=3).map(tuple), min_size=1, max_size=8))
def test_header_rows_merge_shared_prefixes(columns):
    columns = tuple(columns)
    rows = render._header_rows(columns)
    depth = max(len(c) for c in columns)
    assert len(rows) == depth
    assert sum(cs for _, cs, _ in rows[0]) == len(columns)
    for level, cells in enumerate(rows):  # every cell reaches exactly to the bottom or to a deeper level
        for _, _, rowspan in cells:
            assert 1 <= rowspan <= depth - level


@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_prose_citation_marks_the_cited_figure(library, parsed, data):
    fact = data.draw(st.sampled_from(prose_facts(parsed)))
    citation = citation_from_fact(fact)
    html = render.source_html(2, citation, library.document(fact.doc_id), library.table_for(citation))
    assert f'class="para-line hit-line" data-line="{fact.line}"' in html
    marks = HIT_MARK.findall(html)
    assert marks, "the figure is marked"
    printed = re.match(r"[-\d,.]+", unescape(marks[0]).strip()).group()
    assert parse_number(printed) == fact.value


@given(label=st.text(alphabet="医保自助设备服务费经办管理", min_size=2, max_size=8),
       before=st.integers(0, 99999), value=st.integers(1, 99999), unit=st.sampled_from(["万元", "元", "%", "台"]))
def test_figure_span_finds_the_value_after_the_row_label(label, before, value, unit):
    text = f"其中{before}万元用于其他；{label} {value:,} {unit}，用于服务。"
    c = Citation(doc="d", org="o", year=2024, kind="预算", table="", row=label, line=1, quote=text,
                 value=Decimal(value))
    start, end = render.figure_span(text, c)
    assert text[start:end] == f"{value:,} {unit}"
    assert text.index(label) < start


def test_answer_markdown_numbers_citations_and_shows_the_calculation():
    cites = [Citation(doc="a.txt", org="某局", year=2024, kind="预算", table="表一", row=f"行{i}", line=i,
                      quote="", value=Decimal(i), unit="万元") for i in (1, 2)]
    answer = Answer(text="合计 3 万元[1][2]。", value=Decimal(3), unit="万元", citations=cites,
                    calculation=Calculation("1 + 2", Decimal(3), "1[1] + 2[2] = 3"))
    md = render.answer_markdown(answer)
    assert '<span class="ref">[1]</span><span class="ref">[2]</span>' in md
    assert '1<span class="ref">[1]</span> + 2<span class="ref">[2]</span> = 3' in md
    assert "[2] 某局 · 2024" in md and "Sources (2)" in md
    box = render.calculation_html(answer)
    assert "计算过程 / Calculation" in box and "1[1] + 2[2] = 3" in box and box.count("<li>") == 2
    assert render.calculation_html(Answer(text="x")) == ""


def test_an_answer_covering_two_documents_shows_both_calculations():
    cites = [Citation(doc=d, org="某局", year=2024, kind="预算", table="表一", row="行", line=i, quote="",
                      value=Decimal(v), unit="万元") for d, i, v in (("a.txt", 1, 10), ("a.txt", 2, 4),
                                                                    ("b.txt", 1, 9), ("b.txt", 2, 3))]
    first = Calculation("4 / 10 * 100", Decimal(40), "4[2] / 10[1] × 100 = 40%")
    second = Calculation("3 / 9 * 100", Decimal("33.33"), "3[4] / 9[3] × 100 = 33.33%")
    answer = Answer(text="甲 40%，乙 33.33%。", citations=cites, calculation=first, calculations=[second])
    md, box = render.answer_markdown(answer), render.calculation_html(answer)
    assert "= 40%" in md and "= 33.33%" in md
    assert "4[2] / 10[1] × 100 = 40%<br>3[4] / 9[3] × 100 = 33.33%" in box
    only_second = Answer(text="乙 33.33%。", citations=cites, calculations=[second])   # no headline calculation
    assert "= 33.33%" in render.calculation_html(only_second)


def cite(value: str, row: str = "行") -> Citation:
    return Citation(doc="a.txt", org="某局", year=2024, kind="预算", table="表", row=row, line=1, quote="",
                    value=Decimal(value), unit="万元")


def test_markers_follow_the_figure_each_citation_backs():
    text = "基本支出为 5,544.19 万元，总支出为 16,506.19 万元，占比 33.59%。"
    cites = [cite("5544.19"), cite("16506.19"), cite("5544.19"), cite("7")]
    marked = render.with_markers(text, cites)
    assert marked == "基本支出为 5,544.19 万元[1][3]，总支出为 16,506.19 万元[2]，占比 33.59%。[4]"
    assert render.with_markers("5,544.19 - 1 = 5,543.19", cites, append_unplaced=False) == "5,544.19[1][3] - 1 = 5,543.19"
    assert render.with_markers("已有标记[1]。", cites) == "已有标记[1]。"


@given(st.lists(st.decimals(min_value=0, max_value=10**7, places=2), min_size=1, max_size=6))
def test_markers_never_change_the_answer_text(values):
    text = "，".join(f"第{i}项 {v:,} 万元" for i, v in enumerate(values)) + "。"
    marked = render.with_markers(text, [cite(str(v)) for v in values])
    assert re.sub(r"\[\d+\]", "", marked) == text
    assert sorted(int(n) for n in re.findall(r"\[(\d+)\]", marked)) == list(range(1, len(values) + 1))


def test_document_text_is_escaped_everywhere():
    hostile = "<img src=x onerror=alert(1)>"
    c = Citation(doc="x.txt", org=hostile, year=2024, kind="预算", table=hostile, row=hostile, line=1,
                 quote=hostile, value=Decimal(1), unit="元")
    for html in (render.citation_cards_html([c], 1), render.source_html(1, c, None, None),
                 render.answer_markdown(Answer(text=hostile, citations=[c])),
                 render.calculation_html(Answer(text="", citations=[c], calculation=Calculation("1", Decimal(1))))):
        assert "<img" not in html and "&lt;img" in html


def test_cards_carry_their_citation_numbers():
    cites = [Citation(doc="a", org="o", year=2020, kind="决算", table="t", row=f"r{i}", line=i, quote="")
             for i in range(1, 4)]
    html = render.citation_cards_html(cites, active=2)
    assert re.findall(r'data-cite="(\d+)"', html) == ["1", "2", "3"]
    assert html.count("cite-card active") == 1
    assert "决算 final accounts" in html
