"""The 部门整体支出绩效评价 scoring table (…共性指标体系框架): its 总分 row.

The PDF text prints this table one cell fragment per line, with the 参考评分标准 prose interleaved, so only
the closing 总分 row (一级/二级/三级 参考分值 and 得分) is read; the notes say so.
"""
from __future__ import annotations

import re
from decimal import Decimal

from corpus.model import Document
from corpus.numbers import normalize_digits
from corpus.spaced_draft import Draft, DraftRow
from corpus.spaced_regions import Region

SCORING_COLUMNS = (("一级指标", "参考分值"), ("二级指标", "参考分值"), ("三级指标", "参考分值"), ("得分",))


def build_scoring(doc: Document, region: Region) -> list[Draft]:
    draft = Draft(title=region.title, unit="分", columns=SCORING_COLUMNS, rows=[], line_start=region.start,
                  line_end=region.end, checked=False)
    n = region.end
    numbers = re.findall(r"\d+(?:\.\d+)?", normalize_digits(doc.line(n)))
    if len(numbers) == len(SCORING_COLUMNS):
        draft.rows.append(DraftRow(label="总分", values=tuple(Decimal(x) for x in numbers), line=n,
                                   quote=doc.line(n), fixed=tuple(range(len(numbers))), path=("总分",)))
    draft.notes.append("indicator rows not read: the text prints one cell fragment per line with the "
                       "scoring criteria interleaved; only the 总分 row is a fact")
    return [draft]
