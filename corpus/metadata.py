"""Detect a document's org, scope, year, kind and default unit from its own text."""
from __future__ import annotations

import re
from collections import Counter

from corpus.model import BUDGET, FINAL_ACCOUNTS, WAN_YUAN, YUAN, DocMeta

HEAD_LINES = 80
_ORG = r"[\u4e00-\u9fff]{2,30}?(?:局|中心|委员会|厅|办公室|院|所|署|站|会)"
_SCOPE = r"\s*[（(]\s*(本级|汇总)\s*[)）]"
_KIND = r"部门\s*(预算|决算)"
_YEAR_FIRST = re.compile(rf"(20\d\d)\s*年度?\s*({_ORG})(?:{_SCOPE})?\s*{_KIND}")
_ORG_FIRST = re.compile(rf"({_ORG})(?:{_SCOPE})?\s*(20\d\d)\s*年度?\s*{_KIND}")
_SCOPE_STATEMENTS = (
    (re.compile(r"为汇总预算|汇总决算|部门预算为汇总"), "汇总"),
    (re.compile(r"为(?:单位)?本级预算|单位本级预算|本级决算"), "本级"),
)
_UNIT_LINE = re.compile(r"单位\s*[：:]\s*(万元|元)")


class MetadataError(ValueError):
    pass


def _head_text(lines: tuple[str, ...] | list[str]) -> str:
    cleaned = (re.sub(r"^[#\s\-]+", "", line).strip() for line in lines[:HEAD_LINES])
    return " ".join(c for c in cleaned if c)


def _clean_org(org: str) -> str:
    org = re.sub(r"^(?:[一二三四五六七八九十]+、)", "", org)
    return re.sub(r"\s+", "", org)


def detect_metadata(lines: tuple[str, ...] | list[str], name: str = "<document>") -> DocMeta:
    """Org, year and kind come from the title; scope from the title or a scope statement."""
    head = _head_text(lines)
    match = _YEAR_FIRST.search(head)
    if match:
        year, org, scope, kind = match.group(1), match.group(2), match.group(3), match.group(4)
    else:
        match = _ORG_FIRST.search(head) or _ORG_FIRST.search(_head_text(lines[HEAD_LINES:HEAD_LINES * 3]))
        if not match:
            raise MetadataError(f"{name}: no title like '2024年XX局部门预算' found in the first lines")
        org, scope, year, kind = match.group(1), match.group(2), match.group(3), match.group(4)
    full_text = "\n".join(lines)
    if scope is None:
        scope = next((s for pattern, s in _SCOPE_STATEMENTS if pattern.search(full_text)), None)
    return DocMeta(
        org=_clean_org(org),
        year=int(year),
        kind=BUDGET if kind == "预算" else FINAL_ACCOUNTS,
        unit=default_unit(lines),
        scope=scope,
        title=match.group(0).strip(),
    )


def default_unit(lines: tuple[str, ...] | list[str]) -> str:
    units = Counter(m.group(1) for line in lines for m in _UNIT_LINE.finditer(line))
    return units.most_common(1)[0][0] if units else WAN_YUAN


__all__ = ["detect_metadata", "default_unit", "MetadataError", "YUAN", "WAN_YUAN"]
