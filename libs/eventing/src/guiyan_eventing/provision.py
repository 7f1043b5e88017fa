"""`python -m guiyan_eventing.provision`: declare the streams before the services start, as the
`ops` identity (NATS_URL, and NATS_SEED_FILE where the server authenticates)."""

from __future__ import annotations

import asyncio

from .bus import BusSettings
from .streams import STREAMS, declare_streams


def main() -> None:
    asyncio.run(declare_streams(BusSettings()))
    print("declared " + ", ".join(str(config.name) for config in STREAMS))


if __name__ == "__main__":
    main()
