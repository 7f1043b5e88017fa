"""The delivery log: what was sent where, each attempt and what the receiver answered. A user
reads the log of their own notifications; admins read the city's failures and send one again."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from guiyan_contracts import notification
from guiyan_contracts.models import Id
from guiyan_contracts.notification import DeliveryStatus

from ..access import Admin, Caller, Services, VisibleNotice
from ..errors import answers
from ..paging import Limit, Offset

router = APIRouter(prefix="/api/v1", tags=["deliveries"])


@router.get("/notifications/{notification_id}/deliveries",
            response_model=notification.Deliveries,
            responses=answers(401, 404, 422, 502, 503))
async def notice_deliveries(notice: VisibleNotice, caller: Caller, services: Services,
                            limit: Limit(500) = 100, offset: Offset = 0) -> Any:
    """Where a notification went, by which medium, and how each attempt ended (its user, or
    an admin of the city)."""
    return await services.ask(notification.ListDeliveries(
        tenant_id=caller.tenant_id, notification_id=notice.id, limit=limit, offset=offset),
        notification.Deliveries)


@router.get("/deliveries", response_model=notification.Deliveries,
            responses=answers(401, 403, 422, 502, 503))
async def list_deliveries(caller: Admin, services: Services,
                          status: Annotated[DeliveryStatus | None, Query(
                              description="Only deliveries that stand so (`failed`: those "
                                          "to look at)")] = None,
                          limit: Limit(500) = 100, offset: Offset = 0) -> Any:
    """The city's delivery log, newest first (admins)."""
    return await services.ask(notification.ListDeliveries(
        tenant_id=caller.tenant_id, status=status, limit=limit, offset=offset),
        notification.Deliveries)


@router.post("/deliveries/{delivery_id}/resend", response_model=notification.Delivery,
             responses=answers(401, 403, 404, 409, 502, 503))
async def resend_delivery(delivery_id: Id, caller: Admin, services: Services) -> Any:
    """Send a failed, cancelled or skipped delivery again, with the whole limit of attempts
    (admins). One still to be sent answers as it is: it is on its way. One sent is a 409."""
    return await services.ask(notification.ResendDelivery(
        tenant_id=caller.tenant_id, delivery_id=delivery_id, resent_by=caller.user_id),
        notification.Delivery)
