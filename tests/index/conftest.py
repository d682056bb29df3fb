"""Shared fixtures for the index tests: real corpus files, the packaged MiniLM (st backend), temp data dirs."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from corpus.parse import parse_folder
from settings import Settings

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
JIANGMEN = "003_e2aa0d4e68ff0396.txt"     # 江门市医疗保障局（本级）2024 budget, 508 lines
ZHANGZHOU = "004_7457e2252370b02a.txt"    # 漳州市医疗保障局（汇总）2024 budget: its first 200 lines are used
PARTIAL = {ZHANGZHOU: 200}                # (title, overview and the first tables) to keep embedding short
ST_MINILM = "st:minilm"


@pytest.fixture(scope="session")
def parsed_corpus():
    parsed, errors = parse_folder(CORPUS)
    assert not errors
    return {p.document.doc_id: p for p in parsed}


@pytest.fixture(scope="session")
def minilm():
    """The real sentence-transformers backend with the packaged all-MiniLM-L6-v2 weights (loaded once)."""
    from index.embedders import make_embedder
    return make_embedder(ST_MINILM)


def make_corpus(folder: Path, *names: str) -> Path:
    """A corpus folder with copies of real documents (the head of those listed in PARTIAL)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        if name in PARTIAL:
            lines = (CORPUS / name).read_text(encoding="utf-8").split("\n")[:PARTIAL[name]]
            (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
        else:
            shutil.copy(CORPUS / name, folder / name)
    return folder


_WARM_CACHE: list[Path] = []


def st_settings(tmp: Path, corpus: Path, **changes) -> Settings:
    """Settings for a MiniLM index in tmp; the passage-embedding cache of the session's first build
    is copied in, so each test embeds only text it adds itself."""
    settings = Settings(corpus_dir=corpus, data_dir=tmp / "data", embedder=ST_MINILM).with_(**changes)
    if _WARM_CACHE:
        from index.build import IndexPaths
        target = IndexPaths(settings.data_dir, "unused").cache(ST_MINILM)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(_WARM_CACHE[0], target)
    return settings


@pytest.fixture(scope="session")
def warm_cache(tmp_path_factory, minilm) -> Path:
    """Build once over two real documents, checking that a cold build embeds every chunk."""
    from index.build import IndexPaths, build_index
    tmp = tmp_path_factory.mktemp("warm")
    settings = Settings(corpus_dir=make_corpus(tmp / "corpus", JIANGMEN, ZHANGZHOU), data_dir=tmp / "data",
                        embedder=ST_MINILM)
    report = build_index(settings, progress=False, embedder=minilm)
    assert report.embedded == report.chunks > 0 and sorted(report.changed) == [JIANGMEN, ZHANGZHOU]
    path = IndexPaths(settings.data_dir, "unused").cache(ST_MINILM)
    _WARM_CACHE[:] = [path]
    return path


@pytest.fixture(scope="session")
def jiangmen_index(tmp_path_factory, minilm, warm_cache):
    """One real index (embedded Chroma, MiniLM) over the Jiangmen budget, shared by read-only tests."""
    from index.api import SearchIndex
    from index.build import build_index
    tmp = tmp_path_factory.mktemp("jiangmen")
    settings = st_settings(tmp, make_corpus(tmp / "corpus", JIANGMEN))
    build_index(settings, progress=False, embedder=minilm)
    return SearchIndex.open(settings, build_if_missing=False, progress=False, embedder=minilm)


@pytest.fixture(autouse=True)
def _use_warm_cache(request):
    """Index tests that build get the warm cache (tests that never build do not trigger it)."""
    if {"tmp_path", "minilm"} <= set(request.fixturenames):
        request.getfixturevalue("warm_cache")
