"""A SQL unit of work: state and outbox rows commit together, or not at all."""

from __future__ import annotations

from collections.abc import Callable
from typing import Self

from sqlalchemy import Engine, event
from sqlalchemy.orm import ORMExecuteState
from sqlmodel import Session

from guiyan_contracts.envelope import Event

from .inbox import ProcessedMessage, claimed_among
from .outbox import add_all_to_outbox, add_to_outbox

WROTE = "guiyan.wrote"  # in `Session.info`: the transaction so far has written


@event.listens_for(Session, "after_flush")
def _flushed(session: Session, *_: object) -> None:
    session.info[WROTE] = True


@event.listens_for(Session, "do_orm_execute")
def _executing(state: ORMExecuteState) -> None:
    """Bulk statements (a plan's hundreds of offers) write without a flush."""
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info[WROTE] = True


class SqlUnitOfWork:
    """Subclass it to attach repositories in `_open`. Leaving the block without commit rolls back."""

    def __init__(self, engine: Engine, on_commit: Callable[[], None] = lambda: None) -> None:
        self._engine = engine
        self._on_commit = on_commit
        self.session: Session
        self._claimed: dict[str, set[str]]  # consumer → ids committed or claimed here

    def __enter__(self) -> Self:
        self.session = Session(self._engine, expire_on_commit=False)
        self._claimed = {}
        self._open(self.session)
        return self

    def _open(self, session: Session) -> None:
        """Attach repositories to the session."""

    def __exit__(self, *exc_info: object) -> None:
        self.session.rollback()
        self.session.close()

    def emit(self, event: Event) -> None:
        add_to_outbox(self.session, event)

    def emit_all(self, events: list[Event]) -> None:
        """`emit` each, in one statement."""
        add_all_to_outbox(self.session, events)

    def claim(self, consumer: str, event_id: str) -> bool:
        """False when this consumer has committed the event, or claimed it earlier in this
        transaction: the redelivery is a no-op. The batch's claims must be preloaded."""
        claimed = self._claimed[consumer]
        if event_id in claimed:
            return False
        claimed.add(event_id)
        self.session.add(ProcessedMessage(consumer=consumer, event_id=event_id))
        return True

    def preload_claims(self, consumer: str, event_ids: list[str]) -> None:
        """Read a batch's claims in one query, so that each `claim` need not: a query per event
        also flushed everything the batch had added so far."""
        self._claimed[consumer] = claimed_among(self.session, consumer, event_ids)

    def commit(self) -> None:
        """Commit; the after-commit hooks (the outbox relay's wake-up) run only when something was
        written: every query commits too, and most write nothing."""
        self.session.commit()
        if self.session.info.pop(WROTE, False):  # set by this transaction's writes, its last
            self._on_commit()                     # flush (in the commit) included
