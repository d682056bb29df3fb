"""A really launched app: uvicorn serving app.create_app on a free loopback port, shared by the API and browser tests."""
from __future__ import annotations

import pytest

from settings import Settings
from tests.app.live import CHROMIUM, CHROMIUM_ARGS, free_port, serving


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
    from webui.services import AppServices

    services = AppServices.start(app_settings, index=built_index)  # the index is opened once, as in `serve`
    with serving(app_settings, services) as live:
        yield live


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    """A page in Debian's Chromium (tests using it skip when /usr/bin/chromium is missing)."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=str(CHROMIUM), headless=True,
            args=CHROMIUM_ARGS, viewport={"width": 1440, "height": 1000}, locale="zh-CN")
        page = context.new_page()
        page.set_default_timeout(30_000)
        yield page
        context.close()
