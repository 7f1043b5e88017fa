"""The delivery log: every delivery with its attempts, by notice, by channel or by status; a
failed one sent again; and a delivery forgotten with all it logged."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import func
from sqlmodel import col, delete, select

from guiyan_contracts import notification as contract
from guiyan_contracts.envelope import utc_now
from guiyan_contracts.notification import DeliveryStatus
from guiyan_contracts.refusals import Conflict, NotFound

from ..adapters.orm import Attempt, DeliveredNotice, Delivery, Notice
from ..adapters.unit_of_work import NotificationUnitOfWork


def list_deliveries(query: contract.ListDeliveries,
                    uow: NotificationUnitOfWork) -> contract.Deliveries:
    found = select(Delivery).where(Delivery.tenant_id == query.tenant_id)
    if query.notification_id is not None:
        found = found.where(col(Delivery.id).in_(
            select(DeliveredNotice.delivery_id)
            .where(DeliveredNotice.notice_id == query.notification_id)))
    if query.channel_id is not None:
        found = found.where(Delivery.channel_id == query.channel_id)
    if query.status is not None:
        found = found.where(Delivery.status == query.status.value)
    total = uow.session.exec(select(func.count()).select_from(found.subquery())).one()
    rows = list(uow.session.exec(found.order_by(col(Delivery.created_at).desc(), col(Delivery.id))
                                 .limit(query.limit).offset(query.offset)))
    return contract.Deliveries(items=described(uow, rows), total=total)


def described(uow: NotificationUnitOfWork, rows: list[Delivery]) -> list[contract.Delivery]:
    """Deliveries with their notices and attempts, read in two queries for the whole page."""
    ids = [row.id for row in rows]
    notices: dict[str, list[str]] = defaultdict(list)
    for link in uow.session.exec(select(DeliveredNotice)
                                 .where(col(DeliveredNotice.delivery_id).in_(ids))):
        notices[link.delivery_id].append(link.notice_id)
    attempts: dict[str, list[contract.Attempt]] = defaultdict(list)
    for attempt in uow.session.exec(select(Attempt).where(col(Attempt.delivery_id).in_(ids))
                                    .order_by(col(Attempt.id))):
        attempts[attempt.delivery_id].append(
            contract.Attempt.model_validate(attempt, from_attributes=True))
    return [contract.Delivery(**_fields(row), notification_ids=notices[row.id],
                              attempts=attempts[row.id]) for row in rows]


def _fields(row: Delivery) -> dict[str, Any]:
    return {"id": row.id, "tenant_id": row.tenant_id, "medium": row.medium,
            "channel_id": row.channel_id, "channel_name": row.channel_name,
            "recipient": row.recipient, "status": row.status,
            "outcome_unknown": row.outcome_unknown, "idempotency_key": row.id,
            "created_at": row.created_at, "next_attempt_at": row.next_attempt_at,
            "sent_at": row.sent_at}


def get_notification(query: contract.GetNotification,
                     uow: NotificationUnitOfWork) -> contract.Notice:
    notice = uow.session.get(Notice, query.notification_id)
    if notice is None or notice.tenant_id != query.tenant_id:
        raise NotFound(f"no notification {query.notification_id!r}")
    park = notice.park_id if notice.audience.startswith("park:") else None
    return contract.Notice(id=notice.id, tenant_id=notice.tenant_id, kind=notice.kind,
                           user_id=notice.user_id, park_id=park)


RESENDABLE = {DeliveryStatus.failed.value, DeliveryStatus.cancelled.value,
              DeliveryStatus.skipped.value}


def resend(command: contract.ResendDelivery, uow: NotificationUnitOfWork) -> contract.Delivery:
    """A fresh series of attempts, due now, numbered on from the earlier ones, which stay in the
    log. One still to be sent is answered as it is (asked twice, the second finds it on its
    way); one sent is not sent again (409)."""
    delivery = uow.session.get(Delivery, command.delivery_id)
    if delivery is None or delivery.tenant_id != command.tenant_id:
        raise NotFound(f"no delivery {command.delivery_id!r}")
    if delivery.status == DeliveryStatus.sent.value:
        raise Conflict(f"delivery {delivery.id!r} was sent: it is not sent again")
    if delivery.status not in RESENDABLE:
        return described(uow, [delivery])[0]
    delivery.status, delivery.next_attempt_at = DeliveryStatus.pending.value, utc_now()
    delivery.resent_after, delivery.digest_until = delivery.attempts, None
    uow.session.add(delivery)
    uow.session.flush()
    return described(uow, [delivery])[0]


def forget_deliveries(uow: NotificationUnitOfWork, deliveries: Any) -> None:
    """Drop the deliveries `deliveries` (a select of their ids) and all they logged."""
    ids = list(uow.session.exec(deliveries))
    uow.session.exec(delete(Attempt).where(col(Attempt.delivery_id).in_(ids)))
    uow.session.exec(delete(DeliveredNotice).where(col(DeliveredNotice.delivery_id).in_(ids)))
    uow.session.exec(delete(Delivery).where(col(Delivery.id).in_(ids)))
