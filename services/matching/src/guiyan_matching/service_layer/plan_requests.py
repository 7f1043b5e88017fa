"""Changes that ask for their city to be planned again: a handler's changes and the request for
a plan commit together, so that no change is left unplanned by a process that stopped between
them, and the replica that leads the city plans changes any replica handled."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Protocol, TypeVar

from ..adapters.unit_of_work import MatchingUnitOfWork


class CityMessage(Protocol):
    tenant_id: str


M = TypeVar("M", bound=CityMessage)
R = TypeVar("R")


def asking_for_a_plan(handle: Callable[[M, MatchingUnitOfWork], R], kind: str,
                      ref: Callable[[M], str]) -> Callable[[M, MatchingUnitOfWork], R]:
    """`handle`, then a request to plan the message's city, named `kind` and `ref(message)` in
    the plan's triggers; a handler that refuses asks for nothing (its transaction rolls back)."""
    @functools.wraps(handle)  # with its annotations: the runtime reads a request's reply type
    def handle_and_ask(message: M, uow: MatchingUnitOfWork) -> R:
        result = handle(message, uow)
        uow.plan_queue.add(message.tenant_id, kind, ref(message))
        return result

    return handle_and_ask
