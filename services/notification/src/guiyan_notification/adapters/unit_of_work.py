from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlmodel import Session

from guiyan_eventing.unit_of_work import SqlUnitOfWork

from .orm import Recipient

T = TypeVar("T")


class NotificationUnitOfWork(SqlUnitOfWork):
    """notification's tables are few and simple: handlers use the session, and telling reads what
    it needs for every event (recipients, the city's channels, preferences, open digests) once a
    transaction, through `recipient` and `kept`. A consumer's batch is up to a hundred of a
    plan's offers to a few dozen managers; read for each offer, those rows were most of its cost."""

    def _open(self, session: Session) -> None:
        self._recipients: dict[str, Recipient] = {}
        self._kept: dict[Hashable, Any] = {}

    def recipient(self, user_id: str) -> Recipient | None:
        """The user as recorded, or None. The session's identity map holds rows weakly, so the
        ones found are kept here; one not found is looked for again next time."""
        if user_id not in self._recipients:
            found = self.session.get(Recipient, user_id)
            if found is None:
                return None
            self._recipients[user_id] = found
        return self._recipients[user_id]

    def kept(self, key: Hashable, read: Callable[[], T]) -> T:
        """What `read()` gave the first time `key` was asked for in this unit of work, or what
        `keep` put there since. Requests and the sender change channels, preferences and digests
        in transactions of their own (the sender telling of a failing channel changes the same
        objects); the database thread runs transactions one at a time, and notification runs as
        one replica (docs/scale-out.md): no other transaction changes what this one has read."""
        if key not in self._kept:
            self._kept[key] = read()
        return self._kept[key]

    def keep(self, key: Hashable, value: object) -> None:
        """What this transaction itself wrote, for `kept` to answer with."""
        self._kept[key] = value
