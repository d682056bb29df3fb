"""`budget-qa facts`: every fact as JSONL/CSV, or a per-document parse report."""
from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from collections.abc import Iterable
from typing import TextIO

from corpus.reports.coverage import table_number_coverage
from corpus.model import Fact, ParsedDocument
from corpus.parse import parse_folder

CSV_FIELDS = ["doc", "org", "scope", "year", "kind", "table", "table_id", "row_code", "row",
              "column", "value", "unit", "line", "quote", "entity", "source", "qualifier", "year_ref"]


def fact_record(fact: Fact, flat: bool = False) -> dict:
    """A fact as `budget-qa facts` prints it; flat (CSV) joins the column path with " / "."""
    record = fact.to_json()
    return {**record, "column": " / ".join(record["column"])} if flat else record


def write_fact_records(facts: Iterable[Fact], fmt: str, out: TextIO) -> int:
    """Facts as JSONL or CSV (CSV_FIELDS); returns how many were written."""
    count = 0
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, extrasaction="ignore") if fmt == "csv" else None
    if writer:
        writer.writeheader()
    for fact in facts:
        if writer:
            writer.writerow(fact_record(fact, flat=True))
        else:
            out.write(json.dumps(fact_record(fact), ensure_ascii=False) + "\n")
        count += 1
    return count


def write_facts(parsed: list[ParsedDocument], fmt: str, out: TextIO) -> int:
    return write_fact_records((fact for doc in parsed for fact in doc.facts), fmt, out)


def document_report(doc: ParsedDocument) -> dict:
    checks = [c for t in doc.tables for c in t.checks]
    in_tables, became_facts = table_number_coverage(doc)
    reconciled = sum(1 for t in doc.tables if t.checks_passed)
    meta = doc.document.meta
    return {
        "doc": doc.document.doc_id, "org": meta.org, "scope": meta.scope, "year": meta.year,
        "kind": meta.kind, "unit": meta.unit, "encoding": doc.document.encoding,
        "tables": len(doc.tables),
        "rows": sum(len(t.rows) for t in doc.tables),
        "cells": sum(1 for t in doc.tables for r in t.rows for c in r.cells if c is not None),
        "checks_passed": sum(c.passed for c in checks),
        "checks_failed": sum(not c.passed for c in checks),
        "tables_reconciled": reconciled,
        "table_numbers": in_tables, "table_numbers_as_facts": became_facts,
        "prose_facts": sum(1 for f in doc.facts if f.source == "prose"),
        "failed_checks": [f"{t.title} ({t.table_id}, lines {t.line_start}-{t.line_end}): {c.name}: {c.detail}"
                          for t in doc.tables for c in t.checks if not c.passed],
        "notes": [f"{t.title}: {n}" for t in doc.tables for n in t.notes],
    }


def format_report(reports: list[dict], errors: list[str]) -> str:
    lines = []
    for r in reports:
        share = r["table_numbers_as_facts"] / r["table_numbers"] if r["table_numbers"] else 1.0
        lines.append(f"{r['doc']}  {r['org']}{'（' + r['scope'] + '）' if r['scope'] else ''} "
                     f"{r['year']} {r['kind']}  unit {r['unit']}")
        lines.append(f"  tables {r['tables']}  rows {r['rows']}  cells {r['cells']}  "
                     f"checks passed {r['checks_passed']} / failed {r['checks_failed']}  "
                     f"tables reconciled {r['tables_reconciled']}/{r['tables']}  prose facts {r['prose_facts']}")
        lines.append(f"  numbers in table regions that became facts: "
                     f"{r['table_numbers_as_facts']}/{r['table_numbers']} ({share:.1%})")
        lines += [f"  ✗ {item}" for item in r["failed_checks"]]
        lines += [f"  note: {item}" for item in r["notes"]]
    total_n = sum(r["table_numbers"] for r in reports)
    total_f = sum(r["table_numbers_as_facts"] for r in reports)
    total_t = sum(r["tables"] for r in reports)
    total_ok = sum(r["tables_reconciled"] for r in reports)
    if reports:
        lines.append(f"TOTAL numbers→facts {total_f}/{total_n} ({total_f / max(total_n, 1):.1%}); "
                     f"tables reconciled {total_ok}/{total_t} ({total_ok / max(total_t, 1):.1%})")
    lines += [f"ERROR {e}" for e in errors]
    return "\n".join(lines)


def run_facts(corpus_dir: Path, fmt: str = "jsonl", report: bool = False, out: TextIO = sys.stdout) -> int:
    parsed, errors = parse_folder(corpus_dir)
    if report:
        out.write(format_report([document_report(p) for p in parsed], errors) + "\n")
    else:
        write_facts(parsed, fmt, out)
        for error in errors:
            print(f"error: {error}", file=sys.stderr)
    if not parsed and errors:
        return 1
    return 0
