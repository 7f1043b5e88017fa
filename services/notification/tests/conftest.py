"""notification's database, fresh for each test, on SQLite and (with TEST_DATABASE_URL) on
PostgreSQL: `uow()` opens a unit of work on it."""

from __future__ import annotations

import pytest

from guiyan_eventing.db import make_engine
from guiyan_eventing.schema import Tables
from guiyan_notification.adapters.orm import TABLES
from guiyan_notification.adapters.unit_of_work import NotificationUnitOfWork


@pytest.fixture
def uow(database_url: str):
    engine = make_engine(database_url)
    Tables(TABLES).prepare(engine)
    yield lambda: NotificationUnitOfWork(engine)
    engine.dispose()
