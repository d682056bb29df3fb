"""HTML for the Browse tab: a table rebuilt from its facts, search results, and download links.

Pure functions of typed records; every figure cell carries data-fact (its index in the shown list), which
the tab's click handler turns into the source viewer."""
from __future__ import annotations

from html import escape
from urllib.parse import urlencode

from corpus.model import Fact, Table
from webui.facts import FactQuery
from webui.render import _checks_badge, _header_rows, format_value, kind_label

MAX_RESULTS = 300        # search results shown at once; the download has them all


def _cell(fact: Fact, index: int, table_unit: str | None) -> str:
    unit = f" {fact.unit}" if fact.unit and fact.unit != table_unit else ""
    qualifier = fact.qualifier or ""
    return (f'<td class="num fact" data-fact="{index}" title="第 {fact.line} 行 line {fact.line}">'
            f'{escape(qualifier + format_value(fact.value) + unit)}</td>')


def fact_table_html(table: Table, facts: list[Fact]) -> str:
    """The table as its facts describe it: one row per (line, item, entity), one column per column path
    in the table's order; the arithmetic-check badge as in the chat's viewer."""
    columns = list(table.columns)
    for f in facts:
        if f.column not in columns:
            columns.append(f.column)
    rows: dict[tuple, dict[tuple, int]] = {}
    labels: dict[tuple, Fact] = {}
    for i, f in enumerate(facts):
        key = (f.line, f.row, f.entity)
        rows.setdefault(key, {})[f.column] = i
        labels.setdefault(key, f)
    has_code = any(f.row_code for f in facts)
    has_entity = len({f.entity for f in facts if f.entity}) > 1
    headers = _header_rows(tuple(columns)) if any(columns) else [[("数值 value", 1, 1)]]
    lead = [name for name, shown in (("编码 Code", has_code), ("预算单位 Entity", has_entity), ("项目 Item", True))
            if shown]
    head = []
    for level, cells in enumerate(headers):
        out = [f'<th rowspan="{len(headers)}">{escape(n)}</th>' for n in lead] if level == 0 else []
        out += [f'<th colspan="{cs}" rowspan="{rs}">{escape(t)}</th>' for t, cs, rs in cells]
        head.append("<tr>" + "".join(out) + "</tr>")
    body = []
    for key, by_column in rows.items():
        first = labels[key]
        cells = [f'<td class="code">{escape(first.row_code or "")}</td>'] if has_code else []
        if has_entity:
            cells.append(f'<td class="entity">{escape(first.entity or "")}</td>')
        indent = max(0, len(first.row_path) - 1)
        cells.append(f'<td class="label" style="padding-left:{0.6 + 0.9 * min(indent, 5):.1f}em">{escape(first.row)}</td>')
        for column in columns or [()]:
            i = by_column.get(column)
            cells.append(_cell(facts[i], i, table.unit) if i is not None else '<td class="num"></td>')
        body.append(f'<tr data-line="{key[0]}">{"".join(cells)}</tr>')
    number = f"{table.number} " if table.number else ""
    part = f"（{table.part}）" if table.part else ""
    caption = (f'<div class="tbl-caption"><b>{escape(number + table.title + part)}</b>'
               f'<span class="muted">{len(facts)} 个数字 figures · 金额单位 unit: {escape(table.unit)} · '
               f'第 {table.line_start}–{table.line_end} 行</span>{_checks_badge(table)}</div>')
    return (f'<div class="src-table browse-table" data-table="{escape(table.table_id)}">{caption}'
            f'<div class="tbl-scroll"><table class="budget"><thead>{"".join(head)}</thead>'
            f'<tbody>{"".join(body)}</tbody></table></div></div>')


def results_html(facts: list[Fact], total: int, query_text: str) -> str:
    """Search results: one line per figure with its document, table, item, column and value."""
    if not facts:
        return (f'<div class="viewer-empty">没有名称含“{escape(query_text)}”的项目。<br>'
                f'<span class="en">No item name matches “{escape(query_text)}”.</span></div>')
    rows = []
    for i, f in enumerate(facts[:MAX_RESULTS]):
        unit = f" {f.unit}" if f.unit else ""
        rows.append(f'<tr data-line="{f.line}"><td>{escape(f.org)} · {f.year} · {escape(kind_label(f.kind))}</td>'
                    f'<td>{escape(f.table or "正文 text")}</td><td class="label">{escape(f.row)}</td>'
                    f'<td>{escape(" / ".join(f.column))}</td>'
                    f'<td class="num fact" data-fact="{i}">{escape((f.qualifier or "") + format_value(f.value) + unit)}</td>'
                    f'<td class="muted">{escape(f.doc_id)} · {f.line}</td></tr>')
    more = (f'<div class="muted">显示前 {MAX_RESULTS} 个，共 {total} 个；下载可得全部 / showing {MAX_RESULTS} of '
            f'{total}; the download has all</div>' if total > MAX_RESULTS else "")
    return (f'<div class="src-table browse-results"><div class="tbl-caption"><b>“{escape(query_text)}”</b>'
            f'<span class="muted">{total} 个数字 figures</span></div><div class="tbl-scroll"><table class="budget">'
            '<thead><tr><th>文件 Document</th><th>表 Table</th><th>项目 Item</th><th>栏 Column</th>'
            f'<th>数值 Value</th><th>出处 Source</th></tr></thead><tbody>{"".join(rows)}</tbody></table></div>{more}</div>')


def download_links_html(query: FactQuery) -> str:
    """CSV / XLSX of exactly what is shown, from the REST twin /api/facts."""
    params = {k: v for k, v in (("doc", query.doc), ("org", query.org), ("year", query.year),
                                ("kind", query.kind), ("table", query.table), ("q", query.q)) if v not in (None, "")}
    links = []
    for fmt, label in (("csv", "CSV"), ("xlsx", "XLSX")):
        href = "/api/facts?" + urlencode({**params, "format": fmt})
        links.append(f'<a class="download" href="{escape(href)}" download="budget-facts.{fmt}" '
                     f'data-format="{fmt}">⬇ 下载 {label} / download {label}</a>')
    return '<div class="browse-downloads">' + " ".join(links) + "</div>"
