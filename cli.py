"""The `budget-qa` command. Each subcommand hands off to the layer that owns it."""
from __future__ import annotations

import argparse
import os
import sys

from settings import Settings

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--corpus", dest="corpus_dir", help="folder of documents (BUDGETQA_CORPUS)")
    parser.add_argument("--data", dest="data_dir", help="index/data folder (BUDGETQA_DATA)")
    parser.add_argument("--embedder", help="search embedder: e5 | use | st:<model> (BUDGETQA_EMBEDDER)")
    parser.add_argument("--label-embedder", dest="label_embedder",
                        help="row-label matching embedder: use | e5 | st:<model> | index (BUDGETQA_LABEL_EMBEDDER)")
    parser.add_argument("--chroma-host", dest="chroma_host", help="Chroma server host (CHROMA_HOST)")
    parser.add_argument("--chroma-port", dest="chroma_port", type=int, help="Chroma server port (CHROMA_PORT)")
    parser.add_argument("--llm", choices=["builtin", "openai", "ollama"], help="agent (BUDGETQA_LLM)")
    parser.add_argument("--llm-base-url", dest="llm_base_url", help="LLM endpoint (BUDGETQA_LLM_BASE_URL)")
    parser.add_argument("--llm-model", dest="llm_model", help="LLM model name (BUDGETQA_LLM_MODEL)")
    parser.add_argument("--llm-timeout", dest="llm_timeout", type=float, help="seconds (BUDGETQA_LLM_TIMEOUT)")
    parser.add_argument("--ranker", help="fact-ranker weights: a path, or 'off' for the hand-set score (BUDGETQA_RANKER)")
    parser.add_argument("--llm-tools", dest="llm_tools", choices=["auto", "native", "react"],
                        help="tool protocol: native function calling, ReAct text, or auto (BUDGETQA_LLM_TOOLS)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="budget-qa", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("facts", help="print every fact, or a per-document parse report")
    _common(p)
    p.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
    p.add_argument("--report", action="store_true", help="tables, rows, cells, checks, prose facts per document")
    p.add_argument("files", nargs="*", help="with --report: .pdf/.xlsx/.docx files to compare with the corpus "
                                            "text of the same name (share of facts found, checks agreeing)")

    p = sub.add_parser("index", help="build or update the search index")
    _common(p)
    p.add_argument("--rebuild", action="store_true", help="rebuild everything")

    p = sub.add_parser("retrieve", help="hybrid retrieval for a question (or '-' for JSON lines on stdin)")
    _common(p)
    p.add_argument("question")
    p.add_argument("--k", type=int, default=5)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("ask", help="answer a question (or '-' for JSON lines on stdin)")
    _common(p)
    p.add_argument("question")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("eval", help="gold-set checks, runs, reports and comparisons")
    _common(p)
    p.add_argument("eval_args", nargs=argparse.REMAINDER)

    p = sub.add_parser("serve", help="start the chat app and REST API")
    _common(p)
    p.add_argument("--host")
    p.add_argument("--port", type=int)
    return parser


def settings_from_args(args: argparse.Namespace) -> Settings:
    keys = ["corpus_dir", "data_dir", "embedder", "label_embedder", "chroma_host", "chroma_port", "llm",
            "llm_base_url", "llm_model", "llm_timeout", "llm_tools", "ranker", "host", "port"]
    return Settings.from_env(**{k: getattr(args, k, None) for k in keys})


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = settings_from_args(args)
    try:
        if args.command == "facts":
            if args.report and args.files:
                from corpus.reports.agreement_report import run_agreement
                return run_agreement(args.files, settings.corpus_dir)
            from corpus.reports.export import run_facts
            return run_facts(settings.corpus_dir, args.format, args.report, sys.stdout)
        if args.command == "index":
            from index.commands import run_index
            from index.embedders import EmbedderError, make_embedder
            try:
                embedder = make_embedder(settings.embedder)   # one model for the build and the assistant's warm-up
            except EmbedderError as exc:
                print(f"error: {exc}", file=sys.stderr)
                return 1
            rc = run_index(settings, rebuild=args.rebuild, embedder=embedder)
            if rc == 0:
                from assistant.commands import warm_embeddings
                rc = warm_embeddings(settings, embedder=embedder)
            return rc
        if args.command == "retrieve":
            from index.commands import run_retrieve
            return run_retrieve(settings, args.question, k=args.k, as_json=args.json)
        if args.command == "ask":
            from assistant.commands import run_ask
            return run_ask(settings, args.question, as_json=args.json)
        if args.command == "eval":
            from eval.commands import run_eval
            return run_eval(settings, args.eval_args)
        if args.command == "serve":
            from app import serve
            return serve(settings)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    return 2


if __name__ == "__main__":
    sys.exit(main())
