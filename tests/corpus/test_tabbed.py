"""Tab-separated table parser on the real corpus documents, plus property tests for its pure helpers."""
from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from corpus.tables.cells import cell_number, numbering, split_code_label
from corpus.reports.coverage import figure_tokens, table_number_coverage
from corpus.tables.headers import column_paths, fill_header, side_by_side_parts
from corpus.tables.hierarchy import ENTITY, ITEM, TOTAL, Node, build_paths, parent_code
from corpus.loader import document_from_bytes, load_document
from corpus.tables.measures import parse_measure
from corpus.model import Document, Table
from corpus.numbers import format_amount
from corpus.parse import parse_document
from corpus.tables.tabbed import parse_tabbed_tables

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
D = Decimal


@lru_cache(maxsize=None)
def doc(prefix: str) -> Document:
    return load_document(next(CORPUS.glob(f"{prefix}_*.txt")))


@lru_cache(maxsize=None)
def tables(prefix: str) -> tuple[Table, ...]:
    return tuple(parse_tabbed_tables(doc(prefix)))


def table(prefix: str, title: str, part: str | None = None) -> Table:
    found = [t for t in tables(prefix) if t.title == title and (part is None or t.part == part)]
    assert len(found) == 1, [t.title for t in tables(prefix)]
    return found[0]


def row_at(t: Table, line: int):
    return next(r for r in t.rows if r.line == line)


def cell(t: Table, line: int, *column: str) -> Decimal | None:
    return row_at(t, line).cells[t.columns.index(tuple(column))]


# --- whole documents -----------------------------------------------------------------------------

@pytest.mark.parametrize("prefix, expected", [("000", 16), ("001", 14), ("003", 15), ("004", 25)])
def test_every_table_is_found_once(prefix, expected):
    found = tables(prefix)
    assert len(found) == expected
    assert [t.table_id for t in found] == [f"{doc(prefix).doc_id}#{n}" for n in range(1, expected + 1)]
    assert all(t.rows and t.unit for t in found)


def test_titles_numbers_and_units_come_from_the_lines_above():
    titles = {(t.number, t.title) for t in tables("000")}
    assert ("表3", "支出总表") in titles
    assert ("表7", "一般公共预算支出表（按功能分类）") in titles
    assert ("表9", "财政拨款“三公”经费支出表") in titles
    assert {t.title for t in tables("004")} >= {"收支预算总表（收入）", "一般公共预算“三公”经费支出预算表"}
    # a table introduced by a sentence ('…如下：') takes the section heading as its title
    assert tables("000")[0].title == "重点项目预算绩效情况说明"
    # a header naming its own unit wins over the document default
    assert table("004", "部门预算单位构成").unit == "人"


def test_page_break_fragments_merge_into_one_table():
    t = table("000", "支出总表")
    assert (t.line_start, t.line_end) == (297, 331)
    lines = [r.line for r in t.rows]
    assert 309 in lines and 321 in lines              # rows from both pages
    assert not {319, 320} & set(lines)                # the repeated header is not data
    assert len(t.rows) == 22


def test_side_by_side_layout_splits_into_income_and_spending():
    income = table("000", "收支总表（收入）", "收入")
    spending = table("000", "收支总表（支出）", "支出")
    assert income.columns == spending.columns == (("2024年预算数",),)
    assert cell(income, 269, "2024年预算数") == D("190254.32")
    assert row_at(income, 269).label == "收入总计"
    assert row_at(spending, 269).label == "支出总计"
    assert row_at(income, 256).path == ("上年结余、结转", "财政拨款结余、结转")
    assert 243 not in {r.line for r in income.rows}   # that line only has a spending row


def test_codes_build_the_label_hierarchy():
    t = table("000", "一般公共预算支出表（按功能分类）")
    r = row_at(t, 512)
    assert (r.code, r.label) == ("2101506", "医疗保障经办事务")
    assert r.path == ("卫生健康支出", "医疗保障管理事务", "医疗保障经办事务")
    assert r.cells == (D("7171.87"), D("0.00"), D("7171.87"))
    assert r.quote == doc("000").line(512)


def test_bracketed_codes_and_plain_numbers():
    r = row_at(table("003", "一般公共预算支出情况表（按功能分类科目）"), 267)
    assert (r.code, r.label) == ("2101505", "医疗保障政策管理")
    t = table("004", "支出预算总表")
    assert cell(t, 179, "基本支出") == D("3272.07")     # 004 prints 3272.07 without separators


def test_multi_row_headers_fill_spanning_cells():
    income = table("000", "收入总表")
    assert ("本年收入", "财政拨款", "一般公共预算拨款", "小计") in income.columns
    assert ("本年收入", "单位资金", "其他收入") in income.columns
    sangong = table("000", "财政拨款“三公”经费支出表")
    assert ("公务用车购置及运行维护费", "小计", "一般公共预算") in sangong.columns
    assert len(sangong.columns) == 18


def test_units_rows_and_year_rows():
    t = table("000", "支出总表")
    top = row_at(t, 299)
    assert top.label == top.entity == "深圳市医疗保险基金管理中心"
    assert cell(t, 299, "基本支出") == D("6996.01")
    sangong = table("000", "财政拨款“三公”经费支出表")
    assert [r.label for r in sangong.rows] == ["2023年", "2024年", "增减变化金额"]
    assert {r.entity for r in sangong.rows} == {"深圳市医疗保险基金管理中心"}


def test_department_rows_are_told_apart_from_sub_units():
    t = table("001", "收入总表")
    assert [r.entity for r in t.rows] == ["深圳市医疗保障局（汇总）", "深圳市医疗保障局（本级）", "深圳市医疗保险基金管理中心"]
    by_function = table("001", "一般公共预算支出表（按功能分类）")
    assert row_at(by_function, 531).entity == "深圳市医疗保险基金管理中心"
    assert row_at(by_function, 488).entity == "深圳市医疗保障局（本级）"


def test_rows_printed_one_cell_off_are_realigned():
    t = table("001", "部门（单位）整体支出绩效目标表", None)
    r = row_at(t, 602)          # printed without the leading empty cell
    assert r.label == "基金监督管理"
    assert r.cells == (D("1025"), D("1025"), None)
    assert row_at(t, 617).cells == (D("3663"), None, D("3663"))


def test_indicator_targets_become_cells_with_their_own_unit():
    t = table("000", "深圳市医疗保险基金管理中心整体支出绩效目标表（绩效指标）")
    r = row_at(t, 658)
    assert r.path == ("产出指标", "数量指标", "提供自助设备服务数量")
    assert (r.cells, r.cell_units) == ((D("180"),), ("台",))
    target = row_at(t, 660)
    assert (target.cells[0], target.cell_units[0], target.cell_qualifiers[0]) == (D("400000"), "笔", "≥")
    assert row_at(t, 673).text_cells == ((("目标值",), "良好"),)   # text targets stay text


def test_project_tables_keep_descriptions_as_text_cells():
    t = table("001", "重点项目预算绩效情况说明")
    text = dict(row_at(t, 235).text_cells)[("绩效目标",)]
    assert "打通“最后一公里”" in text          # the wrapped line 237 joins its row


def test_table_of_contents_is_not_a_table():
    assert all(t.line_start > 40 for t in tables("004"))


def test_document_without_tabs_or_with_one_row():
    text = "2024年某某市医疗保障局部门预算\n\n表 1\n\n支出总表\n\n单位：万元\n\n项目\t金额\n合计\t12.50\n"
    d = document_from_bytes("x.txt", text.encode("utf-8"))
    [t] = parse_tabbed_tables(d)
    assert (t.number, t.title, t.unit, t.columns) == ("表1", "支出总表", "万元", (("金额",),))
    assert t.checks[0].name == "no-arithmetic"
    plain = document_from_bytes("y.txt", "2024年某某市医疗保障局部门预算\n没有表格。\n".encode("utf-8"))
    assert parse_tabbed_tables(plain) == []


@pytest.mark.parametrize("prefix", ["000", "001", "003", "004"])
def test_table_numbers_become_facts(prefix):
    """≥99% of the figures printed in table rows become facts at their line; every figure printed
    as a cell of its own (a number or a target like ≥70家) is a table fact. Figures inside
    description sentences in a cell are left to the prose extractor."""
    parsed = parse_document(doc(prefix))
    total, became = table_number_coverage(parsed)
    assert total > 400 and became / total >= 0.99
    table_facts = {(f.line, f.value) for f in parsed.facts if f.source == "table"}
    codes = {r.line: r.code for t in parsed.tables for r in t.rows if r.code}
    for n in sorted(parsed.table_lines):
        if "\t" not in doc(prefix).line(n):
            continue                       # title, unit and page-break lines between fragments
        for text in doc(prefix).line(n).split("\t"):
            measure = parse_measure(text)
            value = cell_number(text) if cell_number(text) is not None else getattr(measure, "value", None)
            if value is not None and text.strip() != codes.get(n):
                assert (n, value) in table_facts, (n, text)


# --- pure helpers --------------------------------------------------------------------------------

def test_figure_tokens_skip_codes_years_dates_and_markers():
    line = "2101506\t医疗保障经办事务\t7,171.87\t0.00\t2024 年\t1. 开展（2）项\t（漳政〔2022〕10号）\t12月31日"
    assert [t.text for t in figure_tokens(1, line)] == ["7,171.87", "0.00"]
    assert [t.value for t in figure_tokens(1, "\t增减变化金额\t-45.00")] == [D("-45.00")]


def test_numbering_and_codes_in_labels():
    assert numbering("一、社会保障和就业支出") == ("cn", "社会保障和就业支出")
    assert numbering("其中：（1）公务用车购置费") == ("arabic-paren", "公务用车购置费")
    assert numbering("1.财政拨款结余、结转") == ("arabic", "财政拨款结余、结转")
    assert numbering("2024年预算")[0] is None
    assert split_code_label("[2101505]医疗保障政策管理") == ("2101505", "医疗保障政策管理")
    assert split_code_label("2080501-行政单位离退休") == ("2080501", "行政单位离退休")


header_text = st.sampled_from(["", "", "", "收入", "支出", "合计", "小计", "财政拨款", "一般公共预算", "项目"])


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 7).flatmap(lambda w: st.lists(st.lists(header_text, min_size=w, max_size=w),
                                                     min_size=1, max_size=4)))
def test_fill_header_properties(grid):
    width = len(grid[0])
    filled = fill_header(grid, width)
    assert all(len(row) == width for row in filled)
    for r, row in enumerate(grid):
        for c, text in enumerate(row):
            if text:
                assert filled[r][c] == text                      # printed cells are kept
            elif filled[r][c]:
                assert filled[r][c] == filled[r][c - 1]          # a blank takes its left neighbour
                assert all(not grid[u][c] for u in range(r))     # never across a heading above
    for c, path in enumerate(column_paths(grid, width)):
        assert all(a != b for a, b in zip(path, path[1:]))
        assert all(any(row[c] == p for row in filled) for p in path)


def test_fill_header_spanning_example():
    grid = [["预算单位", "年度", "总计", "", "", "公务用车购置及运行维护费", "", ""],
            ["", "", "", "", "", "小计", "公务用车购置费", ""],
            ["", "", "一般", "基金", "国资", "一般", "一般", "一般"]]
    paths = column_paths(grid, 8)
    assert paths[3] == ("总计", "基金")
    assert paths[7] == ("公务用车购置及运行维护费", "公务用车购置费", "一般")
    assert paths[1] == ("年度",)


def test_side_by_side_needs_repeated_label_headings():
    rows = [["收 入", "", "支 出", ""], ["项 目", "2024 年预算数", "项 目", "2024 年预算数"]]
    assert side_by_side_parts(rows, 4) == [(0, 2, "收入"), (2, 4, "支出")]
    assert side_by_side_parts([["一般", "基金", "一般", "基金"]], 4) is None


codes = st.lists(st.sampled_from(["208", "20805", "2080501", "2080505", "210", "21015", "2101501",
                                  "2101506", "21013", "2101301", "221", "22102", "2210201"]),
                 min_size=1, max_size=13, unique=True).map(sorted)


@settings(max_examples=200, deadline=None)
@given(codes)
def test_code_paths_follow_printed_parents(printed):
    paths = build_paths([Node(label=f"L{c}", code=c) for c in printed])
    known = set(printed)
    for code, path in zip(printed, paths):
        assert path[-1] == f"L{code}"
        chain, parent = [], parent_code(code, known)
        while parent:
            chain.insert(0, f"L{parent}")
            parent = parent_code(parent, known)
        assert list(path[:-1]) == chain


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["cn", "arabic"]), st.integers(1, 3)), min_size=1, max_size=12))
def test_outline_numbering_nests_new_styles_below(outline):
    nodes = [Node(label=f"{style}{i}-{k}", style=style) for k, (style, i) in enumerate(outline)]
    paths = build_paths(nodes)
    first = outline[0][0]
    for (style, _), path in zip(outline, paths):
        assert len(path) == (1 if style == first else 2)
    assert build_paths([Node("合计", kind=TOTAL), Node("x", style="arabic")]) == [("合计",), ("x",)]
    assert build_paths([Node("单位", kind=ENTITY), Node("y", kind=ITEM)]) == [("单位",), ("y",)]


@settings(max_examples=200, deadline=None)
@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_printed_amounts_parse_back(value):
    assert cell_number(format_amount(value)) == value
    assert cell_number(str(value)) == value


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["", "≥", "≤", "约"]), st.integers(1, 10**6), st.sampled_from(["", "台", "家", "%", "人次", "万元"]))
def test_measures_parse_back(qualifier, number, unit):
    m = parse_measure(f"{qualifier}{number}{unit}")
    assert m is not None and m.value == number and m.unit == unit
    assert m.qualifier == (qualifier or None)
    assert parse_measure(f"{number}年12月31日前完成") is None


def test_codes_split_across_class_section_item_columns():
    text = ("2024年某某市医疗保障局部门预算\n\n支出总表\n\n单位：万元\n\n"
            "科目编码\t\t\t科目名称\t合计\t基本支出\t项目支出\n类\t款\t项\t\t\t\t\n"
            "210\t\t\t卫生健康支出\t7.00\t2.00\t5.00\n210\t15\t\t医疗保障管理事务\t7.00\t2.00\t5.00\n"
            "210\t15\t01\t行政运行\t2.00\t2.00\t0.00\n210\t15\t06\t医疗保障经办事务\t5.00\t0.00\t5.00\n")
    [t] = parse_tabbed_tables(document_from_bytes("x.txt", text.encode("utf-8")))
    assert [r.code for r in t.rows] == ["210", "21015", "2101501", "2101506"]
    assert t.rows[-1].path == ("卫生健康支出", "医疗保障管理事务", "医疗保障经办事务")
    assert {c.name for c in t.checks} == {"row-sum", "hierarchy", "column-assignment"} and t.checks_passed


cell_text = st.sampled_from(["", "", "合计", "项目", "2024 年预算数", "1,234.56", "0.00", "-3.5", "210", "21015",
                             "行政运行", "一、社会保障和就业支出", "≥95%", "深圳市医疗保障局", "小计", "其中：基本支出"])
line_text = st.one_of(st.lists(cell_text, min_size=2, max_size=6).map("\t".join),
                      st.sampled_from(["", "表 1", "收支总表", "单位：万元", "注：无。", "2024 年度"]))


@settings(max_examples=150, deadline=None)
@given(st.lists(line_text, min_size=1, max_size=25))
def test_any_tab_text_parses_without_losing_lines(lines):
    text = "2024年某某市医疗保障局部门预算\n" + "\n".join(lines) + "\n"
    d = document_from_bytes("f.txt", text.encode("utf-8"))
    for t in parse_tabbed_tables(d):
        assert t.checks and 1 <= t.line_start <= t.line_end <= len(d.lines)
        for r in t.rows:
            assert r.quote == d.line(r.line) and len(r.cells) == len(t.columns)
