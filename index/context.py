"""A follow-up searched with the turn it follows: "那其中公务接待费呢？" after "漳州医保局2024年三公经费
预算多少？" is searched as both together, so the document and topic of the earlier question still count.
Pure functions over the conversation's text."""
from __future__ import annotations

import re

FOLLOW_UP = re.compile(r"^(?:那么?|那其中|其中|还有|另外|那这|and|what about|how about|so|also|then)\b|呢[？?]?$|"
                       r"^(?:and|what about|how about)\s|\b(?:of (?:it|that|this|them)|that year|the same year)\b",
                       re.I)
SHORT_QUESTION = 16       # characters: "去年呢？", "and in 2022?" say too little to search alone


def is_follow_up(question: str) -> bool:
    text = question.strip()
    return bool(FOLLOW_UP.search(text)) or len(text) <= SHORT_QUESTION


def last_user_turn(history: list[dict] | None) -> str:
    for turn in reversed(history or []):
        if isinstance(turn, dict) and turn.get("role") == "user" and str(turn.get("content") or "").strip():
            return str(turn["content"]).strip()
    return ""


def contextual_query(question: str, history: list[dict] | None, split, sort) -> str:
    """The text to search for: the question alone, or with the earlier user question when it is a
    follow-up that leans on it. split(text) -> (content, selector words) tells which words pick a
    document; sort(word) says what a selector names (year, place, org, scope). The follow-up's own
    selectors replace the earlier ones of their sort, so "那漳州呢？" after a Jiangmen question
    searches Zhangzhou only."""
    earlier = last_user_turn(history)
    if not earlier or not is_follow_up(question):
        return question
    earlier_content, earlier_selectors = split(earlier)
    said = {sort(w) for w in split(question)[1]}
    kept = [w for w in earlier_selectors if sort(w) not in said]
    return " ".join([*kept, earlier_content.strip(), question.strip()])
