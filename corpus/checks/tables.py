"""Arithmetic validation of parsed tables (generic over Table, any layout) and cross-table notes."""
from __future__ import annotations

from corpus.checks.arith import money
from corpus.checks.columns import row_sum_checks
from corpus.checks.cross_tables import cross_table_notes
from corpus.checks.forms import column_assignment_check, execution_rate_check, shares_check, summary_check
from corpus.model import Check, Table
from corpus.checks.rows import ROW_CHECKS


def check_table(table: Table) -> tuple[Check, ...]:
    """Every arithmetic check that applies (a table with none gets Check('no-arithmetic', True, reason)),
    then whether every figure sits in one column. The same cells give the same checks whatever the
    layout or file format they were read from."""
    checks = row_sum_checks(table)
    for rule in ROW_CHECKS + (shares_check, execution_rate_check):
        check = rule(table)
        if check is not None:
            checks.append(check)
    checks += summary_check(table)
    if not checks:
        checks.append(Check("no-arithmetic", True, _why_none(table)))
    placement = column_assignment_check(table)
    return tuple(checks) + ((placement,) if placement else ())


def _why_none(table: Table) -> str:
    numeric_rows = [r for r in table.rows if any(money(table, r, c) is not None for c in range(len(r.cells)))]
    if not numeric_rows:
        if any(v is not None for r in table.rows for v in r.cells):
            return "performance targets, each printed with its own unit (≥95%, 180台): nothing to add up"
        return "no numeric cells (text or target values only)"
    if len(numeric_rows) == 1:
        return "a single row of figures with no total column to reconcile"
    return "no total row, total column or row hierarchy printed to reconcile against"


__all__ = ["check_table", "cross_table_notes"]
