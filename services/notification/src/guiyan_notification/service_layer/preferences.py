"""Each user's choice of media per kind of notice."""

from __future__ import annotations

from sqlmodel import select

from guiyan_contracts import notification as contract
from guiyan_contracts.notification import CRITICAL, NoticeKind

from ..adapters.orm import Preference
from ..adapters.unit_of_work import NotificationUnitOfWork
from ..domain import rules


def get_preferences(query: contract.GetPreferences,
                    uow: NotificationUnitOfWork) -> contract.Preferences:
    return _preferences(uow, query.tenant_id, query.user_id)


def set_preferences(command: contract.SetPreferences,
                    uow: NotificationUnitOfWork) -> contract.Preferences:
    for item in command.items:
        uow.session.merge(Preference(user_id=command.user_id, kind=item.kind.value,
                                     tenant_id=command.tenant_id,
                                     media=sorted({m.value for m in item.media})))
    uow.session.flush()
    return _preferences(uow, command.tenant_id, command.user_id)


def _preferences(uow: NotificationUnitOfWork, city: str, user_id: str) -> contract.Preferences:
    """Every kind, as the user will hear of it: a critical kind shows the inbox it always has.
    Email is listed as chosen even where none is configured: the choice outlives the setting."""
    chosen = {row.kind: row.media for row in uow.session.exec(
        select(Preference).where(Preference.tenant_id == city)
        .where(Preference.user_id == user_id))}
    items = [contract.Preference(kind=kind, media=sorted(
        rules.media_for(kind, chosen.get(kind.value), email_enabled=True)))
        for kind in NoticeKind]
    return contract.Preferences(user_id=user_id, items=items,
                                critical=sorted(CRITICAL))
