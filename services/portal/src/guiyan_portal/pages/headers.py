"""Headers every answer carries so that a browser takes the portal's pages only as they are:
not framed by another site (clickjacking an Accept), not sniffed into another type, not sending
their addresses (which carry searches for founders' names) to anywhere else, and on a page,
running only the portal's own scripts."""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

EVERY_ANSWER = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
# The interactive API docs run Swagger UI's inline start-up script: they keep their own rules.
PAGE_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
               "img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; "
               "base-uri 'none'; object-src 'none'")
NOT_PAGES = ("/docs", "/openapi.json")


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        page = not str(scope.get("path", "")).startswith(NOT_PAGES)

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in EVERY_ANSWER.items():
                    headers.setdefault(name, value)
                if page:
                    headers.setdefault("Content-Security-Policy", PAGE_POLICY)
            await send(message)

        await self.app(scope, receive, with_headers)
