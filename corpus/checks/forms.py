"""Checks of particular table forms, each found from the table's own cells and names (any layout):

* shares: a table of percentages whose rows each split 100% (满意度调查: 非常满意 | 满意 | 比较满意 | 不满意);
* execution rate: 执行率 = 全年执行数 / 全年预算数 on a project self-evaluation table's fund rows;
* economic summary: 人员经费合计 = 301 + 303 and 人员经费 + 公用经费 = Σ 类 on a 基本支出 table by
  economic classification;
* column assignment: every figure the reading found sits in one column (a figure that could belong to
  several, e.g. printed across two columns, is reported, not guessed)."""
from __future__ import annotations

from decimal import Decimal

from corpus.checks.arith import figure, unit_of
from corpus.model import Check, Table
from corpus.tables.cells import norm_text

HUNDRED = Decimal(100)
_BUDGET, _SPENT, _RATE = "全年预算数", "全年执行数", "执行率"
_RATE_SLACK = Decimal("0.5")     # a rate printed as a whole percent may be off by half a point
_PERSONNEL, _PUBLIC = "人员经费", "公用经费"


def _half_ulp(value: Decimal) -> Decimal:
    exponent = value.as_tuple().exponent
    return Decimal(1).scaleb(exponent) / 2 if isinstance(exponent, int) else Decimal("0.005")


def shares_check(table: Table) -> Check | None:
    """Rows of ≥ 2 percentages that mostly add up to 100% are shares: each must (to its rounding)."""
    if len(table.columns) < 2:
        return None
    full, fits, bad = 0, 0, []
    for row in table.rows:
        values = [figure(table, row, c) for c in range(len(table.columns))]
        if any(v is not None and unit_of(table, row, c) != "%" for c, v in enumerate(values)):
            return None
        if any(v is None for v in values):
            continue
        full += 1
        total = sum(values, Decimal(0))
        if abs(total - HUNDRED) <= sum((_half_ulp(v) for v in values), Decimal(0)):
            fits += 1
        else:
            bad.append(f"line {row.line}: Σ = {total}%")
    if full < 2 or fits * 2 < full:
        return None
    return Check("row-sum", not bad, f"every row sums to 100% ({full} rows)" if not bad else "; ".join(bad[:4]))


def _column(table: Table, leaf: str) -> int | None:
    found = [i for i, path in enumerate(table.columns) if path and norm_text(path[-1]) == leaf]
    return found[0] if len(found) == 1 else None


def execution_rate_check(table: Table) -> Check | None:
    budget, spent, rate = (_column(table, name) for name in (_BUDGET, _SPENT, _RATE))
    if budget is None or spent is None or rate is None:
        return None
    checked, bad = [], []
    for row in table.rows:
        b, s, r = (figure(table, row, c) for c in (budget, spent, rate))
        if not b or s is None or r is None or unit_of(table, row, rate) != "%":
            continue
        actual = s / b * 100
        checked.append(f"{row.label}: {s}/{b} = {actual:.2f}% vs printed {r}%")
        if abs(actual - r) > _RATE_SLACK + _half_ulp(r) * 2:
            bad.append(checked[-1])
    if not checked:
        return None
    return Check("execution-rate", not bad, "; ".join((bad or checked)[:3]))


def summary_check(table: Table) -> list[Check]:
    """The 人员经费 / 公用经费 summary rows of a one-column table by economic classification."""
    if len(table.columns) != 1:
        return []
    value = {}
    for row in table.rows:
        key = row.code or norm_text(row.label)
        v = figure(table, row, 0)
        value.setdefault(key, Decimal(0) if v is None else v)
    classes = [r for r in table.rows if r.code and len(r.code) == 3]
    personnel = next((v for k, v in value.items() if k.startswith(_PERSONNEL)), None)
    public = next((v for k, v in value.items() if k.startswith(_PUBLIC)), None)
    if personnel is None or not classes:
        return []
    parts = value.get("301", Decimal(0)) + value.get("303", Decimal(0))
    checks = [Check("summary", abs(parts - personnel) <= Decimal("0.015"),
                    f"人员经费合计 {personnel} vs 301+303 = {parts}")]
    if public is not None:
        total = sum((value[r.code] for r in classes), Decimal(0))
        ok = abs(total - personnel - public) <= Decimal("0.005") * (len(classes) + 2)
        checks.append(Check("summary", ok, f"人员经费 + 公用经费 = {personnel + public} vs Σ 类 = {total}"))
    return checks


def column_assignment_check(table: Table) -> Check | None:
    placed = sum(1 for r in table.rows for v in r.cells if v is not None)
    undecided = [(r, value, columns) for r in table.rows for value, columns in r.unplaced]
    if not placed and not undecided:
        return None
    detail = f"{placed} figures placed"
    if undecided:
        names = ["line {} {}: {} could be {}".format(r.line, r.label, value, " / ".join(
            "/".join(table.columns[c]) for c in columns) or "no consistent column") for r, value, columns in undecided]
        detail += f"; {len(undecided)} undecided: " + "; ".join(names[:3])
    return Check("column-assignment", not undecided, detail)
