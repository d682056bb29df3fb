"""Plain text: detect UTF-8 vs GB18030/GBK, reject binary or empty input clearly."""
from __future__ import annotations

from corpus.formats.base import DocumentError, Layout


def decode_text(data: bytes, name: str = "<bytes>") -> tuple[str, str]:
    """Return (text, encoding). Tries UTF-8 (with BOM) first, then GB18030 (a superset of GBK)."""
    if not data.strip():
        raise DocumentError(f"{name}: the file is empty")
    if b"\x00" in data[:8192]:
        raise DocumentError(f"{name}: looks like a binary file (NUL bytes), not text")
    candidates = []
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            candidates.append((_plausibility(text), -len(candidates), text, encoding))
    if not candidates:
        raise DocumentError(f"{name}: cannot decode as UTF-8 or GB18030/GBK text")
    _, _, text, encoding = max(candidates)
    return text, "utf-8" if encoding == "utf-8-sig" else encoding


def _looks_like_text(text: str) -> bool:
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
    return controls <= max(2, len(text) // 1000)


def _plausibility(text: str) -> float:
    """Share of characters a Chinese document is made of; GBK bytes misread as UTF-8 score low."""
    common = sum(1 for ch in text if ch.isascii() or "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f"
                 or "\uff00" <= ch <= "\uffef")
    return common / max(len(text), 1)


def read_text(name: str, data: bytes) -> Layout:
    text, encoding = decode_text(data, name)
    lines = tuple(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    return Layout(lines, encoding=encoding)
