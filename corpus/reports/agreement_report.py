"""`budget-qa facts --report FILE...`: per file of another format, agreement with the text parser's
reading of the corpus document with the same stem (000_x.pdf -> <corpus>/000_x.txt)."""
from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TextIO

from corpus.reports.agreement import Agreement, compare, format_agreement
from corpus.loader import DocumentError, load_document
from corpus.metadata import MetadataError
from corpus.parse import parse_document


def agreement_for(path: Path, corpus_dir: Path) -> Agreement:
    text = Path(corpus_dir) / f"{Path(path).stem}.txt"
    if not text.is_file():
        raise DocumentError(f"{Path(path).name}: no text document {text.name} in {corpus_dir} to compare with")
    return compare(parse_document(load_document(text)), parse_document(load_document(path)))


def run_agreement(files: list[str], corpus_dir: Path, out: TextIO = sys.stdout, threshold: float = 0.99) -> int:
    """Exit 0 when every file reaches the threshold share and every table's checks agree."""
    results, failed = [], False
    for name in files:
        started = time.perf_counter()
        try:
            result = agreement_for(Path(name), corpus_dir)
        except (DocumentError, MetadataError, OSError) as exc:
            out.write(f"ERROR {exc}\n")
            failed = True
            continue
        results.append(result)
        out.write(format_agreement([result]) + f"  ({time.perf_counter() - started:.1f} s)\n")
        failed |= result.share < threshold or not result.checks_ok
    if results:
        gold, found = sum(r.gold for r in results), sum(r.found for r in results)
        tables, agree = sum(r.tables for r in results), sum(r.checks_agree for r in results)
        out.write(f"total: facts {found}/{gold} = {found / max(gold, 1):.4f}  checks agree {agree}/{tables}\n")
    return 1 if failed or not results else 0
