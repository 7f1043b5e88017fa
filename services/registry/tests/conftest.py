"""A registry database per test, with the tables the running service makes."""

from __future__ import annotations

import pytest

from guiyan_eventing.db import create_tables, make_engine
from guiyan_eventing.idempotency import IdempotentReply
from guiyan_eventing.inbox import ProcessedMessage
from guiyan_eventing.outbox import OutboxMessage
from guiyan_registry.adapters.orm import TABLES
from guiyan_registry.adapters.unit_of_work import RegistryUnitOfWork


@pytest.fixture
def uow(database_url: str):
    engine = make_engine(database_url)
    create_tables(engine, [OutboxMessage, ProcessedMessage, IdempotentReply, *TABLES])
    yield lambda: RegistryUnitOfWork(engine)
    engine.dispose()
