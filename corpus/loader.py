"""Read document files of any supported type (.txt, .pdf, .xlsx, .docx) into a Document."""
from __future__ import annotations

import hashlib
from pathlib import Path

from corpus.formats.base import DocumentError
from corpus.formats.registry import READERS, SUPPORTED_SUFFIXES
from corpus.formats.text import decode_text
from corpus.metadata import detect_metadata
from corpus.model import Document

__all__ = ["DocumentError", "SUPPORTED_SUFFIXES", "MAX_BYTES", "decode_text", "load_document",
           "document_from_bytes", "iter_document_paths"]

MAX_BYTES = 50 * 1024 * 1024


def load_document(path: Path) -> Document:
    path = Path(path)
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise DocumentError(f"{path.name}: unsupported file type {path.suffix or '(none)'}; "
                            f"expected {', '.join(SUPPORTED_SUFFIXES)}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(f"{path.name}: cannot read ({exc.strerror})") from exc
    return document_from_bytes(path.name, data)


def document_from_bytes(name: str, data: bytes) -> Document:
    if len(data) > MAX_BYTES:
        raise DocumentError(f"{name}: {len(data)} bytes is over the {MAX_BYTES // (1024 * 1024)} MiB limit")
    reader = READERS.get(Path(name).suffix.lower(), READERS[".txt"])
    layout = reader(name, data)
    meta = detect_metadata(layout.lines, name)
    return Document(doc_id=name, lines=layout.lines, meta=meta, sha256=hashlib.sha256(data).hexdigest(),
                    encoding=layout.encoding, locations=layout.locations)


def iter_document_paths(folder: Path) -> list[Path]:
    return sorted(p for p in Path(folder).iterdir()
                  if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES and not p.name.startswith("."))
