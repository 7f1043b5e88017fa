"""Browser tests: Debian's Chromium, driven by Playwright, against the whole system running as
separate processes with the demo parks. One system and one browser serve every browser test.

A test takes `page` (a desktop's width), `phone_page`, `page_at_each_width` (both, one run each)
or `open_page(form, **context_options)`. Each page fails its test when it sends a request
outside the portal's origin, throws an uncaught error or logs an error on the console. What a
test does with a page (`screenshot`, `assert_no_sideways_scroll`, `log_in`) is in `pages.py`;
`accounts` holds the demo users' passwords and `tokens` their bearer tokens. Inside a
browser test `asyncio.run` cannot be called (see `__init__.py`): reach the portal with httpx.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from guiyan_devstack import demo
from guiyan_devstack.stack import Stack

from ..system import running_stack
from .chromium import Unavailable, ensure_chromium
from .pages import FORMS
from .watch import Watch

# Playwright's browsers are never downloaded: Debian's Chromium is used.
os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """`-m "not browser"` leaves out whatever needs Chromium."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() not in ("", "0", "false")


# Some of the demo city's projects, so that lists, the dashboard and the chain map show a city
# at work, as the README's pictures do.
DEMO_PROJECTS = 30


@pytest.fixture(scope="package")
def accounts() -> dict[str, Any]:
    """The demo users' usernames and passwords: admin, staff, and each park's manager."""
    return demo.new_accounts()


@pytest.fixture(scope="package")
def stack(tmp_path_factory: pytest.TempPathFactory, accounts: dict[str, Any]) -> Iterator[Stack]:
    # Offers go to a park's robots at once, not gathered for a minute: a test watches one arrive
    # at a receiver of its own, on 127.0.0.1.
    with running_stack(tmp_path_factory.mktemp("browser-stack"), None,
                       {"PLAN_DEBOUNCE_SECONDS": "0.1", "DIGEST_SECONDS": "0",
                        "CHANNEL_PRIVATE_ADDRESSES": "true"}, accounts,
                       projects=DEMO_PROJECTS) as running:
        yield running


@pytest.fixture(scope="package")
def tokens(stack: Stack) -> dict[str, Any]:
    """The demo accounts' bearer tokens, for what a test does behind the pages' back."""
    return demo.tokens(stack.config.auth_secret)


@pytest.fixture(scope="package")
def chromium() -> str:
    """Chromium's path, installed with apt-get when missing. Without it the browser tests fail
    in CI, and are skipped elsewhere."""
    try:
        path, troubles = ensure_chromium()
    except Unavailable as why:
        if in_ci():
            pytest.fail(f"The browser tests need Chromium. {why}", pytrace=False)
        pytest.skip(f"the browser tests need Chromium. {why}")
    for trouble in troubles:
        warnings.warn(trouble, stacklevel=1)
    return path


@pytest.fixture(scope="package")
def browser(chromium: str, stack: Stack) -> Iterator[Browser]:
    # The system starts first: its start-up runs asyncio.run, which Playwright would refuse.
    with sync_playwright() as playwright:
        # No sandbox: CI runs as root in a container; a small /dev/shm there crashes the tab.
        launched = playwright.chromium.launch(executable_path=chromium,
                                              args=["--no-sandbox", "--disable-dev-shm-usage"])
        yield launched
        launched.close()


@pytest.fixture
def open_page(browser: Browser, stack: Stack) -> Iterator[Callable[..., Page]]:
    """Opens a page in a context of its own, at a form's size ("desktop" or "phone"), whose
    relative URLs are the portal's; what its pages did wrong fails the test at teardown."""
    opened: list[tuple[BrowserContext, Watch]] = []

    def open_in(form: str = "desktop", **context_options: Any) -> Page:
        context = browser.new_context(**{
            "base_url": stack.portal_url, "locale": "zh-CN", "timezone_id": "Asia/Shanghai",
            "service_workers": "block", **FORMS[form], **context_options})
        opened.append((context, Watch(context, stack.portal_url)))
        return context.new_page()

    yield open_in
    for context, _ in opened:
        context.close()
    problems = [problem for _, watch in opened for problem in watch.problems()]
    if problems:
        pytest.fail("The pages did what the portal's pages must not:\n" + "\n".join(problems),
                    pytrace=False)


@pytest.fixture
def page(open_page: Callable[..., Page]) -> Page:
    return open_page("desktop")


@pytest.fixture
def phone_page(open_page: Callable[..., Page]) -> Page:
    return open_page("phone")


@pytest.fixture(params=list(FORMS))
def page_at_each_width(request: pytest.FixtureRequest, open_page: Callable[..., Page]) -> Page:
    return open_page(request.param)
