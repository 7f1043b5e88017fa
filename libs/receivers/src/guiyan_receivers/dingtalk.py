"""A DingTalk custom robot (钉钉自定义机器人), checking what DingTalk checks."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from typing import Any

from .http_receiver import HttpReceiver, Reply, Request

# DingTalk refuses a signature whose timestamp is more than an hour from its clock.
TIMESTAMP_TOLERANCE_MS = 3600 * 1000


def errcode(code: int, message: str, accepted: bool = False) -> Reply:
    return Reply(200, {"errcode": code, "errmsg": message}, accepted)


class DingTalkRobot(HttpReceiver):
    def __init__(self, access_token: str, secret: str | None = None,
                 keyword: str | None = None) -> None:
        super().__init__()
        self.access_token = access_token
        self.secret = secret
        self.keyword = keyword

    @property
    def url(self) -> str:
        return f"{self.origin}/robot/send?access_token={self.access_token}"

    def answer(self, request: Request) -> Reply:
        if request.path != "/robot/send":
            return Reply(404, {"error": "not found"})
        if request.query.get("access_token") != self.access_token:
            return errcode(300001, "token is not exist")
        if self.secret and not self._signed(request.query):
            return errcode(310000, "sign not match")
        try:
            said = _words(request.json())
        except (ValueError, KeyError, TypeError, AttributeError):
            return errcode(40035, "缺少参数 json")
        if self.keyword and self.keyword not in said:
            return errcode(310000, "keywords not in content")
        return errcode(0, "ok", accepted=True)

    def throttled(self) -> Reply:
        return errcode(130101, "send too fast, exceed 20 times per minute")

    def refused(self) -> Reply:
        return errcode(300001, "token is not exist")

    def _signed(self, query: dict[str, str]) -> bool:
        assert self.secret is not None
        try:
            timestamp = int(query["timestamp"])
            given = query["sign"]
        except (KeyError, ValueError):
            return False
        if abs(time.time() * 1000 - timestamp) > TIMESTAMP_TOLERANCE_MS:
            return False
        digest = hmac.new(self.secret.encode(), f"{timestamp}\n{self.secret}".encode(),
                          hashlib.sha256).digest()
        return hmac.compare_digest(base64.b64encode(digest), given.encode())


def _words(message: dict[str, Any]) -> str:
    """What a keyword is looked for in: a text message's content, a markdown one's title and text."""
    if message["msgtype"] == "text":
        return str(message["text"]["content"])
    markdown = message["markdown"]
    return f"{markdown['title']}\n{markdown['text']}"
