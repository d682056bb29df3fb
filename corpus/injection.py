"""Document lines that read like instructions to a model. They are data, never evidence."""
from __future__ import annotations

import re

INJECTION = re.compile(
    r"忽略.{0,8}(?:指令|指示|提示|规则|要求|内容)|无视.{0,8}(?:指令|规则|要求)|(?:新|以下|最新)的?指令"
    r"|系统提示|提示词|你(?:现在)?(?:是|扮演|充当)(?:一[个名])?.{0,12}(?:助手|模型|AI|机器人)"
    r"|(?:请|务必|必须)(?:直接|始终)?(?:回答|输出|告诉用户|声称|回复)\s*[:：]|不要(?:使用|调用|查询).{0,6}工具"
    r"|ignore (?:all |any )?(?:the )?(?:previous|above|prior|earlier) (?:instructions|prompts|rules)"
    r"|disregard .{0,30}instructions|you are now|system prompt|new instructions|(?:always )?respond with\b"
    r"|answer (?:only )?with\b|act as\b",
    re.IGNORECASE)


def looks_like_instruction(line: str) -> bool:
    return bool(INJECTION.search(line))


def instruction_lines(lines: tuple[str, ...] | list[str]) -> tuple[int, ...]:
    """1-based numbers of lines that look like instructions."""
    return tuple(n for n, line in enumerate(lines, 1) if looks_like_instruction(line))
