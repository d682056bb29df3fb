"""The pieces the app tests share: a free port, the app served by uvicorn in a thread, Chromium's path."""
from __future__ import annotations

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
