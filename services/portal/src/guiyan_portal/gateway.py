"""The portal's only way to the services: request-reply over NATS, errors mapped to HTTP."""

from __future__ import annotations

from typing import TypeVar

from fastapi import HTTPException
from faststream.nats import NatsBroker
from pydantic import BaseModel

from guiyan_contracts.envelope import Contract, ErrorBody
from guiyan_eventing.rpc import RemoteError, call

R = TypeVar("R", bound=BaseModel)

HTTP_STATUS = {"validation": 422, "not_found": 404, "conflict": 409, "forbidden": 403,
               "unavailable": 503, "internal": 502}


def http_error(body: ErrorBody) -> HTTPException:
    if body.kind == "validation":  # FastAPI's own shape, so clients parse one format
        detail: object = [e.model_dump() for e in body.errors] or [
            {"loc": ["body"], "msg": body.message, "type": "value_error"}]
    else:
        detail = body.message
    return HTTPException(HTTP_STATUS[body.kind], detail=detail)


class Gateway:
    def __init__(self, broker: NatsBroker, timeout: float) -> None:
        self.broker = broker
        self.timeout = timeout

    async def ask(self, request: Contract, result_type: type[R], subject: str | None = None,
                  timeout: float | None = None) -> R:
        try:
            return await call(self.broker, request, result_type, timeout=timeout or self.timeout,
                              subject=subject)
        except RemoteError as error:
            raise http_error(error.body) from None
