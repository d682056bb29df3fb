"""Every Fact the parsers found, in memory, queryable by document facets and by (fuzzy) row label."""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from corpus.model import Fact

_BLANKS = re.compile(r"[\s\u3000]+")
_PUNCT = re.compile(r"[“”\"'‘’（）()【】\[\]、，,。：:；;·\-—_/]+")


def norm_label(text: str) -> str:
    """Label as compared: no blanks, no quotes/brackets/punctuation, lower-case, full-width digits folded."""
    from corpus.numbers import normalize_digits
    return _PUNCT.sub("", _BLANKS.sub("", normalize_digits(text or ""))).lower()


def _bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)} or ({text} if text else set())


def label_similarity(a: str, b: str) -> float:
    """Dice overlap of character bigrams of the normalised labels (1.0 = same label)."""
    na, nb = norm_label(a), norm_label(b)
    if not na or not nb:
        return 0.0
    if na == nb:
        return 1.0
    ga, gb = _bigrams(na), _bigrams(nb)
    score = 2 * len(ga & gb) / (len(ga) + len(gb))
    if na in nb or nb in na:
        score = max(score, 0.6 + 0.4 * min(len(na), len(nb)) / max(len(na), len(nb)))
    return score


@dataclass(frozen=True)
class RowMatch:
    label: str
    score: float
    facts: tuple[Fact, ...]


class FactStore:
    def __init__(self, facts: list[Fact] | tuple[Fact, ...]):
        self._facts = list(facts)
        self._by_label: dict[str, list[int]] = defaultdict(list)
        for i, fact in enumerate(self._facts):
            self._by_label[norm_label(fact.row)].append(i)

    def __len__(self) -> int:
        return len(self._facts)

    def all(self) -> list[Fact]:
        return list(self._facts)

    def query(self, org: str | None = None, year: int | None = None, kind: str | None = None,
              doc: str | None = None, table_id: str | None = None, row_code: str | None = None,
              row: str | None = None, column: str | None = None, scope: str | None = None,
              source: str | None = None, entity: str | None = None) -> list[Fact]:
        """Facts matching every given facet. org / row / column / entity match ignoring blanks and
        punctuation, and org/entity also by containment (深圳市医疗保障局 matches 医疗保障局);
        row matches the row label or any label on its path; column matches any level of the column path."""
        wanted_row = norm_label(row) if row else None
        candidates = (self._facts if wanted_row is None else
                      [self._facts[i] for i in self._by_label.get(wanted_row, [])] or self._facts)
        out = []
        for f in candidates:
            if year is not None and f.year != int(year):
                continue
            if kind and f.kind != kind:
                continue
            if doc and f.doc_id != doc:
                continue
            if table_id and f.table_id != table_id:
                continue
            if row_code and (f.row_code or "") != str(row_code).strip():
                continue
            if scope and f.scope != scope:
                continue
            if source and f.source != source:
                continue
            if org and not _contains_either(org, f.org):
                continue
            if entity and not (f.entity and _contains_either(entity, f.entity)):
                continue
            if wanted_row and wanted_row != norm_label(f.row) and wanted_row not in {norm_label(p) for p in f.row_path}:
                continue
            if column and not _column_matches(column, f.column):
                continue
            out.append(f)
        return out

    def find_rows(self, text: str, limit: int = 10, min_score: float = 0.35, **facets) -> list[RowMatch]:
        """Row labels most like text (fuzzy, bigram overlap), with their facts; facets as in query()."""
        pool = self.query(**facets) if facets else self._facts
        groups: dict[str, list[Fact]] = defaultdict(list)
        for f in pool:
            groups[f.row].append(f)
        scored = [(label_similarity(text, label), label) for label in groups]
        scored = [(s, label) for s, label in scored if s >= min_score]
        scored.sort(key=lambda sl: (-sl[0], len(sl[1])))
        return [RowMatch(label, round(s, 4), tuple(groups[label])) for s, label in scored[:limit]]

    def labels(self) -> list[str]:
        return sorted({f.row for f in self._facts})


def _contains_either(a: str, b: str) -> bool:
    na, nb = norm_label(a), norm_label(b)
    return bool(na) and bool(nb) and (na in nb or nb in na)


def _column_matches(column: str | tuple[str, ...], path: tuple[str, ...]) -> bool:
    if isinstance(column, (tuple, list)):
        return [norm_label(c) for c in column] == [norm_label(p) for p in path]
    wanted = norm_label(column)
    return any(wanted == norm_label(p) for p in path) or wanted == norm_label("/".join(path))
