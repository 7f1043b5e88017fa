"""A SQL unit of work: state and outbox rows commit together, or not at all."""

from __future__ import annotations

from collections.abc import Callable
from typing import Self

from sqlalchemy import Engine
from sqlmodel import Session

from guiyan_contracts.envelope import Event

from .inbox import claim
from .outbox import add_to_outbox


class SqlUnitOfWork:
    """Subclass it to attach repositories in `_open`. Leaving the block without commit rolls back."""

    def __init__(self, engine: Engine, on_commit: Callable[[], None] = lambda: None) -> None:
        self._engine = engine
        self._on_commit = on_commit
        self.session: Session

    def __enter__(self) -> Self:
        self.session = Session(self._engine, expire_on_commit=False)
        self._open(self.session)
        return self

    def _open(self, session: Session) -> None:
        """Attach repositories to the session."""

    def __exit__(self, *exc_info: object) -> None:
        self.session.rollback()
        self.session.close()

    def emit(self, event: Event) -> None:
        add_to_outbox(self.session, event)

    def claim(self, consumer: str, event_id: str) -> bool:
        return claim(self.session, consumer, event_id)

    def commit(self) -> None:
        self.session.commit()
        self._on_commit()
