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
def app_settings(tmp_path_factory) -> Settings:
    """The real corpus, indexed into a fresh data folder for this test session."""
    return Settings.from_env({}, data_dir=tmp_path_factory.mktemp("app-index"), port=free_port())


@pytest.fixture(scope="session")
def live_app(app_settings):
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
