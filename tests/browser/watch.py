"""What a browser context's pages did that the portal's pages must not: a request leaving the
portal's origin (a CDN, which a city's own network may not reach), an uncaught error, an error
on the console.

A page the portal answers with a 4xx status on purpose (a form shown again with its mistakes, a
refusal said in words) makes Chromium log "Failed to load resource" for it: that one is not an
error of the page's own."""

from __future__ import annotations

from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, ConsoleMessage, Request, Response, Route, WebError

# Schemes that never leave the browser.
LOCAL_SCHEMES = frozenset({"data", "blob", "about"})


class Watch:
    def __init__(self, context: BrowserContext, origin: str) -> None:
        self.origin = origin
        self.outside: list[str] = []
        self.errors: list[str] = []
        self.refused_pages: set[str] = set()
        context.on("request", self.saw_request)
        context.on("response", self.saw_response)
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

    def saw_response(self, response: Response) -> None:
        if response.request.is_navigation_request() and 400 <= response.status < 500:
            self.refused_pages.add(response.url)

    def saw_uncaught(self, error: WebError) -> None:
        where = error.page.url if error.page else "a page"
        self.errors.append(f"uncaught on {where}: {error.error}")

    def saw_console(self, message: ConsoleMessage) -> None:
        location = message.location
        if message.type == "error" and not (message.text.startswith("Failed to load resource")
                                            and location.get("url") in self.refused_pages):
            self.errors.append(f"console error on {message.page.url if message.page else 'a page'}"
                               f" ({location.get('url')}:{location.get('lineNumber')}): "
                               f"{message.text}")

    @staticmethod
    def block(route: Route) -> None:
        route.abort("blockedbyclient")

    def problems(self) -> list[str]:
        return ([f"request outside {self.origin}: {request}" for request in self.outside]
                + self.errors)
