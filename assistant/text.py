"""Text normalisation shared by question understanding and fact matching (pure functions)."""
from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

_CJK = r"\u4e00-\u9fff"
_KEEP = re.compile(rf"[^{_CJK}a-z0-9%≥≤]+")
_ENUM_PREFIX = re.compile(
    r"^\s*(?:[（(]?[一二三四五六七八九十]+[)）、.．]|[（(]\d+[)）]|\d+[、.．](?!\d)|\[\d+\]|其中[:：]?)\s*")
_CODE_PREFIX = re.compile(r"^\s*\[?(\d{3,7})\]?\s*[-—]?\s*")


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "")


def norm(text: str) -> str:
    """Lower-case, half-width, only CJK letters / latin letters / digits kept: the matching form."""
    return _KEEP.sub("", nfkc(text).lower())


def clean_label(label: str) -> str:
    """A row label without enumeration ("一、", "1.", "（2）") or code prefixes, as shown to users."""
    text = nfkc(label).strip()
    for _ in range(3):
        new = _ENUM_PREFIX.sub("", text)
        new = _CODE_PREFIX.sub("", new) if re.match(r"^\s*\[?\d{3,7}\]?\s*[-—]?\s*[^\d年]", new) else new
        if new == text:
            break
        text = new
    return re.sub(r"\s+", "", text)


def bigrams(text: str) -> list[str]:
    """Overlapping character bigrams of the matching form (single characters for 1-char text)."""
    s = norm(text)
    if len(s) < 2:
        return [s] if s else []
    return [s[i:i + 2] for i in range(len(s) - 1)]


def is_english(text: str) -> bool:
    """True when the question is written in English: more latin words than CJK characters (a CJK
    character counts as much as a word, so "'; DROP TABLE facts; -- 三公经费" is Chinese while
    "How much is Jiangmen's 2024 budget for 三公 expenses?" is English)."""
    words = re.findall(r"[A-Za-z]+", text or "")
    cjk = len(re.findall(rf"[{_CJK}]", text or ""))
    return len(words) > cjk and sum(map(len, words)) >= 4


def money(value: Decimal) -> str:
    """A figure as the documents print it: thousands separators, the printed decimals kept."""
    if value == value.to_integral_value() and value.as_tuple().exponent >= 0:
        return f"{int(value):,}"
    return f"{value:,}"


def strip_spaces_between_cjk(text: str) -> str:
    text = re.sub(rf"(?<=[{_CJK}])\s+(?=[{_CJK}\d])", "", text)
    return re.sub(rf"(?<=\d)\s+(?=[{_CJK}])", "", text)
