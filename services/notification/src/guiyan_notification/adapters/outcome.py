"""What a channel's receiver made of one attempt, and the HTTP rules the three HTTP channels share.

An outcome goes into the delivery log, which admins read: its `error` is built here from what
kind of failure it was, never from an exception's text, because httpx names the URL in its
messages and a robot's URL carries its access token or key.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from guiyan_contracts.notification import AttemptOutcome

# Asked to wait, or the receiver's own trouble: the same message may well pass later.
TRANSIENT_STATUSES = frozenset({408, 425})
TOO_MANY_REQUESTS = 429
# A receiver's own words are kept in the log, but only this much of them.
MAX_ERROR_CHARS = 200


@dataclass(frozen=True)
class Outcome:
    outcome: AttemptOutcome  # sent, transient or permanent: never unknown, which only a restart knows
    code: str | None = None  # "200", "errcode 130101", "SMTP 550"
    error: str | None = None  # short and readable; never the URL, its query or a secret
    retry_after: float | None = None  # seconds, when the receiver said how long to wait


def sent(code: str | None = None) -> Outcome:
    return Outcome(AttemptOutcome.sent, code)


def transient(code: str | None, error: str, retry_after: float | None = None) -> Outcome:
    return Outcome(AttemptOutcome.transient, code, error, retry_after)


def throttled(code: str | None, error: str, retry_after: float | None) -> Outcome:
    return Outcome(AttemptOutcome.throttled, code, error, retry_after)


def permanent(code: str | None, error: str) -> Outcome:
    return Outcome(AttemptOutcome.permanent, code, error)


def redacted(text: str, secrets: Iterable[str | None]) -> str:
    """A receiver's message, short, with any secret it echoed blanked out."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text[:MAX_ERROR_CHARS]


def query_values(url: str) -> list[str]:
    """The values in a URL's query (a robot's access token or key), to keep out of messages."""
    return [value for _, value in httpx.URL(url).params.multi_items()]


async def post(client: httpx.AsyncClient, url: str, **request: Any) -> httpx.Response | Outcome:
    """POST, or the outcome of a request that got no answer."""
    try:
        return await client.post(url, **request)
    except httpx.UnsupportedProtocol:
        return permanent(None, "unsupported URL scheme")
    except httpx.TimeoutException:
        return transient(None, "timed out")
    except httpx.ConnectError:
        return transient(None, "connection failed")
    except httpx.TransportError as error:
        return transient(None, f"transport error ({type(error).__name__})")


def http_failure(response: httpx.Response) -> Outcome | None:
    """The outcome of a status that is not 2xx; None for 2xx, whose body says the rest."""
    if response.is_success:
        return None
    status = response.status_code
    code, error = str(status), f"HTTP {status}"
    if status == TOO_MANY_REQUESTS:
        return throttled(code, error, retry_after(response))
    if status in TRANSIENT_STATUSES or status >= 500:
        return transient(code, error, retry_after(response))
    # A redirect is refused with the 4xx: the URL an admin entered is not the receiver's.
    return permanent(code, error)


def retry_after(response: httpx.Response) -> float | None:
    """Retry-After in seconds, whether given as seconds or as an HTTP date."""
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    if value.strip().isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:  # "-0000": a date in UTC, by RFC 5322
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def robot_outcome(response: httpx.Response, waits: Mapping[int, float | None],
                  secrets: Iterable[str | None]) -> Outcome:
    """A chat robot's answer: HTTP 200 whatever happened, with `errcode` 0 for a message taken.
    `waits` names the errcodes worth trying again: with how long to wait first when the robot
    is throttling (it says how long), or None when it is only busy."""
    if (failure := http_failure(response)) is not None:
        return failure
    try:
        answer = response.json()
        errcode = int(answer["errcode"])
    except (ValueError, KeyError, TypeError):
        # Not the robot speaking (a proxy's page, say): it may be itself again later.
        return transient(str(response.status_code), "unreadable answer")
    if errcode == 0:
        return sent(str(response.status_code))
    code = f"errcode {errcode}"
    message = redacted(str(answer.get("errmsg", "")), secrets) or code
    if errcode in waits:
        wait = waits[errcode]
        return transient(code, message) if wait is None else throttled(code, message, wait)
    return permanent(code, message)
