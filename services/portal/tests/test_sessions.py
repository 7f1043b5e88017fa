"""Signing in from a browser, against fake services: the session cookie, its CSRF token, the
limit on failures, and sessions ended by registry's epoch or a disabled user."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import Request, Response

from guiyan_contracts import registry
from guiyan_contracts.models import Role, User
from guiyan_contracts.refusals import Forbidden, NotFound
from guiyan_portal.login_throttle import LoginThrottle
from guiyan_portal.sessions import LOGIN_CSRF_COOKIE, SESSION_COOKIE, log_in

from .fakes import FakeGateway, Portal, token

PASSWORD = "peony-garden-2026"


class Accounts:
    """Registry's users as far as signing in goes: one staff member, whose standing and epoch a
    test changes."""

    def __init__(self) -> None:
        self.epoch, self.disabled = 0, False

    def view(self) -> registry.UserView:
        return registry.UserView(user=User(id="heze-staff", tenant_id="heze", name="王招商",
                                           role=Role.staff, username="wang",
                                           disabled=self.disabled),
                                 managed_park_ids=[], session_epoch=self.epoch)

    def authenticate(self, request: registry.Authenticate) -> registry.UserView:
        if (request.username, request.password) != ("wang", PASSWORD) or self.disabled:
            raise Forbidden("wrong username or password")
        return self.view()

    def get(self, request: registry.GetUser) -> registry.UserView:
        if request.user_id != "heze-staff":
            raise NotFound(f"no user {request.user_id}")
        return self.view()

    def gateway(self) -> FakeGateway:
        return FakeGateway({registry.Authenticate.SUBJECT: self.authenticate,
                            registry.GetUser.SUBJECT: self.get,
                            registry.ListUsers.SUBJECT: registry.UserList(users=[], total=0),
                            registry.ChangePassword.SUBJECT: lambda _: self.changed()})

    def changed(self) -> registry.UserView:
        self.epoch += 1
        return self.view()


def portal(**settings: Any) -> tuple[Portal, Accounts]:
    accounts = Accounts()
    return Portal(accounts.gateway(), **settings), accounts


async def sign_in(site: Portal, username: str = "wang", password: str = PASSWORD,
                  **headers: str) -> httpx.Response:
    return await site.request("POST", "/api/v1/session",
                              json={"username": username, "password": password}, headers=headers)


def session_of(response: httpx.Response) -> dict[str, str]:
    return {SESSION_COOKIE: response.cookies[SESSION_COOKIE]}


async def test_signing_in_sets_an_httponly_cookie_that_authenticates_reads() -> None:
    site, _ = portal()
    signed_in = await sign_in(site)
    assert signed_in.status_code == 200, signed_in.text
    cookie = signed_in.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie and "Max-Age=43200" in cookie
    assert signed_in.json()["user"]["user"]["username"] == "wang"
    me = await site.request("GET", "/api/v1/me", cookies=session_of(signed_in))
    assert me.status_code == 200 and me.json()["user"]["id"] == "heze-staff"


async def test_the_cookie_is_secure_over_https_and_behind_a_proxy_that_says_so() -> None:
    site, _ = portal(behind_proxy=True)
    assert "Secure" in (await sign_in(site, **{"X-Forwarded-Proto": "https"})).headers["set-cookie"]
    site, _ = portal()
    assert "Secure" not in (await sign_in(site, **{"X-Forwarded-Proto": "https"})
                            ).headers["set-cookie"]


async def test_a_session_cookie_is_no_bearer_token_and_a_token_no_cookie() -> None:
    site, _ = portal()
    cookie = (await sign_in(site)).cookies[SESSION_COOKIE]
    assert (await site.request("GET", "/api/v1/me", token=cookie)).status_code == 401
    forged = {SESSION_COOKIE: token("heze-staff", "heze", Role.staff)}
    assert (await site.request("GET", "/api/v1/me", cookies=forged)).status_code == 401


async def test_a_wrong_password_and_an_unknown_username_get_one_answer() -> None:
    site, _ = portal()
    wrong_password = await sign_in(site, password="not-the-password")
    unknown = await sign_in(site, username="nobody")
    assert (wrong_password.status_code, wrong_password.json()) == (
        unknown.status_code, unknown.json()) == (401, {"detail": "wrong username or password"})
    assert SESSION_COOKIE not in wrong_password.cookies


async def test_past_five_failures_a_username_waits_even_with_the_right_password() -> None:
    site, _ = portal()
    for _ in range(5):
        assert (await sign_in(site, password="not-the-password")).status_code == 401
    refused = await sign_in(site)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0


def test_failures_leave_the_window_and_an_address_has_a_limit_of_its_own() -> None:
    now = [0.0]
    throttle = LoginThrottle(per_username=2, per_address=3, window_seconds=300,
                             clock=lambda: now[0])
    for name in ("a", "b", "c"):
        throttle.failed(name, "10.0.0.1")
    assert throttle.retry_after("d", "10.0.0.1") == 300  # the address's third failure
    assert throttle.retry_after("d", "10.0.0.2") is None
    throttle.failed("a", "10.0.0.2")
    assert throttle.retry_after("A", "10.0.0.3") == 300  # usernames in any case
    now[0] = 301
    assert throttle.retry_after("a", "10.0.0.1") is None


async def test_a_write_with_the_cookie_needs_the_csrf_token_and_a_bearer_token_none() -> None:
    site, accounts = portal()
    signed_in = await sign_in(site)
    body = {"current_password": PASSWORD, "new_password": "another-password-1"}
    missing = await site.request("POST", "/api/v1/me/password", json=body,
                                 cookies=session_of(signed_in))
    wrong = await site.request("POST", "/api/v1/me/password", json=body,
                               cookies=session_of(signed_in), headers={"X-CSRF-Token": "guess"})
    assert missing.status_code == wrong.status_code == 403 and "CSRF" in missing.json()["detail"]
    assert accounts.epoch == 0  # nothing was asked of registry
    sent = await site.request("POST", "/api/v1/me/password", json=body,
                              cookies=session_of(signed_in),
                              headers={"X-CSRF-Token": signed_in.json()["csrf_token"]})
    assert sent.status_code == 200 and accounts.epoch == 1
    again = await site.request("GET", "/api/v1/me", cookies=session_of(sent))
    assert again.status_code == 200  # the session that changed it goes on
    bearer = await site.request("POST", "/api/v1/me/password", json=body,
                                token=token("heze-staff", "heze", Role.staff))
    assert bearer.status_code == 200


async def test_a_raised_epoch_or_a_disabled_user_ends_the_session_at_once() -> None:
    site, accounts = portal()
    cookies = session_of(await sign_in(site))
    accounts.epoch += 1
    ended = await site.request("GET", "/api/v1/me", cookies=cookies)
    assert ended.status_code == 401 and "ended" in ended.json()["detail"]
    cookies = session_of(await sign_in(site))
    accounts.disabled = True
    assert (await site.request("GET", "/api/v1/me", cookies=cookies)).status_code == 401
    bearer = token("heze-staff", "heze", Role.staff)
    assert (await site.request("GET", "/api/v1/me", token=bearer)).status_code == 401


async def test_a_registered_users_role_is_registrys_not_their_tokens() -> None:
    site, _ = portal()
    as_admin = token("heze-staff", "heze", Role.admin)  # the user is staff now
    assert (await site.request("GET", "/api/v1/users", token=as_admin)).status_code == 403


async def test_the_sign_in_form_needs_the_token_of_its_own_cookie() -> None:
    """As a page's form posts to `log_in` (the token sent here in its header: reading a form's
    fields is the pages' python-multipart's)."""
    site, _ = portal()

    @site.app.post("/test-login")
    async def page(request: Request, response: Response, username: str,
                   password: str) -> dict[str, str]:
        return {"user": (await log_in(request, response, username, password)).user_id}

    async def post(**cookies: str) -> httpx.Response:
        return await site.request("POST", f"/test-login?username=wang&password={PASSWORD}",
                                  data={"ignored": "1"}, headers={"X-CSRF-Token": "t0ken"},
                                  cookies=cookies)

    refused, forged = await post(), await post(**{LOGIN_CSRF_COOKIE: "another"})
    taken = await post(**{LOGIN_CSRF_COOKIE: "t0ken"})
    assert refused.status_code == forged.status_code == 403
    assert taken.status_code == 200 and taken.json() == {"user": "heze-staff"}


async def test_signing_out_clears_the_cookie() -> None:
    site, _ = portal()
    signed_out = await site.request("DELETE", "/api/v1/session")
    assert signed_out.status_code == 204
    assert f'{SESSION_COOKIE}=""' in signed_out.headers["set-cookie"]
