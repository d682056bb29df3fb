"""Chroma as a server: a real `chroma run`, and clear errors when the server is down."""
from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from index.api import SearchIndex
from index.build import build_index
from index.commands import run_index, run_retrieve
from index.store import ChromaStore, IndexUnavailableError, valid_collection_name
from tests.index.conftest import JIANGMEN, make_corpus, st_settings

CHROMA = Path(sys.executable).parent / "chroma"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def chroma_server(tmp_path):
    """A real Chroma server on a free loopback port, stopped afterwards."""
    if not CHROMA.exists():
        pytest.skip("the chroma CLI is not installed in this environment")
    port = _free_port()
    log = open(tmp_path / "chroma.log", "w")
    proc = subprocess.Popen([str(CHROMA), "run", "--path", str(tmp_path / "server-data"), "--host", "127.0.0.1",
                             "--port", str(port)], stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.time() + 90
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if proc.poll() is not None or time.time() > deadline:
                    raise RuntimeError("chroma run did not start: " + (tmp_path / "chroma.log").read_text()[-2000:])
                time.sleep(0.3)
        yield port, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def test_index_and_search_through_a_chroma_server(tmp_path, chroma_server, minilm, capsys):
    port, proc = chroma_server
    settings = st_settings(tmp_path, make_corpus(tmp_path / "corpus", JIANGMEN),
                           chroma_host="127.0.0.1", chroma_port=port)
    report = build_index(settings, progress=False, embedder=minilm)
    assert report.changed == [JIANGMEN] and report.chunks > 0
    store = ChromaStore.connect(None, "127.0.0.1", port)
    assert store.label == f"http://127.0.0.1:{port}"
    assert any(name.startswith("bqa-") for name in store.collection_names())
    assert not (settings.data_dir / "chroma").exists(), "server mode keeps no embedded store"
    index = SearchIndex.open(settings, build_if_missing=False, progress=False, embedder=minilm)
    assert index.manifest["store"] == store.label
    hits = index.search("委托业务费", k=5)
    assert hits and any("委托业务费" in h.chunk.text for h in hits)
    assert index.retriever.dense_ranking("official vehicles", 3, {})     # vectors come from the server

    proc.terminate()                                                    # the server goes away mid-session
    proc.wait(timeout=20)
    still = index.search("委托业务费", k=5)
    assert still and any("委托业务费" in h.chunk.text for h in still)     # keywords still answer
    assert "Cannot reach" in index.dense_error or "stopped answering" in index.dense_error
    assert "Searching with keywords only" in capsys.readouterr().err


def test_a_server_that_is_down_gives_a_sentence_not_a_traceback(tmp_path, minilm, capsys):
    port = _free_port()                                    # nothing listens here
    settings = st_settings(tmp_path, make_corpus(tmp_path / "corpus", JIANGMEN),
                           chroma_host="127.0.0.1", chroma_port=port)
    with pytest.raises(IndexUnavailableError) as err:
        build_index(settings, progress=False, embedder=minilm)
    message = str(err.value)
    assert f"Cannot reach the Chroma server at http://127.0.0.1:{port}" in message
    assert "chroma run" in message and "\n" not in message
    with pytest.raises(IndexUnavailableError, match="Cannot reach the Chroma server"):
        SearchIndex.open(settings, build_if_missing=True, progress=False, embedder=minilm)

    assert run_index(settings) == 1
    assert run_retrieve(settings, "委托业务费", k=3, as_json=True) == 1
    err_text = capsys.readouterr().err
    assert "error: Cannot reach the Chroma server" in err_text and "Traceback" not in err_text


def test_collection_names_follow_chroma_rules():
    assert valid_collection_name("bqa-use-20240101-000000-abc123")
    for bad in ("ab", "-starts-with-dash", "has space", "a" * 513, "中文名字", "a..b"):
        with pytest.raises(ValueError):
            valid_collection_name(bad)
