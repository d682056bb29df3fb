"""Prose facts from the real corpus: items, units, qualifiers, change phrases, lines, sub-units; the dev
set's prose sources; property tests for the number/unit scanner."""
from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus.prose.items import base_mentions, clean
from corpus.loader import load_document
from corpus.model import BUDGET, DocMeta, Document, Fact
from corpus.prose.facts import extract_prose_facts
from corpus.prose.units import numbers_in, scan_figures, to_decimal

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
DEV = ROOT / "eval" / "dev.jsonl"
D000, D001, D002 = "000_8eb411c3622be9ee.txt", "001_e7d8d3c89f9e36b3.txt", "002_339364824c9abd23.txt"
D003, D004 = "003_e2aa0d4e68ff0396.txt", "004_7457e2252370b02a.txt"
DIRECTIONS = {"增加", "减少", "增长", "下降", "持平"}


@pytest.fixture(scope="module")
def docs() -> dict[str, Document]:
    return {p.name: load_document(p) for p in sorted(CORPUS.glob("*.txt"))}


@pytest.fixture(scope="module")
def facts(docs) -> dict[str, list[Fact]]:
    return {name: extract_prose_facts(doc, []) for name, doc in docs.items()}


def at(facts, doc: str, line: int, value: str) -> list[Fact]:
    return [f for f in facts[doc] if f.line == line and f.value == Decimal(value)]


def one(facts, doc: str, line: int, value: str, unit: str | None = None) -> Fact:
    found = [f for f in at(facts, doc, line, value) if unit is None or f.unit == unit]
    assert found, f"no prose fact {value} {unit or ''} at {doc}:{line}"
    return found[0]


# --- examples from the corpus -------------------------------------------------------------------------

@pytest.mark.parametrize("doc,line,value,unit,item", [
    (D000, 86, "369", "万元", "医保自助设备服务费"),
    (D000, 86, "1620", "万元", "公立医疗机构药品采购服务项目"),
    (D000, 94, "51", "名", "员额人员"),
    (D000, 658, "180", "台", "提供自助设备服务数量"),
    (D000, 45, "18", "个", "内（下）设机构"),
    (D000, 45, "8", "个", "内设机构"),
    (D000, 62, "190254.32", "万元", "部门预算收入"),
    (D000, 112, "3245.06", "万元", "服务类项目"),
    (D000, 128, "2", "辆", "存量公务车"),
    (D001, 67, "328", "人", "实有在编人数"),
    (D001, 157, "296", "万元", "医保智能监督系统人工审核"),
    (D001, 238, "10", "个", "分局"),                      # figure inside a <p> narrative table cell
    (D002, 1396, "1246", "台", "社保（医保）自助服务终端"),
    (D002, 1468, "4188", "家", "两定机构"),
    (D002, 1386, "7", "个", "区级政务服务大厅"),
    (D002, 605, "203296.04", "万元", "一般公共预算财政拨款支出 调整预算数"),
    (D003, 470, "1", "辆", "车辆"),
    (D004, 555, "14", "辆", "车辆"),
    (D004, 79, "144", "人", "漳州市医疗保障监测中心 在职人数"),
])
def test_item_unit_and_line(facts, docs, doc, line, value, unit, item):
    fact = one(facts, doc, line, value, unit)
    assert fact.row == item
    assert fact.quote == docs[doc].line(line)
    assert fact.source == "prose" and fact.table_id is None


@pytest.mark.parametrize("doc,line,value,unit,qualifier,item", [
    (D000, 660, "400000", "笔", "≥", "审核异地就医结算数据量"),
    (D000, 678, "90", "%", "≥", "每月门诊大病认定业务抽查合格率"),
    (D000, 686, "20", "个工作日", "≤", "门诊大病认定时限"),
    (D001, 622, "8000", "个", "约", "评估测算病种数"),
    (D004, 514, "9000", "平方米", "≥", "承租场所面积"),
    (D004, 433, "700", "元/人", "≥", "市级财政补助标准(元)"),
    (D004, 495, "14.5", "亿元", "≥", "城乡居民个人缴费征缴额"),
])
def test_targets_keep_qualifier_and_printed_unit(facts, doc, line, value, unit, qualifier, item):
    fact = one(facts, doc, line, value, unit)
    assert (fact.qualifier, fact.row) == (qualifier, item)


def test_change_phrases_carry_direction_and_comparison_year(facts):
    cut = one(facts, D000, 62, "154650.12")
    assert cut.qualifier == "减少" and cut.year_ref == 2023
    assert cut.row == "部门预算收入 较2023年年初预算减少"
    pct = one(facts, D000, 62, "44.8", "%")
    assert pct.qualifier == "下降" and pct.year_ref == 2023 and pct.row.startswith("部门预算收入")
    # the comparison sentence after 。 belongs to the numbered paragraph's project
    project = one(facts, D000, 88, "150.61")
    assert project.row.startswith("医疗保障经办管理") and project.qualifier == "减少"
    up = one(facts, D001, 101, "11294")
    assert (up.qualifier, up.year_ref) == ("增加", 2021)
    last_year = one(facts, D003, 452, "56.62")
    assert (last_year.qualifier, last_year.year_ref) == ("增加", 2023)      # 比上年 in a 2024 budget
    base = one(facts, D002, 554, "17677.03")
    assert base.year_ref == 2019 and base.qualifier is None               # 与 2019 年度收入 … 相比


def test_every_change_fact_is_recognisable_from_its_fields(facts):
    changes = [f for fs in facts.values() for f in fs if f.qualifier in DIRECTIONS]
    assert len(changes) >= 40
    for f in changes:
        assert f.qualifier in f.row, f
        if "上年" in f.row:
            assert f.year_ref == f.year - 1, f


def test_number_split_over_a_pdf_line_break(facts, docs):
    fee = one(facts, D000, 86, "93.21")               # "财务管理费 93.21 万" + next line "元，用于…"
    assert (fee.unit, fee.row) == ("万元", "财务管理费")
    assert fee.quote == docs[D000].line(86)
    terminals = one(facts, D002, 1396, "1246")        # "安装了1246" + next line "台社保（医保）…"
    assert terminals.unit == "台"


def test_heading_path_and_sub_unit(facts):
    subsidy = one(facts, D000, 82, "13473")
    assert subsidy.table == "第三部分 部门预算支出具体情况 > 一、深圳市医疗保险基金管理中心 > （四）项目支出"
    bureau = one(facts, D001, 109, "16910")
    assert bureau.entity == "深圳市医疗保障局本级"
    centre = one(facts, D001, 157, "369")
    assert centre.entity == "深圳市医疗保险基金管理中心"
    assert "二、市医保中心" in centre.table
    procurement = one(facts, D001, 185, "4650")
    assert procurement.entity is None                # 第四部分 is the whole department again


@pytest.mark.parametrize("doc,line,value", [
    (D000, 62, "2024"), (D000, 62, "2023"),          # years
    (D000, 687, "12"), (D000, 687, "31"),            # dates
    (D000, 82, "1"),                                 # list ordinal "1."
    (D001, 167, "2020"), (D001, 167, "5"),           # 〔2020〕5号 document number
    (D002, 165, "6"),                                # page number "- 6 -"
    (D004, 439, "12345"),                            # hotline name
    (D004, 352, "2080501"),                          # 科目编码 (kept as row_code instead)
])
def test_non_figures_are_ignored(facts, doc, line, value):
    assert not at(facts, doc, line, value)


def test_subject_code_goes_to_row_code(facts):
    fact = one(facts, D004, 352, "5.36")
    assert (fact.row, fact.row_code) == ("行政单位离退休", "2080501")


def test_every_fact_is_printed_on_its_line(facts, docs):
    for name, fs in facts.items():
        assert fs, name
        for f in fs:
            line = docs[name].line(f.line)
            assert f.quote == line
            assert f.value.copy_abs() in numbers_in(line), f
            assert f.row.strip() and f.source == "prose"
            assert (f.org, f.year, f.kind, f.scope) == (docs[name].meta.org, docs[name].meta.year,
                                                      docs[name].meta.kind, docs[name].meta.scope)


def test_table_facts_win_on_the_same_line_and_value(docs):
    doc = docs[D000]
    table_fact = Fact(doc_id=doc.doc_id, org=doc.meta.org, year=doc.meta.year, kind=doc.meta.kind,
                      value=Decimal("369"), unit="万元", line=86, quote=doc.line(86), row="x")
    assert at({D000: extract_prose_facts(doc, [])}, D000, 86, "369")
    assert not at({D000: extract_prose_facts(doc, [table_fact])}, D000, 86, "369")


# --- the dev set: every figure a gold answer uses from a prose line is a prose fact at that line -------

_BARE_RE = re.compile(r"^[-+≥≤]?\d[\d,]*(?:\.\d+)?%?$")


def _is_table_row(line: str) -> bool:
    """Tab-separated, or two or more number cells in a space-joined row (not followed by a unit/date)."""
    if "\t" in line:
        return True
    tokens = line.split()
    cells = [i for i, t in enumerate(tokens) if _BARE_RE.match(t)
             and (i + 1 == len(tokens) or tokens[i + 1][0] not in "万亿元%台人个家辆年月日倍项次分")]
    return len(cells) >= 2


def _gold_figures(question: dict) -> set[Decimal]:
    answer = question["answer"]
    figures: set[Decimal] = set()
    if answer.get("type") == "number" and answer.get("value") is not None:
        figures.add(Decimal(str(answer["value"])))
    calc = question.get("calculation") or ""
    for m in re.finditer(r"(?<![*/])(?<![*/] )\b\d[\d,]*(?:\.\d+)?", calc):   # skip "* 100", "/ 10000"
        figures.add(to_decimal(m.group(0)))
    figures |= {f.value for f in scan_figures(answer.get("text") or "")}
    return figures


def test_dev_set_prose_sources_are_covered(docs, facts):
    checked, missing = 0, []
    for raw in DEV.read_text(encoding="utf-8").splitlines():
        question = json.loads(raw)
        figures = _gold_figures(question)
        for source in question["sources"]:
            doc = docs[source["doc"]]
            line = doc.line(source["line"])
            if _is_table_row(line):
                continue
            for value in set(numbers_in(line)) & figures:
                checked += 1
                if not at(facts, source["doc"], source["line"], str(value)):
                    missing.append((question["id"], source["doc"], source["line"], value))
    assert checked >= 40                      # the dev set leans on prose for lookup_text / sums / differences
    assert not missing


# --- items and comparison bases --------------------------------------------------------------------

def test_clean_strips_connectors_years_and_org():
    orgs = ("深圳市医疗保险基金管理中心",)
    assert clean("2024 年深圳市医疗保险基金管理中心部门预算收入 ", orgs, 2024).item == "部门预算收入"
    assert clean("其中内设机构 ", orgs, 2024).item == "内设机构"
    assert clean("、工程类项目 ", orgs, 2024).item == "工程类项目"
    assert clean("与 2019 年度收入 ", orgs, 2020).item == "2019年度收入"
    assert clean("（一）2080501-行政单位离退休 ", orgs, 2024).code == "2080501"


def test_base_mentions():
    bases = base_mentions("收入 190 万元，较 2023 年年初预算减少 15 万元，比上年增加", 2024)
    assert [(b.text, b.year) for b in bases] == [("较2023年年初预算", 2023), ("比上年", 2023)]
    (between,) = base_mentions("与2019年度支出合计17,677.03万元（基本支出2,579.24万元，项目支出15,097.79万元）相比", 2020)
    assert (between.text, between.year) == ("与2019年度相比", 2019)


# --- property tests: the number / unit scanner --------------------------------------------------------

_FULL = str.maketrans("0123456789.,", "０１２３４５６７８９．，")
_WORDS = st.sampled_from(["医保自助设备服务费", "项目支出", "公用经费", "其中：货物类项目", "员额经费", "合计为"])
_TAILS = st.sampled_from(["，用于铺设医保自助设备服务。", "。", "；", "，较上年增加。", ""])
_UNITS = st.sampled_from(["万元", "元", "亿元", "%", "台", "人", "个", "笔", "平方米", "家", "辆"])


def _printed(value: Decimal, commas: bool, fullwidth: bool) -> str:
    text = f"{value:,}" if commas else f"{value}"
    return text.translate(_FULL) if fullwidth else text


@settings(max_examples=300, deadline=None)
@given(whole=st.integers(0, 10 ** 9), cents=st.integers(0, 99), places=st.integers(0, 2),
       commas=st.booleans(), fullwidth=st.booleans(), space=st.sampled_from(["", " "]),
       word=_WORDS, unit=_UNITS, tail=_TAILS)
def test_amounts_are_recovered_exactly(whole, cents, places, commas, fullwidth, space, word, unit, tail):
    value = Decimal(whole) if places == 0 else Decimal(f"{whole}.{cents:02d}"[: len(str(whole)) + 1 + places])
    text = f"{word}{space}{_printed(value, commas, fullwidth)}{space}{unit}{tail}"
    figures = scan_figures(text)
    assert [(f.value, f.unit) for f in figures] == [(value, unit)]
    f = figures[0]
    assert to_decimal(text[f.num_start:f.num_end].translate(str.maketrans("０１２３４５６７８９．，", "0123456789.,"))) == value


@given(year=st.integers(1949, 2099), month=st.integers(1, 12), day=st.integers(1, 31))
def test_dates_are_not_figures(year, month, day):
    assert scan_figures(f"截至{year}年{month}月{day}日，") == []
    assert scan_figures(f"{year} 年度") == []


@given(value=st.integers(1, 10 ** 6), qualifier=st.sampled_from(["≥", "≤", ">", "<", "约", "≧"]),
       unit=st.sampled_from(["笔", "%", "家", "平方米", "人次", "万页"]))
def test_target_qualifiers(value, qualifier, unit):
    (f,) = scan_figures(f"审核数量\t{qualifier}{value}{unit}")
    assert (f.value, f.unit, f.qualifier) == (Decimal(value), unit, {"≧": "≥"}.get(qualifier, qualifier))


_ALPHABET = st.sampled_from(list("预算支出收入项目经费万元台人个年月日第（）、，。；：—-.,%≥0123456789 \t一二三"))


@settings(max_examples=150, deadline=None)
@given(lines=st.lists(st.text(_ALPHABET, max_size=60), min_size=1, max_size=12))
def test_any_text_gives_facts_printed_on_their_lines(lines):
    doc = Document(doc_id="x.txt", lines=tuple(lines), sha256="0",
                   meta=DocMeta(org="测试单位", year=2024, kind=BUDGET, unit="万元"))
    for f in extract_prose_facts(doc, []):
        assert f.quote == lines[f.line - 1]
        assert f.value.copy_abs() in numbers_in(f.quote)


# --- sentence-level pairing: sub-unit paragraphs, 从 A 到 B, echoes, earlier-year figures -----------------

def test_a_paragraph_opening_with_a_sub_unit_belongs_to_it(facts):
    # 001 line 71: "1. 市医保局本级内设…共 6 个处室…编制总数 212 人，实有在编人数 191 人"
    for value, row in (("6", "处室"), ("10", "辖区医保分局"), ("212", "编制总数"), ("191", "实有在编人数")):
        fact = one(facts, D001, 71, value)
        assert (fact.row, fact.entity) == (row, "深圳市医疗保障局本级")
    # line 73: "2. 市医保中心内设…8 个部门…编制总数 141 人"
    assert one(facts, D001, 73, "141").entity == "深圳市医疗保险基金管理中心"
    # line 65 opens with the department itself: no sub-unit
    assert one(facts, D001, 65, "353").entity is None


def test_from_to_ends_are_items_in_their_states(facts):
    # 002 line 1390-1394: 医保服务网点从机构改革前的 33 个增加到现在的 584 个，增加了近 17 倍，
    # 窗口从 48 个增加到 1127 个，增加近 23 倍
    start, end = one(facts, D002, 1390, "33"), one(facts, D002, 1392, "584")
    assert (start.row, start.qualifier) == ("医保服务网点（机构改革前）", "从")
    assert (end.row, end.qualifier) == ("医保服务网点（现在）", "到")
    # the second pair is elliptical: the states and the modifier of the first
    assert (one(facts, D002, 1392, "48").row, one(facts, D002, 1392, "1127").row) == \
        ("医保服务窗口（机构改革前）", "医保服务窗口（现在）")
    assert one(facts, D002, 1392, "17", "倍").row == "医保服务网点 增加"


def test_every_from_to_start_has_its_end(facts):
    for fs in facts.values():
        for f in fs:
            if f.qualifier == "从":
                ends = [g for g in fs if g.qualifier == "到" and g.unit == f.unit and 0 <= g.line - f.line <= 4]
                assert ends, f


def test_short_item_takes_the_phrase_it_echoes(facts):
    # 002 line 1090-1092: 开展 2020 年度部门整体绩效自评工作，自评 90.49 分
    assert one(facts, D002, 1092, "90.49").row == "部门整体绩效自评"


def test_earlier_year_figure_of_a_comparison_names_the_subject(facts):
    # 002 line 548-554: 本年度总收入合计 201,787.94 万元 … 与 2019 年度收入 17,677.03 万元相比
    income = one(facts, D002, 554, "17677.03")
    assert (income.row, income.year_ref) == ("2019年度总收入", 2019)
    spending = one(facts, D002, 560, "17677.03")           # 本年度支出 … 与 2019 年度支出 … 相比
    assert (spending.row, spending.year_ref) == ("2019年度支出", 2019)
