"""Arithmetic checks on tables: real corpus tables reconcile; planted errors are caught and named."""
from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from corpus.checks.arith import compare
from corpus.checks.tables import check_table, cross_table_notes
from corpus.loader import load_document
from corpus.model import Row, Table
from corpus.tables.tabbed import parse_tabbed_tables

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
D = Decimal


@lru_cache(maxsize=None)
def tables(prefix: str) -> tuple[Table, ...]:
    return tuple(parse_tabbed_tables(load_document(next(CORPUS.glob(f"{prefix}_*.txt")))))


def make_table(columns, rows, title="测试表", unit="万元", table_id="t#1") -> Table:
    built = []
    for line, (label, cells, *rest) in enumerate(rows, 1):
        extra = rest[0] if rest else {}
        built.append(Row(label=label, cells=tuple(None if c is None else D(c) for c in cells), line=line,
                         quote=label, **extra))
    return Table(table_id=table_id, doc_id="x.txt", title=title, unit=unit, columns=tuple(columns),
                 rows=tuple(built), line_start=1, line_end=len(rows))


def by_name(checks, name):
    found = [c for c in checks if c.name == name]
    assert len(found) == 1, checks
    return found[0]


# --- the corpus ----------------------------------------------------------------------------------

@pytest.mark.parametrize("prefix", ["000", "001", "003", "004"])
def test_every_corpus_table_reconciles_or_says_why_not(prefix):
    for t in tables(prefix):
        assert t.checks, t.title
        assert t.checks_passed, (t.title, [c for c in t.checks if not c.passed])
        for c in t.checks:
            assert c.detail
            if c.name == "no-arithmetic":     # then nothing else adds up: only the placement check is beside it
                assert {x.name for x in t.checks} <= {"no-arithmetic", "column-assignment"}


def test_corpus_checks_cover_the_layouts():
    spending = next(t for t in tables("000") if t.title == "支出总表")
    names = {c.name for c in spending.checks}
    assert names == {"row-sum", "hierarchy", "entity-total", "column-assignment"}
    income = next(t for t in tables("000") if t.title == "收支总表（收入）")
    assert {c.name for c in income.checks} == {"hierarchy", "column-total", "column-assignment"}
    sangong = next(t for t in tables("000") if t.title == "财政拨款“三公”经费支出表")
    assert "year-change" in {c.name for c in sangong.checks}


def test_a_planted_error_in_a_real_table_is_caught():
    t = next(t for t in tables("000") if t.title == "一般公共预算支出表（按功能分类）")
    rows = list(t.rows)
    i = next(k for k, r in enumerate(rows) if r.code == "2101506")
    rows[i] = replace(rows[i], cells=(D("7171.87"), D("0.00"), D("7170.87")))
    checks = check_table(replace(t, rows=tuple(rows)))
    failed = {c.name for c in checks if not c.passed}
    assert failed == {"row-sum", "hierarchy"}
    assert "line 512" in by_name(checks, "row-sum").detail


# --- each rule on small tables -------------------------------------------------------------------

def test_row_sum_over_a_column_tree():
    columns = [("总计",), ("财政拨款", "小计"), ("财政拨款", "一般公共预算"), ("财政拨款", "政府性基金"), ("其他资金",)]
    good = make_table(columns, [("甲", ["10.00", "8.00", "5.00", "3.00", "2.00"])])
    assert [c.passed for c in check_table(good) if c.name == "row-sum"] == [True, True]
    bad = make_table(columns, [("甲", ["11.00", "8.00", "5.00", "3.00", "2.00"])])
    failed = [c for c in check_table(bad) if not c.passed]
    assert len(failed) == 1 and failed[0].detail.startswith("总计 ≠") and "line 1 甲" in failed[0].detail


def test_subset_columns_are_not_a_breakdown():
    columns = [("支出总计",), ("基本支出",), ("项目支出",), ("政府采购", "小计"), ("政府采购", "其中：中小企业")]
    t = make_table(columns, [("甲", ["10", "4", "6", "3", "1"])])
    details = [c.detail for c in check_table(t) if c.name == "row-sum"]
    assert len(details) == 2 and all(c.passed for c in check_table(t))
    assert any("subsets" in d for d in details)      # 政府采购 is a memo, 其中 a subset


def test_hierarchy_column_total_and_rounding():
    rows = [("合计", ["100.01"]),
            ("卫生健康支出", ["60.00"], {"code": "210", "path": ("卫生健康支出",)}),
            ("医疗保障管理事务", ["60.00"], {"code": "21015", "path": ("卫生健康支出", "医疗保障管理事务")}),
            ("行政运行", ["20.00"], {"code": "2101501", "path": ("卫生健康支出", "医疗保障管理事务", "行政运行")}),
            ("医疗保障经办事务", ["40.00"], {"code": "2101506", "path": ("卫生健康支出", "医疗保障管理事务", "医疗保障经办事务")}),
            ("住房保障支出", ["40.00"], {"code": "221", "path": ("住房保障支出",)})]
    checks = check_table(make_table([("金额",)], rows))
    assert by_name(checks, "hierarchy").passed
    total = by_name(checks, "column-total")
    assert total.passed and "add up" in total.detail       # 100.01 vs 100.00: rounding, not an error
    assert compare(D("100.01"), [D("60.00"), D("40.00")]).describe().endswith("within rounding ±0.015)")
    rows[3] = ("行政运行", ["25.00"], rows[3][2])
    assert not by_name(check_table(make_table([("金额",)], rows)), "hierarchy").passed


def test_total_rows_after_the_items_and_grand_totals():
    rows = [("一、财政拨款", ["8"], {"path": ("财政拨款",)}),
            ("1. 一般公共预算拨款", ["8"], {"path": ("财政拨款", "一般公共预算拨款")}),
            ("二、单位资金", ["2"], {"path": ("单位资金",)}),
            ("本年收入合计", ["10"], {"path": ("本年收入合计",)}),
            ("上年结余、结转", ["1"], {"path": ("上年结余、结转",)}),
            ("收入总计", ["11"], {"path": ("收入总计",)})]
    assert by_name(check_table(make_table([("预算数",)], rows)), "column-total").detail == "2 total rows add up"
    rows[5] = ("收入总计", ["13"], {"path": ("收入总计",)})   # integers: ±0.5 per printed figure
    check = by_name(check_table(make_table([("预算数",)], rows)), "column-total")
    assert not check.passed and "line 6 收入总计" in check.detail


def test_unit_rows_and_department_totals():
    rows = [("某市医疗保障局", ["30"], {"entity": "某市医疗保障局（汇总）", "path": ("某市医疗保障局",)}),
            ("某市医疗保障局", ["10"], {"entity": "某市医疗保障局（本级）", "path": ("某市医疗保障局",)}),
            ("甲项目", ["10"], {"entity": "某市医疗保障局（本级）", "path": ("甲项目",)}),
            ("某市医保中心", ["20"], {"entity": "某市医保中心", "path": ("某市医保中心",)}),
            ("乙项目", ["20"], {"entity": "某市医保中心", "path": ("乙项目",)})]
    assert by_name(check_table(make_table([("金额",)], rows)), "entity-total").detail == "3 unit rows add up"


def test_year_change_and_text_only_tables():
    rows = [("2023年", ["52.68"]), ("2024年", ["7.68"]), ("增减变化金额", ["-45.00"])]
    assert by_name(check_table(make_table([("总计",)], rows)), "year-change").passed
    rows[2] = ("增减变化金额", ["45.00"])
    assert not by_name(check_table(make_table([("总计",)], rows)), "year-change").passed
    targets = make_table([("目标值",)], [("满意度", [None], {"text_cells": ((("目标值",), "良好"),)})])
    assert check_table(targets)[0].name == "no-arithmetic" and "text" in check_table(targets)[0].detail


def test_cells_in_another_unit_are_not_added():
    rows = [("资金总额", ["100"], {"path": ("专项资金", "资金总额")}),
            ("财政拨款", ["100"], {"path": ("专项资金", "财政拨款")}),
            ("满意率", ["95"], {"path": ("专项资金", "满意率"), "cell_units": ("%",)})]
    assert by_name(check_table(make_table([("值",)], rows)), "group-total").passed


@settings(max_examples=200, deadline=None)
@given(st.lists(st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False, allow_infinity=False),
                min_size=1, max_size=20))
def test_compare_accepts_exact_sums_and_rejects_real_gaps(parts):
    total = sum(parts, D(0))
    assert compare(total, parts).exact
    assert not compare(total + D(1) + D("0.01") * len(parts), parts).ok


# --- cross-table notes ---------------------------------------------------------------------------

def test_document_contradiction_is_noted_on_both_tables():
    notes = cross_table_notes(list(tables("004")))
    flat = [n for found in notes.values() for n in found]
    hits = [n for n in flat if "15,954.19" in n and "16,506.19" in n]
    assert len(hits) == 2 and all("contradicts" in n for n in hits)
    assert all("552.00" in n for n in hits)          # the difference is the 上年结转结余 line
    assert not [n for n in flat if "资金总额" in n]   # separate project forms are not compared


def test_scope_differences_are_explained_not_called_errors():
    notes = cross_table_notes(list(tables("000")))
    flat = [n for found in notes.values() for n in found]
    medical = [n for n in flat if "行政事业单位医疗" in n and "14,144.94" in n]
    assert medical and all("different scopes" in n and "1,098.25" in n for n in medical)


def test_cross_table_notes_on_small_tables():
    a = make_table([("金额",)], [("行政运行", ["10"]), ("办公费", ["5"]), ("差旅费", ["1"])], title="支出表", table_id="x#1")
    b = make_table([("金额",)], [("行政运行", ["12"]), ("办公费", ["5"]), ("差旅费", ["1"])], title="支出明细表", table_id="x#2")
    notes = cross_table_notes([a, b])
    assert set(notes) == {"x#1", "x#2"}
    assert "“行政运行” is 10 here (line 1) but 12 in 支出明细表" in notes["x#1"][0]
    assert cross_table_notes([a, replace(b, rows=a.rows, table_id="x#2")]) == {}


# --- forms any layout can print: shares, execution rate, levelled scores, placement, cross-table --------

def test_percent_shares_each_add_to_100_and_a_row_that_does_not_fails():
    rows = [("问题一", ["81.25", "15.63", "1.04", "2.08"]), ("问题二", ["76.04", "20.83", "3.13", "0.00"]),
            ("问题三", ["70.00", "20.00", "5.00", "1.00"])]
    columns = [("非常满意",), ("满意",), ("比较满意",), ("不满意",)]
    check = by_name(check_table(make_table(columns, rows, unit="%")), "row-sum")
    assert not check.passed and "line 3" in check.detail
    assert by_name(check_table(make_table(columns, rows[:2], unit="%")), "row-sum").passed
    assert not [c for c in check_table(make_table(columns, rows)) if c.name == "row-sum"]   # 万元: not shares


def test_execution_rate_is_spent_over_budget():
    columns = [("项目资金", "全年预算数"), ("项目资金", "全年执行数"), ("执行率",)]
    good = [("年度资金总额", ["23023000.00", "13223551.71", "57"])]
    table = replace(make_table(columns, good, unit="元"), column_units=("元", "元", "%"))
    assert by_name(check_table(table), "execution-rate").passed
    bad = replace(table, rows=(replace(table.rows[0], cells=(D("100"), D("50"), D("75"))),))
    assert not by_name(check_table(bad), "execution-rate").passed


def test_levelled_scores_add_up_level_by_level_and_to_the_total():
    columns = [("一级指标", "参考分值"), ("二级指标", "参考分值"), ("得分",)]
    rows = [("部门决策", ["20", None, None], {"path": ("部门决策",)}),
            ("预算编制", [None, "12", "11.5"], {"path": ("部门决策", "预算编制")}),
            ("目标设置", [None, "8", "8"], {"path": ("部门决策", "目标设置")}),
            ("总分", ["20", "20", "19.5"], {"path": ("总分",)})]
    checks = check_table(make_table(columns, rows, unit="分"))
    assert by_name(checks, "hierarchy").passed and by_name(checks, "column-total").passed
    rows[2] = ("目标设置", [None, "7", "8"], {"path": ("部门决策", "目标设置")})
    checks = check_table(make_table(columns, rows, unit="分"))
    assert not by_name(checks, "hierarchy").passed and not by_name(checks, "column-total").passed


def test_integer_scores_are_exact_not_rounded():
    rows = [(f"指标{i}", ["12"], {"path": (f"指标{i}",)}) for i in range(8)] + [("总分", ["100"], {"path": ("总分",)})]
    assert not by_name(check_table(make_table([("分值",)], rows, unit="分")), "column-total").passed   # 96 ≠ 100
    money = by_name(check_table(make_table([("预算数",)], rows)), "column-total")
    assert money.passed          # whole 万元 may each be off by half a unit: 96 is within 4.5 of 100


def test_a_figure_the_reading_could_not_place_fails_column_assignment():
    rows = [("三公", ["2.00", None, None], {"unplaced": ((D("2.00"), (1, 2)),)})]
    check = by_name(check_table(make_table([("小计",), ("购置费",), ("运行费",)], rows)), "column-assignment")
    assert not check.passed and "2.00 could be 购置费 / 运行费" in check.detail


def test_cross_table_check_compares_a_narrower_table_with_a_wider_one():
    from corpus.checks.links import cross_table_checks
    columns = [("合计",), ("基本支出",), ("项目支出",)]
    wide = make_table(columns, [("卫生健康支出", ["9.00", "4.00", "5.00"], {"code": "210"})], title="支出决算表",
                      table_id="t#1")
    narrow = make_table(columns, [("卫生健康支出", ["8.00", "3.00", "5.00"], {"code": "210"})],
                        title="一般公共预算财政拨款支出决算表", table_id="t#2")
    found = cross_table_checks([wide, narrow])
    assert found["t#1"].passed and found["t#2"].passed        # a part of the money never exceeds the whole
    over = replace(narrow, rows=(replace(narrow.rows[0], cells=(D("9.50"), D("4.50"), D("5.00"))),))
    found = cross_table_checks([wide, over])
    assert not found["t#2"].passed and "210 基本支出" in found["t#2"].detail
    basic = make_table(columns, [("卫生健康支出", ["1.00", "1.00", None], {"code": "210"})], title="项目支出决算表",
                       table_id="t#3")
    assert "t#3" not in cross_table_checks([basic, over])      # neither covers the other
