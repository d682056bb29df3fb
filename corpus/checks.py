"""Arithmetic checks on tables (placeholder until the table parser lands)."""
from __future__ import annotations

from corpus.model import Check, Table


def check_table(table: Table) -> tuple[Check, ...]:
    return ()


def cross_table_notes(tables: list[Table]) -> dict[str, list[str]]:
    return {}
