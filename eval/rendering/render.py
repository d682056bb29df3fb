"""Render the corpus's text documents to .pdf, .xlsx and .docx (gold = the text parser's facts).

PDF and DOCX keep a table the text printed without cell boundaries as its text lines (the text layer
of a borderless table); a spreadsheet has cells by nature, so XLSX renders such a table from its
parsed rows and columns."""
from __future__ import annotations

import sys
from pathlib import Path

from corpus.loader import load_document
from corpus.parse import parse_document
from eval.rendering.blocks import document_blocks, parsed_blocks

FORMATS = (".pdf", ".xlsx", ".docx")


def render_document(text_path: Path, suffix: str) -> bytes:
    doc = load_document(text_path)
    if suffix == ".pdf":
        from eval.rendering.pdf import render_pdf
        return render_pdf(document_blocks(doc), title=doc.meta.title)
    if suffix == ".docx":
        from eval.rendering.docx import render_docx
        return render_docx(document_blocks(doc))
    if suffix == ".xlsx":
        from eval.rendering.xlsx import render_xlsx
        return render_xlsx(parsed_blocks(parse_document(doc)))
    raise ValueError(f"cannot render {suffix}")


def render_corpus(corpus_dir: Path, out_dir: Path, formats=FORMATS, pattern: str = "*.txt") -> list[Path]:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for text_path in sorted(Path(corpus_dir).glob(pattern)):
        for suffix in formats:
            target = out_dir / f"{text_path.stem}{suffix}"
            target.write_bytes(render_document(text_path, suffix))
            written.append(target)
    return written


def main(argv: list[str]) -> int:
    """python -m eval.rendering.render OUT_DIR [CORPUS_DIR] [.pdf,.xlsx,.docx]"""
    if not argv:
        print(main.__doc__, file=sys.stderr)
        return 2
    corpus_dir = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parents[2] / "corpus"
    formats = tuple(argv[2].split(",")) if len(argv) > 2 else FORMATS
    for path in render_corpus(corpus_dir, Path(argv[0]), formats):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
