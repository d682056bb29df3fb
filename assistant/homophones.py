"""Typos by sound: a question's character pair that the documents never print is replaced by the printed
pair that sounds the same (toneless pinyin), so 住房公基金 meets 住房公积金 and 差率费 meets 差旅费.
Only the documents' own vocabulary is used; a pair the documents print is never touched."""
from __future__ import annotations

import re
from collections import Counter

_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
FUNCTION_CHARS = frozenset("里的了是在有和与及或多少几呢吗啊吧那这哪个各花用钱给交年月日上下中内外前后再还也都就才又被把从向对比较共总")


def _pinyin_of(chars) -> dict[str, str]:
    try:
        from pypinyin import lazy_pinyin
    except ImportError:                  # no pypinyin: no corrections
        return {}
    return {c: lazy_pinyin(c)[0] for c in chars}


class Homophones:
    def __init__(self, printed_pairs: Counter, text: str = ""):
        self.printed = printed_pairs
        self.text = text                 # the documents' text: a corrected stretch must be printed there
        self.sound = _pinyin_of({c for pair in printed_pairs for c in pair})
        by_sound: dict[tuple[str, str], str] = {}
        for pair, _ in printed_pairs.most_common():
            key = (self.sound.get(pair[0], pair[0]), self.sound.get(pair[1], pair[1]))
            by_sound.setdefault(key, pair)
        self.by_sound = by_sound

    @classmethod
    def from_texts(cls, texts) -> "Homophones":
        pairs: Counter = Counter()
        runs = []
        for t in texts:
            for run in _CJK_RUN.findall(t or ""):
                runs.append(run)
                for i in range(len(run) - 1):
                    pairs[run[i:i + 2]] += 1
        return cls(pairs, "\n".join(runs))

    def _sound(self, c: str) -> str:
        s = self.sound.get(c)
        if s is None:
            s = _pinyin_of([c]).get(c, c)
            self.sound[c] = s
        return s

    def correct(self, text: str) -> str:
        """text with each unprinted pair that sounds like a printed one replaced by it, when the corrected
        stretch with its neighbours (住房公积金, 差旅费) is printed too: one wrong character, not a new word."""
        chars = list(text)
        for m in _CJK_RUN.finditer(text):
            a, b = m.start(), m.end()
            for i in range(a, b - 1):
                pair = "".join(chars[i:i + 2])
                if pair in self.printed or FUNCTION_CHARS & set(pair):
                    continue
                fix = self.by_sound.get((self._sound(pair[0]), self._sound(pair[1])))
                if fix is None or fix == pair:
                    continue
                window = "".join(chars[max(a, i - 1):i]) + fix + "".join(chars[i + 2:min(b, i + 3)])
                if len(window) >= 3 and window in self.text:
                    chars[i], chars[i + 1] = fix[0], fix[1]
        return "".join(chars)
