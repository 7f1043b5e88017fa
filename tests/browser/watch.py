"""What a browser context's pages did that the portal's pages must not: a request leaving the
portal's origin (a CDN, which a city's own network may not reach), an uncaught error, an error
on the console."""

from __future__ import annotations

from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, ConsoleMessage, Request, Route, WebError

# Schemes that never leave the browser.
LOCAL_SCHEMES = frozenset({"data", "blob", "about"})


class Watch:
    def __init__(self, context: BrowserContext, origin: str) -> None:
        self.origin = origin
        self.outside: list[str] = []
        self.errors: list[str] = []
        context.on("request", self.saw_request)
        context.on("weberror", self.saw_uncaught)
        context.on("console", self.saw_console)
        # Never sent either: a test must not wait on, or pass thanks to, anything beyond the portal.
        context.route(lambda url: not self.inside(url), self.block)

    def inside(self, url: str) -> bool:
        parts = urlsplit(url)
        return parts.scheme in LOCAL_SCHEMES or f"{parts.scheme}://{parts.netloc}" == self.origin

    def saw_request(self, request: Request) -> None:
        if not self.inside(request.url):
            self.outside.append(f"{request.method} {request.url}")

    def saw_uncaught(self, error: WebError) -> None:
        where = error.page.url if error.page else "a page"
        self.errors.append(f"uncaught on {where}: {error.error}")

    def saw_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            location = message.location
            self.errors.append(f"console error on {message.page.url if message.page else 'a page'}"
                               f" ({location.get('url')}:{location.get('lineNumber')}): "
                               f"{message.text}")

    @staticmethod
    def block(route: Route) -> None:
        route.abort("blockedbyclient")

    def problems(self) -> list[str]:
        return ([f"request outside {self.origin}: {request}" for request in self.outside]
                + self.errors)
