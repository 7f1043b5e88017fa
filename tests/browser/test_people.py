"""The path from a park's missing link to a project, in Chromium against the whole system: staff
open the park's leads, turn one into a task, record the contact that does it, and submit the
project that came of it, with the person's station as its source."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from guiyan_devstack.stack import Stack

from .pages import assert_no_sideways_scroll, screenshot
from .test_paths import WAIT_MS, sign_in


def a_lead(stack: Stack, tokens: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """A park with a lead whose person a station knows, once matching has weighed the park."""
    headers = {"Authorization": f"Bearer {tokens['staff']}"}
    with httpx.Client(base_url=stack.portal_url, headers=headers, timeout=30) as client:
        parks = [park["id"] for park in client.get("/api/v1/parks").json()["items"]]
        for _ in range(WAIT_MS // 500):
            for park_id in parks:
                leads = client.get(f"/api/v1/parks/{park_id}/leads").json()
                for link in leads["links"]:
                    for lead in link["leads"]:
                        if lead["person"]["station_id"]:
                            return park_id, lead["person"]
            time.sleep(0.5)
    pytest.fail("no park has a lead")


def test_staff_turn_a_lead_into_a_task_a_contact_and_a_project_from_its_station(
        open_page: Callable[..., Page], accounts: dict[str, Any], stack: Stack,
        tokens: dict[str, Any]) -> None:
    park_id, person = a_lead(stack, tokens)
    page = open_page("phone")
    sign_in(page, accounts["staff"])

    page.goto(f"/parks/{park_id}")
    page.get_by_role("link", name="招商线索").click()
    page.wait_for_url(f"**/parks/{park_id}/leads")
    assert_no_sideways_scroll(page)
    screenshot(page, "leads")
    page.locator(f'a[href^="/tasks/new?person_id={person["id"]}&"]').first.click()

    page.wait_for_url("**/tasks/new?*")
    expect(page.locator("main")).to_contain_text(person["name"])
    page.fill("#notes", "请其介绍在外同行回乡考察")
    assert_no_sideways_scroll(page)
    screenshot(page, "new-task")
    page.get_by_role("button", name="指派").click()
    page.wait_for_url(f"**/people/{person['id']}?notice=assigned")

    page.get_by_role("link", name="记录联系").first.click()
    page.wait_for_url(f"**/people/{person['id']}/contacts/new")
    page.select_option("#method", "visit")
    page.fill("#notes", "走访谈回乡设厂，愿意先做设计工作室")
    task = page.locator("#task_id option", has_text="请其介绍在外同行回乡考察")
    page.select_option("#task_id", task.get_attribute("value"))
    assert_no_sideways_scroll(page)
    screenshot(page, "new-contact")
    page.get_by_role("button", name="记录", exact=True).click()
    page.wait_for_url(f"**/people/{person['id']}?notice=recorded")
    expect(page.locator("main")).to_contain_text("走访谈回乡设厂")
    assert_no_sideways_scroll(page)
    screenshot(page, "person")

    page.get_by_role("link", name="提交项目").first.click()
    page.wait_for_url("**/projects/new?contact_id=*")
    station = page.locator("#source option:checked")
    assert station.get_attribute("value") == person["station_id"]
    station_name = station.inner_text()
    page.fill("#name", "回乡设计工作室")
    page.fill("#floor_m2", "300")
    page.fill("#investment", "200")
    page.fill("#jobs", "12")
    page.fill("#registered_on", "2026-09-01")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/projects/*?notice=submitted")
    expect(page.locator("main")).to_contain_text(station_name)
    project_id = page.url.split("?")[0].rsplit("/", 1)[1]

    headers = {"Authorization": f"Bearer {tokens['staff']}"}
    with httpx.Client(base_url=stack.portal_url, headers=headers, timeout=30) as client:
        project = client.get(f"/api/v1/projects/{project_id}").json()["project"]
        recorded = client.get(f"/api/v1/people/{person['id']}").json()
        tasks = client.get("/api/v1/tasks", params={"person_id": person["id"]}).json()["items"]
    assert project["source"] == person["station_id"]
    assert project_id in recorded["project_ids"]
    assert all(t["status"] == "done" for t in tasks if t["notes"] == "请其介绍在外同行回乡考察")
