"""Lead with the answer: the figure first, then what was not found or differs in scope.

The agent's stages open some answers with a caveat ("X中没有这一项；…以下为预算数：", "文件中没有单列“A”这一项，
最接近的是…", "文件没有直接列出2023年的数，可由…推算"); this wording pass moves each caveat after the figures it
qualifies. It changes word order only: every figure and citation stays as composed."""
from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

from assistant.compose import yuan_text
from assistant.model import Answer

_BULLET = "· "

# the agent's caveat sentences (assistant/lookup.py, assistant/across.py), zh and en
_CLOSEST_ZH = re.compile(r"^文件中没有单列“(?P<a>[^”]+)”这一项，最接近的印列条目是(?P<label>“[^”]+”(?:（\d+）)?)（口径未必相同）。")
_NEAR_ZH = re.compile(r"^文件中没有与“(?P<t>[^”]+)”完全对应的条目，最接近的是这一项：")
_CLOSEST_EN = re.compile(r"^The documents print no item named “(?P<a>[^”]+)” here; the closest printed item is "
                         r"(?P<label>.+?), which is not necessarily the same thing\. ")
_NEAR_EN = re.compile(r"^The documents have no item named exactly “(?P<t>[^”]+)”; the closest is this one\. ")
_DERIVED_ZH = re.compile(r"^文件没有直接列出(?P<y>\d{4})年的数，可由(?P<src>.+?)推算：(?P<body>.+)，"
                         r"因此(?P<what>\d{4}年.+?)约为 (?P<shown>[^（]+= (?P<result>[^（]+?))（(?P<tail>[^（）]+)）。$")
_DERIVED_EN = re.compile(r"^The documents do not print the (?P<y>\d{4}) figure directly; from (?P<src>.+?): "
                         r"(?P<body>.+)\. So the \d{4} figure is (?P<shown>.+?= (?P<result>.+?)) \((?P<tail>unit: [^()]*(?:\([^()]*\))*[^()]*)\)\.$")
_ELSEWHERE_ZH = re.compile(r"^(?P<looked>.+?)中没有这一项；同一单位的其他文件中有，以下为(?P<kinds>.+?)数：$")
_ELSEWHERE_EN = re.compile(r"^(?P<looked>.+?) has no such item\. Other documents of the same organisation do; "
                           r"note these are (?P<kinds>.+?) figures:$")
_YEAR_KIND = re.compile(r"(\d{4})年部门(预算|决算)")
_LABEL_FIGURE = re.compile(r"(“[^”]+”(?:（\d+）)?)(?:中“[^”]+”)?为 ([≥≤]?[\d,]+(?:\.\d+)?\s?(?:万元|亿元|元|%|[^\s，。（；]{1,3})?)")


_CAVEATS = (      # (an opening caveat, how the line reads with the answer first)
    (_CLOSEST_ZH, lambda m, rest: f"{rest}（文件中没有单列“{m['a']}”这一项；以上为最接近的印列条目{m['label']}，口径未必相同。）"),
    (_NEAR_ZH, lambda m, rest: f"{rest}（文件中没有与“{m['t']}”完全对应的条目；以上为最接近的一项。）"),
    (_CLOSEST_EN, lambda m, rest: f"{rest} (The documents print no item named “{m['a']}”; this is the closest printed "
                                  f"item, {m['label']}, not necessarily the same thing.)"),
    (_NEAR_EN, lambda m, rest: f"{rest} (No item is named exactly “{m['t']}”; this is the closest.)"),
    (_DERIVED_ZH, lambda m, rest: f"{m['what']}约为 {m['result'].strip()}（{m['tail']}）。文件没有直接列出{m['y']}年的数，"
                                  f"由{m['src']}推算：{m['body']}，{m['shown'].strip()}。"),
    (_DERIVED_EN, lambda m, rest: f"The {m['y']} figure is about {_in_yuan(m['result'].strip())} ({m['tail']}). The documents "
                                  f"do not print it directly; from {m['src']}: {m['body']}: {m['shown'].strip()}."),
)


def _line(text: str) -> str:
    """One sentence group: a caveat that opens it goes to its end."""
    for pattern, lead_first in _CAVEATS:
        m = pattern.match(text)
        if m:
            return lead_first(m, text[m.end():])
    return text


def _in_yuan(figure: str) -> str:
    """"1,990.38 万元" -> "19.9 million yuan (1,990.38 万元)" for English readers."""
    m = re.fullmatch(r"(-?[\d,]+(?:\.\d+)?) (万元|亿元|元)", figure)
    return f"{yuan_text(Decimal(m[1].replace(',', '')), m[2])} ({figure})" if m else figure


def _summary(bullets: list[str]) -> str:
    """"2024年预算“X”为 369 万元；2022年预算同为 369 万元。" from the bullets, or '' when one is not a plain figure."""
    parts, previous = [], None
    for bullet in bullets:
        yk, lf = _YEAR_KIND.search(bullet), _LABEL_FIGURE.search(bullet)
        if not yk or not lf:
            return ""
        label, figure = lf.group(1), lf.group(2).strip()
        if previous == (label, figure):
            parts.append(f"{yk[1]}年{yk[2]}同为 {figure}")
        elif previous and previous[0] == label:
            parts.append(f"{yk[1]}年{yk[2]}为 {figure}")
        else:
            parts.append(f"{yk[1]}年{yk[2]}{label}为 {figure}")
        previous = (label, figure)
    return "；".join(parts) + "。"


def _elsewhere(lines: list[str]) -> list[str]:
    """"X中没有这一项；…以下为预算数：" + bullets -> a one-line answer, the bullets, then the caveat."""
    head, bullets = lines[0], lines[1:]
    n = next((i for i, line in enumerate(bullets) if not line.startswith(_BULLET)), len(bullets))
    bullets, rest = bullets[:n], bullets[n:]
    if not bullets:
        return lines
    m = _ELSEWHERE_ZH.match(head)
    if m:
        summary = _summary([b[len(_BULLET):] for b in bullets])
        note = f"（{m['looked']}中没有这一项；以上为同一单位其他文件中的{m['kinds']}数。）"
        return ([summary] if summary else []) + bullets + [note] + rest
    m = _ELSEWHERE_EN.match(head)
    if m:
        note = f"({m['looked']} has no such item; these are {m['kinds']} figures from other documents of the same organisation.)"
        return bullets + [note] + rest
    return lines


def lead_with_answer(answer: Answer) -> Answer:
    if answer.refusal or not answer.text:
        return answer
    lines = [(_BULLET + _line(line[len(_BULLET):])) if line.startswith(_BULLET) else _line(line)
             for line in answer.text.split("\n")]
    if len(lines) > 1 and (_ELSEWHERE_ZH.match(lines[0]) or _ELSEWHERE_EN.match(lines[0])):
        lines = _elsewhere(lines)
    text = "\n".join(lines)
    return answer if text == answer.text else replace(answer, text=text)
