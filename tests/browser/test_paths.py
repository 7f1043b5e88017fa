"""The paths staff and park managers walk, in Chromium against the whole system: submit, see it
proposed, decide, and the refusals a person must be told about in words."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from itertools import count
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from guiyan_devstack.stack import Stack

from .pages import log_in, screenshot

# Each project a test submits is its own: the demo city's hanfu park takes design studios.
NUMBERS = count(1)
WAIT_MS = 60_000  # for matching's next plan; a plan is awaited, never timed


def unordered(record: dict[str, Any]) -> dict[str, Any]:
    return {key: sorted(map(str, value)) if isinstance(value, list) else value
            for key, value in record.items()}


def sign_in(page: Page, account: dict[str, str]) -> None:
    page.goto("/login")
    log_in(page, account["username"], account["password"])


def submit(page: Page, name: str) -> str:
    """Through the form, as staff do; the project's page address."""
    page.goto("/projects/new")
    page.fill("#name", name)
    page.fill("#founder", "王晓燕")
    page.select_option("#source", label="杭州站")
    page.select_option("#hometown_county", "caoxian")
    page.select_option("#link", "textiles_apparel/hanfu/design_pattern")
    page.fill("#floor_m2", "600")
    page.fill("#investment", "300")
    page.fill("#jobs", "25")
    page.fill("#registered_on", "2026-09-01")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/projects/*?notice=submitted")
    return page.url.split("?")[0]


def proposed_park(stack: Stack, tokens: dict[str, Any], project_url: str,
                  other_than: str | None = None) -> dict[str, Any]:
    """The live proposal of the project, once matching has made it (to another park than
    `other_than`, when given)."""
    project_id = project_url.rsplit("/", 1)[1]
    headers = {"Authorization": f"Bearer {tokens['staff']}"}
    with httpx.Client(base_url=stack.portal_url, headers=headers, timeout=30) as client:
        for _ in range(WAIT_MS // 500):
            placement = client.get(f"/api/v1/projects/{project_id}").json()["placement"]
            proposal = placement.get("proposal")
            if proposal and proposal["park_id"] != other_than and proposal["status"] == "offered":
                return proposal  # type: ignore[no-any-return]
            time.sleep(0.5)
    pytest.fail(f"no proposal for {project_url}")


@pytest.fixture
def staff(open_page: Callable[..., Page], accounts: dict[str, Any]) -> Page:
    page = open_page("desktop")
    sign_in(page, accounts["staff"])
    return page


def manager_of(open_page: Callable[..., Page], accounts: dict[str, Any], park_id: str,
               form: str = "phone") -> Page:
    page = open_page(form)
    sign_in(page, accounts["managers"][park_id])
    return page


def test_staff_submit_a_project_and_see_it_proposed(staff: Page) -> None:
    url = submit(staff, f"汉服设计工作室{next(NUMBERS)}")
    expect(staff.locator(".flash.ok")).to_contain_text("已提交")
    expect(staff.locator("#standing .status")).to_have_text("已推荐", timeout=WAIT_MS)
    expect(staff.locator("#placement-h")).to_be_visible()
    assert url.startswith(staff.url.split("/projects/")[0])


def test_the_manager_reads_why_and_accepts_and_staff_see_it_placed(
        staff: Page, open_page: Callable[..., Page], accounts: dict[str, Any], stack: Stack,
        tokens: dict[str, Any]) -> None:
    url = submit(staff, f"汉服设计工作室{next(NUMBERS)}")
    proposal = proposed_park(stack, tokens, url)
    manager = manager_of(open_page, accounts, proposal["park_id"])
    manager.goto("/proposals")
    expect(manager.locator("[role=status]").first).to_contain_text("待")
    manager.get_by_role("link", name=proposal["project_name"]).click()
    expect(manager.locator("#why-h")).to_be_visible()
    expect(manager.locator("#chain-role")).to_have_text(re.compile("补链|延链|强链|同业"))
    screenshot(manager, "proposal")
    manager.get_by_role("button", name="接受").click()
    expect(manager.locator(".flash.ok")).to_be_visible()
    expect(manager.locator("h1 + .status, .spread .status").first).to_have_text("已接受")
    staff.goto(url)
    expect(staff.locator("#standing .status")).to_have_text("已落地")


def test_a_rejection_with_its_reason_leads_to_a_proposal_elsewhere(
        staff: Page, open_page: Callable[..., Page], accounts: dict[str, Any], stack: Stack,
        tokens: dict[str, Any]) -> None:
    url = submit(staff, f"汉服设计工作室{next(NUMBERS)}")
    first = proposed_park(stack, tokens, url)
    manager = manager_of(open_page, accounts, first["park_id"])
    manager.goto(f"/proposals/{first['id']}")
    manager.get_by_role("button", name="拒绝").click()  # no reason yet: said at the field
    expect(manager.locator("#reason-error")).to_be_visible()
    manager.fill("#reason", "场地已另作他用")
    manager.get_by_role("button", name="拒绝").click()
    expect(manager.locator(".flash.ok")).to_be_visible()
    second = proposed_park(stack, tokens, url, other_than=first["park_id"])
    assert second["park_id"] != first["park_id"]


def test_accepting_an_offer_withdrawn_meanwhile_is_told_in_a_sentence(
        staff: Page, open_page: Callable[..., Page], accounts: dict[str, Any], stack: Stack,
        tokens: dict[str, Any]) -> None:
    url = submit(staff, f"汉服设计工作室{next(NUMBERS)}")
    proposal = proposed_park(stack, tokens, url)
    manager = manager_of(open_page, accounts, proposal["park_id"])
    manager.goto(f"/proposals/{proposal['id']}")
    staff.goto(url)
    staff.fill("#reason", "创业者决定留在杭州")
    staff.locator("#withdraw button[type=submit]").click()
    expect(staff.locator(".flash.ok")).to_be_visible()
    manager.get_by_role("button", name="接受").click()
    expect(manager.locator(".flash.error")).to_contain_text("撤回")
    screenshot(manager, "stale-accept")


def test_the_language_switch(staff: Page) -> None:
    staff.goto("/projects")
    expect(staff.locator("h1")).to_have_text("项目")
    staff.get_by_role("link", name="English").click()
    expect(staff.locator("h1")).to_have_text("Projects")
    assert staff.evaluate("document.documentElement.lang") == "en"
    staff.get_by_role("link", name="中文").click()
    expect(staff.locator("h1")).to_have_text("项目")


def test_a_form_posted_without_its_csrf_token_is_refused(staff: Page) -> None:
    answer = staff.request.post("/projects/new", form={"name": "无令牌项目"})
    assert answer.status == 403


def test_a_manager_cannot_open_another_parks_proposal_even_by_its_address(
        staff: Page, open_page: Callable[..., Page], accounts: dict[str, Any], stack: Stack,
        tokens: dict[str, Any]) -> None:
    url = submit(staff, f"汉服设计工作室{next(NUMBERS)}")
    proposal = proposed_park(stack, tokens, url)
    other = next(park for park in accounts["managers"] if park != proposal["park_id"])
    manager = manager_of(open_page, accounts, other)
    answer = manager.goto(f"/proposals/{proposal['id']}")
    assert answer is not None and answer.status == 403
    expect(manager.locator("main")).not_to_contain_text(proposal["project_name"])


def test_a_manager_asks_what_if_their_park_had_more_room(
        open_page: Callable[..., Page], accounts: dict[str, Any]) -> None:
    manager = manager_of(open_page, accounts, "mudan-return-park", form="desktop")
    manager.goto("/parks/mudan-return-park")
    manager.fill("#floor_m2", "1")
    manager.locator("#whatif-h ~ form button[type=submit]").click()
    expect(manager.locator("#whatif-result")).to_be_visible(timeout=WAIT_MS)
    screenshot(manager, "what-if")


def test_a_park_and_a_project_saved_unchanged_store_what_they_showed(
        staff: Page, open_page: Callable[..., Page], accounts: dict[str, Any], stack: Stack,
        tokens: dict[str, Any]) -> None:
    headers = {"Authorization": f"Bearer {tokens['admin']}"}
    with httpx.Client(base_url=stack.portal_url, headers=headers, timeout=30) as api:
        park_before = api.get("/api/v1/parks/heze-return-incubator").json()
        admin = open_page("desktop")
        sign_in(admin, accounts["admin"])
        admin.goto("/admin/parks/heze-return-incubator/edit")
        admin.locator("main form button[type=submit]").click()
        expect(admin.locator(".flash.ok")).to_be_visible()
        # The form lists sectors and links in the taxonomy's order: the same sets, maybe reordered.
        assert unordered(api.get("/api/v1/parks/heze-return-incubator").json()) == unordered(
            park_before)

        url = submit(staff, f"汉服设计工作室{next(NUMBERS)}")
        project_id = url.rsplit("/", 1)[1]
        project_before = api.get(f"/api/v1/projects/{project_id}").json()["project"]
        staff.goto(f"{url}/edit")
        staff.locator("main form button[type=submit]").click()
        expect(staff.locator(".flash.ok")).to_be_visible()
        project_after = api.get(f"/api/v1/projects/{project_id}").json()["project"]
        assert {k: v for k, v in project_after.items() if k != "updated_at"} == {
            k: v for k, v in project_before.items() if k != "updated_at"}
