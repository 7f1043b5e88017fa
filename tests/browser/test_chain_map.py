"""The chain map (产业链图谱) as the city's staff open it, at a desktop's width and a phone's."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from .pages import assert_no_sideways_scroll, screenshot
from .test_paths import sign_in


def test_the_chain_map_shows_each_chain_as_a_row_of_links_filled_or_missing(
        page_at_each_width: Page, accounts: dict[str, Any]) -> None:
    page = page_at_each_width
    sign_in(page, accounts["staff"])
    page.get_by_role("link", name="产业链图谱").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("产业链图谱")
    expect(page.get_by_role("heading", level=3, name="汉服")).to_be_visible()
    hanfu = page.locator("h3:has-text('汉服') + p + ol.chain")
    expect(hanfu.locator("li").first).to_contain_text("提花织造")  # upstream first
    # Filled and missing are told in words, not by colour alone.
    expect(page.locator("ol.chain .link-box.registered .mark").first).to_contain_text("已登记")
    expect(page.locator("ol.chain .link-box.missing .mark").first).to_contain_text("缺失")
    assert_no_sideways_scroll(page)
    screenshot(page, "chain-map")


def test_a_parks_page_leads_to_its_chain_map(open_page: Callable[..., Page],
                                              accounts: dict[str, Any]) -> None:
    page = open_page("phone")
    sign_in(page, accounts["staff"])
    page.goto("/parks")
    page.locator("table.list a").first.click()
    park = page.get_by_role("heading", level=1).inner_text()
    page.get_by_role("link", name="产业链图谱").last.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{park}产业链图谱")
    assert_no_sideways_scroll(page)
