"""Answer wording (assistant.compose): units and their English gloss, whole counts, traceability."""
from __future__ import annotations

from decimal import Decimal

from assistant.compose import fmt_value, unit_text
from assistant.model import Answer, Citation
from assistant.trace import untraceable_numbers


def test_english_gloss_names_the_unit_not_an_amount():
    # "1,000 万元 (10,000 yuan)" read as if the amount were 10,000 yuan; 1,000 万元 is 10 million yuan
    assert unit_text("万元", english=True) == " 万元 (units of 10,000 yuan)"
    assert unit_text("亿元", english=True) == " 亿元 (units of 100 million yuan)"
    assert unit_text("万元") == " 万元"
    assert fmt_value(Decimal("1000"), "万元", None, True) == "10 million yuan (1,000 万元)"
    assert fmt_value(Decimal("369"), "万元", None, True) == "3.69 million yuan (369 万元)"
    assert fmt_value(Decimal("0.68"), "万元", None, True) == "6,800 yuan (0.68 万元)"


def test_the_gloss_is_not_taken_for_a_figure():
    cite = Citation(doc="x.txt", org="某局", year=2024, kind="预算", table="表", row="办公费", line=3,
                    quote="办公费\t1,000.00", value=Decimal("1000"), unit="万元")
    answer = Answer(text=f"Office costs are {fmt_value(Decimal('1000'), '万元', None, True)}; "
                         f"a larger one is {fmt_value(Decimal('1'), '亿元', None, True)}.",
                    value=Decimal("1000"), unit="万元", citations=[cite])
    assert untraceable_numbers(answer) == ["1"]            # the 亿元 figure is uncited; the glosses are not figures


def test_whole_counts_print_whole():
    assert fmt_value(Decimal("1079"), "个") == "1,079个"
    assert fmt_value(Decimal("90.49"), "分") == "90.49分"
    assert fmt_value(Decimal("2.5"), "倍") == "2.50倍"
    assert fmt_value(Decimal("12.3"), "万元") == "12.30 万元"


def test_english_amounts_convert_within_the_trace():
    cite = Citation(doc="x.txt", org="某局", year=2024, kind="预算", table="表", row="医保自助设备服务费", line=3,
                    quote="医保自助设备服务费 369 万元", value=Decimal("369"), unit="万元")
    answer = Answer(text=f"The fee is {fmt_value(Decimal('369'), '万元', None, True)}.", value=Decimal("369"),
                    unit="万元", citations=[cite])
    assert answer.text == "The fee is 3.69 million yuan (369 万元)."
    assert untraceable_numbers(answer) == []


def test_language_counts_cjk_characters_not_ascii_share():
    from assistant.text import is_english
    assert not is_english("'; DROP TABLE facts; -- 三公经费")
    assert not is_english("深圳医保中心2024年IT运维费是多少")
    assert is_english("How much is Jiangmen's 2024 budget for 三公 expenses?")
    assert is_english("and in 2022?")
