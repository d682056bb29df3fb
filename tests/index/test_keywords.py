"""Keyword side: tokenisation, BM25, glossary terms and document routing."""
from __future__ import annotations

from decimal import Decimal

from hypothesis import given, strategies as st

from corpus.numbers import format_amount
from index.bm25 import BM25Index
from index.routing import DocRouter
from index.terms import Glossary
from index.tokenize import normalize_number, tokenize


def test_figures_and_codes_stay_whole_and_printed_forms_meet_typed_ones():
    tokens = tokenize("2101506\t医疗保障经办事务\t7,171.87\t0.00\t9,932.00")
    assert {"2101506", "7171.87", "0", "9932"} <= set(tokens)
    assert "9932" in tokenize("行政事业单位医疗9,932万元")
    assert "9932" in tokenize("９，９３２")           # full-width digits
    assert "112.7" in tokenize("112.70")


def test_chinese_gets_words_and_bigrams_and_english_is_stemmed():
    tokens = tokenize("医疗保障经办事务 handling claims")
    assert {"医疗保障", "经办", "事务"} <= set(tokens)        # jieba words
    assert {"疗保", "障经", "办事"} <= set(tokens)            # character bigrams
    assert "claim" in tokens and "handling" in tokens
    assert "的" not in tokenize("医保中心的预算") and "how" not in tokenize("how much")


@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_thousands_separators_and_trailing_zeros_do_not_matter(value: Decimal):
    printed = format_amount(value)                       # 1,234.50
    plain = str(value)                                   # 1234.50
    assert normalize_number(printed) == normalize_number(plain)
    assert normalize_number(normalize_number(printed)) == normalize_number(printed)
    assert Decimal(normalize_number(printed)) == value


def test_bm25_ranks_the_row_with_the_rare_code_first():
    texts = ["2101501 行政运行 4,380.51", "2101506 医疗保障经办事务 7,171.87", "部门预算 收入 支出 合计",
             "医疗保障 管理 事务 说明"]
    bm25 = BM25Index.build(texts)
    assert bm25.top("2101506 这个科目安排了多少", k=1)[0][0] == 1
    assert bm25.top("行政运行", k=1)[0][0] == 0
    assert bm25.top("完全无关的词语 xyz", k=3) == []


def test_bm25_extra_tokens_count_with_their_own_weight():
    bm25 = BM25Index.build(["三公 经费 预算", "出国 接待 公车"])
    plain = bm25.scores("预算")
    boosted = bm25.scores("预算", {"公车": 0.3})
    assert boosted[1] > plain[1] == 0 and boosted[0] == plain[0]


def test_glossary_adds_aliases_to_chunks_and_printed_terms_to_english_queries():
    glossary = Glossary.load()
    aliases = glossary.aliases_for("2101506 医疗保障经办事务")
    assert "医保经办" in aliases and any("handling insured people's claims" in a for a in aliases)
    assert "“三公”经费" in glossary.terms_for_query("How much are the three public expenses?")
    assert "税金及附加费用" in glossary.terms_for_query("How much were taxes?")
    assert "税金及附加费用" not in glossary.terms_for_query("taxi fares")      # whole English words only
    # organisation and place entries tell documents apart; they are not added to chunks
    assert "Jiangmen" not in glossary.aliases_for("江门市医疗保障局")


def test_router_prefers_documents_named_by_year_place_and_kind():
    router = DocRouter.build([("a", "江门市医疗保障局", 2024, "预算"), ("b", "深圳市医疗保险基金管理中心", 2020, "决算"),
                              ("c", "漳州市医疗保障局", 2024, "预算")], Glossary.load())
    assert max(router.prior("江门医保局2024年委托业务费").items(), key=lambda kv: kv[1])[0] == "a"
    assert max(router.prior("What was Zhangzhou's 2024 budget?").items(), key=lambda kv: kv[1])[0] == "c"
    assert max(router.prior("医保中心2020年决算").items(), key=lambda kv: kv[1])[0] == "b"
    assert router.prior("委托业务费是什么") == {}
    content, selectors = router.split_query("江门医保局2024年项目支出里，委托业务费安排了多少？")
    assert "委托业务费" in content and "江门" not in content and "2024" not in content
    assert {"江门", "2024年"} <= set(selectors)


def test_english_aliases_match_singular_or_plural():
    glossary = Glossary.load()
    assert "基本工资" in glossary.terms_for_query("How much was spent on basic salaries?")
    assert "基本工资" in glossary.terms_for_query("the basic salary line")


def test_glossary_sources_choose_entry_types_and_english_only_aliases(tmp_path):
    vocab = tmp_path / "v.tsv"
    vocab.write_text("# comment\n档案整理|档案\t归档|archive sorting\n管理\tmanagement\torg\n", encoding="utf-8")
    everything = Glossary.load(vocab)
    assert everything.kind("管理") == "org" and "归档" in everything.aliases_for("档案整理费")
    english = Glossary.load((vocab, ("term",), "english"))
    assert english.aliases_for("档案整理费") == ["archive sorting"] and english.kind("管理") == "term"
    assert "档案" in english.terms_for_query("archive sorting costs")


def test_documents_a_question_contradicts_are_not_named_alike():
    router = DocRouter.build([("bureau", "深圳市医疗保障局", 2022, "预算", "汇总"),
                              ("centre", "深圳市医疗保险基金管理中心", 2024, "预算", "本级"),
                              ("jm", "江门市医疗保障局", 2024, "预算", "本级")], Glossary.load())
    question = "2022年深圳医保局本级（不算医保中心）的预算是多少？"
    assert router.contradictions(question) == {"bureau": 0, "centre": 1, "jm": 2}
    assert router.named_documents(question) == ["bureau"]
    assert set(router.named_documents("深圳医保中心的部门预算，2024年比2022年少了多少？")) == {"bureau", "centre"}
