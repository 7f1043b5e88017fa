"""A service's tables, and how its database comes to hold them before the service uses it.

A running service's database is brought up to date by its migrations (`migrations.Migrations`);
a database that lives no longer than a test, by creating the tables as the models are (`Tables`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import Engine, MetaData
from sqlmodel import SQLModel

from .idempotency import IdempotentReply
from .inbox import ProcessedMessage
from .outbox import OutboxMessage

# Every service has these beside its own: the runtime's relay, inbox claims and stored replies
# use them whatever the service does.
EVENTING_TABLES: tuple[type[SQLModel], ...] = (OutboxMessage, ProcessedMessage, IdempotentReply)


def service_metadata(tables: Sequence[type[SQLModel]]) -> MetaData:
    """Eventing's tables and `tables`, in a metadata of their own: SQLModel's holds every
    model imported in the process, other services' included."""
    metadata = MetaData()
    for model in (*EVENTING_TABLES, *tables):
        model.__table__.to_metadata(metadata)  # type: ignore[attr-defined]
    return metadata


class Schema(Protocol):
    def prepare(self, engine: Engine) -> None:
        """Bring the database to the tables the service's code expects."""


@dataclass(frozen=True)
class Tables:
    """Eventing's tables and `tables` created as the models are now: for a database that lives
    no longer than a test (a stand-in service, a store's fixture). A database that outlives
    its code is brought up to date by migrations instead."""

    tables: Sequence[type[SQLModel]]

    def prepare(self, engine: Engine) -> None:
        service_metadata(self.tables).create_all(engine)
