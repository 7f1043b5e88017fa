"""Durable JetStream consumers with explicit acks, bounded redelivery and a visible dead-letter path.

FastStream's NATS default (REJECT_ON_ERROR) calls term() on any exception, which silently drops
the message. Here every outcome is explicit:
- processed (or already processed: the inbox makes redelivery a no-op) → ack after commit;
- malformed, `Rejected` by the handler, or on a subject no handler here answers → parked in
  GUIYAN_DLQ with its reason, then ack;
- an error that looks permanent → nak with backoff, parked after `max_deliver` deliveries;
- a transient error (database or NATS unavailable) → nak with a longer backoff, parked only after
  `max_deliver_transient` deliveries, so an outage is waited out rather than mistaken for poison.

One durable consumer per (service, producer stream) takes every subject the service needs from that
producer, so events arrive in the producer's commit order: a project is never handled before a park
that was registered earlier.

Messages are fetched in batches and handled in order in one transaction, acked after its commit:
under a burst that saves a fetch, a commit and the framework's overhead per message. A batch with
anything unusual in it (a malformed or unrouted message, one redelivered too often) or whose
transaction fails is rolled back and handled again one message at a time, each in its own
transaction, so one bad message settles alone and never holds back or parks its neighbours.

The fetch loop is our own, not a FastStream subscriber's: FastStream 0.7.8 fetches again while a
batch is short and catches only nats-py's TimeoutError, but nats-py ends some fetches with the
builtin one, and the messages already fetched in that round are then dropped unacked; the server
redelivers them only after `ack_wait`, a tail of tens of seconds on their latency.

The server itself never gives up on a message (its max_deliver is unlimited): if it did, a process
killed during the last attempt would leave the message neither processed nor parked. A message
redelivered past `max_deliver_transient` without completing (a crash loop) is parked on arrival.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import KW_ONLY, dataclass, field
from typing import Any

from faststream.nats import ConsumerConfig, DeliverPolicy, NatsBroker
from nats.aio.msg import Msg
from nats.js.api import AckPolicy as JetStreamAckPolicy
from opentelemetry.trace import Tracer
from pydantic import ValidationError

from guiyan_contracts.envelope import Event, utc_now
from guiyan_contracts.system import DLQ_STREAM, dead_letter_subject
from guiyan_contracts.taxonomy import configured_cities, is_city_id

from .correlation import acceptable, correlated
from .database_thread import RunsDatabaseWork
from .errors import Rejected, describe, is_transient
from .metrics import DeliveryMetrics
from .settings import ServiceSettings
from .tracing import handling
from .unit_of_work import SqlUnitOfWork

log = logging.getLogger(__name__)

@dataclass(frozen=True)
class Route:
    """How one subject is parsed and handled: `apply(event, uow)` claims the event and makes its
    changes without committing; `then(event)` runs after the commit."""
    event_type: type[Event]
    apply: Callable[[Any, Any], None]
    then: Callable[[Any], None] | None = None


Handled = tuple[Route, Event, Msg]  # a message ready to apply: its route, its event, itself


def consumer_name(service: str, stream: str) -> str:
    """matching reading GUIYAN_REGISTRY → `matching_from_registry`."""
    return f"{service}_from_{stream.removeprefix('GUIYAN_').lower()}"


def backoff(delays: tuple[float, ...], deliveries: int) -> float | None:
    return delays[min(deliveries, len(delays)) - 1] if delays else None


def city_of(data: bytes) -> str | None:
    """The city a message names, if it names one that could be a city: a dead letter is filed
    under it, for that city's admins. A malformed message may name none, or anything."""
    try:
        city = json.loads(data).get("tenant_id")
    except (ValueError, AttributeError):
        return None
    return city if isinstance(city, str) and is_city_id(city) else None


@dataclass
class Durable:
    """A durable consumer of one stream: its settings, for the runtime to converge on the server at
    start (binding to an existing durable does not update it), and `pull`, its fetch loop, for the
    runtime to run once the broker is connected.

    Each message whose subject has a route goes to that route, in transactions from `unit_of_work`
    run by `database`."""

    broker: NatsBroker
    settings: ServiceSettings
    _: KW_ONLY
    service: str
    stream: str
    routes: dict[str, Route]
    unit_of_work: Callable[[], SqlUnitOfWork]
    database: RunsDatabaseWork
    metrics: DeliveryMetrics
    tracer: Tracer | None = None  # None: no tracing
    name: str = field(init=False)
    config: ConsumerConfig = field(init=False)
    bound: bool = field(init=False, default=False)  # `pull` is fetching: readiness asks

    def __post_init__(self) -> None:
        self.name = consumer_name(self.service, self.stream)
        self.config = ConsumerConfig(
            durable_name=self.name, filter_subjects=sorted(self.routes),
            deliver_policy=DeliverPolicy.ALL, ack_policy=JetStreamAckPolicy.EXPLICIT,
            ack_wait=self.settings.ack_wait_seconds, max_deliver=-1,
        )

    async def pull(self) -> None:
        """Fetch and handle for good: one fetch per round, whatever it brought."""
        subscription = await self.broker.connection.jetstream().pull_subscribe_bind(
            self.name, self.stream)
        self.bound = True
        try:
            while True:
                try:
                    messages = await subscription.fetch(self.settings.batch_size,
                                                        timeout=self.settings.batch_wait_seconds)
                except TimeoutError:  # nothing came; nats-py's own TimeoutError subclasses it
                    continue
                await self._deliver_batch(messages)
        finally:
            self.bound = False
            await subscription.unsubscribe()

    async def _deliver_batch(self, messages: list[Msg]) -> None:
        """A fetch's messages, in stream order: in one transaction when they are all plain,
        otherwise (or when that transaction fails) each settled on its own."""
        handled = [self._plain(message) for message in messages]
        if all(handled) and len(handled) > 1:
            try:
                await self._commit(handled)  # type: ignore[arg-type]
            except Exception as error:
                log.info("%s: a batch of %d failed (%r); one at a time instead", self.name,
                         len(messages), error)
            else:
                for message in messages:
                    await message.ack()
                    self.metrics.handled(message.subject)
                return
        for message in messages:
            await self._settle(message)

    def _plain(self, message: Msg) -> Handled | None:
        """The message's route and event, or None if it needs `_handle`'s care."""
        route = self.routes.get(message.subject)
        if route is None or message.metadata.num_delivered > self.settings.max_deliver_transient:
            return None
        try:
            event = route.event_type.model_validate_json(message.data)
        except ValidationError:
            return None
        return (route, event, message) if event.tenant_id in configured_cities() else None

    async def _settle(self, message: Msg) -> None:
        try:
            await self._handle(message)
        except Exception:  # parking itself failed (NATS away): let the server redeliver
            log.exception("%s could not settle a message; it will be redelivered", self.name)
            await message.nak(delay=backoff(self.settings.transient_backoff_seconds, 1))

    async def _handle(self, message: Msg) -> None:
        """One message in its own transaction, with every outcome settled explicitly."""
        deliveries = message.metadata.num_delivered
        if deliveries > self.settings.max_deliver_transient:
            await self._park(message, f"delivered {deliveries} times without completing "
                                      "(the consumer crashed or timed out each time)")
            return
        route = self.routes.get(message.subject)
        if route is None:  # a subject the filter let through that no handler answers
            await self._park(message, f"no handler here for {message.subject}")
            return
        try:
            event = route.event_type.model_validate_json(message.data)
        except ValidationError as error:
            await self._park(message, f"malformed {route.event_type.__name__}: {describe(error)}")
            return
        with correlated(acceptable(event.correlation_id)):  # for the lines logged from here
            if event.tenant_id not in configured_cities():
                await self._park(message, f"no city {event.tenant_id!r} is configured here")
                return
            try:
                await self._commit([(route, event, message)])
            except Rejected as error:
                await self._park(message, f"rejected: {error}")
                return
            except Exception as error:
                await self._retry_or_park(message, error)
                return
            await message.ack()
            self.metrics.handled(message.subject)

    async def _retry_or_park(self, message: Msg, error: Exception) -> None:
        """A failed delivery: nak with a backoff, longer for a transient error, or park the
        message once it has failed as often as its kind of error allows."""
        deliveries = message.metadata.num_delivered
        transient = is_transient(error)
        self.metrics.failed(message.subject, transient)
        settings = self.settings
        limit = settings.max_deliver_transient if transient else settings.max_deliver
        if deliveries >= limit:
            await self._park(message, f"failed {deliveries} times; last error: {error!r}")
            return
        delays = (settings.transient_backoff_seconds if transient
                  else settings.redelivery_backoff_seconds)
        delay = backoff(delays, deliveries)
        log.warning("%s failed (delivery %d%s), retrying in %ss: %r", self.name, deliveries,
                    ", transient" if transient else "", delay, error)
        await message.nak(delay=delay)

    async def _commit(self, handled: list[Handled]) -> None:
        """Apply the events in one transaction, then run their routes' `then`s."""
        await self.database(lambda: self._transact(handled))
        for route, event, _ in handled:
            if route.then is not None:
                with correlated(acceptable(event.correlation_id)):
                    route.then(event)

    def _transact(self, handled: list[Handled]) -> None:
        """In the database thread. Each event is applied in its own span, so the events it
        writes continue its trace."""
        with self.unit_of_work() as uow:
            uow.preload_claims(self.name, [str(event.event_id) for _, event, _ in handled])
            for route, event, message in handled:
                with (correlated(acceptable(event.correlation_id)),
                      handling(self.tracer, message.subject, message.headers)):
                    route.apply(event, uow)
            uow.commit()

    async def _park(self, message: Msg, reason: str) -> None:
        """File the message in the dead-letter stream with its reason, then ack it. The stream's
        acknowledgement is awaited as long as the relay awaits one: FastStream's default of half
        a second is shorter than a busy host can take, and the message would be parked again."""
        metadata = message.metadata
        reason = " ".join(reason.split())[:2000]  # header values are single lines
        await self.broker.publish(
            message.data, dead_letter_subject(self.service, self.name, city_of(message.data)),
            stream=DLQ_STREAM, timeout=self.settings.outbox_ack_timeout_seconds,
            headers={
                "Nats-Msg-Id": f"dlq:{metadata.stream}:{metadata.sequence.stream}:{self.name}",
                "Guiyan-Reason": reason,
                "Guiyan-Original-Subject": message.subject,
                "Guiyan-Consumer": self.name,
                "Guiyan-Parked-At": utc_now().isoformat(),
            })
        await message.ack()
        self.metrics.parked(message.subject)
        log.warning("parked %s seq %s in the dead-letter stream: %s",
                    message.subject, metadata.sequence.stream, reason)
