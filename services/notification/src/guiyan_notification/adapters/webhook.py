"""A generic webhook: the JSON body POSTed as given, signed with the channel's secret.

The signature follows the common `t=<unix seconds>,v1=<hex HMAC-SHA256>` shape over
"<t>." + body, so a receiver can refuse a forged body and, by the timestamp, an old one replayed;
the Idempotency-Key lets it drop a message that came twice (docs/notifications.md)."""

from __future__ import annotations

import hashlib
import hmac

import httpx

from .outcome import Outcome, http_failure, post, sent

SIGNATURE_HEADER = "X-Guiyan-Signature"
USER_AGENT = "Guiyan-Webhook/1"


def signature(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


async def send(client: httpx.AsyncClient, url: str, secret: str | None, idempotency_key: str,
               body: bytes, now: int) -> Outcome:
    headers = {"Content-Type": "application/json; charset=utf-8",
               "Idempotency-Key": idempotency_key, "User-Agent": USER_AGENT}
    if secret:
        headers[SIGNATURE_HEADER] = signature(secret, now, body)
    answer = await post(client, url, content=body, headers=headers)
    if isinstance(answer, Outcome):
        return answer
    return http_failure(answer) or sent(str(answer.status_code))
