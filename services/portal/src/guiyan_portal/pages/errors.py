"""A page's refusal as a page: a sign-in for a visitor without a session, else a sentence in the
reader's language. The JSON API keeps its own answers."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from .rendering import render, translator

NOT_PAGES = ("/api/", "/docs", "/openapi.json", "/healthz", "/static/")


def is_page(request: Request) -> bool:
    return not request.url.path.startswith(NOT_PAGES)


def install(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def refused(request: Request, error: StarletteHTTPException) -> Response:
        if not is_page(request):
            return await http_exception_handler(request, error)
        if error.status_code == 401:
            return RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303)
        _ = translator(request, None)["_"]
        sentences = {
            403: _("This page is not open to you: it belongs to another role, park or city."),
            404: _("There is nothing here. The link may be old, or the record is in another city."),
            405: _("This page cannot be reached that way."),
            409: _("This record changed meanwhile. Open it again to see how it stands."),
            503: _("A part of Guiyan did not answer in time. Try again in a moment."),
        }
        text = sentences.get(error.status_code, _("Something went wrong on our side. Nothing was "
                                                   "changed; try again in a moment."))
        return await render(request, "error.html", None, status=error.status_code, message=text)
