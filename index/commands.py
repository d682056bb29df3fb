"""`budget-qa index` and `budget-qa retrieve`."""
from __future__ import annotations

import json
import sys
import time
from typing import IO, Iterator

from index.build import build_index
from index.embedders import EmbedderError
from index.store import IndexUnavailableError


def run_index(settings, rebuild: bool = False, out: IO[str] | None = None, embedder=None) -> int:
    out = out or sys.stdout
    try:
        report = build_index(settings, rebuild=rebuild, progress=True, embedder=embedder)
    except (IndexUnavailableError, EmbedderError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(report.summary(), file=out)
    if report.errors:
        print(f"{len(report.errors)} document(s) skipped — fix or remove them and run `budget-qa index` again:",
              file=sys.stderr)
        for message in report.errors:
            print(f"  {message}", file=sys.stderr)
    return 0 if report.chunks else 1


def _requests(question: str, stdin: IO[str]) -> Iterator[dict]:
    """'-' reads one request per line: plain text, or JSON {"id", "question", optional "k", "filters",
    "history" (earlier turns [{"role", "content"}]: a follow-up is searched with the last user turn)}."""
    if question != "-":
        yield {"id": None, "question": question}
        return
    for number, line in enumerate(stdin, start=1):
        text = line.strip()
        if not text:
            continue
        request = None
        if text.startswith("{"):
            try:
                request = json.loads(text)
            except ValueError:
                request = None
        if not isinstance(request, dict):
            request = {"id": number, "question": text}
        elif not str(request.get("question") or "").strip():
            request = {"id": request.get("id", number), "question": "", "error": "no question in this request"}
        yield request


def run_retrieve(settings, question: str, k: int = 5, as_json: bool = False,
                 stdin: IO[str] | None = None, out: IO[str] | None = None) -> int:
    stdin = stdin or sys.stdin
    out = out or sys.stdout
    from index.api import SearchIndex
    try:
        index = SearchIndex.open(settings, build_if_missing=True, progress=True)
    except (IndexUnavailableError, EmbedderError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    index.warm_up()
    status = 0
    for request in _requests(question, stdin):
        text = str(request.get("question", ""))
        try:
            started = time.perf_counter()
            history = request.get("history") if isinstance(request.get("history"), list) else None
            hits = index.search(text, k=int(request.get("k") or k), filters=request.get("filters"),
                                history=history) if text else []
            ms = (time.perf_counter() - started) * 1000
        except IndexUnavailableError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        if as_json:
            record = {"id": request.get("id"), "question": text, "hits": [h.to_json() for h in hits],
                      "ms": round(ms, 1)}
            if request.get("error"):
                record["error"] = request["error"]
                status = 1
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            out.flush()
        else:
            _print_readable(text, hits, ms, out)
    return status


def _print_readable(question: str, hits, ms: float, out: IO[str]) -> None:
    print(f"Q: {question}   ({len(hits)} hits, {ms:.0f} ms)", file=out)
    for rank, hit in enumerate(hits, start=1):
        c = hit.chunk
        where = f"{c.doc_id} lines {c.line_start}-{c.line_end}" if c.line_end != c.line_start else \
            f"{c.doc_id} line {c.line_start}"
        print(f"\n[{rank}] {hit.score:.4f}  {c.chunk_type}  {where}  {c.table_title or c.heading}", file=out)
        for f in hit.focus[:3]:
            label = f.row_label or f.text.split("\n")[-1][:60]
            print(f"    matched line {f.line_start}{'-' + str(f.line_end) if f.line_end != f.line_start else ''}: "
                  f"{label}", file=out)
        body = c.text.split("\n相关词：")[0]
        for line in body.splitlines()[:12]:
            print(f"    {line[:160]}", file=out)
    print(file=out)
