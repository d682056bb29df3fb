"""The 数据浏览 / Browse tab: pick a document (or filter by organisation, year, kind) and a table, see the
table rebuilt from its facts, search item names, open any figure's source, download what is shown."""
from __future__ import annotations

import logging

import gradio as gr

from corpus.model import Fact
from webui import render
from webui.browse_render import download_links_html, fact_table_html, results_html
from webui.facts import PROSE, FactQuery, fact_citation

log = logging.getLogger(__name__)
ALL = ""

# a click on a figure cell asks the server to open that fact's source
FACT_CLICK_JS = """
element.addEventListener('click', (event) => {
  const cell = event.target.closest('[data-fact]');
  if (cell) { trigger('click', {fact: parseInt(cell.dataset.fact, 10)}); }
});
"""


def _year(value: str) -> int | None:
    return int(value) if value else None


def query_of(org, year, kind, doc, table, q) -> FactQuery:
    return FactQuery(doc=doc or None, org=org or None, year=_year(year), kind=kind or None, table=table or None,
                     q=(q or "").strip() or None)


def document_choices(services, org, year, kind) -> list[tuple[str, str]]:
    docs = services.facts.documents(query_of(org, year, kind, None, None, None))
    return [("全部 / All", ALL)] + [(f"{d.meta.org}{'（' + d.meta.scope + '）' if d.meta.scope else ''} "
                                     f"{d.meta.year} {d.meta.kind} · {d.doc_id}", d.doc_id) for d in docs]


def table_choices(services, doc) -> list[tuple[str, str]]:
    if not doc:
        return [("全部 / All", ALL)]
    tables = [(f"{t.number + ' ' if t.number else ''}{t.title}{'（' + t.part + '）' if t.part else ''} "
               f"· 第 {t.line_start} 行", t.table_id) for t in services.facts.tables(doc)]
    return [("全部 / All", ALL)] + tables + [("正文中的数字 / figures in the text", PROSE)]


def view(services, query: FactQuery) -> tuple[str, list[Fact]]:
    """The HTML of what the query selects, and the facts in the order their cells are numbered."""
    if not query.q and not query.table and not query.doc:
        hint = ('<div class="viewer-empty">选择一个文件和表格，或输入项目名称搜索（中文、拼音首字母或英文）。<br>'
                '<span class="en">Choose a document and a table, or search item names (Chinese, pinyin initials '
                'or English).</span></div>')
        return hint, []
    facts = services.facts.select(query)
    if query.table and query.table != PROSE and not query.q:
        table = next((t for t in services.facts.tables(query.doc or query.table.split("#")[0])
                      if t.table_id == query.table), None)
        if table is not None:
            return fact_table_html(table, facts), facts
    text = query.q or ("正文 text" if query.table == PROSE else "全部 all")
    return results_html(facts, len(facts), text), facts


def build_browse_tab(services, orgs, years, kinds) -> None:
    """The tab's components and events (called inside gr.Blocks, under gr.Tabs)."""
    shown = gr.State([])          # the facts whose cells are on screen, by data-fact index
    with gr.Row(equal_height=False):
        with gr.Column(scale=13, min_width=480):
            with gr.Row(elem_id="browse-filters"):
                org = gr.Dropdown(orgs, value=ALL, label="机构 / Organisation", scale=3, elem_id="browse-org")
                year = gr.Dropdown(years, value=ALL, label="年度 / Year", scale=1, min_width=120, elem_id="browse-year")
                kind = gr.Dropdown(kinds, value=ALL, label="类型 / Kind", scale=2, min_width=140, elem_id="browse-kind")
            with gr.Row():
                doc = gr.Dropdown(document_choices(services, ALL, ALL, ALL), value=ALL, label="文件 / Document",
                                  scale=3, elem_id="browse-doc")
                table = gr.Dropdown(table_choices(services, ALL), value=ALL, label="表格 / Table", scale=3,
                                    elem_id="browse-table")
            search = gr.Textbox(placeholder="搜索项目名称，如 接待、gwjdf、reception… / search item names",
                                show_label=False, elem_id="browse-search", max_lines=1)
            downloads = gr.HTML(download_links_html(FactQuery()), elem_id="browse-downloads", js_on_load=None)
            grid = gr.HTML(view(services, FactQuery())[0], elem_id="browse-view", js_on_load=FACT_CLICK_JS)
        with gr.Column(scale=9, min_width=360):
            gr.HTML('<div class="side-title">原文 / Source <span class="muted">点击数字查看 · click a figure</span></div>',
                    js_on_load=None)
            viewer = gr.HTML(render.viewer_placeholder(), elem_id="browse-viewer", js_on_load=None)

    def refresh(org_v, year_v, kind_v, doc_v, table_v, q_v):
        query = query_of(org_v, year_v, kind_v, doc_v, table_v, q_v)
        html, facts = view(services, query)
        return html, facts, download_links_html(query)

    def filters_changed(org_v, year_v, kind_v, q_v):
        docs = document_choices(services, org_v, year_v, kind_v)
        only = docs[1][1] if len(docs) == 2 else ALL          # one document left: pick it
        return (gr.update(choices=docs, value=only), gr.update(choices=table_choices(services, only), value=ALL),
                *refresh(org_v, year_v, kind_v, only, ALL, q_v))

    def doc_changed(org_v, year_v, kind_v, doc_v, q_v):
        return (gr.update(choices=table_choices(services, doc_v), value=ALL),
                *refresh(org_v, year_v, kind_v, doc_v, ALL, q_v))

    def open_fact(facts, evt: gr.EventData):
        i = getattr(evt, "fact", None) if evt is not None else None
        if not isinstance(i, int) or not (0 <= i < len(facts)):
            return render.viewer_placeholder()
        fact = facts[i]
        document = services.library.document(fact.doc_id)
        citation = fact_citation(fact, document.meta.scope if document else None)
        try:
            return render.source_html(1, citation, document, services.library.table_for(citation))
        except Exception:  # the viewer must never break the tab
            log.exception("browse viewer failed for %s", citation)
            return render.source_header_html(1, citation) + render.viewer_placeholder()

    view_outputs = [grid, shown, downloads]
    for box in (org, year, kind):
        box.input(filters_changed, [org, year, kind, search], [doc, table, *view_outputs], api_visibility="private",
                  show_progress="hidden")
    doc.input(doc_changed, [org, year, kind, doc, search], [table, *view_outputs], api_visibility="private",
              show_progress="hidden")
    table.input(refresh, [org, year, kind, doc, table, search], view_outputs, api_visibility="private",
                show_progress="hidden")
    search.submit(refresh, [org, year, kind, doc, table, search], view_outputs, api_visibility="private",
                  show_progress="hidden")
    search.input(refresh, [org, year, kind, doc, table, search], view_outputs, api_visibility="private",
                 show_progress="hidden", trigger_mode="always_last")
    grid.click(open_fact, [shown], [viewer], api_visibility="private", show_progress="hidden")
