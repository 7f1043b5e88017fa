"""`/docs`: Swagger UI, served by the portal itself, works with no other site reachable."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from .pages import screenshot


def test_swagger_ui_lists_the_operations_from_the_portal_alone(page_at_each_width: Page) -> None:
    page = page_at_each_width
    page.goto("/docs")
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/projects").first).to_be_visible()
    assert page.locator(".opblock").count() > 10
    screenshot(page, "api-docs")
