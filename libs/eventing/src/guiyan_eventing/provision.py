"""`python -m guiyan_eventing.provision`: declare the streams and lease buckets before the services
start, as the `ops` identity (NATS_URL, and NATS_SEED_FILE where the server authenticates), each
on STREAM_REPLICAS servers (3 on a cluster), leases lapsing after LEASE_SECONDS."""

from __future__ import annotations

import asyncio

from pydantic import Field

from .bus import BusSettings
from .leases import LEASE_BUCKETS
from .streams import DEFAULT_LEASE_SECONDS, STREAMS, declare_streams


class ProvisionSettings(BusSettings):
    stream_replicas: int = Field(default=1, ge=1, le=5)
    # A leader that dies is replaced within this and a third more; a leader's renewals are
    # this over three apart.
    lease_seconds: float = Field(default=DEFAULT_LEASE_SECONDS, ge=1, le=300)


def main() -> None:
    settings = ProvisionSettings()
    asyncio.run(declare_streams(settings, replicas=settings.stream_replicas,
                                lease_seconds=settings.lease_seconds))
    print("declared " + ", ".join([*(str(config.name) for config in STREAMS), *LEASE_BUCKETS])
          + f" on {settings.stream_replicas} server(s)")


if __name__ == "__main__":
    main()
