"""How long the seeds take to index as text and as PDF: prints both times and their ratio.

    python -m eval.bench_formats [--format .pdf] [--cold] [--repeat 1]

Each build is `budget-qa index` in a fresh process over its own corpus folder and its own data folder.
warm: the data folder starts with the text index's embedding caches (only text the rendering changed is
embedded), so the times are reading, parsing, chunking and storing. --cold adds builds from empty data
folders, every passage embedded, as a first `budget-qa index` does. Parsing alone is timed in-process."""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from settings import ROOT, Settings

from eval.format_parity import render_corpus_to, seed_data_dir


def parse_seconds(corpus: Path) -> float:
    from corpus.loader import iter_document_paths, load_document
    from corpus.parse import parse_document
    started = time.perf_counter()
    for path in iter_document_paths(corpus):
        parse_document(load_document(path))
    return time.perf_counter() - started


def index_seconds(corpus: Path, data: Path) -> float:
    """Wall time of `budget-qa index` over corpus into data (raises when the build fails)."""
    command = [sys.executable, str(ROOT / "cli.py"), "index", "--corpus", str(corpus), "--data", str(data)]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"budget-qa index over {corpus} failed:\n{done.stderr[-2000:]}")
    return seconds


def _row(label: str, text: float, other: float, name: str) -> str:
    return f"{label:<28} text {text:7.1f} s   {name} {other:7.1f} s   ratio {other / text:.2f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.bench_formats", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--format", dest="suffix", default=".pdf", choices=[".pdf", ".xlsx", ".docx"])
    parser.add_argument("--cold", action="store_true", help="also build from empty data folders (embeds everything)")
    parser.add_argument("--repeat", type=int, default=1, help="builds per case, interleaved; the fastest is printed")
    args = parser.parse_args(argv)

    settings = Settings.from_env()
    name = args.suffix.lstrip(".")
    with tempfile.TemporaryDirectory(prefix="budgetqa-bench-") as tmp:
        work = Path(tmp)
        corpus = {"text": settings.corpus_dir, name: render_corpus_to(settings.corpus_dir, work / "corpus", args.suffix)}
        if not any(Path(settings.data_dir).glob("embeddings-*.sqlite")):
            print(f"building the text index in {settings.data_dir} first (for its embedding caches)", file=sys.stderr)
            index_seconds(settings.corpus_dir, settings.data_dir)
        print(f"seeds in {settings.corpus_dir} as text and as {name} (rendered by eval.rendering)")
        parsed: dict[str, list[float]] = {k: [] for k in corpus}
        for _ in range(args.repeat):             # interleaved, so a busy spell on the machine hits both
            for label, folder in corpus.items():
                parsed[label].append(parse_seconds(folder))
        print(_row("read + parse (in-process)", min(parsed["text"]), min(parsed[name]), name))
        for mode in ["warm"] + (["cold"] if args.cold else []):
            times: dict[str, list[float]] = {k: [] for k in corpus}
            for n in range(args.repeat):
                for label, folder in corpus.items():
                    data = work / f"data-{mode}-{label}-{n}"
                    if mode == "warm":
                        seed_data_dir(settings.data_dir, data)
                    times[label].append(index_seconds(folder, data))
            caption = "budget-qa index, warm caches" if mode == "warm" else "budget-qa index, cold"
            print(_row(caption, min(times["text"]), min(times[name]), name))
    return 0


if __name__ == "__main__":
    sys.exit(main())
