"""`budget-qa ask`: one question printed readably, or JSON lines for a batch on stdin."""
from __future__ import annotations

import json
import sys
from typing import TextIO

from assistant.model import Answer


def run_ask(settings, question: str, as_json: bool = False, stdin: TextIO | None = None,
            stdout: TextIO | None = None) -> int:
    """question "-" reads requests from stdin, one per line: plain text or
    {"id": ..., "question": ..., "history": [...]}; prints one JSON line per request."""
    from assistant.service import Assistant
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    assistant = Assistant.from_settings(settings)
    if question == "-":
        failures = 0
        for n, raw in enumerate(stdin, 1):
            line = raw.strip()
            if not line:
                continue
            req_id, text, history, filters = _request(line, n)
            try:
                answer = assistant.ask(text, history, filters)
                record = {"id": req_id, "question": text, **answer.to_json()}
            except Exception as exc:           # one bad request never stops the batch
                failures += 1
                record = {"id": req_id, "question": text, "answer": "", "value": None, "unit": None,
                          "calculation": None, "refusal": True, "citations": [],
                          "error": f"{type(exc).__name__}: {exc}"}
            stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
            stdout.flush()
        return 1 if failures else 0
    answer = assistant.ask(question)
    if as_json:
        stdout.write(json.dumps({"id": None, "question": question, **answer.to_json()}, ensure_ascii=False) + "\n")
    else:
        stdout.write(render(answer) + "\n")
    return 0


def _request(line: str, n: int) -> tuple[object, str, list[dict] | None, dict | None]:
    if line.startswith("{"):
        try:
            obj = json.loads(line)
        except json.JSONDecodeError:
            return n, line, None, None
        if isinstance(obj, dict):
            history = obj.get("history") if isinstance(obj.get("history"), list) else None
            filters = obj.get("filters") if isinstance(obj.get("filters"), dict) else None
            return obj.get("id", n), str(obj.get("question", "")), history, filters
    return n, line, None, None


def render(answer: Answer) -> str:
    """The answer text, the calculation and numbered citations, for a terminal."""
    lines = [answer.text]
    shown = [c.shown for c in answer.all_calculations() if c.shown]
    if shown:
        lines.append("\n" + "\n".join(f"计算 / calculation: {s}" for s in shown))
    if answer.citations:
        lines.append("\n出处 / sources:")
        for i, c in enumerate(answer.citations, 1):
            where = f"{c.table}" + (f" · {c.column}" if c.column else "")
            value = f" = {c.value} {c.unit or ''}" if c.value is not None else ""
            lines.append(f"[{i}] {c.doc} 第{c.line}行 · {c.org} {c.year} {c.kind} · {where} · {c.row}{value}")
            lines.append(f"     “{c.quote.strip()[:160]}”")
    return "\n".join(lines)


def warm_embeddings(settings, out: TextIO | None = None, embedder=None) -> int:
    """After `budget-qa index`: embed the row labels and the dense fact descriptors now (cached under the
    data dir), so the first question does not pay for them."""
    import time
    from assistant.knowledge import Knowledge
    out = out or sys.stderr
    start = time.perf_counter()
    kb = Knowledge.from_settings(settings, log=lambda m: print(m, file=out), embedder=embedder)
    dense = kb.descriptors.matrix.shape[0] if kb.descriptors is not None else 0
    print(f"assistant embeddings ready: {dense} fact descriptors, "
          f"{len(kb.semantic.texts) if kb.semantic is not None else 0} labels, {time.perf_counter() - start:.1f}s",
          file=out)
    return 0
