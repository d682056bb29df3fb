"""Typos by sound: a question's character pair that the documents never print is replaced by the printed
pair that sounds the same (toneless pinyin), so 住房公基金 meets 住房公积金 and 差率费 meets 差旅费.
Only the documents' own vocabulary is used; a pair the documents print is never touched. Front and back nasal
finals (shen/sheng, zhen/zheng, xin/xing) are a common slip, tried when no exact sound fits; a place the
corpus covers (深证 for 深圳, 漳洲 for 漳州) is corrected as a whole name."""
from __future__ import annotations

import re
from collections import Counter

_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
FUNCTION_CHARS = frozenset("里的了是在有和与及或多少几呢吗啊吧那这哪个各花用钱给交年月日上下中内外前后再还也都就才又被把从向对比较共总"
                           "占增减降涨加乘除为约")


def _pinyin_of(chars) -> dict[str, str]:
    try:
        from pypinyin import lazy_pinyin
    except ImportError:                  # no pypinyin: no corrections
        return {}
    return {c: lazy_pinyin(c)[0] for c in chars}


def loose(sound: str) -> str:
    """A toneless syllable with its nasal final loosened: zheng -> zhen, xing -> xin, zhang -> zhan."""
    return re.sub(r"([aei])ng$", r"\1n", sound)


class Homophones:
    def __init__(self, printed_pairs: Counter, text: str = "", places: tuple[str, ...] = (),
                 labels: tuple[str, ...] = ()):
        self.printed = printed_pairs
        self.text = text                 # the documents' text: a corrected stretch must be printed there
        self.label_ends = {l[-3:] for l in labels if len(l) >= 3}        # 差旅废 -> 差旅费: an item's last ...
        self.label_starts = {l[:3] for l in labels if len(l) >= 3}       # ... or first three characters
        self.places = tuple(places)      # place names the corpus covers (深圳, 江门)
        self.sound = _pinyin_of({c for pair in printed_pairs for c in pair} | {c for p in self.places for c in p})
        by_sound: dict[tuple[str, str], str] = {}
        by_loose: dict[tuple[str, str], list[str]] = {}
        for pair, _ in printed_pairs.most_common():
            key = (self.sound.get(pair[0], pair[0]), self.sound.get(pair[1], pair[1]))
            by_sound.setdefault(key, pair)
            by_loose.setdefault((loose(key[0]), loose(key[1])), []).append(pair)
        self.by_sound, self.by_loose = by_sound, by_loose

    @classmethod
    def from_texts(cls, texts, places: tuple[str, ...] = (), labels: tuple[str, ...] = ()) -> "Homophones":
        pairs: Counter = Counter()
        runs = []
        for t in texts:
            for run in _CJK_RUN.findall(t or ""):
                runs.append(run)
                for i in range(len(run) - 1):
                    pairs[run[i:i + 2]] += 1
        return cls(pairs, "\n".join(runs), places, labels)

    def _sound(self, c: str) -> str:
        s = self.sound.get(c)
        if s is None:
            s = _pinyin_of([c]).get(c, c)
            self.sound[c] = s
        return s

    def correct(self, text: str) -> str:
        """text with each unprinted pair that sounds like a printed one replaced by it, when the corrected
        stretch with its neighbours is printed too (住房公积金), or the pair with one neighbour begins or ends
        a printed item name (差旅废 -> 差旅费): one wrong character, not a new word."""
        chars = list(self._places(text))
        for m in _CJK_RUN.finditer(text):
            a, b = m.start(), m.end()
            for i in range(a, b - 1):
                pair = "".join(chars[i:i + 2])
                if pair in self.printed or FUNCTION_CHARS & set(pair):
                    continue
                sound = (self._sound(pair[0]), self._sound(pair[1]))
                exact = self.by_sound.get(sound)
                near = self.by_loose.get((loose(sound[0]), loose(sound[1])), [])
                for fix, edge in ([(exact, 3)] if exact else []) + [(f, 4) for f in near]:
                    if fix == pair:
                        continue
                    before, after = "".join(chars[max(a, i - 1):i]), "".join(chars[i + 2:min(b, i + 3)])
                    both = before + fix + after          # a near sound needs both neighbours printed with it
                    if len(both) >= edge and both in self.text or not self._anchored(pair, fix, before, after) and (
                            len(before) == 1 and before + fix in self.label_ends or
                            len(after) == 1 and fix + after in self.label_starts):
                        chars[i], chars[i + 1] = fix[0], fix[1]
                        break
        return "".join(chars)

    def _anchored(self, pair: str, fix: str, before: str, after: str) -> bool:
        """A character the fix would change is printed with its outer neighbour (预审合计: 合计), so it is meant."""
        return fix[0] != pair[0] and before + pair[0] in self.printed or \
            fix[1] != pair[1] and pair[1] + after in self.printed

    def _places(self, text: str) -> str:
        """深证医保中心 -> 深圳医保中心: a stretch the documents never print that sounds like a covered place."""
        for place in self.places:
            n, want = len(place), [loose(self._sound(c)) for c in place]
            for m in _CJK_RUN.finditer(text):
                run = m.group(0)
                for i in range(len(run) - n + 1):
                    stretch = run[i:i + n]
                    if stretch != place and stretch not in self.text and \
                            [loose(self._sound(c)) for c in stretch] == want:
                        text = text.replace(stretch, place)
        return text
