"""Each HTTP request's correlation id: the caller's `X-Correlation-Id` when it is a sensible one,
else a new one. It is on every log line written while the request is handled, on every request
the portal sends a service for it (`gateway.py`), and so on the events those write; the answer
carries it back in the same header, for a caller to quote."""

from __future__ import annotations

import uuid

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from guiyan_eventing.correlation import acceptable, correlated

HEADER = "X-Correlation-Id"


class CorrelationId:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        correlation_id = acceptable(Headers(scope=scope).get(HEADER)) or uuid.uuid4().hex

        async def with_header(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)[HEADER] = correlation_id
            await send(message)

        with correlated(correlation_id):
            await self.app(scope, receive, with_header)
