"""notification's database, fresh for each test, on SQLite and (with TEST_DATABASE_URL) on
PostgreSQL: `uow()` opens a unit of work on it."""

from __future__ import annotations

import pytest

from guiyan_eventing.db import create_tables, make_engine
from guiyan_eventing.outbox import OutboxMessage
from guiyan_notification.adapters.orm import TABLES
from guiyan_notification.adapters.unit_of_work import NotificationUnitOfWork


@pytest.fixture
def uow(database_url: str):
    engine = make_engine(database_url)
    create_tables(engine, [OutboxMessage, *TABLES])
    yield lambda: NotificationUnitOfWork(engine)
    engine.dispose()
