"""A registry database per test, with the tables the running service makes."""

from __future__ import annotations

import pytest

from guiyan_eventing.db import make_engine
from guiyan_eventing.schema import Tables
from guiyan_registry.adapters.orm import TABLES
from guiyan_registry.adapters.unit_of_work import RegistryUnitOfWork


@pytest.fixture
def uow(database_url: str):
    engine = make_engine(database_url)
    Tables(TABLES).prepare(engine)
    yield lambda: RegistryUnitOfWork(engine)
    engine.dispose()
