"""Waiting for what `ops` declares (streams, the lease buckets): a service that starts before
provisioning has run waits for it, rather than create what it may not change."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from nats.js.errors import NotFoundError

T = TypeVar("T")
POLL_SECONDS = 0.5


async def once_declared(look_up: Callable[[], Awaitable[T]], what: str, deadline: float) -> T:
    """`look_up()`'s answer once it finds `what`; RuntimeError naming it when it is still missing
    at `deadline` (monotonic)."""
    while True:
        try:
            return await look_up()
        except NotFoundError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{what} is not declared; declare it first "
                                   "(python -m guiyan_eventing.provision)") from None
            await asyncio.sleep(POLL_SECONDS)
