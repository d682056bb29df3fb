"""Everything the agents read, loaded once: parsed documents, fact views, catalog, org aliases,
glossary, IDF weights, and (when the index is built) hybrid search."""
from __future__ import annotations

import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable

from corpus.model import Document, Fact, ParsedDocument, Table
from assistant.catalog import Catalog, build_catalog
from assistant.glossary import Glossary, default_glossary
from assistant.matching import Idf
from assistant.orgs import OrgDirectory
from assistant.homophones import Homophones
from assistant.descriptors import Descriptors
from assistant.semantic import SemanticLabels
from assistant.text import norm
from assistant.paragraphs import ParagraphText
from assistant.views import FactView, attach_purposes, build_view

SearchFn = Callable[[str, int, dict | None], list]
POSTED_FIELDS = ("label_key", "post_key", "clause_key", "column_leaf_key", "column_key", "table_key", "path_key",
                 "purpose_key")


@dataclass(repr=False)
class Knowledge:
    parsed: list[ParsedDocument]
    glossary: Glossary
    catalog: Catalog
    orgs: OrgDirectory
    views: list[FactView]
    idf: Idf
    search_fn: SearchFn | None = None
    by_doc: dict[str, list[FactView]] = field(default_factory=dict)
    tables: dict[str, Table] = field(default_factory=dict)
    documents: dict[str, Document] = field(default_factory=dict)
    by_row: dict[tuple, list[FactView]] = field(default_factory=dict)
    postings: dict[str, dict[str, list[int]]] = field(default_factory=dict)   # doc -> bigram -> view idx
    semantic: SemanticLabels | None = None     # label embeddings (None: lexical matching only)
    descriptors: Descriptors | None = None     # row-path / clause embeddings with the index's embedder
    _homophones: Homophones | None = None

    @classmethod
    def from_parsed(cls, parsed: list[ParsedDocument], glossary: Glossary | None = None,
                    search_fn: SearchFn | None = None, embedder=None, cache_dir=None,
                    log=None, dense_embedder=None) -> "Knowledge":
        """embedder (index.embedders): adds semantic matching of labels, cached under cache_dir;
        dense_embedder: adds the descriptor embeddings the ranker reads (assistant.descriptors)."""
        glossary = glossary or default_glossary()
        facts = [f for p in parsed for f in p.facts]
        catalog = build_catalog([(p.document.doc_id, p.document.meta) for p in parsed], facts)
        orgs = OrgDirectory(catalog, glossary)
        strip = sorted({a for o in orgs.names for a in o.aliases if len(a) >= 3}, key=len, reverse=True)
        views: list[FactView] = []
        tables: dict[str, Table] = {}
        for p in parsed:
            paragraphs = ParagraphText(p.document.lines)
            col_index: dict[str, dict[tuple, int]] = {}
            for t in p.tables:
                tables[t.table_id] = t
                col_index[t.table_id] = {c: i for i, c in enumerate(t.columns)}
            info = catalog.get(p.document.doc_id)
            read_upto: dict[int, int] = {}      # per paragraph: where the last prose figure was found
            for f in p.facts:
                idx = len(views)
                ci = col_index.get(f.table_id or "", {}).get(tuple(f.column), 0)
                views.append(build_view(idx, f, paragraphs, strip, ci, resolve_entity(f, info, orgs), read_upto))
        attach_purposes(views, tables, strip)
        idf = Idf([v.label_key for v in views] + [v.clause_key for v in views if v.prose] +
                  [v.column_key for v in views] + [v.table_key for v in views],
                  prose=[v.sentence_key for v in views if v.prose] + [v.purpose_key for v in views])
        kb = cls(parsed, glossary, catalog, orgs, views, idf, search_fn)
        by_doc: dict[str, list[FactView]] = defaultdict(list)
        by_row: dict[tuple, list[FactView]] = defaultdict(list)
        for v in views:
            by_doc[v.fact.doc_id].append(v)
            by_row[row_key(v)].append(v)
        postings: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
        for v in views:
            bucket = postings[v.fact.doc_id]
            for name in POSTED_FIELDS:
                for b in v.bigrams.get(name, ()):
                    bucket[b].add(v.idx)
            if v.fact.row_code:
                bucket["code:" + v.fact.row_code].add(v.idx)
        kb.postings = {d: {b: sorted(ix) for b, ix in m.items()} for d, m in postings.items()}
        kb.by_doc = dict(by_doc)
        kb.by_row = dict(by_row)
        kb.tables = tables
        kb.documents = {p.document.doc_id: p.document for p in parsed}
        if embedder is not None:
            try:
                kb.semantic = SemanticLabels.build(views, embedder, cache_dir, log=log)
            except Exception as exc:            # an embedder that fails: lexical matching still answers
                (log or (lambda m: print(m, file=sys.stderr)))(
                    f"budget-qa: semantic label matching off ({exc.__class__.__name__}: {exc})")
        if dense_embedder is not None:
            try:
                kb.descriptors = Descriptors.build(views, dense_embedder, cache_dir, log=log)
            except Exception as exc:            # ranked without dense descriptors
                (log or (lambda m: print(m, file=sys.stderr)))(
                    f"budget-qa: descriptor embeddings off ({exc.__class__.__name__}: {exc})")
        return kb

    @classmethod
    def from_index(cls, index, settings, log=None) -> "Knowledge":
        """From an open index.api.SearchIndex: its parsed documents and search, labels matched
        semantically with settings.label_embedder."""
        return cls.from_parsed(index.parsed, search_fn=index.search,
                               embedder=label_embedder(settings, index.embedder, log),
                               cache_dir=settings.data_dir, log=log, dense_embedder=index.embedder)

    @classmethod
    def from_settings(cls, settings, use_index: bool = True, log=None, embedder=None) -> "Knowledge":
        """Open the built index when there is one (search + parsed documents); otherwise parse
        the corpus folder directly (lexical matching only). With the index, labels are also matched
        semantically (settings.label_embedder)."""
        log = log or (lambda m: print(m, file=sys.stderr))
        if use_index:
            try:
                from index.api import SearchIndex
                index = SearchIndex.open(settings, build_if_missing=False, progress=False, embedder=embedder)
                return cls.from_index(index, settings, log)
            except Exception as exc:            # no index yet, Chroma down, ...: answer without search
                log(f"budget-qa: search index not available ({exc}); matching facts directly.")
        from corpus.parse import parse_folder
        parsed, errors = parse_folder(settings.corpus_dir)
        for e in errors:
            log(f"budget-qa: skipped {e}")
        return cls.from_parsed(parsed)

    def __repr__(self) -> str:
        return (f"Knowledge({len(self.parsed)} documents, {len(self.views)} facts, "
                f"search={'on' if self.search_fn else 'off'}, semantic={'on' if self.semantic is not None else 'off'})")

    def candidates(self, doc_id: str, bigrams, semantic=None) -> list[FactView]:
        """Views of a document sharing at least one bigram with the query in a matched field, plus
        those semantically close to it (semantic: per-view strengths from SemanticLabels)."""
        posting = self.postings.get(doc_id, {})
        ids: set[int] = set()
        for b in bigrams:
            ids.update(posting.get(b, ()))
        if semantic is not None and self.semantic is not None:
            ids.update(self.semantic.candidates(doc_id, semantic))
        return [self.views[i] for i in sorted(ids)]

    @property
    def homophones(self) -> Homophones:
        """The documents' own character pairs by sound (built on first use)."""
        if self._homophones is None:
            self._homophones = Homophones.from_texts((line for d in self.documents.values() for line in d.lines),
                                                      tuple(self.orgs.cities),
                                                      tuple({re.sub(r"\s+", "", v.label) for v in self.views}))
        return self._homophones

    def doc_views(self, doc_id: str) -> list[FactView]:
        return self.by_doc.get(doc_id, [])

    def row_views(self, view: FactView) -> list[FactView]:
        return self.by_row.get(row_key(view), [view])

    def facts(self) -> list[Fact]:
        return [v.fact for v in self.views]


def row_key(v: FactView) -> tuple:
    f = v.fact
    if f.source == "table":
        return (f.doc_id, f.table_id, f.line, f.row)
    return (f.doc_id, "prose", f.line, f.row, str(f.value), v.idx)


def split_scope(name: str | None) -> tuple[str | None, str | None]:
    """深圳市医疗保障局（本级） -> (深圳市医疗保障局, 本级)."""
    if not name:
        return None, None
    s = re.sub(r"\s+", "", name)
    m = re.match(r"^(.*?)[（(]?(本级|汇总)[)）]?$", s)
    if m and m.group(1):
        return m.group(1), m.group(2)
    return s, None


def resolve_entity(f: Fact, info, orgs: OrgDirectory) -> str | None:
    """The sub-unit a fact belongs to; None when it speaks for the whole document."""
    if info is None:
        return None
    name, scope = split_scope(f.entity)
    if name is None and f.source != "table":
        name, scope = _entity_from_heading(f.table, info, orgs)
    if name is None:
        return None
    if name == info.org:
        if info.scope == "汇总" and scope == "本级":
            return info.org            # the bureau proper inside a consolidated budget
        return None
    known = {n.name for n in orgs.names}
    if name in known:
        return name
    for o in orgs.names:               # short forms such as 市医保中心
        if o.city == info.city and any(a in name for a in o.aliases if len(a) >= 3):
            return o.name
    return None


def _entity_from_heading(heading: str, info, orgs: OrgDirectory) -> tuple[str | None, str | None]:
    if not heading or info.scope != "汇总":
        return None, None
    h = norm(heading)
    for part in reversed(re.split(r">", heading)):
        p = norm(part)
        for o in orgs.names:
            if o.city != info.city:
                continue
            if any(a in p for a in o.aliases if len(a) >= 3):
                scope = "本级" if "本级" in p else None
                return o.name, scope
    return (info.org, "本级") if "本级" in h else (None, None)


def label_embedder(settings, index_embedder, log=None):
    """The embedder for semantic label matching: settings.label_embedder ("index" or the index's own
    spec: the index's embedder, already loaded). One that fails to load falls back to the index's."""
    spec = (getattr(settings, "label_embedder", "") or "index").strip()
    if spec == "index" or spec == getattr(index_embedder, "spec", None):
        return index_embedder
    try:
        from index.embedders import make_embedder
        return make_embedder(spec)
    except Exception as exc:                    # noqa: BLE001 - label matching still works with the index's
        (log or (lambda m: print(m, file=sys.stderr)))(
            f"budget-qa: label embedder {spec!r} unavailable ({exc}); using the search embedder.")
        return index_embedder
