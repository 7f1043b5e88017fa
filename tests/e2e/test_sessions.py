"""Signing in on the running system: a browser's session cookie against registry's users."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from guiyan_devstack.stack import Stack

PASSWORD = "peony-garden-2026"


def new_user(stack: Stack, tokens: dict[str, Any], role: str = "staff") -> str:
    """A user of Heze who signs in with a username of their own and PASSWORD."""
    username = f"e2e.{uuid.uuid4().hex[:12]}"
    created = httpx.post(f"{stack.portal_url}/api/v1/users",
                         headers={"Authorization": f"Bearer {tokens['admin']}"},
                         json={"id": username, "name": "会话测试", "role": role,
                               "username": username, "password": PASSWORD})
    assert created.status_code == 201, created.text
    assert "password" not in created.json()
    return username


def browser(stack: Stack) -> httpx.Client:
    return httpx.Client(base_url=stack.portal_url, timeout=30)


def sign_in(client: httpx.Client, username: str, password: str = PASSWORD) -> httpx.Response:
    return client.post("/api/v1/session", json={"username": username, "password": password})


def test_a_signed_in_browser_reads_and_writes_with_its_cookie_and_csrf_token(stack, tokens):
    username = new_user(stack, tokens)
    with browser(stack) as client:
        signed_in = sign_in(client, username)
        assert signed_in.status_code == 200, signed_in.text
        assert client.get("/api/v1/me").json()["user"]["username"] == username
        body = {"current_password": "not-the-password", "new_password": "another-password-1"}
        assert client.post("/api/v1/me/password", json=body).status_code == 403  # no CSRF token
        with_token = client.post("/api/v1/me/password", json=body,
                                 headers={"X-CSRF-Token": signed_in.json()["csrf_token"]})
        assert with_token.status_code == 422  # past the CSRF check, the wrong current password


def test_a_wrong_password_and_an_unknown_user_get_one_answer_and_failures_are_limited(
        stack, tokens):
    username = new_user(stack, tokens)
    with browser(stack) as client:
        wrong = sign_in(client, username, "not-the-password")
        unknown = sign_in(client, f"nobody.{uuid.uuid4().hex[:8]}")
        assert (wrong.status_code, wrong.json()) == (unknown.status_code, unknown.json())
        assert wrong.status_code == 401
        for _ in range(4):
            assert sign_in(client, username, "not-the-password").status_code == 401
        limited = sign_in(client, username)  # the right password, too late
        assert limited.status_code == 429 and int(limited.headers["Retry-After"]) > 0


def test_disabling_a_user_ends_their_session_at_once(stack, tokens):
    username = new_user(stack, tokens)
    admin = {"Authorization": f"Bearer {tokens['admin']}"}
    with browser(stack) as client:
        assert sign_in(client, username).status_code == 200
        assert client.get("/api/v1/me").status_code == 200
        disabled = httpx.put(f"{stack.portal_url}/api/v1/users/{username}", headers=admin,
                             json={"name": "会话测试", "role": "staff", "disabled": True})
        assert disabled.status_code == 200, disabled.text
        assert client.get("/api/v1/me").status_code == 401
        assert sign_in(client, username).status_code == 401


def test_changing_a_password_ends_the_users_other_sessions(stack, tokens):
    username = new_user(stack, tokens)
    with browser(stack) as this, browser(stack) as other:
        signed_in = sign_in(this, username)
        assert sign_in(other, username).status_code == 200
        changed = this.post("/api/v1/me/password",
                            json={"current_password": PASSWORD,
                                  "new_password": "another-password-1"},
                            headers={"X-CSRF-Token": signed_in.json()["csrf_token"]})
        assert changed.status_code == 200, changed.text
        assert this.get("/api/v1/me").status_code == 200
        assert other.get("/api/v1/me").status_code == 401
        assert sign_in(other, username, "another-password-1").status_code == 200
