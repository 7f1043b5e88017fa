"""A page's language: the reader's switch, else the browser's wish, else Chinese."""

from __future__ import annotations

import pytest
from starlette.requests import Request

from guiyan_portal.i18n import request_locale


def request(cookie: str | None = None, accept: str | None = None) -> Request:
    headers = [(b"cookie", f"lang={cookie}".encode())] if cookie else []
    headers += [(b"accept-language", accept.encode())] if accept else []
    return Request({"type": "http", "headers": headers})


@pytest.mark.parametrize(("cookie", "accept", "locale"), [
    (None, None, "zh"),
    ("en", "zh-CN,zh;q=0.9", "en"),
    ("zh", "en-US,en;q=0.9", "zh"),
    ("fr", "en-GB", "en"),  # a cookie we do not speak is ignored
    (None, "en-US,en;q=0.9", "en"),
    (None, "fr-FR,en;q=0.5,zh;q=0.5", "zh"),  # alike: Chinese
    (None, "en;q=0.8,zh-TW;q=0.3", "en"),
    (None, "fr-FR,de;q=0.9", "zh"),
    (None, "en;q=oops,zh;q=0.1", "zh"),
])
def test_the_cookie_then_the_browser_then_chinese(cookie, accept, locale) -> None:
    assert request_locale(request(cookie, accept)) == locale
