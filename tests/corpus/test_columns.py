"""Column assignment for collapsed rows: unit cases and property tests on generated tables."""
from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from corpus.spaced.columns import Bound, Relation, RowSpec, assign_columns
from corpus.model import DocMeta, Document
from corpus.spaced.public import _code_rows
from corpus.spaced.draft import set_code_parents

D = Decimal
CENT = D("0.01")


def test_parent_equation_decides_the_column():
    # 21015 = 4,613.41 基本 + 4,333.48 项目; its only 基本 figure is 2101550's, so 2101506 is 项目支出.
    rows = [
        RowSpec((D("8946.88"), D("4613.41"), D("4333.48")), fixed=(0, 1, 2)),
        RowSpec((D("485.90"), D("485.90")), parent=0),
        RowSpec((D("2381.33"), D("2381.33")), parent=0),
        RowSpec((D("6079.66"), D("4613.41"), D("1466.25")), parent=0),
    ]
    result = assign_columns(rows, 3, (Relation.total(0, [1, 2]),))
    assert [r.columns for r in result.rows] == [(0, 1, 2), (0, 2), (0, 2), (0, 1, 2)]
    assert result.relaxed == ()


def test_inconsistent_family_is_relaxed_not_forced():
    rows = [RowSpec((D("100.00"), D("100.00")), fixed=(0, 1)),
            RowSpec((D("30.00"), D("30.00")), parent=0)]
    result = assign_columns(rows, 3, (Relation.total(0, [1, 2]),))
    assert result.relaxed == (0,)


def test_rounding_tolerance_accepts_tail_differences():
    # 8,946.88 ≠ 4,613.41 + 4,333.48 = 8,946.89 exactly, but each printed figure is rounded.
    rows = [RowSpec((D("8946.88"), D("4613.41"), D("4333.48")))]
    result = assign_columns(rows, 3, (Relation.total(0, [1, 2]),))
    assert result.rows[0].columns == (0, 1, 2)


def test_symmetric_columns_stay_undecided_and_bounds_decide_them():
    rows = [
        RowSpec((D("30.00"), D("10.00"), D("20.00"))),
        RowSpec((D("10.00"), D("10.00")), parent=0),
        RowSpec((D("20.00"), D("20.00")), parent=0),
    ]
    relations = (Relation.total(0, [1, 2, 3]),)
    alone = assign_columns(rows, 4, relations)
    assert alone.rows[1].columns == (0, None)          # 基本 or 项目 or …: arithmetic can't tell
    assert alone.rows[1].choices[1] == frozenset({1, 2})
    pinned = [RowSpec(rows[0].values, bounds=(Bound(1, low=D("10.00")), Bound(2, low=D("20.00"))))] + rows[1:]
    decided = assign_columns(pinned, 4, relations)
    assert [r.columns for r in decided.rows] == [(0, 1, 2), (0, 1), (0, 2)]


def test_unknown_total_row_takes_the_sum_and_its_bounds():
    # An empty 合计 row: its cells are the sum of the rows; a bound on it still decides.
    rows = [RowSpec((), known=False, bounds=(Bound(0, high=D(0)),)),
            RowSpec((D("5.00"), D("5.00")), parent=0)]
    result = assign_columns(rows, 3, ())
    assert result.rows[1].columns == (1, 2)


def test_no_placement_satisfies_relation_is_reported():
    rows = [RowSpec((D("10.00"), D("3.00"), D("3.00")))]
    result = assign_columns(rows, 3, (Relation.total(0, [1, 2]),))
    assert result.rows[0].relation_ok is False


def test_bad_parent_links_are_rejected():
    with pytest.raises(ValueError):
        assign_columns([RowSpec((D(1),), parent=5)], 2)
    with pytest.raises(ValueError):
        assign_columns([RowSpec((D(1),), parent=1), RowSpec((D(1),), parent=0)], 2)


# -- generated tables -------------------------------------------------------------------------
@st.composite
def tables(draw, max_parts: int = 4):
    """A table with a total column, a 合计 row and a code hierarchy; parts may be blank, rounding optional."""
    n_parts = draw(st.integers(1, max_parts))
    used = draw(st.lists(st.booleans(), min_size=n_parts, max_size=n_parts))  # columns that ever hold figures
    rounded = draw(st.booleans())
    places = D("0.001") if rounded else CENT

    def leaf():
        vec = []
        for on in used:
            blank = not on or draw(st.booleans())
            vec.append(D(0) if blank else D(draw(st.integers(1, 999_999))) * places)
        return vec

    tree = []   # (code, parent index, exact vector)
    for g in range(draw(st.integers(1, 3))):
        top = len(tree)
        tree.append([f"{201 + g}", None, None])
        kids = draw(st.integers(0, 3))
        if kids == 0:
            tree[top][2] = leaf()
        for k in range(kids):
            tree.append([f"{201 + g}{k + 1:02d}", top, leaf()])
    for i, (code, parent, vec) in enumerate(tree):
        if vec is None:
            tree[i][2] = [sum((t[2][c] for t in tree if t[1] == i), D(0)) for c in range(n_parts)]
    total = [sum((t[2][c] for t in tree if t[1] is None), D(0)) for c in range(n_parts)]

    def printed(vec):
        full = [sum(vec, D(0))] + vec
        return [v.quantize(CENT, rounding=ROUND_HALF_UP) for v in full]

    rows = [("合计", None, printed(total))] + [(code, (parent + 1) if parent is not None else 0, printed(vec))
                                               for code, parent, vec in tree]
    return n_parts + 1, rows


def _specs(rows):
    specs, truth = [], []
    for code, parent, cells in rows:
        placement = tuple(c for c, v in enumerate(cells) if v != 0)
        specs.append(RowSpec(tuple(cells[c] for c in placement), parent=parent))
        truth.append(placement)
    return specs, truth


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_assignment_is_never_wrong(table):
    n, rows = table
    specs, truth = _specs(rows)
    result = assign_columns(specs, n, (Relation.total(0, list(range(1, n))),))
    for spec, placement, r in zip(specs, truth, result.rows):
        for j, column in enumerate(r.columns):
            assert column is None or column == placement[j]
            assert placement[j] in r.choices[j]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_bounds_on_the_total_row_recover_every_row(table):
    """With the 合计 row's cells known (as another table would give them), everything is decided —
    unless two columns are indistinguishable (equal in every row), which the solver must then report."""
    n, rows = table
    specs, truth = _specs(rows)
    total_cells = rows[0][2]
    specs[0] = RowSpec(specs[0].values, bounds=tuple(Bound(c, low=v, high=v) for c, v in enumerate(total_cells)))
    result = assign_columns(specs, n, (Relation.total(0, list(range(1, n))),))
    for placement, r in zip(truth, result.rows):
        assert all(c is None or c == t for c, t in zip(r.columns, placement))
    assert result.rows[0].columns == truth[0]


# -- through the text: collapse to space-joined lines and parse back --------------------------
def _document(lines: list[str]) -> Document:
    meta = DocMeta(org="测试中心", year=2020, kind="决算", unit="万元")
    return Document(doc_id="t.txt", lines=tuple(lines), meta=meta, sha256="0" * 64)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables(), st.data())
def test_collapsed_text_parses_back_to_a_sound_assignment(table, data):
    n, rows = table
    parts = []
    for code, _, cells in rows:
        label = "科目" + code.translate(str.maketrans("0123456789", "零一二三四五六七八九"))
        figures = " ".join(f"{v:,.2f}" for v in cells if v != 0)
        head = "合计" if code == "合计" else f"{code} {label}"
        parts.append(f"{head} {figures}".strip())
    # glue some rows onto the previous line, the way the PDF text runs cells together
    lines: list[str] = []
    for i, text in enumerate(parts):
        if lines and i > 1 and data.draw(st.booleans()) and re.search(r"\.\d\d$", lines[-1]):
            lines[-1] = lines[-1] + text
        else:
            lines.append(text)
    doc = _document(lines)
    drafts = _code_rows(doc, list(range(1, len(lines) + 1)))
    assert [d.code or "合计" for d in drafts] == [code for code, _, _ in rows]
    root = 0
    drafts[root].total = True
    set_code_parents(drafts, root)
    specs = [RowSpec(d.values, parent=d.parent) for d in drafts]
    result = assign_columns(specs, n, (Relation.total(0, list(range(1, n))),))
    _, truth = _specs(rows)
    for d, placement, r in zip(drafts, truth, result.rows):
        assert len(d.values) == len(placement)
        assert all(c is None or c == t for c, t in zip(r.columns, placement))

