"""Answer-guided search: the rows the built-in agent cites for a question, then the index's hybrid hits.

The agent already splits a question into its operands and ranks each operand's candidate facts with the
fitted ranker (features shared with retrieval: descriptors, glossary, column and unit agreement). The
source rows of its chosen facts — every operand of a sum, and the same figure printed in a second table —
are the first hits; the hybrid hits for the question (with its history) fill the rest, without repeats.
A refused question gets the hybrid hits alone."""
from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass

from index.model import Chunk, Hit

# a cited line is shown in its table (header and neighbouring rows with it), else its paragraph, row, section
_PREFERENCE = {"table": 0, "prose": 1, "row": 2, "section": 3}


@dataclass(frozen=True)
class LineChunks:
    """The chunks of each document, for finding the one that prints a given line."""
    by_doc: dict[str, list[Chunk]]

    @classmethod
    def of(cls, chunks: list[Chunk]) -> "LineChunks":
        by_doc: dict[str, list[Chunk]] = defaultdict(list)
        for c in chunks:
            by_doc[c.doc_id].append(c)
        return cls({d: sorted(cs, key=lambda c: c.line_start) for d, cs in by_doc.items()})

    def at(self, doc_id: str, line: int) -> Chunk | None:
        chunks = self.by_doc.get(doc_id, [])
        upto = bisect_right([c.line_start for c in chunks], line)
        covering = [c for c in chunks[:upto] if c.line_end >= line]
        if not covering:
            return None
        return min(covering, key=lambda c: (_PREFERENCE.get(c.chunk_type, 9), c.line_end - c.line_start))


def by_figure(citations: list) -> list:
    """Citations reordered round-robin over the figures they print (a figure = document and value): the
    first place each operand or document is printed comes before the second table printing any of them."""
    groups: dict[tuple, list] = {}
    for c in citations:
        groups.setdefault((c.doc, c.value if c.value is not None else c.line), []).append(c)
    ordered = []
    for depth in range(max((len(g) for g in groups.values()), default=0)):
        ordered += [g[depth] for g in groups.values() if depth < len(g)]
    return ordered


class GuidedSearch:
    """search(question, k, filters, history) -> hits, like index.api.SearchIndex.search."""

    def __init__(self, assistant, index):
        self.assistant = assistant
        self.index = index
        self.lines = LineChunks.of(list(index.chunks))

    def search(self, question: str, k: int = 5, filters: dict | None = None,
               history: list[dict] | None = None) -> list[Hit]:
        answer = self.assistant.builtin.answer(question, list(history or []), filters)
        hits: list[Hit] = []
        seen: set[str] = set()
        for citation in ([] if answer.refusal else by_figure(answer.citations)):
            chunk = self.lines.at(citation.doc, citation.line)
            if chunk is not None and chunk.chunk_id not in seen:
                seen.add(chunk.chunk_id)
                hits.append(Hit(chunk, 1.0))
        if len(hits) < k:
            for hit in self.index.search(question, k + len(hits), filters, history):
                if hit.chunk.chunk_id not in seen:
                    seen.add(hit.chunk.chunk_id)
                    hits.append(hit)
        return hits[:k]
