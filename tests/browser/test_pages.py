"""The helpers themselves, on pages of a test's own served at the portal's origin."""

from __future__ import annotations

from urllib.parse import parse_qs

from playwright.sync_api import Browser, Page, Route, expect

from guiyan_devstack.stack import Stack

from .pages import log_in
from .watch import Watch

LOGIN_FORM = """<!doctype html><form method="post" action="/login-helper-probe">
<input name="username"><input name="password" type="password"><button>登录</button></form>"""


def test_log_in_fills_the_login_form_and_submits_it(page: Page) -> None:
    posted: list[str] = []

    def login(route: Route) -> None:
        if route.request.method == "POST":
            posted.append(route.request.post_data or "")
            route.fulfill(body="<p>欢迎</p>", content_type="text/html; charset=utf-8")
        else:
            route.fulfill(body=LOGIN_FORM, content_type="text/html; charset=utf-8")

    page.route("**/login-helper-probe", login)
    page.goto("/login-helper-probe")
    log_in(page, "heze-staff", "demo-password")
    expect(page.get_by_text("欢迎")).to_be_visible()
    assert [parse_qs(body) for body in posted] == [
        {"username": ["heze-staff"], "password": ["demo-password"]}]


MISBEHAVING = """<!doctype html><link rel="stylesheet" href="https://cdn.example.com/ui.css">
<script>console.error("控制台错误"); throw new Error("未捕获的错误");</script>"""


def test_a_request_outside_the_portal_and_errors_on_the_page_are_reported(
        browser: Browser, stack: Stack) -> None:
    context = browser.new_context(base_url=stack.portal_url)
    watch = Watch(context, stack.portal_url)
    page = context.new_page()
    page.route("**/misbehaving-probe", lambda route: route.fulfill(
        body=MISBEHAVING, content_type="text/html; charset=utf-8"))
    page.goto("/misbehaving-probe")
    context.close()
    problems = watch.problems()
    assert problems[0] == f"request outside {stack.portal_url}: GET https://cdn.example.com/ui.css"
    assert any("console error" in problem and "控制台错误" in problem for problem in problems)
    assert any("uncaught" in problem and "未捕获的错误" in problem for problem in problems)
