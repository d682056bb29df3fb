"""Latency benchmark for the assistant (a script, not a test).

    .venv/bin/python -m assistant.bench [questions.jsonl] [--rounds N]

Prints start-up time, then per-question p50 / p95 / max with the index warm (after one pass).
Questions default to eval/dev.jsonl (only the question text and history are used).
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

from settings import ROOT, Settings


def load_questions(path: Path) -> list[tuple[str, list | None]]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith("{"):
            item = json.loads(line)
            out.append((item["question"], item.get("history") or None))
        else:
            out.append((line, None))
    return out


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    k = max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))
    return ordered[k]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("questions", nargs="?", default=str(ROOT / "eval" / "dev.jsonl"))
    parser.add_argument("--rounds", type=int, default=3, help="timed passes after the warm-up pass")
    args = parser.parse_args(argv)
    questions = load_questions(Path(args.questions))

    t0 = time.perf_counter()
    from assistant.service import Assistant
    assistant = Assistant.from_settings(Settings.from_env(), log=lambda m: print(m, file=sys.stderr))
    startup = time.perf_counter() - t0

    t1 = time.perf_counter()
    for q, h in questions:                 # cold pass: what a batch run pays after start-up
        assistant.ask(q, h)
    cold_pass = time.perf_counter() - t1

    timings: list[float] = []
    for _ in range(max(1, args.rounds)):
        for q, h in questions:
            t = time.perf_counter()
            assistant.ask(q, h)
            timings.append(time.perf_counter() - t)

    ms = [x * 1000 for x in timings]
    print(f"questions: {len(questions)}  rounds: {args.rounds}  search index: "
          f"{'on' if assistant.kb.search_fn else 'off'}")
    print(f"start-up: {startup:.2f} s   first pass: {cold_pass:.2f} s   start-up + first pass: {startup + cold_pass:.2f} s")
    print(f"warm latency per question: p50 {percentile(ms, 0.5):.1f} ms   p95 {percentile(ms, 0.95):.1f} ms   "
          f"max {max(ms):.1f} ms   mean {statistics.mean(ms):.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
