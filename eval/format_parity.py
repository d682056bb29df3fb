"""A gold set asked over the corpus as text and over the same documents rendered to PDF (or XLSX/DOCX)
only, each with its own index, and the two answered-and-cited figures side by side.

    python -m eval.format_parity [--format .pdf] [--set eval/dev.jsonl] [--work DIR] [--limit N]

The rendered corpus keeps each seed's stem (000_x.txt -> 000_x.pdf); the grader counts a citation of
000_x.pdf as one of 000_x.txt when its quote contains the gold quote (the PDF's line numbers are its own).
The rendered corpus gets its own data folder; the text index's embedding caches are copied into it, so
only text the rendering changed is embedded again. Exit 1 when the two figures differ by more than
--tolerance (0.02)."""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from settings import ROOT, Settings


@dataclass(frozen=True)
class Side:
    label: str
    n: int
    answered_and_cited: float
    accuracy: float
    cited: float
    seconds: float
    failed: tuple[str, ...]      # ids not answered-and-cited


def render_corpus_to(corpus_dir: Path, out: Path, suffix: str, pattern: str = "*.txt") -> Path:
    from eval.rendering.render import render_corpus
    render_corpus(corpus_dir, out, (suffix,), pattern)
    return out


def seed_data_dir(source: Path, target: Path) -> Path:
    """A fresh data folder holding source's embedding caches (vectors are keyed by text)."""
    target.mkdir(parents=True, exist_ok=True)
    for cache in Path(source).glob("embeddings-*.sqlite"):
        shutil.copy(cache, target / cache.name)
    if (Path(source) / "semantic").is_dir() and not (target / "semantic").exists():
        shutil.copytree(Path(source) / "semantic", target / "semantic")
    return target


def ask_all(label: str, settings: Settings, gold_set: Path, limit: int | None = None) -> Side:
    from index.api import SearchIndex

    from assistant.service import Assistant
    from eval.gold import load_gold
    from eval.metrics import compute
    from eval.runner import run_items

    items = load_gold(gold_set)[:limit] if limit else load_gold(gold_set)
    settings = settings.with_(llm="builtin")
    started = time.perf_counter()
    index = SearchIndex.open(settings, build_if_missing=True, progress=False)
    records = run_items(items, Assistant.from_settings(settings, index=index), progress=False)
    metrics = compute(records)
    return Side(label, metrics.n, metrics.answered_and_cited, metrics.accuracy, metrics.cited,
                time.perf_counter() - started, tuple(r.id for r in records if not r.grade.answered_and_cited))


def format_sides(text: Side, other: Side) -> str:
    lines = [f"{s.label:>6}: answered-and-cited {s.answered_and_cited:.4f} ({round(s.answered_and_cited * s.n)}/{s.n})"
             f"  accuracy {s.accuracy:.4f}  cited {s.cited:.4f}  ({s.seconds:.0f} s)" for s in (text, other)]
    lines.append(f"difference ({other.label} - {text.label}): {other.answered_and_cited - text.answered_and_cited:+.4f}")
    only_text = sorted(set(other.failed) - set(text.failed))
    only_other = sorted(set(text.failed) - set(other.failed))
    if only_text:
        lines.append(f"right over {text.label} only: {', '.join(only_text)}")
    if only_other:
        lines.append(f"right over {other.label} only: {', '.join(only_other)}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.format_parity", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--format", dest="suffix", default=".pdf", choices=[".pdf", ".xlsx", ".docx"])
    parser.add_argument("--set", type=Path, default=ROOT / "eval" / "dev.jsonl")
    parser.add_argument("--work", type=Path, help="folder for the rendered corpus and its index (default: a temp dir)")
    parser.add_argument("--limit", type=int, help="only the first N items")
    parser.add_argument("--tolerance", type=float, default=0.02)
    args = parser.parse_args(argv)

    settings = Settings.from_env()
    work = args.work or Path(tempfile.mkdtemp(prefix="budgetqa-parity-"))
    name = args.suffix.lstrip(".")
    corpus = render_corpus_to(settings.corpus_dir, work / f"corpus-{name}", args.suffix)
    data = seed_data_dir(settings.data_dir, work / f"data-{name}")
    print(f"rendered {len(list(corpus.glob('*' + args.suffix)))} documents to {corpus}; index in {data}", file=sys.stderr)
    text = ask_all("text", settings, args.set, args.limit)
    other = ask_all(name, settings.with_(corpus_dir=corpus, data_dir=data), args.set, args.limit)
    print(f"{args.set.name} over the corpus as text and as {name} only")
    print(format_sides(text, other))
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if abs(other.answered_and_cited - text.answered_and_cited) <= args.tolerance else 1


if __name__ == "__main__":
    sys.exit(main())
