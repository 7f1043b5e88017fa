"""The JetStream streams, declared from this one definition so that no two services disagree.

They are declared once, by the `ops` identity (`make run`, or `python -m guiyan_eventing.provision`
before a deployment starts), not by the services: no service may change a stream's settings. Each
service then creates or updates only its own durable consumers.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable

from nats.js.api import ConsumerConfig, StorageType, StreamConfig
from nats.js.errors import BadRequestError, NotFoundError

from guiyan_contracts import matching, notification, registry
from guiyan_contracts.system import DLQ_STREAM, DLQ_SUBJECTS

from .bus import BusSettings, connect

DUPLICATE_WINDOW_SECONDS = 120.0

STREAMS = (
    StreamConfig(name=registry.STREAM, subjects=[registry.EVENTS]),
    StreamConfig(name=matching.STREAM, subjects=[matching.EVENTS]),
    StreamConfig(name=notification.STREAM, subjects=[notification.EVENTS]),
    StreamConfig(name=DLQ_STREAM, subjects=[DLQ_SUBJECTS]),
)


def stream_for(subject: str) -> str:
    for config in STREAMS:
        if any(subject.startswith(s.removesuffix(">")) for s in config.subjects or ()):
            return config.name  # type: ignore[return-value]
    raise LookupError(f"no stream captures {subject}")


async def declare_streams(settings: BusSettings, identity: str = "ops") -> None:
    """Create the streams, or bring existing ones to these settings."""
    connection = await connect(settings, identity)
    try:
        js = connection.jetstream()
        for config in STREAMS:
            config.storage = StorageType.FILE
            config.duplicate_window = DUPLICATE_WINDOW_SECONDS
            try:
                await js.add_stream(config)
            except BadRequestError:  # exists with other settings: converge on ours
                await js.update_stream(config)
    finally:
        await connection.close()


async def ensure_consumers(settings: BusSettings, identity: str,
                           consumers: Iterable[tuple[str, ConsumerConfig]],
                           wait_seconds: float = 30.0) -> None:
    """Create or update a service's durable consumers to its settings (binding to an existing
    durable does not update it), once their streams are declared."""
    consumers = list(consumers)
    if not consumers:
        return
    connection = await connect(settings, identity)
    try:
        js = connection.jetstream()
        deadline = time.monotonic() + wait_seconds
        for stream, consumer in consumers:
            while True:
                try:
                    await js.stream_info(stream)
                    break
                except NotFoundError:
                    if time.monotonic() > deadline:
                        raise RuntimeError(f"stream {stream} is not declared; declare the streams "
                                           "first (python -m guiyan_eventing.provision)") from None
                    await asyncio.sleep(0.5)
            await js.add_consumer(stream, consumer)  # updates an existing durable in place
    finally:
        await connection.close()
