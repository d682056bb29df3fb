"""Pure HTML/Markdown rendering for the chat: answers, citation cards, calculations and the source viewer.

Every function takes typed records and returns a string; nothing here touches files, the index or Gradio.
"""
from __future__ import annotations

import re
from decimal import Decimal
from html import escape

from assistant.model import Answer, Citation
from corpus.model import BUDGET, FINAL_ACCOUNTS, Document, Row, Table
from corpus.numbers import NUMBER_RE, normalize_digits, parse_number

KIND_LABELS = {BUDGET: "预算 budget", FINAL_ACCOUNTS: "决算 final accounts"}
_SEPARATORS = re.compile(r"[\s/|>·•\-—_：:（）()]+")
_SENTENCE_END = "。；;！？!?"
_UNITS = ("万元", "亿元", "元", "%", "％", "台", "人", "个", "笔", "家", "项", "辆", "次", "天")
_REF = re.compile(r"\[(\d{1,2})\]")
TAB = '<span class="tab"></span>'
TABLE_WINDOW = 12        # rows shown either side of the cited row in a long table
MAX_TABLE_ROWS = 28      # tables up to this size are shown whole
EXCERPT_CHARS = 130      # characters kept either side of a cited figure in a long paragraph


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind)


def format_value(value: Decimal | None) -> str:
    """A figure as the documents print it: thousands separators, printed precision kept."""
    return "" if value is None else f"{value:,}"


def _norm(text: str | None) -> str:
    return _SEPARATORS.sub("", normalize_digits(text or ""))


# ---------------------------------------------------------------- citations

def citation_origin(c: Citation) -> str:
    """'深圳市医疗保险基金管理中心（本级） · 2024 · 预算 budget'."""
    org = f"{c.org}（{c.scope}）" if c.scope else c.org
    return f"{org} · {c.year} · {kind_label(c.kind)}"


def citation_place(c: Citation) -> str:
    """Where in the document: table (or section), row, column and line."""
    parts = [p for p in (c.table, c.row, c.column) if p]
    parts.append(f"第 {c.line} 行 line {c.line}")
    if c.where:
        parts.append(c.where)
    return " · ".join(parts)


def citation_figure(c: Citation) -> str:
    if c.value is None:
        return ""
    return f"{format_value(c.value)} {c.unit or ''}".strip()


def citation_cards_html(citations: list[Citation], active: int | None = None) -> str:
    """Clickable cards, one per citation; data-cite carries the 1-based citation number."""
    if not citations:
        return ('<div class="cite-empty">本回答没有引用。提问后，这里会列出答案所依据的表格单元格或原文句子。<br>'
                '<span class="en">No citations yet. Ask a question and the cells or sentences behind the answer appear here.</span></div>')
    cards = []
    for n, c in enumerate(citations, 1):
        figure = citation_figure(c)
        figure_html = f'<span class="cite-figure">{escape(figure)}</span>' if figure else ""
        cls = "cite-card active" if n == active else "cite-card"
        cards.append(
            f'<button type="button" class="{cls}" data-cite="{n}" title="查看原文 / show source">'
            f'<span class="cite-n">{n}</span>'
            f'<span class="cite-body">{figure_html}<span class="cite-row">{escape(c.row or c.table)}</span>'
            f'<span class="cite-meta">{escape(citation_origin(c))} · {escape(c.where or f"第 {c.line} 行")}</span></span></button>')
    return '<div class="cite-list">' + "".join(cards) + "</div>"


# ---------------------------------------------------------------- answers

def with_markers(text: str, citations: list[Citation], append_unplaced: bool = True) -> str:
    """Put [n] after the figure each citation backs (sources of one figure share a place); the rest at the end.
    Text that already carries markers is left alone."""
    if not citations or _REF.search(text):
        return text
    flat = normalize_digits(text)
    numbers = [m for m in NUMBER_RE.finditer(flat)]
    places: dict[int, list[int]] = {}
    # a value printed as often as it is cited (369 for 2024, 369 for 2022) gets one citation per place, in order
    used: dict[Decimal, int] = {}
    for n, c in enumerate(citations, 1):
        same = [m for m in numbers if c.value is not None and parse_number(m.group()) == c.value]
        cited = sum(1 for o in citations if o.value == c.value)
        k = used.get(c.value, 0) if len(same) >= cited else 0
        used[c.value] = k + 1
        found = same[k] if k < len(same) else None
        end = len(text)
        if found is None and not append_unplaced:
            continue
        if found is not None:
            end = found.end()
            rest = flat[end:]
            unit = next((u for u in _UNITS if rest.lstrip(" ").startswith(u)), "")
            if unit:
                end += len(rest) - len(rest.lstrip(" ")) + len(unit)
        places.setdefault(end, []).append(n)
    for end in sorted(places, reverse=True):
        text = text[:end] + "".join(f"[{n}]" for n in places[end]) + text[end:]
    return text


def _linked(text: str) -> str:
    """Escaped text whose [n] markers become clickable .ref spans."""
    return _REF.sub(r'<span class="ref">[\1]</span>', escape(text, quote=False))


def calculation_shown(answer: Answer) -> str:
    """Every calculation of the answer (one per document or part when it covers several), one a line."""
    lines = [calc.shown or f"{calc.expression} = {format_value(calc.result)}" for calc in answer.all_calculations()]
    return with_markers("\n".join(lines), answer.citations, append_unplaced=False)


def answer_markdown(answer: Answer) -> str:
    """The assistant's chat message: the answer with [n] markers, the calculation and numbered sources."""
    parts = [_linked(with_markers(answer.text.strip(), answer.citations))]
    if answer.all_calculations():
        shown = _linked(calculation_shown(answer)).replace("\n", "<br>")
        parts.append(f"**计算 / Calculation:** {shown}")
    if answer.citations:
        lines = [f"[{n}] {citation_origin(c)} · {citation_place(c)}" for n, c in enumerate(answer.citations, 1)]
        summary = f"来源 / Sources ({len(lines)})"
        parts.append(f'<details class="sources"><summary>{summary}</summary><small>'
                     + "<br>".join(escape(line, quote=False) for line in lines) + "</small></details>")
    return "\n\n".join(p for p in parts if p)


def calculation_html(answer: Answer | None) -> str:
    """The 计算过程 box: the expression with citation markers and each figure's source; '' without arithmetic."""
    if answer is None or not answer.all_calculations():
        return ""
    shown = calculation_shown(answer)
    unit = f" {answer.unit}" if answer.unit and not shown.rstrip().endswith(answer.unit) else ""
    groups: dict[Decimal, list[int]] = {}
    for n, c in enumerate(answer.citations, 1):
        if c.value is not None:
            groups.setdefault(c.value, []).append(n)
    items = []
    for numbers in groups.values():
        first = answer.citations[numbers[0] - 1]
        badges = "".join(f'<span class="cite-n small">{n}</span>' for n in numbers)
        also = f' <span class="muted">（另见 also in {len(numbers) - 1} 处）</span>' if len(numbers) > 1 else ""
        items.append(f'<li>{badges} <b>{escape(citation_figure(first))}</b> '
                     f'<span class="muted">{escape(citation_origin(first))} · {escape(citation_place(first))}</span>{also}</li>')
    figures = "".join(items)
    return ('<div class="calc-box"><div class="calc-title">计算过程 / Calculation</div>'
            f'<div class="calc-expr">{escape(shown).replace(chr(10), "<br>")}{escape(unit)}</div>'
            f'<ul class="calc-figures">{figures}</ul></div>')


# ---------------------------------------------------------------- source viewer

def viewer_placeholder() -> str:
    return ('<div class="viewer-empty">选择一个引用，查看原文表格或段落，被引用的单元格会高亮显示。<br>'
            '<span class="en">Select a citation to see the source table or paragraph with the cited cell highlighted.</span></div>')


def source_header_html(n: int, c: Citation, doc_title: str = "") -> str:
    rows = [
        ("文件 Document", f"{c.doc}" + (f" — {doc_title}" if doc_title else "")),
        ("机构 Organisation", f"{c.org}" + (f"（{c.scope}）" if c.scope else "")),
        ("年度 / 类型 Year / kind", f"{c.year} · {kind_label(c.kind)}"),
        ("位置 Location", citation_place(c)),
    ]
    if c.value is not None:
        rows.append(("数值 Value", citation_figure(c)))
    items = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in rows)
    return f'<div class="src-head"><div class="src-badge">[{n}]</div><dl>{items}</dl></div>'


def source_html(n: int, c: Citation, document: Document | None, table: Table | None) -> str:
    """The cited table with the row and cell highlighted, or the cited paragraph with the figure marked."""
    head = source_header_html(n, c, document.meta.title if document else "")
    if table is not None:
        row_index = find_row(table, c)
        col_index = find_column(table, table.rows[row_index], c) if row_index is not None else None
        if row_index is not None:
            return head + table_html(table, row_index, col_index)
    if document is not None and 1 <= c.line <= len(document.lines):
        return head + paragraph_html(document, c)
    return head + f'<div class="src-missing">原文不可用 / source not available: {escape(c.quote)}</div>'


def find_row(table: Table, c: Citation) -> int | None:
    """Index of the cited row: same source line (the row's, or one of its cells' when a row spans lines),
    then row code, then label."""
    on_line = [i for i, r in enumerate(table.rows) if r.line == c.line or c.line in (r.cell_lines or ())]
    if len(on_line) > 1:
        labelled = [i for i in on_line if _norm(table.rows[i].label) == _norm(c.row)]
        valued = [i for i in (labelled or on_line) if c.value is not None and c.value in table.rows[i].cells]
        on_line = valued or labelled or on_line
    if on_line:
        return on_line[0]
    for i, r in enumerate(table.rows):
        if c.row_code and r.code == c.row_code:
            return i
    for i, r in enumerate(table.rows):
        if c.row and _norm(r.label) == _norm(c.row):
            return i
    return None


def find_column(table: Table, row: Row, c: Citation) -> int | None:
    """Index of the cited column: by column name, narrowed or replaced by the cited value."""
    wanted = _norm(c.column)
    named: list[int] = []
    if wanted:
        joined = [_norm("".join(path)) for path in table.columns]
        named = [i for i, j in enumerate(joined) if j == wanted]
        if not named:
            named = [i for i, path in enumerate(table.columns) if path and _norm(path[-1]) == wanted]
        if not named:
            named = [i for i, j in enumerate(joined) if j and (j.endswith(wanted) or wanted.endswith(j))]
    by_value = [i for i, v in enumerate(row.cells) if c.value is not None and v is not None and v == c.value]
    both = [i for i in named if i in by_value]
    for candidates in (both, named, by_value):
        if candidates:
            return candidates[0]
    return None


def _header_rows(columns: tuple[tuple[str, ...], ...]) -> list[list[tuple[str, int, int]]]:
    """Multi-level header cells (text, colspan, rowspan) from column paths, merging shared prefixes."""
    depth = max((len(p) for p in columns), default=1) or 1
    rows: list[list[tuple[str, int, int]]] = []
    for level in range(depth):
        cells: list[tuple[str, int, int]] = []
        i = 0
        while i < len(columns):
            path = columns[i]
            if len(path) <= level:
                i += 1
                continue
            j = i + 1
            if len(path) > level + 1:
                while j < len(columns) and len(columns[j]) > level + 1 and columns[j][:level + 1] == path[:level + 1]:
                    j += 1
            rowspan = depth - level if len(path) == level + 1 else 1
            cells.append((path[level], j - i, rowspan))
            i = j
        rows.append(cells)
    return rows


def table_html(table: Table, hit_row: int | None, hit_col: int | None) -> str:
    """The table as printed, cited row and cell highlighted; long tables show a window around the hit."""
    rows = table.rows
    has_code = any(r.code for r in rows)
    entities = {r.entity for r in rows if r.entity}
    has_entity = len(entities) > 1          # one shared 单位 goes into the caption instead of a column
    headers = _header_rows(table.columns)
    lead = [("编码 Code", has_code), ("预算单位 Entity", has_entity), ("项目 Item", True)]
    head_html = []
    for level, cells in enumerate(headers):
        out = []
        if level == 0:
            out += [f'<th rowspan="{len(headers)}">{escape(name)}</th>' for name, shown in lead if shown]
        out += [f'<th colspan="{cs}" rowspan="{rs}">{escape(text)}</th>' for text, cs, rs in cells]
        head_html.append("<tr>" + "".join(out) + "</tr>")

    width = sum(shown for _, shown in lead) + len(table.columns)
    if len(rows) <= MAX_TABLE_ROWS or hit_row is None:
        start, end = 0, min(len(rows), MAX_TABLE_ROWS if hit_row is None else len(rows))
    else:
        start, end = max(0, hit_row - TABLE_WINDOW), min(len(rows), hit_row + TABLE_WINDOW + 1)
    body = []
    if start > 0:
        body.append(f'<tr class="gap"><td colspan="{width}">⋯ 上方省略 {start} 行 / {start} rows above ⋯</td></tr>')
    for i in range(start, end):
        body.append(_row_html(rows[i], i == hit_row, hit_col if i == hit_row else None, has_code, has_entity))
    if end < len(rows):
        rest = len(rows) - end
        body.append(f'<tr class="gap"><td colspan="{width}">⋯ 下方省略 {rest} 行 / {rest} rows below ⋯</td></tr>')

    number = f"{table.number} " if table.number else ""
    part = f"（{table.part}）" if table.part else ""
    entity = f"{next(iter(entities))} · " if len(entities) == 1 else ""
    caption = (f'<div class="tbl-caption"><b>{escape(number + table.title + part)}</b>'
               f'<span class="muted">{escape(entity)}金额单位 unit: {escape(table.unit)} · 第 {table.line_start}–{table.line_end} 行</span>'
               f'{_checks_badge(table)}</div>')
    return (f'<div class="src-table">{caption}<div class="tbl-scroll"><table class="budget">'
            f'<thead>{"".join(head_html)}</thead><tbody>{"".join(body)}</tbody></table></div></div>')


def _row_html(row: Row, hit: bool, hit_col: int | None, has_code: bool, has_entity: bool) -> str:
    indent = max(0, len(row.path) - 1) if row.path else 0
    cells = []
    if has_code:
        cells.append(f'<td class="code">{escape(row.code or "")}</td>')
    if has_entity:
        cells.append(f'<td class="entity">{escape(row.entity or "")}</td>')
    cells.append(f'<td class="label" style="padding-left:{0.6 + 0.9 * min(indent, 5):.1f}em">{escape(row.label)}</td>')
    for j, value in enumerate(row.cells):
        cls = "num hit-cell" if hit and j == hit_col else "num"
        cells.append(f'<td class="{cls}">{escape(format_value(value))}</td>')
    attrs = f' class="hit-row" data-line="{row.line}"' if hit else f' data-line="{row.line}"'
    return f"<tr{attrs}>{''.join(cells)}</tr>"


def _checks_badge(table: Table) -> str:
    if not table.checks:
        return ""
    failed = [c for c in table.checks if not c.passed]
    if not failed:
        return f'<span class="badge ok">✓ {len(table.checks)} 项校验通过 checks passed</span>'
    return f'<span class="badge warn" title="{escape("; ".join(c.detail or c.name for c in failed))}">⚠ {len(failed)} 项校验未通过 checks failed</span>'


def figure_span(text: str, c: Citation) -> tuple[int, int] | None:
    """Character span of the cited figure (with its unit) in a line, searched after the row label."""
    if c.value is None:
        return None
    flat = normalize_digits(text)  # same length: digit normalisation is one character for one
    hits = [m for m in NUMBER_RE.finditer(flat) if parse_number(m.group()) == c.value]
    if not hits:
        return None
    anchor = flat.find(c.row) if c.row else -1
    after = [m for m in hits if anchor >= 0 and m.start() >= anchor]
    m = (after or hits)[0]
    end = m.end()
    rest = flat[end:]
    stripped = rest.lstrip(" ")
    for unit in _UNITS:
        if stripped.startswith(unit):
            end += len(rest) - len(stripped) + len(unit)
            break
    return m.start(), end


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    left = max(text.rfind(p, 0, start) for p in _SENTENCE_END)
    rights = [i for i in (text.find(p, end) for p in _SENTENCE_END) if i >= 0]
    return left + 1, (min(rights) + 1 if rights else len(text))


def _marked(text: str, sentence: tuple[int, int] | None, figure: tuple[int, int] | None) -> str:
    """Escape text, wrapping the sentence in .hit-sentence and the figure in .hit-cell."""
    if sentence is None:
        return escape(text)
    s0, s1 = sentence
    inner = text[s0:s1]
    if figure is not None:
        f0, f1 = figure[0] - s0, figure[1] - s0
        inner_html = escape(inner[:f0]) + f'<mark class="hit-cell">{escape(inner[f0:f1])}</mark>' + escape(inner[f1:])
    else:
        inner_html = escape(inner)
    return escape(text[:s0]) + f'<mark class="hit-sentence">{inner_html}</mark>' + escape(text[s1:])


def _cited_line_html(text: str, c: Citation) -> str:
    figure = figure_span(text, c)
    if figure is None:
        label_at = text.find(c.row) if c.row else -1
        if label_at >= 0:
            figure = (label_at, label_at + len(c.row))
    sentence = _sentence_bounds(text, *figure) if figure else (0, len(text))
    if len(text) <= 2 * EXCERPT_CHARS + 60 or figure is None:
        return _marked(text, sentence, figure)
    # long paragraph: an excerpt around the cited sentence, the full line one click away
    lo = max(0, min(sentence[0], figure[0] - EXCERPT_CHARS))
    hi = min(len(text), max(sentence[1], figure[1] + EXCERPT_CHARS))
    excerpt = _marked(text[lo:hi], (sentence[0] - lo, sentence[1] - lo), (figure[0] - lo, figure[1] - lo))
    excerpt = ("…" if lo > 0 else "") + excerpt + ("…" if hi < len(text) else "")
    return (excerpt + '<details class="full-line"><summary>全文 / full paragraph</summary>'
            f'{_marked(text, sentence, figure)}</details>')


def paragraph_html(document: Document, c: Citation, context: int = 2) -> str:
    """The cited line with a few non-blank lines either side; the cited sentence and figure highlighted."""
    before, after = [], []
    n = c.line - 1
    while n >= 1 and len(before) < context:
        if document.line(n).strip():
            before.insert(0, n)
        n -= 1
    n = c.line + 1
    while n <= len(document.lines) and len(after) < context:
        if document.line(n).strip():
            after.append(n)
        n += 1
    rows = []
    for number in before + [c.line] + after:
        text = document.line(number)
        if number == c.line:
            body, cls = _cited_line_html(text, c), "para-line hit-line"
        else:
            short = text if len(text) <= 140 else text[:140] + "…"
            body, cls = escape(short), "para-line"
        rows.append(f'<div class="{cls}" data-line="{number}"><span class="ln">{number}</span>'
                    f'<span class="tx">{body.replace(chr(9), TAB)}</span></div>')
    section = f'<div class="tbl-caption"><b>{escape(c.table or "正文 text")}</b><span class="muted">原文段落 / paragraph</span></div>'
    return f'<div class="src-para">{section}{"".join(rows)}</div>'
