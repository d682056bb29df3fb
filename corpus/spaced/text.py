"""Tokens of a space-joined table line: figures, codes, 行次 integers and text.

PDF extraction ran cells together: "5,269.54302 商品和服务支出" is 5,269.54 followed by the code 302, and
"201,109.34一、一般公共服务支出" a figure followed by the next label. In money tables every figure has
exactly two decimals, so a figure ends two digits after its point; what follows is a new token.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from corpus.numbers import normalize_digits

NUM, INT, TEXT = "num", "int", "text"

_MONEY = re.compile(r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)\.\d{2}(?!%)")
_NUMBER = re.compile(r"[-+]?(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?%?")
_ORDINAL = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\(\d+\)|\d+[.、])")
_PAGE_NUMBER = re.compile(r"^\s*[-－—]\s*\d+\s*[-－—]\s*$")


@dataclass(frozen=True)
class Token:
    kind: str          # NUM (has decimals or %), INT (plain integer: a code, 行次 or count), TEXT
    text: str          # as printed (after full-width normalisation)
    start: int         # offset in the normalised line

    @property
    def value(self) -> Decimal:
        return Decimal(self.text.rstrip("%").replace(",", ""))

    @property
    def percent(self) -> bool:
        return self.text.endswith("%")


def tokenize(line: str, money: bool = True) -> list[Token]:
    """Split a line into tokens. money=True: a figure has exactly two decimals (split run-together digits)."""
    s = normalize_digits(line)
    tokens: list[Token] = []
    text_start: int | None = None
    i = 0

    def flush(end: int) -> None:
        nonlocal text_start
        if text_start is not None:
            chunk = s[text_start:end].strip()
            if chunk:
                tokens.append(Token(TEXT, chunk, text_start))
            text_start = None

    while i < len(s):
        ch = s[i]
        if ch.isspace():
            flush(i)
            i += 1
            continue
        glued = i > 0 and s[i - 1].isdigit()
        m = None
        if (ch.isdigit() or (ch in "+-" and i + 1 < len(s) and s[i + 1].isdigit())) and (
                text_start is None or not glued):
            m = (_MONEY.match(s, i) if money else None) or _NUMBER.match(s, i)
        if m and text_start is not None and _inside_word(s, i):
            m = None
        if m:
            flush(i)
            text = m.group(0)
            kind = NUM if ("." in text or text.endswith("%")) else INT
            tokens.append(Token(kind, text, i))
            i = m.end()
            continue
        if text_start is None:
            text_start = i
        i += 1
    flush(len(s))
    return tokens


def _inside_word(s: str, i: int) -> bool:
    """A digit glued to ASCII letters (e.g. 'EMS2') belongs to the text."""
    return i > 0 and s[i - 1].isascii() and s[i - 1].isalpha()


def is_page_number(line: str) -> bool:
    return bool(_PAGE_NUMBER.match(line))


def strip_ordinal(label: str) -> str:
    """'八、其他收入' -> '其他收入'; '其中：当年财政拨款' -> '当年财政拨款'."""
    label = re.sub(r"\s+", "", label)
    label = _ORDINAL.sub("", label)
    return re.sub(r"^其中[:：]", "", label)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)
