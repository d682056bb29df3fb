"""The Gradio Blocks UI: chat with numbered citations, source viewer, calculation box, filters and admin upload."""
from __future__ import annotations

import logging
from html import escape
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.chart import chart_for
from assistant.model import Answer
from corpus.loader import SUPPORTED_SUFFIXES
from corpus.model import BUDGET, FINAL_ACCOUNTS
from webui import render
from webui.api import answer_json
from webui.browse import build_browse_tab
from webui.chart_render import chart_html
from webui.services import AppServices, RequestError, check_question, trim_history
from webui.upload import add_document, report_html, run_index_or_raise

log = logging.getLogger(__name__)
STYLE = (Path(__file__).with_name("style.css")).read_text(encoding="utf-8")
ALL = ""  # dropdown value meaning "no filter"

EXAMPLES = [
    "2024年深圳医保中心的医保自助设备服务费预算是多少？",
    "江门市医疗保障局2024年“三公”经费预算是多少？",
    "漳州市医疗保障局2024年的一般公共预算支出合计是多少？",
    "深圳市医疗保险基金管理中心2020年决算的基本支出是多少？",
    "How much is Jiangmen's 2024 budget for 三公 expenses?",
    "What did the Shenzhen medical insurance fund centre actually spend in 2020?",
]

CITE_JS = """
element.addEventListener('click', (event) => {
  const card = event.target.closest('[data-cite]');
  if (card) { trigger('click', {cite: parseInt(card.dataset.cite, 10)}); }
});
"""

# In-chat [n] markers: clicking one asks the server (through a hidden textbox) to open that answer's citation n.
REF_CLICK_JS = """
() => {
  document.addEventListener('click', (event) => {
    const ref = event.target.closest('#chat .ref');
    if (!ref) return;
    const rows = Array.from(document.querySelectorAll('#chat .message-row.bot-row'));
    const turn = rows.indexOf(ref.closest('.message-row'));
    const cite = parseInt(ref.textContent.replace(/\\D/g, ''), 10);
    const box = document.querySelector('#cite-request textarea, #cite-request input');
    if (turn < 0 || !cite || !box) return;
    event.stopPropagation();
    event.preventDefault();
    box.value = turn + ':' + cite + ':' + Date.now();
    box.dispatchEvent(new Event('input', {bubbles: true}));
  }, true);
}
"""

PENDING = {"title": "正在查找文件并核对数字… / Searching the documents…", "status": "pending"}


def theme() -> gr.themes.Theme:
    fonts = ["PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Zen Hei", "system-ui", "sans-serif"]
    return gr.themes.Soft(primary_hue="blue", secondary_hue="sky", neutral_hue="slate",
                          font=fonts, font_mono=["ui-monospace", "DejaVu Sans Mono", "monospace"])


def header_html(services: AppServices) -> str:
    docs = services.library.documents()
    orgs = sorted({d.meta.org for d in docs})
    return ('<div class="app-header"><div class="app-title">预算问答 <span class="en">Budget Q&amp;A</span></div>'
            '<div class="app-sub">依据政府部门预算、决算公开文件回答问题，每个数字都标注出处（表格单元格或原文句子）。'
            '<br><span class="en">Answers from published government budgets and final accounts; '
            'every figure cites the table cell or sentence it comes from.</span></div>'
            f'<div class="app-docs">{len(docs)} 份文件 documents · ' + " · ".join(orgs) + "</div></div>")


def filter_choices(services: AppServices) -> tuple[list, list, list]:
    facets = services.library.facets()
    orgs = [("全部 / All", ALL)] + [(o, o) for o in facets.orgs]
    years = [("全部 / All", ALL)] + [(str(y), str(y)) for y in facets.years]
    kinds = [("全部 / All", ALL)] + [(render.kind_label(k), k) for k in facets.kinds]
    return orgs, years, kinds


def documents_rows(services: AppServices) -> list[list[Any]]:
    return [[d.doc_id, d.meta.org, d.meta.scope or "", d.meta.year, render.kind_label(d.meta.kind),
             d.meta.unit, len(d.lines), d.encoding] for d in sorted(services.library.documents(), key=lambda d: d.doc_id)]


def build_ui(services: AppServices) -> gr.Blocks:
    orgs, years, kinds = filter_choices(services)

    def source_for(answer: Answer | None, n: int | None) -> str:
        if answer is None or not n or not (1 <= n <= len(answer.citations)):
            return render.viewer_placeholder()
        citation = answer.citations[n - 1]
        try:
            return render.source_html(n, citation, services.library.document(citation.doc),
                                      services.library.table_for(citation))
        except Exception:  # the viewer must never break the chat
            log.exception("source viewer failed for %s", citation)
            return render.source_header_html(n, citation) + render.viewer_placeholder()

    def panel(answer: Answer | None, n: int | None) -> tuple:
        citations = answer.citations if answer else []
        # the bar chart of comparable figures, then the calculation, in one box beside the chat
        calc_html = (chart_html(chart_for(answer)) if answer else "") + render.calculation_html(answer)
        return (render.citation_cards_html(citations, n), gr.update(value=calc_html, visible=bool(calc_html)),
                source_for(answer, n))

    def respond(question, messages, history, turns, org, year, kind):
        try:
            question = check_question(question, services.limits)
        except RequestError as exc:  # empty or too long: say why; the text stays in the box, the chat is unchanged
            gr.Warning(escape(str(exc)), duration=15)
            yield (gr.skip(),) * 10
            return
        messages = messages + [{"role": "user", "content": question},
                               {"role": "assistant", "content": "", "metadata": PENDING}]
        yield ("", messages, messages, history, turns, gr.skip(), gr.skip(), gr.skip(), gr.skip(),
               gr.update(interactive=False))
        filters = {"org": org or None, "year": year or None, "kind": kind or None}
        history = trim_history(history, services.limits)   # the same caps as /api/ask; the oldest turns go first
        try:
            answer = services.ask(question, history, filters)
        except RequestError as exc:
            answer = Answer(text=f"⚠ {exc}", refusal=True)
        except Exception as exc:
            log.exception("ask failed")
            answer = Answer(text=f"⚠ 抱歉，回答时出错 / Sorry, something went wrong: {type(exc).__name__}", refusal=True)
        messages = messages[:-1] + [{"role": "assistant", "content": render.answer_markdown(answer)}]
        history = history + [{"role": "user", "content": question}, {"role": "assistant", "content": answer.text}]
        turns = turns + [{"message": len(messages) - 1, "answer": answer}]
        first = 1 if answer.citations else None
        cards, calc, viewer = panel(answer, first)
        yield (gr.skip(), messages, messages, history, turns, len(turns) - 1, cards, calc, viewer,
               gr.update(interactive=True))

    def show_citation(turns, current, evt: gr.EventData):
        answer = turns[current]["answer"] if turns and current is not None else None
        n = getattr(evt, "cite", None) if evt is not None else None
        return panel(answer, n)

    def select_message(turns, evt: gr.SelectData):
        for i, turn in enumerate(turns):
            if turn["message"] == evt.index:
                answer = turn["answer"]
                return (i, *panel(answer, 1 if answer.citations else None))
        return (gr.skip(),) * 4

    def open_reference(request, turns):
        try:
            turn, n = (int(part) for part in (request or "").split(":")[:2])
            answer = turns[turn]["answer"]
        except (ValueError, IndexError, TypeError):
            return (gr.skip(),) * 4
        return (turn, *panel(answer, n))

    def clear():
        return ([], [], [], [], None, *panel(None, None))

    def upload(file, progress=gr.Progress(track_tqdm=True)):
        if file is None:
            return ('<div class="upload-report bad">请先选择一个文件（.txt .pdf .xlsx .docx）/ choose a file first (.txt .pdf .xlsx .docx)</div>',
                    gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip())
        path = Path(file)
        with services.update_lock:
            report = add_document(services.settings, path.name, path.read_bytes(), run_index_or_raise,
                                  progress=lambda f, text: progress(f, desc=text))
            if report.ok:
                progress(0.95, desc="重新加载 / reloading the assistant")
                try:
                    services.reload()
                except Exception as exc:
                    log.exception("reload after upload failed")
                    report.message += (f"；但重新加载失败，请重启应用 / but reloading failed ({type(exc).__name__}); "
                                       "restart the app to search the new document")
        new_orgs, new_years, new_kinds = filter_choices(services)
        return (report_html(report), documents_rows(services), gr.update(choices=new_orgs),
                gr.update(choices=new_years), gr.update(choices=new_kinds), header_html(services), None)

    def api_ask(question: str, history: list[dict] | None = None, filters: dict | None = None) -> dict:
        """Answer a question; returns the same JSON as `budget-qa ask --json`."""
        try:
            answer = services.ask(question, history, filters)
        except RequestError as exc:
            raise gr.Error(str(exc)) from None
        return answer_json(question.strip(), answer)

    with gr.Blocks(title="预算问答 · Budget Q&A", analytics_enabled=False) as demo:
        header = gr.HTML(header_html(services), elem_id="app-header", js_on_load=None)
        messages_state = gr.State([])
        history_state = gr.State([])
        turns_state = gr.State([])
        current_state = gr.State(None)
        cite_request = gr.Textbox(visible="hidden", elem_id="cite-request")
        with gr.Tabs():
            with gr.Tab("问答 / Ask", id="ask"):
                with gr.Row(equal_height=False):
                    with gr.Column(scale=11, min_width=420):
                        with gr.Row(elem_id="filters"):
                            org = gr.Dropdown(orgs, value=ALL, label="机构 / Organisation", scale=3)
                            year = gr.Dropdown(years, value=ALL, label="年度 / Year", scale=1, min_width=140)
                            kind = gr.Dropdown(kinds, value=ALL, label="类型 / Kind", scale=2, min_width=150)
                        chatbot = gr.Chatbot(
                            elem_id="chat", label="对话 / Conversation", height=540, buttons=["copy"],
                            feedback_options=None, group_consecutive_messages=False,
                            placeholder=("### 您好！\n可以用中文或英文提问预算、决算数字，例如某项经费、支出合计或增减变化。"
                                         "\n\n*Ask in Chinese or English about budget and final-accounts figures.*"))
                        with gr.Row(elem_id="ask-row"):
                            question = gr.Textbox(placeholder="输入问题，按回车发送… / Type a question and press Enter…",
                                                  show_label=False, scale=8, elem_id="question", autofocus=True,
                                                  max_lines=4)
                            send = gr.Button("发送 / Send", variant="primary", scale=1, min_width=110, elem_id="send")
                            reset = gr.Button("清空 / Clear", scale=1, min_width=100, elem_id="clear")
                        gr.Examples(EXAMPLES, inputs=question, label="示例问题 / Example questions",
                                    examples_per_page=6)
                    with gr.Column(scale=10, min_width=380, elem_id="side"):
                        calc = gr.HTML("", elem_id="calc", js_on_load=None, visible=False)
                        gr.HTML('<div class="side-title">引用 / Citations <span class="muted">点击查看原文 · click to view the source</span></div>',
                                js_on_load=None)
                        cards = gr.HTML(render.citation_cards_html([]), elem_id="citations", js_on_load=CITE_JS)
                        gr.HTML('<div class="side-title">原文 / Source</div>', js_on_load=None)
                        viewer = gr.HTML(render.viewer_placeholder(), elem_id="source-viewer", js_on_load=None)
            with gr.Tab("数据浏览 / Browse", id="browse"):
                build_browse_tab(services, orgs, years, kinds)
            with gr.Tab("文件管理 / Documents", id="admin"):
                gr.Markdown("#### 语料库文件 / Documents in the corpus")
                documents = gr.Dataframe(
                    value=documents_rows(services), interactive=False, elem_id="documents",
                    headers=["文件 file", "机构 organisation", "范围 scope", "年度 year", "类型 kind",
                             "单位 unit", "行数 lines", "编码 encoding"])
                gr.Markdown("#### 添加文件 / Add a document\n"
                            "上传预算或决算文件：`.txt`（UTF-8 或 GBK）、`.pdf`（有文字层）、`.xlsx` 或 `.docx`。文件先经过检查和解析，只有解析成功才会加入语料库并重建索引；"
                            "失败时现有语料库和索引保持不变。\n\n"
                            "*Upload a budget or final-accounts document: `.txt` (UTF-8 or GBK), `.pdf` (with a text layer), `.xlsx` or `.docx`. It is checked and parsed first; "
                            "only a document that parses is added and indexed, and a failure leaves the corpus and index unchanged.*")
                with gr.Row():
                    upload_file = gr.File(label="文件 / File (.txt .pdf .xlsx .docx)", file_types=list(SUPPORTED_SUFFIXES), type="filepath",
                                          elem_id="upload-file", scale=3)
                    upload_btn = gr.Button("检查并加入 / Check & add", variant="primary", elem_id="upload-btn", scale=1)
                upload_report = gr.HTML("", elem_id="upload-report", js_on_load=None, min_height=90)

        chat_outputs = [question, chatbot, messages_state, history_state, turns_state, current_state,
                        cards, calc, viewer, send]
        chat_inputs = [question, messages_state, history_state, turns_state, org, year, kind]
        question.submit(respond, chat_inputs, chat_outputs, concurrency_limit=4, api_visibility="private",
                        show_progress_on=[chatbot])
        send.click(respond, chat_inputs, chat_outputs, concurrency_limit=4, api_visibility="private",
                   show_progress_on=[chatbot])
        cards.click(show_citation, [turns_state, current_state], [cards, calc, viewer], api_visibility="private",
                    show_progress="hidden")
        chatbot.select(select_message, [turns_state], [current_state, cards, calc, viewer], api_visibility="private")
        chatbot.clear(clear, None, [chatbot, messages_state, history_state, turns_state, current_state,
                                    cards, calc, viewer], api_visibility="private")
        cite_request.change(open_reference, [cite_request, turns_state], [current_state, cards, calc, viewer],
                           api_visibility="private", show_progress="hidden")
        reset.click(clear, None, [chatbot, messages_state, history_state, turns_state, current_state,
                                  cards, calc, viewer], api_visibility="private")
        upload_btn.click(upload, [upload_file], [upload_report, documents, org, year, kind, header, upload_file],
                         api_visibility="private", concurrency_limit=1, show_progress_on=[upload_report])
        gr.api(api_ask, api_name="ask", concurrency_limit=8)
    return demo


def mount(app, services: AppServices, path: str = "/"):
    """Mount the UI on a FastAPI app (telemetry off, local fonts only)."""
    demo = build_ui(services)
    return gr.mount_gradio_app(app, demo, path=path, theme=theme(), css=STYLE, js=REF_CLICK_JS, footer_links=["api"],
                               run_history=False, ssr_mode=False, mcp_server=False)
