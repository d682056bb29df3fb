"""`budget-qa eval check|run|report|compare`: gold-set checks, evaluation runs and comparisons."""
from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from settings import ROOT, Settings

DEFAULT_SET = Path("eval/dev.jsonl")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="budget-qa eval", description=__doc__)
    sub = parser.add_subparsers(dest="action", required=True)

    p = sub.add_parser("check", help="validate a gold set against the corpus folder")
    p.add_argument("set", nargs="?", type=Path, default=DEFAULT_SET, help="gold JSONL (default eval/dev.jsonl)")

    p = sub.add_parser("run", help="answer every question in-process, grade, and write a report")
    p.add_argument("--set", dest="set", type=Path, default=DEFAULT_SET, help="gold JSONL (default eval/dev.jsonl)")
    p.add_argument("--agent", choices=["builtin", "llm"], default="builtin",
                   help="builtin rules agent, or the LLM agent configured by BUDGETQA_LLM / --llm")
    p.add_argument("--out", type=Path, help="run folder (default runs/<timestamp>/)")
    p.add_argument("--k", type=int, default=5, help="hits per question for retrieval metrics (default 5)")
    p.add_argument("--no-retrieval", action="store_true", help="skip retrieval metrics")
    p.add_argument("--limit", type=int, help="only the first N items (quick look)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")

    p.add_argument("--cv", type=Path, metavar="WEIGHTS",
                   help="answer each question with the fold weights (from `eval fit`) fit without it")

    p = sub.add_parser("fit", help="fit the fact ranker on gold sets, cross-validated by question")
    p.add_argument("sets", nargs="+", type=Path, help="gold JSONL files (e.g. eval/dev.jsonl eval/paraphrase.jsonl)")
    p.add_argument("--out", type=Path, default=None, help="weights file (default assistant/ranker.json)")
    p.add_argument("--folds", type=int, default=5)

    p = sub.add_parser("report", help="re-grade a recorded run with the current grader and rewrite its report")
    p.add_argument("run", type=Path, help="run folder holding answers.jsonl")

    p = sub.add_parser("compare", help="what got better and worse between two runs, item by item")
    p.add_argument("run_a", type=Path)
    p.add_argument("run_b", type=Path)
    return parser


def _resolve(path: Path) -> Path:
    """A relative path from the working folder, else from the project root."""
    if path.is_absolute() or path.exists():
        return path
    return ROOT / path if (ROOT / path).exists() else path


def _commit() -> str | None:
    try:
        out = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                             capture_output=True, text=True, timeout=5)
        return out.stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        return None


def _default_out() -> Path:
    base = Path("runs") / datetime.now().strftime("%Y%m%d-%H%M%S")
    out, n = base, 1
    while out.exists():
        n += 1
        out = base.with_name(f"{base.name}-{n}")
    return out


def doc_labels(corpus_dir: Path, docs) -> dict[str, str]:
    """'深圳市医疗保险基金管理中心 2024 预算' per document, from each document's own metadata."""
    from corpus.loader import DocumentError, load_document
    labels = {}
    for doc in sorted(set(docs)):
        try:
            meta = load_document(Path(corpus_dir) / doc).meta
        except (DocumentError, OSError, ValueError):
            continue
        scope = f"（{meta.scope}）" if meta.scope else ""
        labels[doc] = f"{meta.org}{scope} {meta.year} {meta.kind}"
    return labels


def cmd_check(settings: Settings, args) -> int:
    from eval.checker import check_set
    from eval.gold import GoldFormatError
    path = _resolve(args.set)
    try:
        report = check_set(path, settings.corpus_dir)
    except GoldFormatError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print("\n".join(report.lines()))
    return 0 if report.ok else 1


def agent_settings(settings: Settings, agent: str) -> Settings:
    if agent == "builtin":
        return settings.with_(llm="builtin")
    if settings.llm == "builtin":
        raise ValueError("--agent llm needs an LLM: set BUDGETQA_LLM=openai|ollama (or --llm) "
                         "and BUDGETQA_LLM_BASE_URL / BUDGETQA_LLM_MODEL")
    return settings


def cmd_run(settings: Settings, args) -> int:
    from eval.gold import GoldFormatError, load_gold
    from eval.metrics import compute
    from eval.records import ANSWERS_FILE, write_records
    from eval.report import summary_text, write_report
    from eval.runner import EvalSetupError, assistant_class, iter_records, load_assistant, load_search_index

    path = _resolve(args.set)
    try:
        items = load_gold(path)
        settings = agent_settings(settings, args.agent)
    except (GoldFormatError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.limit:
        items = items[: args.limit]
    started = datetime.now().isoformat(timespec="seconds")
    t0 = time.perf_counter()
    try:
        assistant_class()
        index = load_search_index(settings)      # built first if missing; the assistant searches it too
        assistant = load_assistant(settings, index)
    except EvalSetupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    load_s = time.perf_counter() - t0
    search = None if args.no_retrieval else index
    before = None
    if args.cv:
        from assistant.ranker import RankerError, load_folds
        try:
            full, by_item = load_folds(_resolve(args.cv))
        except RankerError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        resolver = assistant.builtin.resolver

        def before(item):
            resolver.ranker = by_item.get(item.id, full)
    records, interrupted = [], False
    try:
        for record in iter_records(items, assistant, search, k=args.k, progress=not args.quiet, before=before):
            records.append(record)
    except KeyboardInterrupt:
        interrupted = True
        print(f"\ninterrupted: reporting the {len(records)} items answered so far", file=sys.stderr)
    metrics = compute(records)
    out = args.out or _default_out()
    out.mkdir(parents=True, exist_ok=True)
    write_records(records, out / ANSWERS_FILE)
    meta = {"set": str(args.set), "set_sha256": hashlib.sha256(path.read_bytes()).hexdigest()[:12],
            "items": len(items), "agent": args.agent, "llm": settings.llm, "embedder": settings.embedder,
            "k": args.k, "cv": str(args.cv) if args.cv else None, "started": started, "load_s": round(load_s, 2),
            "total_s": round(time.perf_counter() - t0, 2), "commit": _commit()}
    if interrupted:
        meta["interrupted_after"] = len(records)
    labels = doc_labels(settings.corpus_dir, metrics.per_document)
    paths = write_report(out, metrics, records, meta, labels)
    print(summary_text(metrics))
    print(f"\nreport: {paths['html']}\n        {paths['md']}\n        {paths['json']}\n"
          f"answers: {out / ANSWERS_FILE}")
    return 130 if interrupted else 0


def cmd_fit(settings: Settings, args) -> int:
    import json

    from assistant.ranker import DEFAULT_PATH
    from assistant.resolve import ACCEPT
    from eval.fit import collect, cross_validate
    from eval.gold import GoldFormatError, load_gold
    from eval.runner import EvalSetupError, load_assistant, load_search_index

    try:
        items = [it for path in args.sets for it in load_gold(_resolve(path))]
        index = load_search_index(settings)
        assistant = load_assistant(settings.with_(llm="builtin", ranker="off"), index)
    except (GoldFormatError, EvalSetupError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    groups = collect(items, assistant)
    result = cross_validate(groups, ACCEPT, args.folds, log=lambda m: print(m, file=sys.stderr))
    result["report"]["sets"] = [str(p) for p in args.sets]
    result["full"]["provenance"]["sets"] = [str(p) for p in args.sets]
    result["report"]["commit"] = _commit()
    out = args.out or DEFAULT_PATH
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    r = result["report"]
    print(f"fact ranker fit on {r['questions']} questions ({r['rankings_with_gold']} rankings with a gold figure), "
          f"l2={r['l2']}\n"
          f"top-1 right figure: hand-set {r['top1_hand']:.3f} | fitted, training {r['top1_train']:.3f} | "
          f"fitted, {args.folds}-fold cross-validated {r['top1_cv']:.3f}\nweights: {out}")
    return 0


def cmd_report(settings: Settings, args) -> int:
    from eval.gold import GoldFormatError, parse_item
    from eval.grader import grade
    from eval.metrics import compute
    from eval.records import ANSWERS_FILE, answer_from_json, read_records, write_records
    from eval.report import summary_text, write_report

    try:
        records = read_records(args.run)
        regraded = [r if r.answer is None else replace(r, grade=grade(parse_item(r.gold), answer_from_json(r.answer)))
                    for r in records]
    except (FileNotFoundError, ValueError, GoldFormatError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    meta_path = args.run / "report.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8")).get("meta", {}) if meta_path.exists() else {}
    write_records(regraded, args.run / ANSWERS_FILE)
    metrics = compute(regraded)
    paths = write_report(args.run, metrics, regraded, meta, doc_labels(settings.corpus_dir, metrics.per_document))
    print(summary_text(metrics))
    print(f"\nreport: {paths['html']}")
    return 0


def cmd_compare(settings: Settings, args) -> int:
    from eval.compare import compare, render
    from eval.records import read_records
    try:
        a, b = read_records(args.run_a), read_records(args.run_b)
    except (FileNotFoundError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(render(compare(a, b), str(args.run_a), str(args.run_b)))
    return 0


def run_eval(settings: Settings, argv: list[str]) -> int:
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:          # argparse already printed usage or help
        return int(exc.code or 0)
    handler = {"check": cmd_check, "run": cmd_run, "fit": cmd_fit, "report": cmd_report, "compare": cmd_compare}[args.action]
    return handler(settings, args)
