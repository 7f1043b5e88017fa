"""A leader opens the dashboard at a desktop's and a phone's width: every chart is drawn (a
canvas), the page fits the width, and each figure has its table and its Excel download."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from .pages import FORMS, assert_no_sideways_scroll, log_in, screenshot

CHARTS = 8  # the funnel, four breakdowns, the parks, the plans and the reasons


@pytest.mark.parametrize("form", list(FORMS))
def test_a_leader_sees_every_chart_drawn_at_each_width(
        form: str, open_page: Callable[..., Page], accounts: dict[str, Any]) -> None:
    page = open_page(form)
    page.goto("/login")
    log_in(page, accounts["leader"]["username"], accounts["leader"]["password"])
    expect(page).to_have_url(re.compile(r"/dashboard$"))  # a leader's home
    expect(page.locator("h1")).to_have_text("数据看板")
    charts = page.locator(".chart[data-chart]")
    expect(charts).to_have_count(CHARTS)
    for index in range(CHARTS):
        expect(charts.nth(index).locator("canvas")).to_have_count(1)
        expect(charts.nth(index)).to_have_attribute("data-drawn", "true")
    # Each chart's table, and the service stations ranked (a table of its own, not a chart).
    assert page.locator("table.list").count() == CHARTS + 1
    expect(page.locator("#ranking-table tbody tr").first).to_be_visible()
    assert page.locator("a[href*='format=xlsx']").count() == CHARTS - 1  # the reasons are the plans'
    expect(page.locator("nav.sections a[aria-current=page]")).to_have_text("数据看板")
    assert_no_sideways_scroll(page)
    # A chart follows its box: none is wider than the window.
    widest = page.evaluate("Math.max(...[...document.querySelectorAll('.chart canvas')]"
                           ".map((c) => c.getBoundingClientRect().right))")
    assert widest <= page.viewport_size["width"]
    screenshot(page, "dashboard")


def test_a_leader_ranks_the_stations_over_a_period(open_page: Callable[..., Page],
                                                   accounts: dict[str, Any]) -> None:
    page = open_page("phone")
    page.goto("/login")
    log_in(page, accounts["leader"]["username"], accounts["leader"]["password"])
    ranking = page.locator("#ranking-table tbody tr")
    expect(ranking.first.locator("td").first).to_have_text("1")
    # A period before any project: every station recommended none, and all share the first rank.
    page.fill("#from", "2000-01-01")
    page.fill("#to", "2000-12-31")
    page.get_by_role("button", name="显示").first.click()
    page.wait_for_url(re.compile(r"from=2000-01-01"))
    assert set(page.locator("#ranking-table tbody td:first-child").all_inner_texts()) == {"1"}
    assert set(page.locator("#ranking-table td[data-label='推荐']").all_inner_texts()) == {"0"}
    assert_no_sideways_scroll(page)


def test_a_leader_is_offered_no_change(open_page: Callable[..., Page],
                                       accounts: dict[str, Any]) -> None:
    page = open_page("desktop")
    page.goto("/login")
    log_in(page, accounts["leader"]["username"], accounts["leader"]["password"])
    page.goto("/projects")
    expect(page.locator("a[href='/projects/new']")).to_have_count(0)
    assert page.goto("/projects/new").status == 403
