"""A small horizontal bar chart (inline SVG written here: no plotting library, no JavaScript) of an
answer's comparable figures, each bar labelled with its figure and citation number."""
from __future__ import annotations

from decimal import Decimal
from html import escape

from assistant.chart import Chart
from webui.render import format_value

WIDTH, LABEL_W, VALUE_W, ROW_H = 520, 190, 150, 30


def _short(label: str, size: int = 16) -> str:
    return label if len(label) <= size else label[:size - 1] + "…"


def chart_svg(chart: Chart) -> str:
    """One row per figure, first on top: its label, a bar to scale (from zero) and "figure unit [n]"."""
    values = [b.value for b in chart.bars]
    top = max(max(values), Decimal(0)) or Decimal(1)
    span = WIDTH - LABEL_W - VALUE_W
    rows = []
    for i, b in enumerate(chart.bars):
        y = 8 + i * ROW_H
        width = max(float(b.value / top) * span, 1.5) if b.value > 0 else 1.5
        figure = f"{format_value(b.value)} {chart.unit} [{b.citation}]"
        rows.append(f'<g class="bar" data-citation="{b.citation}"><title>{escape(b.label)}: {escape(figure)}</title>'
                    f'<text x="{LABEL_W - 8}" y="{y + 17}" text-anchor="end" class="bar-label">{escape(_short(b.label))}</text>'
                    f'<rect x="{LABEL_W}" y="{y + 4}" width="{width:.1f}" height="{ROW_H - 10}" rx="3"></rect>'
                    f'<text x="{LABEL_W + width + 6:.1f}" y="{y + 17}" class="bar-value">{escape(figure)}</text></g>')
    height = 16 + len(chart.bars) * ROW_H
    axis = f'<line x1="{LABEL_W}" y1="4" x2="{LABEL_W}" y2="{height - 6}" class="axis"></line>'
    return (f'<svg class="answer-chart" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
            f'xmlns="http://www.w3.org/2000/svg" aria-label="bar chart">{axis}{"".join(rows)}</svg>')


def chart_html(chart: Chart | None) -> str:
    """The chart box for the side panel; '' when the answer has nothing to chart."""
    if chart is None:
        return ""
    across = {"org": "机构 organisations", "year": "年度 years", "item": "项目 items"}
    what = " · ".join(across[a] for a in chart.across)
    return (f'<div class="chart-box" data-bars="{len(chart.bars)}"><div class="calc-title">对比图 / Chart '
            f'<span class="muted">{escape(what)} · {escape(chart.unit)}</span></div>{chart_svg(chart)}</div>')
