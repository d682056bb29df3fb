"""Row hierarchy: paths of labels from the root, from 科目编码 prefixes or outline numbering.

A row's path ends with its own label; () means its depth cannot be told (an unnumbered,
uncoded row among numbered or coded ones)."""
from __future__ import annotations

from dataclasses import dataclass

ITEM, TOTAL, ENTITY = "item", "total", "entity"
PLAIN = "plain"


@dataclass(frozen=True)
class Node:
    label: str                 # label without outline numbering
    code: str | None = None    # printed or inferred 科目编码
    style: str | None = None   # numbering style (cn, cn-paren, arabic, arabic-paren) or None
    kind: str = ITEM           # ITEM, TOTAL or ENTITY
    child_of: str | None = None  # parent label learned elsewhere in the document


def parent_code(code: str, known: set[str]) -> str | None:
    """Longest known proper prefix of a 科目编码 (210 <- 21015 <- 2101506)."""
    for cut in range(len(code) - 2, 2, -2):
        if code[:cut] in known:
            return code[:cut]
    return None


def build_paths(nodes: list[Node]) -> list[tuple[str, ...]]:
    paths: list[tuple[str, ...]] = []
    code_stack: list[tuple[str, str]] = []
    styles: list[str] = []
    level_labels: list[str] = []
    for node in nodes:
        if node.kind != ITEM:
            code_stack, styles, level_labels = [], [], []
            paths.append((node.label,))
            continue
        if node.code:
            while code_stack and not (node.code.startswith(code_stack[-1][0]) and node.code != code_stack[-1][0]):
                code_stack.pop()
            paths.append(tuple(label for _, label in code_stack) + (node.label,))
            code_stack.append((node.code, node.label))
            if node.style:
                _enter(styles, level_labels, node.style, node.label)
            continue
        if node.style:
            level = _enter(styles, level_labels, node.style, node.label)
            paths.append(tuple(level_labels[:level]) + (node.label,))
            continue
        if node.child_of and level_labels and level_labels[0] == node.child_of:
            del level_labels[1:]
            paths.append((node.child_of, node.label))
            continue
        if code_stack or (styles and styles[0] != PLAIN):
            paths.append(())
            continue
        _enter(styles, level_labels, PLAIN, node.label)
        paths.append((node.label,))
    return paths


def _enter(styles: list[str], level_labels: list[str], style: str, label: str) -> int:
    """Place a numbered row: a style seen before returns to its level; a new one nests deeper."""
    if style in styles:
        level = styles.index(style)
        del styles[level + 1:]
    else:
        styles.append(style)
        level = len(styles) - 1
    del level_labels[level:]
    while len(level_labels) < level:
        level_labels.append("")
    level_labels.append(label)
    return level


def infer_code(candidates: set[str], stack_codes: list[str], lead_digits: set[str]) -> str | None:
    """Pick the one candidate 科目编码 consistent with the rows above: it extends the nearest coded
    ancestor when there is one, else it is a top-level code of the same classification."""
    pool = set(candidates)
    for code in reversed(stack_codes):
        under = {c for c in pool if c.startswith(code) and c != code}
        if under:
            pool = under
            break
    else:
        if lead_digits:
            pool = {c for c in pool if c[0] in lead_digits}
    if len(pool) > 1:
        shortest = min(len(c) for c in pool)
        pool = {c for c in pool if len(c) == shortest}
    return next(iter(pool)) if len(pool) == 1 else None


def assign_codes(nodes: list[Node], label_codes: dict[str, set[str]]) -> list[Node]:
    """Give uncoded rows the 科目编码 their label carries in the document's coded tables,
    when exactly one fits (used for hierarchy only; the row's printed code stays None)."""
    if not label_codes or any(n.code for n in nodes):
        return nodes
    items = [n for n in nodes if n.kind == ITEM]
    if sum(1 for n in items if n.label in label_codes) * 2 < len(items):
        return nodes        # a few look-alike labels are not a coded table
    out: list[Node] = []
    stack: list[str] = []
    leads: set[str] = set()
    for node in nodes:
        if node.kind != ITEM:
            stack, leads = [], set()
            out.append(node)
            continue
        code = infer_code(label_codes.get(node.label, set()), stack, leads)
        if code:
            while stack and not code.startswith(stack[-1]):
                stack.pop()
            stack.append(code)
            leads.add(code[0])
        out.append(Node(node.label, code, node.style, node.kind, node.child_of))
    return out
