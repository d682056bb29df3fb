"""Words that say a figure went down or up, official and colloquial, Chinese and English: one list for the
intent, the operand split and the subject clean-up, so 砍了 / 压减 / slashed mean what 减少 means everywhere."""
from __future__ import annotations

CUT = r"砍|削减|缩减|压减|压缩|缩水|缩小|下调|调减|减了|降了|掉了|少花|少了"
RAISE = r"上调|调增|调高|增了|涨了|翻了|多花|多了"
CUT_RAISE_EN = r"cut|slash|slashed|trimmed|reduced|shrank|shrunk|shrink|lowered|jump|jumped|climbed|raised"
CHANGE_WORDS = rf"增加|减少|增长|下降|降低|提高|上升|{CUT}|{RAISE}"     # any word for a change, official or colloquial

# 按增减额推算2023年: how a figure is to be had, not a change asked for
DERIVED_BY = (r"(?:按照?|根据|用)?(?:文件)?(?:所列|列明|列出|给出)?的?(?:增减额|增减|增加额|减少额|变化额|变动额)?来?"
              r"(?:推算|推一下|倒推|倒算|反推|推出|算出)(?:出来)?")
