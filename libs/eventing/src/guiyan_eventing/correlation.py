"""The correlation id of the message or HTTP request being handled, for every log line written
while it is: set where the consumer and the responders take an envelope, and by the portal for
each HTTP request; carried onto the database thread with the rest of the context."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from contextvars import ContextVar

CORRELATION_ID: ContextVar[str | None] = ContextVar("correlation_id", default=None)
# What a caller's header may set: short, and nothing a log reader could mistake for structure.
ACCEPTED = re.compile(r"[A-Za-z0-9._:-]{1,100}")


@contextlib.contextmanager
def correlated(correlation_id: str | None) -> Iterator[None]:
    token = CORRELATION_ID.set(correlation_id)
    try:
        yield
    finally:
        CORRELATION_ID.reset(token)


def acceptable(correlation_id: str | None) -> str | None:
    """The id a caller sent, if it is one to keep; else None (the caller's id is not ours to
    log verbatim: it could be anything, a line break included)."""
    if correlation_id is None or ACCEPTED.fullmatch(correlation_id) is None:
        return None
    return correlation_id
