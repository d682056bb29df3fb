"""The pieces the app tests share: a free port, the app served by uvicorn in a thread, Chromium's path."""
from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from settings import Settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@dataclass(frozen=True)
class LiveApp:
    url: str
    settings: Settings
    services: object


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(settings: Settings, services) -> Iterator[LiveApp]:
    """app.create_app(settings, services) under uvicorn on settings.port, until the block ends."""
    import uvicorn

    import app as app_module

    server = uvicorn.Server(uvicorn.Config(app_module.create_app(settings, services), host="127.0.0.1",
                                           port=settings.port, log_level="warning", lifespan="on",
                                           timeout_graceful_shutdown=2))  # a browser may still hold a stream open
    thread = threading.Thread(target=server.run, name=f"budget-qa-test-server-{settings.port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the app did not start")
        time.sleep(0.05)
    try:
        yield LiveApp(url=f"http://127.0.0.1:{settings.port}", settings=settings, services=services)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def listing(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def scratch_settings(root: Path, source: Settings, leave_out: tuple[str, ...] = ()) -> Settings:
    """Settings over a copy of source's corpus (less leave_out) with its own data folder that starts with
    source's stored vectors, so only new text is embedded. The real corpus is never touched."""
    corpus, data = root / "corpus", root / "data"
    corpus.mkdir()
    data.mkdir()
    for path in sorted(source.corpus_dir.glob("*.txt")):
        if path.name not in leave_out:
            shutil.copy(path, corpus / path.name)
    for cache in source.data_dir.glob("embeddings-*.sqlite"):
        shutil.copy(cache, data / cache.name)
    if (source.data_dir / "semantic").is_dir():
        shutil.copytree(source.data_dir / "semantic", data / "semantic")
    return Settings.from_env({}, corpus_dir=corpus, data_dir=data, port=free_port())


def chat_rows(page) -> int:
    return page.locator("#chat .message-row").count()


def ask_and_wait(page, question: str) -> None:
    before = chat_rows(page)
    page.locator("#question textarea").fill(question)
    page.locator("#question textarea").press("Enter")
    page.wait_for_function(  # the pending "正在查找…" message has been replaced by the answer
        "n => document.querySelectorAll('#chat .message-row').length >= n + 2 && "
        "!document.querySelector('#chat').innerText.includes('正在查找')", arg=before,
        timeout=120_000)  # a fresh app's first answer loads the tokenizer and embedder on a shared machine


def upload(page, path: Path, timeout: float = 60_000) -> str:
    """Upload the file and press the button; the text of the report that replaces the previous one."""
    current = "() => document.querySelector('#upload-report .upload-report')?.innerText ?? null"
    previous = page.evaluate(current)
    page.locator("#upload-file input[type=file]").set_input_files(str(path))
    page.locator("#upload-file").get_by_label(path.name, exact=True).wait_for(timeout=60_000)  # uploaded, listed
    page.locator("#upload-btn").click()
    page.wait_for_function(f"previous => {{ const text = ({current})(); return text !== null && text !== previous; }}",
                           arg=previous, timeout=timeout)
    page.locator("#upload-file").get_by_label(path.name, exact=True).wait_for(state="detached")  # emptied for the next
    return page.evaluate(current)
