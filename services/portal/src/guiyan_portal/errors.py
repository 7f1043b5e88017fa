"""Every error the portal answers, in one of two shapes, and where each status is documented.

`{"detail": "…"}` for 401, 403, 404, 409, 502 and 503; `{"detail": [{"loc", "msg", "type"}]}` for
413 and 422, each item naming the field. A validation error never echoes what was sent: it may
be a password, or text that cannot be written back as JSON (NaN, a lone surrogate).
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from guiyan_contracts.envelope import Contract, FieldError, field_errors_from_pydantic

log = logging.getLogger(__name__)


class Message(Contract):
    detail: str


class FieldErrors(Contract):
    detail: list[FieldError]


MEANINGS = {
    401: "No token or session, or one that is forged, expired, ended or for a city not served "
         "here; or, signing in, a wrong username or password",
    403: "The caller's role or parks do not allow this, or a session's request lacks its CSRF "
         "token",
    404: "Nothing with this id in the caller's city",
    409: "The record's state does not allow this now; `detail` says why",
    413: "The body is larger than the portal takes",
    422: "A value is invalid; each item names its field",
    429: "Too many failed sign-ins; try again after `Retry-After` seconds",
    502: "A service failed inside; nothing was changed by this request",
    503: "A service or NATS did not answer in time; a POST may be sent again with the same "
         "Idempotency-Key",
}


def answers(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` for these error statuses."""
    return {status: {"model": FieldErrors if status in (413, 422) else Message,
                     "description": MEANINGS[status]} for status in statuses}


def field_errors(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e.model_dump() for e in field_errors_from_pydantic(errors)]


def install(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, error: RequestValidationError) -> JSONResponse:
        return JSONResponse(status_code=422, content={"detail": field_errors(error.errors())})

    @app.exception_handler(StarletteHTTPException)
    async def refused(request: Request, error: StarletteHTTPException) -> Response:
        """A body FastAPI or Starlette could not parse (broken multipart or JSON) is answered 400
        by them; here it is the 422 every other unreadable value gets, naming the body."""
        if error.status_code == 400:
            return JSONResponse(status_code=422, content={"detail": [FieldError(
                loc=["body"], msg=str(error.detail), type="unreadable_body").model_dump()]})
        return await http_exception_handler(request, error)

    @app.exception_handler(ValidationError)
    async def invalid_value(_: Request, error: ValidationError) -> JSONResponse:
        """A value that reached a contract unchecked: still the caller's mistake, never a 5xx."""
        return JSONResponse(status_code=422, content={
            "detail": field_errors(error.errors(include_url=False))})

    @app.exception_handler(Exception)
    async def unexpected(_: Request, error: Exception) -> JSONResponse:
        log.exception("unexpected error", exc_info=error)
        return JSONResponse(status_code=502, content={"detail": "internal error"})
