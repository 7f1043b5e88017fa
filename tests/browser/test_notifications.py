"""Notifications in Chromium against the whole system, at a phone's width: an admin adds a park's
webhook on the channels page and tests it; the park's manager sees the unread count in the
header rise when a project is offered to the park, and fall as they read it in the inbox; their
preferences keep a proposal to decide in the inbox, whatever they choose."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

import httpx
from playwright.sync_api import Page, expect

from guiyan_devstack.stack import Stack
from guiyan_receivers import WebhookReceiver

from .pages import assert_no_sideways_scroll, screenshot
from .test_paths import WAIT_MS, proposed_park, sign_in

PARK = "caoxian-hanfu-park"  # where the demo city's small hanfu design studios are proposed
SECRET = "the park's webhook secret"
STUDIO = {"name": "归雁汉服纹样工作室", "founder": "刘晓燕", "source": "hangzhou",
          "hometown_county": "caoxian", "sector": "textiles_apparel", "chain": "hanfu",
          "link": "design_pattern", "floor_m2": 200, "investment_yuan": 1_000_000, "jobs": 8,
          "registered_on": "2026-06-01"}


def unread_in_header(page: Page) -> int:
    badge = page.locator("header a.inbox-link .badge")
    return int(badge.inner_text()) if badge.count() else 0


def add_webhook(admin: Page, url: str) -> str:
    """Through the channel form, as an admin does on a phone; the channel's page address."""
    admin.goto("/admin/channels")
    admin.get_by_role("link", name="新建通道").click()
    admin.select_option("#kind", "webhook")
    admin.fill("#name", "汉服园工作群回调")
    admin.select_option("#owner", f"park:{PARK}")
    admin.fill("#url", url)
    admin.fill("#secret", SECRET)
    assert_no_sideways_scroll(admin)
    admin.get_by_role("button", name="保存").click()
    admin.wait_for_url("**/admin/channels?notice=saved")
    row = admin.locator("table.list tr", has_text="汉服园工作群回调")
    expect(row).to_contain_text("Webhook")
    expect(row).not_to_contain_text(SECRET)
    row.get_by_role("link", name="汉服园工作群回调").click()
    admin.wait_for_url("**/admin/channels/*")
    return admin.url


def test_a_park_webhook_and_the_manager_s_unread_count_follow_an_offer(
        open_page: Callable[..., Page], accounts: dict[str, Any], stack: Stack,
        tokens: dict[str, Any]) -> None:
    with WebhookReceiver(SECRET) as receiver:
        admin = open_page("phone")
        sign_in(admin, accounts["admin"])
        channel_url = add_webhook(admin, receiver.url)
        admin.get_by_role("button", name="发送测试消息").click()
        expect(admin.locator(".flash.ok")).to_have_text("测试消息已送达。")
        assert len(receiver.received) == 1
        admin.goto("/admin/channels")
        assert_no_sideways_scroll(admin)
        screenshot(admin, "channels")

        manager = open_page("phone")
        sign_in(manager, accounts["managers"][PARK])
        manager.goto("/proposals")
        before = unread_in_header(manager)

        headers = {"Authorization": f"Bearer {tokens['staff']}"}
        with httpx.Client(base_url=stack.portal_url, headers=headers, timeout=30) as staff:
            submitted = staff.post("/api/v1/projects", json=STUDIO)
            assert submitted.status_code == 202, submitted.text
            project = f"{stack.portal_url}/projects/{submitted.json()['id']}"
            try:
                assert proposed_park(stack, tokens, project)["park_id"] == PARK
                deadline = time.monotonic() + WAIT_MS / 1000
                while unread_in_header(manager) <= before and time.monotonic() < deadline:
                    time.sleep(0.5)
                    manager.reload()
                assert unread_in_header(manager) == before + 1
                offered = [r for r in receiver.received if STUDIO["name"] in str(r.json())]
                assert offered, "the park's webhook did not hear of the offer"

                manager.locator("header a.inbox-link").click()
                manager.wait_for_url("**/inbox")
                notice = manager.locator("li.notice.unread", has_text=STUDIO["name"]).first
                expect(notice.get_by_role("img", name="未读")).to_be_visible()
                expect(notice.get_by_role("link", name="去处理")).to_have_attribute(
                    "href", re.compile(r"^/proposals/"))
                assert_no_sideways_scroll(manager)
                screenshot(manager, "inbox")
                notice.get_by_role("button", name="标为已读").click()
                manager.wait_for_url("**/inbox?notice=read")
                assert unread_in_header(manager) == before
                expect(manager.locator("li.notice", has_text=STUDIO["name"]).first
                       ).not_to_have_class(re.compile("unread"))
            finally:
                staff.post(f"/api/v1/projects/{submitted.json()['id']}/withdraw",
                           json={"reason": "测试结束"})

        manager.goto("/account")
        manager.get_by_role("link", name="通知设置").click()
        always = manager.locator('input[name="proposal_offered"][value="inbox"]')
        expect(always).to_be_checked()
        expect(always).to_be_disabled()
        expect(manager.locator("main")).to_contain_text("待决定的推荐总会送到站内信")
        assert_no_sideways_scroll(manager)
        screenshot(manager, "preferences")
        admin.goto(channel_url)
        admin.get_by_role("link", name="删除").click()
        admin.get_by_role("button", name="删除该通道").click()
        admin.wait_for_url("**/admin/channels?notice=deleted")
