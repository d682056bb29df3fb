"""Tell the department's own rows apart from its sub-units in multi-unit tables.

In a 汇总 budget a table may print the department name twice: first for the whole department,
then for the bureau itself beside its sub-units ('深圳市医疗保障局' 273,800 / 16,910 / 中心 256,890).
The first becomes 'X（汇总）', a lone or later one 'X（本级）'."""
from __future__ import annotations

from corpus.tables.hierarchy import ENTITY
from corpus.tables.rows import ProtoRow

WHOLE, OWN = "（汇总）", "（本级）"


def _runs(rows: list[ProtoRow]) -> list[tuple[int, int, str]]:
    """(start, end, entity) for each stretch of rows sharing an entity, a new one starting at entity rows."""
    runs: list[tuple[int, int, str]] = []
    for i, row in enumerate(rows):
        if row.entity is None:
            continue
        if runs and runs[-1][2] == row.entity and runs[-1][1] == i and row.kind != ENTITY:
            runs[-1] = (runs[-1][0], i + 1, row.entity)
        else:
            runs.append((i, i + 1, row.entity))
    return runs


def disambiguate_entities(rows: list[ProtoRow], department: str) -> list[ProtoRow]:
    runs = _runs(rows)
    names = {name for _, _, name in runs}
    if department not in names or len(names) < 2:
        return rows
    own_runs = [r for r in runs if r[2] == department]
    for k, (start, end, _) in enumerate(own_runs):
        suffix = WHOLE if (k == 0 and len(own_runs) > 1) else OWN
        for row in rows[start:end]:
            row.entity = department + suffix
    return rows
