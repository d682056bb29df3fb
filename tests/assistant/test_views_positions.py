"""A figure printed several times in one paragraph is located at its own place (real Jiangmen sentence:
"三公经费4.15万元，比上年减少0.15万元 … 公务用车运行维护费2.85万元，比上年减少0.15万元")."""
from __future__ import annotations

from decimal import Decimal


JIANGMEN = "003_e2aa0d4e68ff0396.txt"


def _prose(kb, value: str, change: bool):
    return [v for v in kb.doc_views(JIANGMEN) if v.prose and v.fact.value == Decimal(value)
            and (v.change is not None) == change and "三公" in v.fact.context + v.fact.quote]


def test_repeated_figures_keep_their_reading_order(kb):
    totals = _prose(kb, "2.85", change=False)
    cuts = _prose(kb, "0.15", change=True)
    assert len(totals) >= 2 and len(cuts) >= 2
    assert len({v.para for v in totals}) == len(totals) and len({v.para for v in cuts}) == len(cuts)
    assert sorted(v.para for v in cuts)[0] < sorted(v.para for v in totals)[-1] < sorted(v.para for v in cuts)[-1]


def test_a_clause_begins_after_the_figure_printed_before_it(kb):
    zhangzhou = "004_7457e2252370b02a.txt"
    keys = [v.clause_key for v in kb.doc_views(zhangzhou) if v.prose and "机要通信用车" in (v.clause_key or "")]
    assert keys and all("省部级" not in k for k in keys)
