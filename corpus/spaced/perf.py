"""Tables of the performance report: satisfaction surveys and 项目支出绩效自评表 (附件 2-x).

Their cells are complete (a blank prints as "—"), so columns follow from position; the work is in
reassembling rows that the PDF text broke across lines:
  * survey rows: a question wrapped over lines, then four percentages;
  * project tables: fund rows ("年度资金总额 a b c 分值 执行率 得分", a long figure may wrap: "13223551.7" + "1"),
    and indicator rows "[类别] 三级指标 年度指标值 实际完成值 分值 得分 [偏差原因]" whose label may sit on the
    lines above and whose 偏差原因 (ending with 。) on the lines below.
"""
from __future__ import annotations

import re
from decimal import Decimal

from corpus.model import Document
from corpus.numbers import normalize_digits, parse_number
from corpus.spaced.draft import Draft, DraftRow
from corpus.spaced.headers import segment
from corpus.spaced.regions import PROJECT, SCORING, SURVEY, Region
from corpus.spaced.text import is_page_number, squeeze

_PERCENT = re.compile(r"[-+]?\d+(?:\.\d+)?%")
_PLAIN = re.compile(r"^[-+]?\d+(?:\.\d+)?$")
_QUALIFIERS = ("≥", "≤", ">", "<", "＞", "＜", "约")
_QUANTITY = re.compile(r"^(≥|≤|>|<|＞|＜|约)?\s*([-+]?\d+(?:\.\d+)?)(%)?\s*([^\d\s%]{0,6})$")
_DASH = ("—", "-", "－", "--")
LEVEL1 = ("产出指标", "效益指标", "满意度指标")
LEVEL2 = ("数量指标", "质量指标", "时效指标", "成本指标", "经济效益指标", "社会效益指标", "生态效益指标",
          "可持续影响指标", "服务对象满意度指标")
_INDICATOR_HEADER = "一级指标二级指标三级指标年度指标值实际完成值分值得分偏差原因分析及改进措施"
_FUND_LABELS = ("年度资金总额", "其中：当年财政拨款", "当年财政拨款", "上年结转资金", "其他资金")

PROJECT_COLUMNS = (("项目资金", "年初预算数"), ("项目资金", "全年预算数"), ("项目资金", "全年执行数"),
                   ("执行率",), ("年度指标值",), ("实际完成值",), ("分值",), ("得分",), ("项目金额",))
PROJECT_UNITS = ("元", "元", "元", "%", None, None, "分", "分", "元")
FUND_COLUMNS = (0, 1, 2, 6, 3, 7)   # 年初预算数 全年预算数 全年执行数 分值 执行率 得分 → table columns
TARGET, ACTUAL, SCORE_MAX, SCORE = 4, 5, 6, 7


def build_perf(doc: Document, region: Region) -> list[Draft]:
    if region.family == SURVEY:
        return [_survey(doc, region)]
    if region.family == PROJECT:
        return [_project(doc, region)]
    if region.family == SCORING:
        from corpus.spaced.scoring import build_scoring
        return build_scoring(doc, region)
    return []


def _lines(doc: Document, first: int, last: int) -> list[int]:
    return [n for n in range(first, last + 1) if doc.line(n).strip() and not is_page_number(doc.line(n))]


# -- surveys ------------------------------------------------------------------------------------
def _survey(doc: Document, region: Region) -> Draft:
    header = squeeze(" ".join(doc.line(n) for n in range(region.header[0], region.header[1] + 1)))
    words, _ = segment(header[header.find("问题"):] if "问题" in header else header)   # skip the corner title
    columns = tuple((w,) for w in words)
    draft = Draft(title=region.title, unit="%", columns=columns, rows=[], line_start=region.start,
                  line_end=region.end, number=region.number, checked=False)
    if not columns:
        draft.notes.append("no column names found in the header; rows not read")
        return draft
    pending: list[str] = []
    for n in _lines(doc, *region.body):
        line = normalize_digits(doc.line(n))
        found = list(_PERCENT.finditer(line))
        if len(found) < len(columns):
            pending.append(line.strip())
            continue
        label = "".join(pending) + line[:found[0].start()].strip()
        pending = []
        values = tuple(Decimal(m.group(0).rstrip("%")) for m in found[:len(columns)])
        draft.rows.append(DraftRow(label=label, values=values, line=n, quote=doc.line(n),
                                   fixed=tuple(range(len(values))), path=(label,)))
    if pending:
        draft.notes.append(f"text after the last row not read as a row: {''.join(pending)}")
    return draft


# -- project self-evaluation tables ---------------------------------------------------------------
def _project(doc: Document, region: Region) -> Draft:
    lines = _lines(doc, *region.body)
    name = _project_name(doc, lines)
    title = f"项目支出绩效自评表（{name}）" if name else "项目支出绩效自评表"
    draft = Draft(title=title, unit="元", columns=PROJECT_COLUMNS, rows=[], line_start=region.start,
                  line_end=region.end, number=region.number, checked=False, column_units=PROJECT_UNITS)
    i = 0
    while i < len(lines):
        n = lines[i]
        text = normalize_digits(doc.line(n)).strip()
        if text.startswith("项目名称"):
            _amount_row(doc, n, text, draft)
        elif any(squeeze(text).startswith(label) for label in _FUND_LABELS):
            i = _fund_row(doc, lines, i, draft)
        elif squeeze(text).startswith("一级指标") or squeeze(text) == "一级":
            _indicator_rows(doc, lines[i:], draft)
            break
        i += 1
    return draft


def _project_name(doc: Document, lines: list[int]) -> str:
    for n in lines:
        m = re.match(r"^\s*项目名称\s+(.+?)\s+项目金额", doc.line(n))
        if m:
            return m.group(1).strip()
    return ""


def _amount_row(doc: Document, n: int, text: str, draft: Draft) -> None:
    m = re.search(r"项目金额\s+([\d,]+(?:\.\d+)?)", text)
    if m:
        draft.rows.append(DraftRow(label="项目金额", values=(parse_number(m.group(1)),), line=n,
                                   quote=doc.line(n), fixed=(8,), path=("项目金额",)))


def _fund_row(doc: Document, lines: list[int], i: int, draft: Draft) -> int:
    """Label then six cells (— = blank), possibly continued on the next lines; returns the last index used."""
    n = lines[i]
    text = normalize_digits(doc.line(n)).strip()
    label = text.split()[0]
    chunks = [(c, n) for c in text.split()[1:]]
    j = i
    while len(chunks) < 6 and j + 1 < len(lines):
        nxt = normalize_digits(doc.line(lines[j + 1])).strip()
        parts = nxt.split()
        if not parts or not all(_PLAIN.match(p) or _PERCENT.fullmatch(p) or p in _DASH for p in parts):
            break
        j += 1
        if chunks and len(parts) == 1 and parts[0].isdigit() and _short_decimals(chunks[-1][0]):
            chunks[-1] = (chunks[-1][0] + parts[0], chunks[-1][1])   # a figure wrapped in its cell
            continue
        chunks.extend((p, lines[j]) for p in parts)
    if len(chunks) != 6:
        draft.notes.append(f"line {n}: {label}: expected 6 cells, found {len(chunks)}")
    values, placement, cell_lines = [], [], []
    for (chunk, line), column in zip(chunks, FUND_COLUMNS):
        if chunk in _DASH:
            continue
        value = parse_number(chunk)
        if value is None:
            continue
        values.append(value)
        placement.append(column)
        cell_lines.append(line)
    draft.rows.append(DraftRow(label=label, values=tuple(values), line=n, quote=doc.line(n),
                               fixed=tuple(placement), path=("项目资金", label), lines=tuple(cell_lines)))
    return j


def _short_decimals(chunk: str) -> bool:
    """A money figure printed with fewer than two decimals: its last digit wrapped onto the next line."""
    return bool(re.fullmatch(r"\d+\.\d", chunk))


def _indicator_rows(doc: Document, lines: list[int], draft: Draft) -> None:
    level1 = level2 = ""
    pending: list[str] = []
    in_header = True
    for n in lines:
        raw = normalize_digits(doc.line(n)).strip()
        if in_header and squeeze(raw) and squeeze(raw) in _INDICATOR_HEADER:
            in_header = not squeeze(raw).endswith("措施")   # header fragments: 一级 / 指标 / … / 进措施
            continue
        in_header = False
        parsed = _split_scores(raw)
        if parsed is None:
            pending.append(raw)
            if raw.endswith("。"):
                _attach_reason(draft, pending)
                pending = []
            continue
        prefix, score_max, score, reason = parsed
        text = "".join(pending) + (" " + prefix if prefix else "")
        pending = []
        text, level1, level2 = _strip_levels(text, level1, level2)
        if squeeze(text).startswith("总分"):
            row = DraftRow(label="总分", values=(score_max, score), line=n, quote=doc.line(n),
                           fixed=(SCORE_MAX, SCORE), path=("总分",))
            draft.rows.append(row)
            break
        label, cells = _take_cells(text)
        if not label:
            label, cells = squeeze(text), []
        values, placement, units, quals, texts = [], [], [], [], []
        for column, cell in zip((TARGET, ACTUAL), cells):
            quantity = _quantity(cell)
            if quantity is None:
                texts.append((PROJECT_COLUMNS[column], cell))
                continue
            qualifier, value, unit = quantity
            values.append(value)
            placement.append(column)
            units.append(unit)
            quals.append(qualifier)
        values += [score_max, score]
        placement += [SCORE_MAX, SCORE]
        units += ["分", "分"]
        quals += [None, None]
        path = tuple(p for p in (level1, level2) if p) + (label,)
        row = DraftRow(label=label, values=tuple(values), line=n, quote=doc.line(n), fixed=tuple(placement),
                       path=path, units=tuple(units), qualifiers=tuple(quals))
        row.text_cells = tuple(texts) + ((("偏差原因分析及改进措施",), reason),) if reason else tuple(texts)
        if not cells:
            draft.notes.append(f"line {n}: {label}: 年度指标值/实际完成值 not separated from the label")
        draft.rows.append(row)


def _split_scores(text: str):
    """'… 10 9.48 [偏差原因]' → (prefix, 分值, 得分, reason); None when the line has no score pair."""
    chunks = text.split()
    k = len(chunks)
    while k > 0 and not _PLAIN.match(chunks[k - 1]):
        k -= 1
    if k < 2 or not _PLAIN.match(chunks[k - 2]):
        return None
    reason = "".join(chunks[k:]).strip("—-－")
    return " ".join(chunks[:k - 2]), Decimal(chunks[k - 2]), Decimal(chunks[k - 1]), reason


def _attach_reason(draft: Draft, pending: list[str]) -> None:
    if draft.rows:
        row = draft.rows[-1]
        row.text_cells = row.text_cells + ((("偏差原因分析及改进措施",), "".join(pending)),)


def _strip_levels(text: str, level1: str, level2: str) -> tuple[str, str, str]:
    s = text.strip()
    while True:
        flat = squeeze(s)
        hit = next((w for w in LEVEL1 + LEVEL2 if flat.startswith(w)), None)
        if hit is None:
            return s, level1, level2
        # drop the category word (it may be split by spaces in the printed text)
        taken, i = 0, 0
        while taken < len(hit):
            if not s[i].isspace():
                taken += 1
            i += 1
        s = s[i:].strip()
        if hit in LEVEL1 and hit != "满意度指标":
            level1, level2 = hit, ""
        else:
            level2 = hit


def _take_cells(text: str) -> tuple[str, list[str]]:
    """Split '三级指标 年度指标值 实际完成值' from the right: cells are chunks plus their unit / date parts."""
    chunks = text.split()
    cells: list[str] = []
    while chunks and len(cells) < 2:
        cell = chunks.pop()
        if chunks and (re.fullmatch(r"[^\d\s%≥≤<>＜＞]{1,6}", cell) and _PLAIN.match(chunks[-1].lstrip("≥≤<>＜＞"))):
            cell = chunks.pop() + " " + cell            # '305.63' '万人'
            if cell.endswith("月") and len(chunks) >= 2 and chunks[-1] == "年" and _PLAIN.match(chunks[-2]):
                cell = chunks.pop(-2) + " " + chunks.pop() + " " + cell   # '2020 年 12 月'
        if chunks and chunks[-1] in _QUALIFIERS:
            cell = chunks.pop() + " " + cell            # '约' '60000 单'
        cells.append(cell)
    return " ".join(chunks).strip(), list(reversed(cells))


def _quantity(cell: str) -> tuple[str | None, Decimal, str] | None:
    m = _QUANTITY.match(cell.strip())
    if not m:
        return None
    qualifier, number, percent, unit = m.groups()
    if unit and (unit in ("年", "月") or not re.fullmatch(r"[\u4e00-\u9fff/]+", unit)):
        return None
    return qualifier, Decimal(number), "%" if percent else (unit or "")
