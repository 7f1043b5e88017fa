"""Refusals: the answers a handler gives on purpose when it will not do what it is asked. Each is
one reply kind of the request/reply contract (`ErrorBody.kind`), and one HTTP status at the edge.
Domain code raises them; the runtime turns them into replies."""

from __future__ import annotations

from .envelope import ErrorBody, ErrorKind, FieldError


class Refusal(Exception):
    kind: ErrorKind = "conflict"
    # A refusal changes nothing: what the handler did before it is rolled back. A refusal that
    # states a change of the world's making (an offer found lapsed is expired as the decision on
    # it is refused) keeps it.
    keeps_changes: bool = False

    def __init__(self, message: str, errors: list[FieldError] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or []

    def body(self) -> ErrorBody:
        return ErrorBody(kind=self.kind, message=self.message, errors=self.errors)


class Invalid(Refusal):
    kind: ErrorKind = "validation"

    @classmethod
    def at(cls, loc: list[str | int], msg: str, type: str = "value_error") -> Invalid:
        """`type` names the check, for the portal to say it in its reader's language."""
        return cls(msg, [FieldError(loc=loc, msg=msg, type=type)])


class NotFound(Refusal):
    kind: ErrorKind = "not_found"


class Forbidden(Refusal):
    kind: ErrorKind = "forbidden"


class Conflict(Refusal):
    kind: ErrorKind = "conflict"


class UnreadableRecord(Conflict):
    """A stored record that no longer reads as its contract (kept from an older release, say):
    it is set aside, not served, until it is written anew."""
