#!/usr/bin/env python3
"""Retrieval benchmark (a script, not a test): does top-k cover the gold source lines?

For the answerable items (answer.type != "refusal") of each set it prints, in one table:
  all@k  - share of questions whose top-k hits cover every gold source line
  any@k  - share whose top-k hits cover at least one
  MRR    - mean reciprocal rank (top 10) of the first hit covering a gold line
  p50/p95 retrieval latency (warm, in-process), and with --fresh the first build from an empty data dir
for our index (hybrid, and its keyword-only / dense-only halves), the answer-guided search
(assistant/guided.py) and a naive peer: fixed 512-character chunks searched with BM25, or dense.

    .venv/bin/python eval/bench_retrieval.py                      # default embedder (Settings), five sets
    .venv/bin/python eval/bench_retrieval.py --embedders use,e5 --fresh   # with first-build time from empty
    .venv/bin/python eval/bench_retrieval.py --sets dev,probe --misses    # list the questions we miss
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


def score(items, search, k: int, depth: int = 10) -> dict:
    """all-sources@k, any-source@k, MRR@depth (rank of the first hit covering a gold line) and latency."""
    all_hits = any_hits = 0
    reciprocal = 0.0
    times, misses = [], []
    search(items[0].question, depth)  # warm-up
    for item in items:
        started = time.perf_counter()
        hits = search(item.question, depth, item.history_json()) if item.history else search(item.question, depth)
        times.append((time.perf_counter() - started) * 1000)
        all_ok, any_ok = coverage(hits[:k], item.sources)
        all_hits += all_ok
        any_hits += any_ok
        rank = next((r for r, h in enumerate(hits, 1) if coverage([h], item.sources)[1]), None)
        reciprocal += 1 / rank if rank else 0.0
        if not all_ok:
            misses.append((item, hits[:k]))
    n = len(items)
    return {"all": all_hits / n, "any": any_hits / n, "mrr": reciprocal / n, "n": n,
            "p50": statistics.median(times), "p95": float(np.percentile(times, 95)), "misses": misses}


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


def fresh_build(settings) -> dict:
    """Build the index and the assistant's label and descriptor embeddings from an empty data dir, timed
    together (model load included): what a user's first `budget-qa index` costs."""
    from assistant.knowledge import Knowledge
    from index.build import build_index
    started = time.perf_counter()
    embedder = make_embedder(settings.embedder)
    report = build_index(settings, progress=False, embedder=embedder, log=lambda m: None)
    Knowledge.from_settings(settings, log=lambda m: None, embedder=embedder)
    seconds = time.perf_counter() - started
    return {"build_s": seconds, "chunks": report.chunks, "chunks_per_s": report.chunks / seconds}


def bench_embedder(spec: str, base: Settings, sets: dict, k: int, naive: bool, misses: bool, fresh: bool,
                   guided: bool) -> tuple[dict, list]:
    """(build figures, rows) for one embedder: our hybrid index, its keyword-only and dense-only halves,
    the answer-guided search, naive dense; each row holds a result per gold set."""
    settings = base.with_(embedder=spec)
    build = {}
    if fresh:
        import tempfile
        settings = settings.with_(data_dir=Path(tempfile.mkdtemp(prefix="bench-retrieval-")))
        build = fresh_build(settings)
        print(f"[{spec}] first build from empty: {build['build_s']:.1f}s, {build['chunks']} chunks, "
              f"{build['chunks_per_s']:.0f} chunks/s", file=sys.stderr)
    index = SearchIndex.open(settings, build_if_missing=True, progress=True)
    index.warm_up()
    retriever = index.retriever
    full = retriever.config
    rows = []
    variants = [("ours hybrid", full),
                ("ours BM25 only", FusionConfig(**{**full.__dict__, "dense_weight": 0.0})),
                ("ours dense only", FusionConfig(**{**full.__dict__, "bm25_weight": 0.0}))]
    for label, config in variants:
        retriever.config = config
        results = {name: score(items, lambda q, kk, history=None: index.search(q, kk, history=history), k)
                   for name, items in sets.items()}
        rows.append((label, spec, results))
        if misses and config is full:
            for name, result in results.items():
                _print_misses(result["misses"], f"{spec} {name}")
    retriever.config = full
    if guided:
        from assistant.guided import GuidedSearch
        from assistant.service import Assistant
        searcher = GuidedSearch(Assistant.from_settings(settings, log=lambda m: None, index=index), index)
        rows.append(("answer-guided (agent's cited rows, then hybrid)", spec,
                     {name: score(items, lambda q, kk, history=None: searcher.search(q, kk, history=history), k)
                      for name, items in sets.items()}))
    if naive:
        cache = IndexPaths(Path(settings.data_dir), "bench").cache(spec)
        spans = naive_chunks(base.corpus_dir)
        search = naive_dense(spans, index.embedder, cache)
        rows.append(("naive 512-char dense", spec, {name: score(items, search, k) for name, items in sets.items()}))
    return build, rows


def load_sets(names: str) -> dict:
    """Answerable items (answer.type != "refusal") of each named set: "dev" is eval/dev.jsonl."""
    sets = {}
    for name in names.split(","):
        path = Path(name) if name.endswith(".jsonl") else ROOT / "eval" / f"{name.strip()}.jsonl"
        sets[path.stem] = [i for i in load_gold(path) if i.answer.type != "refusal"]
    return sets


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", default="dev,paraphrase,probe,blind,blind2",
                        help="comma-separated set names under eval/ or .jsonl paths")
    parser.add_argument("--embedders", help="comma-separated: use,e5,st:minilm (default: Settings.embedder)")
    parser.add_argument("--data", help="data dir (default: Settings.data_dir)")
    parser.add_argument("--k", type=int, default=5)
    parser.add_argument("--fresh", action="store_true",
                        help="time a first build from an empty data dir (index + assistant embeddings)")
    parser.add_argument("--no-guided", action="store_true", help="skip the answer-guided row")
    parser.add_argument("--no-naive", action="store_true", help="skip the naive peer")
    parser.add_argument("--misses", action="store_true", help="list the questions the hybrid index misses")
    parser.add_argument("--one", help=argparse.SUPPRESS)   # internal: one embedder, rows as JSON on stdout
    args = parser.parse_args(argv)

    base = Settings.from_env(data_dir=args.data)
    sets = load_sets(args.sets)
    strip = lambda results: {n: {k: v for k, v in r.items() if k != "misses"} for n, r in results.items()}  # noqa: E731
    if args.one:
        build, rows = bench_embedder(args.one, base, sets, args.k, not args.no_naive, args.misses, args.fresh,
                                     not args.no_guided)
        print(json.dumps({"build": build, "rows": [(label, spec, strip(r)) for label, spec, r in rows]}))
        return 0

    embedders = (args.embedders or base.embedder).split(",")
    print(f"sets: {', '.join(f'{n} ({len(i)})' for n, i in sets.items())}; k={args.k}", file=sys.stderr)
    rows, builds = [], {}
    if not args.no_naive:
        spans = naive_chunks(base.corpus_dir)
        search = naive_bm25(spans)
        rows.append(("naive 512-char BM25", "-", strip({n: score(i, search, args.k) for n, i in sets.items()})))
    for spec in embedders:
        # one process per embedder: several models' thread pools in one process distort latency
        cmd = [sys.executable, __file__, "--one", spec.strip(), "--k", str(args.k), "--sets", args.sets]
        cmd += ["--data", str(base.data_dir)] + (["--no-naive"] if args.no_naive else [])
        cmd += (["--misses"] if args.misses else []) + (["--fresh"] if args.fresh else [])
        cmd += ["--no-guided"] if args.no_guided else []
        done = subprocess.run(cmd, stdout=subprocess.PIPE, text=True)
        if done.returncode != 0:
            print(f"[{spec}] failed (exit {done.returncode})", file=sys.stderr)
            continue
        lines = done.stdout.strip().splitlines()
        print("\n".join(lines[:-1]))
        result = json.loads(lines[-1])
        builds[spec] = result["build"]
        rows += [tuple(r) for r in result["rows"]]
    print_table(rows, builds, list(sets), args.k)
    return 0


def print_table(rows, builds: dict, names: list[str], k: int) -> None:
    """One markdown table: a row per retriever, per set all-sources@k / any-source@k / MRR, then latency and
    the embedder's first build."""
    head = " | ".join(f"{n} all@{k} / any@{k} / MRR" for n in names)
    print(f"\n| retriever | embedder | {head} | p50 / p95 ms | first build s (chunks/s) |")
    print("|---|---|" + "---|" * len(names) + "---|---|")
    for label, spec, results in rows:
        cells = " | ".join(f"{results[n]['all']:.3f} / {results[n]['any']:.3f} / {results[n]['mrr']:.3f}"
                           for n in names)
        p50 = statistics.median([r["p50"] for r in results.values()])
        p95 = max(r["p95"] for r in results.values())
        b = builds.get(spec) or {}
        built = f"{b['build_s']:.1f} ({b['chunks_per_s']:.0f})" if b and label == "ours hybrid" else ""
        print(f"| {label} | {spec} | {cells} | {p50:.1f} / {p95:.1f} | {built} |")


def _print_misses(misses, spec: str) -> None:
    print(f"\n--- {spec}: {len(misses)} questions not fully covered ---")
    for item, hits in misses:
        gold = ", ".join(f"{s.doc[:3]}:{s.line}" for s in item.sources)
        got = ", ".join(f"{h.chunk.doc_id[:3]}:{h.chunk.line_start}-{h.chunk.line_end}({h.chunk.chunk_type[0]})"
                        for h in hits)
        print(f"{item.id} {item.question[:50]}\n    gold {gold}\n    got  {got}")


if __name__ == "__main__":
    sys.exit(main())
