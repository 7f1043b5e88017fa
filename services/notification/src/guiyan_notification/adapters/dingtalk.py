"""A DingTalk group's custom robot (钉钉自定义机器人): a markdown message, signed when the robot
has a signing secret (加签), and carrying the robot's keyword when it has one (自定义关键词)."""

from __future__ import annotations

import base64
import hashlib
import hmac
from urllib.parse import urlencode

import httpx

from .outcome import Outcome, post, query_values, robot_outcome

# Sending too fast (130101: more than 20 a minute) and the webhook's own limit (90030): DingTalk
# throttles the robot for a while, so the next try waits a minute rather than the usual backoff.
WAITS: dict[int, float | None] = {130101: 60.0, 90030: 60.0}


def signed_url(url: str, secret: str, now_ms: int) -> str:
    """The robot's URL with `timestamp` and `sign`, as DingTalk's 加签 asks: base64 of the
    HMAC-SHA256 of "<timestamp>\\n<secret>" keyed with the secret, URL-encoded. DingTalk refuses
    a timestamp more than an hour from its own clock."""
    digest = hmac.new(secret.encode(), f"{now_ms}\n{secret}".encode(), hashlib.sha256).digest()
    query = urlencode({"timestamp": now_ms, "sign": base64.b64encode(digest).decode()})
    return f"{url}{'&' if '?' in url else '?'}{query}"


def with_keyword(markdown: str, keyword: str | None) -> str:
    """A robot in keyword mode takes only a message that says its keyword."""
    if not keyword or keyword in markdown:
        return markdown
    return f"【{keyword}】\n\n{markdown}"


async def send(client: httpx.AsyncClient, url: str, secret: str | None, keyword: str | None,
               title: str, markdown: str, now_ms: int) -> Outcome:
    payload = {"msgtype": "markdown",
               "markdown": {"title": title, "text": with_keyword(markdown, keyword)}}
    target = signed_url(url, secret, now_ms) if secret else url
    answer = await post(client, target, json=payload)
    if isinstance(answer, Outcome):
        return answer
    return robot_outcome(answer, WAITS, [*query_values(url), secret])
