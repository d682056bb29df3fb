"""Compare a printed total with the sum of printed parts, allowing for the rounding the documents
declare (单位转换/四舍五入 尾数误差): each printed figure may be off by half its last digit."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from corpus.numbers import format_amount


@dataclass(frozen=True)
class Outcome:
    ok: bool
    exact: bool
    total: Decimal
    computed: Decimal
    tolerance: Decimal

    def describe(self) -> str:
        if self.exact:
            return f"{fmt_figure(self.total)} exact"
        diff = self.total - self.computed
        verdict = "within rounding" if self.ok else "MISMATCH"
        return f"printed {fmt_figure(self.total)} vs computed {fmt_figure(self.computed)} (diff {fmt_figure(diff)}, {verdict} ±{fmt_figure(self.tolerance)})"


def fmt_figure(value: Decimal) -> str:
    exponent = value.as_tuple().exponent
    places = max(0, -exponent) if isinstance(exponent, int) else 2
    return format_amount(value, places)


def quantum(value: Decimal) -> Decimal:
    exponent = value.as_tuple().exponent
    return Decimal(1).scaleb(exponent) if isinstance(exponent, int) else Decimal("0.01")


MONEY_UNITS = ("万元", "元", "亿元", "千元")
EXACT_STEP = Decimal("0.01")     # scores, counts, rates: printed exactly, at most two decimals


def tolerance(total: Decimal, parts: list[Decimal], step: Decimal | None = None) -> Decimal:
    """(n + 1) half-units of the coarsest printed precision among the figures (money converted between
    units is rounded to what it prints), or of `step` for figures printed exactly (an integer score is
    exact, not rounded)."""
    coarsest = step or max([quantum(total)] + [quantum(p) for p in parts if p != 0] or [quantum(total)])
    return coarsest / 2 * (len(parts) + 1)


def step_for(unit: str | None) -> Decimal | None:
    """The rounding step figures of this unit carry: None (their printed precision) for money."""
    return None if unit is None or unit in MONEY_UNITS else EXACT_STEP


def compare(total: Decimal, parts: list[Decimal], sign: list[int] | None = None,
            step: Decimal | None = None) -> Outcome:
    signs = sign or [1] * len(parts)
    computed = sum((p * s for p, s in zip(parts, signs)), Decimal(0))
    tol = tolerance(total, parts, step)
    diff = abs(total - computed)
    return Outcome(ok=diff <= tol, exact=diff == 0, total=total, computed=computed, tolerance=tol)


def sum_cells(values: list[Decimal | None]) -> list[Decimal] | None:
    """Parts for a sum: blank cells count as nothing; None when every part is blank."""
    if all(v is None for v in values):
        return None
    return [v if v is not None else Decimal(0) for v in values]


def unit_of(table, row, c: int) -> str:
    """The unit a cell's figure is in: its own, else its column's, else the table's."""
    for units in (row.cell_units, table.column_units):
        if c < len(units) and units[c] is not None:
            return units[c]
    return table.unit


def figure(table, row, c: int) -> Decimal | None:
    """A cell printed as an exact figure in any unit (targets with ≥/≤/约 are not)."""
    if c >= len(row.cells) or (c < len(row.cell_qualifiers) and row.cell_qualifiers[c]):
        return None
    return row.cells[c]


def money(table, row, c: int) -> Decimal | None:
    """A cell in the table's own unit, printed as an exact figure; targets (≥95%, 180台, ≤800万元)
    are not added up."""
    if c >= len(row.cells) or (c < len(row.cell_qualifiers) and row.cell_qualifiers[c]):
        return None
    for units in (row.cell_units, table.column_units):
        if c < len(units) and units[c] is not None and units[c] != table.unit:
            return None
    return row.cells[c]
