"""Admin upload: check a document, add it to the corpus only if it parses, re-index, roll back on failure."""
from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from corpus.loader import SUPPORTED_SUFFIXES, DocumentError, document_from_bytes, iter_document_paths
from corpus.metadata import MetadataError
from corpus.model import DocMeta, ParsedDocument
from corpus.parse import parse_document
from settings import Settings
from webui.render import kind_label

Reindex = Callable[[Settings], None]


@dataclass
class UploadReport:
    ok: bool
    message: str
    doc_id: str | None = None
    meta: DocMeta | None = None
    tables: int = 0
    rows: int = 0
    facts: int = 0
    prose_facts: int = 0
    checks_passed: int = 0
    failed_checks: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def safe_name(name: str) -> str:
    """The bare file name, without folders or hidden-file dots."""
    base = Path(name.replace("\\", "/")).name.strip().lstrip(".")
    if not base:
        raise DocumentError("the file has no name")
    return base


def inspect_upload(name: str, data: bytes, corpus_dir: Path) -> tuple[UploadReport, ParsedDocument | None]:
    """Decode, detect metadata and parse, without touching the corpus."""
    try:
        doc_id = safe_name(name)
        if Path(doc_id).suffix.lower() not in SUPPORTED_SUFFIXES:
            raise DocumentError(f"{doc_id}: unsupported file type; expected {', '.join(SUPPORTED_SUFFIXES)}")
        document = document_from_bytes(doc_id, data)
    except (DocumentError, MetadataError) as exc:
        return UploadReport(False, f"无法读取此文件 / cannot read this file: {exc}"), None
    same_source: list[str] = []
    for path in iter_document_paths(corpus_dir):
        if path.name == doc_id:
            return UploadReport(False, f"同名文件已存在 / a document named {doc_id} is already in the corpus; rename the file"), None
        if path.read_bytes() == data:
            return UploadReport(False, f"语料库中已有相同内容的文件 / the corpus already holds this file as {path.name}"), None
        try:
            other = document_from_bytes(path.name, path.read_bytes()).meta
        except (DocumentError, MetadataError):
            continue
        if (other.org, other.year, other.kind, other.scope) == (document.meta.org, document.meta.year,
                                                                document.meta.kind, document.meta.scope):
            same_source.append(path.name)
    try:
        parsed = parse_document(document)
    except Exception as exc:  # a parser bug must not take the app down or touch the corpus
        return UploadReport(False, f"解析失败 / parsing failed: {type(exc).__name__}: {exc}", doc_id, document.meta), None
    report = summarize(parsed)
    report.warnings = [f"语料库中已有同一机构、年度和类型的文件 {name}，回答时两份文件都会被引用 / "
                       f"{name} already covers the same organisation, year and kind; answers may cite both"
                       for name in same_source]
    if not parsed.tables and not parsed.facts:
        report.ok = False
        report.message = ("未解析出任何表格或数字，文件未加入 / no tables or figures could be parsed; "
                          "the document was not added")
    return report, parsed if report.ok else None


def summarize(parsed: ParsedDocument) -> UploadReport:
    checks = [c for t in parsed.tables for c in t.checks]
    failed = [f"{t.title}: {c.name} {c.detail}".strip() for t in parsed.tables for c in t.checks if not c.passed]
    return UploadReport(
        ok=True, message="", doc_id=parsed.document.doc_id, meta=parsed.document.meta,
        tables=len(parsed.tables), rows=sum(len(t.rows) for t in parsed.tables),
        facts=len(parsed.facts), prose_facts=sum(1 for f in parsed.facts if f.source == "prose"),
        checks_passed=sum(1 for c in checks if c.passed), failed_checks=failed,
        notes=[n for t in parsed.tables for n in t.notes] + list(parsed.errors),
    )


def add_document(settings: Settings, name: str, data: bytes, reindex: Reindex,
                 progress: Callable[[float, str], None] | None = None) -> UploadReport:
    """Check the file; copy it into the corpus and re-index only if it parses; undo everything on failure."""
    step = progress or (lambda fraction, text: None)
    step(0.05, "检查文件 / checking the file")
    report, parsed = inspect_upload(name, data, settings.corpus_dir)
    if parsed is None:
        return report
    target = Path(settings.corpus_dir) / report.doc_id
    temporary = target.with_name(f".{report.doc_id}.uploading")
    step(0.2, "写入语料库 / adding to the corpus")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, target)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        report.ok = False
        report.message = f"无法写入语料库 / cannot write to the corpus folder: {exc.strerror or exc}"
        return report
    step(0.3, "重建索引 / re-indexing")
    try:
        reindex(settings)
    except Exception as exc:
        target.unlink(missing_ok=True)
        try:
            reindex(settings)  # back to the corpus as it was
            restored = "已恢复原索引 / the previous index was restored"
        except Exception as again:
            restored = f"恢复索引失败，请运行 budget-qa index / restoring the index failed ({again}); run `budget-qa index`"
        report.ok = False
        report.message = f"索引失败，文件已移除 / indexing failed, the file was removed: {exc}. {restored}"
        return report
    step(1.0, "完成 / done")
    report.message = f"已加入并重建索引 / added and indexed: {report.doc_id}"
    return report


def run_index_or_raise(settings: Settings) -> None:
    from index.commands import run_index
    code = run_index(settings)
    if code:
        raise RuntimeError(f"budget-qa index exited with code {code}")


def report_html(report: UploadReport) -> str:
    """The upload result for the admin tab."""
    status = "ok" if report.ok else "bad"
    icon = "✓" if report.ok else "✗"
    parts = [f'<div class="upload-report {status}"><div class="upload-msg">{icon} {escape(report.message)}</div>']
    if report.meta is not None:
        m = report.meta
        scope = f"（{m.scope}）" if m.scope else ""
        rows = [("文件 Document", report.doc_id or ""), ("标题 Title", m.title),
                ("机构 Organisation", m.org + scope), ("年度 / 类型 Year / kind", f"{m.year} · {kind_label(m.kind)}"),
                ("单位 Unit", m.unit),
                ("表格 Tables", f"{report.tables}（{report.rows} 行 rows）"),
                ("数字 Facts", f"{report.facts}（其中正文 {report.prose_facts} prose）"),
                ("校验 Checks", f"{report.checks_passed} 通过 passed · {len(report.failed_checks)} 未通过 failed")]
        parts.append("<dl>" + "".join(f"<dt>{escape(k)}</dt><dd>{escape(str(v))}</dd>" for k, v in rows) + "</dl>")
    for warning in report.warnings:
        parts.append(f'<div class="upload-warn">⚠ {escape(warning)}</div>')
    if report.failed_checks:
        items = "".join(f"<li>{escape(f)}</li>" for f in report.failed_checks[:30])
        parts.append(f'<details open><summary>未通过的校验 / failed checks</summary><ul>{items}</ul></details>')
    if report.notes:
        items = "".join(f"<li>{escape(n)}</li>" for n in report.notes[:30])
        parts.append(f'<details><summary>解析备注 / parser notes</summary><ul>{items}</ul></details>')
    parts.append("</div>")
    return "".join(parts)
