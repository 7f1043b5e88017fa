"""The envelope every event carries, and the reply shape of every request-reply call."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, ClassVar, Generic, Literal, TypeVar
from uuid import UUID, uuid4

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

# A city (tenant) is an id from the configured set, never a free string: it names files and
# subjects, so it must not be able to say `..` or `>`.
CITY_ID_PATTERN = r"^[a-z][a-z0-9-]{0,31}$"
CityId = Annotated[str, StringConstraints(pattern=CITY_ID_PATTERN)]

# Lists page explicitly; no page starts beyond this (a database's OFFSET has its own, lower limit
# than an HTTP client's integers).
MAX_OFFSET = 10_000_000
Offset = Annotated[int, Field(ge=0, le=MAX_OFFSET)]


def utc_now() -> datetime:
    return datetime.now(UTC)


class Contract(BaseModel):
    """Base of every wire model: unknown fields are an error, not silently dropped, and so are
    infinities and NaN, which JSON cannot carry onward."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class Event(Contract):
    """A fact, named in the past tense, published once through its producer's outbox."""

    SUBJECT: ClassVar[str]

    event_id: UUID = Field(default_factory=uuid4)
    occurred_at: datetime = Field(default_factory=utc_now)
    producer: str
    correlation_id: str | None = None
    schema_version: int = 1
    tenant_id: CityId


class Request(Contract):
    """A command (imperative) or query (a question) sent by request-reply."""

    SUBJECT: ClassVar[str]
    # Fields sent but never kept: a password is left out of the fingerprint an idempotent reply
    # is stored under, so not even its digest is written down.
    WRITE_ONLY: ClassVar[frozenset[str]] = frozenset()

    tenant_id: CityId
    correlation_id: str | None = None
    # A command sent again with the same key answers as the first did and changes nothing more;
    # the same key with another request is refused. The portal fills it from `Idempotency-Key`.
    idempotency_key: str | None = Field(default=None, min_length=1, max_length=300)


class FieldError(Contract):
    loc: list[str | int]
    msg: str
    type: str = "value_error"


ErrorKind = Literal["validation", "not_found", "conflict", "forbidden", "unavailable", "internal"]


class ErrorBody(Contract):
    kind: ErrorKind
    message: str
    errors: list[FieldError] = []


T = TypeVar("T")


class Reply(Contract, Generic[T]):
    """Every request-reply answer: either `result` or `error`, never both."""

    ok: bool
    result: T | None = None
    error: ErrorBody | None = None


def field_errors_from_pydantic(errors: list[dict[str, Any]]) -> list[FieldError]:
    return [
        FieldError(loc=[str(p) if not isinstance(p, int) else p for p in e["loc"]],
                   msg=e["msg"], type=e["type"])
        for e in errors
    ]
