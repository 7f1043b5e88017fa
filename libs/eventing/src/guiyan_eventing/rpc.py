"""Request-reply over core NATS: commands and queries, answered with a `Reply` envelope.

Responders take the raw body and parse it themselves, on a broker made with `apply_types=False`:
FastStream 0.7 resolves a `NatsMessage` (or any Context) parameter through FastDepends, which
runs its sync resolver in anyio's thread pool, a thread hop for every request."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from faststream.nats import NatsBroker
from faststream.nats.message import NatsMessage
from nats.errors import Error as NatsError
from pydantic import BaseModel, ValidationError

from guiyan_contracts.envelope import (
    Contract,
    ErrorBody,
    Reply,
    field_errors_from_pydantic,
)
from guiyan_contracts.refusals import Refusal

from . import bus
from .bus import BusSettings
from .correlation import CORRELATION_ID, acceptable, correlated
from .errors import is_transient
from .metrics import DeliveryMetrics

log = logging.getLogger(__name__)

Answer = Callable[[Any], Awaitable[BaseModel | None]]
R = TypeVar("R", bound=BaseModel)


def serve(broker: NatsBroker, service: str, subject: str, request_type: type[Contract],
          answer: Answer, metrics: DeliveryMetrics) -> None:
    """Answer `request_type` requests; the queue group spreads them over a service's replicas.
    A handler's failure is counted in `metrics`; a refusal is an answer, not a failure."""

    @broker.subscriber(subject, queue=service, title=subject, decoder=raw_body)
    async def on_request(body: bytes) -> bytes:
        try:
            request = request_type.model_validate_json(body)
        except ValidationError as error:  # the caller's mistake; any later one is ours
            reply: Reply[Any] = Reply(ok=False, error=ErrorBody(
                kind="validation", message=f"invalid {request_type.__name__}",
                errors=field_errors_from_pydantic(error.errors())))
            return reply.model_dump_json().encode()
        # The log lines of its answer, a failure's included, name the request's correlation id.
        with correlated(acceptable(getattr(request, "correlation_id", None))):
            reply = await _answered(subject, service, request, answer, metrics)
        return reply.model_dump_json().encode()


async def _answered(subject: str, service: str, request: Contract, answer: Answer,
                    metrics: DeliveryMetrics) -> Reply[Any]:
    try:
        return Reply(ok=True, result=await answer(request))
    except Refusal as error:
        return Reply(ok=False, error=error.body())
    except Exception as error:
        metrics.failed(subject, is_transient(error))
        if is_transient(error):  # the database away: ask again later, nothing is wrong here
            log.warning("%s could not be answered now: %s", subject, type(error).__name__)
            return Reply(ok=False, error=ErrorBody(
                kind="unavailable", message=f"{service} cannot answer now; try again"))
        log.exception("%s failed", subject)
        return Reply(ok=False, error=ErrorBody(kind="internal", message="internal error"))


async def raw_body(message: NatsMessage) -> bytes:
    """The body as sent, whatever its content type: responders parse it with their contract."""
    return message.body


def broker(settings: BusSettings, identity: str, **options: Any) -> NatsBroker:
    """A broker for `serve`, connected as `identity`: handlers are called with the decoded body
    alone, with no dependency injection, and FastStream's per-message "Received"/"Processed" lines
    are debug-level rather than a log write per request."""
    return bus.broker(settings, identity, apply_types=False, log_level=logging.DEBUG, **options)


class RemoteError(Exception):
    def __init__(self, body: ErrorBody) -> None:
        super().__init__(body.message)
        self.body = body


async def call(broker: NatsBroker, request: Contract, result_type: type[R],
               timeout: float = 5.0, subject: str | None = None) -> R:
    """Send `request` and return its result, or raise `RemoteError` (unavailable included). A
    request with no correlation id of its own takes that of the message or HTTP request being
    handled, so that the answer's log lines, and the events it writes, name it too."""
    subject = subject or request.SUBJECT  # type: ignore[attr-defined]
    if "correlation_id" in type(request).model_fields and request.correlation_id is None:  # type: ignore[attr-defined]
        request = request.model_copy(update={"correlation_id": CORRELATION_ID.get()})
    try:
        response = await broker.request(request.model_dump_json().encode(), subject,
                                        timeout=timeout)
    except (NatsError, TimeoutError) as error:  # no responders, timeouts, a lost connection
        raise RemoteError(ErrorBody(kind="unavailable",
                                    message=f"{subject} did not answer: {error!r}")) from error
    try:
        reply = Reply[result_type].model_validate_json(response.body)  # type: ignore[valid-type]
    except ValidationError as error:  # the service's fault, not the caller's
        log.error("%s answered with an unreadable reply: %s", subject, error)
        raise RemoteError(ErrorBody(kind="internal", message=f"{subject} answered unreadably")) \
            from None
    if not reply.ok or reply.result is None:
        raise RemoteError(reply.error or ErrorBody(kind="internal", message="empty reply"))
    return reply.result
