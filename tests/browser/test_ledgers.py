"""Staff import a ledger in Chromium: the check names the bad row's mistake in Chinese at its
row and column, the fixed file imports, and matching proposes the projects."""

from __future__ import annotations

import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from openpyxl import Workbook
from playwright.sync_api import Page, expect

from guiyan_devstack.stack import Stack

from .pages import assert_no_sideways_scroll, form_of, screenshot
from .test_paths import WAIT_MS, proposed_park, sign_in

HEADERS = ["项目编号", "项目名称", "创始人", "来源驿站", "家乡县区", "行业", "产业链", "环节",
           "需求面积（平方米）", "投资额（元）", "就业人数", "工商注册日期"]
BAD_ROW, BAD_COUNTY = 4, "亚特兰蒂斯"  # the sheet's fourth row: the ledger's third project


def ledger(path: Path, tag: str, county_of_the_third: str) -> Path:
    """Three hanfu design studios, as a county office types them."""
    workbook = Workbook()
    workbook.active.append(HEADERS)
    for number, county in enumerate(("曹县", "曹县", county_of_the_third), start=1):
        workbook.active.append([f"{tag}-{number}", f"{tag}纹样坊{number}", "张海燕",
                                "杭州站", county, "纺织服装", "汉服", "设计制版", 200,
                                1_000_000, 8, "2026-06-01"])
    workbook.save(path)
    return path


def listed(stack: Stack, tokens: dict[str, Any], tag: str, count: int) -> list[dict[str, Any]]:
    """The imported projects, once matching lists all `count` of them."""
    headers = {"Authorization": f"Bearer {tokens['staff']}"}
    with httpx.Client(base_url=stack.portal_url, headers=headers, timeout=30) as client:
        for _ in range(WAIT_MS // 500):
            found = client.get("/api/v1/projects", params={"q": tag}).json()["items"]
            if len(found) == count:
                return [listing["project"] for listing in found]
            time.sleep(0.5)
    pytest.fail(f"matching did not list the {count} imported projects")


def test_staff_check_a_ledger_fix_it_and_import_it(
        page_at_each_width: Page, accounts: dict[str, Any], stack: Stack,
        tokens: dict[str, Any], tmp_path: Path) -> None:
    page, tag = page_at_each_width, uuid.uuid4().hex[:6]
    sign_in(page, accounts["staff"])
    page.goto("/projects/import")
    page.set_input_files("#file", ledger(tmp_path / "台账.xlsx", tag, BAD_COUNTY))
    page.locator("button[value=check]").click()
    report = page.locator("#ledger-report")
    expect(report.locator("h2")).to_have_text("试导入")
    bad = report.locator("tbody tr")
    expect(bad).to_have_count(1)
    expect(bad.locator("td")).to_have_text([str(BAD_ROW), "家乡县区", "不是本市的县区"])
    if form_of(page) == "phone":
        assert_no_sideways_scroll(page)
    screenshot(page, "import")

    page.set_input_files("#file", ledger(tmp_path / "台账（改）.xlsx", tag, "曹县"))
    page.locator("button[value=import]").click()
    expect(report.locator("h2")).to_have_text("已导入", timeout=WAIT_MS)
    expect(report.locator("a[href='/projects']")).to_be_visible()
    projects = listed(stack, tokens, tag, 3)
    for project in projects:
        assert proposed_park(stack, tokens, f"/projects/{project['id']}")["park_id"]

