"""Read document files: detect UTF-8 vs GB18030/GBK, reject binary or empty input clearly."""
from __future__ import annotations

import hashlib
from pathlib import Path

from corpus.metadata import detect_metadata
from corpus.model import Document

SUPPORTED_SUFFIXES = (".txt",)
MAX_BYTES = 50 * 1024 * 1024


class DocumentError(ValueError):
    """A document that cannot be read; the message names the file."""


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


def load_document(path: Path) -> Document:
    path = Path(path)
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise DocumentError(f"{path.name}: unsupported file type {path.suffix or '(none)'}; expected .txt")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(f"{path.name}: cannot read ({exc.strerror})") from exc
    return document_from_bytes(path.name, data)


def document_from_bytes(name: str, data: bytes) -> Document:
    if len(data) > MAX_BYTES:
        raise DocumentError(f"{name}: {len(data)} bytes is over the {MAX_BYTES // (1024 * 1024)} MiB limit")
    text, encoding = decode_text(data, name)
    lines = tuple(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    meta = detect_metadata(lines, name)
    return Document(doc_id=name, lines=lines, meta=meta,
                    sha256=hashlib.sha256(data).hexdigest(), encoding=encoding)


def iter_document_paths(folder: Path) -> list[Path]:
    return sorted(p for p in Path(folder).iterdir()
                  if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES and not p.name.startswith("."))
