"""Shared fixtures: the real corpus, parsed once per test session."""
from __future__ import annotations

from pathlib import Path

import pytest

from assistant.agent import BuiltinAgent
from assistant.knowledge import Knowledge
from assistant.service import Assistant
from assistant.tools import Toolbox
from corpus.parse import parse_folder

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
DEV = ROOT / "eval" / "dev.jsonl"


@pytest.fixture(scope="session")
def parsed():
    docs, errors = parse_folder(CORPUS)
    assert docs and not errors
    return docs


@pytest.fixture(scope="session")
def kb(parsed) -> Knowledge:
    return Knowledge.from_parsed(parsed)


@pytest.fixture(scope="session")
def agent(kb) -> BuiltinAgent:
    return BuiltinAgent(kb)


@pytest.fixture(scope="session")
def assistant(kb) -> Assistant:
    return Assistant(kb)


@pytest.fixture(scope="session")
def tools(kb) -> Toolbox:
    return Toolbox(kb)


def doc_id(kb: Knowledge, org: str, year: int) -> str:
    return next(d.doc_id for d in kb.catalog.docs if d.org == org and d.year == year)


def facts_where(kb: Knowledge, doc: str, row: str, column: str | None = None, source: str | None = None):
    """Facts of one document whose row label is `row` (as printed), optionally one column / source."""
    out = []
    for v in kb.doc_views(doc):
        f = v.fact
        if f.row.replace(" ", "") != row:
            continue
        if column is not None and (not f.column or f.column[-1] != column):
            continue
        if source is not None and f.source != source:
            continue
        out.append(f)
    return out
