"""Assign collapsed figures to columns using the table's own arithmetic (a small constraint solver).

A row printed as "21011 行政事业单位医疗 9,932.00 9,932.00" lost its blank cells, but its figures keep their
left-to-right order, so the row's candidate placements are the increasing maps of its k figures into the n
columns. Candidates are filtered by
  * row relations (e.g. 本年支出合计 = 基本支出 + 项目支出 + …, blank = 0),
  * bounds taken from other tables (e.g. a fund-specific table can never exceed the all-funds one),
  * the hierarchy: a parent row equals the sum of its children in every column (科目编码 210 > 21015 > 2101506,
    and the 合计 row over the top-level rows),
all within rounding tolerance (each printed figure is off by at most half a step, 尾数误差).
A figure is *decided* when every consistent solution puts it in the same column; otherwise it stays
undecided (column None) — the solver never picks one silently.

Pure functions; money is Decimal.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from bisect import bisect_left, bisect_right
from itertools import combinations
from math import comb

Entry = tuple[tuple[int, ...], tuple[int, ...]]   # column sums in integer steps, rounding-error counts

MAX_PLACEMENTS = 20_000      # per row: C(n, k) beyond this is not enumerated
MAX_COMBINATIONS = 50_000    # per family: child-sum sets beyond this are not enumerated


@dataclass(frozen=True)
class Relation:
    """Σ sign·cell = 0 within one row, e.g. total − part₁ − part₂ = 0."""
    terms: tuple[tuple[int, int], ...]   # (column, sign)

    @staticmethod
    def total(total: int, parts: tuple[int, ...] | list[int]) -> "Relation":
        return Relation(((total, 1),) + tuple((p, -1) for p in parts))


@dataclass(frozen=True)
class Bound:
    """A cell's known range from outside the table (blank = 0)."""
    column: int
    low: Decimal | None = None
    high: Decimal | None = None


@dataclass(frozen=True)
class RowSpec:
    values: tuple[Decimal, ...]          # figures in printed order
    parent: int | None = None            # index of the row this row sums into
    known: bool = True                   # False: figures not printed (an empty 合计); cells = Σ children
    bounds: tuple[Bound, ...] = ()
    fixed: tuple[int, ...] | None = None  # placement known from the layout


@dataclass(frozen=True)
class RowResult:
    columns: tuple[int | None, ...]      # column of each figure; None = undecided
    options: int                         # consistent placements left for the row
    relation_ok: bool = True             # some placement satisfies the row relations
    choices: tuple[frozenset[int], ...] = ()  # columns each figure can take
    used: frozenset[int] = frozenset()   # columns some consistent placement fills; the rest are blank

    @property
    def decided(self) -> bool:
        return all(c is not None for c in self.columns)


@dataclass(frozen=True)
class Assignment:
    rows: tuple[RowResult, ...]
    relaxed: tuple[int, ...] = ()        # rows whose "= Σ children" equation cannot hold
    notes: tuple[str, ...] = ()

    @property
    def decided(self) -> bool:
        return all(r.decided for r in self.rows)

    def cells(self, index: int, values: tuple[Decimal, ...], n_columns: int) -> tuple[Decimal | None, ...]:
        """The row's cells with decided figures placed; blank and undecided cells are None."""
        out: list[Decimal | None] = [None] * n_columns
        for value, column in zip(values, self.rows[index].columns):
            if column is not None:
                out[column] = value
        return tuple(out)


class _Scale:
    """Integer arithmetic in half-steps: fast, exact comparisons with the rounding tolerance."""

    def __init__(self, rows: list[RowSpec], step: Decimal):
        exponent = min([step.as_tuple().exponent] + [v.as_tuple().exponent for r in rows for v in r.values]
                       + [x.as_tuple().exponent for r in rows for b in r.bounds for x in (b.low, b.high)
                          if x is not None])
        self.unit = Decimal(1).scaleb(exponent)
        self.half = int(step / self.unit)   # tolerance per rounded figure, in doubled units

    def to_int(self, value: Decimal) -> int:
        return int(value / self.unit) * 2

    def close(self, diff: int, errors: int) -> bool:
        return abs(diff) <= self.half * max(errors, 1)


def _key(sums: tuple[int, ...]) -> int:
    """Column-weighted total: the same figures in other columns get other keys."""
    return sum((c + 1) * v for c, v in enumerate(sums))


class _Index:
    """Entries sorted by their total over columns: candidates near a target are found by bisection."""

    def __init__(self, entries: set[Entry], scale: _Scale):
        self.items = sorted(((_key(e[0]), e) for e in entries), key=lambda x: x[0])
        self.keys = [k for k, _ in self.items]
        self.max_err = max((sum(e[1]) for e in entries), default=0)
        self.scale = scale

    def near(self, sums: tuple[int, ...], errs: tuple[int, ...]) -> list[Entry]:
        """Entries e with |e − sums| within the rounding tolerance in every column."""
        width = self.scale.half * (sum(errs) + self.max_err + len(sums)) * len(sums)
        total = _key(sums)
        lo, hi = bisect_left(self.keys, total - width), bisect_right(self.keys, total + width)
        close = self.scale.close
        return [e for _, e in self.items[lo:hi]
                if all(close(x - y, a + b) for x, y, a, b in zip(e[0], sums, e[1], errs))]


def _add(a: Entry, b: Entry) -> Entry:
    return tuple(x + y for x, y in zip(a[0], b[0])), tuple(x + y for x, y in zip(a[1], b[1]))


class _TooMany(Exception):
    pass


def _under(sums: tuple[int, ...], ceiling: tuple[int, ...]) -> bool:
    return all(x <= c for x, c in zip(sums, ceiling))


def _minkowski(sets: list[set[Entry]], n: int, ceilings: list[tuple[int, ...]] | None = None) -> set[Entry]:
    """All sums choosing one entry from each set (deduplicated). With ceilings (figures all ≥ 0), a partial
    sum is kept only while it stays under some ceiling in every column."""
    if ceilings is not None and not ceilings:
        return set()                       # nothing to stay under: no sum can fit
    acc: set[Entry] = {((0,) * n, (0,) * n)}
    top = tuple(max(c[i] for c in ceilings) for i in range(n)) if ceilings else None
    for entries in sets:
        nxt = {_add(a, e) for a in acc for e in entries}
        if ceilings is not None:
            nxt = {e for e in nxt if _under(e[0], top)
                   and (len(ceilings) == 1 or any(_under(e[0], ceil) for ceil in ceilings))}
        if len(nxt) > MAX_COMBINATIONS:
            raise _TooMany
        acc = nxt
    return acc


class _Solver:
    def __init__(self, rows: list[RowSpec], n: int, relations: tuple[Relation, ...], step: Decimal):
        self.rows, self.n, self.relations, self.step = rows, n, relations, step
        self.scale = _Scale(rows, step)
        self.children: dict[int, list[int]] = {i: [] for i in range(len(rows))}
        for i, row in enumerate(rows):
            if row.parent is not None:
                self.children[row.parent].append(i)
        self.nonneg = all(v >= 0 for r in rows for v in r.values)
        self.notes: list[str] = []
        self.relaxed: set[int] = set()
        self.relation_ok = [True] * len(rows)
        self.cands = [self._candidates(i) for i in range(len(rows))]
        self.entries: dict[int, set[Entry]] = {}

    # -- candidates per row --------------------------------------------------------------------
    def _placements(self, i: int) -> list[tuple[int, ...]]:
        row = self.rows[i]
        k = len(row.values)
        if row.fixed is not None and len(row.fixed) == k and all(0 <= c < self.n for c in row.fixed):
            return [row.fixed]
        if row.fixed is not None:
            self.notes.append(f"row {i}: layout placement does not fit its {k} figures; solved instead")
        if k > self.n:
            self.notes.append(f"row {i}: {k} figures for {self.n} columns")
            return []
        if comb(self.n, k) > MAX_PLACEMENTS:
            self.notes.append(f"row {i}: too many placements to enumerate")
            return []
        return list(combinations(range(self.n), k))

    def _entry(self, values: tuple[Decimal, ...], placement: tuple[int, ...]) -> Entry:
        sums, errs = [0] * self.n, [0] * self.n
        for value, column in zip(values, placement):
            sums[column] = self.scale.to_int(value)
            errs[column] = 1 if value else 0
        return tuple(sums), tuple(errs)

    def _relation_ok(self, e: Entry, relation: Relation) -> bool:
        total = sum(e[0][c] * s for c, s in relation.terms)
        return self.scale.close(total, sum(e[1][c] for c, _ in relation.terms))

    def _within(self, e: Entry, bounds: tuple[Bound, ...]) -> bool:
        for b in bounds:
            value = e[0][b.column]
            if b.low is not None and not value >= self.scale.to_int(b.low) - self.scale.half * (e[1][b.column] + 1):
                return False
            if b.high is not None and not value <= self.scale.to_int(b.high) + self.scale.half * (e[1][b.column] + 1):
                return False
        return True

    def _matches(self, a: Entry, b: Entry) -> bool:
        close = self.scale.close
        return all(close(x - y, ea + eb) for x, y, ea, eb in zip(a[0], b[0], a[1], b[1]))

    def _candidates(self, i: int) -> dict[tuple[int, ...], Entry]:
        row = self.rows[i]
        if not row.known:
            return {}
        all_places = {p: self._entry(row.values, p) for p in self._placements(i)}
        related = {p: e for p, e in all_places.items() if all(self._relation_ok(e, r) for r in self.relations)}
        if all_places and not related:
            self.relation_ok[i] = False
            self.notes.append(f"row {i}: no placement satisfies the row relations")
            related = all_places
        bounded = {p: e for p, e in related.items() if self._within(e, row.bounds)}
        if related and not bounded:
            self.notes.append(f"row {i}: bounds from other tables conflict; ignored")
            bounded = related
        return bounded

    # -- bottom-up: entries each subtree can take ---------------------------------------------
    def up(self, i: int) -> set[Entry]:
        kids = self.children[i]
        for k in kids:
            self.up(k)
        row = self.rows[i]
        own = set(self.cands[i].values())
        if not kids:
            result = own if row.known else {((0,) * self.n, (0,) * self.n)}
            self.entries[i] = result
            return result
        ceilings = None
        if self.nonneg and row.known and own:
            slack = self.scale.half * (len(kids) + 1)
            ceilings = [tuple(x + slack for x in e[0]) for e in own]
        try:
            sums = _minkowski([self.entries[k] for k in kids], self.n, ceilings)
        except _TooMany:
            self.notes.append(f"row {i}: too many child combinations; its equation is not used")
            sums = None
        relax = False
        if sums is None:
            result, relax = own, True
        elif row.known:
            index = _Index(sums, self.scale)
            result = {e for e in own if index.near(*e)}
            if not result and own:
                result, relax = own, True
        else:
            result = {s for s in sums if self._within(s, row.bounds)} or sums
        if relax:
            self.relaxed.add(i)
        self.entries[i] = result
        return result

    # -- top-down: which entries take part in a full solution -----------------------------------
    def down(self, i: int, allowed: set[Entry]) -> dict[int, set[Entry]]:
        out = {i: allowed}
        kids = self.children[i]
        if i in self.relaxed:
            for k in kids:
                out.update(self.down(k, self.entries[k]))
            return out
        sets = [self.entries[k] for k in kids]
        ceilings = None
        if self.nonneg:
            slack = self.scale.half * (len(kids) + 1 + max((sum(a[1]) for a in allowed), default=0))
            ceilings = [tuple(x + slack for x in a[0]) for a in allowed]
        try:
            prefix = [_minkowski([], self.n)]
            for entries in sets[:-1]:
                prefix.append(_minkowski([prefix[-1], entries], self.n, ceilings))
            suffix = [_minkowski([], self.n)]
            for entries in reversed(sets[1:]):
                suffix.append(_minkowski([suffix[-1], entries], self.n, ceilings))
            suffix.reverse()
        except _TooMany:
            for k in kids:
                out.update(self.down(k, self.entries[k]))
            return out
        for pos, k in enumerate(kids):
            try:
                rest = _minkowski([prefix[pos], suffix[pos]], self.n, ceilings)
            except _TooMany:
                out.update(self.down(k, self.entries[k]))
                continue
            index = _Index(rest, self.scale)
            keep = {e for e in self.entries[k] if self._completes(e, index, allowed)}
            out.update(self.down(k, keep))
        return out

    def _completes(self, e: Entry, rest: _Index, allowed: set[Entry]) -> bool:
        """Some allowed parent entry a and some sum r of the siblings give a ≈ e + r."""
        for a in allowed:
            need = tuple(x - y for x, y in zip(a[0], e[0]))
            errs = tuple(x + y for x, y in zip(a[1], e[1]))
            if rest.near(need, errs):
                return True
        return False

    def solve(self) -> Assignment:
        roots = [i for i, r in enumerate(self.rows) if r.parent is None]
        allowed: dict[int, set[Entry]] = {}
        for root in roots:
            allowed.update(self.down(root, self.up(root)))
        results = []
        for i, row in enumerate(self.rows):
            places = [p for p, e in self.cands[i].items() if e in allowed.get(i, set())]
            choices = tuple(frozenset(p[j] for p in places) for j in range(len(row.values)))
            columns = tuple(next(iter(c)) if len(c) == 1 else None for c in choices)
            used = frozenset(c for p in places for c in p)
            results.append(RowResult(columns, len(places), self.relation_ok[i], choices, used))
        return Assignment(tuple(results), tuple(sorted(self.relaxed)), tuple(self.notes))


def assign_columns(rows: list[RowSpec] | tuple[RowSpec, ...], n_columns: int,
                   relations: tuple[Relation, ...] = (), step: Decimal = Decimal("0.01")) -> Assignment:
    """Place every row's figures into columns; see the module docstring."""
    rows = list(rows)
    for i, row in enumerate(rows):
        if row.parent is not None and not 0 <= row.parent < len(rows):
            raise ValueError(f"row {i}: parent {row.parent} out of range")
    _check_acyclic(rows)
    return _Solver(rows, n_columns, tuple(relations), step).solve()


def _check_acyclic(rows: list[RowSpec]) -> None:
    for start in range(len(rows)):
        seen, i = set(), start
        while i is not None:
            if i in seen:
                raise ValueError(f"row {start}: parent links form a cycle")
            seen.add(i)
            i = rows[i].parent
