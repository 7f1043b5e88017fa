"""What delivery needs to know of errors: which to park for good, which are the surroundings'
fault and worth a retry, and how to describe a validation error in one line. The refusals a
handler raises on purpose are part of the contracts (`guiyan_contracts.refusals`)."""

from __future__ import annotations

from nats.errors import Error as NatsError
from pydantic import ValidationError
from sqlalchemy.exc import DBAPIError, OperationalError


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
