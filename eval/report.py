"""Write a run's report: report.json, report.md and a self-contained report.html (chart embedded)."""
from __future__ import annotations

import base64
import html
import io
import json
from pathlib import Path

from eval.metrics import Group, Metrics
from eval.records import Record

GOOD, BAD = "#2e7d32", "#c62828"


def pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.1f}%"


def ms(x: float | None) -> str:
    return "—" if x is None else f"{x:,.0f} ms"


def summary_rows(m: Metrics) -> list[tuple[str, str]]:
    k = m.retrieval_k or "k"
    return [
        ("items", str(m.n)),
        ("answered-and-cited", pct(m.answered_and_cited)),
        ("accuracy (correct answer)", pct(m.accuracy)),
        ("cited a gold source", pct(m.cited)),
        ("refusal precision", f"{pct(m.refusal_precision)} ({m.refusals_predicted} refused)"),
        ("refusal recall", f"{pct(m.refusal_recall)} ({m.refusals_gold} refusal items)"),
        (f"retrieval all-sources@{k}", f"{pct(m.retrieval_all_sources)} (n={m.retrieval_n})"),
        (f"retrieval any-source@{k}", pct(m.retrieval_any_source)),
        ("latency p50 / p95", f"{ms(m.latency_p50_ms)} / {ms(m.latency_p95_ms)}"),
        ("errors", str(m.errors)),
    ]


def summary_text(m: Metrics) -> str:
    width = max(len(k) for k, _ in summary_rows(m))
    return "\n".join(f"{k:<{width}}  {v}" for k, v in summary_rows(m))


def category_chart_png(groups: dict[str, Group]) -> bytes:
    """Horizontal bars per category: accuracy and answered-and-cited."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = list(groups)[::-1]
    y = range(len(names))
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(names) + 1.4), dpi=110)
    h = 0.38
    acc = [100 * groups[n].accuracy for n in names]
    aac = [100 * groups[n].answered_and_cited for n in names]
    ax.barh([i + h / 2 for i in y], acc, h, label="accuracy", color="#90caf9")
    bars = ax.barh([i - h / 2 for i in y], aac, h, label="answered-and-cited", color="#1565c0")
    for bar, value in zip(bars, aac):
        ax.text(min(value + 1, 101), bar.get_y() + bar.get_height() / 2, f"{value:.0f}%",
                va="center", fontsize=8)
    ax.set_yticks(list(y), [f"{n} (n={groups[n].n})" for n in names], fontsize=9)
    ax.set_xlim(0, 110)
    ax.set_xticks(range(0, 101, 20), [f"{t}%" for t in range(0, 101, 20)], fontsize=8)
    ax.grid(axis="x", color="#e0e0e0")
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.legend(loc="lower right", fontsize=8, frameon=False, bbox_to_anchor=(1, 1), ncol=2)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


# ---------------------------------------------------------------- Markdown

def _md_cell(text: str, limit: int = 160) -> str:
    text = " ".join(str(text).split())
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return text.replace("|", "\\|")


def _md_groups(title: str, groups: dict[str, Group], labels: dict[str, str] | None = None) -> list[str]:
    labels = labels or {}
    out = [f"## {title}", "", "| | n | answered-and-cited | accuracy | cited |", "|---|---:|---:|---:|---:|"]
    out += [f"| {k}{' ' + labels[k] if k in labels else ''} | {g.n} | {pct(g.answered_and_cited)} | {pct(g.accuracy)} | {pct(g.cited)} |"
            for k, g in groups.items()]
    return out + [""]


def render_markdown(m: Metrics, meta: dict, doc_labels: dict[str, str] | None = None) -> str:
    out = [f"# Evaluation: {meta.get('set', '')}", "",
           " · ".join(f"{k}: {v}" for k, v in meta.items() if k in ("agent", "llm", "embedder", "started", "commit")),
           "", "| metric | value |", "|---|---|"]
    out += [f"| {k} | {v} |" for k, v in summary_rows(m)] + [""]
    out += _md_groups("Per category", m.per_category)
    out += _md_groups("Per document", m.per_document, doc_labels)
    out += [f"## Failures ({len(m.failures)})", ""]
    if m.failures:
        out += ["| id | category | question | expected | got | why |", "|---|---|---|---|---|---|"]
        out += [f"| {f.id} | {f.category} | {_md_cell(f.question)} | {_md_cell(f.expected, 80)} | "
                f"{_md_cell(f.got)} | {_md_cell('; '.join(f.reasons), 120)} |" for f in m.failures]
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- HTML

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC","WenQuanYi Zen Hei",sans-serif;
 margin:0;background:#f5f6f8;color:#212121;font-size:14px;line-height:1.45}
main{max-width:1180px;margin:0 auto;padding:24px 28px 48px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 10px}
.meta{color:#616161;font-size:12.5px;margin-bottom:18px}.meta span{margin-right:14px}
.cards{display:grid;grid-template-columns:repeat(4,1fr);gap:12px}
.card{background:#fff;border-radius:8px;padding:12px 14px;box-shadow:0 1px 2px rgba(0,0,0,.08)}
.card .v{font-size:24px;font-weight:600}.card .l{color:#616161;font-size:12px}
.panel{background:#fff;border-radius:8px;padding:14px 16px;box-shadow:0 1px 2px rgba(0,0,0,.08)}
.two{display:grid;grid-template-columns:1fr 1fr;gap:16px;align-items:start}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #eceff1;vertical-align:top}
th{background:#fafafa;font-weight:600;font-size:12.5px;color:#455a64;white-space:nowrap}
.fails td:nth-child(3){width:30%}.fails td:nth-child(4){width:15%}
td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.bar{display:inline-block;height:8px;border-radius:4px;background:#1565c0;vertical-align:middle;margin-left:6px}
.track{display:inline-block;width:60px;height:8px;border-radius:4px;background:#e3eaf3;vertical-align:middle;margin-left:6px}
.track .bar{margin:0;display:block}
.fail td{font-size:13px}.why{color:#b71c1c;font-size:12px}.id{white-space:nowrap;font-family:monospace}
.ok{color:#2e7d32;font-weight:600}.no{color:#c62828;font-weight:600}
img.chart{max-width:100%;display:block}
.sub{color:#757575;font-size:11.5px}.two>div>h2{margin-top:28px}
.groups td:first-child{width:55%}
details summary{cursor:pointer;font-weight:600;margin:6px 0}
"""


def _e(text) -> str:
    return html.escape(str(text))


def _html_groups(groups: dict[str, Group], labels: dict[str, str] | None = None) -> str:
    labels = labels or {}
    rows = "".join(
        f"<tr><td>{_e(k)}<div class=sub>{_e(labels.get(k, ''))}</div></td><td class=n>{g.n}</td><td class=n>{pct(g.answered_and_cited)}"
        f"<span class=track><span class=bar style='width:{60 * g.answered_and_cited:.0f}px'></span></span></td>"
        f"<td class=n>{pct(g.accuracy)}</td><td class=n>{pct(g.cited)}</td></tr>"
        for k, g in groups.items())
    return ("<table class=groups><tr><th></th><th>n</th><th>answered-and-cited</th><th>accuracy</th><th>cited</th></tr>"
            f"{rows}</table>")


def _short(text: str, limit: int = 260) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def render_html(m: Metrics, records: list[Record], meta: dict, chart_png: bytes,
                doc_labels: dict[str, str] | None = None) -> str:
    cards = [("answered-and-cited", pct(m.answered_and_cited)), ("accuracy", pct(m.accuracy)),
             (f"retrieval all-sources@{m.retrieval_k or 'k'}", pct(m.retrieval_all_sources)),
             ("latency p50 / p95", f"{ms(m.latency_p50_ms)} / {ms(m.latency_p95_ms)}")]
    cards_html = "".join(f"<div class=card><div class=v>{_e(v)}</div><div class=l>{_e(k)}</div></div>"
                         for k, v in cards)
    summary = "".join(f"<tr><td>{_e(k)}</td><td class=n>{_e(v)}</td></tr>" for k, v in summary_rows(m))
    meta_html = "".join(f"<span><b>{_e(k)}</b> {_e(v)}</span>" for k, v in meta.items())
    failures = "".join(
        f"<tr class=fail><td class=id>{_e(f.id)}</td><td>{_e(f.category)}</td><td>{_e(f.question)}</td>"
        f"<td>{_e(_short(f.expected, 120))}</td><td>{_e(_short(f.got))}"
        f"<div class=why>{_e('; '.join(f.reasons))}</div></td></tr>" for f in m.failures)
    every = "".join(
        f"<tr><td class=id>{_e(r.id)}</td><td>{_e(r.category)}</td><td>{_e(r.question)}</td>"
        f"<td class={'ok' if r.grade.answered_and_cited else 'no'}>"
        f"{'pass' if r.grade.answered_and_cited else 'fail'}</td><td class=n>{r.latency_ms:,.0f}</td></tr>"
        for r in records)
    chart = base64.b64encode(chart_png).decode("ascii")
    return f"""<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><title>budget-qa evaluation · {_e(meta.get('set', ''))}</title>
<style>{_CSS}</style></head><body><main>
<h1>budget-qa evaluation</h1>
<div class=meta>{meta_html}</div>
<div class=cards>{cards_html}</div>
<h2>Summary</h2>
<div class=two><div class=panel><table>{summary}</table></div>
<div class=panel><img class=chart alt="per-category accuracy and answered-and-cited" src="data:image/png;base64,{chart}"></div></div>
<div class=two><div><h2>Per category</h2><div class=panel>{_html_groups(m.per_category)}</div></div>
<div><h2>Per document</h2><div class=panel>{_html_groups(m.per_document, doc_labels)}</div></div></div>
<h2>Failures ({len(m.failures)})</h2>
<div class=panel>{'<table class=fails><tr><th>id</th><th>category</th><th>question</th><th>expected</th><th>got / why</th></tr>'
                  + failures + '</table>' if m.failures else '<p>None: every item answered and cited.</p>'}</div>
<h2>All items</h2>
<div class=panel><details><summary>{len(records)} items</summary><table>
<tr><th>id</th><th>category</th><th>question</th><th>result</th><th>ms</th></tr>{every}</table></details></div>
</main></body></html>
"""


def write_report(out_dir: Path, metrics: Metrics, records: list[Record], meta: dict,
                 doc_labels: dict[str, str] | None = None) -> dict[str, Path]:
    """Write report.json / report.md / report.html (+ category.png) into out_dir; return their paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    png = category_chart_png(metrics.per_category)
    paths = {"json": out_dir / "report.json", "md": out_dir / "report.md",
             "html": out_dir / "report.html", "png": out_dir / "category.png"}
    paths["json"].write_text(json.dumps({"meta": meta, "metrics": metrics.to_json()},
                                        ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    paths["md"].write_text(render_markdown(metrics, meta, doc_labels), encoding="utf-8")
    paths["html"].write_text(render_html(metrics, records, meta, png, doc_labels), encoding="utf-8")
    paths["png"].write_bytes(png)
    return paths
