"""Browser fixtures: one headless Debian Chromium driven by Playwright, pages signed in as the
personas.

Every test here runs against ``live_daphne`` (a real daphne subprocess on this run's test
database). The browser is the system Chromium (``tests.conftest.chromium_path()``): Playwright
never downloads one.

Two things about sync Playwright shape these fixtures:

* While it runs, its event loop is the *running* loop of the main thread. Django's ORM then
  refuses to run (SynchronousOnlyOperation) when a test creates data, and so does
  pytest-django's flush after a transactional test. Nothing here is really asynchronous: the
  loop only runs while the test thread waits inside a Playwright call, never while the ORM
  runs. So ``DJANGO_ALLOW_ASYNC_UNSAFE`` is set, but only during each browser test (autouse
  fixture below), never for the rest of the suite.
* For the same reason ``asyncio.run`` (pytest-asyncio) fails while Playwright is started. The
  browser is therefore package-scoped rather than session-scoped: started by the first browser
  test, stopped after the last one, before ``tests/realtime`` runs its async tests.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from tests.browser.helpers import PHONE, TIMEOUT_MS
from tests.conftest import Daphne, World, build_world, chromium_path, user_of


@pytest.fixture(autouse=True)
def _orm_beside_playwright() -> Iterator[None]:
    """Let the test (and pytest-django's teardown) use the ORM while Playwright's loop runs."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="package")
def chromium() -> Iterator[Browser]:
    path = chromium_path()
    assert path, "the browser marker deselects these tests when Chromium is absent"
    driver: Playwright
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=path, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def live_world(live_daphne: Daphne) -> World:
    """The personas' world, committed (``live_daphne`` uses ``transactional_db``), so that the
    daphne subprocess sees it."""
    return build_world()


@pytest.fixture
def new_context(chromium: Browser, live_daphne: Daphne) -> Iterator[Callable[..., BrowserContext]]:
    """Factory of isolated browser contexts (own cookies: one per person), closed after the test.

    Keyword arguments go to ``Browser.new_context`` (e.g. ``java_script_enabled=False``); the
    default window is a 360 px wide phone, in French."""
    contexts: list[BrowserContext] = []

    def make(**options: Any) -> BrowserContext:
        options.setdefault("viewport", PHONE)
        options.setdefault("locale", "fr-FR")
        context = chromium.new_context(base_url=live_daphne.url, **options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def open_page(
    new_context: Callable[..., BrowserContext], live_daphne: Daphne
) -> Callable[..., Page]:
    """Factory of pages in a fresh context, signed in as ``persona`` (None: anonymous).

    Signing in here is a session cookie made in the test process (the same database and
    SECRET_KEY as daphne): fast, for tests whose subject is not the sign-in form itself."""

    def make(persona: Any = None, **options: Any) -> Page:
        context = new_context(**options)
        if persona is not None:
            client = Client()
            client.force_login(user_of(persona))
            cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
            context.add_cookies(
                [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_daphne.url}]
            )
        return context.new_page()

    return make
