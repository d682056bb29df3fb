"""Figures in answer text: normalisation, extraction with units, and unit conversion (pure)."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

MONEY = {"元": Decimal(1), "千元": Decimal(1000), "万元": Decimal(10_000), "亿元": Decimal(100_000_000)}
MULTIPLIER = {"万": Decimal(10_000), "亿": Decimal(100_000_000)}
PERCENT = "%"
YEAR = "年"

_MARKER_RE = re.compile(r"\[\d{1,3}\]")        # citation markers such as [1]
_FIGURE_RE = re.compile(
    r"(?<![\d.])(?P<sign>[-+])?(?P<num>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)(?!\d)"
    r"\s*(?P<unit>亿元|万元|千元|元|亿|万|%|年)?")
_CN_COMMA_RE = re.compile(r"(?<![０-９])，|，(?![０-９])")   # "369，370" lists two figures
_THOUSANDS_RE = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_NUMERIC_RE = re.compile(r"^[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?$")


@dataclass(frozen=True)
class Figure:
    value: Decimal        # signed, as printed (commas removed)
    unit: str | None      # 元 / 万元 / 亿元 / 千元 / 万 / 亿 / % / 年, or None
    text: str             # the match as printed


def normalize(text: str) -> str:
    """Full-width -> half-width (NFKC), unified minus and comparison signs, lower case."""
    s = unicodedata.normalize("NFKC", text or "")
    s = s.replace("\u2212", "-")
    s = s.replace(">=", "≥").replace("<=", "≤").replace("≧", "≥").replace("≦", "≤")
    return s.lower()


def compact(text: str) -> str:
    """normalize() without whitespace and without thousands separators, for substring tests."""
    return re.sub(r"\s+", "", _THOUSANDS_RE.sub("", normalize(text)))   # commas first: cells run together after


def extract_figures(text: str) -> list[Figure]:
    """Every figure printed in the text, with the unit written right after it."""
    s = _MARKER_RE.sub(" ", normalize(_CN_COMMA_RE.sub("; ", text or "")))
    out = []
    for m in _FIGURE_RE.finditer(s):
        value = Decimal(m["num"].replace(",", ""))
        out.append(Figure(-value if m["sign"] == "-" else value, m["unit"], m.group(0).strip()))
    return out


def as_number(text: str) -> Decimal | None:
    """The number a must_contain entry denotes ("7,171.87", "84.1%", "４００"), or None for text."""
    s = re.sub(r"\s+", "", normalize(text))
    if not _NUMERIC_RE.match(s):
        return None
    try:
        return Decimal(s.rstrip("%").replace(",", ""))
    except InvalidOperation:
        return None


def in_unit(figure: Figure, unit: str | None) -> list[Decimal]:
    """Values the figure denotes when the expected unit is `unit`; [] when the units cannot agree.

    A figure with an explicit money unit converts exactly (7,171.87万元 == 71,718,700元), so a
    figure printed with the wrong unit does not match. A bare figure is taken as it is.
    """
    fu, v = figure.unit, figure.value
    if fu == YEAR and unit != YEAR:
        return []                                  # 2024年 is a year, not an answer
    if unit in MONEY:
        if fu in MONEY:
            return [v * MONEY[fu] / MONEY[unit]]
        if fu in MULTIPLIER:
            return [v * MULTIPLIER[fu] / MONEY[unit]]
        return [] if fu == PERCENT else [v]
    if fu in MULTIPLIER:
        # 776万人 asked in 万人 is 776; asked in 人 it is 7,760,000
        return [v] if unit and unit.startswith(fu) else [v * MULTIPLIER[fu]]
    if unit == PERCENT:
        return [v] if fu in (None, PERCENT) else []
    if fu in MONEY and unit is not None:
        return []                                  # money where a count is asked
    return [v]
