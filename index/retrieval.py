"""Hybrid retrieval: BM25 keywords + dense vectors, fused by reciprocal rank, with metadata filters."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

import numpy as np

from corpus.numbers import normalize_digits
from index.bm25 import BM25Index
from index.facts import norm_label
from index.model import PROSE, ROW, SECTION, TABLE, Chunk, Hit
from index.routing import DocRouter
from index.tokenize import tokenize
from index.terms import ORG, Glossary

DenseSearch = Callable[[str, int, dict | None], list[tuple[str, float]]]   # (query, n, filters) -> [(id, sim)]
FILTER_ALIASES = {"doc_id": "doc", "document": "doc", "type": "chunk_type"}


class NoMatchingFilter(ValueError):
    """A filter value that matches nothing in the index."""


@dataclass
class FusionConfig:
    candidates: int = 40        # taken from each ranking before fusing
    method: str = "score"       # within a group: "score" = weighted sum of max-normalised scores | "rrf"
    rrf_k: float = 60.0
    bm25_weight: float = 1.0
    dense_weight: float = 0.3
    prior_weight: float = 0.01  # added for the documents the question points at (see index/routing.py)
    prior_strength: float = 0.4  # share of a score a chunk loses when its document is ruled out
    # rows, running text and whole tables are ranked separately and then fused, so long table
    # chunks do not crowd out the row or the sentence that answers (weights per group)
    group_weights: tuple[tuple[str, float], ...] = (("row", 1.0), ("text", 1.0), ("table", 1.0))
    synonym_weight: float = 0.3  # query-token weight of glossary terms added to the query
    english_synonym_weight: float = 1.0
    selector_weight: float = 0.2  # query-token weight of org / place / year words
    subunit_weight: float = 0.8  # ... of an org name in documents where it names a sub-unit
    figure_weight: float = 3.0  # query-token weight of figures (542.73, 2047): quoted figures pin rows
    figure_group_weight: float = 1.0
    group_quality_power: float = 0.0
    code_weight: float = 2.0    # query-token weight of 科目编码-like codes (30113, 2101506)  # a ranking of the rows/paragraphs printing a quoted figure
    parents: bool = True        # return a matched row's table part / a paragraph's short section ("small to big")
    dedupe: bool = True         # drop a hit whose lines lie inside a better hit's lines


_CJK = re.compile(r"[\u4e00-\u9fff]")
_CODE = re.compile(r"(?<![\d.,])\d{3,9}(?![\d.,]|\s*(?:万|亿|元|%|％|年))")
_YEARLIKE = re.compile(r"(?:19|20)\d\d")
_AMOUNT = re.compile(r"(?<![\d.])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+|\d+(?=\s*(?:万元|万|亿|元|%|％)))")


def quoted_amounts(text: str) -> list[str]:
    """Amounts a question quotes ("9,932万元", "542.73", "2,047万"), as keyword tokens; codes and years
    are not amounts."""
    from corpus.numbers import normalize_digits
    from index.tokenize import normalize_number
    return list(dict.fromkeys(normalize_number(m.group(1)) for m in _AMOUNT.finditer(normalize_digits(text))))
GROUPS = {"row": (ROW,), "text": (PROSE,), "table": (TABLE,), "section": (SECTION,)}


class HybridRetriever:
    def __init__(self, chunks: list[Chunk], bm25: BM25Index, dense: DenseSearch | None,
                 glossary: Glossary | None = None, config: FusionConfig | None = None):
        self.chunks = chunks
        self.bm25 = bm25
        self.dense = dense
        self.glossary = glossary or Glossary()
        self.config = config or FusionConfig()
        self._pos = {c.chunk_id: i for i, c in enumerate(chunks)}
        self._parent = _parents(chunks)
        doc_ids = list(dict.fromkeys(c.doc_id for c in chunks))
        self._doc_orgs = [next(c.org for c in chunks if c.doc_id == d) for d in doc_ids]
        self._doc_index = np.array([doc_ids.index(c.doc_id) for c in chunks], dtype=np.int32)
        docs = {c.doc_id: (c.doc_id, c.org, c.year, c.kind, c.scope) for c in chunks}
        self.router = DocRouter.build(list(docs.values()), self.glossary)
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
            nw = norm_label(self._canonical_org(w))
            out += [o for o in orgs if nw and (nw in norm_label(o) or norm_label(o) in nw)]
        return out

    def _canonical_org(self, name: str) -> str:
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
            values = value if isinstance(value, list) else [value]
            mask &= np.isin(self._facets[key], values)
        return mask

    # -- search ----------------------------------------------------------------------------------
    def keyword_scores(self, query: str) -> np.ndarray:
        """BM25 scores. Words that only pick a document (org, place, year) and printed terms added for
        English words count at lower weights (routing and filters pick documents)."""
        content, selectors = self.router.split_query(query)
        extra = {t: self.config.selector_weight for t in tokenize(" ".join(selectors))}
        for t in quoted_amounts(content):
            extra[t] = self.config.figure_weight          # a printed figure the user quotes
        for t in _CODE.findall(normalize_digits(content)):
            if t not in extra and not _YEARLIKE.fullmatch(t):
                extra[t] = self.config.code_weight        # a 科目编码 names one row exactly
        weight = self.config.synonym_weight
        if len(_CJK.findall(content)) < len(content) // 4:
            weight = self.config.english_synonym_weight      # an English question: its printed terms lead
        for t in tokenize(" ".join(self.glossary.terms_for_query(content))):
            extra[t] = max(extra.get(t, 0.0), weight)
        scores = self.bm25.scores(content, extra)
        # an organisation named that is not a document's own org is a sub-unit there (医保中心 in the
        # bureau's consolidated budget): in those documents its name is content, not a document pick
        orgs = [w for w in selectors if w in self.router.org_words and w not in self.router.place_words]
        if orgs and self.config.subunit_weight > self.config.selector_weight:
            canonical = [norm_label(self._canonical_org(w)) for w in orgs]
            foreign = np.array([not any(c and c in norm_label(org) for c in canonical) for org in self._doc_orgs],
                               dtype=np.float32)
            if foreign.any():
                extra_org = {t: 1.0 for t in tokenize(" ".join(orgs + [self._canonical_org(w) for w in orgs]))}
                org_scores = self.bm25.scores([], extra_org)
                scores = scores + (self.config.subunit_weight - self.config.selector_weight) * org_scores * foreign[
                    self._doc_index]
        return scores

    def keyword_ranking(self, query: str, n: int, mask: np.ndarray | None) -> list[tuple[int, float]]:
        scores = self.keyword_scores(query)
        return _top(scores, np.ones(len(scores), dtype=bool) if mask is None else mask, n)

    def dense_ranking(self, query: str, n: int, filters: dict) -> list[tuple[int, float]]:
        if self.dense is None:
            return []
        return [(self._pos[cid], sim) for cid, sim in self.dense(query, n, filters or None) if cid in self._pos]

    def search(self, query: str, k: int = 5, filters: dict | None = None) -> list[Hit]:
        if not query or not query.strip() or not self.chunks or k <= 0:
            return []
        try:
            resolved = self.resolve_filters(filters)
        except NoMatchingFilter:
            return []
        cfg = self.config
        n = max(cfg.candidates, k)
        mask = self.mask(resolved)
        rankings: list[list[tuple[int, float]]] = []
        weights: list[float] = []
        prior = self.router.prior(query)
        doc_factor = self._doc_factor(prior)
        keyword_scores = self.keyword_scores(query) * doc_factor if cfg.bm25_weight else None
        dense = self.dense_ranking(query, n * len(GROUPS) * 2, resolved) if cfg.dense_weight else []
        if dense and prior:
            dense = sorted(((i, sim * doc_factor[i]) for i, sim in dense), key=lambda kv: -kv[1])
        for group, group_weight in cfg.group_weights:
            in_group = np.isin(self._facets["chunk_type"], GROUPS[group])
            group_mask = in_group if mask is None else in_group & mask
            lists, list_weights = [], []
            if keyword_scores is not None:
                lists.append(_top(keyword_scores, group_mask, n))
                list_weights.append(cfg.bm25_weight)
            if dense:
                lists.append([(i, sim) for i, sim in dense if group_mask[i]][:n])
                list_weights.append(cfg.dense_weight)
            # keyword and dense agree within a group first; groups are then interleaved by rank
            combined = fuse(lists, list_weights, cfg.rrf_k) if cfg.method == "rrf" else fuse_scores(lists, list_weights)
            rankings.append(combined[:n])
            weights.append(group_weight * self._group_quality(keyword_scores, group_mask))
        figures = self._figure_ranking(query, keyword_scores, mask, n) if keyword_scores is not None else []
        if figures:
            rankings.append(figures)
            weights.append(cfg.figure_group_weight)
        fused = fuse(rankings, weights, cfg.rrf_k)
        if prior and cfg.prior_weight:
            fused = sorted(((i, s + cfg.prior_weight * prior.get(self.chunks[i].doc_id, 0.0)) for i, s in fused),
                           key=lambda kv: (-kv[1], kv[0]))
        return self._select(fused, k, self.router.named_documents(query))

    def _group_quality(self, scores: np.ndarray | None, group_mask: np.ndarray) -> float:
        """How good a group's best keyword match is next to the best overall (1 = as good), raised to
        group_quality_power: a group whose best match is weak gives up its turn in the interleaving."""
        if scores is None or not self.config.group_quality_power:
            return 1.0
        best = float(scores.max())
        if best <= 0:
            return 1.0
        in_group = float(scores[group_mask].max()) if group_mask.any() else 0.0
        return (in_group / best) ** self.config.group_quality_power

    def _figure_ranking(self, query: str, scores: np.ndarray, mask: np.ndarray | None, n: int) -> list[tuple[int, float]]:
        """Rows and paragraphs printing an amount the question quotes ("这钱算在2,047万里面吗"), best first."""
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
        return _top(matches * top + scores, holders, n)     # more quoted figures first, then keywords

    def _doc_factor(self, prior: dict[str, float]) -> np.ndarray:
        """Per chunk, how much the question's document clues keep of its scores: 1 for the documents it
        points at, down to 1 - prior_strength for documents it rules out (1 everywhere without clues)."""
        if not prior:
            return np.ones(len(self.chunks), dtype=np.float32)
        lam = self.config.prior_strength
        per_doc = {doc: (1 - lam) + lam * p for doc, p in prior.items()}
        return np.array([per_doc.get(d, 1.0) for d in self._facets["doc"]], dtype=np.float32)

    def _select(self, fused: list[tuple[int, float]], k: int, named: list[str] = ()) -> list[Hit]:
        """Best k hits. With parents on, a matched row is shown as the table part holding it and a
        paragraph as the short section holding it, one hit per parent, the matched chunks as focus.
        When the question names several documents alike, each gets its share of the k hits first."""
        if len(named) > 1:
            quota = -(-k // len(named))
            first, rest, count = [], [], {}
            for i, score in fused:
                doc = self.chunks[i].doc_id
                if doc in named and count.get(doc, 0) < quota * 3:   # room for focus rows of the same parent
                    first.append((i, score))
                    count[doc] = count.get(doc, 0) + 1
                else:
                    rest.append((i, score))
            fused = _round_robin(first, named, self.chunks) + rest
        picked: dict[int, list] = {}          # parent index -> [score, focus indices]
        order: list[int] = []
        for i, score in fused:
            parent = self._parent[i] if self.config.parents else i
            if parent in picked:
                if i != parent:
                    picked[parent][1].append(i)
                continue
            chunk = self.chunks[parent]
            if self.config.dedupe:
                holder = next((p for p in order if _inside(chunk, self.chunks[p])), None)
                if holder is not None:        # already shown inside a better hit
                    picked[holder][1].append(i)
                    continue
                inner = [p for p in order if _inside(self.chunks[p], chunk)]
                if inner:                     # a wider hit swallows the hits it contains, at the best one's place
                    first = order.index(inner[0])
                    focus = [f for p in inner for f in ([p] if p != parent else []) + picked[p][1]]
                    best = max(picked[p][0] for p in inner)
                    for p in inner:
                        order.remove(p)
                        del picked[p]
                    order.insert(first, parent)
                    picked[parent] = [best, focus + ([i] if i != parent else [])]
                    continue
            if len(order) == k:
                continue                      # keep collecting focus for the parents already chosen
            picked[parent] = [score, [i] if i != parent else []]
            order.append(parent)
        return [Hit(self.chunks[p], picked[p][0], tuple(self.chunks[f] for f in dict.fromkeys(picked[p][1])))
                for p in order]


def _round_robin(items: list[tuple[int, float]], docs: list[str], chunks: list[Chunk]) -> list[tuple[int, float]]:
    """Interleave ranked items by document, keeping each document's order."""
    queues = {d: [it for it in items if chunks[it[0]].doc_id == d] for d in docs}
    out: list[tuple[int, float]] = []
    while any(queues.values()):
        for d in docs:
            if queues[d]:
                out.append(queues[d].pop(0))
    return out


def _inside(chunk: Chunk, other: Chunk) -> bool:
    return chunk.doc_id == other.doc_id and other.line_start <= chunk.line_start and chunk.line_end <= other.line_end


def _parents(chunks: list[Chunk]) -> list[int]:
    """For each chunk, the chunk it is shown as: a row's table part (the parsed table's part that spans
    the row, or the unparsed block around it), a paragraph's smallest section; else itself."""
    by_doc: dict[str, list[int]] = {}
    for i, c in enumerate(chunks):
        if c.chunk_type in (TABLE, SECTION):
            by_doc.setdefault(c.doc_id, []).append(i)
    parents = list(range(len(chunks)))
    for i, c in enumerate(chunks):
        if c.chunk_type not in (ROW, PROSE):
            continue
        want = TABLE if c.chunk_type == ROW else SECTION
        best = None
        for j in by_doc.get(c.doc_id, ()):
            p = chunks[j]
            if p.chunk_type != want or not _inside(c, p) or (want == TABLE and p.table_id != c.table_id):
                continue
            if best is None or (p.line_end - p.line_start) < (chunks[best].line_end - chunks[best].line_start):
                best = j
        if best is not None:
            parents[i] = best
    return parents


def _top(scores: np.ndarray, mask: np.ndarray, n: int) -> list[tuple[int, float]]:
    masked = np.where(mask, scores, 0.0)
    order = np.argsort(-masked, kind="stable")[:n]
    return [(int(i), float(masked[i])) for i in order if masked[i] > 0]


def fuse_scores(rankings: list[list[tuple[int, float]]], weights: list[float]) -> list[tuple[int, float]]:
    """Weighted sum of scores scaled to [0, 1] per ranking (best = 1, worst candidate = 0), which keeps
    how far ahead the best keyword match is, unlike rank fusion."""
    scores: dict[int, float] = {}
    for ranking, weight in zip(rankings, weights):
        if not ranking or not weight:
            continue
        values = [v for _, v in ranking]
        top, low = max(values), min(values)
        span = (top - low) or 1.0
        for item, value in ranking:
            scores[item] = scores.get(item, 0.0) + weight * ((value - low) / span if top != low else 1.0)
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))


def fuse(rankings: list[list[tuple[int, float]]], weights: list[float], rrf_k: float = 60.0) -> list[tuple[int, float]]:
    """Reciprocal rank fusion: sum of weight / (rrf_k + rank) over the rankings an item appears in."""
    scores: dict[int, float] = {}
    for ranking, weight in zip(rankings, weights):
        for rank, (item, _) in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + weight / (rrf_k + rank)
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
