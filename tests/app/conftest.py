"""A really launched app: uvicorn serving app.create_app on a free loopback port, shared by the API and browser tests."""
from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass

import pytest

from settings import Settings


@dataclass(frozen=True)
class LiveApp:
    url: str
    settings: Settings
    services: object


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def app_settings() -> Settings:
    """The real corpus and the default index folder (.budgetqa/), built on first use exactly as `make run` does."""
    return Settings.from_env({}, port=free_port())


@pytest.fixture(scope="session")
def built_index(app_settings):
    from index.api import SearchIndex
    return SearchIndex.open(app_settings, build_if_missing=True)


@pytest.fixture(scope="session")
def live_app(app_settings, built_index):
    import uvicorn

    import app as app_module
    from webui.services import AppServices

    services = AppServices.start(app_settings)
    server = uvicorn.Server(uvicorn.Config(app_module.create_app(app_settings, services), host="127.0.0.1",
                                           port=app_settings.port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, name="budget-qa-test-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the app did not start")
        time.sleep(0.05)
    yield LiveApp(url=f"http://127.0.0.1:{app_settings.port}", settings=app_settings, services=services)
    server.should_exit = True
    thread.join(timeout=10)
