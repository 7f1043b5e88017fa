"""The page at `/` that takes a pasted bearer token."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from guiyan_devstack import demo

from .pages import assert_no_sideways_scroll, paste_token, screenshot


def test_the_sign_in_form_shows_from_the_portal_alone(page_at_each_width: Page) -> None:
    page = page_at_each_width
    page.goto("/")
    expect(page.locator("#token")).to_be_visible()
    screenshot(page, "token-sign-in")
    assert_no_sideways_scroll(page)


def test_staff_signed_in_with_a_token_see_the_demo_parks(page_at_each_width: Page,
                                                          tokens: dict[str, Any]) -> None:
    page = page_at_each_width
    paste_token(page, tokens["staff"])
    page.locator("[data-tab=parks]").click()
    for park in demo.PARKS:
        expect(page.get_by_text(park["name"], exact=True)).to_be_visible()
    screenshot(page, "token-parks")
