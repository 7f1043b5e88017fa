"""Errors a handler raises on purpose. Each maps to one reply kind (and one HTTP status at the edge)."""

from __future__ import annotations

from nats.errors import Error as NatsError
from pydantic import ValidationError
from sqlalchemy.exc import DBAPIError, OperationalError

from guiyan_contracts.envelope import ErrorBody, ErrorKind, FieldError


class DomainError(Exception):
    kind: ErrorKind = "conflict"

    def __init__(self, message: str, errors: list[FieldError] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or []

    def body(self) -> ErrorBody:
        return ErrorBody(kind=self.kind, message=self.message, errors=self.errors)


class Invalid(DomainError):
    kind: ErrorKind = "validation"

    @classmethod
    def at(cls, loc: list[str | int], msg: str) -> Invalid:
        return cls(msg, [FieldError(loc=loc, msg=msg)])


class NotFound(DomainError):
    kind: ErrorKind = "not_found"


class Conflict(DomainError):
    kind: ErrorKind = "conflict"


class UnreadableRecord(Conflict):
    """A stored record that no longer reads as its contract (kept from an older release, say):
    it is set aside, not served, until it is written anew."""


class Rejected(Exception):
    """An event that can never be processed as it stands: park it now rather than retry it."""


def describe(error: ValidationError) -> str:
    """One line per field, e.g. `project.floor_m2: Input should be greater than or equal to 0`."""
    return "; ".join(f"{'.'.join(map(str, e['loc'])) or '(body)'}: {e['msg']}"
                     for e in error.errors(include_url=False))


def is_transient(error: BaseException) -> bool:
    """Errors of the surroundings (a database or NATS away), not of the message or request."""
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    return isinstance(error, OperationalError | NatsError | TimeoutError | ConnectionError)
