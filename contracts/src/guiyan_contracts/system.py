"""Requests every service answers, the dead-letter stream every consumer parks into, and what
every process's ops endpoint answers."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from .envelope import Contract

DLQ_STREAM = "GUIYAN_DLQ"
DLQ_SUBJECTS = "guiyan.dlq.>"
SERVICES = ("registry", "matching", "notification")
# The last token of a dead letter's subject when its city cannot be read from it (a malformed
# message): not a city id, so no city's admins see it as their own.
NO_CITY = "_none"


def health_subject(service: str) -> str:
    return f"guiyan.query.{service}.health.v1"


def asyncapi_subject(service: str) -> str:
    return f"guiyan.query.{service}.asyncapi.v1"


def dead_letter_subject(service: str, consumer: str, city: str | None) -> str:
    """`guiyan.dlq.<service>.<consumer>.<city>`: each city's admins read their own."""
    return f"guiyan.dlq.{service}.{consumer}.{city or NO_CITY}"


def dead_letters_of(city: str) -> str:
    return f"guiyan.dlq.*.*.{city}"


class Problem(Contract):
    """Something a service set aside or cannot do, while it goes on with the rest: for ops to
    repair."""

    service: str
    city: str | None = None
    item: str  # what is set aside or failing: "park heze-return-incubator", "planning"
    reason: str


class Health(Contract):
    service: str
    database: bool
    problems: list[Problem] = Field(default_factory=list)


class Ping(Contract):
    """Asks a service whether it is alive; carries nothing."""


class AsyncAPIDocument(Contract):
    document: dict[str, Any]


class Liveness(Contract):
    """`GET /healthz`: the process answers; nothing more is looked at."""

    status: Literal["ok"] = "ok"


class Readiness(Contract):
    """`GET /readyz`: `ready` (200) when every check is `ok`, else `not ready` (503) with what
    each failed check found, e.g. `{"database": "ok", "nats": "not connected"}`."""

    status: Literal["ready", "not ready"]
    checks: dict[str, str]
