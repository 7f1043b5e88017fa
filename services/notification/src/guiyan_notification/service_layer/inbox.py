"""A user's inbox: their notices, read and unread."""

from __future__ import annotations

from sqlalchemy import func, update
from sqlmodel import col, select

from guiyan_contracts import notification as contract
from guiyan_contracts.envelope import utc_now
from guiyan_contracts.models import InboxItem

from ..adapters.orm import Notice
from ..adapters.unit_of_work import NotificationUnitOfWork


def _mine(city: str, user_id: str):  # type: ignore[no-untyped-def]
    return (select(Notice).where(Notice.tenant_id == city).where(Notice.user_id == user_id)
            .where(col(Notice.in_inbox)))


def list_inbox(query: contract.ListInbox, uow: NotificationUnitOfWork) -> contract.Inbox:
    """A page of the user's items, newest first, how many they have in all, and how many of all
    are unread."""
    mine = _mine(query.tenant_id, query.user_id)
    shown = mine.where(col(Notice.read_at).is_(None)) if query.unread_only else mine
    total = uow.session.exec(select(func.count()).select_from(shown.subquery())).one()
    rows = uow.session.exec(shown.order_by(col(Notice.created_at).desc(), col(Notice.id))
                            .limit(query.limit).offset(query.offset))
    return contract.Inbox(items=[InboxItem.model_validate(row, from_attributes=True)
                                 for row in rows],
                          total=total, unread=_unread(uow, query.tenant_id, query.user_id))


def count_unread(query: contract.CountUnread, uow: NotificationUnitOfWork) -> contract.Unread:
    return contract.Unread(unread=_unread(uow, query.tenant_id, query.user_id))


def mark_read(command: contract.MarkRead, uow: NotificationUnitOfWork) -> contract.Unread:
    """Only the user's own items change: ids of anyone else's are passed over."""
    chosen = update(Notice).where(col(Notice.tenant_id) == command.tenant_id).where(
        col(Notice.user_id) == command.user_id).where(col(Notice.in_inbox))
    if command.item_ids is not None:
        chosen = chosen.where(col(Notice.id).in_(command.item_ids))
    if command.read:
        uow.session.exec(chosen.where(col(Notice.read_at).is_(None)).values(read_at=utc_now()))
    else:
        uow.session.exec(chosen.values(read_at=None))
    return contract.Unread(unread=_unread(uow, command.tenant_id, command.user_id))


def _unread(uow: NotificationUnitOfWork, city: str, user_id: str) -> int:
    unread = _mine(city, user_id).where(col(Notice.read_at).is_(None))
    return uow.session.exec(select(func.count()).select_from(unread.subquery())).one()
