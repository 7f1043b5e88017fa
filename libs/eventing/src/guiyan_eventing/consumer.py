"""Durable JetStream consumers with explicit acks, bounded redelivery and a visible dead-letter path.

FastStream's NATS default (REJECT_ON_ERROR) calls term() on any exception, which silently drops
the message. Here every outcome is explicit:
- processed (or already processed: the inbox makes redelivery a no-op) → ack after commit;
- malformed, or `Rejected` by the handler → parked in GUIYAN_DLQ with its reason, then ack;
- any other error → nak with backoff, and parked once `max_deliver` deliveries have failed.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from faststream import AckPolicy
from faststream.nats import ConsumerConfig, DeliverPolicy, JStream, NatsBroker, PullSub
from faststream.nats.annotations import NatsMessage
from pydantic import ValidationError

from guiyan_contracts.envelope import Event, utc_now
from guiyan_contracts.system import DLQ_STREAM, dead_letter_subject

from .errors import Rejected
from .settings import ServiceSettings
from .streams import stream_for

log = logging.getLogger(__name__)

Process = Callable[[Any], Awaitable[None]]


def consumer_name(service: str, subject: str) -> str:
    """`guiyan.registry.project.submitted.v1` heard by matching → `matching_registry_project_submitted_v1`."""
    return "_".join([service, *subject.split(".")[1:]])


def describe(error: ValidationError) -> str:
    """One line per field, e.g. `project.floor_m2: Input should be greater than or equal to 0`."""
    return "; ".join(f"{'.'.join(map(str, e['loc'])) or '(body)'}: {e['msg']}"
                     for e in error.errors(include_url=False))


def subscribe(broker: NatsBroker, settings: ServiceSettings, service: str,
              event_type: type[Event], process: Process) -> None:
    """Deliver each `event_type` message to `process(event)`, which must commit before returning."""
    subject = event_type.SUBJECT
    durable = consumer_name(service, subject)
    config = ConsumerConfig(
        max_deliver=settings.max_deliver,
        ack_wait=settings.ack_wait_seconds,
        deliver_policy=DeliverPolicy.ALL,
    )

    async def park(message: NatsMessage, reason: str) -> None:
        metadata = message.raw_message.metadata
        reason = " ".join(reason.split())[:2000]  # header values are single lines
        await broker.publish(
            message.body, dead_letter_subject(service, durable), stream=DLQ_STREAM,
            headers={
                "Nats-Msg-Id": f"dlq:{metadata.stream}:{metadata.sequence.stream}:{durable}",
                "Guiyan-Reason": reason,
                "Guiyan-Original-Subject": message.raw_message.subject,
                "Guiyan-Consumer": durable,
                "Guiyan-Parked-At": utc_now().isoformat(),
            })
        log.warning("parked %s seq %s in the dead-letter stream: %s",
                    message.raw_message.subject, metadata.sequence.stream, reason)

    @broker.subscriber(
        subject, stream=JStream(stream_for(subject), declare=False), durable=durable,
        pull_sub=PullSub(batch_size=16, timeout=1.0), config=config,
        ack_policy=AckPolicy.MANUAL, title=durable,
    )
    async def on_message(message: NatsMessage) -> None:
        try:
            event = event_type.model_validate_json(message.body)
        except ValidationError as error:
            await park(message, f"malformed {event_type.__name__}: {describe(error)}")
            await message.ack()
            return
        try:
            await process(event)
        except Rejected as error:
            await park(message, f"rejected: {error}")
            await message.ack()
        except Exception as error:
            deliveries = message.raw_message.metadata.num_delivered
            if deliveries >= settings.max_deliver:
                await park(message, f"failed {deliveries} times; last error: {error!r}")
                await message.ack()
                return
            backoff = settings.redelivery_backoff_seconds
            delay = backoff[min(deliveries, len(backoff)) - 1] if backoff else None
            log.warning("%s failed (delivery %d), retrying in %ss: %r",
                        durable, deliveries, delay, error)
            await message.nack(delay=delay)
        else:
            await message.ack()
