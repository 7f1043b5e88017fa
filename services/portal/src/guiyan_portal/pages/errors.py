"""A page's refusal as a page: a sign-in for a visitor without a session, else a sentence in the
reader's language. The JSON API keeps its own answers."""

from __future__ import annotations

import logging
from urllib.parse import quote, urlsplit

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..sessions import CsrfRefused
from .rendering import render, translator

log = logging.getLogger(__name__)
NOT_PAGES = ("/api/", "/docs", "/openapi.json", "/healthz", "/readyz", "/metrics", "/static/")


def is_page(request: Request) -> bool:
    return not request.url.path.startswith(NOT_PAGES)


def back_to(request: Request) -> str:
    """Where to return after signing in: the page itself, or for a form sent with a session that
    had ended, the page the form was on (a form's own address answers only its post)."""
    if request.method == "GET":
        return request.url.path + (f"?{request.url.query}" if request.url.query else "")
    came_from = urlsplit(request.headers.get("referer", ""))
    same_site = came_from.netloc == request.url.netloc and came_from.path.startswith("/")
    return came_from.path + (f"?{came_from.query}" if came_from.query else "") if same_site else "/"


def sign_in_first(request: Request) -> Response:
    target = f"/login?next={quote(back_to(request), safe='')}"
    if request.headers.get("hx-request"):  # a part of a page asked for: the whole page goes
        return Response(status_code=200, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


async def sentence(request: Request, status: int, error: Exception | None = None) -> Response:
    _ = translator(request, None)["_"]
    if isinstance(error, CsrfRefused):
        text = _("This form is out of date: the page was open too long, or you signed in again "
                 "meanwhile. Go back, reload the page and send it again.")
    else:
        text = {
            403: _("This page is not open to you: it belongs to another role, park or city."),
            404: _("There is nothing here. The link may be old, or the record is in another "
                   "city."),
            405: _("This page cannot be reached that way."),
            409: _("This record changed meanwhile. Open it again to see how it stands."),
            422: _("This address is not one Guiyan knows: a link or bookmark may be old."),
            503: _("A part of Guiyan did not answer in time. Try again in a moment."),
        }.get(status, _("Something went wrong on our side. Nothing was changed; try again in a "
                        "moment."))
    return await render(request, "error.html", None, status=status, message=text)


def install(app: FastAPI) -> None:
    """After the API's handlers: for a page, each answers as a page; else as the API does."""
    api_refused = app.exception_handlers[StarletteHTTPException]
    api_invalid = app.exception_handlers[RequestValidationError]
    api_invalid_value = app.exception_handlers[ValidationError]
    api_unexpected = app.exception_handlers[Exception]

    @app.exception_handler(StarletteHTTPException)
    async def refused(request: Request, error: StarletteHTTPException) -> Response:
        if not is_page(request):
            return await api_refused(request, error)
        if error.status_code == 401:
            return sign_in_first(request)
        return await sentence(request, error.status_code, error)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> Response:
        if not is_page(request):
            return await api_invalid(request, error)
        return await sentence(request, 422)

    @app.exception_handler(ValidationError)
    async def invalid_value(request: Request, error: ValidationError) -> Response:
        if not is_page(request):
            return await api_invalid_value(request, error)
        return await sentence(request, 422)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> Response:
        if not is_page(request):
            return await api_unexpected(request, error)
        log.exception("unexpected error on a page", exc_info=error)
        return await sentence(request, 502)
