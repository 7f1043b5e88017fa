"""The portal's only way to NATS: requests to the services with their errors mapped to HTTP,
whether NATS is connected, and the dead-letter stream."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TypeVar

from fastapi import HTTPException
from faststream.nats import NatsBroker
from nats.aio.client import Client
from nats.errors import Error as NatsError
from nats.js import JetStreamContext
from pydantic import BaseModel

from guiyan_contracts.api import DeadLetterPage
from guiyan_contracts.envelope import Contract, ErrorBody
from guiyan_contracts.models import DeadLetter
from guiyan_eventing.bus import is_connected
from guiyan_eventing.rpc import RemoteError, call

from .dead_letters import dead_letter_page, one_dead_letter

R = TypeVar("R", bound=BaseModel)
T = TypeVar("T")

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
        # A plain connection too, set while the app runs: a broker cannot read a stream.
        self.connection: Client | None = None

    async def ask(self, request: Contract, result_type: type[R], subject: str | None = None,
                  timeout: float | None = None) -> R:
        try:
            return await call(self.broker, request, result_type, timeout=timeout or self.timeout,
                              subject=subject)
        except RemoteError as error:
            raise http_error(error.body) from None

    @property
    def connected(self) -> bool:
        """Both ways to NATS are up: the broker's, for requests, and the plain connection's."""
        return (is_connected(self.broker) and self.connection is not None
                and self.connection.is_connected)

    async def dead_letters(self, city: str | None, after: int, limit: int) -> DeadLetterPage:
        """The city's letters (None: those of no city) after stream sequence `after`."""
        return await self._from_stream(dead_letter_page(self._stream(), city, after, limit))

    async def dead_letter(self, city: str, sequence: int) -> DeadLetter | None:
        """The letter at `sequence` with its whole payload, if it is the city's."""
        return await self._from_stream(one_dead_letter(self._stream(), city, sequence))

    def _stream(self) -> JetStreamContext:
        assert self.connection is not None, "the gateway is not open"
        return self.connection.jetstream()

    @staticmethod
    async def _from_stream(reading: Awaitable[T]) -> T:
        try:
            return await reading
        except (NatsError, TimeoutError) as error:
            raise HTTPException(503, f"the dead-letter stream did not answer: {error!r}") from None
