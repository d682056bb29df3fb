"""The number verifier: every number in an LLM answer must be a tool figure (with units and rounding)."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.llm.verifier import (Figure, extract_mentions, figures_in_text, parse_chinese_number,
                                    verify_numbers)
from corpus.numbers import format_amount

FACT = Figure(Decimal("7171.87"), "万元", "find_facts")
BASIC = Figure(Decimal("6996.01"), "万元", "find_facts")
RATIO = Figure(Decimal("0.84123"), None, "calculator")
COUNT = Figure(Decimal("18"), "个", "search")
FIGURES = [FACT, BASIC, RATIO, COUNT]

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999999.99"), places=2,
                      allow_nan=False, allow_infinity=False)


def to_fullwidth(text: str) -> str:
    return text.translate(str.maketrans("0123456789.,%", "０１２３４５６７８９．，％"))


def test_exact_figure_with_thousands_separator_passes():
    verdict = verify_numbers("基本支出为 6,996.01 万元。", FIGURES)
    assert verdict.ok and verdict.matches[0].figure is BASIC and verdict.matches[0].exact


def test_invented_figure_fails_and_is_named():
    verdict = verify_numbers("基本支出为 6,996.01 万元，项目支出为 8,888.00 万元。", FIGURES)
    assert not verdict.ok
    assert [m.text for m in verdict.failures] == ["8,888.00 万元"]
    assert "8,888.00" in verdict.reason()


def test_unit_conversion_between_wan_yuan_and_yuan():
    assert verify_numbers("即 71,718,700 元", [FACT]).ok
    assert verify_numbers("约 0.72 亿元", [FACT]).ok
    assert verify_numbers("about 71.72 million yuan", [FACT]).ok
    # the same digits in the wrong unit are not the figure
    assert not verify_numbers("7,171.87 元", [FACT]).ok


def test_markdown_emphasis_and_english_units():
    assert verify_numbers("基本支出为 **6,996.01** 万元", FIGURES).ok
    assert verify_numbers("即 **69,960,100**元", FIGURES).ok
    assert verify_numbers("basic spending was 6,996.01 ten thousand yuan (RMB 69.96 million)", FIGURES).ok
    assert not verify_numbers("basic spending was 6,996.01 yuan", FIGURES).ok


def test_rounding_to_printed_decimals():
    assert verify_numbers("约 7,172 万元", [FACT]).ok
    assert verify_numbers("约 7,171.9 万元", [FACT]).ok
    assert not verify_numbers("约 7,000 万元", [FACT]).ok
    assert not verify_numbers("约 7,171.8 万元", [FACT]).ok


def test_ratio_may_be_shown_as_percent_rounded():
    assert verify_numbers("占比 84.12%", [RATIO]).ok
    assert verify_numbers("占比约 84.1%", [RATIO]).ok
    assert not verify_numbers("占比 85.12%", [RATIO]).ok


def test_sign_words_instead_of_minus():
    assert verify_numbers("下降 12.50%", [Figure(Decimal("-12.5"), "%")]).ok


def test_full_width_digits():
    assert verify_numbers(to_fullwidth("基本支出６，９９６．０１万元"), FIGURES).ok
    assert not verify_numbers(to_fullwidth("基本支出９，９９６．０１万元"), FIGURES).ok


def test_years_and_codes_may_come_from_the_question_but_amounts_may_not():
    question = "2024年科目2101506安排了多少？"
    assert verify_numbers("2024年，2101506 医疗保障经办事务为 7,171.87 万元", [FACT], question).ok
    assert not verify_numbers("2023年为 7,171.87 万元", [FACT], question).ok
    # a number the user typed is not evidence for an amount
    assert not verify_numbers("为 2024 万元", [FACT], question).ok


def test_markers_ordinals_dates_are_not_figures():
    text = ("1. 基本支出 6,996.01 万元[R12]【3】\n2、见第3部分、表7和公开08表；1月1日起执行。\n"
            "(3) 依据 [1, 2]")
    verdict = verify_numbers(text, FIGURES)
    assert verdict.ok, verdict.reason()
    assert [m.mention.text for m in verdict.matches] == ["6,996.01 万元"]


def test_identifiers_from_tool_output_are_not_figures_but_others_are_checked():
    text = "见 000_8eb411c3622be9ee.txt"
    assert verify_numbers(text, [], known_identifiers={"000_8eb411c3622be9ee.txt"}).ok
    assert not verify_numbers(text, []).ok


def test_chinese_numerals_with_units_are_checked():
    assert not verify_numbers("共十九个内设机构", [COUNT]).ok
    assert verify_numbers("共十八个内设机构", [COUNT]).ok
    assert not verify_numbers("约一亿元", [FACT]).ok
    assert not verify_numbers("占百分之九十", [RATIO]).ok
    # ordinary words are not numbers
    assert verify_numbers("一个中心、十分重要、千万不要、统一管理、第一部分", []).ok


def test_parse_chinese_number():
    assert parse_chinese_number("十二") == 12
    assert parse_chinese_number("一亿二千万") == 120000000
    assert parse_chinese_number("两千零五") == 2005
    assert parse_chinese_number("三点五") == Decimal("3.5")
    assert parse_chinese_number("一二") is None


def test_figures_in_text_read_units():
    figures = figures_in_text("医保自助设备服务费 369 万元，提供服务 180台，满意度≥90%")
    assert [(f.value, f.unit) for f in figures] == [(369, "万元"), (180, "台"), (90, "%")]


def test_no_numbers_passes_trivially():
    assert verify_numbers("文件中没有该信息。", []).ok


@given(amounts)
@settings(max_examples=200, deadline=None)
def test_any_printed_figure_verifies_against_itself(value):
    figure = Figure(value, "万元")
    printed = format_amount(value)
    assert verify_numbers(f"为 {printed} 万元", [figure]).ok
    assert verify_numbers(to_fullwidth(f"为 {printed} 万元"), [figure]).ok
    in_yuan = format_amount(value * 10000, 0 if value * 100 % 1 == 0 else 2)
    assert verify_numbers(f"即 {in_yuan} 元", [figure]).ok


@given(amounts, st.integers(min_value=0, max_value=2))
@settings(max_examples=200, deadline=None)
def test_rounded_figure_verifies(value, places):
    rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if places == 0 and value < 5:
        return   # 0-decimal rounding of tiny values is too lossy to count (see verifier)
    assert verify_numbers(f"约 {format_amount(rounded, places)} 万元", [Figure(value, "万元")]).ok


@given(amounts, amounts)
@settings(max_examples=200, deadline=None)
def test_different_figure_is_rejected(value, other):
    # "other" passes only if it is the same amount up to rounding or a 万元↔元/亿元 conversion
    figure = Figure(value, "万元")
    verdict = verify_numbers(f"为 {format_amount(other)} 万元", [figure])
    assert verdict.ok == (abs(other - value) <= Decimal("0.005"))


@given(st.lists(amounts, min_size=1, max_size=5), amounts)
@settings(max_examples=100, deadline=None)
def test_every_mention_is_checked(values, invented):
    figures = [Figure(v, "万元") for v in values]
    if any(abs(invented - v) <= Decimal("0.005") for v in values):
        return
    text = "；".join(f"第{i + 1}项 {format_amount(v)} 万元" for i, v in enumerate(values))
    assert verify_numbers(text, figures).ok
    bad = verify_numbers(text + f"；合计 {format_amount(invented)} 万元", figures)
    assert not bad.ok and bad.failures[-1].value == invented


def test_extract_mentions_positions_map_to_original_text():
    text = "合计６，９９６．０１万元"
    mention = extract_mentions(text)[0]
    assert text[mention.start:mention.end] == mention.text == "６，９９６．０１万元"
