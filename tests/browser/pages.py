"""What a browser test does with a page: look at it at a desktop's or a phone's width, take its
screenshot, check that it fits, and sign in."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Page

# Context options of each form a page is looked at in.
FORMS: dict[str, dict[str, Any]] = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True,
              "device_scale_factor": 2},
}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def form_of(page: Page) -> str:
    size = page.viewport_size
    width = size["width"] if size else 0
    return "phone" if width <= FORMS["phone"]["viewport"]["width"] else "desktop"


def screenshot(page: Page, name: str) -> Path:
    """The whole page, as test-artifacts/screenshots/<name>-<desktop|phone>.png."""
    path = SCREENSHOTS / f"{name}-{form_of(page)}.png"
    page.screenshot(path=path, full_page=True)
    return path


def assert_no_sideways_scroll(page: Page) -> None:
    """Nothing sticks out to the right: at a phone's width a page that must be scrolled sideways
    is hard to read and to use."""
    widths = page.evaluate("({content: document.documentElement.scrollWidth,"
                           " window: window.innerWidth})")
    assert widths["content"] <= widths["window"], (
        f"{page.url} is {widths['content']}px wide in a {widths['window']}px window")


def log_in(page: Page, username: str, password: str) -> None:
    """Through the login form, as a person does; the session lives in a cookie."""
    form = page.locator("form", has=page.locator("input[name=username]"))
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(password)
    # A button with no type submits its form too.
    form.locator("button:not([type]), button[type=submit], input[type=submit]").click()
    page.wait_for_load_state()
