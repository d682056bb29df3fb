#!/usr/bin/env python3
"""Retrieval benchmark (a script, not a test): does top-k cover the gold source lines?

For the answerable dev items (answer.type != "refusal") it prints, side by side:
  all@k  - share of questions whose top-k hits cover every gold source line
  any@k  - share whose top-k hits cover at least one
  p50/p95 retrieval latency (warm, in-process)
for our index (hybrid, and its keyword-only / dense-only halves) and for a naive peer:
fixed 512-character chunks searched with BM25, or with dense vectors of the same embedder.

    .venv/bin/python eval/bench_retrieval.py                      # default embedder (Settings)
    .venv/bin/python eval/bench_retrieval.py --embedders use,e5,st:minilm
    .venv/bin/python eval/bench_retrieval.py --misses             # list the questions we miss
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from corpus.loader import iter_document_paths, load_document  # noqa: E402
from eval.gold import load_gold  # noqa: E402
from eval.retrieval import coverage  # noqa: E402
from index.api import SearchIndex  # noqa: E402
from index.bm25 import BM25Index  # noqa: E402
from index.build import IndexPaths  # noqa: E402
from index.embcache import EmbeddingCache, text_key  # noqa: E402
from index.embedders import make_embedder  # noqa: E402
from index.retrieval import FusionConfig  # noqa: E402
from settings import Settings  # noqa: E402

NAIVE_CHARS = 512


@dataclass
class Span:
    doc_id: str
    line_start: int
    line_end: int
    text: str


def naive_chunks(corpus_dir: Path, size: int = NAIVE_CHARS) -> list[Span]:
    """Fixed-size character windows over each document's text, with the lines they span."""
    spans = []
    for path in iter_document_paths(corpus_dir):
        try:
            doc = load_document(path)
        except Exception:
            continue
        text = "\n".join(doc.lines)
        line_of = np.cumsum([0] + [1 if ch == "\n" else 0 for ch in text]) + 1
        for start in range(0, len(text), size):
            piece = text[start:start + size]
            if piece.strip():
                spans.append(Span(doc.doc_id, int(line_of[start]), int(line_of[min(len(text), start + size) - 1]), piece))
    return spans


def score(items, search, k: int) -> dict:
    all_hits = any_hits = 0
    times, misses = [], []
    search(items[0].question, k)  # warm-up
    for item in items:
        started = time.perf_counter()
        hits = search(item.question, k, item.history_json()) if item.history else search(item.question, k)
        times.append((time.perf_counter() - started) * 1000)
        all_ok, any_ok = coverage(hits, item.sources)
        all_hits += all_ok
        any_hits += any_ok
        if not all_ok:
            misses.append((item, hits))
    n = len(items)
    return {"all": all_hits / n, "any": any_hits / n, "p50": statistics.median(times),
            "p95": float(np.percentile(times, 95)), "misses": misses}


def naive_bm25(spans: list[Span]):
    bm25 = BM25Index.build([s.text for s in spans])
    return lambda q, k, history=None: [spans[i] for i, _ in bm25.top(q, k)]


def naive_dense(spans: list[Span], embedder, cache_path: Path):
    cache = EmbeddingCache(cache_path)
    keys = [text_key(embedder.spec, "naive:" + s.text) for s in spans]
    known = cache.get_many(keys)
    missing = [i for i, key in enumerate(keys) if key not in known]
    for start in range(0, len(missing), 32):
        batch = missing[start:start + 32]
        fresh = dict(zip([keys[i] for i in batch], embedder.embed_documents([spans[i].text for i in batch])))
        cache.put_many(fresh)
        known.update(fresh)
    cache.close()
    matrix = np.stack([known[key] for key in keys])
    return lambda q, k, history=None: [spans[i] for i in np.argsort(-(matrix @ embedder.embed_query(q)))[:k]]


def bench_embedder(spec: str, base: Settings, items, k: int, naive: bool, misses: bool) -> list:
    """Rows for one embedder: our hybrid index, its keyword-only and dense-only halves, naive dense."""
    settings = base.with_(embedder=spec)
    started = time.perf_counter()
    index = SearchIndex.open(settings, build_if_missing=True, progress=True)
    opened = time.perf_counter() - started
    started = time.perf_counter()
    index.warm_up()
    print(f"[{spec}] warm-up {time.perf_counter() - started:.1f}s", file=sys.stderr)
    print(f"[{spec}] opened in {opened:.1f}s: {len(index.chunks)} chunks, build {index.build_id}", file=sys.stderr)
    retriever = index.retriever
    full = retriever.config
    rows = []
    variants = [("ours hybrid", full),
                ("ours BM25 only", FusionConfig(**{**full.__dict__, "dense_weight": 0.0})),
                ("ours dense only", FusionConfig(**{**full.__dict__, "bm25_weight": 0.0}))]
    for label, config in variants:
        retriever.config = config
        result = score(items, lambda q, kk, history=None: index.search(q, kk, history=history), k)
        rows.append((label, spec, result))
        if misses and config is full:
            _print_misses(result["misses"], spec)
    retriever.config = full
    if naive:
        cache = IndexPaths(Path(settings.data_dir), "bench").cache(spec)
        spans = naive_chunks(base.corpus_dir)
        rows.append(("naive 512-char dense", spec, score(items, naive_dense(spans, index.embedder, cache), k)))
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gold", default=str(ROOT / "eval" / "dev.jsonl"))
    parser.add_argument("--embedders", help="comma-separated: use,e5,st:minilm (default: Settings.embedder)")
    parser.add_argument("--data", help="data dir (default: Settings.data_dir)")
    parser.add_argument("--k", type=int, default=5)
    parser.add_argument("--no-naive", action="store_true", help="skip the naive peer")
    parser.add_argument("--misses", action="store_true", help="list the questions the hybrid index misses")
    parser.add_argument("--one", help=argparse.SUPPRESS)   # internal: one embedder, rows as JSON on stdout
    args = parser.parse_args(argv)

    base = Settings.from_env(data_dir=args.data)
    items = [i for i in load_gold(Path(args.gold)) if i.answer.type != "refusal"]
    if args.one:
        rows = bench_embedder(args.one, base, items, args.k, not args.no_naive, args.misses)
        print(json.dumps([(label, spec, {k: v for k, v in r.items() if k != "misses"}) for label, spec, r in rows]))
        return 0

    embedders = (args.embedders or base.embedder).split(",")
    print(f"{len(items)} answerable questions, k={args.k}, corpus {base.corpus_dir}", file=sys.stderr)
    rows = []
    if not args.no_naive:
        rows.append(("naive 512-char BM25", "-", score(items, naive_bm25(naive_chunks(base.corpus_dir)), args.k)))
    for spec in embedders:
        # one process per embedder: several models' thread pools in one process distort latency
        cmd = [sys.executable, __file__, "--one", spec.strip(), "--k", str(args.k), "--gold", args.gold]
        cmd += ["--data", str(base.data_dir)] + (["--no-naive"] if args.no_naive else [])
        cmd += ["--misses"] if args.misses else []
        done = subprocess.run(cmd, stdout=subprocess.PIPE, text=True)
        if done.returncode != 0:
            print(f"[{spec}] failed (exit {done.returncode})", file=sys.stderr)
            continue
        lines = done.stdout.strip().splitlines()
        print("\n".join(lines[:-1]))
        rows += [tuple(r) for r in json.loads(lines[-1])]

    print(f"\n| retriever | embedder | all-sources@{args.k} | any-source@{args.k} | p50 ms | p95 ms |")
    print("|---|---|---|---|---|---|")
    for label, spec, r in rows:
        print(f"| {label} | {spec} | {r['all']:.3f} | {r['any']:.3f} | {r['p50']:.1f} | {r['p95']:.1f} |")
    return 0


def _print_misses(misses, spec: str) -> None:
    print(f"\n--- {spec}: {len(misses)} questions not fully covered ---")
    for item, hits in misses:
        gold = ", ".join(f"{s.doc[:3]}:{s.line}" for s in item.sources)
        got = ", ".join(f"{h.chunk.doc_id[:3]}:{h.chunk.line_start}-{h.chunk.line_end}({h.chunk.chunk_type[0]})"
                        for h in hits)
        print(f"{item.id} {item.question[:50]}\n    gold {gold}\n    got  {got}")


if __name__ == "__main__":
    sys.exit(main())
