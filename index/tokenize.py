"""Keyword tokens for Chinese budget text: jieba words + character bigrams; figures and 科目编码 stay whole.

Figures are normalised so the printed and the typed forms meet: "9,932.00", "9932" and "９，９３２"
all become "9932"; "112.70" becomes "112.7".
"""
from __future__ import annotations

import logging
import re
from functools import lru_cache

from corpus.numbers import normalize_digits
from index.terms import stem

_NUMBER = re.compile(r"(?<![\d.])\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[a-z][a-z'-]*")
STOP_ZH = frozenset("的 了 是 在 和 与 及 或 有 吗 呢 吧 啊 么 多少 什么 怎么 哪个 哪些 几 这个 那个 这 那 里 中 为 我 你 他 请问 请 一下".split())
STOP_EN = frozenset("""a an the of in on at to for from by with and or is are was were be been how much many what
which who when where why does do did it its this that these those there their than as into about please tell me show
give""".split())


def normalize_number(raw: str) -> str:
    """"7,171.870" -> "7171.87"; "0.00" -> "0"; "05" -> "5"."""
    whole, _, frac = raw.replace(",", "").partition(".")
    whole = whole.lstrip("0") or "0"
    frac = frac.rstrip("0")
    return f"{whole}.{frac}" if frac else whole


@lru_cache(maxsize=1)
def _jieba():
    import jieba
    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


@lru_cache(maxsize=200_000)
def _words(run: str) -> tuple[str, ...]:
    """jieba words and character bigrams of one CJK run (runs repeat a lot: titles, labels, org names)."""
    words = [w for w in _jieba().lcut_for_search(run) if len(w) > 1 and w not in STOP_ZH]
    return tuple(words + [run[i:i + 2] for i in range(len(run) - 1)])


def tokenize(text: str) -> list[str]:
    text = normalize_digits(text).lower()
    tokens: list[str] = [normalize_number(m.group(0)) for m in _NUMBER.finditer(text)]
    rest = _NUMBER.sub(" ", text)
    tokens += [stem(w) for w in _WORD.findall(rest) if w not in STOP_EN and len(w) > 1]
    for run in _CJK_RUN.findall(rest):
        tokens += _words(run)
    return tokens
