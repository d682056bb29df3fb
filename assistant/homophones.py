"""Typos by sound: a question's character pair that the documents never print is replaced by the printed
pair that sounds the same (toneless pinyin), so 住房公基金 meets 住房公积金 and 差率费 meets 差旅费.
Only the documents' own vocabulary is used; a pair the documents print is never touched."""
from __future__ import annotations

import re
from collections import Counter

_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")


def _pinyin_of(chars) -> dict[str, str]:
    try:
        from pypinyin import lazy_pinyin
    except ImportError:                  # no pypinyin: no corrections
        return {}
    return {c: lazy_pinyin(c)[0] for c in chars}


class Homophones:
    def __init__(self, printed_pairs: Counter):
        self.printed = printed_pairs
        self.sound = _pinyin_of({c for pair in printed_pairs for c in pair})
        by_sound: dict[tuple[str, str], str] = {}
        for pair, _ in printed_pairs.most_common():
            key = (self.sound.get(pair[0], pair[0]), self.sound.get(pair[1], pair[1]))
            by_sound.setdefault(key, pair)
        self.by_sound = by_sound

    @classmethod
    def from_texts(cls, texts) -> "Homophones":
        pairs: Counter = Counter()
        for t in texts:
            for run in _CJK_RUN.findall(t or ""):
                for i in range(len(run) - 1):
                    pairs[run[i:i + 2]] += 1
        return cls(pairs)

    def _sound(self, c: str) -> str:
        s = self.sound.get(c)
        if s is None:
            s = _pinyin_of([c]).get(c, c)
            self.sound[c] = s
        return s

    def correct(self, text: str) -> str:
        """text with each unprinted pair that sounds like a printed one replaced by it; a replacement
        must also make the neighbouring pair a printed one (one wrong character, not a new word)."""
        chars = list(text)
        for m in _CJK_RUN.finditer(text):
            a, b = m.start(), m.end()
            for i in range(a, b - 1):
                pair = "".join(chars[i:i + 2])
                if pair in self.printed:
                    continue
                fix = self.by_sound.get((self._sound(pair[0]), self._sound(pair[1])))
                if fix is None or fix == pair:
                    continue
                left = "".join([chars[i - 1], fix[0]]) if i > a else None
                right = "".join([fix[1], chars[i + 2]]) if i + 2 < b else None
                if (left is None or left in self.printed) and (right is None or right in self.printed):
                    chars[i], chars[i + 1] = fix[0], fix[1]
        return "".join(chars)
