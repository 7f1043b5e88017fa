"""The JetStream streams, declared from this one definition so that no two services disagree.

They are declared once, by the `ops` identity (`make run`, or `python -m guiyan_eventing.provision`
before a deployment starts), not by the services: no service may change a stream's settings. Each
service then creates or updates only its own durable consumers. The KV buckets of leases
(`leases.LEASE_BUCKETS`) are streams too, and declared with them.

Every stream and bucket is kept on `replicas` servers: 1 on a single server, 3 on a cluster,
where a stream then survives the loss of any one node without losing an acknowledged message.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from nats.js import JetStreamContext
from nats.js.api import ConsumerConfig, KeyValueConfig, StorageType, StreamConfig
from nats.js.errors import BadRequestError

from guiyan_contracts import matching, notification, registry
from guiyan_contracts.system import DLQ_STREAM, DLQ_SUBJECTS

from .bus import BusSettings, connect
from .leases import LEASE_BUCKETS
from .provisioned import once_declared

DUPLICATE_WINDOW_SECONDS = 120.0
DEFAULT_LEASE_SECONDS = 15.0

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


async def declare_streams(settings: BusSettings, identity: str = "ops", *, replicas: int = 1,
                          lease_seconds: float = DEFAULT_LEASE_SECONDS) -> None:
    """Create the streams and the lease buckets, or bring existing ones to these settings."""
    connection = await connect(settings, identity)
    try:
        js = connection.jetstream()
        for config in STREAMS:
            config.storage = StorageType.FILE
            config.duplicate_window = DUPLICATE_WINDOW_SECONDS
            config.num_replicas = replicas
            try:
                await js.add_stream(config)
            except BadRequestError:  # exists with other settings: converge on ours
                await js.update_stream(config)
        for bucket in LEASE_BUCKETS:
            await declare_lease_bucket(js, bucket, lease_seconds, replicas)
    finally:
        await connection.close()


async def declare_lease_bucket(js: JetStreamContext, bucket: str, ttl: float,
                               replicas: int) -> None:
    """A bucket whose keys lapse `ttl` after their last write, one revision each; its reads go
    to the stream's leader (no direct gets), so a holder never reads a revision behind."""
    try:
        await js.create_key_value(KeyValueConfig(bucket=bucket, history=1, ttl=ttl,
                                                 replicas=replicas, storage=StorageType.FILE,
                                                 direct=False))
    except BadRequestError:  # exists with other settings: converge on ours
        config = (await js.stream_info(f"KV_{bucket}")).config
        config.max_age, config.num_replicas = ttl, replicas
        config.duplicate_window = min(ttl, DUPLICATE_WINDOW_SECONDS)
        await js.update_stream(config)


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
            await once_declared(lambda stream=stream: js.stream_info(stream), f"stream {stream}",
                                deadline)
            await js.add_consumer(stream, consumer)  # updates an existing durable in place
    finally:
        await connection.close()
