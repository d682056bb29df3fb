"""Rebuild a jumbled table header into ordered column paths and the row relations they imply.

The PDF text of a header is cut across lines ("附属单位 / 上缴收入", "一般公共预 / 算财政拨款") and its levels
are interleaved. With spaces removed, the header text is segmented into known column names (longest
match); label-column words (项目, 科目编码, 行次 …) are dropped. Sub-column runs start with 小计/合计 and attach
to the earliest group heading that fits (本年支出 ← 小计 基本支出 项目支出; 预算数 ← 合计 因公出国（境）费 …).
Relations follow from the names: a 合计/小计 column is the sum of its siblings, and
年末结转和结余 = 年初结转和结余 + 本年收入 − 本年支出.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from corpus.spaced.columns import Relation
from corpus.model import ColumnPath
from corpus.spaced.text import squeeze

# Column names seen in 部门预算/决算 public tables and performance self-evaluation tables.
COLUMN_WORDS = (
    "本年收入合计", "本年支出合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入",
    "附属单位上缴收入", "其他收入", "基本支出", "项目支出", "上缴上级支出", "经营支出",
    "对附属单位补助支出", "年初结转和结余", "年末结转和结余", "本年收入", "本年支出", "小计", "合计",
    "决算数", "预算数", "金额", "一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款",
    "因公出国（境）费", "公务用车购置及运行费", "公务用车购置费", "公务用车运行费", "公务接待费",
    "非常满意", "满意", "比较满意", "不满意", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率",
    "得分", "年度指标值", "实际完成值", "人员经费", "公用经费", "结余分配", "使用非财政拨款结余",
)
# Words of the label columns and layout, not value columns.
LABEL_WORDS = (
    "项目", "功能分类", "经济分类", "科目编码", "科目名称", "行次", "栏次", "问题", "收入", "支出",
    "一级指标", "二级指标", "三级指标", "偏差原因分析及改进措施",
)
# Headings that group sub-columns (a run beginning with 小计/合计 attaches to one of them).
GROUP_WORDS = ("本年支出", "本年收入", "预算数", "决算数", "公务用车购置及运行费")
TOTAL_WORDS = ("合计", "小计")


@dataclass
class _Node:
    name: str
    children: list["_Node"] = field(default_factory=list)

    def leaves(self, prefix: ColumnPath = ()) -> list[ColumnPath]:
        path = prefix + (self.name,)
        if not self.children:
            return [path]
        return [leaf for child in self.children for leaf in child.leaves(path)]


@dataclass(frozen=True)
class Header:
    columns: tuple[ColumnPath, ...]
    relations: tuple[Relation, ...]
    unknown: tuple[str, ...] = ()     # header text that is no known column name


def segment(text: str) -> tuple[list[str], list[str]]:
    """Longest-match segmentation: (column words in order, unknown fragments)."""
    s = squeeze(text)
    vocab = sorted(set(COLUMN_WORDS) | set(LABEL_WORDS), key=len, reverse=True)
    words: list[str] = []
    unknown: list[str] = []
    pending = ""
    i = 0
    while i < len(s):
        match = next((w for w in vocab if s.startswith(w, i)), None)
        if match is None:
            pending += s[i]
            i += 1
            continue
        if pending.strip("0123456789"):
            unknown.append(pending)
        pending = ""
        if match in COLUMN_WORDS:
            words.append(match)
        i += len(match)
    if pending.strip("0123456789"):
        unknown.append(pending)
    return words, unknown


def _fits(group: _Node, run: list[str]) -> bool:
    """A run fits a group heading: 预算数/决算数 take any run; others need a shared stem (支出, 公务用车)."""
    if group.children or group.name not in GROUP_WORDS or group.name in run:
        return False
    if group.name in ("预算数", "决算数"):
        return True
    names = [w for w in run if w not in TOTAL_WORDS]
    return any(w[-2:] == group.name[-2:] or w[:4] == group.name[:4] for w in names)


def build_tree(words: list[str]) -> list[_Node]:
    """Top-level words first; each run starting with 合计/小计 attaches to the earliest fitting leaf."""
    first_run = next((i for i, w in enumerate(words) if w in TOTAL_WORDS), len(words))
    top = [_Node(w) for w in words[:first_run]]
    runs: list[list[str]] = []
    for w in words[first_run:]:
        if w in TOTAL_WORDS or not runs:
            runs.append([w])
        else:
            runs[-1].append(w)
    if not top:
        return [_Node(w) for run in runs for w in run]
    for run in runs:
        target = _first_fitting(top, run)
        if target is None:
            top.extend(_Node(w) for w in run)
        else:
            target.children = [_Node(w) for w in run]
    return top


def _first_fitting(nodes: list[_Node], run: list[str]) -> _Node | None:
    """Breadth-first: the shallowest, leftmost heading that fits."""
    level = list(nodes)
    while level:
        for node in level:
            if _fits(node, run):
                return node
        level = [child for node in level for child in node.children]
    return None


def relations_of(tree: list[_Node]) -> tuple[Relation, ...]:
    leaves = [leaf for node in tree for leaf in node.leaves()]
    index = {leaf: i for i, leaf in enumerate(leaves)}
    relations: list[Relation] = []

    def column_of(node: _Node, prefix: ColumnPath) -> int | None:
        path = prefix + (node.name,)
        if not node.children:
            return index[path]
        first = node.children[0]
        return index[path + (first.name,)] if first.name in TOTAL_WORDS and not first.children else None

    def walk(siblings: list[_Node], prefix: ColumnPath) -> None:
        if not siblings:
            return
        first = siblings[0]
        if (first.name in TOTAL_WORDS or first.name.endswith("合计")) and not first.children and len(siblings) > 1:
            parts = [column_of(n, prefix) for n in siblings[1:]]
            if all(p is not None for p in parts):
                relations.append(Relation.total(index[prefix + (first.name,)], parts))
        for node in siblings:
            if node.children:
                walk(node.children, prefix + (node.name,))

    walk(tree, ())
    names = {n.name: column_of(n, ()) for n in tree}
    flow = [names.get(w) for w in ("年末结转和结余", "年初结转和结余", "本年收入", "本年支出")]
    if all(c is not None for c in flow):
        end, start, income, spent = flow
        relations.append(Relation(((end, 1), (start, -1), (income, -1), (spent, 1))))
    return tuple(relations)


def parse_header(text: str, n_columns: int | None = None) -> Header:
    """Column paths and relations for a header; n_columns (from the 栏次 line) validates the result."""
    words, unknown = segment(text)
    return header_from_words(words, unknown, n_columns)


def header_from_words(words: list[str], unknown: list[str] | tuple[str, ...] = (),
                      n_columns: int | None = None) -> Header:
    tree = build_tree(list(words))
    columns = tuple(leaf for node in tree for leaf in node.leaves())
    unknown = list(unknown)
    if n_columns is not None and len(columns) != n_columns:
        unknown.append(f"header gives {len(columns)} columns, 栏次 gives {n_columns}")
        return Header(tuple((f"第{i + 1}栏",) for i in range(n_columns)), (), tuple(unknown))
    return Header(columns, relations_of(tree), tuple(unknown))
