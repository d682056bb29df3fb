"""Item phrases for prose figures (corpus.prose.items): "从 A 增加到 B" ends, a short item echoing an earlier
phrase of its sentence, the earlier-year figure of "与 2019 年度收入 X 相比". Examples are the corpus's own
wording; property tests check the pure functions on generated phrases."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from corpus.prose.items import FromTo, earlier_item, echo_phrase, from_to

_CJK = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), min_size=2, max_size=8)
_STATE = st.sampled_from(["", "机构改革前的", "2019年的", "上年的"])


# --- 从 A 增加到 B ---------------------------------------------------------------------------------------

def test_from_to_reads_the_corpus_sentence():
    # 002 line 1390-1392: 医保服务网点从机构改革前的 33 个增加到现在的 584 个，…窗口从 48 个增加到 1127 个
    assert from_to("医保服务网点从机构改革前的 ", "增加到现在的\n") == FromTo("医保服务网点", "机构改革前", "现在")
    assert from_to("窗口从 ", " 增加到 ") == FromTo("窗口", "", "")


def test_from_to_other_verbs_and_years():
    assert from_to("经费由2019年的", "降至2020年的") == FromTo("经费", "2019年", "2020年")
    assert from_to("参保人数从", "提高到") == FromTo("参保人数", "", "")


def test_from_to_needs_both_ends():
    assert from_to("其中从业人员", "，") is None            # 从业 is a word, and nothing links the figures
    assert from_to("窗口从", "，另有") is None
    assert from_to("由于经费", "增加到") is None             # 由于 is not 由 … 到
    assert from_to("医保服务网点", "增加到") is None          # no 从 / 由 before the first figure


@given(subject=_CJK, before=_STATE, verb=st.sampled_from(["增加到", "减少至", "提高到", "下降至", "到"]))
def test_from_to_property(subject, before, verb):
    found = from_to(f"{subject}从{before}", verb)
    if subject[-1] in "从由" or "从" in subject or "由" in subject:
        return                                               # a 从 inside the subject may start the match earlier
    assert found is not None
    assert found.subject == subject
    assert found.before == before.rstrip("的")
    assert found.after == ""


# --- a short item echoing an earlier phrase --------------------------------------------------------------

def test_echo_phrase_takes_the_earlier_phrase():
    # 002 line 1090-1092: 开展 2020 年度部门整体绩效自评工作，自评 90.49 分
    earlier = "为提高资源配置效率，我中心认真组织，开展 2020 年度部门整体绩效自评工作，"
    assert echo_phrase("自评", earlier, (), 2020) == "部门整体绩效自评"


def test_echo_phrase_leaves_other_items_alone():
    assert echo_phrase("自评", "我中心认真组织，自评工作，", (), 2020) == "自评"          # nothing longer before it
    assert echo_phrase("编制", "其中行政编制 170 人，", (), 2022) == "编制"              # that phrase has its own figure
    assert echo_phrase("服务费", "", (), 2024) == "服务费"
    assert echo_phrase("医保自助设备服务费", "医保自助设备服务费，", (), 2024) == "医保自助设备服务费"


@given(head=_CJK, item=_CJK)
def test_echo_phrase_property(head, item):
    out = echo_phrase(item, head + item + "工作，", (), 2020)
    assert out == item or (out.endswith(item) and len(out) <= 16)


# --- the earlier year's figure of a comparison -----------------------------------------------------------

def test_earlier_item_names_the_subject():
    # 002 line 548-554: 本年度总收入合计 201,787.94 万元 … 与 2019 年度收入 17,677.03 万元相比
    assert earlier_item("2019年度收入", "总收入") == "2019年度总收入"
    assert earlier_item("2019年度支出", "本年度支出") == "2019年度支出"      # the same word: nothing to add
    assert earlier_item("2019年度支出", "一般公共预算财政拨款支出") == "2019年度一般公共预算财政拨款支出"


def test_earlier_item_keeps_specific_items():
    assert earlier_item("2019年度项目支出", "总收入") == "2019年度项目支出"     # not generic
    assert earlier_item("收入", "总收入") == "收入"                              # no year in front
    assert earlier_item("2019年度收入", None) == "2019年度收入"


def test_from_to_reads_a_change_verb_with_wei():
    # "从原本的 5 天缩短为 2.21 天": 缩短为 / 提高为 end the change as 缩短到 does; a bare 为 does not
    assert from_to("审核时间从原本的 ", "缩短为 ") == FromTo("审核时间", "原本", "")
    assert from_to("参保率从 ", "提高为 ") == FromTo("参保率", "", "")
    assert from_to("从 ", "为 ") is None
