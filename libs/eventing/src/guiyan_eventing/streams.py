"""The JetStream streams, declared from this one definition so that no two services disagree."""

from __future__ import annotations

from collections.abc import Iterable

import nats
from nats.js.api import ConsumerConfig, StorageType, StreamConfig
from nats.js.errors import BadRequestError

from guiyan_contracts import matching, registry
from guiyan_contracts.system import DLQ_STREAM, DLQ_SUBJECTS

DUPLICATE_WINDOW_SECONDS = 120.0

STREAMS = (
    StreamConfig(name=registry.STREAM, subjects=[registry.EVENTS]),
    StreamConfig(name=matching.STREAM, subjects=[matching.EVENTS]),
    StreamConfig(name=DLQ_STREAM, subjects=[DLQ_SUBJECTS]),
)


def stream_for(subject: str) -> str:
    for config in STREAMS:
        if any(subject.startswith(s.removesuffix(">")) for s in config.subjects or ()):
            return config.name  # type: ignore[return-value]
    raise LookupError(f"no stream captures {subject}")


async def ensure_streams(nats_url: str,
                         consumers: Iterable[tuple[str, ConsumerConfig]] = ()) -> None:
    """Declare the streams, and create or update a service's durable consumers to its settings."""
    connection = await nats.connect(nats_url)
    try:
        js = connection.jetstream()
        for config in STREAMS:
            config.storage = StorageType.FILE
            config.duplicate_window = DUPLICATE_WINDOW_SECONDS
            try:
                await js.add_stream(config)
            except BadRequestError:  # exists with other settings: converge on ours
                await js.update_stream(config)
        for stream, consumer in consumers:
            await js.add_consumer(stream, consumer)  # updates an existing durable in place
    finally:
        await connection.close()
