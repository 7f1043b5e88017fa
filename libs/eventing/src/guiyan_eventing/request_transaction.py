"""The one commit rule for commands and queries, as for events: a handler is a plain function of
(request, unit of work) that never commits. Its transaction commits when it answers and is rolled
back when it raises, so a refusal changes nothing (but for one that says it states a change of
the world's making, `Refusal.keeps_changes`); an event's consumer commits a batch the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from pydantic import BaseModel

from guiyan_contracts.envelope import Request
from guiyan_contracts.refusals import Refusal

from .idempotency import answer_once
from .unit_of_work import SqlUnitOfWork

U = TypeVar("U", bound=SqlUnitOfWork)
Q = TypeVar("Q", bound=Request)


def answer_in_transaction(request: Q, unit_of_work: Callable[[], U],
                          handle: Callable[[Q, U], BaseModel],
                          result_type: type[BaseModel]) -> BaseModel:
    """`handle(request, uow)` in a transaction of its own, committed with its answer; a request
    with an idempotency key sent again gets the first answer, read back as `result_type`."""
    with unit_of_work() as uow:  # leaving it without the commit rolls back
        try:
            if request.idempotency_key is None:
                result = handle(request, uow)
            else:
                result = answer_once(request, uow, handle, result_type)
        except Refusal as refusal:
            if refusal.keeps_changes:  # kept, and not stored as the key's answer
                uow.commit()
            raise
        uow.commit()
    return result
