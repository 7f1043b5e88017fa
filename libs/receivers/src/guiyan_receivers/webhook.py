"""A webhook receiver that checks Guiyan's signature as a careful one would, and drops a message
it already took (by its Idempotency-Key) while answering 200, so that the sender stops."""

from __future__ import annotations

import hashlib
import hmac
import time

from .http_receiver import HttpReceiver, Reply, Request

TOLERANCE_SECONDS = 300  # older (or newer) is a replay or a clock too wrong to trust


class WebhookReceiver(HttpReceiver):
    def __init__(self, secret: str) -> None:
        super().__init__()
        self.secret = secret
        self.duplicates: list[str] = []  # Idempotency-Keys that came again after being accepted

    @property
    def url(self) -> str:
        return f"{self.origin}/hooks/guiyan"

    def answer(self, request: Request) -> Reply:
        if not self.verified(request.headers.get("x-guiyan-signature", ""), request.body):
            return Reply(401, {"error": "bad signature"})
        key = request.headers.get("idempotency-key")
        if not key:
            return Reply(400, {"error": "no Idempotency-Key"})
        if any(taken.headers["idempotency-key"] == key for taken in self.received):
            self.duplicates.append(key)
            return Reply(200, {"ok": True, "duplicate": True})
        return Reply(200, {"ok": True}, accepted=True)

    def verified(self, header: str, body: bytes) -> bool:
        fields = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
        try:
            timestamp = int(fields["t"])
            given = fields["v1"]
        except (KeyError, ValueError):
            return False
        if abs(time.time() - timestamp) > TOLERANCE_SECONDS:
            return False
        expected = hmac.new(self.secret.encode(), f"{timestamp}.".encode() + body,
                            hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected.encode(), given.encode())

    def throttled(self) -> Reply:
        return Reply(429, {"error": "too many requests"}, headers={"Retry-After": "30"})

    def refused(self) -> Reply:
        return Reply(410, {"error": "gone"})
