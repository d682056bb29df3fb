"""Hybrid retrieval: BM25 keywords + dense vectors, with document routing and metadata filters.

Per question: (1) keyword scores, where words that only pick a document (org, place, year) weigh
little and quoted amounts / codes weigh a lot; (2) dense similarities from the vector store; both
scaled by the document prior (index/routing.py). Rows, paragraphs and tables are ranked separately
(keyword and dense fused within each group), then interleaved by rank, so long tables do not crowd
out the sentence that answers; rows/paragraphs printing a quoted amount get their own ranking.
Finally hits are shown "small to big" (index/selection.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from index.bm25 import BM25Index
from index.chunks import is_total_label, is_whole_budget_row
from index.context import contextual_query
from index.facts import norm_label
from index.fusion import Ranking, fuse, fuse_scores, round_robin
from index.model import PROSE, ROW, SECTION, TABLE, Chunk, Hit
from index.query import asks_for_total, asks_for_whole_budget, is_english, quoted_amounts, quoted_codes
from index.routing import DocRouter
from index.selection import parents, select_hits
from index.terms import ORG, Glossary
from index.tokenize import tokenize

DenseSearch = Callable[[str, int, dict | None], list[tuple[str, float]]]   # (query, n, filters) -> [(id, sim)]
FILTER_ALIASES = {"doc_id": "doc", "document": "doc", "type": "chunk_type"}
DENSE_DIGITS = 4
GROUPS = {"row": (ROW,), "text": (PROSE,), "table": (TABLE,), "section": (SECTION,)}


class NoMatchingFilter(ValueError):
    """A filter value that matches nothing in the index."""


@dataclass
class FusionConfig:
    """Weights chosen on eval/dev.jsonl with eval/bench_retrieval.py (see docs/embedders.md)."""
    candidates: int = 40          # taken from each ranking before fusing
    method: str = "score"         # within a group: "score" (weighted max-normalised scores) or "rrf"
    rrf_k: float = 60.0
    bm25_weight: float = 1.0
    dense_weight: float = 0.3
    group_weights: tuple[tuple[str, float], ...] = (("row", 1.0), ("text", 1.0), ("table", 1.0))
    figure_group_weight: float = 1.0   # the ranking of rows/paragraphs printing an amount the question quotes
    prior_weight: float = 0.01    # added to the fused score of the documents the question points at
    prior_strength: float = 0.4   # share of its scores a chunk loses when the question rules its document out
    synonym_weight: float = 0.3   # query-token weight of printed terms for the question's English words ...
    english_synonym_weight: float = 1.0   # ... when the question is in English
    selector_weight: float = 0.2  # org / place / year words: they pick documents, not passages
    subunit_weight: float = 0.8   # an org word in documents where it names a sub-unit (医保中心 in 汇总)
    figure_weight: float = 3.0    # quoted amounts (542.73, 2,047万)
    code_weight: float = 2.0      # quoted codes (30113, 2101506)
    total_weight: float = 1.0     # extra keyword share of total rows when the question asks for a whole (一共, 预算是多少)
    parents: bool = True          # show a row as its table part, a paragraph as its section
    dedupe: bool = True           # fold nested hits


class HybridRetriever:
    def __init__(self, chunks: list[Chunk], bm25: BM25Index, dense: DenseSearch | None,
                 glossary: Glossary | None = None, config: FusionConfig | None = None):
        self.chunks = chunks
        self.bm25 = bm25
        self.dense = dense
        self.glossary = glossary or Glossary()
        self.config = config or FusionConfig()
        self._pos = {c.chunk_id: i for i, c in enumerate(chunks)}
        self._parent = parents(chunks)
        doc_ids = list(dict.fromkeys(c.doc_id for c in chunks))
        self._doc_orgs = [next(c.org for c in chunks if c.doc_id == d) for d in doc_ids]
        self._doc_index = np.array([doc_ids.index(c.doc_id) for c in chunks], dtype=np.int32)
        docs = {c.doc_id: (c.doc_id, c.org, c.year, c.kind, c.scope) for c in chunks}
        self.router = DocRouter.build(list(docs.values()), self.glossary)
        self._total_rows = np.array([c.chunk_type == ROW and is_total_label(c.row_label or "", c.org)
                                     for c in chunks], dtype=bool)
        self._whole_rows = np.array([c.chunk_type == ROW and is_whole_budget_row(c.text) for c in chunks], dtype=bool)
        self._facets = {
            "org": np.array([c.org for c in chunks], dtype=object),
            "year": np.array([c.year for c in chunks], dtype=np.int32),
            "kind": np.array([c.kind for c in chunks], dtype=object),
            "doc": np.array([c.doc_id for c in chunks], dtype=object),
            "scope": np.array([c.scope or "" for c in chunks], dtype=object),
            "chunk_type": np.array([c.chunk_type for c in chunks], dtype=object),
            "table_id": np.array([c.table_id or "" for c in chunks], dtype=object),
        }

    # -- filters -------------------------------------------------------------------------------
    def resolve_filters(self, filters: dict | None) -> dict:
        """Canonical filters: known keys only; an org given loosely (江门市医保局, 医疗保障局) becomes
        the org names it matches. Raises NoMatchingFilter when a value matches nothing."""
        resolved: dict = {}
        for key, value in (filters or {}).items():
            key = FILTER_ALIASES.get(key, key)
            if value is None or value == "" or value == [] or key not in self._facets:
                continue
            values = list(value) if isinstance(value, (list, tuple, set)) else [value]
            if key == "year":
                values = [int(v) for v in values]
            if key == "org":
                values = self._resolve_orgs(values)
            known = set(self._facets[key].tolist())
            values = [v for v in values if v in known]
            if not values:
                raise NoMatchingFilter(f"no indexed {key} matches {value!r}")
            resolved[key] = values[0] if len(values) == 1 else values
        return resolved

    def _resolve_orgs(self, wanted: list[str]) -> list[str]:
        orgs = sorted(set(self._facets["org"].tolist()))
        out = []
        for w in wanted:
            if w in orgs:
                out.append(w)
                continue
            nw = norm_label(self.canonical_org(w))
            out += [o for o in orgs if nw and (nw in norm_label(o) or norm_label(o) in nw)]
        return out

    def canonical_org(self, name: str) -> str:
        """Short forms to printed ones: 江门市医保局 -> 江门市医疗保障局 (glossary org entries)."""
        for term, aliases in self.glossary.entries:
            if self.glossary.kind(term) != ORG or term in name:
                continue
            for alias in sorted(aliases, key=len, reverse=True):
                if not alias.isascii() and alias in name:
                    return name.replace(alias, term)
        return name

    def mask(self, filters: dict) -> np.ndarray | None:
        if not filters:
            return None
        mask = np.ones(len(self.chunks), dtype=bool)
        for key, value in filters.items():
            mask &= np.isin(self._facets[key], value if isinstance(value, list) else [value])
        return mask

    # -- the two retrievers -----------------------------------------------------------------------
    def keyword_scores(self, query: str) -> np.ndarray:
        """BM25 score of every chunk, with the question's words weighed by what they do."""
        cfg = self.config
        content, selectors = self.router.split_query(query)
        extra = {t: cfg.selector_weight for t in tokenize(" ".join(selectors))}
        for t in quoted_amounts(content):
            extra[t] = cfg.figure_weight
        for t in quoted_codes(content):
            extra.setdefault(t, cfg.code_weight)
        weight = cfg.english_synonym_weight if is_english(content) else cfg.synonym_weight
        for t in tokenize(" ".join(self.glossary.terms_for_query(content))):
            extra[t] = max(extra.get(t, 0.0), weight)
        scores = self.bm25.scores(content, extra)
        return scores + self._subunit_scores(selectors)

    def _subunit_scores(self, selectors: list[str]) -> np.ndarray | float:
        """An org the question names that is not a document's own org is a sub-unit there (医保中心 in
        the bureau's consolidated budget): in such documents its name is content, so it weighs more."""
        cfg = self.config
        orgs = [w for w in selectors if w in self.router.org_words and w not in self.router.place_words]
        if not orgs or cfg.subunit_weight <= cfg.selector_weight:
            return 0.0
        canonical = [norm_label(self.canonical_org(w)) for w in orgs]
        foreign = np.array([not any(c and c in norm_label(org) for c in canonical) for org in self._doc_orgs],
                           dtype=np.float32)
        if not foreign.any():
            return 0.0
        tokens = {t: 1.0 for t in tokenize(" ".join(orgs + [self.canonical_org(w) for w in orgs]))}
        return (cfg.subunit_weight - cfg.selector_weight) * self.bm25.scores([], tokens) * foreign[self._doc_index]

    def keyword_ranking(self, query: str, n: int, mask: np.ndarray | None = None) -> Ranking:
        scores = self.keyword_scores(query)
        return _top(scores, np.ones(len(scores), dtype=bool) if mask is None else mask, n)

    def dense_ranking(self, query: str, n: int, filters: dict | None) -> Ranking:
        """Nearest chunks, similarities rounded to DENSE_DIGITS: multi-threaded embedding changes the last
        bits from run to run, and rounding turns those near-ties into ties the keyword score breaks."""
        if self.dense is None:
            return []
        found = [(self._pos[cid], round(sim, DENSE_DIGITS)) for cid, sim in self.dense(query, n, filters or None)
                 if cid in self._pos]
        return sorted(found, key=lambda kv: (-kv[1], kv[0]))

    # -- search ----------------------------------------------------------------------------------
    def search(self, query: str, k: int = 5, filters: dict | None = None,
               history: list[dict] | None = None) -> list[Hit]:
        if not query or not query.strip() or not self.chunks or k <= 0:
            return []
        if history:
            query = contextual_query(query, history, self.router.split_query, self.router.selector_sort)
        try:
            resolved = self.resolve_filters(filters)
        except NoMatchingFilter:
            return []
        cfg = self.config
        n = max(cfg.candidates, k)
        mask = self.mask(resolved)
        prior = self.router.prior(query)
        factor = self._doc_factor(prior)
        keyword = self.keyword_scores(query) * factor if cfg.bm25_weight else None
        content = self.router.split_query(query)[0]
        if keyword is not None and cfg.total_weight and asks_for_total(content):
            whole = asks_for_whole_budget(content)
            keyword = keyword * np.where(self._whole_rows if whole else self._total_rows, 1.0 + cfg.total_weight, 1.0)
        dense = self.dense_ranking(query, n * len(GROUPS) * 2, resolved) if cfg.dense_weight else []
        if dense and prior:
            dense = sorted(((i, sim * factor[i]) for i, sim in dense), key=lambda kv: -kv[1])

        rankings: list[Ranking] = []
        weights: list[float] = []
        for group, group_weight in cfg.group_weights:
            in_group = np.isin(self._facets["chunk_type"], GROUPS[group])
            group_mask = in_group if mask is None else in_group & mask
            lists = [_top(keyword, group_mask, n)] if keyword is not None else []
            list_weights = [cfg.bm25_weight] if keyword is not None else []
            if dense:
                lists.append([(i, sim) for i, sim in dense if group_mask[i]][:n])
                list_weights.append(cfg.dense_weight)
            combined = fuse(lists, list_weights, cfg.rrf_k) if cfg.method == "rrf" else fuse_scores(lists, list_weights)
            rankings.append(combined[:n])
            weights.append(group_weight)
        figures = self._figure_ranking(query, keyword, mask, n) if keyword is not None else []
        if figures:
            rankings.append(figures)
            weights.append(cfg.figure_group_weight)

        fused = fuse(rankings, weights, cfg.rrf_k)
        if prior and cfg.prior_weight:
            fused = [(i, s + cfg.prior_weight * prior.get(self.chunks[i].doc_id, 0.0)) for i, s in fused]
        # equal fused scores (each group's best ties with the others') go to the stronger keyword match
        strength = keyword if keyword is not None else np.zeros(len(self.chunks))
        fused.sort(key=lambda kv: (-round(kv[1], 12), -float(strength[kv[0]]), kv[0]))
        named = self.router.named_documents(query)
        if len(named) > 1:
            fused = self._share_between(fused, named, k)
        return select_hits(fused, self.chunks, self._parent if cfg.parents else None, k, mask, cfg.dedupe)

    def _share_between(self, fused: Ranking, named: list[str], k: int) -> Ranking:
        """When a question names several documents alike ("江门、漳州和深圳…哪家最高"), their best
        candidates take turns, so each document gets its share of the k hits."""
        quota = 3 * -(-k // len(named))          # room for several focus rows under one shown hit
        first, rest, count = [], [], {}
        for i, score in fused:
            doc = self.chunks[i].doc_id
            if doc in named and count.get(doc, 0) < quota:
                first.append((i, score))
                count[doc] = count.get(doc, 0) + 1
            else:
                rest.append((i, score))
        return round_robin(first, named, lambda i: self.chunks[i].doc_id) + rest

    def _figure_ranking(self, query: str, scores: np.ndarray, mask: np.ndarray | None, n: int) -> Ranking:
        """Rows and paragraphs printing an amount the question quotes ("这钱算在2,047万里面吗"): more
        quoted amounts first, then keyword score."""
        content, _ = self.router.split_query(query)
        wanted = quoted_amounts(content)
        if not wanted:
            return []
        matches = np.zeros(len(self.chunks), dtype=np.float32)
        for token in wanted:
            docs, _ = self.bm25.postings.get(token, (np.zeros(0, dtype=np.int32), None))
            matches[docs] += 1
        holders = (matches > 0) & np.isin(self._facets["chunk_type"], (ROW, PROSE))
        if mask is not None:
            holders &= mask
        top = float(scores.max()) or 1.0
        return _top(matches * top + scores, holders, n)

    def _doc_factor(self, prior: dict[str, float]) -> np.ndarray:
        """Per chunk, the share of its scores kept: 1 for the documents the question points at, down to
        1 - prior_strength for documents it rules out (1 everywhere when it names none)."""
        if not prior:
            return np.ones(len(self.chunks), dtype=np.float32)
        lam = self.config.prior_strength
        per_doc = {doc: (1 - lam) + lam * p for doc, p in prior.items()}
        return np.array([per_doc.get(d, 1.0) for d in self._facets["doc"]], dtype=np.float32)


def _top(scores: np.ndarray, mask: np.ndarray, n: int) -> Ranking:
    masked = np.where(mask, scores, 0.0)
    order = np.argsort(-masked, kind="stable")[:n]
    return [(int(i), float(masked[i])) for i in order if masked[i] > 0]
