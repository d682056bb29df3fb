"""One reader per file type; every reader is a pure function (name, bytes) -> Layout."""
from __future__ import annotations

from collections.abc import Callable

from corpus.formats.base import Layout
from corpus.formats.docx import read_docx
from corpus.formats.pdf import read_pdf
from corpus.formats.text import read_text
from corpus.formats.xlsx import read_xlsx

Reader = Callable[[str, bytes], Layout]

READERS: dict[str, Reader] = {".txt": read_text, ".pdf": read_pdf, ".xlsx": read_xlsx, ".docx": read_docx}
SUPPORTED_SUFFIXES = tuple(READERS)
