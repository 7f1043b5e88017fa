"""The helpers themselves, on pages of a test's own served at the portal's origin."""

from __future__ import annotations

from urllib.parse import parse_qs

from playwright.sync_api import Page, Route, expect

from .pages import log_in

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
