"""The grader on hand-written right, wrong and borderline answers."""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from corpus.numbers import format_amount
from eval.figures import extract_figures, in_unit, Figure
from eval.grader import cites_source, contains, find_value, grade, says_not_in_documents
from tests.eval._items import EXPENSE, ROW_324, SZ_2024, answer, cite, item

BASIC = item("t-basic", value=4380.51, must=["4,380.51", "基本支出"],
             sources=((SZ_2024, 323, "2101501\t行政运行\t4,380.51\t4,380.51\t0.00"),))
SHARE = item("t-share", value=84.1, unit="%", must=["84.1"], tol="0.1", category="ratio",
             sources=((SZ_2024, 106, "有关项目 160,000 万元"),))
TARGET = item("t-target", type="text", text="≥90%", must=["≥90%"], unit=None, tol=None,
              sources=((SZ_2024, 678, "每月门诊大病认定业务抽查合格率\t≥90%"),))
COUNT = item("t-count", type="text", text="≥400000笔", must=["400000"], unit=None, tol=None,
             sources=((SZ_2024, 86, "医保自助设备服务费 369 万元"),))
NOT_IN_DOCS = item("t-refuse", type="refusal", text="文件未公开该项目内容", unit=None, tol=None,
                   sources=((SZ_2024, 106, "涉密项目不予公开"),))


# ------------------------------------------------------------------ numbers

@pytest.mark.parametrize("text", [
    "2024年预算安排7,171.87万元[1]。",
    "7171.87万元",                         # no thousands separator
    "７，１７１．８７万元",                  # full-width digits and comma
    "71,718,700元",                        # exact 元 conversion
    "约0.717187亿元",                       # exact 亿元 conversion
    "7,171.88 万元",                       # off by exactly the tolerance
    "It is 7,171.87 (10,000 yuan).",
])
def test_right_numbers_pass(text):
    g = grade(EXPENSE, answer(text, "7171.87", [cite()]))
    assert g.correct and g.cited and g.answered_and_cited, g.reasons


@pytest.mark.parametrize("text, why", [
    ("7,171.89万元", "no figure equal"),                 # just outside the tolerance
    ("7,171.87元", "no figure equal"),                   # right digits, wrong unit
    ("0.72亿元", "no figure equal"),                     # a rounded conversion is not exact
    ("见表3支出总表[1]。", "no figure equal"),            # figure only in the citation
    ("2024年预算是7,000万元", "no figure equal"),
])
def test_wrong_numbers_fail(text, why):
    g = grade(EXPENSE, answer(text, "7171.87", [cite(value="7171.87", quote=ROW_324)]))
    assert not g.correct and not g.answered_and_cited
    assert any(why in r for r in g.reasons)
    assert g.cited        # the citation is fine; the answer text is not


def test_value_field_alone_is_not_enough():
    assert not grade(EXPENSE, answer("已查到该科目。", "7171.87", [cite()])).correct


def test_refusing_an_answerable_question_fails_even_with_the_figure():
    g = grade(EXPENSE, answer("文件中没有该数据（7,171.87万元？）", None, [cite()], refusal=True))
    assert not g.correct and "refused an answerable question" in g.reasons


def test_every_must_contain_entry_is_needed():
    cites = [cite(323)]
    assert grade(BASIC, answer("行政运行4,380.51万元，全部为基本支出。", "4380.51", cites)).answered_and_cited
    g = grade(BASIC, answer("行政运行4,380.51万元。", "4380.51", cites))
    assert not g.correct and "missing '基本支出'" in g.reasons


def test_percent_within_derived_tolerance():
    cites = [cite(106)]
    assert grade(SHARE, answer("约占84.10%", "84.1", cites)).correct
    assert grade(SHARE, answer("约占 84.09 %", "84.09", cites)).correct
    assert not grade(SHARE, answer("约占84.3%", "84.3", cites)).correct
    assert not grade(SHARE, answer("约占0.841", "0.841", cites)).correct
    assert not grade(SHARE, answer("84.1万元", "84.1", cites)).correct      # a percentage is not money


def test_direction_in_words_sign_ignored():
    diff = item("t-diff", value=150.61, must=["150.61"], category="difference",
                sources=((SZ_2024, 86, "较 2023 年年初预算减少 150.61 万元"),))
    assert grade(diff, answer("减少了 -150.61 万元", "-150.61", [cite(86)])).correct


def test_citation_markers_and_years_are_not_figures():
    one = item("t-one", value=1, unit="辆", must=["1"], tol="0")
    assert not grade(one, answer("详见[1]。", None, [cite()])).correct
    year = item("t-year", value=2024, unit="万元", must=["2,024"], tol="0")
    assert not grade(year, answer("2024年的数据见表3。", None, [cite()])).correct
    assert grade(year, answer("2024年为2,024万元。", "2024", [cite()])).correct


# ------------------------------------------------------------------ text

@pytest.mark.parametrize("text, ok", [
    ("合格率目标为≥90%。", True),
    ("合格率目标 >= 90 %", True),
    ("合格率目标为≥９０％", True),
    ("合格率目标为≥80%", False),
    ("合格率目标为90%", False),
])
def test_text_must_contain_normalised(text, ok):
    assert grade(TARGET, answer(text, None, [cite(678)])).correct is ok


@pytest.mark.parametrize("text, ok", [
    ("全年审核不少于40万笔。", True),
    ("at least 400,000 records", True),
    ("４０００００笔", True),
    ("4000000笔", False),          # "400000" is a substring, not the number
    ("1400000笔", False),
])
def test_text_numbers_compared_as_numbers(text, ok):
    assert grade(COUNT, answer(text, None, [cite(86)])).correct is ok


# ------------------------------------------------------------------ refusals

@pytest.mark.parametrize("ans, ok", [
    (answer("文件中没有公开该项目的具体内容。", refusal=True), True),
    (answer("该项目为涉密项目，文件未公开其具体用途。"), True),            # said in words, no value
    (answer("The documents do not contain this information."), True),
    (answer("文件未公开，估计约为 12 万元。", "12", refusal=True), False),  # refuses, still gives a figure
    (answer("该项目安排160,000万元，用于医保支付。", "160000"), False),     # answers instead of refusing
    (answer("没有变化，仍为369万元。"), False),                            # "没有" is not a refusal
])
def test_refusal_items(ans, ok):
    g = grade(NOT_IN_DOCS, ans)
    assert g.correct is ok and g.answered_and_cited is ok
    assert g.cited is ok     # a correct refusal counts as cited, with no citation needed


def test_refusal_detection_phrases():
    assert says_not_in_documents("文件中没有2023年决算。")
    assert says_not_in_documents("未找到相关数据")
    assert says_not_in_documents("The corpus does not cover Guangzhou.")
    assert says_not_in_documents("This figure is not published in the documents.")
    assert not says_not_in_documents("2024年预算为7,171.87万元，较上年没有变化。")
    assert not says_not_in_documents("It did not change between 2022 and 2024.")


# ------------------------------------------------------------------ citations

def test_citation_rules():
    src = EXPENSE.sources
    assert cites_source([cite(324)], src)
    assert cites_source([cite(512, quote="2101506 医疗保障经办事务 7,171.87 0.00 7,171.87 ")], src)  # quote contains
    assert cites_source([cite(324, doc=f"corpus/{SZ_2024}")], src)                          # a path to the doc
    assert not cites_source([cite(323)], src)                                              # wrong line
    assert not cites_source([cite(324, doc="001_e7d8d3c89f9e36b3.txt")], src)              # wrong doc
    assert not cites_source([cite(512, quote="7,171.87")], src)                            # quote too partial
    assert not cites_source([], src)


def test_a_rendering_of_the_gold_document_is_cited_by_its_quote_not_its_line_number():
    src = EXPENSE.sources
    pdf = SZ_2024.replace(".txt", ".pdf")
    assert cites_source([cite(97, doc=pdf, quote=ROW_324)], src)            # the PDF's own line 97
    assert cites_source([cite(97, doc=f"up/{pdf}", quote=ROW_324.replace("\t", " "))], src)
    assert not cites_source([cite(324, doc=pdf, quote="")], src)             # line 324 of the PDF is another line
    assert not cites_source([cite(97, doc=pdf.replace("000_", "001_"), quote=ROW_324)], src)  # another stem
    assert not cites_source([cite(97, doc=SZ_2024.replace(".txt", ".md"), quote=ROW_324)], src)


def test_a_quote_of_the_row_start_is_found_in_the_whole_row_with_thousands_commas():
    src = item(value=256890, sources=(("001_e7d8d3c89f9e36b3.txt", 370, "深圳市医疗保险基金管理中心\t256,890"),)).sources
    row = "深圳市医疗保险基金管理中心\t256,890\t251,414\t6,283"
    assert cites_source([cite(368, doc="001_e7d8d3c89f9e36b3.pdf", quote=row)], src)


def test_right_figure_wrong_line_is_correct_but_not_cited():
    g = grade(EXPENSE, answer("7,171.87万元", "7171.87", [cite(323)]))
    assert g.correct and not g.cited and not g.answered_and_cited


# ------------------------------------------------------------------ sanity: not pass-all, not fail-all

def test_exact_pass_pattern_on_mixed_answers():
    cases = [
        (EXPENSE, answer("7,171.87万元[1]", "7171.87", [cite()])),                # right
        (EXPENSE, answer("7,171.87元", "7171.87", [cite()])),                     # wrong unit
        (EXPENSE, answer("71,718,700元", "71718700", [cite()])),                  # right, in 元
        (EXPENSE, answer("7,171.87万元", "7171.87", [])),                         # uncited
        (BASIC, answer("4,380.51万元，基本支出", "4380.51", [cite(323)])),         # right
        (BASIC, answer("4,380.51万元，项目支出", "4380.51", [cite(323)])),         # wrong column
        (SHARE, answer("84.1%", "84.1", [cite(106)])),                            # right
        (SHARE, answer("94.1%", "94.1", [cite(106)])),                            # wrong
        (TARGET, answer("≥90%", None, [cite(678)])),                              # right
        (NOT_IN_DOCS, answer("文件未公开。", refusal=True)),                       # right
        (NOT_IN_DOCS, answer("160,000万元", "160000")),                            # wrong
        (NOT_IN_DOCS, answer("文件未公开，约12万元", "12", refusal=True)),          # wrong
    ]
    pattern = [grade(i, a).answered_and_cited for i, a in cases]
    assert pattern == [True, False, True, False, True, False, True, False, True, True, False, False]


# ------------------------------------------------------------------ properties

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999999.99"), places=2)


@given(amounts)
def test_any_printed_amount_is_found_in_every_form(v):
    tol = Decimal("0.01")
    assert find_value(f"共{format_amount(v)}万元。", v, "万元", tol)
    assert find_value(f"共{v}万元", v, "万元", tol)
    assert find_value(f"共{format_amount(v * 10000, 0)}元", v, "万元", tol)
    full = str(v).translate(str.maketrans("0123456789.", "０１２３４５６７８９．"))
    assert find_value(f"共{full}万元", v, "万元", tol)


@given(amounts, st.decimals(min_value=Decimal("0.02"), max_value=Decimal("1000"), places=2))
def test_amounts_outside_tolerance_are_not_found(v, delta):
    tol = Decimal("0.01")
    assert find_value(f"共{format_amount(v + delta)}万元", v, "万元", tol) is None
    assert not contains(f"共{format_amount(v + delta)}万元", format_amount(v), "万元", tol)


@given(amounts)
def test_unit_conversion_is_exact(v):
    assert in_unit(Figure(v, "万元", ""), "元") == [v * 10000]
    assert in_unit(Figure(v, "元", ""), "万元") == [v / 10000]
    assert extract_figures(f"预算{format_amount(v)}万元")[0].value == v


def test_chinese_comma_separates_figures():
    assert [f.value for f in extract_figures("分别为369，370万元")] == [Decimal(369), Decimal(370)]
    assert [f.value for f in extract_figures("７，１７１．８７万元")] == [Decimal("7171.87")]
    assert [f.value for f in extract_figures("为369,2024年")] == [Decimal(369), Decimal(2024)]


@pytest.mark.parametrize("text, unit, value", [
    ("激活签发医保电子凭证 776万人", "万人", Decimal("776")),      # a count in units of 10,000 people
    ("激活签发医保电子凭证 776万人", "人", Decimal("7760000")),    # the same figure asked in people
    ("办理 12.5万笔", "万笔", Decimal("12.5")),
])
def test_counts_in_units_of_ten_thousand(text, unit, value):
    (fig,) = [f for f in extract_figures(text) if f.unit == "万"]
    assert value in in_unit(fig, unit)
