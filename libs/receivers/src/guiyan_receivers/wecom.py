"""A WeCom group robot (企业微信群机器人), checking what WeCom checks."""

from __future__ import annotations

from .http_receiver import HttpReceiver, Reply, Request

MARKDOWN_LIMIT = 4096  # bytes of UTF-8


def errcode(code: int, message: str, accepted: bool = False) -> Reply:
    return Reply(200, {"errcode": code, "errmsg": message}, accepted)


class WeComRobot(HttpReceiver):
    def __init__(self, key: str) -> None:
        super().__init__()
        self.key = key

    @property
    def url(self) -> str:
        return f"{self.origin}/cgi-bin/webhook/send?key={self.key}"

    def answer(self, request: Request) -> Reply:
        if request.path != "/cgi-bin/webhook/send":
            return Reply(404, {"error": "not found"})
        if request.query.get("key") != self.key:
            return errcode(93000, "invalid webhook url")
        try:
            content = request.json()["markdown"]["content"]
            size = len(content.encode())
        except (ValueError, KeyError, TypeError):
            # Not JSON, not UTF-8, or a lone surrogate escaped into it.
            return errcode(40058, "markdown.content invalid, must be utf8")
        if size > MARKDOWN_LIMIT:
            return errcode(40058, f"markdown.content exceed max length {MARKDOWN_LIMIT}")
        return errcode(0, "ok", accepted=True)

    def throttled(self) -> Reply:
        return errcode(45009, "api freq out of limit")

    def refused(self) -> Reply:
        return errcode(93000, "invalid webhook url")
