"""Commands sent again with the same idempotency key answer as the first did and change nothing more.

A client whose request timed out cannot tell whether it was done: NATS may have gone away after
the service committed and before the reply reached the portal. It sends the command again with
the same key. The first reply is stored in the same transaction as the command's effects, so the
retry finds either nothing (the first was never done, and is done now) or the first reply. The same
key with another request is the client's mistake, refused rather than guessed at.

Only replies are stored, not refusals: asking again gets a fresh answer. A refusal, or a handler
that fails, leaves nothing behind, with a key as without one: its transaction is rolled back
(but for a refusal that keeps what the world changed, `Refusal.keeps_changes`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from pydantic import BaseModel
from sqlalchemy import Column, Text, delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, Session, SQLModel, col

from guiyan_contracts.envelope import Request, utc_now
from guiyan_contracts.refusals import Conflict, Invalid

from .unit_of_work import SqlUnitOfWork

U = TypeVar("U", bound=SqlUnitOfWork)
Q = TypeVar("Q", bound=Request)

KEY_LOCATION: list[str | int] = ["header", "Idempotency-Key"]


class IdempotentReply(SQLModel, table=True):
    __tablename__ = "idempotent_replies"

    subject: str = Field(primary_key=True, max_length=200)
    tenant_id: str = Field(primary_key=True, max_length=64)
    key: str = Field(primary_key=True, max_length=300)
    fingerprint: str = Field(max_length=64)
    reply_json: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utc_now, index=True)


def fingerprint(request: Request) -> str:
    """Equal requests, equal fingerprint, whatever order the client wrote their fields in; a
    request's write-only fields (a password) are not part of it."""
    canonical = request.model_dump_json(
        exclude={"correlation_id", "idempotency_key", *request.WRITE_ONLY})
    return hashlib.sha256(canonical.encode()).hexdigest()


def answer_once(request: Q, uow: U, handle: Callable[[Q, U], BaseModel],
                result_type: type[BaseModel]) -> BaseModel:
    """`handle(request, uow)`, or the reply it gave the first time this key was sent. A new reply
    is added to the handler's transaction, for the caller to commit with the handler's writes."""
    assert request.idempotency_key is not None
    key = (request.SUBJECT, request.tenant_id, request.idempotency_key)  # type: ignore[attr-defined]
    seen = uow.session.get(IdempotentReply, key)
    if seen is not None:
        if seen.fingerprint != fingerprint(request):
            raise Invalid.at(KEY_LOCATION, "this Idempotency-Key was used with a different request")
        return result_type.model_validate_json(seen.reply_json)
    result = handle(request, uow)
    uow.session.flush()  # the handler's writes first: a conflict of theirs is not the key's
    uow.session.add(IdempotentReply(subject=key[0], tenant_id=key[1], key=key[2],
                                    fingerprint=fingerprint(request),
                                    reply_json=result.model_dump_json()))
    try:
        uow.session.flush()
    except IntegrityError:  # another process took the key a moment ago
        raise Conflict("a request with this Idempotency-Key is being handled; "
                       "send it again shortly for its answer") from None
    return result


def forget_replies_before(session: Session, moment: datetime) -> int:
    """Keys are kept for a retention period: a client retries within minutes, not days."""
    removed = session.exec(delete(IdempotentReply)  # type: ignore[call-overload]
                           .where(col(IdempotentReply.created_at) < moment))
    session.commit()
    return removed.rowcount or 0
