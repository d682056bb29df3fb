"""Searchable views of facts: cleaned labels, columns, the clause a prose figure sits in, years
mentioned, totals, sub-unit (entity) and change statements ("较2023年增加 X 万元")."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from corpus.model import Fact
from assistant.paragraphs import ParagraphText
from assistant.text import clean_label, nfkc, norm, strip_spaces_between_cjk

TOTAL_ROW = re.compile(r"^(?:合计|总计|小计|金额合计|本年收入合计|本年支出合计|收入总计|支出总计|收入合计|支出合计|"
                       r"总额|年度资金总额|.*-小计)$")
TOTAL_COL = re.compile(r"合计|总计|小计|总额|支出总计|收入总计|预算数|决算数|^预算$|^决算$|年预算数|金额|本年支出|本年收入")
_GENERIC_TITLE = re.compile(r"(?:情况表|预算表|决算表|总表|明细表|表|（按[^）]*）|\(按[^)]*\)|按[^（(]*分类|公开\d+表)")
_YEAR_IN = re.compile(r"((?:19|20)\d\d)\s*年度?")
_CHANGE = re.compile(r"(?:较|比|与)\s*(上年|上一年|去年|(?:19|20)\d\d\s*年)\s*(?:度)?\s*(年初预算|预算数?|决算数?|相比)?"
                     r"[^，。；,;]{0,12}?(增加|减少|增长|下降|多|少|持平|无变化)\s*$")
_COUNT_UNITS = ("个", "台", "家", "人", "名", "辆", "笔", "宗", "次", "项", "所", "间", "张", "份", "套", "部", "件", "条", "页", "篇")
_FACT_DIRECTIONS = {"增加": "up", "增长": "up", "减少": "down", "下降": "down", "持平": "flat"}
_FIGURE_WITH_UNIT = re.compile(r"(?<![\d.])\d[\d,]*(?:\.\d+)?\s*(?:万元|亿元|元|%|％|万人|万页|个|辆|人|台|家|页|项|次|笔|宗|件|户|名|张|套|份)")
_CLAUSE_BREAK = re.compile(r"[，。；：,;:！？!?]")
_SENTENCE_BREAK = re.compile(r"[。；;！？!?]")


@dataclass(frozen=True)
class Change:
    direction: str          # up / down / flat
    year_ref: int | None    # the earlier year compared with
    basis: str              # 年初预算 / 预算 / ""
    percent: bool           # the change is a percentage (增长 4.8%)


@dataclass
class FactView:
    fact: Fact
    idx: int
    label: str                       # shown to users
    label_key: str                   # matching form of the label (org names and years removed)
    path_key: str = ""
    column: str = ""                 # shown column, e.g. 基本支出
    column_key: str = ""
    column_leaf_key: str = ""        # the informative last level of the column path
    column_index: int = 0
    table_key: str = ""
    clause_key: str = ""             # prose: the clause before the figure
    post_key: str = ""               # prose: the noun after a count ("18 个内设机构")
    sentence_key: str = ""           # prose: the whole sentence
    entity: str | None = None        # sub-unit the figure belongs to
    total_row: bool = False
    total_col: bool = False
    years: tuple[int, ...] = ()      # years the label / clause mention
    change: Change | None = None     # this figure is a change versus an earlier year
    prose: bool = False
    printed: str = ""                # the figure as printed in the quote
    para: tuple[int, int] = (0, 0)   # prose: (first line of the paragraph, offset of the figure in it)
    sentence_start: int = 0          # prose: offset where the figure's sentence starts
    sub_item: bool = False           # prose: comes after 其中 in its sentence (a breakdown, not the headline)
    purpose: str = ""                # what the item is for, as the document says it (用于… / a 绩效目标 cell)
    subject: str = ""                # prose: the project a "该项目…" sentence is about (named in an earlier sentence)
    purpose_key: str = ""            # matching form of purpose
    bigrams: dict = field(default_factory=dict)   # field -> set of bigrams

    @property
    def value(self) -> Decimal:
        return self.fact.value


def _bg(s: str) -> frozenset:
    if len(s) < 2:
        return frozenset([s]) if s else frozenset()
    return frozenset(s[i:i + 2] for i in range(len(s) - 1))


def key_of(text: str, strip: list[str] | None = None) -> str:
    s = nfkc(text)
    s = _YEAR_IN.sub("", s)
    for name in strip or ():
        if name and len(name) >= 3:
            s = s.replace(name, "")
    return norm(s)


def title_key(title: str) -> str:
    t = nfkc(title)
    t = re.sub(r"^[一二三四五六七八九十]+、|^表\s*\d+|^\d+\s*年度?", "", t.strip())
    t = _GENERIC_TITLE.sub("", t)
    return norm(t)


def column_text(column: tuple[str, ...]) -> str:
    parts = [clean_label(c) for c in column if c and clean_label(c)]
    informative = [p for p in parts if p not in ("小计", "合计")] or parts
    return informative[-1] if informative else ""


def is_total_column(column: tuple[str, ...], index: int) -> bool:
    if index == 0:
        return True
    leaf = clean_label(column[-1]) if column else ""
    parents = [clean_label(c) for c in column[:-1]]
    if leaf in ("小计", "合计") and not parents:
        return True
    return bool(leaf and TOTAL_COL.search(leaf)) and not any(p for p in parents if p not in ("本年收入", "本年支出"))


def locate_number(text: str, value: Decimal, start: int = 0) -> tuple[int, int] | None:
    """Span of the printed figure equal to value in text, searching from start."""
    for m in re.finditer(r"(?<![\d.])[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?", text):
        if m.end() <= start:
            continue
        try:
            v = Decimal(m.group(0).replace(",", "").replace("−", "-"))
        except Exception:
            continue
        if v == value:
            return m.start(), m.end()
    return None


def build_view(idx: int, f: Fact, paragraphs: ParagraphText | None, strip: list[str],
               column_index: int = 0, entity: str | None = None, read_upto: dict[int, int] | None = None) -> FactView:
    """entity: the sub-unit the fact belongs to, already resolved (None = the whole document). read_upto:
    per paragraph, the end of the last prose figure located, so a figure printed twice in one paragraph
    ("0万元，比上年增加0万元") is found at its own place when the document's facts come in reading order."""
    label = clean_label(f.row) or f.row
    years = set(int(y) for y in _YEAR_IN.findall(nfkc(" ".join([f.row, " ".join(f.column)]))))
    view = FactView(fact=f, idx=idx, label=label, label_key=key_of(label, strip),
                    path_key=key_of("".join(clean_label(p) for p in f.row_path[:-1]), strip),
                    column=column_text(f.column), column_key=key_of(" ".join(f.column), strip),
                    column_leaf_key=key_of(column_text(f.column), strip),
                    column_index=column_index, table_key=title_key(f.table),
                    entity=entity,
                    prose=f.source != "table")
    if f.source == "table":
        view.total_row = bool(TOTAL_ROW.match(label)) or (label == re.sub(r"\s+", "", f.org)) or \
            bool(f.entity and label == re.sub(r"\s+", "", f.entity)) or bool(re.match(r"^(?:19|20)\d\d年度?$", label)) \
            or norm(label) == norm(f.table) or not view.label_key
        if f.unit == "分" and view.total_row and not re.search(r"总分|合计|总计", label):
            view.total_row = False     # the funding row's score (年度资金总额 … 得分 10) is one indicator's, not the total
        view.total_col = is_total_column(f.column, column_index)
        view.printed = _printed(f.quote, f.value)
    else:
        view.total_col = True          # a prose figure has no columns to choose from
        _prose_context(view, paragraphs, strip, read_upto if read_upto is not None else {})
        years |= set(view.years)
    if f.year_ref and f.year_ref != f.year:
        years.add(f.year_ref)
    view.years = tuple(sorted(years))
    view.purpose_key = key_of(view.purpose, strip) if view.purpose else ""
    view.bigrams = {name: _bg(getattr(view, name)) for name in
                    ("label_key", "path_key", "column_key", "column_leaf_key", "table_key", "clause_key", "post_key",
                     "sentence_key", "purpose_key")}
    view.bigrams["column_parent"] = _parent_bigrams(f.column, view.column, strip) - view.bigrams["column_leaf_key"]
    if f.source == "table" and _FUNDING_ROW.match(label):
        # 资金总额 / 财政拨款 in a project's own table (困难企业职工…医保补助项目绩效目标表): the project is what the
        # row is about (shown with the label; matched through the table title)
        view.subject = _project_of(f.table)
    return view


_FUNDING_ROW = re.compile(r"^(?:年度)?资金总额[:：]?$|^(?:财政拨款|其他资金)[:：]?$")


def _project_of(title: str) -> str:
    """The project a table is about: "困难企业职工、濒破企业人员医保补助项目绩效目标表" -> …医保补助项目."""
    t = re.sub(r"[（(][^）)]*[)）]$", "", nfkc(title).strip())
    t = re.sub(r"(?:绩效目标表|绩效自评表|目标表|表)$", "", t)
    return t if t.endswith(("项目", "经费", "资金")) and len(t) >= 6 else ""


PURPOSE_CHARS = 160
_PURPOSE_START = re.compile(r"(?:主要|全部|专项|专门)?(?:用于|用来|是用于)")
_NEXT_PURPOSE = re.compile(r"^\s*(?:该|此|这|上述)?(?:项目|资金|经费|款项|科目|笔资金|部分)?\s*(?:主要|全部|专项)?(?:用于|用来)")
_ANAPHOR = re.compile(r"该项目|该资金|此项目|本项目|该项经费|上述项目|该单位")


def _prose_purpose(text: str, sent_start: int, fig_start: int, fig_end: int, sent_end: int) -> str:
    """What a prose figure is for, in the document's words: "智能核卡项目 347 万元，用于人脸识别查房…" ->
    the 用于 clause after the figure (when no other figure comes first: in "主要包括：A 1,620 万元，用于…"
    the clause is A's); "…10.00 万元。主要用于困难企业职工…" -> the next sentence; "该项目综合得分为 87.63 分"
    -> the sentence before, which names the project."""
    after = text[fig_end:sent_end]
    m = _PURPOSE_START.search(after)
    if m and not re.search(r"\d", after[:m.start()]):
        return _no_figures(after[m.start():])[:PURPOSE_CHARS]
    rest = text[sent_end:].lstrip("。；;！？!? ")
    if _NEXT_PURPOSE.match(rest):
        stop = _SENTENCE_BREAK.search(rest)
        return _no_figures(rest[:stop.start() if stop else len(rest)])[:PURPOSE_CHARS]
    if _ANAPHOR.search(text[sent_start:fig_start]) and sent_start > 0:
        before = text[:sent_start].rstrip("。；;！？!? ")
        prev = max((m.end() for m in _SENTENCE_BREAK.finditer(before)), default=0)
        return before[prev:][-PURPOSE_CHARS:]
    return ""


_PURPOSE_COLUMN = re.compile(r"绩效目标|主要内容|用途|项目内容|项目概况|资金投向")
_PURPOSE_ROW = re.compile(r"可行性|实施期目标|年度(?:绩效)?目标|项目概况|主要内容|资金用途")
_SHARED_LABEL = 4           # a label this long names one item, so a purpose stated for it anywhere in the document is its


def attach_purposes(views: list["FactView"], tables: dict, strip: list[str]) -> None:
    """Give table rows the purpose their own description cell states (项目支出表's 绩效目标 column, 主要内容),
    then give every fact of a document whose label names an item with a stated purpose (in a table or in a
    用于 sentence) that purpose too. In place."""
    by_row: dict[tuple, str] = {}
    by_table: dict[str, str] = {}
    for t in tables.values():
        for r in t.rows:
            texts = [txt.strip() for col, txt in r.text_cells
                     if col and _PURPOSE_COLUMN.search(col[-1]) and len(norm(txt)) >= 6]
            if texts:
                by_row[(t.table_id, r.line)] = by_row[(t.table_id, r.label)] = "；".join(texts)[:PURPOSE_CHARS]
            elif _PURPOSE_ROW.search(clean_label(r.label)) and r.text_cells and t.table_id not in by_table:
                # a project's own table: "项目申报的可行性 | 确保关闭、破产企业…补助资金及时足额到位" says what its
                # funding rows (资金总额 …) are for
                by_table[t.table_id] = max((txt.strip() for _, txt in r.text_cells), key=len)[:PURPOSE_CHARS]
    for v in views:
        f = v.fact
        if f.source == "table" and not v.purpose:
            v.purpose = by_row.get((f.table_id, f.line)) or by_row.get((f.table_id, f.row)) or \
                (by_table.get(f.table_id, "") if f.unit in ("万元", "元") else "")
    stated: dict[tuple, str] = {}
    for v in views:
        if v.purpose and len(v.label_key) >= _SHARED_LABEL and not v.total_row:
            stated.setdefault((v.fact.doc_id, v.label_key), v.purpose)
    for v in views:
        if not v.purpose and not v.total_row and len(v.label_key) >= _SHARED_LABEL:
            v.purpose = stated.get((v.fact.doc_id, v.label_key), "")
        key = key_of(v.purpose, strip) if v.purpose else ""
        if key != v.purpose_key:
            v.purpose_key = key
            v.bigrams["purpose_key"] = _bg(key)


def _antecedent(before: str) -> str:
    """The last project the text names ("…现金报销初审承办业务外包项目主要用于…" -> 现金报销初审承办业务外包项目),
    not a pointer to one (该项目, 上述两项目)."""
    for run in reversed(re.findall(r"[\u4e00-\u9fff]+", before[-400:])):
        at = run.rfind("项目")
        name = run[:at + 2] if at >= 0 else ""
        if len(name) >= 6 and not re.match(r"^(?:该|此|本|上述|这|那|各|两|多)", name):
            return name
    return ""


def _no_figures(text: str) -> str:
    """A purpose stops before another figure ("用于…；B 60 万元…" belongs to B); one that says nothing
    ("主要用于以下方面") is none."""
    m = re.search(r"\d[\d,.]*\s*(?:万元|亿元|元)", text)
    text = (text[:m.start()] if m else text).rstrip("，,、；;：: ")
    said = _PURPOSE_START.sub("", text, count=1)
    return "" if len(re.findall(r"[\u4e00-\u9fff]", said)) < 4 or re.match(r"^\s*(?:以下|如下)", said) else text


def _parent_bigrams(column: tuple[str, ...], leaf: str, strip: list[str]) -> frozenset:
    """Bigrams of the column levels above the leaf, level by level (no bigrams spanning two levels, no
    其中 marker): "2022年政府采购项目 / 其中：面向小型、微型企业政府采购项目" -> 政府采购项目."""
    out: set[str] = set()
    for c in column:
        part = clean_label(c)
        if part and part != leaf and part not in ("小计", "合计"):
            out |= _bg(key_of(part, strip))
    return frozenset(out)


def _printed(quote: str, value: Decimal) -> str:
    span = locate_number(nfkc(quote), value)
    return nfkc(quote)[span[0]:span[1]] if span else ""


def _prose_context(view: FactView, paragraphs: ParagraphText | None, strip: list[str],
                   read_upto: dict[int, int]) -> None:
    f = view.fact
    if paragraphs is None:
        text, offsets = nfkc(f.quote), {f.line: 0}
    else:
        text, offsets = paragraphs.paragraph(f.line)
        text = nfkc(text)
    base = offsets.get(f.line, 0)
    first = min(offsets) if offsets else f.line
    span = locate_number(text, f.value, max(base, read_upto.get(first, base)))
    if span is None:
        span = locate_number(text, f.value, base)
    if span is None:
        span = locate_number(text, f.value, 0)
    if span is not None:
        read_upto[first] = span[1]
    if span is None:
        clause = nfkc(f.row)
        view.clause_key = key_of(clause, strip)
        view.sentence_key = key_of(nfkc(f.quote), strip)
        return
    s, e = span
    view.printed = text[s:e]
    view.para = (min(offsets) if offsets else f.line, s)
    before = text[:s]
    cut = max((m.end() for m in _CLAUSE_BREAK.finditer(before)), default=0)
    # "省部级领导干部用车0辆、机要通信用车0辆": a clause also begins after the figure printed before it
    cut = max([cut] + [m.end() for m in _FIGURE_WITH_UNIT.finditer(before, cut)][-1:])
    clause = before[cut:]
    if len(norm(clause)) < 3:      # "……支出年初预算 195,973.26万元，调整预算数为 203,296.04" : look one clause further back
        prev_cut = max((m.end() for m in _CLAUSE_BREAK.finditer(before[:max(cut - 1, 0)])), default=0)
        clause = before[prev_cut:]
    sent_start = max((m.end() for m in _SENTENCE_BREAK.finditer(before)), default=0)
    after = text[e:]
    sent_end = next((m.start() for m in _SENTENCE_BREAK.finditer(after)), len(after))
    sentence = text[sent_start:e + sent_end]
    view.sentence_start = sent_start
    view.purpose = _prose_purpose(text, sent_start, s, e, e + sent_end)
    full_stop = max((m.end() for m in re.finditer(r"[。！？!?]", before)), default=0)
    view.sub_item = bool(re.search(r"其中|包括", text[full_stop:s]))
    post = ""
    unit_m = re.match(r"\s*(万元|亿元|元|%|平方米|人次|" + "|".join(_COUNT_UNITS) + ")", after)
    if unit_m and unit_m.group(1) in _COUNT_UNITS + ("人次",):
        rest = after[unit_m.end():]
        stop = _CLAUSE_BREAK.search(rest)
        post = rest[: stop.start() if stop else len(rest)][:24]
        post = re.split(r"其中|包括|\d", post)[0]
    clause = strip_spaces_between_cjk(clause)
    view.label = clean_label(f.row) if f.row and len(norm(f.row)) >= 2 else clean_label(clause)[-24:]
    bare_label = re.sub(r"\d+(?:\.\d+)?\s*(?:万元|元|%|[个家台人名辆笔次项])?", "", _YEAR_IN.sub("", view.label))
    view.label_key = key_of(re.sub(r"^[个家台人名辆笔次项]", "", bare_label), strip)
    if _ANAPHOR.search(text[sent_start:s]) and len(view.label_key) <= 6:      # a measure, not an item of its own
        # "该项目综合得分为 87.63 分": the project the paragraph named before is what the figure is about
        view.subject = _antecedent(text[:sent_start])
        if view.subject and view.subject not in view.label:
            view.label_key = key_of(view.subject + view.label, strip)
    view.clause_key = key_of(clause, strip)
    view.post_key = key_of(post, strip)
    view.sentence_key = key_of(sentence, strip)
    years = {int(y) for y in _YEAR_IN.findall(clause)}
    prefix = text[sent_start:s]
    prefix_years = {int(y) for y in _YEAR_IN.findall(prefix)}
    as_of = re.search(r"(?:截至|截止|至)\s*((?:19|20)\d\d)\s*年", prefix)
    if as_of and int(as_of.group(1)) in (f.year - 1, f.year):
        # "截至2023年12月31日" in a 2024 budget: the current state, not another year's figure
        years.discard(int(as_of.group(1)))
        prefix_years.discard(int(as_of.group(1)))
    if prefix_years and not years:
        years = prefix_years if f.year not in prefix_years else set()
    view.years = tuple(sorted(years))
    m = _CHANGE.search(clause)
    if m:
        ref = m.group(1)
        yr = int(re.sub(r"\D", "", ref)) if re.search(r"\d", ref) else f.year - 1
        word = m.group(3)
        direction = "up" if word in ("增加", "增长", "多") else "down" if word in ("减少", "下降", "少") else "flat"
        pct = bool(re.match(r"\s*%", after))
        view.change = Change(direction, yr, m.group(2) or "", pct)
        if yr not in view.years:
            view.years = tuple(sorted(set(view.years) | {yr}))
    elif f.qualifier in _FACT_DIRECTIONS and f.year_ref and f.year_ref != f.year:
        # the corpus read the comparison across the clause break: "与 2019 年度相比，…各增加了 478.33 万元"
        view.change = Change(_FACT_DIRECTIONS[f.qualifier], f.year_ref, "", f.unit == "%")
        view.years = tuple(sorted(set(view.years) | {f.year_ref}))
