"""Words that say a figure went down or up, official and colloquial, Chinese and English: one list for the
intent, the operand split and the subject clean-up, so 砍了 / 压减 / slashed mean what 减少 means everywhere."""
from __future__ import annotations

CUT = r"砍|削减|缩减|压减|压缩|缩水|缩小|下调|调减|减了|降了|掉了|少花"
RAISE = r"上调|调增|调高|增了|涨了|翻了|多花"
CUT_RAISE_EN = r"cut|slash|slashed|trimmed|reduced|shrank|shrunk|shrink|lowered|jump|jumped|climbed|raised"
