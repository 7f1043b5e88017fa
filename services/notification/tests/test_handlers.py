"""notification's handlers on a real database: an event naming someone of another city changes
nothing and is parked."""

from __future__ import annotations

import pytest
from sqlmodel import select

from guiyan_contracts.models import User
from guiyan_contracts.registry import UserRegistered
from guiyan_eventing.db import create_tables, make_engine
from guiyan_eventing.errors import Rejected
from guiyan_notification.adapters.orm import TABLES, InboxRow, Recipient
from guiyan_notification.adapters.unit_of_work import NotificationUnitOfWork
from guiyan_notification.service_layer.handlers import notifier, record_user

from .test_delivery import offered


@pytest.fixture
def uow(database_url: str):
    engine = make_engine(database_url)
    create_tables(engine, TABLES)
    yield lambda: NotificationUnitOfWork(engine)
    engine.dispose()


def registered(user_id: str, city: str, event_city: str | None = None) -> UserRegistered:
    return UserRegistered(producer="registry", tenant_id=event_city or city, user=User(
        id=user_id, tenant_id=city, name="负责人", role="park_manager"))


def test_a_user_is_recorded_in_one_city_and_an_event_saying_otherwise_is_parked(uow) -> None:
    with uow() as unit:
        record_user(registered("mgr-a", "heze"), unit)
        unit.commit()
    for forged in (registered("mgr-a", "jining"), registered("mgr-b", "heze", "jining")):
        with uow() as unit, pytest.raises(Rejected):
            record_user(forged, unit)
    with uow() as unit:
        assert [r.tenant_id for r in unit.session.exec(select(Recipient))] == ["heze"]


def test_an_offer_naming_a_manager_of_another_city_tells_nobody(uow) -> None:
    with uow() as unit:
        record_user(registered("mgr-a", "heze"), unit)
        unit.commit()
    tell = notifier(email_enabled=False)
    with uow() as unit, pytest.raises(Rejected, match="mgr-a"):
        event = offered("jining", "mgr-a")
        tell[type(event)](event, unit)
    with uow() as unit:
        assert unit.session.exec(select(InboxRow)).all() == []
